"""Preparing the answer letter: which templates are offered (the branch's own, every branch's; the customer's
language first), who may prepare one, at which step, and the audit entry."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import services
from complaints.models import Complaint, Status
from contactcenter.audit.models import AuditEntry
from tests.complaints.letter_templates import docx_text, docx_with, make_template
from tests.moments import moscow as at

RECEIVED = at(2026, 11, 20, 17, 30)  # Friday in Moscow: the answer is due on 4 December
NOW = at(2026, 11, 23, 10, 30)


@pytest.fixture
def in_review(register, reviewer):
    complaint = register(RECEIVED, summary="Ждал у кассы 40 минут.", name="Иван Смирнов")
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.IN_REVIEW, assigned_to=reviewer)
    complaint.refresh_from_db()
    with time_machine.travel(NOW, tick=False):
        yield complaint


def test_the_branchs_own_template_in_the_customers_language_comes_first(in_review, msk, bud):
    everywhere_ru = make_template(name="Every branch", language="ru")
    own_ru = make_template(name="Moscow", branch=msk, language="ru")
    own_en = make_template(name="Moscow EN", branch=msk, language="en")
    make_template(name="Budapest", branch=bud, language="ru")
    make_template(name="Retired", branch=msk, language="ru").__class__.objects.filter(name="Retired").update(
        is_active=False
    )
    assert services.letter_templates_for(in_review) == [own_ru, everywhere_ru, own_en]


def test_without_a_template_in_the_customers_language_the_default_language_is_offered(in_review, msk):
    english = make_template(name="Only English", language="en")
    assert in_review.customer.language == "ru"
    assert services.letter_templates_for(in_review) == [english]


def test_the_letter_is_filled_in_in_the_templates_language_and_audited(in_review, reviewer):
    template = make_template(language="ru")
    prepared = services.complaint_prepare_letter(
        complaint=in_review, template=template, answer_text="Окно № 2 теперь открыто.", output="docx", by=reviewer
    )
    text = docx_text(prepared.content)
    number = in_review.register_number
    assert f"О Вашей жалобе № {number} от 20 ноября 2026 г." in text
    assert "23 ноября 2026 г." in text and "Уважаемый(ая) Иван Смирнов!" in text
    assert "Вы сообщили нам: Ждал у кассы 40 минут." in text and "Окно № 2 теперь открыто." in text
    assert (prepared.filename, prepared.language) == (f"{number}-answer.docx", "ru")
    entry = AuditEntry.objects.for_target(in_review).get(action="complaint.letter_prepared")
    assert entry.actor == reviewer and entry.changes["output"] == [None, "docx"]
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW and not in_review.answer_letter  # nothing else changed


def test_the_answer_due_date_is_the_answer_clocks(in_review, reviewer):
    template = make_template(content=docx_with("{{ answer_due_date }}|{{ received_date }}"))
    prepared = services.complaint_prepare_letter(
        complaint=in_review, template=template, answer_text="", output="print", by=reviewer
    )
    assert docx_text(prepared.content).endswith("Dec. 4, 2026|Nov. 20, 2026")


def test_another_branchs_template_is_refused(in_review, reviewer, bud):
    template = make_template(branch=bud)
    with pytest.raises(ValidationError) as refusal:
        services.complaint_prepare_letter(
            complaint=in_review, template=template, answer_text="", output="docx", by=reviewer
        )
    assert refusal.value.code == "not_offered"
    assert not AuditEntry.objects.filter(action="complaint.letter_prepared").exists()


def test_only_those_who_answer_and_only_at_the_answer_step(in_review, reviewer, operator):
    template = make_template()
    with pytest.raises(PermissionDenied):
        services.complaint_prepare_letter(
            complaint=in_review, template=template, answer_text="", output="docx", by=operator
        )
    Complaint.objects.filter(pk=in_review.pk).update(status=Status.ANSWERED)
    in_review.refresh_from_db()
    with pytest.raises(ValidationError):
        services.complaint_prepare_letter(
            complaint=in_review, template=template, answer_text="", output="docx", by=reviewer
        )
    assert not AuditEntry.objects.filter(action="complaint.letter_prepared").exists()
