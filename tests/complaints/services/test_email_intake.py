"""Complaints by e-mail through the MTA's pipe (``manage.py receive_email``): real messages built with the
``email`` package, the sender's reply delivered to a real SMTP server."""

import io
import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from complaints.models import Complaint, ComplaintPage, ReceivedEmail
from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import send_outbound_emails
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from tests.complaints.mail_messages import HEIC_BYTES, complaint_message, page_jpeg, page_png
from tests.complaints.sample_files import jpeg_bytes
from tests.factories import UserFactory
from tests.moments import moscow as at

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 24, 10, 0)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def employee(msk, staff):
    return UserFactory(username="clerk", role="Operator", branches=[msk], email="Clerk@Branch.example", language="en")


def pipe(message, *args) -> str:
    out = io.StringIO()
    call_command("receive_email", *args, stdin=io.BytesIO(bytes(message)), stdout=out)
    return out.getvalue().strip()


def replies():
    return list(OutboundEmail.objects.filter(purpose="complaint.email_reply").order_by("pk"))


def test_a_staff_message_with_an_attached_photo_becomes_a_draft_and_the_sender_gets_its_number(
    employee, msk, smtp_server
):
    message = complaint_message(sender="clerk@branch.example", date=NOW - timedelta(minutes=20), attached=[page_jpeg()])
    output = pipe(message)

    complaint = Complaint.objects.get()
    assert output == f"registered {complaint.register_number}"
    assert complaint.branch == msk and complaint.is_draft and complaint.customer is None
    assert complaint.channel == "complaint_book" and complaint.registered_by == employee
    assert complaint.received_at == NOW - timedelta(minutes=20)
    assert "waited an hour" in complaint.summary
    page = ComplaintPage.objects.get()
    assert (page.complaint, page.original_name, page.uploaded_by) == (complaint, "page.jpg", employee)
    assert set(Deadline.objects.values_list("kind", flat=True)) == {"complaint_forwarding", "complaint_answer"}
    received = ReceivedEmail.objects.get()
    assert (received.complaint, received.sender, received.message_id) == (complaint, employee, message["Message-ID"])
    assert AuditEntry.objects.filter(action="complaint.registered", actor=employee).count() == 1

    assert send_outbound_emails().sent == 1
    (reply,) = smtp_server.messages
    assert smtp_server.recipients == ["clerk@branch.example"]
    assert complaint.register_number in reply["Subject"]
    assert complaint.register_number in reply.get_payload(decode=True).decode()
    assert "1 page" in reply.get_payload(decode=True).decode()


def test_inline_images_of_an_html_message_are_pages_too(employee):
    message = complaint_message(sender="clerk@branch.example", inline=[page_jpeg("red"), page_png()])
    pipe(message)
    complaint = Complaint.objects.get()
    assert list(complaint.pages.values_list("position", "original_name")) == [(1, "page.jpg"), (2, "page.png")]


def test_the_date_of_the_message_never_goes_past_the_moment_it_arrived(employee):
    pipe(complaint_message(sender="clerk@branch.example", date=NOW + timedelta(hours=3), attached=[page_jpeg()]))
    assert Complaint.objects.get().received_at == NOW


def test_a_message_without_a_date_was_received_when_it_arrived(employee):
    message = complaint_message(sender="clerk@branch.example", attached=[page_jpeg()])
    del message["Date"]
    pipe(message)
    assert Complaint.objects.get().received_at == NOW


def test_a_message_without_an_image_is_refused_and_the_sender_told_why(employee, smtp_server, caplog):
    with caplog.at_level(logging.WARNING, logger="complaints.services.email_intake"):
        output = pipe(complaint_message(sender="clerk@branch.example"))
    assert output.startswith("refused: ")
    assert not Complaint.objects.exists() and not ReceivedEmail.objects.exists()
    assert "refused" in caplog.text
    send_outbound_emails()
    (reply,) = smtp_server.messages
    assert reply["Subject"].startswith("Your complaint was not registered")
    assert "no photo" in reply.get_payload(decode=True).decode()


def test_a_heic_photo_is_refused_by_the_photo_checks_with_its_name(employee, smtp_server):
    output = pipe(
        complaint_message(sender="clerk@branch.example", attached=[("IMG_0001.HEIC", HEIC_BYTES, "image/heic")])
    )
    assert "IMG_0001.HEIC" in output and "JPEG, PNG or WebP" in output
    assert not Complaint.objects.exists() and not ComplaintPage.objects.exists()
    send_outbound_emails()
    assert "IMG_0001.HEIC" in smtp_server.messages[0].get_payload(decode=True).decode()


def test_one_bad_photo_refuses_the_whole_message_as_the_form_does(employee, media):
    pipe(
        complaint_message(
            sender="clerk@branch.example", attached=[page_jpeg(), ("notes.pdf", b"%PDF-1.4 no", "application/pdf")]
        )
    )
    assert not Complaint.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]
    assert "notes.pdf" in replies()[0].text_body


def test_an_oversized_photo_is_refused(employee, settings):
    settings.COMPLAINT_PHOTO_MAX_BYTES = 2000
    big = ("big.jpg", jpeg_bytes(size=(1200, 900), color="green") + b"\0" * 3000, "image/jpeg")
    output = pipe(complaint_message(sender="clerk@branch.example", attached=[big]))
    assert output.startswith("refused: ") and "big.jpg" in output
    assert not Complaint.objects.exists()


def test_an_oversized_message_is_refused_without_being_read(employee, settings):
    settings.EMAIL_INTAKE_MAX_BYTES = 5000
    message = complaint_message(sender="clerk@branch.example", attached=[page_jpeg()] * 3)
    output = pipe(message)
    assert output.startswith("refused: The message is")
    assert not Complaint.objects.exists()
    assert "at most 4.9" in replies()[0].text_body


def test_an_unknown_sender_creates_nothing_and_nobody_is_answered(employee, caplog):
    with caplog.at_level(logging.WARNING, logger="complaints.services.email_intake"):
        output = pipe(complaint_message(sender="someone@elsewhere.example", attached=[page_jpeg()]))
    assert output == "ignored: the sender is not an active member of staff"
    assert "someone@elsewhere.example" in caplog.text
    assert not Complaint.objects.exists() and not ReceivedEmail.objects.exists() and not replies()


def test_a_deactivated_employee_is_an_unknown_sender(employee):
    employee.is_active = False
    employee.save()
    assert pipe(complaint_message(sender="clerk@branch.example", attached=[page_jpeg()])).startswith("ignored")
    assert not Complaint.objects.exists() and not replies()


@pytest.mark.parametrize(
    "headers, args",
    [
        ({"Authentication-Results": "mx.contactcenter.example; spf=fail smtp.mailfrom=branch.example"}, []),
        ({"Authentication-Results": "mx.contactcenter.example; dkim=none; dmarc=fail header.from=branch.example"}, []),
        ({}, ["--sender", "spammer@elsewhere.example"]),
    ],
    ids=["spf-fail", "dmarc-fail", "envelope-sender"],
)
def test_a_forged_staff_address_creates_nothing_and_is_not_answered(employee, headers, args):
    message = complaint_message(sender="clerk@branch.example", attached=[page_jpeg()], headers=headers)
    output = pipe(message, *args)
    assert output.startswith("ignored: forged sender")
    assert not Complaint.objects.exists() and not replies()


def test_the_mta_verdict_that_counts_is_the_topmost(employee):
    # A forger's own "pass" below the MTA's verdict changes nothing; a "pass" on top (the MTA's) is believed.
    message = complaint_message(
        sender="clerk@branch.example",
        attached=[page_jpeg()],
        headers={"Authentication-Results": "mx.contactcenter.example; spf=pass; dmarc=pass"},
    )
    message["Authentication-Results"] = "forger.example; dmarc=fail"
    assert pipe(message, "--sender", "clerk@branch.example").startswith("registered")


def test_the_same_message_twice_makes_one_complaint_and_one_reply(employee, caplog):
    message = complaint_message(sender="clerk@branch.example", attached=[page_jpeg()])
    pipe(message)
    with caplog.at_level(logging.WARNING, logger="complaints.services.email_intake"):
        assert pipe(message) == "ignored: duplicate Message-ID"
    assert Complaint.objects.count() == 1 and ComplaintPage.objects.count() == 1 and len(replies()) == 1
    assert "duplicate" in caplog.text


def test_a_sender_of_several_branches_names_one_in_the_subject(employee, bud):
    employee.branches.add(bud)
    pipe(complaint_message(sender="clerk@branch.example", attached=[page_jpeg()]))
    assert not Complaint.objects.exists()
    assert "BUD, MSK" in replies()[0].text_body

    pipe(complaint_message(sender="clerk@branch.example", subject="BUD complaint book", attached=[page_jpeg()]))
    assert Complaint.objects.get().branch == bud


def test_a_member_of_staff_who_may_not_register_complaints_is_refused(msk, staff):
    UserFactory(username="guard", role="Security", branches=[msk], email="guard@branch.example")
    assert pipe(complaint_message(sender="guard@branch.example", attached=[page_jpeg()])).startswith("refused")
    assert not Complaint.objects.exists()


def test_a_database_failure_is_a_temporary_failure_for_the_mta(employee, monkeypatch):
    def fail(**kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr("complaints.management.commands.receive_email.complaint_receive_email", fail)
    with pytest.raises(CommandError) as raised:
        pipe(complaint_message(sender="clerk@branch.example", attached=[page_jpeg()]))
    assert raised.value.returncode == 75


def test_the_draft_is_completed_with_its_customer_and_can_then_be_forwarded(employee, client, staff):
    pipe(complaint_message(sender="clerk@branch.example", attached=[page_jpeg()]))
    complaint = Complaint.objects.get()
    client.force_login(employee)
    page = client.get(complaint.get_absolute_url())
    assert b'data-testid="draft"' in page.content and b"Forward to the manager" not in page.content

    refused = client.post(f"/complaints/{complaint.pk}/customer/", {"customer_phone": "+7 916 123-45-67"})
    assert refused.status_code == 400
    complaint.refresh_from_db()
    assert complaint.is_draft

    client.post(
        f"/complaints/{complaint.pk}/customer/", {"customer_phone": "+7 916 123-45-67", "customer_name": "Anna Petrova"}
    )
    complaint.refresh_from_db()
    assert complaint.customer.full_name == "Anna Petrova" and complaint.customer.phone == "+79161234567"
    assert set(Deadline.objects.values_list("title", flat=True)) == {f"{complaint.register_number} · Anna Petrova"}
    assert AuditEntry.objects.filter(action="complaint.draft_completed").count() == 1
    assert b"Forward to the manager" in client.get(complaint.get_absolute_url()).content


def test_the_reply_is_in_the_senders_language(employee):
    employee.language = "ru"
    employee.save()
    pipe(complaint_message(sender="clerk@branch.example", attached=[page_jpeg()]))
    pipe(complaint_message(sender="clerk@branch.example"))
    registered, refused = replies()
    number = Complaint.objects.get().register_number
    assert registered.subject.startswith(f"Жалоба {number} зарегистрирована")
    assert "Ваше письмо зарегистрировано как жалоба" in registered.text_body
    assert refused.subject.startswith("Ваша жалоба не зарегистрирована")
    assert "нет фотографии" in refused.text_body
