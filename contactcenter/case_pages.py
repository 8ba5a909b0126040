"""What every case's pages do with a service's answer: its refusal shown on the form or as a message, its
success as a message. The case apps' views call these instead of each writing its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from contactcenter.directory.models import Customer
from contactcenter.directory.services import customer_find


def show_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def check_customer(form: forms.Form, branch) -> None:
    """In a case's form (fields ``customer_phone`` and ``customer_name``): say beside them what the case's
    service would refuse about its customer (``directory.services.customer_find``), with the form's other
    errors. The service checks again, and finds or registers the customer."""
    phone = form.cleaned_data.get("customer_phone")
    if branch is None or not phone:
        return
    try:
        customer_find(branch=branch, phone=phone, full_name=form.cleaned_data.get("customer_name", ""))
    except ValidationError as error:
        show_service_error(form, error)


def case_action(
    request: HttpRequest,
    *,
    case,
    perform: Callable[[Any, dict], Any],
    done: str | Callable[[Any], str],
    form: forms.Form | None = None,
    page_with: Callable[[forms.Form], HttpResponse] | None = None,
) -> HttpResponse:
    """One action of a case's page, run through its service by ``perform(case, cleaned_data)``:
    a button (no ``form``) or a form, whose page ``page_with(form)`` shows again with the form bound.

    Accepted: the ``done`` message (or ``done(result)``) and back to the case's page. Refused with a
    ``ValidationError``: nothing changed, and the refusal is said in a message (a button: back to the case's
    page; a form: the page again with status 400, what concerns the form's own fields shown on them). The
    page offers only what the case's state allows, so a refused form may not be on it.
    """
    if form is not None and not form.is_valid():
        messages.error(request, _("Nothing was changed: see what is wrong below."))
        return page_with(form)
    try:
        result = perform(case, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        if form is not None and set(getattr(error, "error_dict", ())) & set(form.fields):
            show_service_error(form, error)
            messages.error(request, _("Nothing was changed: see what is wrong below."))
        else:
            messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": " ".join(error.messages)})
        return redirect(case) if form is None else page_with(form)
    messages.success(request, done(result) if callable(done) else done)
    return redirect(case)


def customer_for_new_case(request: HttpRequest) -> tuple[Customer | None, dict, bool]:
    """The customer a new case's form starts with, from ``?customer=<id>`` (the buttons of the customer's
    page), the form's initial values for them (their branch, phone and name), and whether the value was
    refused: one that is not a customer the reader may see (another branch's, a deleted one, not a number)
    fills nothing and says so in a message, and the caller answers 404 with the empty form. Without
    ``?customer=``, or on a POST (the form's own fields say who): ``(None, {}, False)``."""
    value = (request.GET.get("customer") or "").strip()
    if not value or request.method != "GET":
        return None, {}, False
    customer = None
    if value.isdigit() and len(value) <= 18:
        customer = Customer.objects.for_user(request.user).select_related("branch").filter(pk=value).first()
    if customer is None:
        messages.error(
            request, _("This customer is not one of your branches' customers: enter the phone number instead.")
        )
        return None, {}, True
    initial = {
        "branch": customer.branch_id,
        "customer_phone": customer.phone_display,
        "customer_name": customer.full_name,
    }
    return customer, initial, False
