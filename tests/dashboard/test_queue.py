"""The supervisor's "Needs attention" queue and the alert digests name each clock, so that one case with two
clocks reads as two things to do; an unacknowledged escalation and an urgent callback nobody took are in the
queue at once."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from callbacks import services as callbacks
from callbacks.models import Callback, CallbackReason
from complaints import services as complaints
from complaints.models import ANSWER_CLOCK, FORWARDING_CLOCK
from contactcenter.alerts.services import send_alerts
from contactcenter.deadlines.models import Deadline, PauseReason
from contactcenter.deadlines.scan import scan_deadlines
from contactcenter.deadlines.services import pause_clock_for_reason
from dashboard.selectors import attention_queue
from escalations import services as escalations
from tests.factories import CustomerFactory, UserFactory
from tests.moments import moscow

MONDAY = moscow(2026, 11, 23, 10, 0)
# Nine business days later the forwarding (due Tuesday 11:00) is long overdue and the answer (ten business
# days) due soon.
NEXT_FRIDAY = moscow(2026, 12, 4, 12, 0)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def bud_supervisor(bud):
    return UserFactory(username="bud-sup", role="Supervisor", branches=[bud])


@pytest.fixture
def complaint(msk, operator, deputy):
    msk.manager, msk.deputy_director = UserFactory(username="boss", role="Branch manager", branches=[msk]), deputy
    msk.save()
    with time_machine.travel(MONDAY, tick=False):
        registered = complaints.complaint_register(
            branch=msk,
            channel="phone",
            category="service",
            received_at=MONDAY - timedelta(minutes=5),
            summary="Waited an hour at the desk.",
            registered_by=operator,
            customer_phone="+79161234567",
            customer_name="Ivan Ivanov",
        )
    with time_machine.travel(NEXT_FRIDAY, tick=False):
        scan_deadlines()
    return registered


def _due(complaint, kind) -> str:
    clock = Deadline.objects.for_case(complaint).get(kind=kind)
    return timezone.localtime(clock.due_at, complaint.branch.tz).strftime("%d.%m.%Y %H:%M")


def test_each_queue_row_names_its_clock(client, supervisor, complaint):
    with time_machine.travel(NEXT_FRIDAY, tick=False):
        client.force_login(supervisor)
        response = client.get(reverse("dashboard:panel"))
    assert [clock.kind for clock in response.context["queue"]] == [FORWARDING_CLOCK, ANSWER_CLOCK]
    page = response.content.decode()
    forwarding = f"Forwarding to the manager, due {_due(complaint, FORWARDING_CLOCK)}"
    answer = f"Answer to the customer, due {_due(complaint, ANSWER_CLOCK)}"
    assert forwarding == "Forwarding to the manager, due 24.11.2026 11:00"
    assert page.count(forwarding) == 1 and page.count(answer) == 1


def test_the_needs_attention_page_names_the_clock(client, supervisor, complaint):
    with time_machine.travel(NEXT_FRIDAY, tick=False):
        client.force_login(supervisor)
        page = client.get(reverse("alerts:attention")).content.decode()
    assert 'data-testid="clock-name">Forwarding to the manager<' in page
    assert 'data-testid="clock-name">Answer to the customer<' in page


def test_a_paused_clock_says_since_when_and_why_on_the_queue_and_needs_attention(client, supervisor, complaint):
    """The answer, due soon, paused on Friday for the customer's documents: both lists say so, in the branch's
    time, and the forwarding beside it still reads as running."""
    documents = PauseReason.objects.get(label="Waiting for the customer's documents")
    with time_machine.travel(NEXT_FRIDAY, tick=False):
        pause_clock_for_reason(case=complaint, kind=ANSWER_CLOCK, reason=documents, note="passport", by=supervisor)
        client.force_login(supervisor)
        pages = [client.get(reverse(name)).content.decode() for name in ("dashboard:panel", "alerts:attention")]
    shown = "paused since 04.12.2026 12:00 MSK (Waiting for the customer&#x27;s documents: passport)"
    for page in pages:
        assert page.count(shown) == 1
        assert "Forwarding to the manager" in page


def test_each_digest_line_names_its_clock_in_the_recipient_s_language(complaint, smtp_server):
    """The branch's manager owns the answer and hears of the late forwarding: one digest, a line per clock."""
    manager = complaint.branch.manager
    manager.language = "ru"
    manager.save()
    with time_machine.travel(NEXT_FRIDAY, tick=False):
        send_alerts()
    (message,) = [m for m in smtp_server.messages if m["To"] == manager.email]
    text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    forwarding = f"Передача руководителю, срок {_due(complaint, FORWARDING_CLOCK)}"
    answer = f"Ответ клиенту, срок {_due(complaint, ANSWER_CLOCK)}"
    for body in (text, html):
        assert forwarding in body and answer in body


@pytest.fixture
def cases(msk, bud, operator, stranger, supervisor):
    """Monday 10:00 in Moscow: an escalation nobody acknowledged (call back by 12:00: on track), an urgent and a
    normal callback in the queue (48 hours: on track), and an urgent one taken already; Budapest's urgent one."""
    UserFactory(username="bud-sup", role="Supervisor", branches=[bud])
    reason = CallbackReason.objects.get(code="feedback")

    def queued(branch, by, priority, **extra):
        return callbacks.callback_register(
            branch=branch,
            customer=CustomerFactory(branch=branch),
            reason=reason,
            customer_said="Money missing after a card payment.",
            created_by=by,
            priority=priority,
            **extra,
        )

    with time_machine.travel(MONDAY, tick=False):
        escalation = escalations.escalation_open(
            branch=msk,
            kind="demands_supervisor",
            customer=CustomerFactory(branch=msk),
            customer_wants="Wants the supervisor.",
            opened_by=operator,
        )
        urgent = queued(msk, operator, Callback.Priority.URGENT)
        queued(msk, operator, Callback.Priority.NORMAL)
        queued(msk, operator, Callback.Priority.URGENT, assigned_to=operator)
        queued(bud, stranger, Callback.Priority.URGENT)
        scan_deadlines()
    return {"escalation": escalation, "urgent": urgent}


def _queue(user):
    return [(clock.object_id, clock.action) for clock in attention_queue(user)]


def test_an_unacknowledged_escalation_and_an_urgent_untaken_callback_are_in_the_queue_at_once(
    client, supervisor, cases
):
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        assert not Deadline.objects.needing_attention().exists(), "nothing is due soon yet"
        assert _queue(supervisor) == [(cases["escalation"].pk, "acknowledge"), (cases["urgent"].pk, "take")]
        client.force_login(supervisor)
        page = client.get(reverse("dashboard:panel")).content.decode()
    assert page.count('data-testid="at-once"') == 2
    assert "not acknowledged" in page and "urgent, not taken" in page
    assert "Call back by the supervisor, due 23.11.2026 12:00" in page
    assert reverse("escalations:acknowledge", args=[cases["escalation"].pk]) in page
    assert reverse("callbacks:take-next") in page


def test_the_header_count_and_needs_attention_list_what_the_queue_lists(client, supervisor, operator, cases):
    """Waiting at once counts too: the header's badge (in the page and the panel's out-of-band copy) and the
    "Needs attention" page show the two clocks the queue shows, and drop them once acknowledged and taken."""
    client.force_login(supervisor)
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        listed = client.get(reverse("alerts:attention")).content.decode()
        panel = client.get(reverse("dashboard:panel")).content.decode()
        assert 'data-testid="attention-count">2<' in listed
        assert listed.count('data-testid="attention-row"') == 2
        assert listed.count('data-testid="at-once"') == 2
        assert 'data-testid="attention-count">2<' in panel and panel.count('data-testid="dashboard-attention-row"') == 2
        escalations.escalation_acknowledge(escalation=cases["escalation"], by=supervisor)
        callbacks.callback_take_next(operator=operator)
        listed = client.get(reverse("alerts:attention")).content.decode()
    assert 'data-testid="attention-count">' not in listed or 'data-testid="attention-count">0<' in listed
    assert 'data-testid="attention-row"' not in listed


def test_they_leave_the_queue_once_acknowledged_and_taken(supervisor, operator, cases):
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        escalations.escalation_acknowledge(escalation=cases["escalation"], by=supervisor)
        assert callbacks.callback_take_next(operator=operator) == cases["urgent"]
        assert _queue(supervisor) == []


def test_they_stay_in_the_queue_when_they_become_due_soon(supervisor, cases):
    with time_machine.travel(MONDAY + timedelta(hours=1, minutes=45), tick=False):
        scan_deadlines()
        clocks = attention_queue(supervisor)
    assert (clocks[0].object_id, clocks[0].state) == (cases["escalation"].pk, "due_soon")
    assert len(clocks) == 2


def test_another_branch_s_supervisor_sees_only_its_own(cases, bud_supervisor):
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        queue = attention_queue(bud_supervisor)
    assert [(clock.branch.code, clock.action) for clock in queue] == [("BUD", "take")]


def test_the_queue_costs_the_same_with_more_cases(client, supervisor, cases, django_assert_max_num_queries):
    client.force_login(supervisor)
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        client.get(reverse("dashboard:panel"))
        with django_assert_max_num_queries(30) as few:
            client.get(reverse("dashboard:panel"))
        for _ in range(10):
            escalations.escalation_open(
                branch=supervisor.branches.get(),
                kind="demands_supervisor",
                customer=CustomerFactory(branch=supervisor.branches.get()),
                customer_wants="Wants the supervisor.",
                opened_by=UserFactory(username="op", role="Operator"),
            )
        with django_assert_max_num_queries(30) as many:
            response = client.get(reverse("dashboard:panel"))
    assert len(response.context["queue"]) == 12
    assert len(many.captured_queries) == len(few.captured_queries)
