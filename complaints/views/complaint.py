"""One complaint: its page, the printable acknowledgement, and every step of its work (each a service)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contactcenter.audit.sentences import history_lines
from contactcenter.case_pages import case_action
from contactcenter.deadlines.selectors import first_told_due_at, untold_move_notices
from contactcenter.directory.models import customer_language

from .. import forms, letters, selectors, services
from ..models import ANSWER_CLOCK, LEGAL_CLOCK, Status
from ..services import transitions
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
        "history": history_lines(selectors.complaint_history(complaint)[:200], zone=complaint.branch.tz, user=user),
        "Status": Status,
        "move_notices": untold_move_notices(complaint, user),
        "now": timezone.now(),
    }
    allows = partial(transitions.allows, complaint)
    if user.has_perm("complaints.add_complaint") and complaint.is_draft and allows("change"):
        context["complete_form"] = bound_forms.get("complete_form") or forms.CompleteDraftForm(complaint=complaint)
    if user.has_perm("complaints.forward_complaint") and allows("forward") and not complaint.is_draft:
        context["can_forward"] = True
    if user.has_perm("complaints.add_complaint") and allows("change"):
        context["add_pages_form"] = bound_forms.get("add_pages_form") or forms.AddPagesForm(complaint=complaint)
    if user.has_perm("complaints.change_complaint"):
        if allows("assign"):
            context["assign_form"] = bound_forms.get("assign_form") or forms.AssignForm(complaint=complaint, user=user)
        if allows("change"):
            context["edit_form"] = bound_forms.get("edit_form") or forms.ComplaintEditForm(complaint=complaint)
    answer_clock = context["answer_clock"]
    if user.has_perm("deadlines.pause_deadline") and allows("change") and answer_clock and answer_clock.is_open:
        # The only clock of a complaint with a pause button: the legal term can never stand still.
        context["pausable_clock"] = answer_clock
        context["pause_form"] = bound_forms.get("pause_form") or forms.PauseAnswerClockForm(complaint=complaint)
    if user.has_perm("complaints.answer_complaint"):
        if allows("answer"):
            context["answer_form"] = bound_forms.get("answer_form") or forms.AnswerForm(complaint=complaint)
            context["letter_templates"] = services.letter_templates_for(complaint)
        if allows("close"):
            context["close_form"] = bound_forms.get("close_form") or forms.CloseForm(complaint=complaint)
        if allows("reopen"):
            context["reopen_form"] = bound_forms.get("reopen_form") or forms.ReopenForm(complaint=complaint)
        legal_clock = context["legal_clock"]
        open_legal_clock = legal_clock if legal_clock is not None and legal_clock.is_open else None
        if services.legal_extension_refusal(complaint, open_legal_clock, now=timezone.now()) is None:
            context["extend_form"] = bound_forms.get("extend_form") or forms.ExtendLegalTermForm(complaint=complaint)
    return context


@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_detail(request, pk):
    complaint = complaint_or_404(request, pk)
    return render(request, "complaints/complaint_detail.html", _detail_context(request, complaint))


@permission_required("complaints.view_complaint", raise_exception=True)
def acknowledgement(request, pk):
    """The printable acknowledgement for the customer: register number, when received, when the answer is due
    (with the date first given when it moved since; a date already past says so)."""
    complaint = complaint_or_404(request, pk)
    answer_clock = selectors.latest_clock_of(complaint, ANSWER_CLOCK)
    legal_clock = selectors.latest_clock_of(complaint, LEGAL_CLOCK)
    context = {
        "complaint": complaint,
        "branch": complaint.branch,
        "answer_clock": answer_clock,
        "legal_clock": legal_clock,
        # A date that moved since the customer was given it: the sheet shows both.
        "answer_first_due": first_told_due_at(answer_clock),
        "legal_first_due": first_told_due_at(legal_clock),
        "now": timezone.now(),
    }
    # The sheet is the customer's: in their language (a draft's, not known yet: the branch's country's).
    language = complaint.customer.language if complaint.customer else customer_language(complaint.branch)
    with translation.override(language):
        sheet = render_to_string("complaints/includes/acknowledgement_sheet.html", context, request=request)
    return render(request, "complaints/acknowledgement.html", {**context, "sheet": sheet, "sheet_language": language})


def _action(request, pk, *, form_class, form_name, perform, done, form_kwargs=None, files=False):
    """One action form of the detail page (``case_action``): the page again, with the form showing what is
    wrong, when it is refused."""
    complaint = complaint_or_404(request, pk)
    form = form_class(request.POST, request.FILES if files else None, complaint=complaint, **(form_kwargs or {}))

    def page_with(bound):
        context = _detail_context(request, complaint, **{form_name: bound})
        return render(request, "complaints/complaint_detail.html", context, status=400)

    return case_action(request, case=complaint, form=form, perform=perform, done=done, page_with=page_with)


@require_POST
@permission_required("complaints.forward_complaint", raise_exception=True)
def forward(request, pk):
    return case_action(
        request,
        case=complaint_or_404(request, pk),
        perform=lambda complaint, data: services.complaint_forward(complaint=complaint, by=request.user),
        done=lambda forwarding: (
            _("The complaint is on its way to %(to)s. The forwarding is done once the mail server has accepted it.")
            % {"to": ", ".join(forwarding.to + forwarding.cc)}
        ),
    )


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
@permission_required("complaints.add_complaint", raise_exception=True)
def complete_draft(request, pk):
    return _action(
        request,
        pk,
        form_class=forms.CompleteDraftForm,
        form_name="complete_form",
        perform=lambda complaint, data: services.complaint_complete_draft(
            complaint=complaint,
            customer_phone=data["customer_phone"],
            customer_name=data["customer_name"],
            by=request.user,
        ),
        done=_("The customer is saved; the complaint can be forwarded now."),
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


@require_POST
@permission_required("deadlines.pause_deadline", raise_exception=True)
def pause_clock(request, pk):
    return _action(
        request,
        pk,
        form_class=forms.PauseAnswerClockForm,
        form_name="pause_form",
        perform=lambda complaint, data: services.complaint_pause_clock(
            complaint=complaint, reason=data["reason"], note=data["note"], by=request.user
        ),
        done=_("The answer's clock is paused."),
    )


@require_POST
@permission_required("deadlines.pause_deadline", raise_exception=True)
def resume_clock(request, pk):
    return case_action(
        request,
        case=complaint_or_404(request, pk),
        perform=lambda complaint, data: services.complaint_resume_clock(complaint=complaint, by=request.user),
        done=_("The answer's clock runs again."),
    )


@require_POST
@permission_required("complaints.answer_complaint", raise_exception=True)
def prepare_letter(request, pk):
    """The answer letter filled in from a template with the answer written so far: a ``.docx`` to edit and
    sign, or the same letter as a printable page. Refused: a message, and back to the complaint."""
    complaint = complaint_or_404(request, pk)
    form = forms.PrepareLetterForm(request.POST, complaint=complaint)
    try:
        if not form.is_valid():
            raise ValidationError([error for errors in form.errors.values() for error in errors])
        prepared = services.complaint_prepare_letter(
            complaint=complaint,
            template=form.cleaned_data["letter_template"],
            answer_text=form.cleaned_data["answer_text"],
            output=form.cleaned_data["output"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _("No letter was prepared: %(reason)s") % {"reason": " ".join(error.messages)})
        return redirect(complaint)
    if form.cleaned_data["output"] == "docx":
        response = HttpResponse(prepared.content, content_type=letters.DOCX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, prepared.filename)
    else:
        context = {
            "complaint": complaint,
            "letter": letters.letter_paragraphs(prepared.content),
            "letter_language": prepared.language,
        }
        response = render(request, "complaints/letter_print.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
