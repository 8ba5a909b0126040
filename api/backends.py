"""The permissions of an API client's account: those its scopes stand for, while its token is usable.

The account is inactive (it can never log in), so Django's ModelBackend grants it nothing; this backend
grants exactly ``scopes.PERMISSIONS`` of the client's scopes, so that a service which asks
``by.has_perm(...)`` answers for an API client as it does for a person.
"""

from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import ObjectDoesNotExist

from . import scopes


class ApiClientBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        return None

    def _client(self, user_obj):
        try:
            return user_obj.api_client
        except (AttributeError, ObjectDoesNotExist):
            return None

    def get_all_permissions(self, user_obj, obj=None):
        # A person (active) is never a client: no query is spent on them.
        if obj is not None or getattr(user_obj, "is_anonymous", True) or user_obj.is_active:
            return set()
        client = self._client(user_obj)
        if client is None or not client.is_usable():
            return set()
        return {perm for scope in client.scopes for perm in scopes.PERMISSIONS.get(scope, ())}

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)
