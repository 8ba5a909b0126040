"""The register: the list with its filters, the CSV export with the same filters, the printable register."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from contactcenter.exports import csv_download, refused_download

from .. import exports, forms, selectors
from ..filters import ComplaintFilter


@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_list(request):
    complaint_filter = ComplaintFilter(request.GET, queryset=selectors.complaint_list(request.user), user=request.user)
    page = Paginator(complaint_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/complaint_list.html", {"filter": complaint_filter, "page": page})


@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_export(request):
    """The list as CSV, with the same filters, every matching row (streamed); a wrong filter exports nothing."""
    complaint_filter = ComplaintFilter(request.GET, queryset=selectors.complaint_list(request.user), user=request.user)
    if not complaint_filter.is_valid():
        return refused_download(complaint_filter.form)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return csv_download(
        f"complaints-{stamp}.csv", exports.COLUMNS, complaint_filter.qs.iterator(chunk_size=500), request=request
    )


@permission_required("complaints.view_complaint", raise_exception=True)
def branch_register(request):
    """The printable register of one branch for a period."""
    form = forms.BranchRegisterForm(request.GET or None, user=request.user)
    complaints = None
    if form.is_bound and form.is_valid():
        complaints = selectors.branch_register(
            branch=form.cleaned_data["branch"], start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    elif not form.is_bound:
        # This month so far, in the branch's own calendar: on the 1st in Moscow it is still the 31st in UTC.
        first = form.fields["branch"].queryset.first()
        today = first.local_now().date() if first is not None else timezone.localdate()
        form.initial = {"start": today.replace(day=1), "end": today}
        if first is not None:
            form.initial["branch"] = first.pk
    return render(
        request,
        "complaints/branch_register.html",
        {"form": form, "complaints": complaints, "printed_at": timezone.now()},
    )
