"""Review, answer, close, reopen, and the one extension of the legal term: each step checked, audited, timed."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from complaints import services
from complaints.models import ANSWER_CLOCK, LEGAL_CLOCK, Complaint, Status
from complaints.photos import prepare_letter
from contactcenter.alerts.outbound import send_outbound_emails
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from tests.complaints.sample_files import pdf_bytes, stored_files, upload
from tests.factories import UserFactory
from tests.moments import moscow as at

RECEIVED = at(2026, 11, 20, 17, 30)  # Friday: answer due 04.12.2026 18:00, legal term 11.12.2026 18:00


@pytest.fixture
def forwarded(register, staff, smtp_server):
    with time_machine.travel(RECEIVED + timedelta(minutes=5), tick=False):
        complaint = register(RECEIVED, forward=True)
        send_outbound_emails()
    complaint.refresh_from_db()
    assert complaint.status == Status.FORWARDED
    return complaint


@pytest.fixture
def in_review(forwarded, reviewer):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        return services.complaint_assign(complaint=forwarded, to=reviewer, by=reviewer)


def clock(complaint, kind):
    return Deadline.objects.for_case(complaint).filter(kind=kind).latest("opened_at")


def audit_actions(complaint):
    return list(AuditEntry.objects.for_target(complaint).order_by("at", "pk").values_list("action", flat=True))


def test_the_whole_way_is_audited(in_review, reviewer):
    with time_machine.travel(at(2026, 11, 25, 12, 0), tick=False):
        services.complaint_answer(
            complaint=in_review,
            text="We apologise; the queue system is fixed.",
            channel="email",
            answered_at=at(2026, 11, 25, 11, 0),
            by=reviewer,
        )
        services.complaint_close(complaint=in_review, by=reviewer, note="Customer satisfied.")
    complaint = Complaint.objects.get()
    assert complaint.status == Status.CLOSED and complaint.closed_at == at(2026, 11, 25, 12, 0)
    assert audit_actions(complaint) == [
        "complaint.registered",
        "complaint.forward_requested",
        "complaint.forwarded",
        "complaint.assigned",
        "complaint.answered",
        "complaint.closed",
    ]
    answered = AuditEntry.objects.for_target(complaint).get(action="complaint.answered")
    assert answered.actor == reviewer
    assert answered.changes["status"] == ["in_review", "answered"]
    assert answered.changes["answer_text"][1] == "We apologise; the queue system is fixed."


def test_assigning_moves_the_clocks_to_the_reviewer(in_review, reviewer):
    assert in_review.status == Status.IN_REVIEW and in_review.assigned_to == reviewer
    assert clock(in_review, ANSWER_CLOCK).owner == reviewer


def test_only_someone_who_may_answer_in_the_branch_can_review(forwarded, staff, stranger):
    for person in (staff["owner"], stranger):
        with pytest.raises(ValidationError) as caught:
            services.complaint_assign(complaint=forwarded, to=person, by=staff["manager"])
        assert "may not review complaints of this branch" in caught.value.messages[0]
    assert Complaint.objects.get().status == Status.FORWARDED
    # The deputy director works for every branch.
    services.complaint_assign(complaint=forwarded, to=staff["deputy"], by=staff["manager"])


def test_answering_meets_the_answer_clock_on_time(in_review, reviewer):
    with time_machine.travel(at(2026, 12, 3, 16, 0), tick=False):
        services.complaint_answer(
            complaint=in_review, text="Done.", channel="phone", answered_at=at(2026, 12, 3, 15, 0), by=reviewer
        )
    answer = clock(in_review, ANSWER_CLOCK)
    assert answer.state == Deadline.State.MET and answer.met_at == at(2026, 12, 3, 15, 0) and not answer.met_late


def test_an_answer_after_the_due_moment_is_met_late(in_review, reviewer):
    with time_machine.travel(at(2026, 12, 7, 10, 0), tick=False):
        services.complaint_answer(
            complaint=in_review,
            text="Sorry for the delay.",
            channel="email",
            answered_at=at(2026, 12, 7, 9, 0),
            by=reviewer,
        )
    assert clock(in_review, ANSWER_CLOCK).met_late


def test_the_answer_needs_text_or_a_letter_and_a_sensible_moment(in_review, reviewer):
    with time_machine.travel(at(2026, 11, 25, 12, 0), tick=False):
        with pytest.raises(ValidationError, match="Write the answer or attach the letter"):
            services.complaint_answer(
                complaint=in_review, text="  ", channel="email", answered_at=at(2026, 11, 25, 11, 0), by=reviewer
            )
        with pytest.raises(ValidationError) as future:
            services.complaint_answer(
                complaint=in_review, text="x", channel="email", answered_at=at(2026, 11, 25, 13, 0), by=reviewer
            )
        assert future.value.message_dict == {"answered_at": ["An answer cannot be given in the future."]}
        with pytest.raises(ValidationError) as before:
            services.complaint_answer(
                complaint=in_review, text="x", channel="email", answered_at=at(2026, 11, 20, 9, 0), by=reviewer
            )
        assert "before the complaint was received" in before.value.messages[0]
    assert Complaint.objects.get().status == Status.IN_REVIEW
    assert clock(in_review, ANSWER_CLOCK).is_open


def test_an_answer_letter_is_kept_and_a_failed_answer_keeps_no_file(in_review, reviewer, media):
    files_before = stored_files(media)
    letter = prepare_letter(upload("answer.pdf", pdf_bytes(pages=2), "application/pdf"))
    with time_machine.travel(at(2026, 11, 25, 12, 0), tick=False):
        with pytest.raises(ValidationError):
            services.complaint_answer(
                complaint=in_review,
                text="",
                channel="fax",
                answered_at=at(2026, 11, 25, 11, 0),
                by=reviewer,
                letter=letter,
            )
        assert stored_files(media) == files_before
        services.complaint_answer(
            complaint=in_review,
            text="",
            channel="letter",
            answered_at=at(2026, 11, 25, 11, 0),
            by=reviewer,
            letter=letter,
        )
    complaint = Complaint.objects.get()
    assert complaint.answer_letter_name == "answer.pdf" and complaint.answer_letter_type == "application/pdf"
    assert complaint.answer_letter.read() == pdf_bytes(pages=2)
    assert "answer.pdf" not in complaint.answer_letter.name


@pytest.mark.parametrize(
    "step, call",
    [
        (
            "answer",
            lambda c, u: services.complaint_answer(complaint=c, text="x", channel="email", answered_at=RECEIVED, by=u),
        ),
        ("close", lambda c, u: services.complaint_close(complaint=c, by=u)),
        ("reopen", lambda c, u: services.complaint_reopen(complaint=c, reason="why", by=u)),
        ("assign", lambda c, u: services.complaint_assign(complaint=c, to=u, by=u)),
    ],
)
def test_a_step_the_status_does_not_allow_changes_nothing(register, reviewer, step, call):
    complaint = register(RECEIVED)
    with time_machine.travel(RECEIVED + timedelta(hours=1), tick=False), pytest.raises(ValidationError) as caught:
        call(complaint, reviewer)
    assert "this one is registered" in caught.value.messages[0]
    assert Complaint.objects.get().status == Status.REGISTERED
    assert audit_actions(complaint) == ["complaint.registered"]


def test_reopening_needs_a_reason_and_opens_a_new_answer_clock(in_review, reviewer):
    with time_machine.travel(at(2026, 11, 25, 12, 0), tick=False):
        services.complaint_answer(
            complaint=in_review, text="Done.", channel="email", answered_at=at(2026, 11, 25, 11, 0), by=reviewer
        )
        services.complaint_close(complaint=in_review, by=reviewer)
    with time_machine.travel(at(2026, 11, 27, 10, 0), tick=False):
        with pytest.raises(ValidationError) as caught:
            services.complaint_reopen(complaint=in_review, reason="  ", by=reviewer)
        assert caught.value.message_dict == {"reason": ["Say why the complaint is reopened."]}
        assert Complaint.objects.get().status == Status.CLOSED
        services.complaint_reopen(complaint=in_review, reason="The customer disputes the answer.", by=reviewer)
    complaint = Complaint.objects.get()
    assert complaint.status == Status.IN_REVIEW and complaint.closed_at is None
    answer_clocks = Deadline.objects.for_case(complaint).filter(kind=ANSWER_CLOCK).order_by("opened_at")
    assert [c.state for c in answer_clocks] == [Deadline.State.MET, Deadline.State.ON_TRACK]
    assert answer_clocks[1].due_at == at(2026, 12, 11, 18, 0), "10 business days from Friday 27 November"
    assert answer_clocks[1].owner == reviewer
    entry = AuditEntry.objects.for_target(complaint).get(action="complaint.reopened")
    assert entry.note == "The customer disputes the answer."
    # An answer to the reopened complaint cannot be dated before the reopening.
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False), pytest.raises(ValidationError, match="reopened"):
        services.complaint_answer(
            complaint=complaint, text="x", channel="email", answered_at=at(2026, 11, 26, 10, 0), by=reviewer
        )


class TestTheLegalTerm:
    """Financial organisations: a written answer within 15 working days, extendable once by at most 10."""

    @pytest.fixture
    def legal(self, financial, register, staff, smtp_server, reviewer):
        with time_machine.travel(RECEIVED + timedelta(minutes=5), tick=False):
            complaint = register(RECEIVED, forward=True)
            send_outbound_emails()
        with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
            return services.complaint_assign(complaint=complaint, to=reviewer, by=reviewer)

    def test_the_legal_term_is_extended_once_by_at_most_ten_working_days(self, legal, reviewer):
        assert clock(legal, LEGAL_CLOCK).due_at == at(2026, 12, 11, 18, 0)
        with time_machine.travel(at(2026, 12, 8, 10, 0), tick=False):
            with pytest.raises(ValidationError) as too_long:
                services.complaint_extend_legal_term(
                    complaint=legal, days=11, reason="Expert opinion", customer_told_on=date(2026, 12, 8), by=reviewer
                )
            assert "1 to 10 working days" in too_long.value.messages[0]
            services.complaint_extend_legal_term(
                complaint=legal,
                days=10,
                reason="Waiting for the bank's expert opinion.",
                customer_told_on=date(2026, 12, 8),
                by=reviewer,
            )
            with pytest.raises(ValidationError, match="only once"):
                services.complaint_extend_legal_term(
                    complaint=legal, days=1, reason="Again", customer_told_on=date(2026, 12, 8), by=reviewer
                )
        legal_clock = clock(legal, LEGAL_CLOCK)
        assert legal_clock.due_at == at(2026, 12, 25, 18, 0), "ten working days after 11 December"
        assert clock(legal, ANSWER_CLOCK).due_at == at(2026, 12, 4, 18, 0), "the internal term does not move"
        complaint = Complaint.objects.get()
        assert complaint.legal_extension_days == 10
        assert complaint.customer_told_of_extension_on == date(2026, 12, 8)
        entry = AuditEntry.objects.for_target(complaint).get(action="complaint.legal_term_extended")
        assert entry.note == "Waiting for the bank's expert opinion."
        assert entry.changes["legal_due_at"] == [
            at(2026, 12, 11, 18, 0).isoformat(),
            at(2026, 12, 25, 18, 0).isoformat(),
        ]
        assert AuditEntry.objects.for_target(complaint).filter(action="clock.moved").exists()

    def test_across_the_new_year_holidays(self, financial, register, staff, reviewer):
        complaint = register(at(2026, 12, 30, 16, 0))
        assert clock(complaint, LEGAL_CLOCK).due_at == at(2027, 1, 29, 18, 0)
        with time_machine.travel(at(2027, 1, 28, 10, 0), tick=False):
            services.complaint_extend_legal_term(
                complaint=complaint, days=10, reason="Documents", customer_told_on=date(2027, 1, 28), by=reviewer
            )
        assert clock(complaint, LEGAL_CLOCK).due_at == at(2027, 2, 12, 18, 0)

    def test_a_term_that_has_run_out_cannot_be_extended(self, legal, reviewer):
        with time_machine.travel(at(2026, 12, 11, 18, 1), tick=False), pytest.raises(ValidationError, match="run out"):
            services.complaint_extend_legal_term(
                complaint=legal, days=5, reason="Late", customer_told_on=date(2026, 12, 11), by=reviewer
            )
        assert Complaint.objects.get().legal_extension_days is None

    def test_the_extension_needs_a_reason_and_a_real_day_the_customer_was_told(self, legal, reviewer):
        with time_machine.travel(at(2026, 12, 8, 10, 0), tick=False):
            with pytest.raises(ValidationError) as no_reason:
                services.complaint_extend_legal_term(
                    complaint=legal, days=5, reason="", customer_told_on=date(2026, 12, 8), by=reviewer
                )
            assert "reason" in no_reason.value.message_dict
            with pytest.raises(ValidationError) as future:
                services.complaint_extend_legal_term(
                    complaint=legal, days=5, reason="x", customer_told_on=date(2026, 12, 9), by=reviewer
                )
            assert future.value.message_dict == {
                "customer_told_on": ["The customer cannot have been told in the future."]
            }
        assert clock(legal, LEGAL_CLOCK).due_at == at(2026, 12, 11, 18, 0)

    def test_a_written_answer_meets_both_clocks(self, legal, reviewer):
        with time_machine.travel(at(2026, 12, 10, 12, 0), tick=False):
            with pytest.raises(ValidationError) as spoken:
                services.complaint_answer(
                    complaint=legal,
                    text="Told by phone.",
                    channel="phone",
                    answered_at=at(2026, 12, 10, 11, 0),
                    by=reviewer,
                )
            assert "requires a written answer" in spoken.value.messages[0]
            services.complaint_answer(
                complaint=legal, text="Letter sent.", channel="letter", answered_at=at(2026, 12, 10, 11, 0), by=reviewer
            )
        assert clock(legal, ANSWER_CLOCK).met_late, "the internal 10 days were over on 4 December"
        legal_clock = clock(legal, LEGAL_CLOCK)
        assert legal_clock.state == Deadline.State.MET and not legal_clock.met_late

    def test_no_extension_without_a_legal_term(self, in_review, reviewer):
        with time_machine.travel(at(2026, 12, 1, 10, 0), tick=False), pytest.raises(ValidationError, match="No legal"):
            services.complaint_extend_legal_term(
                complaint=in_review, days=5, reason="x", customer_told_on=date(2026, 12, 1), by=reviewer
            )


def test_a_reviewer_from_an_unrelated_role_is_refused(forwarded, msk, staff):
    security = UserFactory(username="guard", role="Security", branches=[msk])
    with pytest.raises(ValidationError):
        services.complaint_assign(complaint=forwarded, to=security, by=staff["manager"])
