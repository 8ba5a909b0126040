"""Who is locked out after failed logins (django-axes): the pair (username, address), and the username alone
after many more failures from anywhere.

Five wrong passwords lock that username *from that address* only, so somebody elsewhere who knows a
supervisor's login cannot keep them out of their work; ``AXES_USERNAME_FAILURE_LIMIT`` failures from any
addresses lock the username everywhere, so guessing one account's password from many addresses still stops.
A successful login forgives its own address's failures, not the others' (the guesses count on). A completed
password reset and a password set by an administrator clear every failure of the user (``clear_lockout``).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PairThenUsernameHandler(AxesDatabaseHandler):
    """Reads ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]``: the pair first, then the
    username."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The pair's failures, or at least the lockout limit once the username's own limit is reached: axes
        compares this one number with ``AXES_FAILURE_LIMIT`` wherever it decides on a lockout."""
        by_pair, by_username = (_failures(attempts) for attempts in self.get_user_attempts(request, credentials))
        if get_client_username(request, credentials) and by_username >= settings.AXES_USERNAME_FAILURE_LIMIT:
            return max(by_pair, get_failure_limit(request, credentials))
        return by_pair

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful login: only this address's failures are forgiven."""
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair_attempts.delete()
        return count


def clear_lockout(user) -> int:
    """Forget every failed login of ``user`` (any address): the lockouts they caused end at once."""
    count, _ = AccessAttempt.objects.filter(username=user.get_username()).delete()
    return count
