import csv

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from contactcenter.directory import views as directory_views
from contactcenter.directory.models import Branch

from . import reports, selectors
from .forms import PromisesFilterForm


def _panel_context(user) -> dict:
    return {
        "counters": selectors.case_counters(user),
        "queue": selectors.attention_queue(user),
        "load": selectors.team_load(user),
        "refresh_seconds": settings.DASHBOARD_REFRESH_SECONDS,
    }


def home(request):
    """The supervisor's home: what needs attention now. Other roles keep the branch cards."""
    if not selectors.sees_dashboard(request.user):
        return directory_views.home(request)
    branches = Branch.objects.for_user(request.user).active()
    return render(request, "dashboard/home.html", {"branches": branches, **_panel_context(request.user)})


def panel(request):
    """The counters, the queue and the load alone: what the home page fetches again every half minute."""
    if not selectors.sees_dashboard(request.user):
        raise PermissionDenied
    return render(request, "dashboard/_panel.html", _panel_context(request.user))


def promises_report(request):
    """Promises kept: how the clocks due in a period ended, by kind, branch, owner or week; as a page or CSV."""
    if not selectors.sees_dashboard(request.user):
        raise PermissionDenied
    form = PromisesFilterForm(request.GET or None, user=request.user)
    rows, group_by = [], "kind"
    if form.is_valid():
        rows = reports.promises_kept(request.user, **form.cleaned_data)
        group_by = form.cleaned_data["group_by"]
    if request.GET.get("format") == "csv":
        return _promises_csv(rows)
    chart = {
        "labels": [row.label for row in rows],
        "datasets": [
            {"label": str(label), "data": [row.shares[key] for row in rows]} for key, label in reports.OUTCOMES
        ],
    }
    return render(
        request,
        "dashboard/promises.html",
        {
            "form": form,
            "rows": rows,
            "outcomes": reports.OUTCOMES,
            "chart": chart,
            "group_label": reports.GROUPINGS[group_by],
        },
    )


def _promises_csv(rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="promises-kept.csv"'
    writer = csv.writer(response)
    header = [_("Group"), _("Clocks")]
    for _key, label in reports.OUTCOMES:
        header += [label, f"{label}, %"]
    writer.writerow(header)
    for row in rows:
        line = [row.label, row.total]
        for key, _label in reports.OUTCOMES:
            line += [getattr(row, key), row.shares[key]]
        writer.writerow(line)
    return response
