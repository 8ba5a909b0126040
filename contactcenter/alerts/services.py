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
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.translation import gettext as _

from contactcenter.deadlines.models import ClockPolicy, Recipient
from contactcenter.deadlines.scan import Transition
from contactcenter.directory import roles
from contactcenter.directory.models import Branch

from .digest import DigestWriter, digests_of
from .models import Alert
from .outbox import Held, claim_life
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
    stand-ins first (``alerts_readdress``). Digests cut short by a broken connection go next, each alone under
    its Message-ID (``send_digest``); then the others, claimed a batch of recipients at a time
    (``AlertQuerySet.claim_digests``: one UPDATE), read in one query, written without templates and marked
    sent in one UPDATE per batch. A batch starts at one digest and doubles, up to ``MAX_BATCH`` and to what
    the server takes in half a claim's life, so that a sender never holds more than it can soon send (a
    second sender takes the rest). A run stops taking digests at its limits (``ALERT_RUN_SECONDS``,
    ``ALERT_RUN_MAX_MESSAGES``); the rest go at the next run.
    """
    result = SendResult()
    with sending_run(run, now) as run:
        alerts_readdress(now=run.now())
        if not run.has_work(Alert.objects.all()):
            return result
        if not run.connect():
            result.digests_failed = run.fail_ready(Alert.objects.all(), per="recipient_id")
            return result
        writer = DigestWriter()
        in_doubt = Alert.objects.ready(run.now()).exclude(message_id="").values_list("recipient_id", flat=True)
        for recipient_id in list(in_doubt.distinct().order_by()):
            if not run.has_room():
                return result
            send_claimed(Alert.objects.filter(recipient_id=recipient_id).claim_message(run.now()), run, writer, result)
        size, races = 1, 0
        while run.has_room() and races < MAX_RACES:
            moment, started = run.now(), time.monotonic()
            room = settings.ALERT_RUN_MAX_MESSAGES - run.messages
            claim = Alert.objects.claim_digests(moment, recipients=min(size, room))
            if claim is None:
                if not Alert.objects.ready(run.now()).filter(message_id="").exists():
                    break
                races += 1  # another sender took these recipients first: on to the next ones
                continue
            races = 0
            tried = send_claimed(claim, run, writer, result, held=Held(claim, moment))
            seconds_each = (time.monotonic() - started) / max(tried, 1)
            within_half_life = int(claim_life().total_seconds() / 2 / seconds_each) if seconds_each else MAX_BATCH
            size = max(1, min(size * 2, MAX_BATCH, within_half_life))
    return result


MAX_BATCH = 50  # digests under one claim at most, so also what a crash before the marking may send again
MAX_RACES = 3  # claims in a row that another sender won before a run leaves the rest to the next one


def send_digest(*, recipient_id: int, now: datetime | None = None, run: SendingRun | None = None) -> int | None:
    """Claim, send and mark one recipient's ready alerts (those cut short go alone, under their Message-ID).
    Returns how many were sent, 0 when the send failed, None when there was nothing to take (another sender
    holds them, or none are ready)."""
    with sending_run(run, now) as run:
        claim = Alert.objects.filter(recipient_id=recipient_id).claim_message(run.now())
        if claim is None:
            return None
        result = SendResult()
        send_claimed(claim, run, DigestWriter(), result)
        return result.alerts_sent


def send_claimed(claim, run: SendingRun, writer: DigestWriter, result: SendResult, *, held: Held | None = None) -> int:
    """Send the digests of ``claim`` (one recipient's, or a batch's), adding them up in ``result``; returns how
    many were tried. ``held``: a batch, whose claim is renewed only when less than half its life is left;
    without it, the claim of one digest, renewed just before it goes. The digests the server accepted are
    marked sent together at the end (also when the batch stops early); those never tried are released (rows
    another sender took meanwhile carry its token, and are not touched)."""
    if claim is None:
        return 0
    digests = digests_of(claim)
    sent, tried = [], 0
    try:
        for digest in digests:
            if not run.has_room():
                break
            tried += 1
            part = claim.only(recipient_id=digest.recipient_id, message_id=digest.message_id)
            if not digest.email:
                part.give_up(reason=_("The recipient has no e-mail address."), now=run.started)
                result.digests_failed += 1
                continue
            delivered = run.deliver(part, writer.message(digest), held=held)
            if delivered is None:  # the claim lapsed before it went: free again, for whoever takes it now
                tried -= 1
                break
            if delivered:
                sent.append(digest)
            else:
                result.digests_failed += 1
    finally:
        if sent:
            marked = claim.only(recipient_id__in=[digest.recipient_id for digest in sent]).mark_sent(run.now())
            result.digests_sent += len(sent)
            result.alerts_sent += sum(digest.alerts for digest in sent)
            if marked < sum(digest.alerts for digest in sent):
                logger.warning("%d digests were sent, but another sender holds some of their alerts", len(sent))
        if tried < len(digests):
            claim.release_untried()
    return tried
