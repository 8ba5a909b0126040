"""The "promises kept" report: how the clocks due in a period ended, grouped one way, counted in the database."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.deadlines.models import ClockPolicy, Deadline

GROUPINGS = {
    "kind": _("kind of clock"),
    "branch": _("branch"),
    "owner": _("owner"),
    "week": _("week"),
}

OUTCOMES = (
    ("met_on_time", _("met on time")),
    ("met_late", _("met late")),
    ("open_overdue", _("open and overdue")),
    ("open_on_track", _("open, not yet due")),
)


@dataclass
class PromiseRow:
    label: str
    total: int
    met_on_time: int
    met_late: int
    open_overdue: int
    open_on_track: int

    def share(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def shares(self) -> dict[str, float]:
        return {key: self.share(getattr(self, key)) for key, _label in OUTCOMES}


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def promises_kept(user, *, date_from: date, date_to: date, branch=None, group_by: str = "kind") -> list[PromiseRow]:
    """Clocks of the user's branches due from ``date_from`` to ``date_to`` (both included), cancelled ones left
    out, grouped by ``group_by``: one aggregate query (and one for the kinds' names)."""
    clocks = (
        Deadline.objects.for_user(user)
        .exclude(state=Deadline.State.CANCELLED)
        .filter(due_at__gte=_start_of(date_from), due_at__lt=_start_of(date_to + timedelta(days=1)))
    )
    if branch is not None:
        clocks = clocks.filter(branch=branch)
    group_fields = {
        "kind": ["kind"],
        "branch": ["branch__code"],
        "owner": ["owner__username", "owner__first_name", "owner__last_name"],
        "week": ["week"],
    }[group_by]
    if group_by == "week":
        clocks = clocks.annotate(week=TruncWeek("due_at"))
    now = timezone.now()
    rows = (
        clocks.order_by()
        .values(*group_fields)
        .annotate(
            total=Count("pk"),
            met_on_time=Count("pk", filter=Q(state=Deadline.State.MET, met_late=False)),
            met_late=Count("pk", filter=Q(state=Deadline.State.MET, met_late=True)),
            open_overdue=Count(
                "pk", filter=Q(state__in=Deadline.OPEN_STATES) & (Q(state=Deadline.State.OVERDUE) | Q(due_at__lt=now))
            ),
        )
        .annotate(open_on_track=F("total") - F("met_on_time") - F("met_late") - F("open_overdue"))
        .order_by(*group_fields)
    )
    labels = dict(ClockPolicy.objects.values_list("kind", "label")) if group_by == "kind" else {}
    return [
        PromiseRow(
            label=_label(group_by, row, labels),
            total=row["total"],
            met_on_time=row["met_on_time"],
            met_late=row["met_late"],
            open_overdue=row["open_overdue"],
            open_on_track=row["open_on_track"],
        )
        for row in rows
    ]


def _label(group_by: str, row: dict, labels: dict) -> str:
    if group_by == "kind":
        return str(labels.get(row["kind"], row["kind"]))
    if group_by == "branch":
        return row["branch__code"]
    if group_by == "owner":
        if row["owner__username"] is None:
            return str(_("nobody (queue)"))
        name = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
        return name or row["owner__username"]
    return row["week"].date().isoformat() if isinstance(row["week"], datetime) else str(row["week"])
