from django import template
from django.utils.html import format_html

from ..models import LEVEL_OF_CLOCK, Escalation, Level

register = template.Library()

STATUS_STYLES = {
    Escalation.Status.OPEN: "text-bg-danger",
    Escalation.Status.ACKNOWLEDGED: "text-bg-warning",
    Escalation.Status.CONTACTED: "text-bg-primary",
    Escalation.Status.CLOSED: "text-bg-secondary",
}
LEVEL_STYLES = {
    Level.SUPERVISOR: "text-bg-light border",
    Level.HEAD_OF_DEPARTMENT: "text-bg-info",
    Level.SECURITY: "text-bg-dark",
}


@register.simple_tag
def escalation_status(escalation):
    return format_html(
        '<span class="badge {}" data-testid="escalation-status">{}</span>',
        STATUS_STYLES.get(escalation.status, "text-bg-light"),
        escalation.get_status_display(),
    )


@register.simple_tag
def escalation_level(escalation):
    return format_html(
        '<span class="badge {}" data-testid="escalation-level">{}</span>',
        LEVEL_STYLES.get(escalation.level, "text-bg-light"),
        escalation.get_level_display(),
    )


@register.simple_tag(takes_context=True)
def escalations_of_case(context, case):
    """The escalations linked to a callback or a complaint that the page's user may see (for the one-line
    include on their detail pages, so that neither app imports this one)."""
    from ..selectors import escalations_of_case as linked

    request = context.get("request")
    if request is None or not request.user.has_perm("escalations.view_escalation"):
        return []
    return list(linked(case, request.user))


@register.filter
def escalation_source_param(case) -> str:
    """The query parameter that opens the escalation form from this case: ``callback`` or ``complaint``."""
    return case._meta.model_name


@register.filter
def clock_level(clock) -> str:
    """The level an escalation's clock belongs to, as staff read it ("head of department")."""
    level = LEVEL_OF_CLOCK.get(clock.kind)
    return Level(level).label if level else clock.kind
