"""``{% mail_error text %}``: the mail server's error for administrators, a plain sentence for everyone else."""

from django import template
from django.utils.translation import gettext as _

from contactcenter.alerts.selectors import may_read_mail_errors

register = template.Library()


@register.simple_tag(takes_context=True)
def mail_error(context, text):
    if not text:
        return ""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is not None and may_read_mail_errors(user):
        return text
    return _("the mail server did not accept it yet")
