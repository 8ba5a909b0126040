from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from .models import ApiClient


class HasScope(BasePermission):
    """The view's ``required_scope`` is among the client's scopes."""

    def has_permission(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return False
        scope = getattr(view, "required_scope", None)
        if scope is None or not client.may(scope):
            self.message = _("This client may not do this (it needs the scope “%(scope)s”).") % {"scope": scope}
            return False
        return True
