"""Forwarding through a real SMTP server (aiosmtpd): one e-mail, photos attached, the proof, the clock."""

import email.utils
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from PIL import Image

from complaints import services
from complaints.models import FORWARDING_CLOCK, ComplaintForwarding, Status
from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import send_outbound_emails
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from tests.moments import moscow as at

RECEIVED = at(2026, 11, 20, 17, 30)  # a Friday: forwarding due Monday 11:00


@pytest.fixture
def complaint(register, photo):
    return register(RECEIVED, pages=[photo("first.jpg"), photo("second.jpg", color="green")])


def forwarding_clock(complaint):
    return Deadline.objects.for_case(complaint).get(kind=FORWARDING_CLOCK)


def test_forward_sends_one_email_with_the_photos_and_keeps_the_proof(complaint, staff, smtp_server, settings):
    settings.SITE_URL = "https://backoffice.example.com"
    with time_machine.travel(at(2026, 11, 20, 17, 45), tick=False):
        forwarding = services.complaint_forward(complaint=complaint, by=staff["owner"])
    assert forwarding_clock(complaint).is_open, "queued is not forwarded"

    with time_machine.travel(at(2026, 11, 20, 17, 46), tick=False):
        result = send_outbound_emails()
    assert (result.sent, result.failed) == (1, 0)

    [envelope] = smtp_server.keeper.envelopes
    assert sorted(envelope.rcpt_tos) == sorted([staff["manager"].email, staff["deputy"].email])
    [message] = smtp_server.messages
    assert message["To"] == staff["manager"].email and message["Cc"] == staff["deputy"].email
    assert "MSK-2026-00001" in message["Subject"] and "20.11.2026 17:30" in message["Subject"]
    attachments = [part for part in message.walk() if part.get_content_disposition() == "attachment"]
    assert [part.get_filename() for part in attachments] == ["MSK-2026-00001-page-1.jpg", "MSK-2026-00001-page-2.jpg"]
    for part, page in zip(attachments, complaint.pages.order_by("position"), strict=True):
        assert part.get_content_type() == "image/jpeg"
        content = part.get_payload(decode=True)
        assert Image.open(io.BytesIO(content)).format == "JPEG"
        assert content == page.image.read(), "the stored, cleaned photo, not the upload"
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Waited an hour at the desk." in text and "Ivan Ivanov" in text
    assert "https://backoffice.example.com" + complaint.get_absolute_url() in text
    assert "Answer to the customer: due 04.12.2026 18:00" in text

    forwarding.refresh_from_db()
    complaint.refresh_from_db()
    assert forwarding.message_id == message["Message-ID"] and forwarding.sent_at == at(2026, 11, 20, 17, 46)
    assert complaint.status == Status.FORWARDED
    clock = forwarding_clock(complaint)
    assert clock.state == Deadline.State.MET and clock.met_at == at(2026, 11, 20, 17, 46) and not clock.met_late
    entry = AuditEntry.objects.for_target(complaint).get(action="complaint.forwarded")
    assert entry.actor == staff["owner"]
    assert entry.changes["message_id"] == [None, message["Message-ID"]]
    assert staff["manager"].email in entry.changes["recipients"][1]


def test_the_clock_is_met_only_when_the_server_accepts(complaint, staff, smtp_server):
    smtp_server.stop()
    with time_machine.travel(at(2026, 11, 20, 17, 45), tick=False):
        services.complaint_forward(complaint=complaint, by=staff["owner"])
        assert send_outbound_emails().failed == 1
    assert forwarding_clock(complaint).is_open
    complaint.refresh_from_db()
    assert complaint.status == Status.REGISTERED
    email_row = OutboundEmail.objects.get()
    assert "ConnectionRefusedError" in email_row.last_error and email_row.next_attempt_at == at(2026, 11, 20, 17, 46)

    with pytest.raises(ValidationError, match="already on its way"):
        services.complaint_forward(complaint=complaint, by=staff["owner"])

    # Monday morning the server is back: the retry goes through, late, and the clock says so.
    smtp_server.start()
    with time_machine.travel(at(2026, 11, 23, 11, 5), tick=False):
        assert send_outbound_emails().sent == 1
    clock = forwarding_clock(complaint)
    assert clock.state == Deadline.State.MET and clock.met_late
    assert len(smtp_server.messages) == 1


def test_after_the_last_attempt_the_forwarding_can_be_tried_again(complaint, staff, smtp_server, settings):
    settings.ALERT_MAX_ATTEMPTS = 1
    smtp_server.stop()
    services.complaint_forward(complaint=complaint, by=staff["owner"])
    send_outbound_emails()
    assert ComplaintForwarding.objects.get().status == "failed"
    smtp_server.start()
    services.complaint_forward(complaint=complaint, by=staff["supervisor"])
    assert send_outbound_emails().sent == 1
    assert complaint.forwardings.filter(sent_at__isnull=False).count() == 1


def test_photos_above_the_limit_go_as_links(complaint, staff, smtp_server, settings):
    settings.COMPLAINT_FORWARD_ATTACH_MAX_BYTES = 1000
    settings.SITE_URL = "https://backoffice.example.com"
    forwarding = services.complaint_forward(complaint=complaint, by=staff["owner"])
    send_outbound_emails()
    [message] = smtp_server.messages
    assert not [part for part in message.walk() if part.get_content_disposition() == "attachment"]
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    for page in complaint.pages.all():
        assert "https://backoffice.example.com" + page.get_absolute_url() in text
    assert not forwarding.photos_attached


def test_forwarding_without_a_manager_is_refused_and_queues_nothing(complaint, msk, staff):
    msk.manager = None
    msk.save()
    with pytest.raises(ValidationError) as caught:
        services.complaint_forward(complaint=complaint, by=staff["owner"])
    assert caught.value.messages == [
        "The branch MSK has no direct manager to forward complaints to; an administrator must set one first."
    ]
    assert not OutboundEmail.objects.exists() and not ComplaintForwarding.objects.exists()
    assert not AuditEntry.objects.filter(action="complaint.forward_requested").exists()


def test_a_manager_without_an_email_address_is_explained(complaint, staff):
    staff["manager"].email = ""
    staff["manager"].save()
    with pytest.raises(ValidationError, match="has no e-mail address"):
        services.complaint_forward(complaint=complaint, by=staff["owner"])
    assert not OutboundEmail.objects.exists()


def test_without_a_deputy_director_the_manager_alone_receives_it(complaint, msk, staff, smtp_server):
    msk.deputy_director = None
    msk.save()
    services.complaint_forward(complaint=complaint, by=staff["owner"])
    send_outbound_emails()
    assert smtp_server.recipients == [staff["manager"].email]


def test_the_email_is_in_the_managers_language(complaint, staff, smtp_server):
    staff["manager"].language = "ru"
    staff["manager"].save()
    services.complaint_forward(complaint=complaint, by=staff["owner"])
    send_outbound_emails()
    [message] = smtp_server.messages
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Здравствуйте" in text and "Hello" not in text


def test_a_forwarded_complaint_is_not_forwarded_again(complaint, staff, smtp_server):
    services.complaint_forward(complaint=complaint, by=staff["owner"])
    send_outbound_emails()
    with pytest.raises(ValidationError, match="this one is forwarded"):
        services.complaint_forward(complaint=complaint, by=staff["owner"])


def test_forward_on_registration_reaches_the_server(register, staff, smtp_server):
    complaint = register(RECEIVED, forward=True)
    with time_machine.travel(RECEIVED + timedelta(minutes=2), tick=False):
        send_outbound_emails()
    complaint.refresh_from_db()
    assert complaint.status == Status.FORWARDED
    assert email.utils.parseaddr(smtp_server.messages[0]["To"])[1] == staff["manager"].email
