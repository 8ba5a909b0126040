"""The home page of an operator and of security: their own work, in the order they must do it, scoped to their
branches, each clock named, at a cost that does not grow with the rows."""

from datetime import time, timedelta

import pytest
import time_machine
from django.urls import reverse

from callbacks import services as callbacks
from callbacks.models import Callback, CallbackReason
from complaints import services as complaints
from complaints.models import FORWARDING_CLOCK
from contactcenter.deadlines.scan import scan_deadlines
from contactcenter.deadlines.services import meet_clock
from escalations import services as escalations
from tests.factories import CallbackReasonFactory, CustomerFactory, UserFactory
from tests.moments import moscow

MONDAY = moscow(2026, 11, 23, 10, 0)
TUESDAY_EVENING = moscow(2026, 11, 24, 22, 30)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(msk, bud, operator, onlooker, deputy):
    """Moscow's people (the operator ``op``, a second operator, a supervisor, a head of department, security:
    the onlooker) and Budapest's operator, supervisor and security."""
    head = UserFactory(username="head", role="Head of department", branches=[msk])
    msk.manager, msk.deputy_director = UserFactory(username="boss", role="Branch manager", branches=[msk]), deputy
    msk.save()
    return {
        "operator": operator,
        "colleague": UserFactory(username="op2", role="Operator", branches=[msk]),
        "supervisor": UserFactory(username="sup", role="Supervisor", branches=[msk]),
        "head": head,
        "security": onlooker,
        "bud_operator": UserFactory(username="bud-op", role="Operator", branches=[bud]),
        "bud_supervisor": UserFactory(username="bud-sup", role="Supervisor", branches=[bud]),
        "bud_security": UserFactory(username="bud-sec", role="Security", branches=[bud]),
    }


def reason(code: str) -> CallbackReason:
    return CallbackReason.objects.get(code=code)


def callback(branch, by, *, name, code="asked_callback", assigned_to=None, **extra) -> Callback:
    customer = CustomerFactory(branch=branch, full_name=name)
    return callbacks.callback_register(
        branch=branch,
        customer=customer,
        reason=reason(code),
        customer_said=f"{name} waits for a call.",
        created_by=by,
        assigned_to=assigned_to,
        **extra,
    )


def complaint(branch, by, *, name, phone):
    return complaints.complaint_register(
        branch=branch,
        channel="phone",
        category="service",
        received_at=MONDAY - timedelta(minutes=5),
        summary=f"{name} waited an hour.",
        registered_by=by,
        customer_phone=phone,
        customer_name=name,
    )


def escalation(branch, by, *, name, kind="demands_supervisor"):
    return escalations.escalation_open(
        branch=branch,
        kind=kind,
        customer=CustomerFactory(branch=branch, full_name=name),
        customer_wants=f"{name} wants the manager.",
        opened_by=by,
    )


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


@pytest.fixture
def operator_work(msk, bud, staff):
    """The operator's callbacks on Tuesday at 22:30 in Moscow (the scan has run): one overdue since 22:00, one
    due soon (due Wednesday 10:00, three quarters of its 48 hours gone), one on track due at 23:30 and one due
    Thursday; and what must not appear: a colleague's, one in the queue, a cancelled one, Budapest's."""
    op = staff["operator"]
    # The centre calls until midnight here, so a promise for 22:00 stays one (the default calling hours end at 21:00
    # and would move it to the next morning: tests/callbacks cover that rule).
    msk.calls_weekdays_until = time(23, 59)
    msk.save()
    # An hour of calendar time, as the evening scenario needs ("within the hour" counts the branch's working hours,
    # which end at 18:00: tests/callbacks/test_team_clock.py covers that rule).
    CallbackReasonFactory(code="wall_clock_hour", due_after=1, unit="hours", basis="calendar")
    with time_machine.travel(MONDAY, tick=False):
        due_soon = callback(msk, op, name="Lidia Long", code="feedback", assigned_to=op)
        cancelled = callback(msk, op, name="Carl Cancelled", assigned_to=op)
        callbacks.callback_cancel(callback=cancelled, by=staff["supervisor"], reason="The customer called us.")
    with time_machine.travel(TUESDAY_EVENING - timedelta(minutes=90), tick=False):
        overdue = callback(msk, op, name="Olga Overdue", code="wall_clock_hour", assigned_to=op)
    with time_machine.travel(TUESDAY_EVENING, tick=False):
        soon_but_on_track = callback(msk, op, name="Sergei Short", code="wall_clock_hour", assigned_to=op)
        later = callback(msk, op, name="Nina Next", code="feedback", assigned_to=op)
        callback(msk, op, name="Colleague's Customer", assigned_to=staff["colleague"])
        callback(msk, op, name="Queued Customer")
        callback(bud, staff["bud_operator"], name="Budapest Customer", assigned_to=staff["bud_operator"])
    traveller = time_machine.travel(TUESDAY_EVENING + timedelta(minutes=1), tick=False)
    traveller.start()
    scan_deadlines()
    yield {"order": [overdue, due_soon, soon_but_on_track, later]}
    traveller.stop()


def test_an_operator_sees_their_own_open_callbacks_most_urgent_then_by_the_agreed_time(client, staff, operator_work):
    response = home(client, staff["operator"])
    assert response.templates[0].name == "dashboard/my_work.html"
    rows = response.context["operator"]["callbacks"].rows
    assert [row.pk for row in rows] == [row.pk for row in operator_work["order"]]
    assert [row.clock_state for row in rows] == ["overdue", "due_soon", "on_track", "on_track"]
    page = response.content.decode()
    for absent in ("Colleague&#x27;s Customer", "Queued Customer", "Carl Cancelled", "Budapest Customer"):
        assert absent not in page
    # The agreed moment itself, in Moscow's time, and not only the time left.
    assert "Promised contact with the customer, due 24.11.2026 22:00" in page
    assert "Promised contact with the customer, due 25.11.2026 10:00" in page
    assert 'href="tel:' in page
    # "Take next" counts the Moscow queue (one callback), not Budapest's.
    assert response.context["operator"]["queue"] == 1
    assert reverse("callbacks:take-next") in page


def test_the_quick_actions_are_on_the_operator_s_page(client, staff):
    page = home(client, staff["operator"]).content.decode()
    for url_name in ("callbacks:take-next", "callbacks:create", "complaints:register", "escalations:create"):
        assert f'"{reverse(url_name)}"' in page, url_name


def test_take_next_from_the_home_page_gives_the_operator_the_queued_callback(client, msk, staff):
    with time_machine.travel(MONDAY, tick=False):
        queued = callback(msk, staff["supervisor"], name="Queued Customer")
        client.force_login(staff["operator"])
        response = client.post(reverse("callbacks:take-next"))
        assert response.url == queued.get_absolute_url()
        queued.refresh_from_db()
        assert queued.assigned_to == staff["operator"]
        rows = home(client, staff["operator"]).context["operator"]["callbacks"].rows
    assert [row.pk for row in rows] == [queued.pk]


@pytest.fixture
def registered(msk, staff):
    """Complaints registered on Monday at 10:00: two by the operator (one already forwarded), one by a colleague."""
    with time_machine.travel(MONDAY, tick=False):
        waiting = complaint(msk, staff["operator"], name="Wanda Waiting", phone="+79160000001")
        forwarded = complaint(msk, staff["operator"], name="Fedor Forwarded", phone="+79160000002")
        meet_clock(case=forwarded, kind=FORWARDING_CLOCK, at=MONDAY)
        complaint(msk, staff["colleague"], name="Other Registrar", phone="+79160000003")
    return {"waiting": waiting, "forwarded": forwarded}


def test_an_operator_sees_the_complaints_they_registered_that_wait_for_forwarding(client, staff, registered):
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        response = home(client, staff["operator"])
    rows = response.context["operator"]["complaints"].rows
    assert [row.pk for row in rows] == [registered["waiting"].pk]
    page = response.content.decode()
    assert "Forwarding to the manager, due 24.11.2026 11:00" in page
    assert reverse("complaints:forward", args=[registered["waiting"].pk]) in page
    assert "Fedor Forwarded" not in page and "Other Registrar" not in page


@pytest.fixture
def opened(msk, staff):
    """Escalations opened on Monday at 10:00: two by the operator (one closed since), one by a colleague."""
    with time_machine.travel(MONDAY, tick=False):
        still_open = escalation(msk, staff["operator"], name="Olav Open")
        closed = escalation(msk, staff["operator"], name="Clara Closed")
        escalations.escalation_close(
            escalation=closed, by=staff["supervisor"], outcome="declined", note="The customer no longer wants it."
        )
        escalation(msk, staff["colleague"], name="Colleague Opened")
    return {"open": still_open, "closed": closed}


def test_an_operator_sees_the_escalations_they_opened_that_are_still_open(client, staff, opened):
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        response = home(client, staff["operator"])
    assert [row.pk for row in response.context["operator"]["escalations"].rows] == [opened["open"].pk]
    page = response.content.decode()
    assert "Call back by the supervisor, due 23.11.2026 12:00" in page
    assert "Clara Closed" not in page and "Colleague Opened" not in page


def test_an_operator_of_another_branch_sees_none_of_it(client, staff, operator_work, registered, opened):
    response = home(client, staff["bud_operator"])
    work = response.context["operator"]
    assert [row.customer.full_name for row in work["callbacks"].rows] == ["Budapest Customer"]
    assert work["complaints"].rows == [] and work["escalations"].rows == []
    assert work["queue"] == 0


def test_the_operator_s_own_cases_leave_with_their_branch(client, staff, operator_work, registered, opened, bud):
    """Branch scoping wins over ownership: an operator moved to Budapest no longer sees Moscow's cases."""
    staff["operator"].branches.set([bud])
    work = home(client, staff["operator"]).context["operator"]
    assert work["callbacks"].rows == [] and work["complaints"].rows == [] and work["escalations"].rows == []


def _operator_page_queries(client, django_assert_max_num_queries, user, limit):
    client.force_login(user)
    client.get(reverse("home"))  # warms the content type cache
    with django_assert_max_num_queries(limit) as captured:
        client.get(reverse("home"))
    return len(captured.captured_queries)


def test_the_operator_s_page_costs_the_same_for_many_rows(client, msk, staff, django_assert_max_num_queries):
    op = staff["operator"]

    def add(n):
        for _ in range(n):
            number = len(Callback.objects.all())
            callback(msk, op, name=f"Customer {number}", assigned_to=op)
            complaint(msk, op, name=f"Complainant {number}", phone=f"+7916100{number:04d}")
            escalation(msk, op, name=f"Caller {number}")

    with time_machine.travel(MONDAY, tick=False):
        add(2)
        few = _operator_page_queries(client, django_assert_max_num_queries, op, 20)
        add(28)  # past the page's 25 rows per list
        many = _operator_page_queries(client, django_assert_max_num_queries, op, 20)
        response = client.get(reverse("home"))
    assert many == few
    work = response.context["operator"]
    assert len(work["callbacks"].rows) == 25 and work["callbacks"].has_more
    assert reverse("callbacks:mine") in response.content.decode()


@pytest.fixture
def at_security(msk, bud, staff):
    """Monday in Moscow: two aggressive callers (security is told at once), the first acknowledged by the head
    of department; a third closed; a demand for a supervisor (not security's); an aggressive one in Budapest."""
    with time_machine.travel(MONDAY, tick=False):
        acknowledged = escalation(msk, staff["operator"], name="Anton Acknowledged", kind="aggressive")
        escalations.escalation_acknowledge(escalation=acknowledged, by=staff["head"])
        closed = escalation(msk, staff["operator"], name="Clara Closed", kind="aggressive")
        escalations.escalation_close(escalation=closed, by=staff["head"], outcome="declined", note="Hung up.")
        escalation(msk, staff["operator"], name="Sergei Supervisor")
        escalation(bud, staff["bud_operator"], name="Budapest Caller", kind="aggressive")
    with time_machine.travel(MONDAY + timedelta(minutes=5), tick=False):
        waiting = escalation(msk, staff["operator"], name="Walter Waiting", kind="aggressive")
    return {"order": [waiting, acknowledged]}


def test_security_sees_what_reached_it_waiting_for_acknowledgement_first(client, staff, at_security):
    with time_machine.travel(MONDAY + timedelta(minutes=10), tick=False):
        response = home(client, staff["security"])
    assert response.templates[0].name == "dashboard/my_work.html"
    assert "operator" not in response.context
    rows = response.context["security"]["escalations"].rows
    assert [row.pk for row in rows] == [row.pk for row in at_security["order"]]
    page = response.content.decode()
    waiting = at_security["order"][0]
    assert reverse("escalations:acknowledge", args=[waiting.pk]) in page, "one click, as in the supervisor's queue"
    assert reverse("escalations:acknowledge", args=[at_security["order"][1].pk]) not in page
    assert "Call back by the head of department, due 23.11.2026 11:05" in page
    for absent in ("Clara Closed", "Sergei Supervisor", "Budapest Caller"):
        assert absent not in page
    assert 'href="tel:' in page


def test_security_acknowledges_from_the_home_page(client, staff, at_security):
    waiting = at_security["order"][0]
    with time_machine.travel(MONDAY + timedelta(minutes=10), tick=False):
        client.force_login(staff["security"])
        client.post(reverse("escalations:acknowledge", args=[waiting.pk]))
        waiting.refresh_from_db()
        assert waiting.acknowledged_by == staff["security"]
        rows = home(client, staff["security"]).context["security"]["escalations"].rows
    assert [row.pk for row in rows] == [at_security["order"][1].pk, waiting.pk]


def test_security_of_another_branch_sees_only_its_own(client, staff, at_security):
    with time_machine.travel(MONDAY + timedelta(minutes=10), tick=False):
        rows = home(client, staff["bud_security"]).context["security"]["escalations"].rows
    assert [row.customer.full_name for row in rows] == ["Budapest Caller"]


def test_the_security_page_costs_the_same_for_many_rows(client, msk, staff, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            escalation(msk, staff["operator"], name=f"Caller {i}", kind="aggressive")

    with time_machine.travel(MONDAY, tick=False):
        add(2)
        few = _operator_page_queries(client, django_assert_max_num_queries, staff["security"], 15)
        add(28)
        many = _operator_page_queries(client, django_assert_max_num_queries, staff["security"], 15)
    assert many == few


def test_the_page_is_in_russian(client, staff, at_security, registered):
    staff["operator"].groups.add(staff["security"].groups.get())  # both sections on one page
    with time_machine.travel(MONDAY + timedelta(minutes=10), tick=False):
        client.force_login(staff["operator"])
        client.post(reverse("switch-language"), {"language": "ru", "next": "/"})
        page = client.get(reverse("home")).content.decode()
    for words in (
        "Взять следующий",
        "Эскалации, дошедшие до службы безопасности",
        "Жалобы, ждущие передачи",
        "Эскалации, которые я открыл",
        "Мои обратные звонки",
        "Передача руководителю, срок 24.11.2026 11:00",
    ):
        assert words in page, words


def test_other_roles_keep_their_pages(client, staff):
    assert home(client, staff["supervisor"]).templates[0].name == "dashboard/home.html"
    manager_only = UserFactory(username="viewer", branches=[])
    assert home(client, manager_only).templates[0].name == "directory/home.html"
