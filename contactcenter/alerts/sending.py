"""A sending run of the outbox: one SMTP connection for all its messages, limits on how long and how much it
sends, and what it learns of the mail server.

- One connection serves the whole run (every alert digest and outbound e-mail of the run), opened once there is
  something to send.
- A run keeps its own clock: the time now, or, for a run given its moment (a test, a replay), that moment
  moving on with real time; each claim counts its life from the moment it is taken.
  Back-off is counted from the run's start. A run takes no new message after ``ALERT_RUN_SECONDS`` or
  ``ALERT_RUN_MAX_MESSAGES``; the next run goes on.
- When the server refuses the connection or does not answer, the run records it (``MailServerStatus``: shown
  at once on the dashboard and "Needs attention"), every ready row counts one failed attempt, and nothing
  else is tried. While the server is known to be down, every run tries to connect again, due rows or not; the
  first that succeeds ends the outage and makes everything waiting ready at once, so that it goes in that
  run, as one digest per recipient, instead of each row at the end of its own back-off.
- A server that answers one message with an error (a refused recipient) fails that message only; a
  connection that breaks in the middle of a message ends the run, and that message is in doubt (it keeps its
  Message-ID for the next attempt).
"""

from __future__ import annotations

import logging
import smtplib
import time
from contextlib import nullcontext
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from .models import Alert, MailServerStatus, OutboundEmail
from .outbox import Claim, Held, OutboxQuerySet, describe

logger = logging.getLogger(__name__)

# The server answered this message with an error: the message failed, the connection is still good.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)


class BoundedRun:
    """What every sending run of an outbox keeps (the mail's ``SendingRun``, the webhooks'): its clock and its
    limits (``ALERT_RUN_SECONDS``, ``ALERT_RUN_MAX_MESSAGES``); ``messages`` counts what it sent."""

    def __init__(self, *, now: datetime | None = None):
        self.given = now is not None
        self.started = now or timezone.now()
        self._monotonic_start = time.monotonic()
        self.messages = 0

    def now(self) -> datetime:
        """The clock's time now; a run given its moment moves on from it as real time passes."""
        if not self.given:
            return timezone.now()
        return self.started + timedelta(seconds=time.monotonic() - self._monotonic_start)

    def has_room(self) -> bool:
        """May the run take one more message?"""
        return (
            time.monotonic() - self._monotonic_start < settings.ALERT_RUN_SECONDS
            and self.messages < settings.ALERT_RUN_MAX_MESSAGES
        )


class SendingRun(BoundedRun):
    """One run of a mail sender. Use it as a context manager: the connection is closed at the end."""

    def __init__(self, *, now: datetime | None = None):
        super().__init__(now=now)
        self.slowest = timedelta(0)  # the longest a message of this run took to send
        self.connection = None
        self.down: BaseException | None = None

    def __enter__(self) -> SendingRun:
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()

    def has_room(self) -> bool:
        return self.down is None and super().has_room()

    def has_work(self, rows: OutboxQuerySet) -> bool:
        """Rows ready now; or, while the server is known to be down, rows waiting (to see whether it is back)."""
        if rows.ready(self.now()).exists():
            return True
        return MailServerStatus.outage() is not None and rows.unsent().exists()

    def connect(self) -> bool:
        """Open the run's connection (once); False, with the outage recorded, when the server refuses or is silent."""
        if self.connection is not None:
            return True
        if self.down is not None:
            return False
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except Exception as error:  # refused, timed out, TLS or login failed: the server is not taking mail
            self._server_failed(error)
            return False
        self.connection = connection
        now = self.now()
        if MailServerStatus.record_answer(at=now):
            logger.info("The mail server answers again: everything waiting goes now")
            for model in (Alert, OutboundEmail):
                model.objects.unsent().filter(next_attempt_at__gt=now).update(next_attempt_at=now)
        return True

    def fail_ready(self, rows: OutboxQuerySet, *, per: str = "pk") -> int:
        """The server is down: every ready row of ``rows`` counts one failed attempt. Returns how many
        messages did not go: distinct values of ``per`` among those rows (``recipient_id`` for digests)."""
        claim = rows.claim(self.now())
        if claim is None:
            return 0
        messages = claim.rows.values(per).distinct().order_by().count()
        claim.release_after_failure(error=self.down, now=self.started)
        return messages

    def deliver(self, claim: Claim, message: EmailMessage, *, held: Held | None = None) -> bool | None:
        """Send the message of ``claim`` over the run's connection if the claim is still this sender's: renewed
        just before, or, for the message of a batch, ``held`` with at least half a claim's life to run and
        twice the run's slowest send (``Held.keep``).

        True: the server accepted it (the caller marks the rows sent); False: it failed (the rows wait for
        their next attempt, or are failed after the last); None: the claim was lost before anything was sent.
        """
        if not self.connect():
            claim.release_after_failure(error=self.down, now=self.started)
            return False
        now = self.now()
        still_mine = held.keep(now, need=2 * self.slowest) if held is not None else claim.renew(now)
        if not still_mine:
            logger.warning("A claim lapsed before its message was sent; another sender may take it")
            return None
        message.connection = self.connection
        sending = time.monotonic()
        try:
            message.send()
        except MESSAGE_ERRORS as error:
            logger.warning("The mail server refused a message: %s", error)
            claim.release_after_failure(error=error, now=self.started)
            return False
        except Exception as error:  # the connection broke or went silent: perhaps accepted, perhaps not
            self._server_failed(error)
            self._close()
            claim.release_after_failure(error=error, now=self.started, in_doubt=True)
            return False
        self.slowest = max(self.slowest, timedelta(seconds=time.monotonic() - sending))
        self.messages += 1
        return True

    def _server_failed(self, error: BaseException) -> None:
        logger.warning("The mail server refused or did not answer: %s", error)
        self.down = error
        MailServerStatus.record_failure(error=describe(error), at=self.now())

    def _close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # closing a connection that already broke
                logger.debug("Closing the SMTP connection failed", exc_info=True)


def sending_run(run: SendingRun | None, now: datetime | None):
    """The caller's run (left open for the caller), or a new one of its own."""
    return nullcontext(run) if run is not None else SendingRun(now=now)
