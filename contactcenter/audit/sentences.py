"""The audit trail read as sentences: the one piece every history on a page (a callback's, a complaint's, an
escalation's, a customer's) is written by.

``01.12.2026 11:41 · Olga Orlova forwarded the complaint to boss@example.com (copy: deputy@example.com); the mail
server accepted it``: the moment in the zone the page names (the case's branch), in the reader's language and
format (``contactcenter.formats``), who acted, and what happened, with no event code, field name or storage
path. The app that writes an action says how it reads (``@phrase("complaint.forwarded")`` in its
``history.py``, imported by its ``AppConfig.ready``), so the audit app imports none of them; an action no app
phrases still reads as "Olga Orlova changed the record: status: Open → Closed", each field by its verbose
name and each choice by its label. The entry as it was stored stays in the admin, linked from the line for
those who may read the trail there (``HistoryLine.admin_url``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from contactcenter.formats import day_text, moment_text

from .models import AuditEntry

Phrase = Callable[["EntryWords"], str]
_phrases: dict[str, Phrase] = {}
# Keys of ``changes`` no reader needs (technical proof kept for the administrators' raw entry).
HIDDEN_KEYS = frozenset({"message_id", "id"})
EMPTY = "—"


def phrase(*actions: str) -> Callable[[Phrase], Phrase]:
    """Register how the entries of ``actions`` read; the function gets an :class:`EntryWords`."""

    def register(function: Phrase) -> Phrase:
        for action in actions:
            _phrases[action] = function
        return function

    return register


class EntryWords:
    """What a phrase reads from one entry: who acted, the values before and after, written for the reader."""

    def __init__(self, entry: AuditEntry, zone: tzinfo):
        self.entry, self.zone = entry, zone
        self.changes = entry.changes if isinstance(entry.changes, dict) else {}

    @property
    def actor(self) -> str:
        return str(self.entry.actor) if self.entry.actor_id else ""

    @property
    def model(self) -> type[models.Model] | None:
        return ContentType.objects.get_for_id(self.entry.content_type_id).model_class()

    def said(self, by_someone: str, by_system: str, **params) -> str:
        """``by_someone`` (with ``%(actor)s``) when a person acted, else ``by_system``."""
        if self.actor:
            return by_someone % {"actor": self.actor, **params}
        return by_system % params

    def before(self, key: str):
        pair = self.changes.get(key)
        return pair[0] if isinstance(pair, list | tuple) and pair else None

    def after(self, key: str):
        pair = self.changes.get(key)
        return pair[1] if isinstance(pair, list | tuple) and len(pair) > 1 else None

    def moment(self, value) -> str:
        """A stored moment (ISO text, as the services write it) in the page's zone and the reader's format."""
        moment = _parse_moment(value)
        return moment_text(moment, self.zone) if moment else (str(value) if value not in (None, "") else EMPTY)

    def value(self, key: str, value) -> str:
        """A stored value as a person reads it: a choice by its label, a moment or a day in the reader's format,
        yes/no as words, nothing as a dash."""
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        field = self._field(key)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, str):
            moment = _parse_moment(value)
            if moment is not None:
                return moment_text(moment, self.zone)
            day = _parse_day(value)
            if day is not None:
                return day_text(day)
        if isinstance(value, dict | list):
            return ", ".join(f"{v}" for v in (value.values() if isinstance(value, dict) else value) if v)
        return str(value)

    def label(self, key: str) -> str:
        """The field's verbose name (``assigned to``); a key the model does not know reads as itself, without
        the underscores."""
        field = self._field(key)
        return str(field.verbose_name) if field is not None else key.replace("_", " ")

    def changed_fields(self, *, skip: Iterable[str] = ()) -> str:
        """ "status: Open → Closed; assigned to: — → Ivan Petrov" for every change but ``skip``."""
        skipped = set(skip) | HIDDEN_KEYS
        parts = []
        for key, pair in self.changes.items():
            if key in skipped or not isinstance(pair, list | tuple) or len(pair) != 2:
                continue
            before, after = (self.value(key, side) for side in pair)
            parts.append(
                _("%(field)s: %(after)s") % {"field": self.label(key), "after": after}
                if before == EMPTY
                else _("%(field)s: %(before)s → %(after)s")
                % {"field": self.label(key), "before": before, "after": after}
            )
        return "; ".join(parts)

    def _field(self, key: str):
        model = self.model
        if model is None:
            return None
        try:
            return model._meta.get_field(key)
        except FieldDoesNotExist:
            return None


def _parse_moment(value) -> datetime | None:
    if not isinstance(value, str) or len(value) < 16 or value[4:5] != "-" or value[10:11] not in ("T", " "):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _parse_day(value: str) -> date | None:
    if len(value) != 10 or value[4:5] != "-":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def with_changes(text: str, words: EntryWords, *, skip: Iterable[str] = ()) -> str:
    """The sentence followed by what changed, when anything did."""
    changed = words.changed_fields(skip=skip)
    return f"{text}: {changed}" if changed else text


def _unphrased(words: EntryWords) -> str:
    return with_changes(words.said(_("%(actor)s changed the record"), _("The record was changed")), words)


@phrase("admin.added")
def _admin_added(words: EntryWords) -> str:
    return with_changes(
        words.said(_("%(actor)s created the record in the administration"), _("The record was created")), words
    )


@phrase("admin.changed")
def _admin_changed(words: EntryWords) -> str:
    return with_changes(
        words.said(_("%(actor)s changed the record in the administration"), _("The record was changed")), words
    )


@phrase("admin.deleted")
def _admin_deleted(words: EntryWords) -> str:
    return words.said(_("%(actor)s deleted the record in the administration"), _("The record was deleted"))


@dataclass(frozen=True)
class HistoryLine:
    """One line of a history: when (``at``, already written for the reader), what happened (``text``), the
    words a person typed with it (``note``) and, for administrators, the raw entry in the admin."""

    at: str
    text: str
    note: str
    admin_url: str


# Notes the services write themselves, which the sentence already says ("Accepted by the mail server.").
_NOTE_SAID_BY_SENTENCE: set[str] = set()


def note_said_by_sentence(*actions: str) -> None:
    """The note of these actions is written by the service, not typed by a person, and the sentence says it:
    leave it out of the line."""
    _NOTE_SAID_BY_SENTENCE.update(actions)


def may_read_raw_trail(user) -> bool:
    return bool(user is not None and user.is_staff and user.has_perm("audit.view_auditentry"))


def entry_sentence(entry: AuditEntry, zone: tzinfo) -> str:
    """What the entry says, in the active language, its moments in ``zone``."""
    words = EntryWords(entry, zone)
    text = _phrases.get(entry.action, _unphrased)(words)
    return text[:1].upper() + text[1:]


def history_lines(entries: Iterable[AuditEntry], *, zone: tzinfo, user=None) -> list[HistoryLine]:
    """The entries (read with ``select_related("actor")``) as lines of a page, in the reader's language."""
    raw = may_read_raw_trail(user)
    return [
        HistoryLine(
            at=moment_text(entry.at, zone),
            text=entry_sentence(entry, zone),
            note="" if entry.action in _NOTE_SAID_BY_SENTENCE else entry.note,
            admin_url=reverse("admin:audit_auditentry_change", args=[entry.pk]) if raw else "",
        )
        for entry in entries
    ]
