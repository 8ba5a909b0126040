"""API clients (the IVR, the website, the CRM), their tokens, and the idempotency keys of their requests."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import scopes


def validate_scopes(value) -> None:
    if not isinstance(value, list) or any(scope not in scopes.SCOPES for scope in value):
        raise ValidationError(_("Choose scopes from the list."))


class ApiClientQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at=None).filter(models.Q(expires_at=None) | models.Q(expires_at__gt=now))


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
