from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import CLOCK_LABELS, Status

register = template.Library()

STATUS_STYLES = {
    Status.REGISTERED: "text-bg-secondary",
    Status.FORWARDED: "text-bg-info",
    Status.IN_REVIEW: "text-bg-primary",
    Status.ANSWERED: "text-bg-success",
    Status.CLOSED: "text-bg-dark",
}


@register.filter
def clock_label(clock) -> str:
    """What a complaint's clock is called on its pages ("Answer to the customer")."""
    return CLOCK_LABELS.get(clock.kind, clock.kind)


@register.simple_tag
def status_badge(complaint):
    return format_html(
        '<span class="badge {}" data-testid="complaint-status">{}</span>',
        STATUS_STYLES.get(complaint.status, "text-bg-light"),
        complaint.get_status_display(),
    )


@register.simple_tag
def draft_badge(complaint):
    """ "draft" beside a complaint received by e-mail whose customer is still to be named; nothing otherwise."""
    if not complaint.is_draft:
        return ""
    return format_html('<span class="badge text-bg-warning" data-testid="draft-badge">{}</span>', _("draft"))
