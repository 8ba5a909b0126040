from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcenter.audit.models import AuditEntry
from contactcenter.audit.sentences import history_lines
from contactcenter.case_pages import case_action, customer_for_new_case, show_service_error
from contactcenter.deadlines.forms import PauseForm
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.selectors import untold_move_notices
from contactcenter.exports import csv_download, refused_download

from . import exports, services
from .due import due_explanation
from .filters import CallbackFilter
from .forms import AttemptForm, CallbackForm, CancelForm, DuePreviewForm, ReassignForm
from .models import Callback
from .retries import retry_wait
from .selectors import (
    callbacks_closed_today,
    callbacks_for_list,
    my_open_callbacks,
    next_callable_at,
    queue_callable_now,
)


@permission_required("callbacks.view_callback", raise_exception=True)
def my_callbacks(request):
    """The operator's own open callbacks, most urgent first, and the "Take next" button."""
    callbacks = list(my_open_callbacks(request.user))
    # What "Take next" would offer now: not the customers outside their calling hours.
    queue = queue_callable_now(request.user, now=timezone.now()).count()
    return render(request, "callbacks/mine.html", {"callbacks": callbacks, "queue": queue, "now": timezone.now()})


@permission_required("callbacks.view_callback", raise_exception=True)
def done_today(request):
    """The callbacks the user closed since midnight in their branches' zone, newest first."""
    tz = request.user.reading_zone()
    page = Paginator(callbacks_closed_today(request.user, tz=tz), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "callbacks/done_today.html", {"page": page, "time_zone": tz})


@require_POST
@permission_required("callbacks.change_callback", raise_exception=True)
def take_next(request):
    callback = services.callback_take_next(operator=request.user)
    if callback is None:
        waiting = Callback.objects.for_user(request.user).in_queue()
        later = next_callable_at(waiting, now=timezone.now())
        if later is None:
            messages.info(request, _("The queue is empty: no callback is waiting."))
        else:
            messages.info(
                request,
                _(
                    "%(count)d callback(s) wait, but their customers are outside their calling hours now: the next "
                    "may be called from %(moment)s your time."
                )
                % {
                    "count": waiting.count(),
                    "moment": timezone.localtime(later, request.user.reading_zone()).strftime("%d.%m.%Y %H:%M"),
                },
            )
        return redirect("callbacks:mine")
    messages.success(request, _("%(callback)s is yours now.") % {"callback": callback})
    return redirect(callback)


@permission_required("callbacks.view_callback", raise_exception=True)
def callback_list(request):
    callback_filter = CallbackFilter(request.GET, queryset=callbacks_for_list(request.user), user=request.user)
    callbacks = callback_filter.qs
    if not request.GET.get("ordering"):
        callbacks = callbacks.order_by("status", "next_contact_at", "-pk")
    if request.GET.get("format") == "csv":
        if not callback_filter.is_valid():
            return refused_download(callback_filter.form)
        return csv_download("callbacks.csv", exports.COLUMNS, callbacks.iterator(chunk_size=500), request=request)
    page = Paginator(callbacks, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    reassign_form = ReassignForm(user=request.user)
    return render(
        request,
        "callbacks/list.html",
        {"filter": callback_filter, "page": page, "reassign_form": reassign_form, "now": timezone.now()},
    )


@permission_required("callbacks.add_callback", raise_exception=True)
def due_preview(request):
    """The registration form asks, as the reason or the operator changes, when the callback would be due
    (JSON for ``static/js/callback-form.js``): the same computation the clock will make."""
    form = DuePreviewForm(request.GET, user=request.user)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    data = form.cleaned_data
    return JsonResponse(
        due_explanation(
            reason=data["reason"],
            branch=data["branch"],
            operator=data["assigned_to"],
            now=timezone.now(),
            tz=request.user.reading_zone(fallback=data["branch"].tz),
        )
    )


@permission_required("callbacks.add_callback", raise_exception=True)
def callback_create(request):
    _customer, initial, refused = customer_for_new_case(request)
    form = CallbackForm(
        request.POST or None, user=request.user, initial=initial or {"customer_phone": request.GET.get("phone", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            callback = services.callback_register(
                branch=data["branch"],
                customer_phone=data["customer_phone"],
                customer_name=data["customer_name"],
                reason=data["reason"],
                customer_said=data["customer_said"],
                channel=data["channel"],
                priority=data["priority"],
                assigned_to=data["assigned_to"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                confirm_outside_hours=data["confirm_outside_hours"],
                created_by=request.user,
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("%(callback)s registered.") % {"callback": callback})
            return redirect(callback)
    return render(request, "callbacks/form.html", {"form": form}, status=404 if refused else 200)


def _visible(request, pk):
    return get_object_or_404(
        Callback.objects.for_user(request.user).select_related("customer", "branch", "reason", "assigned_to"), pk=pk
    )


@permission_required("callbacks.view_callback", raise_exception=True)
def callback_detail(request, pk, attempt_form=None, cancel_form=None, pause_form=None, status=200):
    callback = _visible(request, pk)
    clocks = list(Deadline.objects.for_case(callback).order_by("-opened_at")[:20])
    context = {
        "callback": callback,
        "attempts": callback.attempts.select_related("by"),
        "clocks": clocks,
        "open_clock": next((clock for clock in clocks if clock.is_open), None),
        "can_pause_clock": callback.is_open and request.user.has_perm("deadlines.pause_deadline"),
        "pause_form": pause_form or PauseForm(),
        "history": history_lines(
            AuditEntry.objects.for_target(callback).select_related("actor")[:50],
            zone=callback.branch.tz,
            user=request.user,
        ),
        "attempt_form": attempt_form or AttemptForm(callback=callback, user=request.user),
        "retry_at": retry_wait(callback, now=timezone.now()) if callback.is_open else None,
        "cancel_form": cancel_form or CancelForm(),
        "move_notices": untold_move_notices(callback, request.user),
        "now": timezone.now(),
    }
    return render(request, "callbacks/detail.html", context, status=status)


@require_POST
@permission_required("callbacks.change_callback", raise_exception=True)
def attempt_create(request, pk):
    callback = _visible(request, pk)
    form = AttemptForm(request.POST, callback=callback, user=request.user)
    if form.is_valid():
        try:
            attempt = services.attempt_log(callback=callback, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Attempt logged: %(outcome)s.") % {"outcome": attempt.get_outcome_display()})
            return redirect(callback)
    return callback_detail(request, pk, attempt_form=form)


@require_POST
@permission_required("callbacks.change_callback", raise_exception=True)
def callback_cancel(request, pk):
    callback = _visible(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.callback_cancel(callback=callback, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The callback is cancelled."))
            return redirect(callback)
    return callback_detail(request, pk, cancel_form=form)


@require_POST
@permission_required("callbacks.reassign_callback", raise_exception=True)
def callback_reassign(request):
    form = ReassignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            count = services.callback_reassign(
                callbacks=form.cleaned_data["callbacks"], to=form.cleaned_data["to"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)d callback(s) reassigned.") % {"count": count})
    else:
        messages.error(request, _("Choose the callbacks to reassign and an operator of their branch."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "callbacks:list"
    return redirect(target)


@require_POST
@permission_required("deadlines.pause_deadline", raise_exception=True)
def clock_pause(request, pk):
    """A supervisor stops the promised contact's clock, with a reason."""
    return case_action(
        request,
        case=_visible(request, pk),
        form=PauseForm(request.POST),
        perform=lambda callback, data: services.callback_pause_clock(callback=callback, by=request.user, **data),
        done=_("The clock is paused."),
        page_with=lambda form: callback_detail(request, pk, pause_form=form, status=400),
    )


@require_POST
@permission_required("deadlines.pause_deadline", raise_exception=True)
def clock_resume(request, pk):
    return case_action(
        request,
        case=_visible(request, pk),
        perform=lambda callback, data: services.callback_resume_clock(callback=callback, by=request.user),
        done=_("The clock runs again."),
    )
