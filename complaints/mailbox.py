"""The complaint mailbox over IMAP (SSL only): every unread message goes through ``complaint_receive_email``.

``IMAP_URL`` (``imaps://user:password@host:993/INBOX``, the password URL-encoded) names the mailbox;
``IMAP_CA_FILE`` a CA certificate to trust besides the system's (a server with its own certificate). A message
is fetched without marking it read (``BODY.PEEK``), and marked read only once it was registered, refused or
ignored; a message whose reading failed (the database is down...) stays unread for the next run. Two pollers
at once make one complaint of a message: its Message-ID is unique.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from .services.email_intake import complaint_receive_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    folder: str

    @classmethod
    def from_url(cls, url: str) -> Mailbox:
        parts = urlsplit(url)
        if parts.scheme != "imaps":
            raise ImproperlyConfigured("IMAP_URL must start with imaps:// (the mailbox is read over SSL only)")
        if not parts.hostname or not parts.username:
            raise ImproperlyConfigured("IMAP_URL needs a user and a host: imaps://user:password@host:993/INBOX")
        return cls(
            host=parts.hostname,
            port=parts.port or 993,
            user=unquote(parts.username),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
        )


@dataclass
class PollResult:
    outcomes: dict[str, int] = field(default_factory=dict)
    failed: int = 0

    @property
    def read(self) -> int:
        return sum(self.outcomes.values())


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.IMAP_CA_FILE:
        context.load_verify_locations(cafile=settings.IMAP_CA_FILE)
    return context


def _arrived_at(fetched: bytes) -> datetime | None:
    """The server's INTERNALDATE: when the message reached the mailbox (imaplib gives it in local time)."""
    moment = imaplib.Internaldate2tuple(fetched)
    return None if moment is None else datetime.fromtimestamp(time.mktime(moment), tz=UTC)


def poll_mailbox(*, url: str | None = None, max_messages: int | None = None) -> PollResult:
    """Read the unread messages of the mailbox (at most ``IMAP_MAX_MESSAGES`` a run); safe to run twice at once."""
    mailbox = Mailbox.from_url(url or settings.IMAP_URL)
    limit = max_messages or settings.IMAP_MAX_MESSAGES
    result = PollResult()
    with imaplib.IMAP4_SSL(
        mailbox.host, mailbox.port, ssl_context=_context(), timeout=settings.IMAP_TIMEOUT
    ) as connection:
        connection.login(mailbox.user, mailbox.password)
        status, _data = connection.select(_quoted(mailbox.folder))
        if status != "OK":
            raise ImproperlyConfigured(f"The IMAP folder {mailbox.folder!r} cannot be opened")
        _status, found = connection.uid("SEARCH", None, "UNSEEN")
        uids = (found[0] or b"").split()[:limit]
        for uid in uids:
            status, data = connection.uid("FETCH", uid, "(INTERNALDATE BODY.PEEK[])")
            parts = [item for item in data or () if isinstance(item, tuple)]
            if status != "OK" or not parts:
                continue  # expunged meanwhile by another reader
            info, raw = parts[0]
            try:
                outcome = complaint_receive_email(raw=raw, arrived_at=_arrived_at(info))
            except DatabaseError:
                logger.exception("IMAP message %s could not be read: the database failed; the run stops", uid)
                result.failed += 1
                break
            except Exception:
                logger.exception("IMAP message %s could not be read; it stays unread", uid)
                result.failed += 1
                continue
            connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            result.outcomes[outcome.outcome] = result.outcomes.get(outcome.outcome, 0) + 1
    return result


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
