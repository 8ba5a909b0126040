from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.models import Channel, Complaint
from contactcenter.alerts.models import OutboundEmail
from contactcenter.audit.models import AuditEntry
from contactcenter.calendars.models import CalendarOverride
from contactcenter.calendars.services import override_save
from contactcenter.deadlines.models import Deadline
from escalations import services
from escalations.models import Escalation, Level, TransferAttempt
from tests.factories import CustomerFactory, EscalationKindFactory, UserFactory
from tests.moments import moscow

from .conftest import kind


def clock_of(escalation):
    return Deadline.objects.for_case(escalation).open().get()


def told(purpose):
    """Everyone an e-mail of this purpose went to."""
    return {address for email in OutboundEmail.objects.filter(purpose=purpose) for address in email.to}


class TestEachKindsClock:
    @pytest.mark.parametrize(
        "code, opened, due, level",
        [
            # Two business hours: within the day, and from Friday 17:00 over the weekend.
            ("demands_supervisor", (2026, 11, 23, 10, 0), (2026, 11, 23, 12, 0), "supervisor"),
            ("demands_supervisor", (2026, 11, 20, 17, 0), (2026, 11, 23, 10, 0), "supervisor"),
            # One business day: the close of the next business day.
            ("complaint_about_operator", (2026, 11, 23, 10, 0), (2026, 11, 24, 18, 0), "supervisor"),
            ("complaint_about_operator", (2026, 11, 20, 17, 59), (2026, 11, 23, 18, 0), "supervisor"),
            # An aggressive customer: one hour of calendar time, at night and at the weekend too.
            ("aggressive", (2026, 11, 23, 10, 0), (2026, 11, 23, 11, 0), "head_of_department"),
            ("aggressive", (2026, 11, 21, 3, 0), (2026, 11, 21, 4, 0), "head_of_department"),
            ("system_failure", (2026, 11, 23, 10, 0), (2026, 11, 24, 18, 0), "supervisor"),
        ],
    )
    def test_the_default_terms(self, open_escalation, code, opened, due, level):
        with time_machine.travel(moscow(*opened), tick=False):
            escalation = open_escalation(code)
        clock = clock_of(escalation)
        assert clock.due_at == moscow(*due) == escalation.due_at
        assert clock.kind == f"escalation_{level}" and escalation.level == level
        assert clock.owner is None, "a level, not a person"
        assert escalation.status == Escalation.Status.OPEN

    def test_an_edited_term_applies_to_the_next_escalation(self, open_escalation, monday_morning):
        demand = kind("demands_supervisor")
        demand.contact_within, demand.unit, demand.basis = 30, "minutes", "calendar"
        demand.save()
        assert clock_of(open_escalation()).due_at == moscow(2026, 11, 23, 10, 30)

    def test_the_level_is_told_at_once(self, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        assert told("escalation_opened") == {staff["supervisor"].email}
        email = OutboundEmail.objects.get(purpose="escalation_opened")
        assert "Ivan Ivanov" in email.text_body and escalation.get_absolute_url() in email.text_body
        assert "23.11.2026 12:00" in email.text_body, "the due moment in the branch's time"
        entry = AuditEntry.objects.for_target(escalation).get(action="escalation.opened")
        assert entry.actor == staff["operator"]

    def test_a_level_nobody_holds_goes_to_the_manager_and_the_deputy(self, msk, customer, operator, deputy):
        manager = UserFactory(username="boss", role="Branch manager", branches=[msk])
        msk.manager, msk.deputy_director = manager, deputy
        msk.save()
        services.escalation_open(
            branch=msk, customer=customer, kind="demands_supervisor", customer_wants="x", opened_by=operator
        )
        assert told("escalation_opened") == {manager.email, deputy.email}


class TestAggressive:
    def test_goes_to_the_head_of_department_and_security_at_once(self, open_escalation, staff, monday_morning):
        escalation = open_escalation("aggressive", customer_wants="Threatens to come to the branch with friends.")
        assert escalation.level == Level.HEAD_OF_DEPARTMENT
        assert escalation.reached_security_at == moscow(2026, 11, 23, 10, 0)
        assert told("escalation_opened") == {staff["head"].email, staff["security"].email}
        assert staff["supervisor"].email not in told("escalation_opened")

    def test_security_is_told_even_when_the_call_was_put_through(self, open_escalation, staff, monday_morning):
        escalation = open_escalation(
            "aggressive",
            transfer=services.Transfer(customer_agreed=True, answered=True, to_user=staff["head"]),
        )
        assert escalation.status == Escalation.Status.CONTACTED
        assert not Deadline.objects.for_case(escalation).exists()
        assert told("escalation_opened") == {staff["security"].email}


class TestLiveTransfer:
    def test_not_answered_becomes_a_request_at_once(self, open_escalation, staff, monday_morning):
        escalation = open_escalation(
            transfer=services.Transfer(customer_agreed=True, answered=False, to_user=staff["supervisor"])
        )
        attempt = TransferAttempt.objects.get()
        assert (attempt.to_name, attempt.customer_agreed, attempt.answered) == (str(staff["supervisor"]), True, False)
        assert escalation.status == Escalation.Status.OPEN
        assert clock_of(escalation).due_at == moscow(2026, 11, 23, 12, 0)
        assert told("escalation_opened") == {staff["supervisor"].email}

    def test_answered_is_handled_live(self, open_escalation, staff, monday_morning):
        escalation = open_escalation(
            transfer=services.Transfer(customer_agreed=True, answered=True, to_name="Senior operator on duty")
        )
        assert escalation.status == Escalation.Status.CONTACTED
        assert escalation.contacted_at == moscow(2026, 11, 23, 10, 0) and escalation.due_at is None
        assert not Deadline.objects.for_case(escalation).exists()
        assert not OutboundEmail.objects.exists()

    def test_the_customer_not_agreeing_leaves_a_request(self, open_escalation, monday_morning):
        escalation = open_escalation(transfer=services.Transfer(customer_agreed=False, answered=False, to_name="Sup"))
        assert clock_of(escalation).kind == "escalation_supervisor"
        assert TransferAttempt.objects.get().customer_agreed is False

    def test_a_later_transfer_that_is_answered_meets_the_clock(self, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        monday_morning.move_to(moscow(2026, 11, 23, 10, 20))
        services.transfer_record(
            escalation=escalation, by=staff["operator"], to_user=staff["head"], customer_agreed=True, answered=True
        )
        escalation.refresh_from_db()
        assert escalation.status == Escalation.Status.CONTACTED and escalation.contacted_by == staff["head"]
        clock = Deadline.objects.for_case(escalation).get()
        assert (clock.state, clock.met_late) == ("met", False)

    @pytest.mark.parametrize(
        "transfer, field",
        [
            (services.Transfer(customer_agreed=False, answered=True, to_name="Sup"), "transfer"),
            (services.Transfer(customer_agreed=True, answered=False), "transfer_to"),
        ],
    )
    def test_a_contradictory_transfer_is_refused(self, open_escalation, monday_morning, transfer, field):
        with pytest.raises(ValidationError) as error:
            open_escalation(transfer=transfer)
        assert field in error.value.message_dict
        assert not Escalation.objects.exists() and not Deadline.objects.exists()

    def test_a_branch_without_live_transfer_refuses_one(self, msk, open_escalation, monday_morning):
        msk.allows_live_transfer = False
        msk.save()
        with pytest.raises(ValidationError) as error:
            open_escalation(transfer=services.Transfer(customer_agreed=True, answered=False, to_name="Sup"))
        assert "not allowed" in error.value.message_dict["transfer"][0]
        assert not Escalation.objects.exists()
        assert open_escalation().status == Escalation.Status.OPEN, "a recorded request is always possible"

    def test_a_kind_without_live_transfer_refuses_one(self, open_escalation, monday_morning):
        EscalationKindFactory(code="fraud_suspected", allows_live_transfer=False)
        with pytest.raises(ValidationError):
            open_escalation(
                "fraud_suspected", transfer=services.Transfer(customer_agreed=True, answered=True, to_name="x")
            )
        assert not Escalation.objects.exists()

    def test_a_transfer_on_a_closed_escalation_is_refused_and_changes_nothing(
        self, open_escalation, staff, monday_morning
    ):
        escalation = open_escalation()
        services.escalation_close(
            escalation=escalation, by=staff["supervisor"], outcome="declined", note="Called to say never mind"
        )
        audit_before = AuditEntry.objects.count()
        with pytest.raises(ValidationError) as error:
            services.transfer_record(
                escalation=escalation, by=staff["operator"], to_name="Sup", customer_agreed=True, answered=True
            )
        assert "closed" in error.value.messages[0]
        assert not TransferAttempt.objects.exists()
        assert AuditEntry.objects.count() == audit_before
        escalation.refresh_from_db()
        assert (escalation.status, escalation.outcome, escalation.contacted_at) == ("closed", "declined", None)


class TestBadInput:
    def test_an_unknown_kind(self, open_escalation, monday_morning):
        with pytest.raises(ValidationError) as error:
            open_escalation("wants_a_pony")
        assert "Unknown kind" in error.value.message_dict["kind"][0]
        assert not Escalation.objects.exists() and not Deadline.objects.exists()
        assert not OutboundEmail.objects.exists() and not AuditEntry.objects.exists()

    def test_a_retired_kind(self, open_escalation, monday_morning):
        EscalationKindFactory(code="retired", is_active=False)
        with pytest.raises(ValidationError) as error:
            open_escalation("retired")
        assert "kind" in error.value.message_dict

    def test_nothing_the_customer_wants(self, open_escalation, monday_morning):
        with pytest.raises(ValidationError) as error:
            open_escalation(customer_wants="   ")
        assert "customer_wants" in error.value.message_dict
        assert not Escalation.objects.exists()

    def test_a_customer_of_another_branch(self, open_escalation, bud, monday_morning):
        with pytest.raises(ValidationError):
            open_escalation(customer=CustomerFactory(branch=bud, phone="+36301234567"))
        assert not Escalation.objects.exists()

    def test_an_operator_of_another_branch_cannot_open_one_here(self, open_escalation, stranger, monday_morning):
        with pytest.raises(PermissionDenied):
            open_escalation(opened_by=stranger)
        assert not Escalation.objects.exists()

    def test_the_operator_named_is_an_active_operator_of_the_branch(
        self, open_escalation, staff, msk, bud, monday_morning
    ):
        """The form offers only the branch's operators; the service holds every caller (the API too) to that."""
        not_operators = {
            "a supervisor": staff["supervisor"],
            "an operator of another branch": UserFactory(username="op-bud", role="Operator", branches=[bud]),
            "a deactivated operator": UserFactory(username="op-gone", role="Operator", branches=[msk], is_active=False),
        }
        for who, user in not_operators.items():
            with pytest.raises(ValidationError) as error:
                open_escalation("complaint_about_operator", about_operator=user)
            assert "is not an operator of branch MSK" in error.value.message_dict["about_operator"][0], who
        assert not Escalation.objects.exists()
        colleague = UserFactory(username="op2", role="Operator", branches=[msk])
        assert open_escalation("complaint_about_operator", about_operator=colleague).about_operator == colleague


class TestHandling:
    def test_acknowledge_call_back_and_resolve(self, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        supervisor = staff["supervisor"]
        monday_morning.move_to(moscow(2026, 11, 23, 10, 5))
        services.escalation_acknowledge(escalation=escalation, by=supervisor)
        escalation.refresh_from_db()
        assert (escalation.status, escalation.acknowledged_by) == ("acknowledged", supervisor)
        assert clock_of(escalation).owner == supervisor, "the clock is theirs now"

        monday_morning.move_to(moscow(2026, 11, 23, 11, 30))
        services.escalation_record_contact(escalation=escalation, by=supervisor, note="Apologised; fee refunded.")
        escalation.refresh_from_db()
        assert (escalation.status, escalation.contacted_by, escalation.due_at) == ("contacted", supervisor, None)
        clock = Deadline.objects.for_case(escalation).get()
        assert (clock.state, clock.met_late) == ("met", False)

        services.escalation_close(escalation=escalation, by=supervisor, outcome="resolved", note="Fee refunded")
        escalation.refresh_from_db()
        assert (escalation.status, escalation.outcome, escalation.closed_by) == ("closed", "resolved", supervisor)
        actions = list(AuditEntry.objects.for_target(escalation).order_by("pk").values_list("action", flat=True))
        assert actions == [
            "escalation.opened",
            "escalation.acknowledged",
            "escalation.contacted",
            "escalation.closed",
        ]

    def test_a_late_call_back_is_met_late(self, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        monday_morning.move_to(moscow(2026, 11, 23, 12, 30))
        services.escalation_record_contact(escalation=escalation, by=staff["supervisor"], note="Reached")
        assert Deadline.objects.for_case(escalation).get().met_late is True
        escalation.refresh_from_db()
        assert escalation.acknowledged_by == staff["supervisor"], "calling back acknowledges too"

    def test_acknowledging_twice_says_who_did(self, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        services.escalation_acknowledge(escalation=escalation, by=staff["supervisor"])
        with pytest.raises(ValidationError) as error:
            services.escalation_acknowledge(escalation=escalation, by=staff["head"])
        assert str(staff["supervisor"]) in error.value.messages[0]

    def test_resolved_needs_the_call_first_and_an_outcome_needs_a_note(self, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        with pytest.raises(ValidationError) as error:
            services.escalation_close(escalation=escalation, by=staff["supervisor"], outcome="resolved", note="x")
        assert "outcome" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.escalation_close(escalation=escalation, by=staff["supervisor"], outcome="declined", note="")
        assert "note" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.escalation_close(escalation=escalation, by=staff["supervisor"], outcome="forgotten", note="x")
        assert "outcome" in error.value.message_dict
        escalation.refresh_from_db()
        assert escalation.status == "open" and clock_of(escalation).state == "on_track"

    def test_operators_and_security_of_another_branch_cannot_handle(self, open_escalation, staff, bud, monday_morning):
        escalation = open_escalation()
        with pytest.raises(PermissionDenied):
            services.escalation_acknowledge(escalation=escalation, by=staff["operator"])
        other_supervisor = UserFactory(username="bud_sup", role="Supervisor", branches=[bud])
        with pytest.raises(PermissionDenied):
            services.escalation_acknowledge(escalation=escalation, by=other_supervisor)
        escalation.refresh_from_db()
        assert escalation.status == "open"

    def test_the_customer_declining_cancels_the_clock(self, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        services.escalation_close(
            escalation=escalation, by=staff["supervisor"], outcome="declined", note="Does not want a call any more"
        )
        clock = Deadline.objects.for_case(escalation).get()
        assert (clock.state, clock.cancel_reason) == ("cancelled", "customer declined")

    def test_passed_to_security_tells_security(self, open_escalation, staff, monday_morning):
        escalation = open_escalation()
        services.escalation_close(
            escalation=escalation, by=staff["head"], outcome="security", note="Threatened the operator by name"
        )
        escalation.refresh_from_db()
        assert escalation.reached_security_at == moscow(2026, 11, 23, 10, 0)
        assert told("escalation_security") == {staff["security"].email}


class TestComplaints:
    def test_turned_into_a_complaint_registers_one_and_links_it(self, open_escalation, staff, monday_morning):
        escalation = open_escalation("complaint_about_operator", customer_wants="The operator hung up on me twice.")
        assert escalation.about_operator == staff["operator"], "the operator on the line, unless another is named"
        services.escalation_acknowledge(escalation=escalation, by=staff["supervisor"])
        services.escalation_close(
            escalation=escalation, by=staff["supervisor"], outcome="complaint", note="Wants a written answer."
        )
        escalation.refresh_from_db()
        complaint = Complaint.objects.get()
        assert escalation.resulting_complaint == complaint
        assert complaint.escalations_turned_into.get() == escalation
        assert (complaint.channel, complaint.category, complaint.customer) == (
            Channel.DEDICATED_LINE,
            "staff",
            escalation.customer,
        )
        assert (
            "The operator hung up on me twice." in complaint.summary and "Wants a written answer." in complaint.summary
        )
        assert complaint.registered_by == staff["supervisor"]
        assert Deadline.objects.for_case(complaint).open().exists(), "the complaint runs on its own clocks"
        clock = Deadline.objects.for_case(escalation).get()
        assert (clock.state, clock.cancel_reason) == ("not_kept", "turned into a complaint"), (
            "nobody called the customer back: the promise was broken, not withdrawn"
        )

    def test_a_complaint_that_cannot_be_registered_leaves_the_escalation_open(
        self, open_escalation, staff, msk, monday_morning
    ):
        escalation = open_escalation()
        msk.is_active = False  # the branch was closed meanwhile: the register refuses
        msk.save()
        with pytest.raises(ValidationError):
            services.escalation_close(escalation=escalation, by=staff["supervisor"], outcome="complaint")
        escalation.refresh_from_db()
        assert escalation.status == "open" and escalation.resulting_complaint is None
        assert not Complaint.objects.exists()
        assert clock_of(escalation).state == "on_track"

    def test_opened_from_a_complaint_and_from_a_callback(self, open_escalation, staff, msk, customer, monday_morning):
        from callbacks.services import callback_register
        from tests.factories import ComplaintFactory

        complaint = ComplaintFactory(branch=msk, customer=customer, number=900)
        from_complaint = open_escalation(complaint=complaint)
        assert (from_complaint.source, from_complaint.complaint) == ("complaint", complaint)
        assert list(complaint.escalations.all()) == [from_complaint]

        from callbacks.models import CallbackReason

        callback = callback_register(
            branch=msk,
            customer=customer,
            reason=CallbackReason.objects.get(code="asked_callback"),
            customer_said="Card blocked",
            created_by=staff["operator"],
        )
        from_callback = open_escalation(callback=callback)
        assert (from_callback.source, list(callback.escalations.all())) == ("callback", [from_callback])

        other = CustomerFactory(branch=msk, phone="+79169990000")
        with pytest.raises(ValidationError):
            open_escalation(customer=other, callback=callback)
        with pytest.raises(ValidationError):
            open_escalation(callback=callback, complaint=complaint)
        assert Escalation.objects.count() == 2


class TestANewCalendar:
    def test_the_call_back_by_follows_the_recomputed_clock(self, open_escalation, operator, monday_morning, msk):
        """Opened at 10:00 with two business hours to go; the day is then cut short to close at 11:00."""
        escalation = open_escalation()
        assert escalation.due_at == moscow(2026, 11, 23, 12, 0)
        short_day = CalendarOverride(
            date=date(2026, 11, 23), branch=msk, is_working=True, opens=time(9), closes=time(11), note="Short day"
        )
        override_save(override=short_day, by=operator)
        escalation.refresh_from_db()
        assert clock_of(escalation).due_at == moscow(2026, 11, 24, 10, 0)
        assert escalation.due_at == moscow(2026, 11, 24, 10, 0), "the list shows the clock's new moment"


def test_a_customer_of_another_branch_is_refused_and_nothing_is_opened(open_escalation, bud, monday_morning):
    with pytest.raises(ValidationError) as refused:
        open_escalation(customer=CustomerFactory(branch=bud))

    assert refused.value.message_dict == {"customer_phone": ["This customer belongs to another branch."]}
    assert not Escalation.objects.exists()
