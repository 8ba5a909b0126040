from django import template
from django.utils.html import format_html

from ..phones import format_phone

register = template.Library()


@register.simple_tag
def phone_link(e164, css=""):
    """A stored number as a ``tel:`` link, written for reading and never broken across lines:
    ``+79161234567`` → ``<a href="tel:+79161234567" class="text-nowrap">+7 916 123-45-67</a>``."""
    if not e164:
        return ""
    classes = f"text-nowrap {css}".strip()
    return format_html('<a href="tel:{}" class="{}">{}</a>', e164, classes, format_phone(e164))
