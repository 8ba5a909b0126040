"""Registering a complaint, from a phone or a computer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from contactcenter.case_pages import customer_for_new_case, show_service_error
from contactcenter.directory.models import Branch, Customer

from .. import forms, services


@permission_required("complaints.add_complaint", raise_exception=True)
def complaint_register(request):
    _customer, initial, refused = customer_for_new_case(request)
    form = forms.ComplaintRegistrationForm(request.POST or None, request.FILES or None, user=request.user)
    form.initial.update(initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_register(
                branch=data["branch"],
                channel=data["channel"],
                category=data["category"],
                received_at=data["received_at"],
                summary=data["summary"],
                registered_by=request.user,
                customer_phone=data["customer_phone"],
                customer_name=data["customer_name"],
                pages=data["pages"],
                forward=data.get("forward", False),
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Complaint %(number)s registered. Tell the customer the number and the answer date below.")
                % {"number": complaint.register_number},
            )
            warn_about_duplicates(request, complaint.pages.all())
            return redirect(complaint)
    return render(request, "complaints/complaint_form.html", {"form": form}, status=404 if refused else 200)


def warn_about_duplicates(request, pages) -> None:
    for page in pages:
        if page.duplicate_of_id:
            messages.warning(
                request,
                _("Page %(position)d is the same photo as page %(other)d of %(number)s.")
                % {
                    "position": page.position,
                    "other": page.duplicate_of.position,
                    "number": page.duplicate_of.complaint.register_number,
                },
            )


@require_GET
@permission_required("complaints.add_complaint", raise_exception=True)
def customer_lookup(request):
    """htmx: who the phone typed on the registration form belongs to, in the chosen branch."""
    branch_id = request.GET.get("branch", "")
    branch = Branch.objects.for_user(request.user).filter(pk=branch_id).first() if branch_id.isdigit() else None
    phone = (request.GET.get("customer_phone") or "").strip()
    customers = []
    if branch is not None and len(phone) >= 4:
        customers = list(Customer.objects.filter(branch=branch).search(phone, [branch.country])[:5])
    return render(request, "complaints/includes/customer_lookup.html", {"customers": customers, "phone": phone})
