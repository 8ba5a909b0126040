"""What a user must look at: the open clocks that need someone now, scoped to them."""

from functools import reduce
from operator import or_

from django.db.models import Q

from contactcenter.directory import roles
from contactcenter.hooks import Hook

from .models import Deadline, DueMoveNotice

# The clocks that need someone as soon as they open, not only once due soon (an escalation nobody acknowledged,
# an urgent callback nobody took): each case app's receiver returns a ``Q`` over ``Deadline`` for the user.
attention_at_once = Hook("deadlines.selectors.attention_at_once", arguments="user -> Q over Deadline")


def needs_attention(user) -> Q:
    """One definition of what needs attention, for the header's counter, "Needs attention" and the dashboard's
    queue alike: due soon or overdue, waiting at once (``attention_at_once``), or a moved moment the customer
    has still to be told."""
    conditions = [
        Q(state__in=Deadline.ATTENTION_STATES),
        Q(pk__in=DueMoveNotice.objects.untold().values("deadline")),
        *attention_at_once.send(user),
    ]
    return reduce(or_, conditions)


def attention_for(user):
    """The open clocks that need attention (``needs_attention``) in the user's branches. An operator sees the
    clocks they own (the branch queue is theirs through "Take next"); every other role sees all of their
    branches' clocks."""
    clocks = Deadline.objects.for_user(user).open().filter(needs_attention(user))
    if not user.is_superuser and user.role_names == {roles.OPERATOR}:
        clocks = clocks.filter(owner=user)
    return clocks


def untold_move_notices(case, user) -> list[DueMoveNotice]:
    """The moved moments of ``case`` its customer has still to be told, oldest first, each with
    ``may_record``: whether ``user`` may record that the customer was told (``services.customer_told_of_move``
    checks it again)."""
    notices = list(
        DueMoveNotice.objects.untold()
        .filter(deadline__in=Deadline.objects.for_case(case).open())
        .select_related("deadline__branch", "deadline__content_type")
    )
    for notice in notices:
        notice.may_record = user.has_perm(notice.change_permission)
    return notices


def first_told_due_at(clock: Deadline | None):
    """The moment the customer was first given for ``clock`` when it has moved since (None otherwise): the
    acknowledgement shows it beside the moment now."""
    if clock is None:
        return None
    first = clock.move_notices.order_by("moved_at", "pk").values_list("told_due_at", flat=True).first()
    return first if first is not None and first != clock.due_at else None
