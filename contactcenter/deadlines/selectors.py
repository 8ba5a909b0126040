"""What a user must look at: the open clocks that are due soon or overdue, scoped to them."""

from contactcenter.directory import roles

from .models import Deadline


def attention_for(user):
    """An operator sees the clocks they own (the branch queue is theirs through "Take next"); every other
    role sees all of their branches' clocks."""
    clocks = Deadline.objects.for_user(user).needing_attention()
    if not user.is_superuser and user.role_names == {roles.OPERATOR}:
        clocks = clocks.filter(owner=user)
    return clocks
