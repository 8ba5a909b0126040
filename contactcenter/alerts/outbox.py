"""What every outbox of the project shares: claiming the rows of one message, backing off after a failure,
giving up, Message-IDs, and an administrator's "try again now".

An outbox row is written in the transaction of the change that needs a message, and sent later, outside any
transaction, by a sending run (``sending``). The rules, the same for the alert digests (``services``) and the
outbound e-mails (``outbound``):

- A sender claims the rows of one message, or of a batch of alert digests (``AlertQuerySet.claim_digests``),
  with a conditional update (the row is the lock: a second sender finds the condition false). The condition
  is on the claimed table's own columns, never behind a join: PostgreSQL re-checks those on a row another
  sender changed meanwhile, so two senders racing for the same rows get disjoint sets. A claim lives
  ``ALERT_CLAIM_SECONDS`` from the moment it is taken. A message goes only while the claim is its sender's
  with at least half a claim's life to run: a single message renews it, conditionally on its token, just
  before it goes; a batch renews what it still holds whenever less than half a life is left (``Held``). The
  rows are marked sent only while they still carry the sender's token.
- The Message-ID is chosen with the claim and stored on the rows before the message goes. A send that may
  have been accepted without being marked (a crash between the server's acceptance and the commit, a
  connection lost in the middle) keeps it: the next attempt sends those rows again under the same
  Message-ID, so that the receiving side can drop the copy and the proof names what the recipient has.
- A failure leaves the rows unsent with the error and a later attempt (1, 2, 4… minutes, at most
  ``ALERT_RETRY_MAX_MINUTES``); after ``ALERT_MAX_ATTEMPTS`` they are failed. A sent row keeps no error of an
  earlier attempt.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import models, transaction
from django.utils import timezone

from contactcenter.audit.services import record_audit


def claim_life() -> timedelta:
    """How long a sender may hold rows before another may take them over."""
    return timedelta(seconds=settings.ALERT_CLAIM_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes after each failure, at most ALERT_RETRY_MAX_MINUTES."""
    minutes = min(2 ** max(attempts - 1, 0), settings.ALERT_RETRY_MAX_MINUTES)
    return timedelta(minutes=minutes)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


class OutboxQuerySet(models.QuerySet):
    """For models with the outbox columns: next_attempt_at, claim, claimed_until, attempts, sent_at,
    message_id, failed_at, last_error."""

    def unsent(self):
        return self.filter(sent_at=None, failed_at=None)

    def ready(self, now: datetime):
        """Unsent rows whose next attempt is due and that no sender holds."""
        return (
            self.unsent()
            .filter(next_attempt_at__lte=now)
            .filter(models.Q(claimed_until=None) | models.Q(claimed_until__lt=now))
        )

    def failed(self):
        return self.filter(failed_at__isnull=False)

    def retryable(self):
        """Rows an administrator may send again: not sent (waiting or failed)."""
        return self.filter(sent_at=None)

    def claim(self, now: datetime, *, message_id: str | None = None) -> Claim | None:
        """Take the ready rows of this queryset for one attempt, from ``now`` on; None if nothing was free."""
        token = uuid.uuid4().hex
        values = {"claim": token, "claimed_until": now + claim_life(), "attempts": models.F("attempts") + 1}
        if message_id is not None:
            values["message_id"] = message_id
        if not self.ready(now).update(**values):
            return None
        return Claim(model=self.model, token=token, message_id=message_id or "")

    def claim_message(self, now: datetime) -> Claim | None:
        """Take the ready rows of this queryset that make one message, with the message's Message-ID.

        Rows that carry a Message-ID were perhaps accepted already (their send was cut short): they go again
        alone, under that ID. Otherwise every ready row is taken and given a new ID in the same update.
        """
        in_doubt = self.ready(now).exclude(message_id="").values_list("message_id", flat=True).first()
        if in_doubt:
            claim = self.filter(message_id=in_doubt).claim(now)
            return Claim(model=self.model, token=claim.token, message_id=in_doubt) if claim else None
        return self.filter(message_id="").claim(now, message_id=new_message_id())


@dataclass(frozen=True)
class Claim:
    """The rows one sender holds for one message, or for a batch of messages (each row then carries its own
    message's Message-ID and ``message_id`` is empty); ``only`` narrows a batch to the rows of one message."""

    model: type[models.Model]
    token: str
    message_id: str
    filters: tuple = ()

    @property
    def rows(self) -> OutboxQuerySet:
        return self.model.objects.filter(claim=self.token, **dict(self.filters))

    def only(self, *, message_id: str = "", **filters) -> Claim:
        """The part of this claim that ``filters`` select (the rows of one digest, the digests sent)."""
        return Claim(model=self.model, token=self.token, message_id=message_id, filters=tuple(filters.items()))

    def renew(self, now: datetime) -> bool:
        """Is the claim still this sender's? If so its life starts again from ``now``."""
        return bool(self.rows.filter(claimed_until__gt=now).update(claimed_until=now + claim_life()))

    def mark_sent(self, at: datetime) -> int:
        """The SMTP server accepted the message: the rows still held are sent (0 if the claim was lost)."""
        keep_id = {"message_id": self.message_id} if self.message_id else {}  # a batch's rows carry theirs
        return self.rows.update(sent_at=at, last_error="", claim="", claimed_until=None, **keep_id)

    def release_untried(self) -> int:
        """Rows taken but never tried (the run reached its limits, the claim lapsed before they went): free
        again at once, the attempt not counted. A batch's rows drop the Message-ID this claim gave them; the
        claim of one message keeps its ID (it may be that of a send cut short, which must go under it)."""
        drop_id = {} if self.message_id else {"message_id": ""}
        return self.rows.update(claim="", claimed_until=None, attempts=models.F("attempts") - 1, **drop_id)

    def release_after_failure(self, *, error: BaseException, now: datetime, in_doubt: bool = False) -> None:
        """The send failed: keep the error, try again after the back-off, or give up after the last attempt.

        ``in_doubt``: the server may have accepted the message (the connection broke in the middle), so the
        next attempt keeps its Message-ID; otherwise it never reached anyone and the next one gets its own.
        """
        self.rows.filter(attempts__gte=settings.ALERT_MAX_ATTEMPTS).update(failed_at=now)
        for attempts in set(self.rows.values_list("attempts", flat=True)):
            self.rows.filter(attempts=attempts).update(next_attempt_at=now + retry_delay(attempts))
        self.rows.update(
            last_error=describe(error),
            claim="",
            claimed_until=None,
            **({} if in_doubt else {"message_id": ""}),
        )

    def give_up(self, *, reason: str, now: datetime) -> None:
        """No attempt can succeed (no address to send to): failed at once, with the reason."""
        self.rows.update(failed_at=now, last_error=reason, message_id="", claim="", claimed_until=None)


class Held:
    """How long a sender knows its batch claim to be its own: until the ``claimed_until`` it stored last.
    No other sender may take the rows before then (every claim asks for ``claimed_until < now``), so a message
    may go without asking the database again while at least half a claim's life is left (and twice the run's
    slowest send); below that the batch renews what it still holds, conditionally on its token, and sends
    nothing more if that fails."""

    def __init__(self, claim: Claim, now: datetime):
        self.claim = claim
        self.until = now + claim_life()

    def keep(self, now: datetime, *, need: timedelta = timedelta(0)) -> bool:
        """Is the claim still this sender's, with at least half a life to run and at least ``need`` (twice
        the slowest send so far: a slow server gets the margin of a renewal before every message)? Renewed
        if need be."""
        if self.until - now > max(claim_life() / 2, need):
            return True
        if not self.claim.renew(now):
            return False
        self.until = now + claim_life()
        return True


def message_id_domain() -> str:
    """The site's own domain (the host name of the machine when ``SITE_URL`` names none)."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or str(DNS_NAME)


def new_message_id() -> str:
    """A Message-ID in the site's own domain, set before sending so that it can be kept as proof."""
    return make_msgid(domain=message_id_domain())


def outbox_retry(*, rows: OutboxQuerySet, by) -> int:
    """An administrator sends failed or waiting rows of an outbox (alerts or e-mails) again now; each one's
    audit trail says who did. A row a sender holds right now is left to it."""
    model, now = rows.model, timezone.now()
    with transaction.atomic():
        chosen = list(rows.retryable().exclude(claimed_until__gt=now).select_for_update(of=("self",)).order_by("pk"))
        for row in chosen:
            record_audit(
                actor=by,
                action=f"{model.outbox_name}.retried",
                target=row,
                changes={"failed_at": [str(row.failed_at) if row.failed_at else None, None]},
                note=row.last_error,
            )
        return model.objects.filter(pk__in=[row.pk for row in chosen]).update(
            failed_at=None, attempts=0, next_attempt_at=now, claim="", claimed_until=None
        )
