"""Prepare the answer letter of a complaint from a template: offered at the answer step, to those who answer,
and audited (which template, which output); the letter is not stored: the signed one is uploaded with the
answer, as before."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from contactcenter.audit.services import record_audit
from contactcenter.directory.models import customer_language

from .. import letters
from ..models import ANSWER_CLOCK, Complaint, LetterTemplate
from ..selectors import latest_clock_of
from . import transitions

FORMATS = ("docx", "print")


@dataclass
class PreparedAnswerLetter:
    content: bytes
    filename: str
    language: str
    template: LetterTemplate


def letter_language(complaint: Complaint) -> str:
    """The customer's language (a draft's: the branch's country's)."""
    return complaint.customer.language if complaint.customer else customer_language(complaint.branch)


def letter_templates_for(complaint: Complaint) -> list[LetterTemplate]:
    """The templates offered for ``complaint``, the best first: in the letter's language, then in the
    product's default language, then any other; within each, the branch's own before those for every branch."""
    wanted = letter_language(complaint)

    def rank(template):
        language_rank = 0 if template.language == wanted else 1 if template.language == settings.LANGUAGE_CODE else 2
        return (language_rank, template.branch_id is None, template.name, template.pk)

    return sorted(LetterTemplate.objects.offered_for(complaint.branch), key=rank)


def complaint_prepare_letter(
    *, complaint: Complaint, template: LetterTemplate, answer_text: str, output: str, by
) -> PreparedAnswerLetter:
    """Fill ``template`` in for ``complaint`` with the answer written so far; refused unless the person may
    answer, the complaint is at its answer step and the template is offered to its branch."""
    if not by.has_perm("complaints.answer_complaint"):
        raise PermissionDenied
    if output not in FORMATS:
        raise ValidationError(_("Choose a Word document or a printable page."), code="bad_output")
    transitions.require(complaint, "answer")
    if not LetterTemplate.objects.offered_for(complaint.branch).filter(pk=template.pk).exists():
        raise ValidationError(_("This template is not offered for the complaint's branch."), code="not_offered")
    try:
        with default_storage.open(template.file.name, "rb") as file:
            template_bytes = file.read()
    except (FileNotFoundError, ValueError) as error:  # ValueError: a row without a file
        raise ValidationError(_("The template's file is missing from the storage."), code="missing") from error
    answer_clock = latest_clock_of(complaint, ANSWER_CLOCK)
    values = letters.letter_values(
        complaint=complaint,
        answer_text=answer_text,
        language=template.language,
        signer=by,
        answer_due=answer_clock.due_at if answer_clock else None,
    )
    content = letters.render_letter(template_bytes, values)
    with transaction.atomic():
        record_audit(
            actor=by,
            action="complaint.letter_prepared",
            target=complaint,
            changes={"letter_template": [None, str(template)], "output": [None, output]},
        )
    return PreparedAnswerLetter(
        content=content,
        filename=f"{complaint.register_number}-answer.docx",
        language=template.language,
        template=template,
    )
