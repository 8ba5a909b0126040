"""What every outbox of the project shares: claiming rows, backing off after a failure, giving up, Message-IDs.

An outbox row is written in the transaction of the change that needs a message, and sent later, outside any
transaction. A sender claims rows with a conditional update (the row is the lock: a second sender finds the
condition false), sends, and marks them sent only after the SMTP server accepted the message. A failure
leaves them unsent with the error and a later attempt time (1, 2, 4… minutes, at most
``ALERT_RETRY_MAX_MINUTES``); after ``ALERT_MAX_ATTEMPTS`` they are failed. A sender that dies between the
server's acceptance and the mark leaves its claim to expire, and the message goes again: at least once,
never lost. The alert digests (``services``) and the outbound e-mails (``outbound``) both work this way.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail.message import make_msgid
from django.db import models
from django.utils import timezone

# How long a sender may hold rows before another may take them over.
CLAIM_TTL = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes after each failure, at most ALERT_RETRY_MAX_MINUTES."""
    minutes = min(2 ** max(attempts - 1, 0), settings.ALERT_RETRY_MAX_MINUTES)
    return timedelta(minutes=minutes)


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

    def claim(self, now: datetime) -> str | None:
        """Take the ready rows of this queryset for one attempt; the claim token, or None if nothing was free."""
        token = uuid.uuid4().hex
        taken = self.ready(now).update(claim=token, claimed_until=now + CLAIM_TTL, attempts=models.F("attempts") + 1)
        return token if taken else None


def release_after_failure(claimed: models.QuerySet, *, attempts: int, error: BaseException, now: datetime) -> None:
    """The send failed: keep the error, try again after the back-off, or give up after the last attempt.

    ``claimed`` is the queryset of one claim (``filter(claim=token)``); ``attempts`` the most any of its rows made.
    """
    claimed.filter(attempts__gte=settings.ALERT_MAX_ATTEMPTS).update(failed_at=now)
    claimed.update(
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=now + retry_delay(attempts),
        claim="",
        claimed_until=None,
    )


def mark_sent(claimed: models.QuerySet, *, message_id: str, at: datetime | None = None) -> int:
    """The SMTP server accepted the message: the rows of the claim are sent (0 if the claim was lost)."""
    return claimed.update(sent_at=at or timezone.now(), message_id=message_id, claim="", claimed_until=None)


def new_message_id() -> str:
    """A Message-ID in the site's own domain, set before sending so that it can be kept as proof."""
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or None
    return make_msgid(domain=domain)
