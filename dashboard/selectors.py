"""What the supervisor's home page reads: each figure is one aggregate query, whatever the number of rows."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from callbacks.models import CLOCK_KIND as CALLBACK_CLOCK
from callbacks.models import Callback
from complaints.models import FORWARDING_CLOCK, Complaint
from contactcenter.alerts.models import Alert, OutboundEmail
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.selectors import attention_for
from contactcenter.directory import roles
from escalations.models import Escalation

DASHBOARD_ROLES = (
    roles.SUPERVISOR,
    roles.HEAD_OF_DEPARTMENT,
    roles.BRANCH_MANAGER,
    roles.DEPUTY_DIRECTOR,
    roles.ADMINISTRATOR,
)

# (key, label, model) of each kind of case, in the order the page shows them.
CASE_TYPES = (
    ("callbacks", _("Callbacks"), Callback),
    ("complaints", _("Complaints"), Complaint),
    ("escalations", _("Escalations"), Escalation),
)

QUEUE_LENGTH = 20


def sees_dashboard(user) -> bool:
    return user.is_authenticated and user.has_role(*DASHBOARD_ROLES)


def _case_type_keys() -> dict[int, str]:
    # ContentType's cache answers this after the first request of the process.
    return {ContentType.objects.get_for_model(model).pk: key for key, _label, model in CASE_TYPES}


def case_counters(user) -> list[dict]:
    """Per kind of case in the user's branches: clocks due soon and overdue, cases nobody has taken,
    alerts and e-mails that could not be delivered."""
    keys = _case_type_keys()
    clocks = (
        Deadline.objects.for_user(user)
        .needing_attention()
        .filter(content_type__in=list(keys))
        .order_by()
        .values("content_type")
        .annotate(
            due_soon=Count("pk", filter=Q(state=Deadline.State.DUE_SOON)),
            overdue=Count("pk", filter=Q(state=Deadline.State.OVERDUE)),
        )
    )
    failed = (
        Alert.objects.failed()
        .filter(deadline__in=Deadline.objects.for_user(user), deadline__content_type__in=list(keys))
        .order_by()
        .values("deadline__content_type")
        .annotate(count=Count("pk"))
    )
    counters = {
        key: {"key": key, "label": label, "due_soon": 0, "overdue": 0, "unassigned": 0, "failed": 0}
        for key, label, _model in CASE_TYPES
    }
    for row in clocks:
        counters[keys[row["content_type"]]].update(due_soon=row["due_soon"], overdue=row["overdue"])
    for row in failed:
        counters[keys[row["deadline__content_type"]]]["failed"] += row["count"]
    counters["complaints"]["failed"] += (
        OutboundEmail.objects.failed()
        .filter(
            content_type=ContentType.objects.get_for_model(Complaint),
            object_id__in=Complaint.objects.for_user(user).values("pk"),
        )
        .count()
    )
    counters["callbacks"]["unassigned"] = Callback.objects.for_user(user).in_queue().count()
    counters["complaints"]["unassigned"] = Complaint.objects.for_user(user).open().filter(assigned_to=None).count()
    counters["escalations"]["unassigned"] = (
        Escalation.objects.for_user(user).filter(status=Escalation.Status.OPEN).count()
    )
    return list(counters.values())


def attention_queue(user, limit: int = QUEUE_LENGTH) -> list[Deadline]:
    """What needs attention (``deadlines.selectors.attention_for``: due soon or overdue, waiting at once, a new
    moment the customer has still to be told: ``untold_notice``, with ``told_due_at``, the moment they were
    given), the same clocks the header counts, most urgent first, each with what the page needs to offer its
    one-click action (``case_type``, ``action``, ``may_record_told``)."""
    keys = _case_type_keys()
    clocks = list(
        # The dashboard's readers see all of their branches' clocks (``attention_for`` narrows only an operator's).
        attention_for(user)
        .select_related("branch", "owner", "content_type")
        .with_untold_notice()
        .annotate(
            escalation_status=Subquery(Escalation.objects.filter(pk=OuterRef("object_id")).values("status")[:1]),
        )
        .order_by("due_at", "pk")[:limit]
    )
    for clock in clocks:
        clock.case_type = keys.get(clock.content_type_id, "")
        clock.action = _action(clock)
        clock.may_record_told = clock.untold_notice is not None and user.has_perm(
            f"{clock.content_type.app_label}.change_{clock.content_type.model}"
        )
    return clocks


def _action(clock) -> str:
    if clock.case_type == "callbacks" and clock.kind == CALLBACK_CLOCK and clock.owner_id is None:
        return "take"
    if clock.case_type == "complaints" and clock.kind == FORWARDING_CLOCK:
        return "forward"
    if clock.case_type == "escalations" and clock.escalation_status == Escalation.Status.OPEN:
        return "acknowledge"
    if clock.untold_notice is not None:
        return "tell"
    return ""


def team_load(user) -> list[dict]:
    """Open clocks and overdue clocks per person who owns them, in the user's branches, busiest first."""
    return list(
        Deadline.objects.for_user(user)
        .open()
        .exclude(owner=None)
        .order_by()
        .values("owner", "owner__username", "owner__first_name", "owner__last_name")
        .annotate(
            open_count=Count("pk"),
            overdue_count=Count("pk", filter=Q(state=Deadline.State.OVERDUE)),
        )
        .order_by("-overdue_count", "-open_count", "owner__username")
    )
