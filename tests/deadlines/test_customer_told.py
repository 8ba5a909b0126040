"""A moment told to a customer is never moved silently: a calendar change, a pause or a move flags the case
"tell the customer the new date" (case page and dashboard queue) until someone records it or the e-mail
with the new date is accepted by the mail server; the acknowledgement shows both dates; a date already past
(a backdated complaint) is said to have passed instead of being told."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from callbacks import services as callback_services
from callbacks.models import CallbackReason
from complaints import services as complaint_services
from complaints.models import ANSWER_CLOCK, LEGAL_CLOCK
from complaints.photos import prepare_photo
from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import send_outbound_emails
from contactcenter.audit.models import AuditEntry
from contactcenter.calendars.models import CalendarOverride
from contactcenter.calendars.services import override_save
from contactcenter.deadlines.models import Deadline, DueMoveNotice, PauseReason
from contactcenter.deadlines.services import ClockError, customer_told_of_move
from dashboard.selectors import attention_queue
from tests.alerts.test_customers import register_complaint
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
    return CustomerFactory(branch=msk, full_name="Anna Petrova", phone="+79161234567")


@pytest.fixture
def documents(db):
    return PauseReason.objects.get(label="Waiting for the customer's documents")


def day_off(branch, day, by):
    override_save(override=CalendarOverride(date=day, branch=branch, is_working=False, note="Flood"), by=by)


def agreed_callback(branch, customer, by, **window):
    """A callback the customer asked for at 14:00 today (``window_end``: until then)."""
    return callback_services.callback_register(
        branch=branch,
        customer=customer,
        reason=CallbackReason.objects.get(code="asked_callback"),
        customer_said="Call me after lunch.",
        created_by=by,
        window_start=at(2026, 11, 23, 14, 0),
        **window,
    )


def clock_of(case, kind):
    return Deadline.objects.for_case(case).open().get(kind=kind)


def untold(case):
    return DueMoveNotice.objects.untold().filter(deadline__object_id=case.pk)


def test_a_calendar_change_flags_both_dates_of_a_complaint(msk, people, customer, root):
    msk.is_financial_organisation = True
    msk.save()
    complaint = register_complaint(msk, people["owner"], customer)
    answer, legal = clock_of(complaint, ANSWER_CLOCK), clock_of(complaint, LEGAL_CLOCK)
    assert answer.promised_to_customer and legal.promised_to_customer
    assert not DueMoveNotice.objects.exists()

    day_off(msk, date(2026, 11, 25), root)

    notices = {notice.deadline.kind: notice for notice in untold(complaint).select_related("deadline")}
    assert set(notices) == {ANSWER_CLOCK, LEGAL_CLOCK}
    assert (notices[ANSWER_CLOCK].told_due_at, notices[ANSWER_CLOCK].new_due_at) == (
        answer.due_at,
        answer.due_at + timedelta(days=1),
    )
    assert notices[ANSWER_CLOCK].cause == DueMoveNotice.Cause.RECOMPUTED


def test_the_forwarding_clock_and_a_callback_retry_are_never_flagged(msk, people, customer, root, operator):
    complaint = register_complaint(msk, people["owner"], customer)
    assert not clock_of(complaint, "complaint_forwarding").promised_to_customer
    callback = callback_services.callback_register(
        branch=msk,
        customer=customer,
        reason=CallbackReason.objects.get(code="request_submitted"),
        customer_said="About my application.",
        created_by=operator,
    )
    assert not Deadline.objects.for_case(callback).get().promised_to_customer  # the reason's term, not a promise


def test_a_second_move_keeps_the_date_the_customer_was_given(msk, people, customer, root):
    complaint = register_complaint(msk, people["owner"], customer)
    given = clock_of(complaint, ANSWER_CLOCK).due_at
    day_off(msk, date(2026, 11, 25), root)
    day_off(msk, date(2026, 11, 26), root)
    notice = untold(complaint).get()
    assert (notice.told_due_at, notice.new_due_at) == (given, given + timedelta(days=2))


def test_a_pause_of_the_answer_clock_flags_it_when_it_resumes(msk, people, customer, documents, frozen):
    complaint = register_complaint(msk, people["owner"], customer)
    given = clock_of(complaint, ANSWER_CLOCK).due_at
    complaint_services.complaint_pause_clock(complaint=complaint, reason=documents, by=people["supervisor"])
    assert not untold(complaint).exists()  # paused: no new date yet
    frozen.shift(timedelta(days=2))
    complaint_services.complaint_resume_clock(complaint=complaint, by=people["supervisor"])
    notice = untold(complaint).get()
    assert (notice.told_due_at, notice.new_due_at, notice.cause) == (
        given,
        given + timedelta(days=2),
        DueMoveNotice.Cause.RESUMED,
    )


def test_a_legal_extension_the_customer_was_told_of_is_recorded_told(msk, people, customer):
    msk.is_financial_organisation = True
    msk.save()
    complaint = register_complaint(msk, people["owner"], customer)
    complaint_services.complaint_extend_legal_term(
        complaint=complaint, days=5, reason="Records.", customer_told_on=date(2026, 11, 23), by=people["manager"]
    )
    notice = DueMoveNotice.objects.get()
    assert notice.is_told and notice.told_by == people["manager"] and notice.told_how == "staff"
    assert not untold(complaint).exists()


def test_an_agreed_callback_time_moved_by_a_pause_is_flagged(msk, people, customer, operator, documents, frozen):
    callback = agreed_callback(msk, customer, operator)
    callback_services.callback_pause_clock(callback=callback, reason=documents, by=people["supervisor"])
    frozen.shift(timedelta(hours=1))
    callback_services.callback_resume_clock(callback=callback, by=people["supervisor"])
    notice = untold(callback).get()
    assert (notice.told_due_at, notice.new_due_at) == (at(2026, 11, 23, 14, 0), at(2026, 11, 23, 15, 0))

    page = callback_pageview(people["supervisor"], callback)
    assert "Tell the customer the new date" in page and "23.11.2026 15:00" in page


def callback_pageview(user, callback):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(callback.get_absolute_url()).content.decode()


def test_the_flag_is_on_the_queue_and_the_page_until_someone_records_it(client, msk, people, customer, root):
    complaint = register_complaint(msk, people["owner"], customer)
    day_off(msk, date(2026, 11, 25), root)
    notice = untold(complaint).get()
    supervisor = people["supervisor"]

    queued = [clock for clock in attention_queue(supervisor) if clock.untold_notice]
    assert [(clock.object_id, clock.untold_notice, clock.may_record_told) for clock in queued] == [
        (complaint.pk, notice.pk, True)
    ]
    assert queued[0].told_due_at == notice.told_due_at
    client.force_login(supervisor)
    home = client.get("/").content.decode()
    assert 'data-testid="tell-new-date"' in home and "07.12.2026 18:00" in home
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Tell the customer the new date" in page and "08.12.2026 18:00" in page
    listed = client.get(reverse("alerts:attention")).content.decode()
    assert 'data-testid="tell-new-date"' in listed and "07.12.2026 18:00" in listed
    assert 'data-testid="attention-count">1<' in listed  # the header counts it too

    response = client.post(reverse("deadlines:customer-told", args=[notice.pk]))
    assert response.status_code == 302 and response.url == complaint.get_absolute_url()
    notice.refresh_from_db()
    assert (notice.told_at, notice.told_by, notice.told_how) == (NOW, supervisor, "staff")
    entry = AuditEntry.objects.for_target(complaint).get(action="customer.told_new_date")
    assert entry.actor == supervisor
    assert entry.changes[f"{ANSWER_CLOCK}.due_at"] == [notice.told_due_at.isoformat(), notice.new_due_at.isoformat()]
    assert not [clock for clock in attention_queue(supervisor) if clock.untold_notice]
    assert "Tell the customer the new date" not in client.get(complaint.get_absolute_url()).content.decode()

    with pytest.raises(ClockError):  # told once
        customer_told_of_move(notice=notice, by=supervisor)


def test_only_who_may_change_the_case_in_its_branch_records_it(client, msk, people, customer, root, stranger):
    complaint = register_complaint(msk, people["owner"], customer)
    day_off(msk, date(2026, 11, 25), root)
    notice = untold(complaint).get()
    operator = people["owner"]  # registers complaints, does not handle them
    with pytest.raises(ClockError):
        customer_told_of_move(notice=notice, by=operator)
    client.force_login(operator)
    client.post(reverse("deadlines:customer-told", args=[notice.pk]))
    client.force_login(stranger)
    assert client.post(reverse("deadlines:customer-told", args=[notice.pk])).status_code == 404
    assert client.get(reverse("deadlines:customer-told", args=[notice.pk])).status_code == 405
    notice.refresh_from_db()
    assert not notice.is_told
    assert not AuditEntry.objects.filter(action="customer.told_new_date").exists()


def test_the_email_with_the_new_date_clears_the_flag_once_accepted(msk, people, customer, root, smtp_server, frozen):
    customer.email, customer.email_consent = "anna@customer.example", True
    customer.save()
    complaint = register_complaint(msk, people["owner"], customer)
    send_outbound_emails()  # the acknowledgement
    day_off(msk, date(2026, 11, 25), root)
    notice = untold(complaint).get()
    email = OutboundEmail.objects.get(purpose="customer.complaint.answer_moved")
    assert notice.email_id == email.pk and "08.12.2026" in email.text_body

    smtp_server.stop()
    send_outbound_emails()
    assert untold(complaint).exists()  # not accepted: still to be told

    smtp_server.start()
    frozen.shift(timedelta(minutes=5))
    assert send_outbound_emails().sent == 1
    notice.refresh_from_db()
    assert (notice.told_how, notice.told_at, notice.told_by) == ("email", NOW + timedelta(minutes=5), None)
    assert AuditEntry.objects.for_target(complaint).filter(action="customer.told").count() == 2


def test_an_email_of_an_earlier_move_does_not_clear_a_later_one(msk, people, customer, root, smtp_server):
    customer.email, customer.email_consent = "anna@customer.example", True
    customer.save()
    complaint = register_complaint(msk, people["owner"], customer)
    day_off(msk, date(2026, 11, 25), root)
    first = OutboundEmail.objects.get(purpose="customer.complaint.answer_moved")
    day_off(msk, date(2026, 11, 26), root)
    notice = untold(complaint).get()
    assert notice.email_id != first.pk
    from contactcenter.deadlines.services import move_notice_told_by_email

    assert move_notice_told_by_email(email_id=first.pk, at=NOW) == 0
    assert untold(complaint).exists()


def test_the_acknowledgement_shows_the_date_first_given_and_the_new_one(client, msk, people, customer, root):
    complaint = register_complaint(msk, people["owner"], customer)
    client.force_login(people["supervisor"])
    sheet = client.get(reverse("complaints:acknowledgement", args=[complaint.pk])).content.decode()
    assert "07.12.2026" in sheet and "ack-answer-first-due" not in sheet
    day_off(msk, date(2026, 11, 25), root)
    sheet = client.get(reverse("complaints:acknowledgement", args=[complaint.pk])).content.decode()
    assert "<strong>08.12.2026</strong>" in sheet
    assert "перенесён с 07.12.2026" in sheet  # the customer's language: Russian


def test_a_backdated_complaint_says_its_answer_date_has_passed(client, msk, people, customer, root):
    complaint = complaint_services.complaint_register(
        branch=msk,
        channel="complaint_book",
        category="service",
        received_at=at(2026, 10, 26, 10, 0),  # backdated: its 10 business days ran out on 9 November
        summary="Waited an hour at the desk.",
        registered_by=people["owner"],
        customer=customer,
        pages=[prepare_photo(upload("page.jpg", jpeg_bytes()))],
    )
    answer = clock_of(complaint, ANSWER_CLOCK)
    assert answer.due_at < NOW
    client.force_login(people["supervisor"])
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Дата ответа уже прошла" in page or "The answer date has already passed" in page
    assert "Tell the customer: the answer is due by" not in page
    sheet = client.get(reverse("complaints:acknowledgement", args=[complaint.pk])).content.decode()
    assert "дата ответа уже прошла: " + answer.due_at.astimezone(msk.tz).strftime("%d.%m.%Y") in sheet

    day_off(msk, date(2026, 11, 2), root)  # inside its window: recomputed, still in the past
    assert clock_of(complaint, ANSWER_CLOCK).due_at == answer.due_at + timedelta(days=1)
    assert not DueMoveNotice.objects.exists()
    assert not OutboundEmail.objects.filter(purpose="customer.complaint.answer_moved").exists()
    assert not [clock for clock in attention_queue(people["supervisor"]) if clock.untold_notice]


def test_the_open_complaints_of_before_are_marked_promised_by_their_migration(msk, people, customer):
    from importlib import import_module

    from django.apps import apps

    complaint = register_complaint(msk, people["owner"], customer)
    Deadline.objects.update(promised_to_customer=False)  # as the clocks were before the field existed
    import_module("complaints.migrations.0008_promised_answer_dates").mark_promised(apps, None)
    promised = set(
        Deadline.objects.for_case(complaint).filter(promised_to_customer=True).values_list("kind", flat=True)
    )
    assert promised == {ANSWER_CLOCK}  # not the forwarding (and no legal term: not a financial organisation)


def test_a_moved_callback_window_is_emailed_and_the_accepted_email_clears_it(
    msk, people, customer, operator, documents, frozen, smtp_server
):
    customer.email, customer.email_consent, customer.preferred_language = "anna@customer.example", True, "en"
    customer.save()
    callback = agreed_callback(msk, customer, operator, window_end=at(2026, 11, 23, 15, 0))
    callback_services.callback_pause_clock(callback=callback, reason=documents, by=people["supervisor"])
    frozen.shift(timedelta(hours=1))
    callback_services.callback_resume_clock(callback=callback, by=people["supervisor"])
    notice = untold(callback).get()
    moved = OutboundEmail.objects.filter(purpose="customer.callback.agreed_time").order_by("pk").last()
    assert notice.email_id == moved.pk
    assert "We will call you back on 23.11.2026 between 15:00 and 16:00." in moved.text_body

    send_outbound_emails()
    notice.refresh_from_db()
    assert notice.told_how == "email"
