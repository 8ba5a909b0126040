"""The customer's rating of a concluded case: one questionnaire per case, answered once through a public link.

Only the SHA-256 of the link's secret is stored: the secret itself is in the e-mail alone, so neither the
database nor a backup can answer for the customer.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callbacks.models import Callback
from complaints.models import Complaint
from contactcenter.directory.models import Branch, BranchScopedQuerySet, Customer
from escalations.models import Escalation

RATINGS = range(1, 6)


class Kind(models.TextChoices):
    CALLBACK = "callback", _("callback")
    COMPLAINT = "complaint", _("complaint")
    ESCALATION = "escalation", _("escalation")


class QuestionnaireQuerySet(BranchScopedQuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False)


class Questionnaire(models.Model):
    kind = models.CharField(_("kind of case"), max_length=16, choices=Kind.choices)
    callback = models.OneToOneField(
        Callback, verbose_name=_("callback"), on_delete=models.CASCADE, null=True, blank=True, related_name="rating"
    )
    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, null=True, blank=True, related_name="rating"
    )
    escalation = models.OneToOneField(
        Escalation,
        verbose_name=_("escalation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rating",
    )
    # What the public page shows of the case: its number, nothing personal.
    case_number = models.CharField(_("case number"), max_length=40)
    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
        help_text=_("Whose work is rated: who solved the callback, resolved the escalation or answered the complaint."),
    )
    language = models.CharField(_("language"), max_length=8)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("link expires"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    solved = models.BooleanField(_("problem solved"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    follow_up = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint draft opened"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer questionnaire")
        verbose_name_plural = _("customer questionnaires")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="callback", callback__isnull=False, complaint=None, escalation=None)
                    | models.Q(kind="complaint", complaint__isnull=False, callback=None, escalation=None)
                    | models.Q(kind="escalation", escalation__isnull=False, callback=None, complaint=None)
                ),
                name="questionnaire_one_case_of_its_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="questionnaire_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | models.Q(rating__isnull=False, solved__isnull=False),
                name="questionnaire_answer_complete",
            ),
        ]
        indexes = [models.Index(fields=["branch", "sent_at"], name="questionnaire_branch_sent_idx")]

    def __str__(self):
        return _("Questionnaire on %(case)s") % {"case": self.case_number}

    @property
    def case(self):
        return self.callback or self.complaint or self.escalation

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
