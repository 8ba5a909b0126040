"""The one write of the phrase library outside the admin: an insertion counted."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from contactcenter.directory.models import Branch

from .models import Phrase, PhraseUse, Place


def phrase_record_use(*, phrase: Phrase, place: str, branch: Branch | None, by) -> PhraseUse:
    """Count one insertion of ``phrase`` into the text field of ``place``, for a case of ``branch``.

    The row is its own trail (who, when, where): an audit entry per click would only repeat it. A branch the
    person does not work in is not taken (the use is counted without a branch); with none given, a person of
    one branch is counted there.
    """
    if not by.has_perm("phrases.add_phraseuse"):
        raise PermissionDenied
    if place not in Place.values:
        raise ValidationError(_("Unknown form."), code="unknown_place")
    if not phrase.is_active:
        raise ValidationError(_("This phrase is no longer offered."), code="inactive")
    visible = Branch.objects.for_user(by)
    if branch is not None and not visible.filter(pk=branch.pk).exists():
        branch = None
    if branch is None and len(by.branch_ids) == 1:
        branch = Branch.objects.get(pk=by.branch_ids[0])
    return PhraseUse.objects.create(phrase=phrase, place=place, branch=branch, used_by=by)
