"""What the phrase panels and the library page read."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from .models import Phrase, Situation


@dataclass
class SituationGroup:
    situation: str
    label: str
    phrases: list[Phrase]


def phrase_language(language: str | None) -> str:
    """The language whose phrases are offered: the one asked for if the product speaks it, else the reader's."""
    known = {code for code, _name in settings.LANGUAGES}
    if language in known:
        return language
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in known else settings.LANGUAGE_CODE


def phrases_by_situation(*, language: str, query: str = "", situation: str = "") -> list[SituationGroup]:
    """The active phrases of one language, grouped by situation in the situations' order (one query)."""
    phrases = Phrase.objects.active().in_language(language).search(query)
    if situation:
        phrases = phrases.filter(situation=situation)
    grouped: dict[str, list[Phrase]] = {}
    for phrase in phrases.order_by("position", "pk"):
        grouped.setdefault(phrase.situation, []).append(phrase)
    return [SituationGroup(value, label, grouped[value]) for value, label in Situation.choices if value in grouped]
