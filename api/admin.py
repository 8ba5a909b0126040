"""API clients in the admin: created and changed through the services; the token is shown once, at creation
(or when a new one is made), and never again; revoked by an action. Idempotency keys are read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactcenter.admin_mixins import ReadOnlyAdminMixin

from . import scopes, services
from .models import ApiClient, IdempotencyKey


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
