"""``ApiClient.requests_per_minute`` per client and minute of the clock, counted in Django's default cache.

One counter a client and minute, instead of DRF's list of every request's moment (``SimpleRateThrottle``): the
cache keeps one small integer per client whatever the rate, where the list grew with it (at the default 600 a
minute, 600 moments read, unpickled, pickled and written back on every request). A client has at most
``requests_per_minute`` answers in each minute of the clock (hh:mm:00 to hh:mm:59); the one over is a 429 whose
``Retry-After`` is the rest of that minute.
"""

import math
import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from .models import ApiClient

WINDOW_SECONDS = 60


class ClientRateThrottle(BaseThrottle):
    def allow_request(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return True
        window, into = divmod(time.time(), WINDOW_SECONDS)
        key = f"throttle_api_client_{client.pk}_{int(window)}"
        # add() then incr(): each atomic on a shared cache (Redis), so that two processes never lose a count.
        cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, count := 1, timeout=WINDOW_SECONDS + 5)
        if count > client.requests_per_minute:
            self.wait_seconds = WINDOW_SECONDS - into
            return False
        return True

    def wait(self):
        return max(1, math.ceil(self.wait_seconds))
