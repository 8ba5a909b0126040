"""Escalations: a caller demands a supervisor, complains about the operator, or turns aggressive.

An escalation is handled live (a transfer that was answered) or becomes a promise to call the customer back,
with a clock at its level: supervisor → head of department → security. Nobody acknowledging it in time raises
it to the next level (``services.raise_overdue_escalations``, run by the deadline scan).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contactcenter.deadlines.models import Recipient
from contactcenter.deadlines.rules import ClockRule, TermBasis, TermUnit, term_in_words
from contactcenter.directory.models import BranchScopedQuerySet
from contactcenter.formats import current_moment_text
from contactcenter.reference_labels import TranslatedLabels, translations_field


class Level(models.TextChoices):
    SUPERVISOR = "supervisor", _("supervisor")
    HEAD_OF_DEPARTMENT = "head_of_department", _("head of department")
    SECURITY = "security", _("security")


# Where an escalation nobody acknowledged goes next; security is the top.
NEXT_LEVEL = {Level.SUPERVISOR: Level.HEAD_OF_DEPARTMENT, Level.HEAD_OF_DEPARTMENT: Level.SECURITY}
# Who holds a level in a branch, in the alert outbox's terms.
LEVEL_HOLDERS = {
    Level.SUPERVISOR: Recipient.SUPERVISORS,
    Level.HEAD_OF_DEPARTMENT: Recipient.HEAD_OF_DEPARTMENT,
    Level.SECURITY: Recipient.SECURITY,
}
# One kind of clock per level, so that each level's policy tells that level's holders.
CLOCK_KINDS = {level: f"escalation_{level}" for level in Level.values}
LEVEL_OF_CLOCK = {kind: level for level, kind in CLOCK_KINDS.items()}


def clock_names() -> dict:
    """The names of an escalation's clocks, one per level, in queues and digests (``deadlines.names.clock_names``)."""
    return {
        CLOCK_KINDS[Level.SUPERVISOR]: _("Call back by the supervisor"),
        CLOCK_KINDS[Level.HEAD_OF_DEPARTMENT]: _("Call back by the head of department"),
        CLOCK_KINDS[Level.SECURITY]: _("Contact by security"),
    }


class EscalationKind(TranslatedLabels):
    """What the caller did, and what follows from it (edited in the admin): the term for calling them back,
    the level that hears of it first, whether security is told at once, whether a live transfer is allowed."""

    Unit = TermUnit
    Basis = TermBasis
    translated_fields = ("label", "handled_by")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label = models.CharField(pgettext_lazy("of a thing", "name"), max_length=200)
    contact_within = models.PositiveIntegerField(_("call the customer back within"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.HOURS)
    basis = models.CharField(_("counted in"), max_length=8, choices=Basis.choices, default=Basis.BUSINESS)
    first_level = models.CharField(
        _("first level"),
        max_length=32,
        choices=[
            (Level.SUPERVISOR.value, Level.SUPERVISOR.label),
            (Level.HEAD_OF_DEPARTMENT.value, Level.HEAD_OF_DEPARTMENT.label),
        ],
        default=Level.SUPERVISOR,
    )
    tells_security_at_once = models.BooleanField(
        _("security is told at once"), default=False, help_text=_("For aggressive or threatening customers.")
    )
    allows_live_transfer = models.BooleanField(
        _("live transfer allowed"),
        default=True,
        help_text=_("Where the branch allows it too, the operator may transfer the call while it lasts."),
    )
    names_an_operator = models.BooleanField(
        _("about an operator"),
        default=False,
        help_text=_("The customer complains about an operator: the form asks which one (for quality control)."),
    )
    handled_by = models.CharField(
        _("who calls back"),
        max_length=200,
        blank=True,
        help_text=_("As staff say it, e.g. “the supervisor on duty” or “quality control”."),
    )
    handled_by_translations = translations_field(_("who calls back, in other languages"))
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    class Meta:
        verbose_name = _("escalation kind")
        verbose_name_plural = _("escalation kinds")
        ordering = ["position", "label"]

    @property
    def calls_back(self) -> str:
        """Who calls the customer back, in the reader's language."""
        return self.translated("handled_by")

    def clean(self):
        if self.first_level not in (Level.SUPERVISOR, Level.HEAD_OF_DEPARTMENT):
            raise ValidationError({"first_level": _("An escalation starts with a supervisor or a head of department.")})

    @property
    def contact_rule(self) -> ClockRule:
        return ClockRule.from_term(self.contact_within, self.unit, self.basis)

    @property
    def term(self) -> str:
        """ "2 business hours", "1 hour"."""
        return term_in_words(unit=self.unit, basis=self.basis, upto=self.contact_within)


class EscalationQuerySet(BranchScopedQuerySet):
    def not_closed(self):
        return self.exclude(status=Escalation.Status.CLOSED)

    def awaiting_contact(self):
        """The customer is still to be called back: a clock runs."""
        return self.filter(status__in=Escalation.AWAITING_CONTACT)

    def overdue(self, now):
        return self.awaiting_contact().filter(due_at__lt=now)

    def most_urgent_first(self):
        return self.order_by(
            models.F("closed_at").asc(nulls_first=True), models.F("due_at").asc(nulls_last=True), "-opened_at", "-pk"
        )


class Escalation(models.Model):
    class Source(models.TextChoices):
        CALL = "call", _("a call")
        CALLBACK = "callback", _("a callback")
        COMPLAINT = "complaint", _("a complaint")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("escalation status", "open, not acknowledged")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("escalation status", "acknowledged")
        CONTACTED = "contacted", _("customer contacted")
        CLOSED = "closed", pgettext_lazy("escalation status", "closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        DECLINED = "declined", _("customer declined")
        COMPLAINT = "complaint", _("turned into a complaint")
        SECURITY = "security", _("passed to security")

    AWAITING_CONTACT = (Status.OPEN, Status.ACKNOWLEDGED)

    branch = models.ForeignKey(
        "directory.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="escalations"
    )
    customer = models.ForeignKey(
        "directory.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="escalations"
    )
    kind = models.ForeignKey(EscalationKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    customer_wants = models.TextField(
        _("what the customer wants"), help_text=_("In the customer's words, so that nobody asks them again.")
    )
    source = models.CharField(_("opened from"), max_length=16, choices=Source.choices, default=Source.CALL)
    callback = models.ForeignKey(
        "callbacks.Callback",
        verbose_name=_("callback"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
    )
    about_operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator complained about"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations_about",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="escalations_opened",
    )
    opened_at = models.DateTimeField(_("opened"))
    level = models.CharField(_("level"), max_length=32, choices=Level.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(
        _("call back by"), null=True, blank=True, help_text=_("The due moment of the open clock, for lists.")
    )
    raised_at = models.DateTimeField(_("last raised"), null=True, blank=True)
    reached_security_at = models.DateTimeField(_("security told"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contacted_at = models.DateTimeField(_("customer contacted"), null=True, blank=True)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contacted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_note = models.TextField(_("what was said"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    resulting_complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint registered"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations_turned_into",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-opened_at", "-pk"]
        permissions = [
            ("handle_escalation", _("Can acknowledge escalations, call the customer back and record the outcome")),
            ("view_quality_figures", _("Can see the escalation figures per operator")),
        ]
        indexes = [
            models.Index(fields=["branch", "status", "due_at"], name="escalation_branch_status_idx"),
            models.Index(fields=["opened_by", "opened_at"], name="escalation_opened_by_idx"),
            models.Index(fields=["about_operator", "opened_at"], name="escalation_about_idx"),
            models.Index(fields=["opened_at"], name="escalation_opened_at_idx"),
            # The list's default order has an index on PostgreSQL only (SQLite cannot say NULLS FIRST in an
            # index): see migration 0003.
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status="closed") & ~models.Q(outcome=""))
                | (~models.Q(status="closed") & models.Q(outcome="")),
                name="escalation_closed_with_an_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="callback") | models.Q(callback__isnull=False),
                name="escalation_callback_source_linked",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="complaint") | models.Q(complaint__isnull=False),
                name="escalation_complaint_source_linked",
            ),
        ]

    def __str__(self):
        return _("Escalation #%(number)s · %(customer)s") % {"number": self.pk, "customer": self.customer.full_name}

    def get_absolute_url(self):
        return reverse("escalations:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def awaits_contact(self) -> bool:
        return self.status in self.AWAITING_CONTACT

    @property
    def clock_kind(self) -> str:
        return CLOCK_KINDS[self.level]

    @property
    def next_level(self) -> str | None:
        """Where it goes if nobody acknowledges it in time; ``None`` at the top (security)."""
        return NEXT_LEVEL.get(self.level)

    def get_next_level_display(self) -> str:
        return Level(self.next_level).label if self.next_level else ""

    @property
    def live_transfer_allowed(self) -> bool:
        return self.kind.allows_live_transfer and self.branch.allows_live_transfer


class TransferAttempt(models.Model):
    """One try to put the caller through to someone who may decide, while the call lasts."""

    escalation = models.ForeignKey(
        Escalation, verbose_name=_("escalation"), on_delete=models.CASCADE, related_name="transfers"
    )
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transferred to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_name = models.CharField(
        _("to whom"), max_length=200, help_text=_("The person or the role the call was put through to.")
    )
    customer_agreed = models.BooleanField(_("customer agreed"))
    answered = models.BooleanField(_("answered"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("transfer attempt")
        verbose_name_plural = _("transfer attempts")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered=False) | models.Q(customer_agreed=True),
                name="transfer_answered_only_if_agreed",
            ),
            models.CheckConstraint(condition=~models.Q(to_name=""), name="transfer_names_whom"),
        ]

    def __str__(self):
        return f"{self.to_name} · {current_moment_text(self.at)}"
