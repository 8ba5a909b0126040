"""What every case's pages do with a service's answer: its refusal shown on the form. The case apps' forms and
views call these instead of each writing its own."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

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
