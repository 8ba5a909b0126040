"""The customer told by e-mail: with consent only, in their language and time zone, through the outbox, to a real
SMTP server (aiosmtpd); a branch may switch it off; a mail server that is down only delays it."""

from datetime import date, timedelta

import pytest
import time_machine

from callbacks import services as callback_services
from callbacks.models import CallbackReason, ContactAttempt
from complaints import services as complaint_services
from complaints.photos import prepare_photo
from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import send_outbound_emails
from contactcenter.audit.models import AuditEntry
from contactcenter.directory import services as directory_services
from tests.complaints.sample_files import jpeg_bytes, upload
from tests.factories import CustomerFactory
from tests.moments import moscow as at

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 23, 10, 0)  # a Monday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def customer(msk):
    msk.phone = "+7 495 000-11-22"
    msk.save()
    return CustomerFactory(
        branch=msk, full_name="Anna Petrova", phone="+79161234567", email="anna@customer.example", email_consent=True
    )


def register_complaint(branch, by, customer):
    return complaint_services.complaint_register(
        branch=branch,
        channel="complaint_book",
        category="service",
        received_at=NOW - timedelta(minutes=5),
        summary="Waited an hour at the desk.",
        registered_by=by,
        customer=customer,
        pages=[prepare_photo(upload("page.jpg", jpeg_bytes()))],
    )


def customer_emails():
    return OutboundEmail.objects.filter(purpose__startswith="customer.").order_by("pk")


def body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_the_acknowledgement_tells_the_number_and_the_answer_date_in_russian(msk, people, customer, smtp_server):
    complaint = register_complaint(msk, people["owner"], customer)  # RU branch, no language chosen: Russian

    assert send_outbound_emails().sent == 1
    (message,) = smtp_server.messages
    assert smtp_server.recipients == ["anna@customer.example"]
    assert message["Subject"]  # encoded; the text says it plainly
    text = body(message)
    assert f"Ваша жалоба зарегистрирована в отделении Moscow под номером {complaint.register_number}" in text
    # 10 business days from Monday 23 November 2026: Monday 7 December.
    assert "Ответ будет дан не позднее: 07.12.2026" in text
    assert "+7 495 000-11-22" in text
    proof = AuditEntry.objects.get(action="customer.told", object_id=complaint.pk)
    assert proof.changes["to"] == [None, "anna@customer.example"]
    assert proof.changes["message_id"][1] == customer_emails().get().message_id


def test_the_customers_own_language_wins(msk, people, customer, smtp_server):
    customer.preferred_language = "en"
    customer.save()
    complaint = register_complaint(msk, people["owner"], customer)
    send_outbound_emails()
    (message,) = smtp_server.messages
    assert message["Subject"] == f"Your complaint {complaint.register_number} has been registered"
    assert "You will receive an answer by: 07.12.2026" in body(message)


def test_a_hungarian_branchs_customer_without_a_language_is_written_to_in_english(bud, customer):
    other = CustomerFactory(branch=bud, email="kata@customer.example", email_consent=True)
    assert (other.language, customer.language) == ("en", "ru")


def test_without_consent_nothing_is_sent(msk, people, customer, smtp_server):
    customer.email_consent = False
    customer.save()
    register_complaint(msk, people["owner"], customer)
    assert not customer_emails().exists()
    send_outbound_emails()
    assert smtp_server.messages == []


def test_a_branch_that_switched_customer_emails_off_sends_nothing(msk, people, customer, smtp_server):
    msk.emails_customers = False
    msk.save()
    register_complaint(msk, people["owner"], customer)
    assert not customer_emails().exists()


def test_a_mail_server_that_is_down_only_delays_the_message(msk, people, customer, smtp_server, frozen):
    complaint = register_complaint(msk, people["owner"], customer)
    smtp_server.stop()
    assert send_outbound_emails().failed == 1
    email = customer_emails().get()
    assert (email.sent_at, email.attempts) == (None, 1)
    assert not AuditEntry.objects.filter(action="customer.told").exists()

    smtp_server.start()
    frozen.shift(timedelta(minutes=5))
    assert send_outbound_emails().sent == 1
    assert len(smtp_server.messages) == 1 and complaint.register_number in body(smtp_server.messages[0])
    assert send_outbound_emails().sent == 0  # never twice
    assert AuditEntry.objects.filter(action="customer.told", object_id=complaint.pk).count() == 1


def test_a_moved_legal_term_is_told(msk, people, customer, smtp_server):
    msk.is_financial_organisation = True
    msk.save()
    complaint = register_complaint(msk, people["owner"], customer)
    complaint_services.complaint_extend_legal_term(
        complaint=complaint,
        days=10,
        reason="Waiting for the bank's records.",
        customer_told_on=date(2026, 11, 23),
        by=people["manager"],
    )
    moved = customer_emails().last()
    assert moved.purpose == "customer.complaint.answer_moved"
    assert "Срок письменного ответа на вашу жалобу" in moved.text_body
    # 15 working days from 23 November (14 December), then 10 more: 28 December 2026.
    assert "28.12.2026" in moved.text_body


def test_the_agreed_time_of_a_callback_is_told_in_the_customers_time_zone(msk, operator, customer, smtp_server):
    customer.time_zone = "Asia/Yekaterinburg"  # two hours ahead of Moscow
    customer.preferred_language = "en"
    customer.save()
    callback = callback_services.callback_register(
        branch=msk,
        customer=customer,
        reason=CallbackReason.objects.get(code="asked_callback"),
        customer_said="Call me after lunch.",
        created_by=operator,
        window_start=at(2026, 11, 23, 14, 0),
        window_end=at(2026, 11, 23, 15, 0),
    )
    told = customer_emails().get()
    assert "We will call you back on 23.11.2026 between 16:00 and 17:00." in told.text_body
    assert "Asia/Yekaterinburg" in told.text_body

    callback_services.attempt_log(
        callback=callback,
        by=operator,
        outcome=ContactAttempt.Outcome.CALL_LATER,
        next_contact_at=at(2026, 11, 24, 11, 30),
    )
    again = customer_emails().last()
    assert "We will call you back on 24.11.2026 at 13:30." in again.text_body
    send_outbound_emails()
    assert len(smtp_server.messages) == 2


def test_the_branchs_zone_when_the_customer_has_none(msk, operator, customer):
    callback_services.callback_register(
        branch=msk,
        customer=customer,
        reason=CallbackReason.objects.get(code="asked_callback"),
        customer_said="Call me after lunch.",
        created_by=operator,
        window_start=at(2026, 11, 23, 14, 0),
    )
    assert "23.11.2026 в 14:00" in customer_emails().get().text_body


def test_consent_is_recorded_with_its_moment_and_needs_an_address(msk, operator, frozen):
    from django.core.exceptions import ValidationError

    customer = CustomerFactory(branch=msk)
    with pytest.raises(ValidationError):
        directory_services.customer_update(customer=customer, by=operator, email_consent=True)
    customer.refresh_from_db()
    assert not customer.email_consent

    directory_services.customer_update(customer=customer, by=operator, email="a@b.example", email_consent=True)
    customer.refresh_from_db()
    assert customer.email_consent and customer.email_consent_at == NOW
    frozen.shift(timedelta(days=1))
    directory_services.customer_update(customer=customer, by=operator, notes="Prefers mornings.")
    customer.refresh_from_db()
    assert customer.email_consent_at == NOW  # kept while it holds
    directory_services.customer_update(customer=customer, by=operator, email_consent=False)
    customer.refresh_from_db()
    assert customer.email_consent_at is None
    assert AuditEntry.objects.filter(action="customer.changed", object_id=customer.pk).count() == 3


def test_the_printable_acknowledgement_is_in_the_customers_language_with_phone_and_signature(
    msk, people, customer, client
):
    complaint = register_complaint(msk, people["owner"], customer)
    client.force_login(people["owner"])  # reads English
    page = client.get(f"/complaints/{complaint.pk}/acknowledgement/").content.decode()
    assert 'lang="ru"' in page and "Ваша жалоба зарегистрирована" in page
    assert "+7 495 000-11-22" in page and 'data-testid="ack-signature"' in page
    assert "Back to the complaint" in page  # the staff's own page around it stays in their language

    customer.preferred_language = "en"
    customer.save()
    page = client.get(f"/complaints/{complaint.pk}/acknowledgement/").content.decode()
    assert 'lang="en"' in page and "Your complaint has been registered" in page
