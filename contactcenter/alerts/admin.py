from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Alert, MailServerStatus, OutboundEmail
from .outbox import outbox_retry
from .selectors import may_read_mail_errors


class MailErrorsForAdministratorsMixin:
    """The mail server's raw error only for administrators (``selectors.may_read_mail_errors``)."""

    @staticmethod
    def _for(request, fields):
        return fields if may_read_mail_errors(request.user) else [f for f in fields if f != "last_error"]

    def get_fields(self, request, obj=None):
        return self._for(request, super().get_fields(request, obj))

    def get_list_display(self, request):
        return self._for(request, super().get_list_display(request))

    def get_search_fields(self, request):
        return self._for(request, super().get_search_fields(request))


@admin.register(Alert)
class AlertAdmin(MailErrorsForAdministratorsMixin, admin.ModelAdmin):
    list_display = [
        "deadline",
        "level",
        "reminder",
        "recipient",
        "created_at",
        "attempts",
        "sent_at",
        "failed_at",
        "skipped_at",
    ]
    list_filter = [
        "level",
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
        ("skipped_at", admin.EmptyFieldListFilter),
        "deadline__kind",
        "deadline__branch",
    ]
    search_fields = ["deadline__title", "recipient__username", "recipient__email", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["deadline", "recipient"]
    readonly_fields = [field.name for field in Alert._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Try the selected failed or waiting alerts again now"), permissions=["change"])
    def retry_now(self, request, queryset):
        count = outbox_retry(rows=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d alert will be sent again.", "%(count)d alerts will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OutboundEmail)
class OutboundEmailAdmin(MailErrorsForAdministratorsMixin, admin.ModelAdmin):
    """Read-only, like the alerts: messages are queued by the case services and sent by the outbox."""

    list_display = [
        "subject",
        "purpose",
        "recipients_list",
        "requested_by",
        "created_at",
        "attempts",
        "sent_at",
        "message_id",
        "failed_at",
    ]
    list_filter = ["purpose", ("sent_at", admin.EmptyFieldListFilter), ("failed_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "message_id", "last_error", "to", "cc"]
    date_hierarchy = "created_at"
    list_select_related = ["requested_by"]
    # The HTML body is the text body dressed up; the text is enough to see what was sent.
    exclude = ["html_body"]
    readonly_fields = [field.name for field in OutboundEmail._meta.fields if field.name != "html_body"]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("recipients"))
    def recipients_list(self, email):
        return ", ".join(email.recipients)

    @admin.action(description=_("Try the selected failed or waiting e-mails again now"), permissions=["change"])
    def retry_now(self, request, queryset):
        count = outbox_retry(rows=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d e-mail will be sent again.", "%(count)d e-mails will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(MailServerStatus)
class MailServerStatusAdmin(MailErrorsForAdministratorsMixin, admin.ModelAdmin):
    """What the senders last learnt of the mail server: read-only, the senders keep it."""

    list_display = ["__str__", "down_since", "checked_at", "last_error"]
    readonly_fields = [field.name for field in MailServerStatus._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
