"""Reads of callbacks shared by the pages, the export and the customer's story."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.audit.models import AuditEntry
from contactcenter.calendars.calling_hours import CallingHours
from contactcenter.deadlines.models import Deadline
from contactcenter.directory.history import CustomerHistorySection, new_case_action
from contactcenter.directory.models import Branch

from .models import CLOCK_KIND, Callback, ContactAttempt


def with_clock_state(callbacks):
    """Each callback with the state of its open clock (on track, due soon, overdue) and its pause, if it is
    paused, in the same query."""
    clocks = Deadline.objects.open().filter(
        content_type=ContentType.objects.get_for_model(Callback), object_id=OuterRef("pk"), kind=CLOCK_KIND
    )
    return callbacks.annotate(
        clock_state=Subquery(clocks.values("state")[:1]),
        clock_paused_at=Subquery(clocks.values("paused_at")[:1]),
        clock_pause_reason=Subquery(clocks.values("pause_reason")[:1]),
    )


def _customer_zone():
    """A callback's customer's zone: theirs, or their branch's (``calling_hours.customer_zone``), in SQL."""
    return Coalesce(NullIf(F("customer__time_zone"), Value("")), F("branch__time_zone"))


def _zones_waiting(callbacks) -> list[tuple[Branch, str]]:
    """The (branch, customer's zone) pairs among ``callbacks``: a handful (the branches times the zones their
    customers live in), read in one query, plus one for the branches' calling hours."""
    zoned = callbacks.annotate(customer_zone=_customer_zone())
    pairs = list(zoned.order_by().values_list("branch_id", "customer_zone").distinct())
    branches = Branch.objects.in_bulk({branch_id for branch_id, _zone in pairs})
    return [(branches[branch_id], zone) for branch_id, zone in pairs]


def callable_now(callbacks, *, now: datetime):
    """The callbacks whose customer may be called at ``now``: in the database, by the pairs (branch, customer's
    zone) inside that branch's calling hours at ``now``, whichever the database (SQLite has no time zones)."""
    allowed = Q(pk__in=[])
    for branch, zone in _zones_waiting(callbacks):
        if CallingHours.of(branch).within(now, ZoneInfo(zone)):
            allowed |= Q(branch_id=branch.pk, customer_zone=zone)
    return callbacks.alias(customer_zone=_customer_zone()).filter(allowed)


def queue_callable_now(user, *, now: datetime):
    """The callbacks waiting in ``user``'s branches' queue whose customer may be called at ``now``: what "Take
    next" offers, and what its button counts."""
    return callable_now(Callback.objects.for_user(user).in_queue(), now=now)


def next_callable_at(callbacks, *, now: datetime) -> datetime | None:
    """When the first of ``callbacks`` whose customers are all outside their calling hours may be called."""
    moments = [CallingHours.of(branch).earliest(now, ZoneInfo(zone)) for branch, zone in _zones_waiting(callbacks)]
    return min(moments, default=None)


def callbacks_for_list(user):
    return with_clock_state(
        Callback.objects.for_user(user).select_related("customer", "branch", "reason", "assigned_to")
    )


def callbacks_found(user, *, numbers=(), customer_ids=()):
    """The callbacks the header search finds: by number (``#17``), or of the customers it found
    (``customer_ids``), newest first; none for a user who may not see callbacks."""
    if not user.has_perm("callbacks.view_callback"):
        return Callback.objects.none()
    condition = Q(pk__in=numbers)
    if customer_ids:
        condition |= Q(customer_id__in=customer_ids)
    return Callback.objects.for_user(user).filter(condition).select_related("customer", "branch").order_by("-pk")


def my_open_callbacks(user):
    return callbacks_for_list(user).open().filter(assigned_to=user).most_urgent_first()


def callbacks_of_customer(customer, user):
    """The customer's callbacks with their attempts, newest first (for the customer's page)."""
    attempts = Prefetch("attempts", queryset=ContactAttempt.objects.select_related("by"))
    return (
        Callback.objects.for_user(user)
        .filter(customer=customer)
        .select_related("customer", "reason", "assigned_to", "branch")
        .prefetch_related(attempts)
        .order_by("-created_at")
    )


def callbacks_section(customer, user) -> CustomerHistorySection | None:
    """The customer's callbacks on their page (a ``directory.history`` provider)."""
    if not user.has_perm("callbacks.view_callback"):
        return None
    return CustomerHistorySection(
        title=_("Callbacks"),
        template="callbacks/customer_section.html",
        context={"callbacks": callbacks_of_customer(customer, user)},
        actions=[new_case_action(_("New callback"), "callbacks:create", customer)]
        if user.has_perm("callbacks.add_callback")
        else [],
    )


def callbacks_closed_today(user, *, tz: ZoneInfo):
    """The callbacks ``user`` closed since midnight in ``tz``, newest first. Closed by them means: solved or
    ended unreachable by their attempt (the attempt logged at the moment of closing), or cancelled by them
    (the audit entry of the cancelling)."""
    start = datetime.combine(timezone.now().astimezone(tz).date(), time(), tzinfo=tz)
    closing_attempt = ContactAttempt.objects.filter(callback=OuterRef("pk"), by=user, at=OuterRef("closed_at"))
    cancelling = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Callback),
        object_id=OuterRef("pk"),
        action="callback.cancelled",
        actor=user,
    )
    closed_by_user = Q(status__in=[Callback.Status.SOLVED, Callback.Status.UNREACHABLE], closed_by_attempt=True) | Q(
        status=Callback.Status.CANCELLED, cancelled_by_user=True
    )
    return (
        Callback.objects.for_user(user)
        .filter(closed_at__gte=start, closed_at__lt=start + timedelta(days=1))
        .alias(closed_by_attempt=Exists(closing_attempt), cancelled_by_user=Exists(cancelling))
        .filter(closed_by_user)
        .select_related("customer", "reason", "branch")
        .order_by("-closed_at", "-pk")
    )


def urgent_untaken_clocks(user) -> Q:
    """Connected to ``deadlines.selectors.attention_at_once``: an urgent callback nobody has taken from the
    branch queue needs someone at once, not only once due soon."""
    return Q(
        content_type=ContentType.objects.get_for_model(Callback),
        kind=CLOCK_KIND,
        owner=None,
        object_id__in=Callback.objects.for_user(user).in_queue().filter(priority=Callback.Priority.URGENT).values("pk"),
    )
