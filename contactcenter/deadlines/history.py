"""How the clocks' entries read in a case's history (``contactcenter.audit.sentences``)."""

from django.utils.translation import gettext as _

from contactcenter.audit.sentences import EntryWords, note_said_by_sentence, phrase

from .names import clock_name


def _moved_clock(words: EntryWords) -> tuple[str, str, str]:
    """The clock whose due moment an entry records (``{"<kind>.due_at": [before, after]}``), before and after."""
    for key, pair in words.changes.items():
        if key.endswith(".due_at") and isinstance(pair, list) and len(pair) == 2:
            return clock_name(key.removesuffix(".due_at")), words.moment(pair[0]), words.moment(pair[1])
    return "", "", ""


def _stopped_clock(words: EntryWords) -> str:
    return clock_name(words.before("clock") or "")


@phrase("clock.moved")
def _moved(words: EntryWords) -> str:
    clock, before, after = _moved_clock(words)
    return words.said(
        _("%(actor)s moved “%(clock)s” from %(before)s to %(after)s"),
        _("“%(clock)s” moved from %(before)s to %(after)s"),
        clock=clock,
        before=before,
        after=after,
    )


@phrase("clock.recomputed")
def _recomputed(words: EntryWords) -> str:
    clock, before, after = _moved_clock(words)
    return _("“%(clock)s” moved from %(before)s to %(after)s because the branch calendar changed") % {
        "clock": clock,
        "before": before,
        "after": after,
    }


@phrase("clock.resumed")
def _resumed(words: EntryWords) -> str:
    clock, before, after = _moved_clock(words)
    return words.said(
        _("%(actor)s resumed “%(clock)s”: now due %(after)s instead of %(before)s"),
        _("“%(clock)s” resumed: now due %(after)s instead of %(before)s"),
        clock=clock,
        before=before,
        after=after,
    )


@phrase("clock.paused")
def _paused(words: EntryWords) -> str:
    return words.said(_("%(actor)s paused “%(clock)s”"), _("“%(clock)s” was paused"), clock=_stopped_clock(words))


@phrase("clock.cancelled")
def _cancelled(words: EntryWords) -> str:
    return words.said(
        _("%(actor)s stopped “%(clock)s”: the promise no longer applies"),
        _("“%(clock)s” stopped: the promise no longer applies"),
        clock=_stopped_clock(words),
    )


@phrase("clock.not_kept")
def _not_kept(words: EntryWords) -> str:
    return words.said(
        _("%(actor)s ended “%(clock)s”: the promise was not kept"),
        _("“%(clock)s” ended: the promise was not kept"),
        clock=_stopped_clock(words),
    )


note_said_by_sentence("clock.recomputed")


@phrase("customer.told_new_date")
def _told_new_date(words: EntryWords) -> str:
    clock, before, after = _moved_clock(words)
    return words.said(
        _("%(actor)s told the customer the new date of “%(clock)s”: %(after)s instead of %(before)s"),
        _("The customer was told the new date of “%(clock)s”: %(after)s instead of %(before)s"),
        clock=clock,
        before=before,
        after=after,
    )
