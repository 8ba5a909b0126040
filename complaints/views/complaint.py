"""One complaint: its page, the printable acknowledgement, and every step of its work (each a service)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contactcenter.case_pages import show_service_error

from .. import forms, selectors, services
from ..models import ANSWER_CLOCK, LEGAL_CLOCK, Status
from .registration import warn_about_duplicates


def complaint_or_404(request, pk):
    """The complaint if the user may see it (their branch, the permission); a 404 otherwise, as for a missing one."""
    return get_object_or_404(
        selectors.visible_complaints(request.user).select_related(
            "branch__manager", "branch__deputy_director", "customer", "registered_by", "assigned_to", "answered_by"
        ),
        pk=pk,
    )


def _detail_context(request, complaint, **bound_forms):
    user = request.user
    clocks = selectors.complaint_clocks(complaint)
    pages = list(complaint.pages.select_related("duplicate_of__complaint").order_by("position"))
    context = {
        "complaint": complaint,
        "branch": complaint.branch,
        "pages": pages,
        "clocks": clocks,
        "answer_clock": next((c for c in reversed(clocks) if c.kind == ANSWER_CLOCK), None),
        "legal_clock": next((c for c in reversed(clocks) if c.kind == LEGAL_CLOCK), None),
        "forwardings": complaint.forwardings.select_related("email", "requested_by"),
        "history": selectors.complaint_history(complaint)[:200],
        "Status": Status,
    }
    status = complaint.status
    if user.has_perm("complaints.forward_complaint") and status == Status.REGISTERED:
        context["can_forward"] = True
    if user.has_perm("complaints.add_complaint") and status != Status.CLOSED:
        context["add_pages_form"] = bound_forms.get("add_pages_form") or forms.AddPagesForm(complaint=complaint)
    if user.has_perm("complaints.change_complaint"):
        if status in (Status.FORWARDED, Status.IN_REVIEW):
            context["assign_form"] = bound_forms.get("assign_form") or forms.AssignForm(complaint=complaint, user=user)
        if status != Status.CLOSED:
            context["edit_form"] = bound_forms.get("edit_form") or forms.ComplaintEditForm(complaint=complaint)
    if user.has_perm("complaints.answer_complaint"):
        if status == Status.IN_REVIEW:
            context["answer_form"] = bound_forms.get("answer_form") or forms.AnswerForm(complaint=complaint)
        if status == Status.ANSWERED:
            context["close_form"] = bound_forms.get("close_form") or forms.CloseForm(complaint=complaint)
        if status in (Status.ANSWERED, Status.CLOSED):
            context["reopen_form"] = bound_forms.get("reopen_form") or forms.ReopenForm(complaint=complaint)
        legal_clock = context["legal_clock"]
        if (
            complaint.legal_term_applies
            and not complaint.legal_term_extended
            and legal_clock is not None
            and legal_clock.is_open
            and legal_clock.due_at > timezone.now()
        ):
            context["extend_form"] = bound_forms.get("extend_form") or forms.ExtendLegalTermForm(complaint=complaint)
    return context


@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_detail(request, pk):
    complaint = complaint_or_404(request, pk)
    return render(request, "complaints/complaint_detail.html", _detail_context(request, complaint))


@permission_required("complaints.view_complaint", raise_exception=True)
def acknowledgement(request, pk):
    """The printable acknowledgement for the customer: register number, when received, when the answer is due."""
    complaint = complaint_or_404(request, pk)
    return render(
        request,
        "complaints/acknowledgement.html",
        {
            "complaint": complaint,
            "branch": complaint.branch,
            "answer_clock": selectors.latest_clock_of(complaint, ANSWER_CLOCK),
            "legal_clock": selectors.latest_clock_of(complaint, LEGAL_CLOCK),
        },
    )


def _action(request, pk, *, form_class, form_name, perform, done, form_kwargs=None, files=False):
    """One action form of the detail page: valid and accepted by the service → back to the page with a
    message; otherwise the page again, with the form showing what is wrong and nothing changed."""
    complaint = complaint_or_404(request, pk)
    form = form_class(request.POST, request.FILES if files else None, complaint=complaint, **(form_kwargs or {}))
    refusals = []
    if form.is_valid():
        try:
            result = perform(complaint, form.cleaned_data)
        except ValidationError as error:
            # What concerns a field shows on it; the rest (a step the status does not allow...) on top of the page,
            # since the form may not be on the page at all in the complaint's status.
            if hasattr(error, "error_dict"):
                show_service_error(form, error)
            else:
                refusals = error.messages
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect(complaint)
    for refusal in refusals or [_("Nothing was changed: see what is wrong below.")]:
        messages.error(request, refusal)
    context = _detail_context(request, complaint, **{form_name: form})
    return render(request, "complaints/complaint_detail.html", context, status=400)


@require_POST
@permission_required("complaints.forward_complaint", raise_exception=True)
def forward(request, pk):
    complaint = complaint_or_404(request, pk)
    try:
        forwarding = services.complaint_forward(complaint=complaint, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The complaint is on its way to %(to)s. The forwarding is done once the mail server has accepted it.")
            % {"to": ", ".join(forwarding.to + forwarding.cc)},
        )
    return redirect(complaint)


@require_POST
@permission_required("complaints.add_complaint", raise_exception=True)
def add_pages(request, pk):
    def perform(complaint, data):
        added = services.complaint_add_pages(complaint=complaint, pages=data["pages"], by=request.user)
        warn_about_duplicates(request, added)
        return added

    return _action(
        request,
        pk,
        form_class=forms.AddPagesForm,
        form_name="add_pages_form",
        files=True,
        perform=perform,
        done=lambda added: (
            ngettext("%(count)d photo added.", "%(count)d photos added.", len(added)) % {"count": len(added)}
        ),
    )


@require_POST
@permission_required("complaints.change_complaint", raise_exception=True)
def edit(request, pk):
    return _action(
        request,
        pk,
        form_class=forms.ComplaintEditForm,
        form_name="edit_form",
        perform=lambda complaint, data: services.complaint_update(complaint=complaint, by=request.user, **data),
        done=_("Changes saved."),
    )


@require_POST
@permission_required("complaints.change_complaint", raise_exception=True)
def assign(request, pk):
    return _action(
        request,
        pk,
        form_class=forms.AssignForm,
        form_name="assign_form",
        form_kwargs={"user": request.user},
        perform=lambda complaint, data: services.complaint_assign(
            complaint=complaint, to=data["assigned_to"], by=request.user
        ),
        done=lambda complaint: _("The complaint is in review by %(name)s.") % {"name": complaint.assigned_to},
    )


@require_POST
@permission_required("complaints.answer_complaint", raise_exception=True)
def answer(request, pk):
    return _action(
        request,
        pk,
        form_class=forms.AnswerForm,
        form_name="answer_form",
        files=True,
        perform=lambda complaint, data: services.complaint_answer(
            complaint=complaint,
            text=data["answer_text"],
            channel=data["answer_channel"],
            answered_at=data["answered_at"],
            letter=data["letter"],
            by=request.user,
        ),
        done=_("The answer is recorded."),
    )


@require_POST
@permission_required("complaints.answer_complaint", raise_exception=True)
def close(request, pk):
    return _action(
        request,
        pk,
        form_class=forms.CloseForm,
        form_name="close_form",
        perform=lambda complaint, data: services.complaint_close(
            complaint=complaint, note=data["note"], by=request.user
        ),
        done=_("The complaint is closed."),
    )


@require_POST
@permission_required("complaints.answer_complaint", raise_exception=True)
def reopen(request, pk):
    return _action(
        request,
        pk,
        form_class=forms.ReopenForm,
        form_name="reopen_form",
        perform=lambda complaint, data: services.complaint_reopen(
            complaint=complaint, reason=data["reason"], by=request.user
        ),
        done=_("The complaint is reopened and back in review."),
    )


@require_POST
@permission_required("complaints.answer_complaint", raise_exception=True)
def extend(request, pk):
    return _action(
        request,
        pk,
        form_class=forms.ExtendLegalTermForm,
        form_name="extend_form",
        perform=lambda complaint, data: services.complaint_extend_legal_term(
            complaint=complaint,
            days=data["days"],
            reason=data["reason"],
            customer_told_on=data["customer_told_on"],
            by=request.user,
        ),
        done=_("The legal term is extended."),
    )
