"""Telling the holders of a level, at once, that an escalation is theirs: an e-mail in the outbox.

The clock's own alerts (due soon, overdue) come later through the alert outbox; a level that has just been
given an escalation must not wait for them. One message per language, so that everyone reads it in their own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from contactcenter.alerts.outbound import queue_staff_notice
from contactcenter.alerts.services import RecipientBook
from contactcenter.deadlines.models import Recipient
from contactcenter.formats import moment_text

from .models import LEVEL_HOLDERS, Escalation

OPENED = "escalation_opened"
RAISED = "escalation_raised"
SECURITY = "escalation_security"

SUBJECTS = {
    OPENED: lambda: _("Escalation for you: %(escalation)s"),
    RAISED: lambda: _("Escalation raised to you (nobody acknowledged it): %(escalation)s"),
    SECURITY: lambda: _("Escalation for security: %(escalation)s"),
}


def level_holders(escalation: Escalation, levels) -> set[int]:
    """The active staff who hold these levels in the escalation's branch; the branch's manager and the deputy
    director when nobody does, so that an escalation is never addressed to nobody."""
    book = RecipientBook({escalation.branch_id})
    found = set()
    for level in levels:
        found |= book.holders[escalation.branch_id, LEVEL_HOLDERS[level]]
    if not found:
        found = (
            book.holders[escalation.branch_id, Recipient.BRANCH_MANAGER]
            | book.holders[escalation.branch_id, Recipient.DEPUTY_DIRECTOR]
        )
    return found


def tell_levels(escalation: Escalation, *, levels, purpose: str, by=None) -> int:
    """Queue the notice to the holders of ``levels``, each in their language; call it inside the change's
    transaction. Returns the number of people told."""
    people = get_user_model().objects.filter(pk__in=level_holders(escalation, levels))
    due_local = moment_text(escalation.due_at, escalation.branch.tz)
    return queue_staff_notice(
        people=people,
        purpose=purpose,
        subject=lambda: SUBJECTS[purpose]() % {"escalation": escalation},
        template="escalations/email/notice",
        context={
            "escalation": escalation,
            "purpose": purpose,
            "url": settings.SITE_URL + escalation.get_absolute_url(),
            "due_local": due_local,
        },
        origin=escalation,
        requested_by=by,
    )
