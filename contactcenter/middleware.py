"""Requests refused before any view sees them."""

from django.http import HttpResponseBadRequest, JsonResponse
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
            if request.path.startswith("/api/"):
                # The API answers every error as RFC 9457 problem details (api/problems.py), this one too.
                return JsonResponse(
                    {
                        "type": "urn:contactcenter:problem:invalid",
                        "title": "Bad Request",
                        "status": 400,
                        "detail": _("The request contains a NUL character, which is not allowed."),
                    },
                    status=400,
                    content_type="application/problem+json",
                )
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


class UserLanguageMiddleware:
    """A logged-in person reads the product in the language saved on their profile (the one their e-mails are
    written in), whatever the browser asks for; the browser's language is only the default before login.

    After ``LocaleMiddleware`` (which chose from the cookie or the browser) and the authentication. The
    language cookie follows the profile, so the login page after a logout keeps speaking it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language not in dict(settings.LANGUAGES):
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


READING_ZONE_KEY = "reading_zone"


def remember_reading_zone(sender, request, user, **kwargs):
    """Connected to ``user_logged_in``: the reader's zone is kept in the session, so that an admin page (every one
    writes the present moment) costs no query for it. A change of the person's branches shows at their next
    login."""
    if request is not None and hasattr(request, "session"):
        request.session[READING_ZONE_KEY] = str(user.reading_zone())


class AdminReaderZoneMiddleware:
    """The admin shows and reads moments in the reader's zone: that of the branches they work in when these share
    one (``User.reading_zone``, kept in the session at login), UTC otherwise, named above its lists and forms so
    that it is never a bare UTC.

    Only for the admin: the product's pages name the zone of each moment themselves (the case's branch's), and
    their forms read typed moments in it. After the authentication.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import zoneinfo

        from django.urls import reverse
        from django.utils import timezone

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not request.path.startswith(reverse("admin:index")):
            return self.get_response(request)
        name = request.session.get(READING_ZONE_KEY)
        if not name:
            name = request.session[READING_ZONE_KEY] = str(user.reading_zone())
        with timezone.override(zoneinfo.ZoneInfo(name)):
            return self.get_response(request)
