"""The product's own 403, 404 and 500 pages (and the refused CSRF check): in the product's layout, with the
request id to quote to support, and nothing of the internals (no exception, path of code or setting)."""

import logging

from django.http import HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader

from contactcenter.request_id import current_request_id

logger = logging.getLogger(__name__)


def _request_id(request) -> str:
    return getattr(request, "request_id", None) or current_request_id.get() or ""


def permission_denied(request, exception=None):
    html = loader.render_to_string("errors/403.html", {"request_id": _request_id(request)}, request)
    return HttpResponseForbidden(html)


def page_not_found(request, exception=None):
    html = loader.render_to_string("errors/404.html", {"request_id": _request_id(request)}, request)
    return HttpResponseNotFound(html)


def csrf_failure(request, reason=""):
    logger.warning("CSRF check refused: %s", reason)
    html = loader.render_to_string(
        "errors/403.html", {"request_id": _request_id(request), "csrf_failed": True}, request
    )
    return HttpResponseForbidden(html)


def server_error(request):
    """Rendered without the request's context processors: whatever failed (the database) must not fail again."""
    html = loader.get_template("errors/500.html").render({"request_id": _request_id(request)})
    return HttpResponseServerError(html)
