"""What a user must look at: the open clocks that are due soon or overdue, scoped to them."""

from django.db.models import Q

from contactcenter.directory import roles

from .models import Deadline


def attention_for(user):
    """An operator sees the clocks they own and the unowned ones of their branches (the queue); every
    other role sees all of their branches' clocks."""
    clocks = Deadline.objects.for_user(user).needing_attention()
    if not user.is_superuser and user.role_names == {roles.OPERATOR}:
        clocks = clocks.filter(Q(owner=user) | Q(owner__isnull=True))
    return clocks
