"""API clients (the IVR, the website, the CRM), their tokens, the idempotency keys of their requests, and their
webhooks: subscriptions, events and the deliveries of the outbox."""

from __future__ import annotations

import copy
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter import reference_cache
from contactcenter.alerts.outbox import OutboxQuerySet

from . import scopes


def validate_scopes(value) -> None:
    if not isinstance(value, list) or any(scope not in scopes.SCOPES for scope in value):
        raise ValidationError(_("Choose scopes from the list."))


class ApiClientQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at=None).filter(models.Q(expires_at=None) | models.Q(expires_at__gt=now))

    def authenticating(self, token_lookup: str) -> ApiClient | None:
        """The client whose token starts with ``token_lookup``, with its account and its branches: kept in the
        process while no client, client's branch, branch or staff record changed (``contactcenter.reference_cache``:
        one small query), so that a revoked token, a scope or a branch taken away still stops at once; read
        afresh, one query (a second one only for a client with no branch). Each caller gets copies of its own
        (the client, its account, its branches), free to change. Expiry is the caller's to compare with now."""
        found = reference_cache.cached(("api client", token_lookup), lambda: self._read_authenticating(token_lookup))
        if found is None:
            return None
        client = copy.copy(found)
        client.account = copy.copy(found.account)
        client.loaded_branches = [copy.copy(branch) for branch in found.loaded_branches]
        return client

    def _read_authenticating(self, token_lookup: str) -> ApiClient | None:
        links = list(
            ApiClient.branches.through.objects.filter(apiclient__token_lookup=token_lookup)
            .select_related("apiclient__account", "branch")
            .order_by("branch__code")
        )
        if not links:
            client = self.select_related("account").filter(token_lookup=token_lookup).first()
            if client is not None:
                client.loaded_branches = []
            return client
        client = links[0].apiclient
        client.loaded_branches = [link.branch for link in links]
        return client


class ApiClient(models.Model):
    """A program that calls the API: what it may do, for which branches, until when.

    Its ``account`` is a staff record that cannot log in (inactive, no password): the services and the audit
    trail name it as the one who acted, so every change made through the API is attributed to its client.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    branches = models.ManyToManyField(
        "directory.Branch", verbose_name=_("branches"), related_name="api_clients", blank=True
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True, validators=[validate_scopes])
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
    )
    token_lookup = models.CharField(_("token starts with"), max_length=12, unique=True, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, help_text=_("Empty: never."))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=600, help_text=_("More are answered 429 with Retry-After.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def token_hint(self) -> str:
        return f"cc_{self.token_lookup}.…"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def may(self, scope: str) -> bool:
        return scope in self.scopes

    def acting_branch(self, code: str):
        """The client's active branch with ``code`` (any case), or None; from the branches read with the client
        when it authenticated (``authenticating``), else from the database."""
        branches = getattr(self, "loaded_branches", None)
        if branches is None:
            return self.branches.filter(code__iexact=code, is_active=True).first()
        wanted = code.upper()
        return next((branch for branch in branches if branch.is_active and branch.code.upper() == wanted), None)


class IdempotencyKey(models.Model):
    """The first successful answer to a POST with an ``Idempotency-Key``, kept ``API_IDEMPOTENCY_KEEP_HOURS``.

    The unique constraint on (client, key) is what makes two identical requests at the same moment create one
    case: the second insert waits for the first transaction and then fails, and the second request answers
    with the first one's response."""

    client = models.ForeignKey(ApiClient, verbose_name=_("API client"), on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    path = models.CharField(_("path"), max_length=200)
    status_code = models.PositiveSmallIntegerField(_("status"))
    response = models.JSONField(_("response"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_key_unique")]

    def __str__(self):
        return f"{self.client} · {self.key}"


class EventType(models.TextChoices):
    """What a subscription may ask to hear of (``README``, "Webhooks")."""

    CASE_CREATED = "case.created", _("case created")
    CLOCK_DUE_SOON = "clock.due_soon", _("clock due soon")
    CLOCK_OVERDUE = "clock.overdue", _("clock overdue")
    CASE_CLOSED = "case.closed", _("case closed")
    COMPLAINT_FORWARDED = "complaint.forwarded", _("complaint forwarded")


def validate_event_types(value) -> None:
    if not isinstance(value, list) or not value or any(event not in EventType.values for event in value):
        raise ValidationError(_("Choose events from the list."))


class WebhookSubscriptionQuerySet(models.QuerySet):
    def active(self, now=None):
        """Not deleted, of a client whose token still works: only these are written events and sent them."""
        return self.filter(deleted_at=None, client__in=ApiClient.objects.usable(now).values("pk"))


class WebhookSubscription(models.Model):
    """An API client's wish to hear of some events by a POST to its URL, signed with the subscription's secret.

    The secret is kept as it was made: an HMAC is computed with the key itself, which a hash of it cannot give.
    It is shown once, when the subscription is made, and never again (the admin shows its first characters)."""

    client = models.ForeignKey(
        ApiClient, verbose_name=_("API client"), on_delete=models.PROTECT, related_name="subscriptions"
    )
    # Checked by ``subscriptions.check_subscription_fields`` (http or https only), not by a URLField's own rules.
    target_url = models.CharField(_("target URL"), max_length=2000)
    events = models.JSONField(_("events"), default=list, validators=[validate_event_types])
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    deleted_at = models.DateTimeField(
        _("deleted"), null=True, blank=True, editable=False, help_text=_("No event is written or sent any more.")
    )

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.client} → {self.target_url}"

    @property
    def secret_hint(self) -> str:
        return f"{self.secret[:10]}…"


class WebhookEvent(models.Model):
    """One thing that happened to a case, written in the transaction of the change, with the body every
    subscription receives (the same ``event_id`` for all: a receiver drops the copies by it)."""

    event_id = models.UUIDField(_("event id"), unique=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    occurred_at = models.DateTimeField(_("occurred"))
    branch = models.ForeignKey("directory.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(_("case"), max_length=40)
    payload = models.JSONField(_("payload"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-occurred_at"]

    def __str__(self):
        return f"{self.get_type_display()} · {self.case_number}"


class WebhookDeliveryQuerySet(OutboxQuerySet):
    def ready(self, now):
        """Ready, and of a subscription still active (asked by a subquery, as ``AlertQuerySet.ready`` explains)."""
        return super().ready(now).filter(subscription__in=WebhookSubscription.objects.active(now).values("pk"))

    def retryable(self):
        """Not those of a deleted subscription: nobody wants them any more."""
        return super().retryable().filter(subscription__deleted_at=None)


class WebhookDelivery(models.Model):
    """One event to one subscription: an outbox row (``contactcenter.alerts.outbox``), claimed, POSTed, marked
    delivered only on a 2xx, retried with back-off, failed after the last attempt and retryable in the admin.

    It has no Message-ID: the event's ``event_id`` is fixed when the event is written, and every failed
    attempt counts as in doubt (the receiver may have had it), so the next one carries the same id."""

    outbox_name = "webhook_delivery"

    event = models.ForeignKey(
        WebhookEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("subscription"), on_delete=models.PROTECT, related_name="deliveries"
    )
    created_at = models.DateTimeField(_("created"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_until = models.DateTimeField(_("held by a sender until"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    failed_at = models.DateTimeField(_("gave up"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="webhook_delivery_once_per_subscription")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_unsent_idx",
                condition=models.Q(sent_at=None, failed_at=None),
            ),
            models.Index(fields=["claim"], name="webhook_claim_idx", condition=~models.Q(claim="")),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription.target_url}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "delivered"
        if self.failed_at:
            return "failed"
        return "pending"
