from django import template

from ..zones import customer_zone, reader_and_customer_time, reader_zone

register = template.Library()


@register.simple_tag(takes_context=True)
def customer_time(context, moment, customer, branch):
    """ "01.12.2026 14:30 your time, 18:30 customer's time": a moment of a case of ``branch`` in the reader's zone
    and, when the customer's clock shows another time, in theirs (``zones.customer_zone``; ``branch`` is the case's,
    already read, so that a list reads no customer's branch row). Every time an operator reads on the callback
    pages, the escalation's page, the customer's page and My work goes through it."""
    if moment is None:
        return ""
    return reader_and_customer_time(
        moment, reader_zone=reader_zone(context.get("user"), branch), customer_zone=customer_zone(customer, branch)
    )
