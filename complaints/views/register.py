"""The register: the list with its filters, the CSV export with the same filters, the printable register."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.exports import streaming_csv_response

from .. import forms, selectors
from ..filters import ComplaintFilter


@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_list(request):
    complaint_filter = ComplaintFilter(request.GET, queryset=selectors.complaint_list(request.user), user=request.user)
    page = Paginator(complaint_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/complaint_list.html", {"filter": complaint_filter, "page": page})


def _local(moment, branch) -> str:
    return timezone.localtime(moment, branch.tz).strftime("%Y-%m-%d %H:%M") if moment else ""


@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_export(request):
    """The list as CSV, with the same filters, every matching row (streamed); times in each branch's zone."""
    complaint_filter = ComplaintFilter(request.GET, queryset=selectors.complaint_list(request.user), user=request.user)
    if not complaint_filter.is_valid():
        messages.error(request, _("The filters are not valid; nothing was exported."))
        return redirect("complaints:list")
    header = [
        _("Register number"),
        _("Branch"),
        _("Received"),
        _("Channel"),
        _("Category"),
        _("Customer"),
        _("Phone"),
        _("Summary"),
        _("Status"),
        _("In review by"),
        _("Answer due"),
        _("Legal term due"),
        _("Answered"),
        _("Overdue"),
    ]

    def rows():
        yield header
        for complaint in complaint_filter.qs.iterator(chunk_size=500):
            branch = complaint.branch
            yield [
                complaint.register_number,
                branch.code,
                _local(complaint.received_at, branch),
                complaint.get_channel_display(),
                complaint.get_category_display(),
                complaint.customer.full_name,
                complaint.customer.phone,
                complaint.summary,
                complaint.get_status_display(),
                complaint.assigned_to or "",
                _local(complaint.answer_due_at, branch),
                _local(complaint.legal_due_at, branch),
                _local(complaint.answered_at, branch),
                _("yes") if complaint.is_overdue else "",
            ]

    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return streaming_csv_response(f"complaints-{stamp}.csv", rows())


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
