"""What an API client may do: its scopes, and the permission each one stands for in the services."""

from django.utils.translation import gettext_lazy as _

CALLBACKS_WRITE = "callbacks:write"
COMPLAINTS_WRITE = "complaints:write"
ESCALATIONS_WRITE = "escalations:write"
CASES_READ = "cases:read"
EVENTS_SUBSCRIBE = "events:subscribe"

SCOPES = {
    CALLBACKS_WRITE: _("create callbacks"),
    COMPLAINTS_WRITE: _("create complaints"),
    ESCALATIONS_WRITE: _("create escalations"),
    CASES_READ: _("read case status and a customer's open cases"),
    EVENTS_SUBSCRIBE: _("subscribe to events"),
}
CHOICES = list(SCOPES.items())

# The model permission a service may ask of the client's account (``user.has_perm``), by scope.
PERMISSIONS = {
    CALLBACKS_WRITE: ("callbacks.add_callback",),
    COMPLAINTS_WRITE: ("complaints.add_complaint",),
    ESCALATIONS_WRITE: ("escalations.add_escalation",),
}
