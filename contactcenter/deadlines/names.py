"""What a clock is called where people read it: a queue row, a home page, a line of an alert digest.

A case with two clocks (a complaint's forwarding and its answer) must read as two different things to do, so
every place that lists clocks names each one ("Forwarding to the manager, due 02.12.2026 11:00"). The case
apps know their kinds of clock; ``contactcenter`` does not import them, so each app connects a function that
returns its ``{kind: name}`` (lazily translated names, read in the reader's language) to this hook.
"""

from contactcenter.hooks import Hook
from contactcenter.reference_labels import in_language

# Receivers take no argument and return a mapping of kind → name.
clock_names = Hook("deadlines.names.clock_names", arguments="none: each receiver returns {kind: name}")


def clock_name(kind: str) -> str:
    """The name of a kind of clock in the active language; the kind itself when no app names it."""
    for names in clock_names.send():
        if kind in names:
            return str(names[kind])
    return kind


def pause_reasons_by_english() -> dict[str, dict]:
    """The admin's reasons for a pause, ``{English name: other languages}``: what ``pause_reason_in_language``
    reads a recorded reason with (one query; a page reads it once)."""
    from .models import PauseReason

    return dict(PauseReason.objects.values_list("label", "label_translations"))


def pause_reason_in_language(text: str, reasons: dict[str, dict]) -> str:
    """A recorded pause ("Customer abroad until…: 12.12") read in the reader's language. A pause records the
    reason's English name (what ``services.pause_text`` wrote, before or after translations existed), so the
    reason it starts with is named in the reader's language; the supervisor's note stays as written."""
    for english, translations in reasons.items():
        if text == english or text.startswith(f"{english}: "):
            return in_language(english, translations) + text[len(english) :]
    return text


def case_title(number, customer) -> str:
    """A clock's title, written once when it opens and read by everybody in their own language: no word of any
    language in it ("#12 · Maria Kuznetsova"); the clock's name beside it says what the case is."""
    return f"#{number} · {customer}"
