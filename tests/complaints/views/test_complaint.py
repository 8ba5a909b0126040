"""One complaint's page: forwarding, review, answer, close, reopen; wrong steps explained, nothing changed."""

from html import escape

from django.urls import reverse

from complaints.models import Complaint, Status
from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import send_outbound_emails
from tests.complaints.sample_files import jpeg_bytes, pdf_bytes, upload
from tests.moments import moscow as at


def test_forwarding_from_the_page(client, complaint, staff, smtp_server):
    client.force_login(staff["manager"])
    response = client.post(reverse("complaints:forward", args=[complaint.pk]), follow=True)
    page = response.content.decode()
    assert "The complaint is on its way to boss@example.com, deputy@example.com" in page
    assert "waiting for the mail server" in page
    send_outbound_emails()
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "accepted by the mail server" in page and escape(smtp_server.messages[0]["Message-ID"]) in page


def test_forwarding_without_a_manager_is_explained_from_the_page(client, complaint, msk, staff):
    msk.manager = None
    msk.save()
    client.force_login(staff["supervisor"])
    page = client.post(reverse("complaints:forward", args=[complaint.pk]), follow=True).content.decode()
    assert "has no direct manager to forward complaints to" in page
    assert not OutboundEmail.objects.exists()


def test_a_wrong_step_is_explained_and_changes_nothing(client, complaint, staff):
    client.force_login(staff["manager"])
    response = client.post(reverse("complaints:close", args=[complaint.pk]), {"note": ""})
    assert response.status_code == 400
    assert "Only an answered complaint can be closed; this one is registered." in response.content.decode()
    assert Complaint.objects.get().status == Status.REGISTERED


def test_review_answer_with_a_letter_and_close_from_the_page(client, complaint, staff, smtp_server):
    manager = staff["manager"]
    client.force_login(manager)
    client.post(reverse("complaints:forward", args=[complaint.pk]))
    send_outbound_emails()
    client.post(reverse("complaints:assign", args=[complaint.pk]), {"assigned_to": manager.pk})

    bad = client.post(
        reverse("complaints:answer", args=[complaint.pk]),
        {"answer_channel": "letter", "answered_at": "2026-11-23T10:20", "letter": upload("x.pdf", b"not a pdf")},
    )
    assert bad.status_code == 400
    assert "“x.pdf” is not a PDF, a Word document (DOCX) or a JPEG, PNG or WebP image." in bad.content.decode()
    assert Complaint.objects.get().status == Status.IN_REVIEW
    fake = client.post(
        reverse("complaints:answer", args=[complaint.pk]),
        {"answer_channel": "letter", "answered_at": "2026-11-23T10:20", "letter": upload("y.pdf", b"%PDF-1.4 letter")},
    )
    assert fake.status_code == 400
    assert (
        escape("“y.pdf” begins like a PDF but cannot be opened: it is damaged or not a PDF.") in fake.content.decode()
    )
    assert Complaint.objects.get().status == Status.IN_REVIEW and not Complaint.objects.get().answer_letter

    client.post(
        reverse("complaints:answer", args=[complaint.pk]),
        {
            "answer_text": "We apologise.",
            "answer_channel": "letter",
            "answered_at": "2026-11-23T10:20",
            "letter": upload("answer.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    answered = Complaint.objects.get()
    assert answered.status == Status.ANSWERED and answered.answered_at == at(2026, 11, 23, 10, 20)
    letter = client.get(reverse("complaints:answer-letter", args=[complaint.pk]))
    assert b"".join(letter.streaming_content) == pdf_bytes()
    assert letter["Content-Type"] == "application/pdf" and letter["Cache-Control"] == "private, no-store"

    client.post(reverse("complaints:close", args=[complaint.pk]), {"note": "Done"})
    assert Complaint.objects.get().status == Status.CLOSED
    no_reason = client.post(reverse("complaints:reopen", args=[complaint.pk]), {"reason": ""})
    assert no_reason.status_code == 400 and Complaint.objects.get().status == Status.CLOSED


def test_an_operator_may_not_answer(client, complaint, operator):
    client.force_login(operator)
    response = client.post(reverse("complaints:answer", args=[complaint.pk]), {"answer_text": "x"})
    assert response.status_code == 403


def test_a_complaint_of_another_branch_is_not_found(client, complaint, stranger):
    client.force_login(stranger)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    assert client.get(reverse("complaints:acknowledgement", args=[complaint.pk])).status_code == 404


def test_the_acknowledgement_shows_number_receipt_and_answer_due_in_local_time(client, complaint, operator, msk):
    msk.is_financial_organisation = True
    msk.save()
    client.force_login(operator)
    page = client.get(reverse("complaints:acknowledgement", args=[complaint.pk])).content.decode()
    assert "MSK-2026-00001" in page
    assert "23.11.2026 10:00" in page, "Moscow time, not UTC (07:00)"
    assert "07.12.2026" in page
    assert "data-print" in page and "css/print.css" in page


def test_pages_can_be_added_from_the_page_and_a_duplicate_is_flagged(client, complaint, operator, media):
    client.force_login(operator)
    response = client.post(
        reverse("complaints:add-pages", args=[complaint.pk]),
        {"pages": [upload("again.jpg", jpeg_bytes())]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 photo added." in page
    assert "Page 2 is the same photo as page 1 of MSK-2026-00001." in page
    assert complaint.pages.count() == 2


def test_the_answer_date_shown_at_registration_is_the_acknowledgements(client, complaint, operator):
    client.force_login(operator)
    detail = client.get(complaint.get_absolute_url()).content.decode()
    acknowledgement = client.get(reverse("complaints:acknowledgement", args=[complaint.pk])).content.decode()
    assert "07.12.2026" in detail and "07.12.2026" in acknowledgement


def test_a_service_refusal_keeps_the_form(client, complaint, staff):
    client.force_login(staff["manager"])
    response = client.post(
        reverse("complaints:extend", args=[complaint.pk]),
        {"days": 5, "reason": "x", "customer_told_on": "2026-11-23"},
    )
    assert response.status_code == 400
    assert "No legal answer term applies to this complaint." in response.content.decode()


def test_the_time_in_the_answer_form_is_the_branchs(client, complaint, staff, smtp_server):
    client.force_login(staff["manager"])
    client.post(reverse("complaints:forward", args=[complaint.pk]))
    send_outbound_emails()
    client.post(reverse("complaints:assign", args=[complaint.pk]), {"assigned_to": staff["manager"].pk})
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert 'value="2026-11-23T10:30"' in page, "10:30 in Moscow, not 07:30 UTC"


def test_a_customer_told_day_out_of_bounds_is_explained_before_the_service_runs(client, register, msk, staff, now):
    msk.is_financial_organisation = True
    msk.save()
    complaint = register(at(2026, 11, 23, 10, 0), now=now)
    client.force_login(staff["manager"])
    response = client.post(
        reverse("complaints:extend", args=[complaint.pk]),
        {"days": 5, "reason": "x", "customer_told_on": "0001-01-01"},
    )
    assert response.status_code == 400
    assert "Choose days from 01.01.2000 to 31.12.2099." in response.content.decode()


def test_an_answer_day_out_of_bounds_is_explained(client, complaint, staff, smtp_server):
    client.force_login(staff["manager"])
    client.post(reverse("complaints:forward", args=[complaint.pk]))
    send_outbound_emails()
    client.post(reverse("complaints:assign", args=[complaint.pk]), {"assigned_to": staff["manager"].pk})
    response = client.post(
        reverse("complaints:answer", args=[complaint.pk]),
        {"answer_text": "We apologise.", "answer_channel": "letter", "answered_at": "0001-01-01T10:00"},
    )
    assert response.status_code == 400
    assert "Choose days from 01.01.2000 to 31.12.2099." in response.content.decode()
    assert Complaint.objects.get().status == Status.IN_REVIEW
