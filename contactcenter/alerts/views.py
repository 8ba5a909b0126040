from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import render

from contactcenter.deadlines.filters import AttentionFilter
from contactcenter.deadlines.models import ClockPolicy, Deadline
from contactcenter.deadlines.selectors import attention_for

from .models import Alert
from .selectors import mail_outage_for


def attention(request):
    """Every clock of the user's that is due soon or overdue, across all kinds of case, most urgent first;
    and, for those who may see alerts, the alerts that could not be delivered."""
    clocks = (
        attention_for(request.user)
        .select_related("branch", "owner")
        .annotate(kind_label=Subquery(ClockPolicy.objects.filter(kind=OuterRef("kind")).values("label")[:1]))
        .order_by("due_at", "pk")
    )
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
    return render(
        request,
        "alerts/attention.html",
        {
            "filter": attention_filter,
            "page": page,
            "failed_alerts": failed_alerts,
            "mail_outage": mail_outage_for(request.user),
        },
    )
