"""The supervisor's home page: counters, the queue and the load, scoped to the user's branches, at a fixed cost."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contactcenter.alerts.models import Alert, OutboundEmail
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.scan import scan_deadlines
from contactcenter.deadlines.services import open_clock
from tests.factories import BranchFactory, ClockPolicyFactory, ComplaintFactory, UserFactory


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def other_supervisor(bud):
    return UserFactory(username="bud-sup", role="Supervisor", branches=[bud])


@pytest.fixture
def overdue_complaint(msk, operator):
    """Opens one complaint of ``branch`` with an answer clock owned by the operator, already overdue."""
    ClockPolicyFactory(kind="complaint_answer", label="Answer")

    def make(branch=msk):
        complaint = ComplaintFactory(branch=branch)
        now = timezone.now()
        open_clock(
            case=complaint,
            kind="complaint_answer",
            branch=branch,
            owner=operator,
            opened_at=now - timedelta(days=2),
            due_at=now - timedelta(hours=1),
        )
        return complaint

    return make


def _panel(client):
    return client.get(reverse("dashboard:panel"))


def test_an_operator_has_their_own_work_page(client, operator):
    client.force_login(operator)
    response = client.get(reverse("home"))
    assert response.templates[0].name == "dashboard/my_work.html"


def test_a_supervisor_sees_the_dashboard(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("home"))
    assert response.templates[0].name == "dashboard/home.html"
    page = response.content.decode()
    assert 'hx-trigger="every 30s"' in page
    assert "vendor/htmx-2.0.11/htmx.min.js" in page


def test_the_refresh_interval_is_a_setting(client, supervisor, settings):
    settings.DASHBOARD_REFRESH_SECONDS = 2
    client.force_login(supervisor)
    assert 'hx-trigger="every 2s"' in client.get(reverse("home")).content.decode()


def test_an_operator_may_not_fetch_the_panel(client, operator):
    client.force_login(operator)
    assert _panel(client).status_code == 403


def test_counters_queue_and_load_count_the_overdue_clock(client, supervisor, overdue_complaint, operator):
    complaint = overdue_complaint()
    scan_deadlines()
    client.force_login(supervisor)
    response = _panel(client)
    counters = {row["key"]: row for row in response.context["counters"]}
    assert counters["complaints"]["overdue"] == 1
    assert counters["complaints"]["unassigned"] == 1
    assert counters["callbacks"]["overdue"] == 0
    assert [clock.object_id for clock in response.context["queue"]] == [complaint.pk]
    assert response.context["load"][0]["owner"] == operator.pk
    assert response.context["load"][0]["overdue_count"] == 1
    assert 'data-testid="overdue-complaints">1<' in response.content.decode()


def test_the_panel_carries_the_header_counter_to_those_whose_header_has_it(client, supervisor, overdue_complaint):
    overdue_complaint()
    scan_deadlines()
    client.force_login(supervisor)
    assert '<span id="nav-attention-count" hx-swap-oob="true">' in _panel(client).content.decode()
    without = Permission.objects.get(codename="view_deadline")
    supervisor.groups.first().permissions.remove(without)
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)  # a fresh permission cache
    client.force_login(supervisor)
    page = _panel(client).content.decode()
    assert 'data-testid="overdue-complaints">1<' in page
    assert "nav-attention-count" not in page, "no out-of-band swap without its target in the header"


def test_another_branch_sees_nothing(client, other_supervisor, overdue_complaint):
    overdue_complaint()
    scan_deadlines()
    client.force_login(other_supervisor)
    response = _panel(client)
    assert all(row["overdue"] == row["unassigned"] == 0 for row in response.context["counters"])
    assert response.context["queue"] == []
    assert response.context["load"] == []


@pytest.mark.parametrize("url_name", ["home", "dashboard:panel"])
def test_the_cost_does_not_grow_with_the_rows(client, supervisor, overdue_complaint, url_name):
    client.force_login(supervisor)
    for _ in range(2):
        overdue_complaint()
    scan_deadlines()
    client.get(reverse(url_name))  # warms the content type cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    for _ in range(25):
        overdue_complaint()
    scan_deadlines()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(url_name))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_failed_alerts_and_e_mails_are_counted(client, supervisor, overdue_complaint, operator):
    complaint = overdue_complaint()
    other = overdue_complaint(branch=BranchFactory(code="SPB"))
    now = timezone.now()
    for clock in Deadline.objects.all():
        Alert.objects.create(
            deadline=clock, level="overdue", recipient=operator, created_at=now, next_attempt_at=now, failed_at=now
        )
    for case in (complaint, other):
        OutboundEmail.objects.create(
            purpose="complaint.forwarding",
            origin=case,
            to=["boss@example.com"],
            subject="Complaint",
            text_body="…",
            failed_at=now,
        )
    client.force_login(supervisor)
    counters = {row["key"]: row for row in _panel(client).context["counters"]}
    assert counters["complaints"]["failed"] == 2
    assert counters["callbacks"]["failed"] == 0
