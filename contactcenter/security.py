"""Response headers that protect the pages: a Content-Security-Policy on every HTML page (no inline script or
style runs: every script and style is a file under ``static/``), and ``Cache-Control: no-store`` on every
answer to a signed-in person, so that a shared browser's cache or a proxy never keeps a customer's data."""

from django.conf import settings
from django.utils.cache import patch_cache_control


def content_security_policy() -> str:
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in settings.CONTENT_SECURITY_POLICY)


class SecurityHeadersMiddleware:
    """After the login is known (``AuthenticationMiddleware``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", self.policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
