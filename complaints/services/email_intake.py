"""Complaints by e-mail: a branch's staff send the photographed page to a mailbox instead of using the form.

One message (RFC 5322 bytes, from the MTA's pipe, ``manage.py receive_email``, or from the IMAP poller,
``complaints.mailbox``) is read here:

- from an active member of staff (the ``From`` address is their e-mail, and neither the MTA's
  ``Authentication-Results`` nor the envelope sender given by the pipe says it is forged) it becomes a draft
  complaint in their branch (``complaint_register(draft=True)``), its images (inline or attached) its pages,
  through the same photo checks as the form; received at the message's ``Date``, never later than the moment
  it arrived. The sender gets a reply, through the outbox, with the register number, or with the reason it
  was refused (no image, a photo the checks refuse, a message too large, several branches and none named...);
- from anybody else, forged, or already received (its Message-ID is stored with a unique constraint), it
  creates nothing, nobody is answered (no replies to strangers), and it is logged.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contactcenter.alerts.outbound import queue_email
from contactcenter.directory.models import User

from .. import photos
from ..models import Category, Channel, Complaint, ReceivedEmail
from .registration import complaint_register

logger = logging.getLogger(__name__)

REPLY_PURPOSE = "complaint.email_reply"
SUMMARY_MAX_CHARS = 5000
# Attachments that are never pages: signatures of the message itself.
NOT_PAGES = frozenset({"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"})


class Outcome:
    REGISTERED = "registered"  # a draft complaint, the sender told its number
    REFUSED = "refused"  # a known sender, told why
    IGNORED = "ignored"  # unknown, forged or a duplicate: nothing created, nobody told


@dataclass(frozen=True)
class IntakeResult:
    outcome: str
    reason: str
    message_id: str
    complaint: Complaint | None = None

    def __str__(self):
        if self.complaint is not None:
            return f"{self.outcome} {self.complaint.register_number}"
        return f"{self.outcome}: {self.reason}"


class _Refused(Exception):
    """The message of a known sender cannot become a complaint; ``reason`` is what they are told."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _message_id(message: EmailMessage, raw: bytes) -> str:
    found = str(message.get("Message-ID", "") or "").strip()
    if found:
        return found[:255]
    # Without one (no MTA should pass such a message), the content itself identifies a copy.
    return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id>"


def _from_address(message: EmailMessage) -> str:
    try:
        addresses = message["From"].addresses if message["From"] is not None else ()
    except (AttributeError, IndexError, ValueError, TypeError):
        return ""
    if len(addresses) != 1 or not isinstance(addresses[0], Address):
        return ""
    return (addresses[0].addr_spec or "").strip().lower()


def _forgery(message: EmailMessage, address: str, envelope_sender: str) -> str:
    """Why the ``From`` address is not to be believed, or an empty string. The MTA's own verdict is the
    topmost ``Authentication-Results`` header (it adds it above any the sender wrote)."""
    if envelope_sender and envelope_sender.strip().lower() != address:
        return f"envelope sender {envelope_sender} differs from From {address}"
    results = message.get_all("Authentication-Results") or []
    if results:
        verdict = str(results[0]).lower()
        for check in ("dmarc", "spf", "dkim"):
            if re.search(rf"\b{check}=fail\b", verdict):
                return f"{check}=fail in Authentication-Results"
    return ""


def _dated_at(message: EmailMessage) -> datetime | None:
    value = message.get("Date")
    if value is None:
        return None
    try:
        moment = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None or timezone.is_naive(moment):
        return None  # a date without a zone says nothing certain
    return moment


def _staff_member(address: str) -> User | None:
    if not address:
        return None
    found = list(User.objects.active().filter(email__iexact=address)[:2])
    return found[0] if len(found) == 1 else None


def _branch_of(user: User, subject: str):
    branches = list(user.branches.active().order_by("code"))
    if len(branches) == 1:
        return branches[0]
    words = set(re.findall(r"[A-Z]{2,10}", subject.upper()))
    named = [branch for branch in branches if branch.code in words]
    if len(named) == 1:
        return named[0]
    if not branches:
        raise _Refused(_("You work in no open branch, so the complaint has nowhere to be registered."))
    raise _Refused(
        _("You work in several branches (%(codes)s): write the branch's code in the subject and send it again.")
        % {"codes": ", ".join(branch.code for branch in branches)}
    )


def _photo_files(message: EmailMessage) -> list[ContentFile]:
    """Every image of the message, inline or attached, and every other attachment (which the photo checks
    then refuse with its name, rather than dropping it unseen)."""
    files = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        is_image = part.get_content_maintype() == "image"
        is_attachment = disposition == "attachment" and part.get_content_maintype() != "text"
        if not (is_image or is_attachment) or content_type in NOT_PAGES:
            continue
        payload = part.get_payload(decode=True) or b""
        name = part.get_filename() or _("image %(number)d") % {"number": len(files) + 1}
        files.append(ContentFile(payload, name=name))
    return files


def _summary(message: EmailMessage, subject: str, address: str) -> str:
    body = ""
    try:
        part = message.get_body(preferencelist=("plain",))
        if part is not None:
            body = part.get_content()
    except (KeyError, LookupError, ValueError, AttributeError):
        body = ""
    text = "\n\n".join(piece for piece in (subject.strip(), (body or "").strip()) if piece)
    if not text:
        text = _("Received by e-mail from %(address)s: see the photographed pages.") % {"address": address}
    return text[:SUMMARY_MAX_CHARS]


def _reply(*, user: User, address: str, subject: str, complaint: Complaint | None, reason: str = "") -> None:
    """Queue the answer to the sender; inside the caller's transaction and its ``translation.override`` of the
    sender's language."""
    context = {"user": user, "complaint": complaint, "reason": reason, "subject": subject}
    if complaint is not None:
        context["received"] = complaint.received_at.astimezone(complaint.branch.tz)
        context["url"] = settings.SITE_URL + complaint.get_absolute_url()
        title = _("Complaint %(number)s registered") % {"number": complaint.register_number}
    else:
        title = _("Your complaint was not registered")
    text = render_to_string("complaints/email/intake_reply.txt", context)
    queue_email(
        purpose=REPLY_PURPOSE,
        to=[address],
        subject=f"{title}: {subject}" if subject else title,
        text=text,
        origin=complaint,
    )


def complaint_receive_email(
    *, raw: bytes, arrived_at: datetime | None = None, envelope_sender: str = ""
) -> IntakeResult:
    """Read one message and register it, refuse it (telling the sender) or ignore it (logging it).

    ``arrived_at``: when it reached the mailbox (the IMAP server's INTERNALDATE), now by default; the complaint
    is received at the message's ``Date`` unless that is later. ``envelope_sender``: the SMTP ``MAIL FROM`` the
    MTA passes to the pipe; when given it must be the ``From`` address. Safe to run twice on the same message.
    """
    now = timezone.now()
    arrived_at = min(arrived_at or now, now)
    too_large = len(raw) > settings.EMAIL_INTAKE_MAX_BYTES
    message = BytesParser(policy=policy.default).parsebytes(raw, headersonly=too_large)
    message_id = _message_id(message, raw)
    address = _from_address(message)
    subject = " ".join(str(message.get("Subject", "") or "").split())[:200]

    def ignored(reason: str) -> IntakeResult:
        logger.warning("E-mail %s from %r ignored: %s", message_id, address, reason)
        return IntakeResult(Outcome.IGNORED, reason, message_id)

    user = _staff_member(address)
    if user is None:
        return ignored("the sender is not an active member of staff" if address else "no single From address")
    forgery = _forgery(message, address, envelope_sender)
    if forgery:
        return ignored(f"forged sender: {forgery}")
    if ReceivedEmail.objects.filter(message_id=message_id).exists():
        return ignored("duplicate Message-ID")

    # The refusals and the reply in the sender's language, as every message of the product to staff.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return _register(
            message,
            raw=raw,
            too_large=too_large,
            message_id=message_id,
            address=address,
            subject=subject,
            user=user,
            arrived_at=arrived_at,
            ignored=ignored,
        )


def _register(message, *, raw, too_large, message_id, address, subject, user, arrived_at, ignored) -> IntakeResult:
    try:
        if too_large:
            raise _Refused(
                _("The message is %(size)s; at most %(max)s is accepted. Send fewer or smaller photos.")
                % {"size": filesizeformat(len(raw)), "max": filesizeformat(settings.EMAIL_INTAKE_MAX_BYTES)}
            )
        if not user.has_perm("complaints.add_complaint"):
            raise _Refused(_("You may not register complaints."))
        branch = _branch_of(user, subject)
        files = _photo_files(message)
        if not files:
            raise _Refused(_("The message has no photo of the complaint's page: attach one and send it again."))
        try:
            pages = photos.prepare_photos(files)
        except ValidationError as error:
            raise _Refused(" ".join(error.messages)) from error
        dated_at = _dated_at(message)
        received_at = min(dated_at, arrived_at) if dated_at is not None else arrived_at
        with transaction.atomic():
            try:
                with transaction.atomic():
                    received = ReceivedEmail.objects.create(
                        message_id=message_id,
                        sender=user,
                        from_address=address,
                        subject=subject,
                        dated_at=dated_at,
                        arrived_at=arrived_at,
                    )
            except IntegrityError:
                return ignored("duplicate Message-ID (received at the same moment)")
            try:
                complaint = complaint_register(
                    branch=branch,
                    channel=Channel.COMPLAINT_BOOK,
                    category=Category.OTHER,
                    received_at=received_at,
                    summary=_summary(message, subject, address),
                    registered_by=user,
                    pages=pages,
                    draft=True,
                )
            except ValidationError as error:
                raise _Refused(" ".join(error.messages)) from error
            received.complaint = complaint
            received.save(update_fields=["complaint"])
            _reply(user=user, address=address, subject=subject, complaint=complaint)
    except _Refused as refusal:
        logger.warning("E-mail %s from %s refused: %s", message_id, address, refusal.reason)
        with transaction.atomic():
            _reply(user=user, address=address, subject=subject, complaint=None, reason=refusal.reason)
        return IntakeResult(Outcome.REFUSED, refusal.reason, message_id)
    logger.info("E-mail %s from %s registered as %s", message_id, address, complaint.register_number)
    return IntakeResult(Outcome.REGISTERED, "", message_id, complaint)
