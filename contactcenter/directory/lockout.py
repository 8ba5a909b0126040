"""Who is locked out after failed logins (django-axes): the pair (username, address), and the username alone
after many more failures from anywhere.

Five wrong passwords lock that username *from that address* only, so somebody elsewhere who knows a
supervisor's login cannot keep them out of their work; ``AXES_USERNAME_FAILURE_LIMIT`` failures from any
addresses lock the username everywhere, so guessing one account's password from many addresses still stops.
A successful login forgives its own address's failures, not the others' (the guesses count on). A completed
password reset and a password set by an administrator clear every failure of the user (``clear_lockout``).

The address is the client's, not a proxy's: behind a TLS-terminating load balancer every request comes from
the balancer, and the pair would be the username alone again. ``login_address`` reads ``X-Forwarded-For`` only
when the request comes from one of ``TRUSTED_PROXIES``, and then takes the last address there that is not one
of them (the one the proxy saw; whatever a client writes before it could be forged).
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return address is not None and any(
        address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def login_address(request) -> str | None:
    """The address a login came from (``AXES_CLIENT_IP_CALLABLE``): ``REMOTE_ADDR``, or behind one of
    ``TRUSTED_PROXIES`` the last address in ``X-Forwarded-For`` that none of them holds."""
    remote = request.META.get("REMOTE_ADDR")
    if not _trusted(_address(remote or "")):
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            return remote  # a malformed chain: nothing in it can be believed
        if not _trusted(address):
            return str(address)
    return remote


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
