"""Callbacks: a promise to contact the customer again, kept until their problem is solved."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contactcenter.deadlines.rules import ClockRule, TermBasis, TermUnit, term_in_words
from contactcenter.directory.models import BranchScopedQuerySet
from contactcenter.formats import current_moment_text
from contactcenter.reference_labels import TranslatedLabels

CLOCK_KIND = "callback_contact"


def clock_names() -> dict:
    """The name of a callback's clock in queues and digests (the ``deadlines.names.clock_names`` hook)."""
    return {CLOCK_KIND: _("Promised contact with the customer")}


class CallbackReason(TranslatedLabels):
    """Why the customer is to be called back, and the clock that follows from it (edited in the admin).

    A range such as "2–3 days" is due soon at the first figure and overdue at the second; a single figure
    leaves the warning to the clock policy's share.
    """

    Unit = TermUnit
    Basis = TermBasis

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label = models.CharField(pgettext_lazy("of a thing", "name"), max_length=200)
    due_soon_after = models.PositiveIntegerField(
        _("due soon after"), null=True, blank=True, help_text=_("The first figure of a range, e.g. 2 of “2–3 days”.")
    )
    due_after = models.PositiveIntegerField(_("overdue after"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.HOURS)
    basis = models.CharField(_("counted in"), max_length=8, choices=Basis.choices, default=Basis.CALENDAR)
    retry_pause = models.DurationField(
        _("pause between attempts"),
        default=timedelta(hours=2),
        help_text=_("After no answer, try again this much later."),
    )
    vary_time_of_day = models.BooleanField(
        _("try at different times of day"),
        default=True,
        help_text=_("Move the next try to a part of the day (morning, midday, afternoon) not tried yet."),
    )
    attempts_before_unreachable = models.PositiveSmallIntegerField(
        _("attempts before “unreachable”"), default=3, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    class Meta:
        verbose_name = _("callback reason")
        verbose_name_plural = _("callback reasons")
        ordering = ["position", "label"]

    def clean(self):
        if self.due_soon_after is not None and self.due_after is not None and self.due_soon_after >= self.due_after:
            raise ValidationError({"due_soon_after": _("The first figure of a range must be smaller than the second.")})

    def _rule(self, amount: int) -> ClockRule:
        return ClockRule.from_term(amount, self.unit, self.basis)

    @property
    def due_rule(self) -> ClockRule:
        return self._rule(self.due_after)

    @property
    def due_soon_rule(self) -> ClockRule | None:
        return self._rule(self.due_soon_after) if self.due_soon_after else None

    @property
    def term(self) -> str:
        """ "1–2 business days", "1 hour", "24 hours"."""
        return term_in_words(unit=self.unit, basis=self.basis, upto=self.due_after, since=self.due_soon_after)


class CallbackQuerySet(BranchScopedQuerySet):
    def open(self):
        return self.filter(status=Callback.Status.OPEN)

    def in_queue(self):
        return self.open().filter(assigned_to=None)

    def most_urgent_first(self):
        return self.order_by("-priority", models.F("next_contact_at").asc(nulls_last=True), "pk")


class Callback(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("phone call")
        CHAT = "chat", _("chat")
        EMAIL = "email", _("e-mail")
        WEBSITE = "website", _("website form")
        BRANCH = "branch", _("branch visit")
        MESSENGER = "messenger", _("messenger")
        IVR = "ivr", _("IVR (phone menu)")
        MOBILE_APP = "mobile_app", _("mobile app")
        CRM = "crm", _("CRM")

    class Priority(models.IntegerChoices):
        NORMAL = 0, _("normal")
        HIGH = 1, _("high")
        URGENT = 2, _("urgent")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("callback status", "open")
        SOLVED = "solved", pgettext_lazy("callback status", "solved")
        UNREACHABLE = "unreachable", pgettext_lazy("callback status", "unreachable")
        CANCELLED = "cancelled", pgettext_lazy("callback status", "cancelled")

    branch = models.ForeignKey(
        "directory.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="callbacks"
    )
    customer = models.ForeignKey(
        "directory.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="callbacks"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    reason = models.ForeignKey(CallbackReason, verbose_name=_("reason"), on_delete=models.PROTECT)
    customer_said = models.TextField(
        _("what the customer said"), help_text=_("So that nobody asks the customer to repeat it.")
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callbacks",
        help_text=_("Empty: the callback waits in the branch queue."),
    )
    window_start = models.DateTimeField(_("customer's time from"), null=True, blank=True)
    window_end = models.DateTimeField(_("customer's time until"), null=True, blank=True)
    next_contact_at = models.DateTimeField(_("next contact due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("what was done"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = CallbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["-created_at"]
        permissions = [
            ("reassign_callback", _("Can reassign callbacks to other operators")),
            ("log_attempt_before_retry", _("Can log a missed attempt before the planned retry, with a reason")),
        ]
        indexes = [
            models.Index(
                fields=["branch", "priority", "next_contact_at"],
                name="callback_queue_idx",
                condition=models.Q(status="open", assigned_to=None),
            ),
            models.Index(fields=["assigned_to", "status", "next_contact_at"], name="callback_operator_idx"),
            models.Index(fields=["branch", "status", "created_at"], name="callback_branch_idx"),
            # The supervisors' list in its default order: the first page without sorting every callback.
            models.Index(fields=["status", "next_contact_at", "-id"], name="callback_list_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__isnull=True)
                | models.Q(window_start__isnull=True)
                | models.Q(window_start__lte=models.F("window_end")),
                name="callback_window_in_order",
            )
        ]

    def __str__(self):
        return _("Callback #%(number)s · %(customer)s") % {"number": self.pk, "customer": self.customer.full_name}

    def get_absolute_url(self):
        return reverse("callbacks:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ContactAttempt(models.Model):
    class Outcome(models.TextChoices):
        SOLVED = "solved", _("solved")
        REACHED = "reached", _("reached, next contact agreed")
        NO_ANSWER = "no_answer", _("no answer")
        BUSY = "busy", _("busy")
        WRONG_NUMBER = "wrong_number", _("wrong number")
        CALL_LATER = "call_later", _("asked to call later")
        VOICEMAIL = "voicemail", _("voicemail")

    # Outcomes where the customer was not reached: they count towards "unreachable".
    NOT_REACHED = (Outcome.NO_ANSWER, Outcome.BUSY, Outcome.VOICEMAIL, Outcome.WRONG_NUMBER)
    # Outcomes that schedule a retry: one of them cannot be logged before the retry planned after the last one.
    RETRIED = (Outcome.NO_ANSWER, Outcome.BUSY, Outcome.VOICEMAIL)
    # Outcomes where the customer named the next moment.
    AGREED = (Outcome.REACHED, Outcome.CALL_LATER)

    callback = models.ForeignKey(
        Callback, verbose_name=_("callback"), on_delete=models.CASCADE, related_name="attempts"
    )
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    next_contact_at = models.DateTimeField(_("next contact"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} · {current_moment_text(self.at)}"
