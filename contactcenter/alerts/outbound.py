"""Outbound e-mails of the case apps (a complaint forwarded to its branch's manager), through the outbox.

A case app calls ``queue_email`` inside the transaction of its change: the message exists exactly when the
change does. The message goes later, outside any transaction, by the rules of ``outbox``: claimed with a
conditional update, sent, marked sent only once the SMTP server accepted it, retried with back-off, failed
after the last attempt. Once a message was accepted, the receivers of the ``email_sent`` hook (connected by the
case apps in their ``AppConfig.ready()``, ``contactcenter.hooks``) are called in the transaction that marks it
sent, so that the case records its proof (recipients, time, Message-ID) together with the mark, or not at all.

Attachments are files of the media storage, read when the message is sent, so that the outbox row stays small.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from contactcenter.hooks import Hook

from .models import OutboundEmail
from .outbox import describe
from .sending import SendingRun, sending_run

logger = logging.getLogger(__name__)

# Sent in the transaction that marks ``email`` sent; each receiver looks at ``email.purpose`` and ignores what is
# not its own.
email_sent = Hook("alerts.outbound.email_sent", arguments="email: OutboundEmail")

TASK_NAME = "contactcenter.alerts.send_outbound_emails"
# A "send now" request older than this is dropped by the worker: the every-minute task has sent by then.
SEND_NOW_EXPIRES = 60


@dataclass(frozen=True)
class Attachment:
    """A file of the media storage to attach, under the name the recipient sees."""

    path: str
    filename: str
    content_type: str

    def as_json(self) -> dict:
        return {"path": self.path, "filename": self.filename, "content_type": self.content_type}


def queue_email(
    *,
    purpose: str,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    cc: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
    origin: models.Model | None = None,
    requested_by=None,
) -> OutboundEmail:
    """Put one message in the outbox; call it inside the transaction of the change it belongs to.

    Once that transaction commits, a worker is asked to send it at once; the every-minute ``send_alerts``
    task sends it anyway if the worker cannot be reached.
    """
    to = [address for address in to if address]
    if not to:
        raise ValidationError(_("An e-mail needs at least one recipient."))
    email = OutboundEmail.objects.create(
        purpose=purpose,
        content_type=ContentType.objects.get_for_model(origin) if origin is not None else None,
        object_id=origin.pk if origin is not None else None,
        to=list(to),
        cc=[address for address in cc if address and address not in to],
        subject=subject[:300],
        text_body=text,
        html_body=html,
        attachments=[attachment.as_json() for attachment in attachments],
        requested_by=requested_by if requested_by is not None and requested_by.is_authenticated else None,
    )
    transaction.on_commit(_ask_a_worker)
    return email


def queue_staff_notice(
    *,
    people,
    purpose: str,
    subject: Callable[[], str],
    template: str,
    context: dict,
    origin: models.Model | None = None,
    requested_by=None,
) -> int:
    """Tell members of staff something at once, each in their own language: one message per language (the
    same people read the same words), written from ``template`` + ``.txt`` / ``.html`` with the notice layout
    (``emails/staff_notice.*``: greeting, the notice, a closing line). ``subject`` is called in each language.
    Call it inside the change's transaction. Returns how many people were told."""
    by_language = defaultdict(list)
    for email, language in people.exclude(email="").values_list("email", "language"):
        by_language[language or settings.LANGUAGE_CODE].append(email)
    for language, emails in sorted(by_language.items()):
        with translation.override(language):
            queue_email(
                purpose=purpose,
                to=sorted(emails),
                subject=subject(),
                text=render_to_string(f"{template}.txt", context),
                html=render_to_string(f"{template}.html", context),
                origin=origin,
                requested_by=requested_by,
            )
    return sum(len(emails) for emails in by_language.values())


def _ask_a_worker() -> None:
    ask_a_worker_now(TASK_NAME, what="the outbound e-mails")


def ask_a_worker_now(task_name: str, *, what: str) -> None:
    """Send soon rather than at the next minute (call it on commit). A person's request is waiting on this:
    one try, no retry, a short connection timeout (settings), no result backend (whose reconnection retries
    would hold the request for 20 s); a broker that is down only delays ``what`` to the next minute."""
    from celery import current_app

    try:
        current_app.signature(task_name).apply_async(retry=False, ignore_result=True, expires=SEND_NOW_EXPIRES)
    except Exception:  # the every-minute task sends it; the user's change is committed either way
        logger.warning("Could not ask a worker to send %s now", what, exc_info=True)


@dataclass
class OutboundResult:
    sent: int = 0
    failed: int = 0


def send_outbound_emails(*, now: datetime | None = None, run: SendingRun | None = None) -> OutboundResult:
    """Send the ready outbound e-mails, oldest first, over one SMTP connection; safe to run twice at once.

    ``run`` as for ``services.send_alerts``: the every-minute task sends digests and e-mails in one run.
    """
    result = OutboundResult()
    with sending_run(run, now) as run:
        if not run.has_work(OutboundEmail.objects.all()):
            return result
        if not run.connect():
            result.failed = run.fail_ready(OutboundEmail.objects.all())
            return result
        ready = OutboundEmail.objects.ready(run.now()).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
        for email_id in list(ready[: max(settings.ALERT_RUN_MAX_MESSAGES - run.messages, 0)]):
            if not run.has_room():
                break
            sent = send_outbound_email(email_id=email_id, run=run)
            if sent is True:
                result.sent += 1
            elif sent is False:
                result.failed += 1
    return result


def send_outbound_email(*, email_id: int, now: datetime | None = None, run: SendingRun | None = None) -> bool | None:
    """Claim, send and mark one message. True when the SMTP server accepted it, False when the attempt
    failed (it waits for its next attempt, or is failed after the last), None when there was nothing to take."""
    with sending_run(run, now) as run:
        claim = OutboundEmail.objects.filter(pk=email_id).claim_message(run.now())
        if claim is None:
            return None
        email = claim.rows.get()
        try:
            message = build_message(email, message_id=claim.message_id)
        except Exception as error:  # a file of the storage is missing or unreadable: retried like a send
            logger.warning("Outbound e-mail %s (%s) could not be built: %s", email.pk, email.purpose, error)
            claim.release_after_failure(error=error, now=run.started)
            return False
        delivered = run.deliver(claim, message)
        if not delivered:
            return delivered
        accepted_at = run.now()
        try:
            with transaction.atomic():
                if claim.mark_sent(accepted_at):
                    email.sent_at, email.message_id, email.claim, email.last_error = (
                        accepted_at,
                        claim.message_id,
                        "",
                        "",
                    )
                    email_sent.send(email)
        except Exception as error:
            # The server accepted the message, so it must never go twice; what its app failed to record is
            # kept with the message for an administrator.
            logger.exception("Outbound e-mail %s was sent but its handler failed", email.pk)
            claim.rows.update(
                sent_at=accepted_at,
                message_id=claim.message_id,
                claim="",
                claimed_until=None,
                last_error=_("Sent, but recording it failed: %(error)s") % {"error": describe(error)},
            )
        return True


def build_message(email: OutboundEmail, *, message_id: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        to=email.to,
        cc=email.cc,
        headers={"Message-ID": message_id},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        with default_storage.open(attachment["path"], "rb") as file:
            message.attach(attachment["filename"], file.read(), attachment["content_type"])
    return message
