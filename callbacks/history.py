"""How the callbacks' entries read in their history (``contactcenter.audit.sentences``)."""

from django.utils.translation import gettext as _

from contactcenter.audit.sentences import EntryWords, phrase

from .models import Callback, ContactAttempt


def _outcome(words: EntryWords) -> str:
    value = words.after("outcome")
    return str(dict(ContactAttempt.Outcome.choices).get(value, value or "—"))


@phrase("callback.registered")
def _registered(words: EntryWords) -> str:
    return words.said(_("%(actor)s registered the callback"), _("The callback was registered"))


@phrase("callback.taken")
def _taken(words: EntryWords) -> str:
    return words.said(_("%(actor)s took the callback"), _("The callback was taken"))


@phrase("callback.attempt_logged")
def _attempt_logged(words: EntryWords) -> str:
    text = words.said(
        _("%(actor)s called the customer: %(outcome)s"),
        _("A call to the customer: %(outcome)s"),
        outcome=_outcome(words),
    )
    status = words.after("status")
    if status and status != words.before("status"):
        label = dict(Callback.Status.choices).get(status, status)
        text = _("%(sentence)s; the callback is now “%(status)s”") % {"sentence": text, "status": label}
    return text


@phrase("callback.reassigned")
def _reassigned(words: EntryWords) -> str:
    before, after = words.before("assigned_to"), words.after("assigned_to")
    if not after:
        return words.said(
            _("%(actor)s took the callback from %(before)s: nobody holds it now"),
            _("The callback was taken from %(before)s: nobody holds it now"),
            before=before or "—",
        )
    return words.said(
        _("%(actor)s gave the callback to %(after)s"), _("The callback was given to %(after)s"), after=after
    )


@phrase("callback.cancelled")
def _cancelled(words: EntryWords) -> str:
    return words.said(_("%(actor)s cancelled the callback"), _("The callback was cancelled"))


@phrase("callback.retry_wait_overridden")
def _retry_wait_overridden(words: EntryWords) -> str:
    return words.said(
        _("%(actor)s called before the pause between tries ended (it ended at %(until)s)"),
        _("A call before the pause between tries ended (it ended at %(until)s)"),
        until=words.moment(words.before("retry_at")),
    )
