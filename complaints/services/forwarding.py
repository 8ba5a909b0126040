"""Forwarding: the complaint and its photographed pages by e-mail to the branch's direct manager, with a copy to
the deputy director for sales and customer service, through the outbox.

"Forward" queues one e-mail (in the manager's language, photos attached, or links to them above
``COMPLAINT_FORWARD_ATTACH_MAX_BYTES``). The forwarding clock is met, and the proof kept (recipients, time,
Message-ID), only when the mail server accepted the message: ``record_forwarding_sent`` runs in the outbox's
transaction that marks it sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import Attachment, queue_email
from contactcenter.audit.services import record_audit
from contactcenter.deadlines.services import meet_clock
from contactcenter.directory.models import Branch
from contactcenter.formats import moment_text

from ..models import FORWARDING_CLOCK, Complaint, ComplaintForwarding, Status
from ..selectors import complaint_clocks, open_clock_of
from . import transitions

PURPOSE = "complaint.forwarding"


def check_forwarding_possible(branch: Branch) -> tuple[list[str], list[str]]:
    """The addresses a forwarding of ``branch`` goes to and is copied to, or a ValidationError saying what
    an administrator must set first."""
    manager = branch.manager
    if manager is None or not manager.is_active:
        raise ValidationError(
            _(
                "The branch %(branch)s has no direct manager to forward complaints to; "
                "an administrator must set one first."
            )
            % {"branch": branch.code},
            code="no_manager",
        )
    if not manager.email:
        raise ValidationError(
            _("The branch's direct manager, %(name)s, has no e-mail address; an administrator must add one first.")
            % {"name": manager},
            code="no_manager_email",
        )
    deputy = branch.deputy_director
    cc = [deputy.email] if deputy is not None and deputy.is_active and deputy.email else []
    return [manager.email], cc


def _absolute(url: str) -> str:
    return settings.SITE_URL + url


def _render(complaint: Complaint, pages, attach: bool) -> tuple[str, str, str]:
    """Subject, text and HTML in the manager's language, with the branch's local times."""
    manager = complaint.branch.manager
    with translation.override(manager.language or settings.LANGUAGE_CODE):
        clocks = [clock for clock in complaint_clocks(complaint) if clock.is_open]
        context = {
            "complaint": complaint,
            "branch": complaint.branch,
            "manager": manager,
            "pages": [{"page": page, "url": _absolute(page.get_absolute_url())} for page in pages],
            "attach": attach,
            "clocks": clocks,
            "url": _absolute(complaint.get_absolute_url()),
        }
        subject = _("Complaint %(number)s, %(branch)s, received %(received)s") % {
            "number": complaint.register_number,
            "branch": complaint.branch.code,
            "received": moment_text(complaint.received_at, complaint.branch.tz),
        }
        text = render_to_string("complaints/email/forwarding.txt", context)
        html = render_to_string("complaints/email/forwarding.html", context)
    return subject, text, html


def queue_forwarding(complaint: Complaint, *, by) -> ComplaintForwarding:
    """Queue the forwarding e-mail; inside the caller's transaction, with the complaint locked or new."""
    if complaint.is_draft:
        raise ValidationError(
            _("Name the customer of this draft received by e-mail before forwarding it."), code="draft"
        )
    to, cc = check_forwarding_possible(complaint.branch)
    pages = list(complaint.pages.order_by("position"))
    attach = sum(page.size for page in pages) <= settings.COMPLAINT_FORWARD_ATTACH_MAX_BYTES
    subject, text, html = _render(complaint, pages, attach)
    email = queue_email(
        purpose=PURPOSE,
        to=to,
        cc=cc,
        subject=subject,
        text=text,
        html=html,
        attachments=[Attachment(page.image.name, page.download_name, "image/jpeg") for page in pages] if attach else [],
        origin=complaint,
        requested_by=by,
    )
    forwarding = ComplaintForwarding.objects.create(
        complaint=complaint, email=email, requested_by=by, to=email.to, cc=email.cc, photos_attached=attach
    )
    record_audit(
        actor=by,
        action="complaint.forward_requested",
        target=complaint,
        changes={"to": [None, ", ".join(email.to)], "cc": [None, ", ".join(email.cc)]},
        note="" if attach else _("The photos are too large to attach: the e-mail carries links to them."),
    )
    return forwarding


def complaint_forward(*, complaint: Complaint, by) -> ComplaintForwarding:
    """Forward a registered complaint; refused while an earlier forwarding still waits for the mail server."""
    with transaction.atomic():
        complaint = transitions.lock(complaint)
        transitions.require(complaint, "forward")
        waiting = complaint.forwardings.filter(sent_at=None, email__sent_at=None, email__failed_at=None)
        if waiting.exists():
            raise ValidationError(
                _("This complaint is already on its way to the manager; it goes as soon as the mail server answers."),
                code="already_queued",
            )
        return queue_forwarding(complaint, by=by)


def record_forwarding_sent(email: OutboundEmail) -> None:
    """Registered with the outbox: the mail server accepted a forwarding e-mail. The complaint keeps the proof,
    becomes forwarded and its forwarding clock is met at that moment; all in the outbox's transaction."""
    if email.purpose != PURPOSE:
        return
    forwarding = ComplaintForwarding.objects.select_for_update().filter(email=email).first()
    if forwarding is None or forwarding.sent_at is not None:
        return
    forwarding.sent_at, forwarding.message_id = email.sent_at, email.message_id
    forwarding.save(update_fields=["sent_at", "message_id"])
    complaint = transitions.lock(forwarding.complaint)
    changes = {
        "forwarded_at": [None, email.sent_at.astimezone(complaint.branch.tz).isoformat(timespec="seconds")],
        "recipients": [None, ", ".join(email.recipients)],
        "to": [None, ", ".join(forwarding.to)],
        "cc": [None, ", ".join(forwarding.cc)],
        "message_id": [None, email.message_id],
    }
    if complaint.status == Status.REGISTERED:
        complaint.status = Status.FORWARDED
        complaint.save(update_fields=["status", "updated_at"])
        changes["status"] = [Status.REGISTERED.value, Status.FORWARDED.value]
    if open_clock_of(complaint, FORWARDING_CLOCK) is not None:
        meet_clock(case=complaint, kind=FORWARDING_CLOCK, at=email.sent_at)
    record_audit(
        actor=forwarding.requested_by,
        action="complaint.forwarded",
        target=complaint,
        changes=changes,
        note=_("Accepted by the mail server."),
    )
