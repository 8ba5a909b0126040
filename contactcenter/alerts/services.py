"""The alerting path, in one place: who is told (``create_alerts``) and how it reaches them (``send_alerts``).

Alerts are rows written in the scan's transaction. Sending happens later and outside any transaction: a
sender claims a recipient's ready alerts with a conditional update (the row is the lock), sends them as
one digest with each clock's state at that moment, and marks them sent only after the SMTP server accepted
the message. A failure leaves them unsent with the error and a later attempt time (exponential back-off);
after the last attempt they are marked failed and show in the admin and on the "Needs attention" page. If a
sender dies between the server's acceptance and the marking, its claim expires and the digest is sent again,
under the same Message-ID: at least once, never lost. The claim, back-off and Message-ID rules are shared
with the outbound e-mails (``outbox``); the connection, the run's limits and the mail server's outages are
``sending``'s.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contactcenter.deadlines.models import ClockPolicy, Deadline, Level, Recipient
from contactcenter.deadlines.scan import Transition
from contactcenter.directory import roles
from contactcenter.directory.models import Branch

from .models import Alert
from .outbox import retry_delay as retry_delay  # its first home; callers still import it from here
from .sending import SendingRun, sending_run

logger = logging.getLogger(__name__)


class RecipientBook:
    """Who is told, per branch, loaded once for the branches of a batch of transitions: active staff only.

    A deactivated person is never told; whoever stands in for them is. The owner's stand-ins are the branch's
    supervisors (as for a clock nobody owns); the branch manager's, when the post is empty or its holder
    inactive, the branch's heads of department, or its supervisors when it has none; the deputy director's,
    the branch manager (or the manager's stand-ins). The supervisors, heads of department and security are
    the active holders of those roles in the branch (the supervisors with its teams' supervisors:
    ``StaffQuerySet.supervisors_by_branch``)."""

    ROLE_OF = {Recipient.HEAD_OF_DEPARTMENT: roles.HEAD_OF_DEPARTMENT, Recipient.SECURITY: roles.SECURITY}

    def __init__(self, branch_ids, *, owner_ids=()):
        staff = get_user_model().objects
        self.holders = defaultdict(set)
        role_code = {role: code for code, role in self.ROLE_OF.items()}
        for (branch_id, role), user_ids in staff.holders_by_branch(*role_code, branch=branch_ids).items():
            self.holders[branch_id, role_code[role]] = user_ids
        for branch_id, user_ids in staff.supervisors_by_branch(branch_ids).items():
            self.holders[branch_id, Recipient.SUPERVISORS] = user_ids
        posts = Branch.objects.filter(pk__in=branch_ids).values_list(
            "pk", "manager_id", "manager__is_active", "deputy_director_id", "deputy_director__is_active"
        )
        for branch_id, manager_id, manager_active, deputy_id, deputy_active in posts:
            managers = (
                {manager_id}
                if manager_active
                else self.holders[branch_id, Recipient.HEAD_OF_DEPARTMENT]
                or self.holders[branch_id, Recipient.SUPERVISORS]
            )
            self.holders[branch_id, Recipient.BRANCH_MANAGER] = managers
            self.holders[branch_id, Recipient.DEPUTY_DIRECTOR] = {deputy_id} if deputy_active else managers
        # ``owner_ids``: the owners of the batch's clocks (keys, or a queryset of them).
        self.active_owners = set(staff.active().filter(pk__in=owner_ids).values_list("pk", flat=True))

    def resolve(self, transition: Transition, codes) -> set[int]:
        found = set()
        for code in codes:
            if code == Recipient.OWNER and transition.owner_id in self.active_owners:
                found.add(transition.owner_id)
            elif code == Recipient.OWNER:
                found |= self.holders[transition.branch_id, Recipient.SUPERVISORS]
            else:
                found |= self.holders[transition.branch_id, code]
        return found


def create_alerts(transitions: list[Transition], now: datetime) -> int:
    """Turn the scan's transitions into outbox rows (registered as a scan handler, same transaction)."""
    policies = {policy.kind: policy for policy in ClockPolicy.objects.all()}
    book = RecipientBook({t.branch_id for t in transitions}, owner_ids={t.owner_id for t in transitions if t.owner_id})
    rows = [
        (transition.deadline_id, transition.round, transition.level, transition.reminder, recipient_id)
        for transition in transitions
        if transition.kind in policies
        for recipient_id in book.resolve(transition, policies[transition.kind].recipients_for(transition.level))
    ]
    insert_alerts(rows, now)
    return len(rows)


INSERTED_COLUMNS = ("deadline_id", "round", "level", "reminder", "recipient_id")


def insert_alerts(rows: list[tuple[int, int, str, int, int]], now: datetime) -> None:
    """Write (deadline, round, level, reminder, recipient) rows, created and ready at ``now``, skipping
    those that exist: the unique constraint makes a repeated transition (a retried scan) a no-op.

    On PostgreSQL one ``INSERT … SELECT … FROM unnest(…) ON CONFLICT DO NOTHING`` with each column as
    one array, sent as an array literal: a scan's thousands of alerts cost one statement and no
    per-row work in Python (``bulk_create`` prepares fourteen fields of every row one by one).
    Elsewhere (SQLite) ``bulk_create``, which writes the same rows."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Alert.objects.bulk_create(
            (
                Alert(
                    deadline_id=deadline_id,
                    round=round_,
                    level=level,
                    reminder=reminder,
                    recipient_id=recipient_id,
                    created_at=now,
                    next_attempt_at=now,
                )
                for deadline_id, round_, level, reminder, recipient_id in rows
            ),
            ignore_conflicts=True,
            batch_size=1000,
        )
        return
    # Only integers and level codes go into the literals, nothing that needs quoting.
    arrays = ["{" + ",".join(map(str, column)) + "}" for column in zip(*rows, strict=True)]
    # Every other column gets its field's default (so a field added later needs no change here).
    others = [
        field
        for field in Alert._meta.concrete_fields
        if not field.primary_key and field.attname not in INSERTED_COLUMNS
    ]
    constants = [
        field.get_db_prep_save(
            now if field.attname in ("created_at", "next_attempt_at") else field.get_default(), connection
        )
        for field in others
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Alert._meta.db_table)} "
            f"({', '.join(quote(name) for name in (*INSERTED_COLUMNS, *(field.column for field in others)))}) "
            f"SELECT alert.*, {', '.join(['%s'] * len(others))} "
            "FROM unnest(%s::bigint[], %s::integer[], %s::varchar[], %s::integer[], %s::bigint[]) AS alert "
            "ON CONFLICT DO NOTHING",
            [*constants, *arrays],
        )


@dataclass
class SendResult:
    digests_sent: int = 0
    alerts_sent: int = 0
    digests_failed: int = 0


def alerts_readdress(*, now: datetime) -> int:
    """The ready alerts of someone deactivated since they were written are not sent (a sender never claims
    them): each is marked skipped, with the reason, and its clock's recipients as they are now, stand-ins
    included, are told instead (an alert each, unless they have it already). Returns how many were skipped."""
    with transaction.atomic():
        stranded = list(Alert.objects.stranded(now).select_related("deadline").select_for_update(of=("self",)))
        if not stranded:
            return 0
        transitions = {
            Transition(
                deadline_id=alert.deadline_id,
                kind=alert.deadline.kind,
                branch_id=alert.deadline.branch_id,
                owner_id=alert.deadline.owner_id,
                round=alert.round,
                level=alert.level,
                reminder=alert.reminder,
            )
            for alert in stranded
        }
        create_alerts(list(transitions), now)
        Alert.objects.filter(pk__in=[alert.pk for alert in stranded]).update(
            skipped_at=now,
            claim="",
            claimed_until=None,
            last_error=_("Not sent: the recipient has been deactivated; whoever stands in for them was told."),
        )
    return len(stranded)


def send_alerts(*, now: datetime | None = None, run: SendingRun | None = None) -> SendResult:
    """Send every recipient's ready alerts as one digest each, over one SMTP connection; safe to run twice at once.

    ``run`` is a sending run to share (its connection, clock and limits) with the outbound e-mails; without
    one, the call is a run of its own that starts at ``now``. The alerts of someone deactivated go to their
    stand-ins first (``alerts_readdress``). A run stops taking digests at its limits
    (``ALERT_RUN_SECONDS``, ``ALERT_RUN_MAX_MESSAGES``); the rest go at the next run.
    """
    result = SendResult()
    with sending_run(run, now) as run:
        alerts_readdress(now=run.now())
        if not run.has_work(Alert.objects.all()):
            return result
        if not run.connect():
            result.digests_failed = run.fail_ready(Alert.objects.all(), per="recipient_id")
            return result
        recipient_ids = Alert.objects.ready(run.now()).values_list("recipient_id", flat=True).distinct().order_by()
        for recipient_id in list(recipient_ids):
            if not run.has_room():
                break
            sent = send_digest(recipient_id=recipient_id, run=run)
            if sent is None:
                continue
            if sent:
                result.digests_sent += 1
                result.alerts_sent += sent
            else:
                result.digests_failed += 1
    return result


def send_digest(*, recipient_id: int, now: datetime | None = None, run: SendingRun | None = None) -> int | None:
    """Claim, send and mark one recipient's ready alerts. Returns how many were sent, 0 when the send
    failed, None when there was nothing to take (another sender holds them, or none are ready)."""
    with sending_run(run, now) as run:
        claim = Alert.objects.filter(recipient_id=recipient_id).claim_message(run.now())
        if claim is None:
            return None
        alerts = list(
            claim.rows.select_related("deadline__branch", "recipient").order_by("deadline__due_at", "deadline_id")
        )
        recipient = alerts[0].recipient
        if not recipient.email:
            claim.give_up(reason=_("The recipient has no e-mail address."), now=run.started)
            return 0
        message = build_digest(recipient, alerts, run.now(), message_id=claim.message_id)
        if not run.deliver(claim, message):
            return 0
        if not claim.mark_sent(run.now()):
            logger.warning("Digest %s to %s was sent, but another sender holds its alerts", claim.message_id, recipient)
        return len(alerts)


def clock_state(deadline) -> tuple[str, str]:
    """The clock's state as a digest names it (code, words): it may have moved on since its alert was made."""
    if deadline.state == deadline.State.OVERDUE and deadline.long_overdue_at:
        return Level.LONG_OVERDUE.value, Level.LONG_OVERDUE.label
    return deadline.state, deadline.get_state_display()


def build_digest(recipient, alerts: list[Alert], now: datetime, *, message_id: str) -> EmailMultiAlternatives:
    """One e-mail, plain text and HTML, in the recipient's language: one line per clock with its state now
    (however many of its alerts waited), an absolute link to each case, a subject that counts clocks."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        items = {}
        for alert in alerts:
            deadline = alert.deadline
            if deadline.pk not in items:
                state, state_label = clock_state(deadline)
                items[deadline.pk] = {
                    "deadline": deadline,
                    "state": state,
                    "state_label": state_label,
                    "reminder": 0,
                    "url": settings.SITE_URL + (deadline.case_url or reverse("alerts:attention")),
                }
            if deadline.state == deadline.State.OVERDUE:
                items[deadline.pk]["reminder"] = max(items[deadline.pk]["reminder"], alert.reminder)
        items = list(items.values())
        overdue = sum(1 for item in items if item["deadline"].state == Deadline.State.OVERDUE)
        subject = ngettext(
            "%(count)d clock needs attention (%(overdue)d overdue)",
            "%(count)d clocks need attention (%(overdue)d overdue)",
            len(items),
        ) % {"count": len(items), "overdue": overdue}
        context = {
            "recipient": recipient,
            "items": items,
            "now": now,
            "attention_url": settings.SITE_URL + reverse("alerts:attention"),
        }
        text = render_to_string("alerts/digest.txt", context)
        html = render_to_string("alerts/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[recipient.email], headers={"Message-ID": message_id}
    )
    message.attach_alternative(html, "text/html")
    return message
