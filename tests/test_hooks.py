"""``contactcenter/hooks.py``: receivers run in the order the code states, once each, and the installed table."""

import itertools

import pytest
from django.core.exceptions import ImproperlyConfigured

from contactcenter import hooks
from contactcenter.navigation import sections

NUMBERS = itertools.count()


@pytest.fixture
def hook():
    """A hook of the test's own, forgotten afterwards so that the catalogue stays the project's."""
    made = hooks.Hook(f"tests.hook_{next(NUMBERS)}", arguments="calls: list")
    yield made
    del hooks._HOOKS[made.name]


def test_receivers_run_by_their_order_not_by_when_they_were_connected(hook):
    def first(calls):
        calls.append("first")

    def second(calls):
        calls.append("second")

    def third(calls):
        calls.append("third")

    hook.connect(third, order=30)
    hook.connect(first, order=10)
    hook.connect(second, order=20)
    calls = []
    hook.send(calls)
    assert calls == ["first", "second", "third"]
    assert hook.receivers == (first, second, third)


def test_a_receiver_connected_twice_runs_once(hook):
    def note(calls):
        calls.append("note")

    hook.connect(note, order=10)
    hook.connect(note, order=10)
    calls = []
    hook.send(calls)
    assert calls == ["note"]


def test_a_receiver_cannot_take_a_second_place(hook):
    def note(calls):
        calls.append("note")

    hook.connect(note, order=10)
    with pytest.raises(ImproperlyConfigured, match="at order 10, and again at order 20"):
        hook.connect(note, order=20)
    assert hook.receivers == (note,)


def test_two_receivers_cannot_share_an_order(hook):
    def one(calls):
        pass

    def other(calls):
        pass

    hook.connect(one, order=10)
    with pytest.raises(ImproperlyConfigured, match="both ask for order 10"):
        hook.connect(other, order=10)
    assert hook.receivers == (one,)


def test_a_hook_name_is_declared_once(hook):
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        hooks.Hook(hook.name, arguments="")


def test_send_gives_the_answers_in_order(hook):
    hook.connect(lambda calls: "b", order=2)
    hook.connect(lambda calls: "a", order=1)
    assert hook.send([]) == ["a", "b"]


def test_a_failing_receiver_stops_the_ones_after_it_and_reaches_the_caller(hook):
    def broken(calls):
        raise RuntimeError("no")

    def late(calls):
        calls.append("late")

    hook.connect(broken, order=1)
    hook.connect(late, order=2)
    calls = []
    with pytest.raises(RuntimeError):
        hook.send(calls)
    assert calls == []


def test_connected_lasts_for_its_block(hook):
    def note(calls):
        calls.append("note")

    with hook.connected(note, order=5):
        assert hook.receivers == (note,)
    assert hook.receivers == ()


def test_the_installed_hooks_run_in_the_order_the_apps_state():
    """The table of docs/architecture.md: a change of order is a change of this test."""
    installed = {name: receivers for name, receivers in hooks.catalogue().items() if not name.startswith("tests.")}
    navigation = installed.pop("navigation.sections")
    assert installed == {
        "deadlines.scan.clocks_flagged": [
            (10, "contactcenter.alerts.services.create_alerts"),
            (20, "escalations.services.raise_overdue_escalations"),
            (30, "api.webhooks.events.clocks_flagged"),
        ],
        "deadlines.services.due_moved": [
            (10, "escalations.services.follow_clock_due"),
            (20, "complaints.services.customer_told.tell_answer_moved"),
            (25, "callbacks.services.follow_clock_due"),
            (30, "callbacks.services.tell_agreed_time_moved"),
        ],
        "calendars.services.calendar_changed": [(10, "contactcenter.deadlines.services.recompute_for_calendar_change")],
        "directory.services.calendar_basis_changed": [
            (10, "contactcenter.calendars.services.recompute_after_basis_change")
        ],
        "directory.services.case_concluded": [(10, "feedback.services.offer_questionnaire")],
        "alerts.outbound.email_sent": [
            (10, "complaints.services.forwarding.record_forwarding_sent"),
            (20, "contactcenter.alerts.customers.record_customer_told"),
            (30, "api.webhooks.events.complaint_forwarded"),
        ],
        "case_events.case_opened": [(10, "api.webhooks.events.case_opened")],
        "case_events.case_closed": [(10, "api.webhooks.events.case_closed")],
        "directory.history.sections": [
            (10, "callbacks.selectors.callbacks_section"),
            (20, "complaints.history.complaints_section"),
            (30, "escalations.history.escalations_section"),
        ],
        "deadlines.selectors.attention_at_once": [
            (10, "callbacks.selectors.urgent_untaken_clocks"),
            (20, "escalations.selectors.unacknowledged_clocks"),
        ],
        "deadlines.names.clock_names": [
            (10, "callbacks.models.clock_names"),
            (20, "complaints.models.clock_names"),
            (30, "escalations.models.clock_names"),
        ],
        "directory.demo.case_steps": [
            (10, "callbacks.demo.add_demo_callbacks"),
            (20, "complaints.demo.add_demo_complaints"),
            (30, "escalations.demo.add_demo_escalations"),
        ],
    }
    assert [order for order, _section in navigation] == [10, 20, 30, 40, 50, 60, 70, 75, 80]
    assert [section.url_name for section in sections.receivers] == [
        "alerts:attention",
        "callbacks:mine",
        "callbacks:list",
        "complaints:list",
        "escalations:list",
        "directory:customer-list",
        "directory:branch-list",
        "phrases:library",
        "dashboard:reports",
    ]
