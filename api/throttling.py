from rest_framework.throttling import SimpleRateThrottle

from .models import ApiClient


class ClientRateThrottle(SimpleRateThrottle):
    """``ApiClient.requests_per_minute`` per client, counted in Django's default cache."""

    scope = "api_client"

    def get_rate(self):
        return None  # set per client in allow_request

    def allow_request(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return True
        self.rate = f"{client.requests_per_minute}/m"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
