"""The alerting path, in one place: who is told (``create_alerts``) and how it reaches them (``send_alerts``).

Alerts are rows written in the scan's transaction. Sending happens later and outside any transaction: a
sender claims a recipient's ready alerts with a conditional update (the row is the lock), sends them as
one digest, and marks them sent only after the SMTP server accepted the message. A failure leaves them
unsent with the error and a later attempt time (exponential back-off); after the last attempt they are
marked failed and show in the admin and on the "Needs attention" page. If a sender dies between the
server's acceptance and the marking, its claim expires and the digest is sent again: at least once,
never lost. The claim and back-off rules are shared with the outbound e-mails (``outbox``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contactcenter.audit.services import record_audit
from contactcenter.deadlines.models import ClockPolicy, Level, Recipient
from contactcenter.deadlines.scan import Transition
from contactcenter.directory import roles
from contactcenter.directory.models import Branch, Team

from .models import Alert
from .outbox import mark_sent, new_message_id, release_after_failure
from .outbox import retry_delay as retry_delay  # its first home; callers still import it from here

logger = logging.getLogger(__name__)


class RecipientBook:
    """Who holds each role in each branch, loaded once for the branches of a batch of transitions."""

    ROLE_OF = {
        Recipient.SUPERVISORS: roles.SUPERVISOR,
        Recipient.HEAD_OF_DEPARTMENT: roles.HEAD_OF_DEPARTMENT,
        Recipient.SECURITY: roles.SECURITY,
    }

    def __init__(self, branch_ids):
        self.holders = defaultdict(set)
        staff = get_user_model().objects.filter(
            is_active=True, branches__in=branch_ids, groups__name__in=list(self.ROLE_OF.values())
        )
        role_code = {role: code for code, role in self.ROLE_OF.items()}
        for user_id, branch_id, group in staff.values_list("pk", "branches", "groups__name"):
            self.holders[branch_id, role_code[group]].add(user_id)
        teams = Team.objects.filter(branch__in=branch_ids, supervisor__is_active=True)
        for branch_id, supervisor_id in teams.values_list("branch_id", "supervisor_id"):
            self.holders[branch_id, Recipient.SUPERVISORS].add(supervisor_id)
        for branch_id, manager_id, deputy_id in Branch.objects.filter(pk__in=branch_ids).values_list(
            "pk", "manager_id", "deputy_director_id"
        ):
            if manager_id:
                self.holders[branch_id, Recipient.BRANCH_MANAGER].add(manager_id)
            if deputy_id:
                self.holders[branch_id, Recipient.DEPUTY_DIRECTOR].add(deputy_id)

    def resolve(self, transition: Transition, codes) -> set[int]:
        found = set()
        for code in codes:
            if code == Recipient.OWNER:
                found |= (
                    {transition.owner_id}
                    if transition.owner_id
                    else self.holders[transition.branch_id, Recipient.SUPERVISORS]
                )
            else:
                found |= self.holders[transition.branch_id, code]
        return found


def create_alerts(transitions: list[Transition], now: datetime) -> int:
    """Turn the scan's transitions into outbox rows (registered as a scan handler, same transaction)."""
    policies = {policy.kind: policy for policy in ClockPolicy.objects.all()}
    book = RecipientBook({t.branch_id for t in transitions})
    rows = []
    for transition in transitions:
        policy = policies.get(transition.kind)
        if policy is None:
            continue
        for recipient_id in book.resolve(transition, policy.recipients_for(transition.level)):
            rows.append(
                Alert(
                    deadline_id=transition.deadline_id,
                    round=transition.round,
                    level=transition.level,
                    reminder=transition.reminder,
                    recipient_id=recipient_id,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    # The unique constraint makes a repeated transition (a retried scan) a no-op.
    Alert.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


@dataclass
class SendResult:
    digests_sent: int = 0
    alerts_sent: int = 0
    digests_failed: int = 0


def send_alerts(*, now: datetime | None = None) -> SendResult:
    """Send every recipient's ready alerts as one digest each."""
    now = now or timezone.now()
    result = SendResult()
    recipient_ids = Alert.objects.ready(now).values_list("recipient_id", flat=True).distinct().order_by()
    for recipient_id in list(recipient_ids):
        sent = send_digest(recipient_id=recipient_id, now=now)
        if sent is None:
            continue
        if sent:
            result.digests_sent += 1
            result.alerts_sent += sent
        else:
            result.digests_failed += 1
    return result


def send_digest(*, recipient_id: int, now: datetime) -> int | None:
    """Claim, send and mark one recipient's ready alerts. Returns how many were sent, 0 when the send
    failed, None when there was nothing to take (another sender holds them, or none are ready)."""
    claim = Alert.objects.filter(recipient_id=recipient_id).claim(now)
    if claim is None:
        return None
    alerts = list(
        Alert.objects.filter(claim=claim).select_related("deadline__branch", "recipient").order_by("deadline__due_at")
    )
    recipient = alerts[0].recipient
    claimed = Alert.objects.filter(claim=claim)
    if not recipient.email:
        claimed.update(
            failed_at=now, last_error=_("The recipient has no e-mail address."), claim="", claimed_until=None
        )
        return 0
    message = build_digest(recipient, alerts, now)
    try:
        message.send()
    except Exception as error:  # any failure of the mail path must leave the alerts to retry
        logger.warning("Digest to %s failed: %s", recipient.email, error)
        release_after_failure(claimed, attempts=max(alert.attempts for alert in alerts), error=error, now=now)
        return 0
    mark_sent(claimed, message_id=message.extra_headers["Message-ID"])
    return len(alerts)


def alerts_retry(*, alerts, by) -> int:
    """An administrator sends failed or waiting alerts again now; each one's audit trail says who did."""
    with transaction.atomic():
        chosen = list(alerts.filter(sent_at=None).select_for_update(of=("self",)))
        for alert in chosen:
            record_audit(
                actor=by,
                action="alert.retried",
                target=alert,
                changes={"failed_at": [str(alert.failed_at) if alert.failed_at else None, None]},
                note=alert.last_error,
            )
        return Alert.objects.filter(pk__in=[alert.pk for alert in chosen]).update(
            failed_at=None, attempts=0, next_attempt_at=timezone.now(), claim="", claimed_until=None
        )


def build_digest(recipient, alerts: list[Alert], now: datetime) -> EmailMultiAlternatives:
    """One e-mail, plain text and HTML, in the recipient's language, with an absolute link to each case."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        items = [
            {
                "alert": alert,
                "deadline": alert.deadline,
                "url": settings.SITE_URL + (alert.deadline.case_url or reverse("alerts:attention")),
            }
            for alert in alerts
        ]
        overdue = sum(1 for alert in alerts if alert.level != Level.DUE_SOON)
        subject = ngettext(
            "%(count)d clock needs attention (%(overdue)d overdue)",
            "%(count)d clocks need attention (%(overdue)d overdue)",
            len(alerts),
        ) % {"count": len(alerts), "overdue": overdue}
        context = {
            "recipient": recipient,
            "items": items,
            "now": now,
            "attention_url": settings.SITE_URL + reverse("alerts:attention"),
        }
        text = render_to_string("alerts/digest.txt", context)
        html = render_to_string("alerts/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[recipient.email],
        headers={"Message-ID": new_message_id()},
    )
    message.attach_alternative(html, "text/html")
    return message
