"""Reads of escalations shared by the pages, the exports, the customer's story and the linked cases.

Who sees what, in one place (``visible_escalations``): supervisors, heads of department, branch managers,
deputy directors and administrators see every escalation of their branches; operators the ones they opened;
security the ones that reached security.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, FloatField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from contactcenter.deadlines.models import Deadline
from contactcenter.directory import roles
from contactcenter.directory.models import Branch
from contactcenter.typed_dates import check_period

from .models import CLOCK_KINDS, Escalation, EscalationKind, TransferAttempt

# Roles that see every escalation of their branches.
SEE_ALL_OF_BRANCH = frozenset(
    {roles.SUPERVISOR, roles.HEAD_OF_DEPARTMENT, roles.BRANCH_MANAGER, roles.DEPUTY_DIRECTOR, roles.ADMINISTRATOR}
)


def visible_escalations(user):
    escalations = Escalation.objects.for_user(user)
    if not user.is_authenticated:
        return escalations
    if user.is_superuser or user.role_names & SEE_ALL_OF_BRANCH:
        return escalations
    condition = Q(pk__in=[])
    if roles.OPERATOR in user.role_names:
        condition |= Q(opened_by=user)
    if roles.SECURITY in user.role_names:
        condition |= Q(reached_security_at__isnull=False)
    return escalations.filter(condition)


def with_clock_state(escalations):
    """Each escalation with the state of its open clock (on track, due soon, overdue), in the same query."""
    open_clocks = Deadline.objects.open().filter(
        content_type=ContentType.objects.get_for_model(Escalation),
        object_id=OuterRef("pk"),
        kind__in=list(CLOCK_KINDS.values()),
    )
    return escalations.annotate(clock_state=Subquery(open_clocks.values("state")[:1]))


def escalations_for_list(user):
    return with_clock_state(
        visible_escalations(user).select_related("customer", "branch", "kind", "opened_by", "acknowledged_by")
    )


def escalations_found(user, *, numbers=(), customer_ids=()):
    """The escalations the header search finds: by number (``#17``), or of the customers it found
    (``customer_ids``), newest first; only those the user may see."""
    if not user.has_perm("escalations.view_escalation"):
        return Escalation.objects.none()
    condition = Q(pk__in=numbers)
    if customer_ids:
        condition |= Q(customer_id__in=customer_ids)
    return visible_escalations(user).filter(condition).select_related("customer", "branch", "kind").order_by("-pk")


def escalations_of_customer(customer, user):
    """The customer's escalations, newest first (for the customer's page)."""
    return (
        visible_escalations(user)
        .filter(customer=customer)
        .select_related(
            "customer", "kind", "branch", "opened_by", "callback__customer", "complaint", "resulting_complaint"
        )
        .order_by("-opened_at", "-pk")
    )


def escalations_of_case(case, user):
    """The escalations opened from a callback or a complaint, and the ones that became this complaint."""
    from callbacks.models import Callback

    condition = Q(callback=case) if isinstance(case, Callback) else Q(complaint=case) | Q(resulting_complaint=case)
    return (
        visible_escalations(user)
        .filter(condition)
        .select_related("kind", "branch", "opened_by", "customer")
        .order_by("-opened_at", "-pk")
    )


def transfers_of(escalation):
    return TransferAttempt.objects.filter(escalation=escalation).select_related("by", "to_user")


def handlers_of(branch):
    """Whom an operator may put a caller through to: the branch's supervisors, heads of department and managers."""
    return get_user_model().objects.holding(*roles.SENIOR_STAFF, branch=branch).by_name()


# --- quality control ----------------------------------------------------------------------------------


@dataclass
class QualityFigures:
    kinds: list[EscalationKind]
    rows: list  # users, annotated: opened, opened_<kind pk>, turned_into_complaint, about
    start: datetime
    end: datetime
    time_zone: str


def quality_figures(*, user, date_from: date, date_to: date, branch: Branch | None = None) -> QualityFigures:
    """Per operator, in the period (both days included) and the user's branches (or one of them): how many
    escalations they opened, of which kinds, how many became complaints, how many complaints were about
    them, and the customers' average rating of the cases they concluded (answered in the period). Operators of
    those branches show even with nothing to count. One query, counted in the database."""
    check_period(date_from, date_to)
    branches = Branch.objects.for_user(user)
    if branch is not None:
        branches = branches.filter(pk=branch.pk)
    tz = branches.shared_time_zone()
    start = datetime.combine(date_from, time(), tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=1), time(), tzinfo=tz)
    in_scope = Escalation.objects.filter(branch__in=branches.values("pk"), opened_at__gte=start, opened_at__lt=end)
    opened = Q(
        escalations_opened__branch__in=branches.values("pk"),
        escalations_opened__opened_at__gte=start,
        escalations_opened__opened_at__lt=end,
    )
    kinds = list(EscalationKind.objects.order_by("position", "label"))
    about = (
        in_scope.filter(about_operator=OuterRef("pk"))
        .order_by()
        .values("about_operator")
        .annotate(count=Count("pk"))
        .values("count")[:1]
    )
    operators = get_user_model().objects.holding(roles.OPERATOR, branch=branches)
    people = get_user_model().objects.filter(
        Q(pk__in=operators.values("pk"))
        | Q(pk__in=in_scope.values("opened_by"))
        | Q(pk__in=in_scope.filter(about_operator__isnull=False).values("about_operator"))
    )
    # The customers' ratings of the operator's concluded cases (the feedback app, above this one: by name).
    rated = (
        apps.get_model("feedback", "Questionnaire")
        .objects.filter(
            operator=OuterRef("pk"), branch__in=branches.values("pk"), answered_at__gte=start, answered_at__lt=end
        )
        .order_by()
        .values("operator")
    )
    rows = people.annotate(
        rating_count=Coalesce(Subquery(rated.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0),
        rating_average=Subquery(rated.annotate(average=Avg("rating")).values("average")[:1], output_field=FloatField()),
        opened=Count("escalations_opened", filter=opened),
        turned_into_complaint=Count(
            "escalations_opened", filter=opened & Q(escalations_opened__outcome=Escalation.Outcome.COMPLAINT)
        ),
        about=Coalesce(Subquery(about, output_field=IntegerField()), Value(0)),
        **{
            f"kind_{kind.pk}": Count("escalations_opened", filter=opened & Q(escalations_opened__kind=kind.pk))
            for kind in kinds
        },
    ).order_by("last_name", "first_name", "username")
    rows = list(rows)
    for row in rows:
        row.by_kind = [getattr(row, f"kind_{kind.pk}") for kind in kinds]
        row.kinds_counted = list(zip(kinds, row.by_kind, strict=True))  # each count beside its kind, for a phone
        row.rating_average = round(row.rating_average, 2) if row.rating_average is not None else None
    return QualityFigures(kinds=kinds, rows=rows, start=start, end=end, time_zone=str(tz))


def unacknowledged_clocks(user) -> Q:
    """Connected to ``deadlines.selectors.attention_at_once``: an escalation nobody has acknowledged yet needs
    someone at once, not only once due soon."""
    return Q(
        content_type=ContentType.objects.get_for_model(Escalation),
        kind__in=list(CLOCK_KINDS.values()),
        object_id__in=Escalation.objects.for_user(user).filter(status=Escalation.Status.OPEN).values("pk"),
    )
