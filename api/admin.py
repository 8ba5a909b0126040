"""API clients in the admin: created and changed through the services; the token is shown once, at creation
(or when a new one is made), and never again; revoked by an action. Idempotency keys are read-only.

Webhooks: subscriptions made and deleted through their services (the secret shown once); events read-only;
deliveries read-only, with "try again now" through the outbox's shared ``outbox_retry`` (audited)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contactcenter.admin_mixins import ReadOnlyAdminMixin
from contactcenter.alerts.outbox import outbox_retry

from . import scopes, services
from .models import ApiClient, EventType, IdempotencyKey, WebhookDelivery, WebhookEvent, WebhookSubscription
from .webhooks.subscriptions import check_subscription_fields, subscription_create, subscription_delete


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("scopes"), choices=scopes.CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ApiClient
        fields = ["name", "branches", "scopes", "expires_at", "requests_per_minute"]


def _show_token(request, client, token):
    messages.warning(
        request,
        _("The token of %(client)s, shown only now (copy it; only its hash is kept): %(token)s")
        % {"client": client, "token": token},
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "token_hint", "scope_list", "branch_list", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at", "branches"]
    search_fields = ["name", "token_lookup"]
    filter_horizontal = ["branches"]
    readonly_fields = ["token_hint", "account", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke", "new_token"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("branches")

    @admin.display(description=gettext_lazy("scopes"))
    def scope_list(self, client):
        return ", ".join(client.scopes)

    @admin.display(description=gettext_lazy("branches"))
    def branch_list(self, client):
        return ", ".join(branch.code for branch in client.branches.all())

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit trail names the client's account

    def save_model(self, request, obj, form, change):
        """Through the services: the form's clean() has run their checks, so they accept what it accepted."""
        data = form.cleaned_data
        fields = {
            "scopes": data["scopes"],
            "expires_at": data["expires_at"],
            "requests_per_minute": data["requests_per_minute"],
        }
        if change:
            services.api_client_update(
                client=ApiClient.objects.get(pk=obj.pk),
                by=request.user,
                branches=list(data["branches"]),
                name=data["name"],
                **fields,
            )
            return
        client, token = services.api_client_create(
            name=data["name"], branches=list(data["branches"]), by=request.user, **fields
        )
        obj.pk, obj.account_id, obj.token_lookup = client.pk, client.account_id, client.token_lookup
        obj._state.adding = False
        _show_token(request, client, token)

    def save_related(self, request, form, formsets, change):
        pass  # the services set the branches (the client's and its account's)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class CheckedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                try:
                    services.check_client_fields(
                        name=cleaned.get("name") or "",
                        scopes=cleaned.get("scopes") or [],
                        expires_at=cleaned.get("expires_at") if "expires_at" in self.changed_data else None,
                        exclude_pk=self.instance.pk,
                    )
                except ValidationError as error:
                    self.add_error(None, error)
                return cleaned

        return CheckedForm

    @admin.action(description=gettext_lazy("Revoke the token of the selected clients"))
    def revoke(self, request, queryset):
        for client in queryset:
            services.api_client_revoke(client=client, by=request.user)
        self.message_user(request, _("%(count)d client(s) revoked.") % {"count": queryset.count()})

    @admin.action(description=gettext_lazy("Give the selected clients a new token (the old one stops working)"))
    def new_token(self, request, queryset):
        for client in queryset:
            _show_token(request, client, services.api_client_new_token(client=client, by=request.user))


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "client", "key", "path", "status_code"]
    list_filter = ["client", "path"]
    search_fields = ["key"]
    date_hierarchy = "created_at"
    list_select_related = ["client"]


class SubscriptionForm(forms.ModelForm):
    target_url = forms.URLField(label=gettext_lazy("target URL"), max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["client", "target_url", "events"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                check_subscription_fields(
                    client=cleaned.get("client"), target_url=cleaned.get("target_url") or "", events=cleaned["events"]
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Made here or through the API; never changed (delete it and make another); deleted by the action, which
    keeps the row for its deliveries."""

    form = SubscriptionForm
    list_display = ["client", "target_url", "event_list", "secret_hint", "created_at", "deleted_at"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter), "client"]
    search_fields = ["target_url", "client__name"]
    list_select_related = ["client"]
    readonly_fields = ["secret_hint", "created_at", "deleted_at"]
    actions = ["delete_subscriptions"]

    @admin.display(description=gettext_lazy("events"))
    def event_list(self, subscription):
        return ", ".join(subscription.events)

    @admin.display(description=gettext_lazy("signing secret"))
    def secret_hint(self, subscription):
        return subscription.secret_hint

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "client", "target_url", "events"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # the action below: the row stays for its deliveries

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("api.delete_webhooksubscription"):
            actions.pop("delete_subscriptions", None)
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing is editable once made
        data = form.cleaned_data
        subscription = subscription_create(
            client=data["client"], target_url=data["target_url"], events=data["events"], by=request.user
        )
        obj.pk, obj.secret, obj.created_at = subscription.pk, subscription.secret, subscription.created_at
        obj._state.adding = False
        messages.warning(
            request,
            _("The signing secret of this subscription, shown only now (give it to the receiver): %(secret)s")
            % {"secret": subscription.secret},
        )

    @admin.action(description=gettext_lazy("Delete the selected subscriptions (no more events)"))
    def delete_subscriptions(self, request, queryset):
        if not request.user.has_perm("api.delete_webhooksubscription"):
            raise PermissionDenied
        for subscription in queryset.filter(deleted_at=None):
            subscription_delete(subscription=subscription, by=request.user)
        self.message_user(request, _("The selected subscriptions get no more events."), messages.SUCCESS)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "type", "case_number", "branch", "event_id"]
    list_filter = ["type", "branch"]
    search_fields = ["event_id", "case_number"]
    date_hierarchy = "occurred_at"
    list_select_related = ["branch"]


class DeliveryStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("pending", gettext_lazy("waiting")),
            ("delivered", gettext_lazy("delivered")),
            ("failed", gettext_lazy("failed")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.unsent()
        if self.value() == "delivered":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "failed":
            return queryset.failed()
        return queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Read-only: the events write them and the sender marks them; "try again now" is the one change."""

    list_display = [
        "event",
        "client",
        "target_url",
        "created_at",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "last_status",
        "last_error",
    ]
    list_filter = [DeliveryStatusFilter, "event__type", "subscription__client"]
    search_fields = ["event__event_id", "event__case_number", "subscription__target_url", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["event", "subscription__client"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    actions = ["retry_now"]

    @admin.display(description=gettext_lazy("API client"), ordering="subscription__client__name")
    def client(self, delivery):
        return delivery.subscription.client

    @admin.display(description=gettext_lazy("target URL"))
    def target_url(self, delivery):
        return delivery.subscription.target_url

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=gettext_lazy("Try the selected failed or waiting deliveries again now"), permissions=["change"]
    )
    def retry_now(self, request, queryset):
        count = outbox_retry(rows=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d webhook will be delivered again.", "%(count)d webhooks will be delivered again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
