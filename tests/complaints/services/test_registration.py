"""Registering a complaint: the number, the customer, the pages, the clocks; and nothing kept when it fails."""

from datetime import datetime
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError

from complaints import services
from complaints.models import ANSWER_CLOCK, FORWARDING_CLOCK, LEGAL_CLOCK, Complaint, ComplaintPage, Status
from contactcenter.alerts.models import OutboundEmail
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from contactcenter.directory.models import Customer
from tests.complaints.sample_files import stored_files
from tests.factories import BranchFactory, CustomerFactory
from tests.moments import moscow as at


def clocks_of(complaint) -> dict[str, Deadline]:
    return {clock.kind: clock for clock in Deadline.objects.for_case(complaint)}


def test_a_registered_complaint_has_its_number_customer_pages_clocks_and_audit(register, msk, staff, media):
    complaint = register(at(2026, 11, 23, 10, 0))

    assert complaint.register_number == "MSK-2026-00001"
    assert complaint.status == Status.REGISTERED
    assert complaint.received_on.isoformat() == "2026-11-23"
    assert complaint.customer.full_name == "Ivan Ivanov" and complaint.customer.phone == "+79161234567"
    page = complaint.pages.get()
    assert page.position == 1 and page.original_name == "page.jpg" and page.duplicate_of is None
    assert len(stored_files(media)) == 2, "the photo and its thumbnail"
    clocks = clocks_of(complaint)
    assert set(clocks) == {FORWARDING_CLOCK, ANSWER_CLOCK}, "no legal term: Moscow is not a financial organisation"
    assert clocks[FORWARDING_CLOCK].owner == staff["owner"]
    assert clocks[ANSWER_CLOCK].owner == staff["manager"]
    assert clocks[ANSWER_CLOCK].case_url == complaint.get_absolute_url()
    assert clocks[ANSWER_CLOCK].title == "MSK-2026-00001 · Ivan Ivanov"
    entry = AuditEntry.objects.for_target(complaint).get()
    assert entry.action == "complaint.registered" and entry.actor == staff["owner"]
    assert entry.changes["register_number"] == [None, "MSK-2026-00001"]


def test_numbers_follow_each_other_per_branch_and_year_of_receipt(register, msk, staff):
    bud = BranchFactory(code="SPB", name="Saint Petersburg", time_zone="Europe/Moscow", country="RU")
    bud.manager = staff["manager"]
    bud.save()
    first = register(at(2026, 12, 31, 23, 30))
    second = register(at(2026, 12, 31, 23, 40), phone="+79161234568", name="Olga")
    elsewhere = register(at(2026, 12, 31, 23, 45), branch=bud, phone="+79161234569", name="Petr")
    new_year = register(at(2027, 1, 1, 0, 10), phone="+79161234570", name="Anna")
    assert [c.register_number for c in (first, second, elsewhere, new_year)] == [
        "MSK-2026-00001",
        "MSK-2026-00002",
        "SPB-2026-00001",
        "MSK-2027-00001",
    ]


def test_the_year_is_the_branchs_local_year(register, msk):
    # 23:30 on 31 December in Moscow is still 2026 in Moscow, though 20:30 UTC; 00:30 on 1 January is 2027.
    late = register(at(2026, 12, 31, 23, 30))
    early = register(datetime.fromisoformat("2026-12-31T21:30:00+00:00"), phone="+79161234568", name="Olga")
    assert late.register_number == "MSK-2026-00001"
    assert early.register_number == "MSK-2027-00001"


def test_a_failed_registration_gives_its_number_back(register, msk, media):
    with (
        mock.patch("complaints.services.registration.record_audit", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        register()
    assert not Complaint.objects.exists() and not ComplaintPage.objects.exists()
    assert not Customer.objects.exists(), "the new customer is rolled back with the complaint"
    assert stored_files(media) == [], "the files written before the failure are deleted"
    assert register().register_number == "MSK-2026-00001", "no gap"


def test_a_known_customer_is_found_by_any_spelling_of_their_phone(register, msk):
    known = CustomerFactory(branch=msk, full_name="Maria Petrova", phone="+79161234567")
    complaint = register(phone="8 (916) 123-45-67", name="")
    assert complaint.customer == known
    assert Customer.objects.count() == 1


def test_a_new_customer_needs_a_name(register, msk):
    with pytest.raises(ValidationError) as caught:
        register(name="")
    assert "customer_name" in caught.value.error_dict
    assert not Complaint.objects.exists()


def test_a_bad_phone_is_explained(register):
    with pytest.raises(ValidationError) as caught:
        register(phone="12")
    assert "customer_phone" in caught.value.error_dict


def test_a_complaint_received_in_the_future_is_refused_and_nothing_is_stored(register, media):
    with pytest.raises(ValidationError) as caught:
        register(at(2026, 11, 23, 12, 0), now=at(2026, 11, 23, 11, 59))
    assert caught.value.message_dict == {"received_at": ["A complaint cannot be received in the future."]}
    assert not Complaint.objects.exists() and not Customer.objects.exists()
    assert stored_files(media) == []


def test_a_complaint_book_entry_needs_a_photo_but_a_phone_call_does_not(register):
    with pytest.raises(ValidationError) as caught:
        register(pages=[])
    assert caught.value.message_dict == {"pages": ["Add a photo of the complaint book's page."]}
    assert register(pages=[], channel="phone").pages.count() == 0


def test_the_same_photo_twice_is_flagged_not_refused(register, photo):
    first = register(pages=[photo("a.jpg"), photo("b.jpg", color="green")])
    second = register(pages=[photo("again.jpg", gps=True)], phone="+79161234568", name="Olga")
    repeated = second.pages.get()
    assert repeated.duplicate_of == first.pages.get(position=1)
    same_twice = register(pages=[photo("x.jpg", color="red"), photo("y.jpg", color="red")], phone="+79161234569")
    assert same_twice.pages.get(position=2).duplicate_of == same_twice.pages.get(position=1)


def test_pages_can_be_added_later_and_numbering_goes_on(register, staff, photo, media):
    complaint = register()
    added = services.complaint_add_pages(complaint=complaint, pages=[photo("p2.jpg", color="red")], by=staff["owner"])
    assert [page.position for page in added] == [2]
    assert AuditEntry.objects.for_target(complaint).filter(action="complaint.pages_added").exists()
    assert len(stored_files(media)) == 4


class TestClocksOnAwkwardDays:
    """Forwarding by 11:00 on the next business day; the answer within 10 business days; the legal term
    within 15 working days: all in the branch's calendar (Monday–Friday 09:00–18:00, Russian holidays)."""

    @pytest.fixture
    def financial(self, msk):
        msk.is_financial_organisation = True
        msk.save()
        return msk

    def test_friday_evening(self, register, financial):
        complaint = register(at(2026, 11, 20, 17, 59))
        clocks = clocks_of(complaint)
        assert clocks[FORWARDING_CLOCK].due_at == at(2026, 11, 23, 11, 0), "Monday 11:00"
        assert clocks[ANSWER_CLOCK].due_at == at(2026, 12, 4, 18, 0)
        assert clocks[LEGAL_CLOCK].due_at == at(2026, 12, 11, 18, 0)
        assert complaint.legal_term_applies

    def test_friday_after_closing_time_counts_from_the_same_friday(self, register, financial):
        complaint = register(at(2026, 11, 20, 21, 30))
        assert clocks_of(complaint)[FORWARDING_CLOCK].due_at == at(2026, 11, 23, 11, 0)
        assert clocks_of(complaint)[ANSWER_CLOCK].due_at == at(2026, 12, 4, 18, 0)

    def test_a_transferred_working_saturday(self, register, financial):
        # Saturday 20 February 2027 is a working day; 22 and 23 February and 8 March are days off.
        complaint = register(at(2027, 2, 19, 15, 0))
        clocks = clocks_of(complaint)
        assert clocks[FORWARDING_CLOCK].due_at == at(2027, 2, 20, 11, 0), "the working Saturday"
        assert clocks[ANSWER_CLOCK].due_at == at(2027, 3, 9, 18, 0)
        assert clocks[LEGAL_CLOCK].due_at == at(2027, 3, 16, 18, 0)

    def test_received_on_the_working_saturday(self, register, financial):
        complaint = register(at(2027, 2, 20, 12, 0))
        assert clocks_of(complaint)[FORWARDING_CLOCK].due_at == at(2027, 2, 24, 11, 0), "after two holidays"

    def test_the_new_year_holidays(self, register, financial):
        # 31 December 2026 is a day off, 1–8 January holidays, 9–10 January a weekend.
        complaint = register(at(2026, 12, 30, 16, 0))
        clocks = clocks_of(complaint)
        assert clocks[FORWARDING_CLOCK].due_at == at(2027, 1, 11, 11, 0)
        assert clocks[ANSWER_CLOCK].due_at == at(2027, 1, 22, 18, 0)
        assert clocks[LEGAL_CLOCK].due_at == at(2027, 1, 29, 18, 0)

    def test_a_branch_that_is_not_a_financial_organisation_has_no_legal_term(self, register, msk):
        assert LEGAL_CLOCK not in clocks_of(register())


def test_forward_on_registration_queues_the_email(register, staff):
    complaint = register(forward=True)
    email = OutboundEmail.objects.get()
    assert email.to == [staff["manager"].email] and email.cc == [staff["deputy"].email]
    assert complaint.forwardings.get().email == email
    assert complaint.status == Status.REGISTERED, "forwarded only once the mail server accepted it"


def test_forward_on_registration_without_a_manager_stores_nothing(register, msk, media):
    msk.manager = None
    msk.save()
    with pytest.raises(ValidationError) as caught:
        register(forward=True)
    assert "has no direct manager" in caught.value.messages[0]
    assert not Complaint.objects.exists() and not OutboundEmail.objects.exists()
    assert stored_files(media) == []


def test_the_summary_and_category_can_be_corrected_with_an_audit_entry(register, staff):
    complaint = register()
    services.complaint_update(complaint=complaint, by=staff["supervisor"], summary="Waited two hours.")
    complaint.refresh_from_db()
    assert complaint.summary == "Waited two hours."
    entry = AuditEntry.objects.for_target(complaint).get(action="complaint.changed")
    assert entry.changes == {"summary": ["Waited an hour at the desk.", "Waited two hours."]}
    with pytest.raises(TypeError):
        services.complaint_update(complaint=complaint, by=staff["supervisor"], register_number="X")


def test_registration_takes_the_next_number_under_its_transaction(msk):
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        assert services.take_register_number(branch=msk, year=2026) == 1
        assert services.take_register_number(branch=msk, year=2026) == 2
        assert services.take_register_number(branch=msk, year=2027) == 1


# --- how far back a complaint may have been received ------------------------------------------------------------

TOO_OLD = "A complaint received before 23.11.2023 (more than 1096 days ago) cannot be registered: check the date."


@pytest.mark.parametrize(
    "received",
    [at(1, 1, 1, 0, 0), at(1900, 1, 1, 10, 0), at(2023, 11, 23, 10, 0)],
    ids=["year-1", "1900", "a-minute-too-old"],
)
def test_a_complaint_received_more_than_three_years_ago_is_refused(register, media, received):
    with pytest.raises(ValidationError) as caught:
        register(received, now=at(2026, 11, 23, 10, 1))
    assert caught.value.message_dict == {"received_at": [TOO_OLD]}
    assert caught.value.error_dict["received_at"][0].code == "too_old"
    assert not Complaint.objects.exists() and not Customer.objects.exists() and stored_files(media) == []


def test_a_complaint_received_just_within_three_years_is_registered(register):
    complaint = register(at(2023, 11, 23, 10, 2), now=at(2026, 11, 23, 10, 1))
    assert complaint.register_number == "MSK-2023-00001"


def test_the_age_limit_is_a_setting(register, settings):
    settings.COMPLAINT_RECEIVED_MAX_AGE_DAYS = 30
    with pytest.raises(ValidationError) as caught:
        register(at(2026, 10, 23, 10, 0), now=at(2026, 11, 23, 10, 1))
    assert caught.value.error_dict["received_at"][0].code == "too_old"
    assert "more than 30 days ago" in caught.value.messages[0]
    assert register(at(2026, 10, 25, 10, 0), now=at(2026, 11, 23, 10, 1)).year == 2026


def test_a_complaint_received_before_its_branch_opened_is_refused(register, msk):
    msk.opened_on = datetime(2026, 11, 1).date()
    msk.save()
    with pytest.raises(ValidationError) as caught:
        register(at(2026, 10, 31, 23, 59), now=at(2026, 11, 23, 10, 1))
    assert caught.value.message_dict == {
        "received_at": ["Branch MSK opened on 01.11.2026: it cannot have received a complaint before."]
    }
    assert not Complaint.objects.exists()
    assert register(at(2026, 11, 1, 0, 0), now=at(2026, 11, 23, 10, 1)).received_on.isoformat() == "2026-11-01"


def test_a_customer_of_another_branch_is_refused_and_nothing_is_registered(register, bud, media):
    with pytest.raises(ValidationError) as refused:
        register(customer=CustomerFactory(branch=bud))

    assert refused.value.message_dict == {"customer_phone": ["This customer belongs to another branch."]}
    assert not Complaint.objects.exists()
    assert stored_files(media) == []
