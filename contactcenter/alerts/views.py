from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcenter.deadlines.filters import AttentionFilter
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.selectors import attention_for

from .models import Alert, OutboundEmail
from .outbox import outbox_retry
from .selectors import mail_outage_for

# Who may send failed alerts and e-mails again (administrators): the button on "Needs attention" and its view.
RETRY_PERMISSIONS = ["alerts.change_alert", "alerts.change_outboundemail"]


def attention(request):
    """Every clock of the user's that needs attention (due soon or overdue, waiting for someone at once, a new
    date to tell the customer), across all kinds of case, most urgent first; and, for those who may see alerts,
    the alerts that could not be delivered; for those who may send them again, the failed e-mails too (how many:
    an e-mail belongs to no clock, and the button sends them all again)."""
    clocks = attention_for(request.user).select_related("branch", "owner").with_untold_notice().order_by("due_at", "pk")
    attention_filter = AttentionFilter(request.GET, queryset=clocks, user=request.user)
    page = Paginator(attention_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    failed_alerts = None
    if request.user.has_perm("alerts.view_alert"):
        failed_alerts = (
            Alert.objects.failed()
            .filter(deadline__in=Deadline.objects.for_user(request.user))
            .select_related("deadline__branch", "recipient")
            .order_by("-failed_at")[:20]
        )
    may_retry = request.user.has_perms(RETRY_PERMISSIONS)
    return render(
        request,
        "alerts/attention.html",
        {
            "filter": attention_filter,
            "page": page,
            "failed_alerts": failed_alerts,
            "failed_emails": OutboundEmail.objects.failed().count() if may_retry else 0,
            "may_retry": may_retry,
            "mail_outage": mail_outage_for(request.user),
        },
    )


@require_POST
@permission_required(RETRY_PERMISSIONS, raise_exception=True)
def retry_failed(request):
    """An administrator sends the failed alerts of their branches and the failed e-mails again now, through the
    one outbox retry (audited per row)."""
    alerts = outbox_retry(
        rows=Alert.objects.failed().filter(deadline__in=Deadline.objects.for_user(request.user)), by=request.user
    )
    emails = outbox_retry(rows=OutboundEmail.objects.failed(), by=request.user)
    messages.success(
        request,
        _("%(alerts)d alerts and %(emails)d e-mails will be sent again.") % {"alerts": alerts, "emails": emails},
    )
    return redirect("alerts:attention")
