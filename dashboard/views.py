from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from contactcenter.alerts.selectors import mail_outage_for
from contactcenter.deadlines.selectors import attention_for
from contactcenter.directory import roles
from contactcenter.directory import views as directory_views
from contactcenter.directory.models import Branch
from contactcenter.exports import csv_download, refused_download

from . import my_work, selectors
from . import search as case_search
from .reports.catalogue import REPORTS


def _panel_context(user) -> dict:
    return {
        "counters": selectors.case_counters(user),
        "queue": selectors.attention_queue(user),
        "load": selectors.team_load(user),
        "refresh_seconds": settings.DASHBOARD_REFRESH_SECONDS,
        "mail_outage": mail_outage_for(user),
    }


def home(request):
    """Every role's start of the day: the supervisor's dashboard (what needs attention now), an operator's and
    security's own work; a user of any other role keeps the branch cards."""
    user = request.user
    branches = Branch.objects.for_user(user).active()
    if selectors.sees_dashboard(user):
        return render(request, "dashboard/home.html", {"branches": branches, **_panel_context(user)})
    if not my_work.sees_my_work(user):
        return directory_views.home(request)
    context = {"branches": branches}
    if roles.OPERATOR in user.role_names:
        context["operator"] = my_work.operator_work(user)
    if roles.SECURITY in user.role_names:
        context["security"] = my_work.security_work(user)
    return render(request, "dashboard/my_work.html", context)


def panel(request):
    """The counters, the queue and the load alone: what the home page fetches again every half minute."""
    if not selectors.sees_dashboard(request.user):
        raise PermissionDenied
    # The header's "Needs attention" counter is outside the panel: the answer carries it out of band, to
    # those whose header has it.
    context = {**_panel_context(request.user), "header_counter": request.user.has_perm("deadlines.view_deadline")}
    if context["header_counter"]:
        context["attention_count"] = attention_for(request.user).count()
    return render(request, "dashboard/_panel.html", context)


def report_index(request):
    """The list of reports, each with what it shows."""
    if not selectors.sees_dashboard(request.user):
        raise PermissionDenied
    return render(request, "dashboard/reports.html", {"reports": REPORTS.values()})


def report(request, slug: str):
    """One report for the period and branch asked for (defaults when nothing is asked): a chart with its
    table, or the table as CSV with ``format=csv``. A wrong filter shows its message and no figures."""
    if not selectors.sees_dashboard(request.user):
        raise PermissionDenied
    definition = REPORTS[slug]
    form = definition.form_class(request.GET or None, user=request.user)
    result = definition.build(request.user, **form.cleaned_data) if form.is_valid() else None
    if request.GET.get("format") == "csv":
        if result is None:
            return refused_download(form)
        table = result.table
        return csv_download(
            f"{slug.replace('_', '-')}.csv", table.download_columns(), table.download_rows(), request=request
        )
    return render(
        request,
        "dashboard/report.html",
        {
            "report": definition,
            "form": form,
            "result": result,
            "rows": result.rows if result else [],
            "chart": result.chart.as_json() if result else None,
            "csv_query": _csv_query(request.GET),
        },
    )


def _csv_query(params) -> str:
    query = params.copy()
    query["format"] = "csv"
    return query.urlencode()


def search(request):
    """The header's search: results grouped by kind; a case number that finds exactly one case opens it."""
    try:
        query = case_search.parse_query(request.GET.get("q"))
    except case_search.SearchError as error:
        return render(request, "dashboard/search.html", {"q": request.GET.get("q", ""), "error": error.message})
    results = case_search.search(request.user, query)
    if case := results.single_case():
        return redirect(case)
    return render(request, "dashboard/search.html", {"q": query.text, "results": results})
