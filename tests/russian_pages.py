"""What a Russian page must not show: a phrase of the English catalogue that has a Russian translation, or a
reference row's English name where it has (or lacks) its Russian one.

The phrases are the catalogue's msgids whose msgstr differs from them, read from the compiled catalogue the
product itself reads; a msgid with placeholders gives its literal pieces of at least ``PIECE_MIN`` characters.
A phrase is found only as a whole (not inside a longer word), with its case, and only when it has at least
``MIN_LENGTH`` characters, so that "ID" or "OK" never count; a single word only as a whole piece of a line
(``EnglishFinder``). The names of the languages are left out: the language switch names each in itself.
"""

from __future__ import annotations

import gettext
import re
from html.parser import HTMLParser

from django.conf import settings
from django.conf.locale import LANG_INFO

from callbacks.models import CallbackReason
from complaints.models import ChoiceLabel
from contactcenter.deadlines.models import ClockPolicy, PauseReason
from contactcenter.reference_labels import in_language
from escalations.models import EscalationKind

MIN_LENGTH = 4
PIECE_MIN = 15
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{?\s*[\w.]+\s*\}?\}")
# Never read as text: what a browser does not show.
HIDDEN_TAGS = {"script", "style", "template", "noscript", "head"}
# Shown as text although they are attributes.
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
# Shown by the language switch in their own language, on purpose.
LANGUAGE_NAMES = {LANG_INFO[code]["name"] for code, _name in settings.LANGUAGES}


def _normal(text: str) -> str:
    return " ".join(text.split())


def catalogue_phrases(language: str = "ru") -> dict[str, str]:
    """``{English phrase: its translation}`` of every msgid translated into something else."""
    path = settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "django.mo"
    with open(path, "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    phrases = {}
    for key, translated in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = _normal(msgid.split("\x04", 1)[-1])
        translated = _normal(translated)
        if not msgid or not translated or msgid == translated or "<" in msgid or msgid in LANGUAGE_NAMES:
            continue
        if PLACEHOLDER.search(msgid):
            for piece in PLACEHOLDER.split(msgid):
                piece = piece.strip(" .,:;()·—")
                if len(piece) >= PIECE_MIN and " " in piece and piece not in translated:
                    phrases.setdefault(piece, translated)
        elif len(msgid) >= MIN_LENGTH:
            phrases.setdefault(msgid, translated)
    return phrases


def reference_phrases(language: str = "ru") -> dict[str, str]:
    """``{English name: what the reader should see}`` of every reference row whose name in ``language`` is not
    its English one, and of every row that lacks it (its "translation" is then the missing text itself)."""
    phrases = {}
    for model in (CallbackReason, EscalationKind, ClockPolicy, PauseReason, ChoiceLabel):
        for row in model.objects.all():
            for field in model.translated_fields:
                english = getattr(row, field)
                shown = in_language(english, getattr(row, f"{field}_translations"), language)
                if english and shown == english:
                    phrases[english] = f"(no {language} name for {model.__name__} {row.pk}.{field})"
                elif english:
                    phrases[english] = shown
    return phrases


class _VisibleText(HTMLParser):
    """The text a reader sees, without what is marked as written in another language (``lang="en"`` on a
    standard phrase of the English library): that is data in its language, said so to the browser."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.hidden = 0
        self.foreign: list[list] = []  # [tag, depth] of each open element in another language
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if self.foreign and tag == self.foreign[-1][0]:
            self.foreign[-1][1] += 1
        lang = (values.get("lang") or "").split("-")[0].lower()
        if lang and lang != self.language:
            self.foreign.append([tag, 1])
        if tag in HIDDEN_TAGS:
            self.hidden += 1
        if self.foreign:
            return
        self.chunks.extend(values[name] for name in SHOWN_ATTRIBUTES if values.get(name))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.chunks.append(values["value"])

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS and self.hidden:
            self.hidden -= 1
        if self.foreign and tag == self.foreign[-1][0]:
            self.foreign[-1][1] -= 1
            if not self.foreign[-1][1]:
                self.foreign.pop()

    def handle_data(self, data):
        if not self.hidden and not self.foreign and data.strip():
            self.chunks.append(data)


def visible_text(html: str, language: str = "ru") -> list[str]:
    parser = _VisibleText(language)
    parser.feed(html)
    return [_normal(chunk) for chunk in parser.chunks if chunk.strip()]


# What parts a line into pieces that each name one thing: "Callback #2 · Maria", "channel: — → phone".
SEPARATORS = re.compile(r"\s*(?:[·|—→:;,()\[\]«»\"“”]|#?\d[\d.,:/-]*)\s*")


class EnglishFinder:
    """Finds the English phrases of ``phrases`` in a page's visible text, each as a whole phrase. A phrase of
    several words counts wherever it stands; a single word only where it is a whole piece of a line
    ("Callback #2 · …", "channel: …"), not inside an English sentence the staff or a customer wrote ("only one
    window was open"): such text is data, in any language, and would make the check fail for no fault."""

    def __init__(self, phrases: dict[str, str]):
        self.phrases = phrases
        longest_first = sorted(phrases, key=len, reverse=True)
        several = "|".join(re.escape(phrase) for phrase in longest_first if " " in phrase)
        self.several_words = re.compile(rf"(?<![\w])(?:{several})(?![\w])")
        self.single_words = {phrase for phrase in phrases if " " not in phrase}

    def english_in(self, html: str) -> list[str]:
        found = set()
        for chunk in visible_text(html):
            found.update(match.group(0) for match in self.several_words.finditer(chunk))
            found.update(piece for piece in SEPARATORS.split(chunk) if piece.strip(".!? ") in self.single_words)
        return sorted(found)
