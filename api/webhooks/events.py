"""Events are written in the transaction of the change that causes them, as one ``WebhookEvent`` (its id, type,
moment and body) and one ``WebhookDelivery`` (an outbox row) per subscription that wants it: never lost if the
process dies after the commit, never written for a change that was rolled back.

Receivers of the case apps' hooks (connected in ``ApiConfig.ready``): a case registered or closed
(``case_events``), clocks flagged due soon or overdue by the scan (``clocks_flagged``: the first notice of each
round, not the reminders), a complaint's forwarding e-mail accepted by the mail server (``email_sent``).

Only subscriptions whose client may act for the case's branch get the event (``Audience``): read once and kept
while the subscriptions are unchanged (``contactcenter.reference_cache``), so the scan and the case services pay
one small query for webhooks, whether anybody subscribes or not.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint
from complaints.services.forwarding import PURPOSE as FORWARDING_PURPOSE
from contactcenter import reference_cache
from contactcenter.alerts.outbound import ask_a_worker_now
from contactcenter.deadlines.models import Deadline, Level

from ..models import ApiClient, EventType, WebhookDelivery, WebhookEvent, WebhookSubscription
from ..selectors import case_summary

TASK_NAME = "api.send_webhooks"

# The scan's levels that are events; "overdue for long" and the reminders are not.
CLOCK_EVENTS = {Level.DUE_SOON: EventType.CLOCK_DUE_SOON, Level.OVERDUE: EventType.CLOCK_OVERDUE}


def _subscribers() -> tuple[list[tuple[int, int, list[str], datetime | None]], dict[int, set[int]]]:
    """Every subscription not deleted of a client not revoked (its key, client, events and the client's expiry),
    and the branches of each such client: one query when nobody subscribes, two otherwise."""
    rows = list(
        WebhookSubscription.objects.filter(deleted_at=None, client__revoked_at=None).values_list(
            "pk", "client_id", "events", "client__expires_at"
        )
    )
    branches = defaultdict(set)
    if rows:
        through = ApiClient.branches.through.objects.filter(apiclient_id__in={row[1] for row in rows})
        for client_id, branch_id in through.values_list("apiclient_id", "branch_id"):
            branches[client_id].add(branch_id)
    return rows, dict(branches)


class Audience:
    """Who hears of events of ``types``: the active subscriptions to each, by the branches their client may act
    for, at ``now``. The subscriptions are kept in the process while no subscription, client or client's branch
    changed (``contactcenter.reference_cache``: one small query); a client's expiry is compared with ``now`` at
    each use, so a token that expires stops its events at that moment."""

    def __init__(self, types, now: datetime | None = None):
        now = now or timezone.now()
        self.by_type_and_branch: dict[tuple[str, int], list[int]] = defaultdict(list)
        rows, branches = reference_cache.cached(("webhook subscribers",), _subscribers)
        for pk, client_id, events, expires_at in rows:
            if expires_at is not None and expires_at <= now:
                continue
            for event_type in set(events) & set(types):
                for branch_id in branches.get(client_id, ()):
                    self.by_type_and_branch[event_type, branch_id].append(pk)

    def __bool__(self) -> bool:
        return bool(self.by_type_and_branch)

    def subscriptions(self, event_type: str, branch_id: int) -> list[int]:
        return self.by_type_and_branch.get((event_type, branch_id), [])


def payload_of(event: WebhookEvent, *, case: dict, clock: dict | None = None) -> dict:
    body = {
        "id": str(event.event_id),
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "case": case,
    }
    if clock is not None:
        body["clock"] = clock
    return _plain(body)


def _plain(value):
    """Moments as ISO 8601 with their offset, like every moment of the API."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _ask_a_worker() -> None:
    ask_a_worker_now(TASK_NAME, what="the webhooks")


def record_event(
    *,
    event_type: str,
    case,
    audience: Audience,
    occurred_at: datetime | None = None,
    clock: dict | None = None,
    ask_a_worker: bool = True,
) -> WebhookEvent | None:
    """Write the event about ``case`` and its deliveries, inside the caller's transaction; None if nobody wants it.
    Once the transaction commits a worker is asked to send at once (``ask_a_worker``: a batch asks once itself)."""
    subscriptions = audience.subscriptions(event_type, case.branch_id)
    if not subscriptions:
        return None
    event = WebhookEvent(type=event_type, occurred_at=occurred_at or timezone.now(), branch_id=case.branch_id)
    summary = case_summary(case)
    event.case_number = summary["number"]
    event.payload = payload_of(event, case=summary, clock=clock)
    event.save()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            event=event, subscription_id=pk, created_at=event.occurred_at, next_attempt_at=event.occurred_at
        )
        for pk in subscriptions
    )
    if ask_a_worker:
        transaction.on_commit(_ask_a_worker)
    return event


def case_opened(case) -> None:
    """Connected to ``case_events.case_opened``."""
    record_event(event_type=EventType.CASE_CREATED, case=case, audience=Audience([EventType.CASE_CREATED]))


def case_closed(case) -> None:
    """Connected to ``case_events.case_closed``."""
    record_event(event_type=EventType.CASE_CLOSED, case=case, audience=Audience([EventType.CASE_CLOSED]))


def complaint_forwarded(email) -> None:
    """Connected to ``alerts.outbound.email_sent``: a complaint's forwarding e-mail was accepted."""
    if email.purpose != FORWARDING_PURPOSE or not isinstance(email.origin, Complaint):
        return
    audience = Audience([EventType.COMPLAINT_FORWARDED])
    if audience:
        record_event(
            event_type=EventType.COMPLAINT_FORWARDED, case=email.origin, audience=audience, occurred_at=email.sent_at
        )


def clocks_flagged(transitions, now: datetime) -> int:
    """Connected to ``deadlines.scan.clocks_flagged``: the first notice of a clock due soon or overdue."""
    wanted = [t for t in transitions if t.level in CLOCK_EVENTS and t.reminder == 0]
    if not wanted:
        return 0
    audience = Audience(set(CLOCK_EVENTS.values()), now)
    wanted = [t for t in wanted if audience.subscriptions(CLOCK_EVENTS[t.level], t.branch_id)]
    if not wanted:
        return 0
    clocks = Deadline.objects.filter(pk__in={t.deadline_id for t in wanted}).prefetch_related("case")
    clocks = {clock.pk: clock for clock in clocks}
    written = 0
    for transition in wanted:
        clock = clocks[transition.deadline_id]
        if clock.case is None:
            continue
        event = record_event(
            event_type=CLOCK_EVENTS[transition.level],
            case=clock.case,
            audience=audience,
            occurred_at=now,
            clock={"kind": clock.kind, "level": transition.level, "due_at": clock.due_at},
            ask_a_worker=False,
        )
        written += event is not None
    if written:
        transaction.on_commit(_ask_a_worker)  # once for the scan, not once per event
    return written
