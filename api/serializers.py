"""What the API accepts and answers. Input serializers check the shape of a request (types, lengths, known
codes, the client's branches); every rule of the case itself is the service's, which the view calls."""

import base64
import binascii
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from callbacks.models import Callback, CallbackReason
from complaints.models import Category
from complaints.models import Channel as ComplaintChannel
from contactcenter import reference_cache
from contactcenter.typed_dates import EARLIEST_DAY, LATEST_DAY
from escalations.models import EscalationKind

from .models import EventType

API_CALLBACK_CHANNELS = [
    Callback.Channel.IVR,
    Callback.Channel.WEBSITE,
    Callback.Channel.MOBILE_APP,
    Callback.Channel.CRM,
]
PRIORITIES = {"normal": Callback.Priority.NORMAL, "high": Callback.Priority.HIGH, "urgent": Callback.Priority.URGENT}
PRIORITY_NAMES = {value: name for name, value in PRIORITIES.items()}


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know: a typo must not be ignored silently."""

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown}, code="unknown_field")
        return attrs

    def to_internal_value(self, data):
        if not isinstance(data, dict) and not hasattr(data, "getlist"):
            raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]}, code="invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "date-time", "example": "2026-12-01T14:30:00+03:00"})
class MomentField(serializers.Field):
    """An ISO 8601 moment with its offset (``2026-12-01T14:30:00+03:00`` or ``…Z``), from 2000 to 2099."""

    default_error_messages = {
        "invalid": gettext_lazy("Give a moment as 2026-12-01T14:30:00+03:00."),
        "naive": gettext_lazy("Give the moment with its offset, e.g. +03:00 or Z."),
        "range": gettext_lazy("Give a moment from 2000 to 2099."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 40:
            self.fail("invalid")
        try:
            moment = parse_datetime(data.strip())
        except (ValueError, OverflowError):
            moment = None
        if moment is None:
            self.fail("invalid")
        if timezone.is_naive(moment):
            self.fail("naive")
        if not EARLIEST_DAY.year <= moment.year <= LATEST_DAY.year:
            self.fail("range")
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            self.fail("range")

    def to_representation(self, value):
        return value.isoformat() if value else None


@extend_schema_field({"type": "string", "maxLength": 16, "example": "MSK"})
class BranchField(serializers.Field):
    """A branch code among the client's branches."""

    default_error_messages = {"invalid": gettext_lazy("Give a branch code, e.g. MSK.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The branch's code, e.g. MSK; one of the client's branches.")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not 0 < len(data.strip()) <= 16 or "\x00" in data:
            self.fail("invalid")
        code = data.strip()
        client = self.context["request"].auth
        branch = client.acting_branch(code)
        if branch is None:
            raise serializers.ValidationError(
                _("This client may not act for branch “%(code)s”.") % {"code": code}, code="branch"
            )
        return branch

    def to_representation(self, value):
        return value.code


class CodeField(serializers.SlugRelatedField):
    """An active row named by its code; a value that cannot be a code (NUL, too long) never reaches the database
    (PostgreSQL refuses a NUL in any text)."""

    def check_code(self, data) -> None:
        if not isinstance(data, str) or not data or len(data) > 64 or "\x00" in data:
            self.fail("invalid")

    def to_internal_value(self, data):
        self.check_code(data)
        return super().to_internal_value(data)


class ActiveCodeField(CodeField):
    """An active row of ``model`` (a reference table: ``contactcenter.reference_cache``) named by its code, kept in
    the process while the reference tables are unchanged; the caller gets a copy of its own."""

    def __init__(self, *, model, **kwargs):
        if model._meta.db_table not in reference_cache.REFERENCE_TABLES:
            raise ImproperlyConfigured(f"{model._meta.label} is not a reference table: use CodeField.")
        self.model = model
        super().__init__(slug_field="code", queryset=model.objects.filter(is_active=True), **kwargs)

    def to_internal_value(self, data):
        self.check_code(data)
        found = reference_cache.cached_instance(
            ("active code", self.model._meta.label, data),
            lambda: self.get_queryset().filter(**{self.slug_field: data}).order_by("pk").first(),
        )
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return found


class CustomerFields(StrictSerializer):
    branch = BranchField()
    customer_phone = serializers.CharField(max_length=40, help_text="Any spelling: +7 916 123-45-67, 89161234567…")
    customer_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True, help_text="Needed for a new customer only."
    )


class CallbackCreate(CustomerFields):
    reason = ActiveCodeField(model=CallbackReason, help_text="The reason's code, e.g. callback_requested.")
    customer_said = serializers.CharField(max_length=5000, help_text="What the customer already said.")
    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in API_CALLBACK_CHANNELS])
    priority = serializers.ChoiceField(choices=list(PRIORITIES), required=False, default="normal")
    window_start = MomentField(required=False, allow_null=True, default=None, help_text="The customer's time from.")
    window_end = MomentField(required=False, allow_null=True, default=None, help_text="The customer's time until.")
    confirm_outside_hours = serializers.BooleanField(
        required=False, default=False, help_text="The customer chose a time outside the branch's working hours."
    )


class Clock(serializers.Serializer):
    kind = serializers.CharField()
    state = serializers.CharField()
    due_at = MomentField()


class CaseStatus(serializers.Serializer):
    number = serializers.CharField(help_text="The callback's or escalation's number, or a complaint's register number.")
    type = serializers.ChoiceField(choices=["callback", "complaint", "escalation"])
    branch = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    customer_phone = serializers.CharField()
    created_at = MomentField()
    due_at = MomentField(allow_null=True, help_text="The next open clock's due moment; null when none is open.")
    clocks = Clock(many=True)


class CallbackStatus(CaseStatus):
    channel = serializers.CharField()
    reason = serializers.CharField()
    priority = serializers.CharField()
    window_start = MomentField(allow_null=True)
    window_end = MomentField(allow_null=True)


class Base64Photo(StrictSerializer):
    name = serializers.CharField(max_length=255)
    content = serializers.CharField(
        max_length=(settings.COMPLAINT_PHOTO_MAX_BYTES * 4) // 3 + 8, help_text="The image's bytes in base64."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        try:
            data = base64.b64decode(attrs["content"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise serializers.ValidationError({"content": [_("This is not base64.")]}) from error
        return ContentFile(data, name=attrs["name"])


class ComplaintCreate(CustomerFields):
    channel = serializers.ChoiceField(choices=ComplaintChannel.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    received_at = MomentField()
    summary = serializers.CharField(max_length=10000)
    photos = serializers.ListField(
        child=serializers.FileField(max_length=255),
        required=False,
        default=list,
        max_length=20,
        help_text="Photos of the pages (multipart/form-data): JPEG, PNG or WebP.",
    )
    photos_base64 = Base64Photo(many=True, required=False, default=list, max_length=20)


class ComplaintStatus(CaseStatus):
    channel = serializers.CharField()
    category = serializers.CharField()
    received_at = MomentField()
    pages = serializers.IntegerField()


class EscalationCreate(CustomerFields):
    kind = CodeField(
        slug_field="code", queryset=EscalationKind.objects.filter(is_active=True), help_text="The kind's code."
    )
    customer_wants = serializers.CharField(max_length=5000)
    about_operator = serializers.CharField(
        max_length=150,
        required=False,
        default="",
        allow_blank=True,
        help_text="The username of the operator complained about, for a kind that names one.",
    )


class EscalationStatus(CaseStatus):
    kind = serializers.CharField()
    level = serializers.CharField()


class OpenCasesQuery(StrictSerializer):
    phone = serializers.CharField(max_length=40)
    branch = BranchField(required=False)


class OpenCases(serializers.Serializer):
    phone = serializers.CharField()
    cases = CaseStatus(many=True)


class SubscriptionCreate(StrictSerializer):
    target_url = serializers.CharField(
        max_length=2000, help_text="Where the events are POSTed: an http:// or https:// URL."
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        min_length=1,
        max_length=len(EventType.values),
        help_text="The events to receive.",
    )


class Subscription(serializers.Serializer):
    id = serializers.IntegerField()
    target_url = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))
    created_at = MomentField()


class SubscriptionCreated(Subscription):
    secret = serializers.CharField(
        help_text="The signing secret (whsec_…), shown only in this answer: keep it to verify X-Webhook-Signature."
    )
