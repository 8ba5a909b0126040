"""The navigation bar: the sections a user's role may open, and how many clocks need their attention.

Project-level because it spans the apps. The core apps' sections are connected here; each app above them (the
case apps, the dashboard) connects its own in its ``AppConfig.ready()``, so nothing here imports them. The bar
shows the sections by their ``order`` (``contactcenter.hooks``), whatever the order of ``INSTALLED_APPS``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contactcenter.deadlines.selectors import attention_for
from contactcenter.hooks import Hook


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    # A permission, or a test of the user, that shows the section.
    shown_to: str | Callable
    counts_attention: bool = False

    def shown(self, user) -> bool:
        return self.shown_to(user) if callable(self.shown_to) else user.has_perm(self.shown_to)


# The receivers are ``Section`` values, read in order by ``navigation()`` (never sent).
sections = Hook("navigation.sections", arguments="none: the receivers are Section values")

sections.connect(Section(_("Needs attention"), "alerts:attention", "deadlines.view_deadline", True), order=10)
sections.connect(Section(_("Customers"), "directory:customer-list", "directory.view_customer"), order=60)
sections.connect(Section(_("Branches"), "directory:branch-list", "directory.view_branch"), order=70)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {
            "label": section.label,
            "url": reverse(section.url_name),
            "active": False,
            "counter": attention_for(user).count() if section.counts_attention else None,
        }
        for section in sections.receivers
        if section.shown(user)
    ]
    # The section whose address is the longest start of the page's (/callbacks/mine/ over /callbacks/).
    current = max(
        (item for item in items if request.path.startswith(item["url"])), key=lambda i: len(i["url"]), default=None
    )
    if current:
        current["active"] = True
    return {"nav_sections": items}
