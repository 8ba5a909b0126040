from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The sections of the navigation bar: (label, url name, permission that shows it).
# A case app adds its entry here when it lands; nothing is listed before it exists.
SECTIONS = [
    (_("Customers"), "directory:customer-list", "directory.view_customer"),
    (_("Branches"), "directory:branch-list", "directory.view_branch"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request.path
    items = []
    for label, url_name, permission in SECTIONS:
        if user.has_perm(permission):
            url = reverse(url_name)
            items.append({"label": label, "url": url, "active": current.startswith(url)})
    return {"nav_sections": items}
