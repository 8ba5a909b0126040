"""How the questionnaires' entries read in a case's history (``contactcenter.audit.sentences``)."""

from django.utils.translation import gettext as _

from contactcenter.audit.sentences import EntryWords, phrase


@phrase("questionnaire.sent")
def _sent(words: EntryWords) -> str:
    return words.said(
        _("%(actor)s sent the customer a questionnaire at %(to)s"),
        _("The customer was sent a questionnaire at %(to)s"),
        to=words.after("questionnaire") or "—",
    )


@phrase("questionnaire.answered")
def _answered(words: EntryWords) -> str:
    text = _("The customer rated the case %(rating)s of 5") % {"rating": words.after("rating") or "—"}
    complaint = words.after("complaint")
    if complaint:
        text = _("%(sentence)s; a complaint draft was opened (%(complaint)s)") % {
            "sentence": text,
            "complaint": complaint,
        }
    return text
