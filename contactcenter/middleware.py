"""Requests refused before any view sees them."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

NUL = "\x00"


def _holds_nul(pairs) -> bool:
    return any(NUL in key or NUL in value for key, value in pairs)


def _query_pairs(query_dict):
    return ((key, value) for key, values in query_dict.lists() for value in values)


class RefuseNulMiddleware:
    """A NUL character in the path, a query or form field (name or value) or a cookie answers 400.

    No person types one, and PostgreSQL refuses it in any text it is given, so a search, a filter or a
    URL that reached the database with one would answer 500. Uploaded files are not looked at: their
    bytes are the file's business, and Django already takes NULs out of their names.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._holds_nul(request):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request) -> bool:
        return (
            NUL in request.path
            or _holds_nul(_query_pairs(request.GET))
            or _holds_nul(request.COOKIES.items())
            or (request.method == "POST" and _holds_nul(_query_pairs(request.POST)))
        )
