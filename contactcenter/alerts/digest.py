"""The alert digest as its recipient reads it: one e-mail, plain text and HTML, in the recipient's language,
one line per clock with its state now (however many of its alerts waited), an absolute link to each case and
a subject that counts clocks.

The two parts are written by plain string building, not by the template engine: a sender writes hundreds of
digests a second (``bench_send``), and two template renders cost more than everything else of a digest put
together. The phrases are the project's translated strings (``locale/``); every value is escaped in the HTML.
What a batch of digests needs is read in one query (``digests_of``), nothing per digest.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contactcenter.deadlines.models import Deadline, Level
from contactcenter.deadlines.names import clock_name
from contactcenter.formats import moment_text

from .outbox import Claim

STATE_COLOURS = {"due_soon": "#997404", "overdue": "#b02a37", "long_overdue": "#b02a37"}

ROW_FIELDS = (
    "recipient_id",
    "recipient__email",
    "recipient__language",
    "recipient__first_name",
    "recipient__username",
    "message_id",
    "reminder",
    "deadline_id",
    "deadline__title",
    "deadline__kind",
    "deadline__state",
    "deadline__long_overdue_at",
    "deadline__due_at",
    "deadline__case_url",
    "deadline__branch__code",
    "deadline__branch__time_zone",
)


@dataclass
class Line:
    """One clock of a digest."""

    title: str
    kind: str
    state: str
    long_overdue: bool
    due_at: datetime
    case_url: str
    branch_code: str
    time_zone: str
    reminder: int = 0

    @property
    def shown_state(self) -> str:
        """The clock's state as the digest names it: it may have moved on since its alert was made."""
        if self.state == Deadline.State.OVERDUE and self.long_overdue:
            return Level.LONG_OVERDUE.value
        return self.state


@dataclass
class Digest:
    """One recipient's digest of one claim: who, under which Message-ID, and its clocks in order of due time."""

    recipient_id: int
    email: str
    language: str
    name: str
    message_id: str
    lines: dict[int, Line] = field(default_factory=dict)
    alerts: int = 0


def digests_of(claim: Claim) -> list[Digest]:
    """The digests of the rows ``claim`` holds, in one query: by recipient, each clock once."""
    digests: dict[int, Digest] = {}
    rows = claim.rows.order_by("recipient_id", "deadline__due_at", "deadline_id").values_list(*ROW_FIELDS)
    for (
        recipient_id,
        email,
        language,
        first_name,
        username,
        message_id,
        reminder,
        deadline_id,
        title,
        kind,
        state,
        long_overdue_at,
        due_at,
        case_url,
        branch_code,
        time_zone,
    ) in rows:
        digest = digests.get(recipient_id)
        if digest is None:
            digest = digests[recipient_id] = Digest(recipient_id, email, language, first_name or username, message_id)
        digest.alerts += 1
        line = digest.lines.get(deadline_id)
        if line is None:
            line = digest.lines[deadline_id] = Line(
                title, kind, state, long_overdue_at is not None, due_at, case_url, branch_code, time_zone
            )
        if state == Deadline.State.OVERDUE:
            line.reminder = max(line.reminder, reminder)
    return list(digests.values())


class DigestWriter:
    """Writes digests as e-mails; keeps what does not change from one digest to the next (the link to
    "Needs attention" and the clocks' names in each language, the time zones)."""

    def __init__(self):
        self._attention: dict[str, str] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._zones: dict[str, zoneinfo.ZoneInfo] = {}

    def _clock_name(self, language: str, kind: str) -> str:
        """What the clock is called (``deadlines.names``: "Forwarding to the manager"), in ``language``."""
        name = self._names.get((language, kind))
        if name is None:
            name = self._names[language, kind] = clock_name(kind)
        return name

    def message(self, digest: Digest) -> EmailMultiAlternatives:
        with translation.override(digest.language or settings.LANGUAGE_CODE):
            subject, text, html = self._write(digest)
        message = EmailMultiAlternatives(
            subject=subject, body=text, to=[digest.email], headers={"Message-ID": digest.message_id}
        )
        message.attach_alternative(html, "text/html")
        return message

    def _write(self, digest: Digest) -> tuple[str, str, str]:
        language = translation.get_language()
        attention_url = self._attention.get(language)
        if attention_url is None:
            attention_url = self._attention[language] = settings.SITE_URL + reverse("alerts:attention")
        lines = list(digest.lines.values())
        overdue = sum(1 for line in lines if line.state == Deadline.State.OVERDUE)
        subject = ngettext(
            "%(count)d clock needs attention (%(overdue)d overdue)",
            "%(count)d clocks need attention (%(overdue)d overdue)",
            len(lines),
        ) % {"count": len(lines), "overdue": overdue}
        hello = _("Hello %(name)s,")
        intro = _("These promises to customers need your attention:")
        clock_due = _("%(clock)s, due %(moment)s")
        labels = {**dict(Deadline.State.choices), Level.LONG_OVERDUE.value: Level.LONG_OVERDUE.label}
        text = [hello % {"name": digest.name}, "\n\n", intro, "\n"]
        html = [
            '<!doctype html>\n<html><body style="font-family: sans-serif; font-size: 14px;">\n<p>',
            escape(hello % {"name": digest.name}),
            "</p>\n<p>",
            escape(intro),
            '</p>\n<table cellpadding="6" style="border-collapse: collapse;">\n  <tr style="text-align: left;"><th>',
            escape(_("Level")),
            "</th><th>",
            escape(_("Case")),
            "</th><th>",
            escape(_("Branch")),
            "</th><th>",
            escape(_("Clock")),
            "</th></tr>\n  ",
        ]
        for line in lines:
            state = line.shown_state
            label = str(labels.get(state, state))
            reminder = _("reminder %(n)s") % {"n": line.reminder} if line.reminder else ""
            url = settings.SITE_URL + line.case_url if line.case_url else attention_url
            zone = self._zones.get(line.time_zone)
            if zone is None:
                zone = self._zones[line.time_zone] = zoneinfo.ZoneInfo(line.time_zone)
            moment = moment_text(line.due_at, zone)
            due = clock_due % {"clock": self._clock_name(language, line.kind), "moment": moment}
            text += [
                "\n- [",
                label,
                f", {reminder}" if reminder else "",
                "] ",
                line.title,
                "\n  ",
                line.branch_code,
                " · ",
                due,
                " (",
                line.time_zone,
                ")\n  ",
                url,
                "\n",
            ]
            html += [
                '\n  <tr style="border-top: 1px solid #ddd;">\n    <td style="color: ',
                STATE_COLOURS.get(state, "#555"),
                ';">',
                escape(label),
                f" ({escape(reminder)})" if reminder else "",
                '</td>\n    <td><a href="',
                escape(url),
                '">',
                escape(line.title),
                "</a></td>\n    <td>",
                escape(line.branch_code),
                "</td>\n    <td>",
                escape(due),
                " <small>(",
                escape(line.time_zone),
                ")</small></td>\n  </tr>\n  ",
            ]
        text += ["\n", _("Everything that needs attention:"), " ", attention_url, "\n\n"]
        html += [
            '\n</table>\n<p><a href="',
            escape(attention_url),
            '">',
            escape(_("Everything that needs attention")),
            "</a></p>\n</body></html>\n",
        ]
        return subject, "".join(text), "".join(html)
