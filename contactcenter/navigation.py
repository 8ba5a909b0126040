"""The navigation bar: the sections a user's role may open, and how many clocks need their attention.

Project-level because it reads every app; an app adds its section here when it lands (no empty placeholders).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contactcenter.deadlines.selectors import attention_for

# (label, url name, permission that shows it, whether it carries the attention counter)
SECTIONS = [
    (_("Needs attention"), "alerts:attention", "deadlines.view_deadline", True),
    (_("Customers"), "directory:customer-list", "directory.view_customer", False),
    (_("Branches"), "directory:branch-list", "directory.view_branch", False),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, url_name, permission, counts_attention in SECTIONS:
        if user.has_perm(permission):
            url = reverse(url_name)
            items.append(
                {
                    "label": label,
                    "url": url,
                    "active": request.path.startswith(url),
                    "counter": attention_for(user).count() if counts_attention else None,
                }
            )
    return {"nav_sections": items}
