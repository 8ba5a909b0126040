"""The library of standard phrases staff say or write instead of improvising (a system failure, an apology, a
delay…), per language and situation, edited by administrators; and each insertion of one into a text field,
so the figures show which phrases are used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.directory.models import Branch, BranchScopedQuerySet


class Situation(models.TextChoices):
    SYSTEM_FAILURE = "system_failure", _("system failure")
    APOLOGY = "apology", _("apology")
    DELAY = "delay", _("a delay in processing")
    WAIT = "wait", _("the customer must wait")
    SUPERVISOR = "supervisor", _("transfer to a supervisor")
    CLOSING = "closing", _("closing the call")


class Place(models.TextChoices):
    """The forms that show the phrases beside their text field."""

    CALLBACK_ATTEMPT = "callback_attempt", _("callback attempt")
    ESCALATION = "escalation", _("escalation")
    COMPLAINT_ANSWER = "complaint_answer", _("complaint answer")


class PhraseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_language(self, language: str):
        return self.filter(language=language)

    def search(self, query: str):
        """Every word of the query, in the text or the title, in any order."""
        condition = Q()
        for word in (query or "").split():
            condition &= Q(text__icontains=word) | Q(title__icontains=word)
        return self.filter(condition)


class Phrase(models.Model):
    situation = models.CharField(_("situation"), max_length=32, choices=Situation.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(
        _("title"), max_length=120, blank=True, help_text=_("A few words to find it by; optional.")
    )
    text = models.TextField(_("text"), help_text=_("What is inserted into the text field, as it is written here."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive phrases are not offered."))

    objects = PhraseQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard phrase")
        verbose_name_plural = _("standard phrases")
        ordering = ["language", "situation", "position", "pk"]
        indexes = [models.Index(fields=["language", "is_active"], name="phrase_language_idx")]

    def __str__(self):
        words = self.title or self.text
        return words if len(words) <= 60 else f"{words[:57]}…"


class PhraseUseQuerySet(BranchScopedQuerySet):
    pass


class PhraseUse(models.Model):
    """One click on "insert": the phrase, where, by whom, for which branch's case."""

    phrase = models.ForeignKey(Phrase, verbose_name=_("phrase"), on_delete=models.CASCADE, related_name="uses")
    place = models.CharField(_("form"), max_length=32, choices=Place.choices)
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(_("used"), default=timezone.now)

    objects = PhraseUseQuerySet.as_manager()

    class Meta:
        verbose_name = _("use of a phrase")
        verbose_name_plural = _("uses of phrases")
        ordering = ["-used_at", "-pk"]
        indexes = [models.Index(fields=["branch", "used_at"], name="phrase_use_branch_idx")]

    def __str__(self):
        return f"{self.phrase} · {self.get_place_display()}"
