"""The navigation bar: the sections a user's role may open, and how many clocks need their attention.

Project-level because it reads every app; an app adds its section here when it lands (no empty placeholders).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contactcenter.deadlines.selectors import attention_for
from dashboard.selectors import sees_dashboard

# (label, url name, permission or test of the user that shows it, whether it carries the attention counter)
SECTIONS = [
    (_("Needs attention"), "alerts:attention", "deadlines.view_deadline", True),
    (_("My callbacks"), "callbacks:mine", "callbacks.change_callback", False),
    (_("Callbacks"), "callbacks:list", "callbacks.view_callback", False),
    (_("Complaints"), "complaints:list", "complaints.view_complaint", False),
    (_("Escalations"), "escalations:list", "escalations.view_escalation", False),
    (_("Customers"), "directory:customer-list", "directory.view_customer", False),
    (_("Branches"), "directory:branch-list", "directory.view_branch", False),
    (_("Reports"), "dashboard:reports", sees_dashboard, False),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, url_name, permission, counts_attention in SECTIONS:
        if permission(user) if callable(permission) else user.has_perm(permission):
            items.append(
                {
                    "label": label,
                    "url": reverse(url_name),
                    "active": False,
                    "counter": attention_for(user).count() if counts_attention else None,
                }
            )
    # The section whose address is the longest start of the page's (/callbacks/mine/ over /callbacks/).
    current = max(
        (item for item in items if request.path.startswith(item["url"])), key=lambda i: len(i["url"]), default=None
    )
    if current:
        current["active"] = True
    return {"nav_sections": items}
