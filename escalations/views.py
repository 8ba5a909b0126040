from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcenter.audit.models import AuditEntry
from contactcenter.audit.sentences import history_lines
from contactcenter.case_pages import case_action, customer_for_new_case, show_service_error
from contactcenter.deadlines.models import Deadline
from contactcenter.exports import csv_download, local_time, refused_download

from . import exports, selectors, services
from .filters import EscalationFilter
from .forms import CloseForm, ContactForm, EscalationForm, FiguresForm, TransferForm


@permission_required("escalations.view_escalation", raise_exception=True)
def escalation_list(request):
    """The supervisor's list (an operator's own escalations; what reached security, for security)."""
    escalation_filter = EscalationFilter(
        request.GET, queryset=selectors.escalations_for_list(request.user), user=request.user
    )
    escalations = escalation_filter.qs
    if not request.GET.get("ordering"):
        escalations = escalations.most_urgent_first()
    if request.GET.get("format") == "csv":
        if not escalation_filter.is_valid():
            return refused_download(escalation_filter.form)
        return csv_download("escalations.csv", exports.COLUMNS, escalations.iterator(chunk_size=500), request=request)
    page = Paginator(escalations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "escalations/list.html", {"filter": escalation_filter, "page": page, "now": timezone.now()})


@permission_required("escalations.add_escalation", raise_exception=True)
def escalation_create(request):
    """The operator's short form; from a callback or a complaint (``?callback=`` / ``?complaint=``) the branch and
    the customer come from the case."""
    _customer, initial, refused = customer_for_new_case(request)
    initial = initial or {"customer_phone": request.GET.get("phone", "")}
    source = _source_from_query(request)
    if source is not None:
        initial.update(
            {
                "branch": source.branch_id,
                "customer_phone": source.customer.phone,
                type(source)._meta.model_name: source.pk,
            }
        )
    form = EscalationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        flags = form.transfer_flags
        transfer = None
        if flags is not None:
            transfer = services.Transfer(
                customer_agreed=flags[0],
                answered=flags[1],
                to_user=data.get("transfer_to"),
                to_name=data.get("transfer_to_name", ""),
            )
        try:
            escalation = services.escalation_open(
                branch=data["branch"],
                customer_phone=data["customer_phone"],
                customer_name=data["customer_name"],
                kind=data["kind"],
                customer_wants=data["customer_wants"],
                opened_by=request.user,
                callback=data.get("callback"),
                complaint=data.get("complaint"),
                about_operator=data.get("about_operator"),
                transfer=transfer,
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _message_after_opening(escalation))
            return redirect(escalation)
    return render(request, "escalations/form.html", {"form": form, "source": source}, status=404 if refused else 200)


def _source_from_query(request):
    from callbacks.models import Callback
    from complaints.models import Complaint

    for name, model in (("callback", Callback), ("complaint", Complaint)):
        value = request.GET.get(name) or request.POST.get(name)
        if value and value.isdigit():
            return get_object_or_404(model.objects.for_user(request.user).select_related("customer"), pk=value)
    return None


def _message_after_opening(escalation) -> str:
    if escalation.awaits_contact:
        return _("%(escalation)s recorded: %(level)s must call the customer back by %(due)s.") % {
            "escalation": escalation,
            "level": escalation.get_level_display(),
            "due": local_time(escalation.due_at, escalation.branch.tz),
        }
    return _("%(escalation)s recorded: handled live.") % {"escalation": escalation}


def _visible(request, pk):
    return get_object_or_404(
        selectors.visible_escalations(request.user).select_related(
            "customer",
            "branch",
            "kind",
            "opened_by",
            "about_operator",
            "acknowledged_by",
            "contacted_by",
            "closed_by",
            "callback__customer",
            "complaint",
            "resulting_complaint",
        ),
        pk=pk,
    )


@permission_required("escalations.view_escalation", raise_exception=True)
def escalation_detail(request, pk, status=200, **forms):
    escalation = _visible(request, pk)
    context = {
        "escalation": escalation,
        "transfers": selectors.transfers_of(escalation),
        "clocks": Deadline.objects.for_case(escalation).select_related("owner").order_by("-opened_at")[:20],
        "history": history_lines(
            AuditEntry.objects.for_target(escalation).select_related("actor")[:50],
            zone=escalation.branch.tz,
            user=request.user,
        ),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "close_form": forms.get("close_form") or CloseForm(escalation=escalation),
        "transfer_form": forms.get("transfer_form") or TransferForm(escalation=escalation),
        "now": timezone.now(),
    }
    return render(request, "escalations/detail.html", context, status=status)


def _act(request, pk, *, form, perform, done, form_name):
    """One action of the detail page (``case_action``); the page again with the bound form when it is refused."""
    return case_action(
        request,
        case=_visible(request, pk),
        form=form,
        perform=perform,
        done=done,
        page_with=lambda bound: escalation_detail(request, pk, status=400, **{form_name: bound}),
    )


@require_POST
@permission_required("escalations.handle_escalation", raise_exception=True)
def escalation_acknowledge(request, pk):
    return _act(
        request,
        pk,
        form=None,
        perform=lambda escalation, data: services.escalation_acknowledge(escalation=escalation, by=request.user),
        done=_("Acknowledged: it is yours now. Call the customer back by the due time."),
        form_name="",
    )


@require_POST
@permission_required("escalations.handle_escalation", raise_exception=True)
def escalation_contact(request, pk):
    return _act(
        request,
        pk,
        form=ContactForm(request.POST),
        perform=lambda escalation, data: services.escalation_record_contact(
            escalation=escalation, by=request.user, note=data["note"]
        ),
        done=_("The call with the customer is recorded."),
        form_name="contact_form",
    )


@require_POST
@permission_required("escalations.handle_escalation", raise_exception=True)
def escalation_close(request, pk):
    escalation = _visible(request, pk)
    return _act(
        request,
        pk,
        form=CloseForm(request.POST, escalation=escalation),
        perform=lambda escalation, data: services.escalation_close(
            escalation=escalation,
            by=request.user,
            outcome=data["outcome"],
            note=data["note"],
            complaint_category=data["complaint_category"] or None,
        ),
        done=_("The outcome is recorded and the escalation is closed."),
        form_name="close_form",
    )


@require_POST
@permission_required("escalations.add_transferattempt", raise_exception=True)
def transfer_create(request, pk):
    escalation = _visible(request, pk)

    def perform(escalation, data):
        result = data["result"]
        services.transfer_record(
            escalation=escalation,
            by=request.user,
            to_user=data["to_user"],
            to_name=data["to_name"],
            customer_agreed=result != EscalationForm.TRANSFER_DECLINED,
            answered=result == EscalationForm.TRANSFER_ANSWERED,
            note=data["note"],
        )

    return _act(
        request,
        pk,
        form=TransferForm(request.POST, escalation=escalation),
        perform=perform,
        done=_("The transfer is recorded."),
        form_name="transfer_form",
    )


@permission_required("escalations.view_quality_figures", raise_exception=True)
def quality_figures(request):
    """Per operator, for quality control: escalations opened (by kind), turned into complaints, and complaints
    about the operator, in a period."""
    form = FiguresForm(request.GET or None, user=request.user)
    date_from, date_to, branch = form.period()
    figures = selectors.quality_figures(user=request.user, date_from=date_from, date_to=date_to, branch=branch)
    if request.GET.get("format") == "csv":
        if form.errors:
            return refused_download(form)
        filename = f"escalation-figures-{date_from:%Y%m%d}-{date_to:%Y%m%d}.csv"
        return csv_download(filename, exports.figure_columns(figures.kinds), figures.rows, request=request)
    return render(request, "escalations/figures.html", {"form": form, "figures": figures})
