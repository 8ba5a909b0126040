from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import tokens
from .models import ApiClient

# When this process last noted the use of each client (its token lookup → moment).
_noted: dict[str, datetime] = {}


class ApiClientAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer cc_<lookup>.<secret>``: ``request.user`` is the client's account and
    ``request.auth`` the client."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _space, token = header.partition(" ")
        if keyword != self.keyword:
            return None
        parts = tokens.split(token.strip())
        if parts is None:
            raise exceptions.AuthenticationFailed(_("The token is malformed."))
        lookup, secret = parts
        client = ApiClient.objects.authenticating(lookup)
        if client is None or not tokens.matches(secret, client.token_hash):
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        now = timezone.now()
        if client.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The token has been revoked."))
        if client.expires_at is not None and client.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        # At most one write a minute per client and process: a busy IVR must not turn every request into an UPDATE.
        # The client comes from the reference cache, which that write does not end, so the moment this process
        # last noted is kept beside it.
        last_used = max(filter(None, (client.last_used_at, _noted.get(client.token_lookup))), default=None)
        if last_used is None or (now - last_used).total_seconds() > 60:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            _noted[client.token_lookup] = now
        # The account is the same object the backend reads the client from, without another query.
        client.account.api_client = client
        return client.account, client

    def authenticate_header(self, request):
        return self.keyword


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiClientAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "cc_<lookup>.<secret>"}
