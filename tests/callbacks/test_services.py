from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from callbacks import services
from callbacks.models import Callback, CallbackReason, ContactAttempt
from contactcenter.alerts.models import OutboundEmail
from contactcenter.alerts.outbound import send_outbound_emails
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from tests.factories import CallbackReasonFactory, CustomerFactory, UserFactory
from tests.moments import moscow


def clock_of(callback):
    return Deadline.objects.for_case(callback).open().get()


class TestReasonClocks:
    def test_one_hour_in_calendar_time_warned_by_the_policy_share(self, register, monday_morning):
        callback = register()
        clock = clock_of(callback)
        assert (clock.due_at, clock.warn_at) == (moscow(2026, 11, 23, 11, 0), moscow(2026, 11, 23, 10, 45))
        assert callback.next_contact_at == clock.due_at
        assert clock.owner is None, "in the branch queue"

    @pytest.mark.parametrize(
        "code, registered, due_soon, due",
        [
            # "1–2 days" in business days, from a Friday afternoon: due soon Monday, overdue Tuesday evening.
            ("cooperation", (2026, 11, 20, 15, 0), (2026, 11, 23, 18, 0), (2026, 11, 24, 18, 0)),
            # "2–3 days" from Friday 17:59 over the weekend.
            ("more_information", (2026, 11, 20, 17, 59), (2026, 11, 24, 18, 0), (2026, 11, 25, 18, 0)),
            # Calendar hours run through the night and the weekend.
            ("loan_question", (2026, 11, 20, 15, 0), None, (2026, 11, 22, 15, 0)),
            ("urgent", (2026, 11, 21, 15, 0), None, (2026, 11, 21, 15, 15)),
            # At night the term ends when the customer's calling hours open: 09:00 on a Saturday (issue 15).
            ("urgent", (2026, 11, 21, 3, 0), None, (2026, 11, 21, 9, 0)),
        ],
    )
    def test_the_default_terms(self, register, code, registered, due_soon, due):
        with time_machine.travel(moscow(*registered), tick=False):
            clock = clock_of(register(reason=CallbackReason.objects.get(code=code)))
        assert clock.due_at == moscow(*due)
        if due_soon:
            assert clock.warn_at == moscow(*due_soon)

    def test_business_hours_stop_at_closing_time(self, register):
        two_working_hours = CallbackReasonFactory(code="two_hours", due_after=2, basis="business")
        with time_machine.travel(moscow(2026, 11, 20, 17, 0), tick=False):
            clock = clock_of(register(reason=two_working_hours))
        assert clock.due_at == moscow(2026, 11, 23, 10, 0)

    def test_the_customers_own_time_wins(self, register, monday_morning):
        callback = register(window_start=moscow(2026, 11, 23, 14, 0), window_end=moscow(2026, 11, 23, 15, 0))
        clock = clock_of(callback)
        assert clock.due_at == moscow(2026, 11, 23, 15, 0)
        assert clock.warn_at == moscow(2026, 11, 23, 13, 50), "ten minutes before the window opens"


class TestBadInput:
    @pytest.mark.parametrize(
        "kwargs, field",
        [
            ({"window_start": moscow(2026, 11, 23, 9, 0)}, "window_start"),
            ({"window_start": moscow(2026, 11, 23, 20, 0)}, "window_start"),
            ({"window_end": moscow(2026, 11, 23, 15, 0)}, "window_start"),
            ({"window_start": moscow(2026, 11, 23, 15, 0), "window_end": moscow(2026, 11, 23, 14, 0)}, "window_end"),
        ],
    )
    def test_a_bad_customer_time_is_explained_and_nothing_is_stored(self, register, monday_morning, kwargs, field):
        with pytest.raises(ValidationError) as error:
            register(**kwargs)
        assert field in error.value.message_dict
        assert not Callback.objects.exists() and not Deadline.objects.exists()

    def test_outside_working_hours_needs_a_confirmation(self, register, monday_morning):
        callback = register(window_start=moscow(2026, 11, 23, 20, 0), confirm_outside_hours=True)
        assert clock_of(callback).due_at == moscow(2026, 11, 23, 20, 0)

    def test_an_operator_of_another_branch_or_a_customer_of_another_branch(self, register, bud, stranger):
        with pytest.raises(ValidationError) as error:
            register(assigned_to=stranger)
        assert "assigned_to" in error.value.message_dict
        with pytest.raises(ValidationError):
            register(customer=CustomerFactory(branch=bud, phone="+36301234567"))
        assert not Callback.objects.exists()


TOO_FAR = "Choose a moment at most 366 days ahead, until 24.11.2027."


class TestHowFarAhead:
    """Monday 23 November 2026, 10:00 in Moscow: a moment may lie until 24 November 2027, 10:00."""

    @pytest.mark.parametrize(
        "kwargs, field",
        [
            ({"window_start": moscow(2027, 11, 24, 10, 1)}, "window_start"),
            ({"window_start": moscow(2027, 11, 24, 9, 30), "window_end": moscow(2027, 11, 24, 10, 30)}, "window_end"),
            ({"window_start": moscow(9999, 1, 4, 10, 0)}, "window_start"),
        ],
        ids=["start-a-minute-too-far", "end-too-far", "year-9999"],
    )
    def test_a_customer_time_more_than_a_year_ahead_is_refused(self, register, monday_morning, kwargs, field):
        with pytest.raises(ValidationError) as error:
            register(**kwargs)
        assert error.value.message_dict == {field: [TOO_FAR]}
        assert not Callback.objects.exists() and not Deadline.objects.exists()

    def test_a_customer_time_within_a_year_is_kept(self, register, monday_morning):
        callback = register(window_start=moscow(2027, 11, 24, 9, 30), window_end=moscow(2027, 11, 24, 9, 59))
        assert clock_of(callback).due_at == moscow(2027, 11, 24, 9, 59)

    def test_the_limit_is_a_setting(self, register, monday_morning, settings):
        settings.CALLBACK_MAX_DAYS_AHEAD = 7
        with pytest.raises(ValidationError) as error:
            register(window_start=moscow(2026, 12, 1, 10, 0))
        assert error.value.message_dict == {"window_start": ["Choose a moment at most 7 days ahead, until 30.11.2026."]}

    def test_a_next_contact_more_than_a_year_ahead_is_refused(self, register, operator, monday_morning):
        callback = register(assigned_to=operator)
        with pytest.raises(ValidationError) as error:
            services.attempt_log(
                callback=callback, by=operator, outcome="call_later", next_contact_at=moscow(2027, 11, 24, 10, 1)
            )
        assert error.value.message_dict == {"next_contact_at": [TOO_FAR]}
        assert not ContactAttempt.objects.exists() and clock_of(callback).state == "on_track"
        services.attempt_log(
            callback=callback, by=operator, outcome="call_later", next_contact_at=moscow(2027, 11, 24, 9, 59)
        )
        assert clock_of(callback).due_at == moscow(2027, 11, 24, 9, 59)


class TestAttempts:
    def test_a_follow_up_moves_the_clock_and_keeps_the_history(self, register, operator, monday_morning):
        callback = register(assigned_to=operator)
        first = clock_of(callback)
        monday_morning.move_to(moscow(2026, 11, 23, 10, 30))
        services.attempt_log(
            callback=callback,
            by=operator,
            outcome=ContactAttempt.Outcome.REACHED,
            note="Needs a statement first",
            next_contact_at=moscow(2026, 11, 24, 12, 0),
        )
        first.refresh_from_db()
        assert (first.state, first.met_late) == ("met", False)
        callback.refresh_from_db()
        assert callback.next_contact_at == moscow(2026, 11, 24, 12, 0)
        assert clock_of(callback).warn_at == moscow(2026, 11, 24, 11, 50)

        monday_morning.move_to(moscow(2026, 11, 24, 12, 20))
        services.attempt_log(
            callback=callback, by=operator, outcome=ContactAttempt.Outcome.SOLVED, resolution="Card unblocked"
        )
        callback.refresh_from_db()
        assert (callback.status, callback.resolution, callback.next_contact_at) == ("solved", "Card unblocked", None)
        assert not Deadline.objects.for_case(callback).open().exists()
        assert list(Deadline.objects.for_case(callback).values_list("met_late", flat=True).order_by("opened_at")) == [
            False,
            True,
        ]
        assert AuditEntry.objects.for_target(callback).filter(action="callback.attempt_logged").count() == 2

    def test_no_answer_schedules_a_retry_at_another_time_of_day(self, register, operator, monday_morning):
        callback = register(assigned_to=operator)
        services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)
        callback.refresh_from_db()
        # Tried at 10:00 (morning): one hour's pause would be morning again, so the try moves to midday.
        assert callback.next_contact_at == moscow(2026, 11, 23, 13, 0)
        assert callback.status == "open"

    def test_a_pause_that_ends_after_hours_retries_next_morning(self, register, operator):
        reason = CallbackReasonFactory(code="slow", retry_pause=timedelta(hours=3), vary_time_of_day=False)
        with time_machine.travel(moscow(2026, 11, 20, 16, 0), tick=False):
            callback = register(reason=reason, assigned_to=operator)
            services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.BUSY)
        callback.refresh_from_db()
        assert callback.next_contact_at == moscow(2026, 11, 23, 9, 0)

    @pytest.mark.parametrize(
        "kwargs, field",
        [
            ({"outcome": "solved"}, "resolution"),
            ({"outcome": "reached"}, "next_contact_at"),
            ({"outcome": "call_later", "next_contact_at": moscow(2026, 11, 23, 9, 0)}, "next_contact_at"),
            ({"outcome": "teleported"}, "outcome"),
        ],
    )
    def test_bad_attempts_change_nothing(self, register, operator, monday_morning, kwargs, field):
        callback = register(assigned_to=operator)
        with pytest.raises(ValidationError) as error:
            services.attempt_log(callback=callback, by=operator, **kwargs)
        assert field in error.value.message_dict
        assert not ContactAttempt.objects.exists()
        assert clock_of(callback).state == "on_track"

    def test_an_attempt_on_a_closed_callback_is_refused(self, register, operator, monday_morning):
        callback = register(assigned_to=operator)
        services.callback_cancel(callback=callback, by=operator, reason="Customer called us back")
        with pytest.raises(ValidationError):
            services.attempt_log(callback=callback, by=operator, outcome="solved", resolution="x")
        assert not ContactAttempt.objects.exists()

    def test_an_operator_cannot_log_on_a_colleagues_callback(self, register, operator, msk, monday_morning):
        colleague = UserFactory(username="colleague", role="Operator", branches=[msk])
        callback = register(assigned_to=colleague)
        with pytest.raises(ValidationError):
            services.attempt_log(callback=callback, by=operator, outcome="no_answer")

    def test_logging_on_a_queued_callback_takes_it(self, register, operator, monday_morning):
        callback = register()
        services.attempt_log(callback=callback, by=operator, outcome="no_answer")
        callback.refresh_from_db()
        assert callback.assigned_to == operator
        assert clock_of(callback).owner == operator


class TestTakeNextAndReassign:
    def test_take_next_gives_the_most_urgent_of_the_operators_branches(
        self, register, operator, bud, stranger, monday_morning
    ):
        later = register()
        urgent = register(priority=Callback.Priority.URGENT)
        sooner = register(reason=CallbackReason.objects.get(code="urgent"))
        assert services.callback_take_next(operator=operator) == urgent
        assert services.callback_take_next(operator=operator) == sooner
        assert services.callback_take_next(operator=operator) == later
        assert services.callback_take_next(operator=operator) is None
        assert services.callback_take_next(operator=stranger) is None
        assert clock_of(urgent).owner == operator

    def test_reassign_within_the_branch_only_and_all_or_nothing(
        self, register, operator, msk, stranger, monday_morning
    ):
        colleague = UserFactory(username="colleague", role="Operator", branches=[msk])
        supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk])
        first, second = register(assigned_to=operator), register()
        with pytest.raises(ValidationError):
            services.callback_reassign(callbacks=[first, second], to=stranger, by=supervisor)
        first.refresh_from_db()
        assert first.assigned_to == operator
        assert services.callback_reassign(callbacks=[first, second], to=colleague, by=supervisor) == 2
        assert {clock_of(first).owner, clock_of(second).owner} == {colleague}
        assert AuditEntry.objects.filter(action="callback.reassigned").count() == 2

    def test_nothing_is_given_to_a_deactivated_operator(self, register, operator, msk, monday_morning):
        gone = UserFactory(username="gone", role="Operator", branches=[msk], is_active=False)
        with pytest.raises(ValidationError) as error:
            register(assigned_to=gone)
        assert error.value.message_dict == {"assigned_to": [f"{gone} has been deactivated."]}
        callback = register(assigned_to=operator)
        with pytest.raises(ValidationError, match="has been deactivated"):
            services.callback_reassign(callbacks=[callback], to=gone, by=operator)
        callback.refresh_from_db()
        assert callback.assigned_to == operator and clock_of(callback).owner == operator
        assert not AuditEntry.objects.filter(action="callback.reassigned").exists()

    def test_cancel_needs_a_reason(self, register, operator, monday_morning):
        callback = register()
        with pytest.raises(ValidationError):
            services.callback_cancel(callback=callback, by=operator, reason=" ")
        callback.refresh_from_db()
        assert callback.status == "open"


class TestUnreachable:
    def test_after_the_reasons_attempts_the_customer_is_unreachable_and_supervisors_are_told(
        self, register, operator, msk, monday_morning, smtp_server
    ):
        supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk])
        UserFactory(username="other_sup", role="Supervisor", branches=[msk])
        callback = register(assigned_to=operator)
        for hour in (10, 13, 16):
            monday_morning.move_to(moscow(2026, 11, 23, hour, 0))
            services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)
        callback.refresh_from_db()
        assert callback.status == Callback.Status.UNREACHABLE
        assert not Deadline.objects.for_case(callback).open().exists()
        email = OutboundEmail.objects.get(purpose="callback_unreachable")
        assert sorted(email.to) == sorted([supervisor.email, "other_sup@example.com"])
        assert "Ivan Ivanov" in email.text_body and callback.get_absolute_url() in email.text_body
        send_outbound_emails()
        assert supervisor.email in smtp_server.recipients

    def test_each_supervisor_is_told_in_their_own_language_with_the_notice_layout(
        self, register, operator, msk, monday_morning
    ):
        UserFactory(username="sup_ru", role="Supervisor", branches=[msk], language="ru")
        UserFactory(username="sup_en", role="Supervisor", branches=[msk], language="en")
        callback = register(assigned_to=operator)
        for hour in (10, 13, 16):
            monday_morning.move_to(moscow(2026, 11, 23, hour, 0))
            services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)

        emails = {email.to[0]: email for email in OutboundEmail.objects.filter(purpose="callback_unreachable")}

        assert sorted(emails) == ["sup_en@example.com", "sup_ru@example.com"]
        russian, english = emails["sup_ru@example.com"], emails["sup_en@example.com"]
        assert russian.subject.startswith("Клиент недоступен") and english.subject.startswith("Customer unreachable")
        assert russian.text_body.startswith("Здравствуйте!") and english.text_body.startswith("Hello,")
        assert "не удалось дозвониться после 3 попыток" in russian.text_body
        assert "could not be reached after 3 attempts" in english.text_body
        for email in (russian, english):
            assert callback.get_absolute_url() in email.text_body and callback.get_absolute_url() in email.html_body

    def test_a_wrong_number_ends_the_callback_at_once(self, register, operator, monday_morning):
        callback = register(assigned_to=operator)
        services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.WRONG_NUMBER)
        callback.refresh_from_db()
        assert callback.status == Callback.Status.UNREACHABLE


def test_a_customer_of_another_branch_is_refused_and_nothing_is_registered(register, bud, monday_morning):
    with pytest.raises(ValidationError) as refused:
        register(customer=CustomerFactory(branch=bud))

    assert refused.value.message_dict == {"customer": ["This customer belongs to another branch."]}
    assert not Callback.objects.exists()
