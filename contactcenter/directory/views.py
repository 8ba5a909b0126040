from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from contactcenter.audit.models import AuditEntry
from contactcenter.audit.sentences import history_lines
from contactcenter.exports import csv_download, refused_download

from . import exports, merging, services
from . import forms as merging_forms
from .filters import CustomerFilter
from .forms import CustomerForm
from .history import customer_history
from .lockout import clear_lockout
from .models import Branch, Customer, Team


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's last step of a password reset; the new password also ends any lockout of the user, whose
    failed logins may have been somebody else's."""

    def form_valid(self, form):
        response = super().form_valid(form)
        clear_lockout(form.user)
        return response


def home(request):
    branches = Branch.objects.for_user(request.user).active().prefetch_related("working_hours")
    return render(request, "directory/home.html", {"branches": branches})


@permission_required("directory.view_customer", raise_exception=True)
def customer_list(request):
    queryset = Customer.objects.for_user(request.user).select_related("branch")
    customer_filter = CustomerFilter(request.GET, queryset=queryset, user=request.user)
    if request.GET.get("format") == "csv":
        if not customer_filter.is_valid():
            return refused_download(customer_filter.form)
        return csv_download(
            "customers.csv", exports.COLUMNS, customer_filter.qs.iterator(chunk_size=500), request=request
        )
    page = Paginator(customer_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/customer_list.html", {"filter": customer_filter, "page": page})


@permission_required("directory.view_customer", raise_exception=True)
def customer_detail(request, pk):
    customer = Customer.objects.for_user(request.user).select_related("branch", "created_by").filter(pk=pk).first()
    if customer is None:
        # A record merged into another: its old links lead to the record kept.
        merged = get_object_or_404(Customer.objects.merged_for_user(request.user), pk=pk)
        messages.info(request, _("Record #%(number)d was merged into this one.") % {"number": merged.pk})
        return redirect(merged.merged_into)
    # The history of the record and of the records merged into it.
    merged_ids = list(customer.merged_records.values_list("pk", flat=True))
    history = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Customer), object_id__in=[customer.pk, *merged_ids]
    ).select_related("actor")[:50]
    history = history_lines(history, zone=customer.branch.tz, user=request.user)
    sections = customer_history(customer, request.user)
    return render(
        request,
        "directory/customer_detail.html",
        {"customer": customer, "history": history, "sections": sections, "now": timezone.now()},
    )


@permission_required("directory.add_customer", raise_exception=True)
def customer_create(request):
    form = CustomerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Customer %(name)s registered.") % {"name": customer.full_name})
            return redirect(customer)
    return render(request, "directory/customer_form.html", {"form": form})


@permission_required("directory.change_customer", raise_exception=True)
def customer_update(request, pk):
    customer = get_object_or_404(Customer.objects.for_user(request.user), pk=pk)
    form = CustomerForm(request.POST or None, instance=customer, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.CUSTOMER_EDITABLE_FIELDS}
        try:
            customer = services.customer_update(customer=Customer.objects.get(pk=pk), by=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(customer)
    return render(request, "directory/customer_form.html", {"form": form, "customer": customer})


@permission_required("directory.merge_customer", raise_exception=True)
def customer_merge(request, pk):
    """Merge two records of one person: choose the other record (``?other=``), see what will move, confirm."""
    customer = get_object_or_404(Customer.objects.for_user(request.user).select_related("branch"), pk=pk)
    same_branch = Customer.objects.for_user(request.user).filter(branch=customer.branch).exclude(pk=customer.pk)
    other_id = request.POST.get("other") or request.GET.get("other") or ""
    if not other_id:
        query = (request.GET.get("q") or "").strip()[:100]
        if query:
            candidates = same_branch.search(query, [customer.branch.country])
        else:
            # Likely twins: the same name, or the same last seven digits of the number.
            candidates = same_branch.filter(
                Q(full_name__iexact=customer.full_name) | Q(phone__endswith=customer.phone[-7:])
            )
        return render(
            request,
            "directory/customer_merge.html",
            {"customer": customer, "query": query, "candidates": candidates.order_by("full_name", "pk")[:20]},
        )
    other = same_branch.filter(pk=other_id).first() if other_id.isdigit() and len(other_id) <= 18 else None
    if other is None:
        messages.error(request, _("Choose the other record among this branch's customers."))
        return redirect("directory:customer-merge", pk=customer.pk)
    form = merging_forms.CustomerMergeForm(request.POST or None, first=customer, second=other)
    if request.method == "POST" and form.is_valid():
        kept, removed = form.kept_and_removed()
        try:
            moved = merging.customer_merge(keep=kept, remove=removed, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": " ".join(error.messages)})
        else:
            count = sum(len(ids) for ids in moved.values())
            messages.success(
                request,
                ngettext(
                    "Records merged: %(count)d row moved to this record.",
                    "Records merged: %(count)d rows moved to this record.",
                    count,
                )
                % {"count": count},
            )
            return redirect(kept)
    previews = [
        merging.customer_merge_preview(keep=customer, remove=other),
        merging.customer_merge_preview(keep=other, remove=customer),
    ]
    return render(
        request,
        "directory/customer_merge.html",
        {"customer": customer, "other": other, "form": form, "previews": previews},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("directory.view_branch", raise_exception=True)
def branch_list(request):
    branches = (
        Branch.objects.for_user(request.user)
        .select_related("manager", "deputy_director")
        .prefetch_related("working_hours")
    )
    return render(request, "directory/branch_list.html", {"branches": branches})


@permission_required("directory.view_branch", raise_exception=True)
def branch_detail(request, code):
    branch = get_object_or_404(
        Branch.objects.for_user(request.user).select_related("manager", "deputy_director"), code=code
    )
    teams = Team.objects.filter(branch=branch).select_related("supervisor").prefetch_related("members")
    staff = branch.staff.filter(is_active=True).prefetch_related("groups").order_by("last_name", "first_name")
    return render(
        request,
        "directory/branch_detail.html",
        {"branch": branch, "teams": teams, "staff": staff, "hours": branch.working_hours.all()},
    )


@login_not_required
@require_POST
def switch_language(request):
    """Django's ``set_language`` (the login page has the switch too), remembered on the user's profile."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
