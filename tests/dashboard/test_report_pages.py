"""What every report page shares: who may open it, what a wrong filter does, and what it costs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from callbacks.models import Callback, ContactAttempt
from contactcenter.deadlines.services import meet_clock, open_clock
from dashboard.reports.catalogue import REPORTS
from tests.downloads import refused
from tests.factories import (
    CallbackFactory,
    CallbackReasonFactory,
    ClockPolicyFactory,
    ComplaintFactory,
    ContactAttemptFactory,
    EscalationFactory,
    EscalationKindFactory,
    UserFactory,
)

URLS = [reverse(report.url_name) for report in REPORTS.values()]


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


def test_the_index_links_every_report(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("dashboard:reports")).content.decode()
    for url in URLS:
        assert f'href="{url}"' in page


def test_the_navigation_shows_reports_to_supervisors_only(client, supervisor, operator):
    client.force_login(supervisor)
    assert f'href="{reverse("dashboard:reports")}"' in client.get(reverse("callbacks:list")).content.decode()
    client.force_login(operator)
    assert f'href="{reverse("dashboard:reports")}"' not in client.get(reverse("callbacks:mine")).content.decode()


@pytest.mark.parametrize("url", [reverse("dashboard:reports"), *URLS])
def test_an_operator_may_not_open_reports(client, operator, url):
    client.force_login(operator)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-11-20", "date_to": "2026-11-01"}, "The start of the period comes after its end."),
        ({"date_from": "0001-01-01"}, "Choose days from 01.01.2000 to 31.12.2099."),
        ({"date_from": "2019-01-01", "date_to": "2026-11-01"}, "Choose a period of at most five years."),
        ({"date_from": "yesterday"}, "Enter a valid date."),
        ({"branch": "999999"}, "Select a valid choice."),
    ],
)
def test_a_wrong_filter_says_what_is_wrong_and_shows_no_figures(client, supervisor, url, params, message):
    client.force_login(supervisor)
    response = client.get(url, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["result"] is None
    assert 'data-testid="csv-export"' not in response.content.decode()
    assert message in refused(client.get(url, {**params, "format": "csv"}))


def test_a_wrong_csv_request_is_answered_in_plain_text_that_no_browser_runs(client, supervisor):
    """Django's message repeats the value it refused: as HTML it would run a script planted in a link."""
    client.force_login(supervisor)
    response = client.get(reverse("dashboard:promises"), {"group_by": "<script>alert(1)</script>", "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Select a valid choice. <script>alert(1)</script> is not one of the available choices." in (
        response.content.decode()
    )


@pytest.mark.parametrize("url", URLS)
def test_another_branch_cannot_be_asked_for(client, supervisor, bud, url):
    client.force_login(supervisor)
    response = client.get(url, {"branch": bud.pk})
    assert response.context["result"] is None
    assert "Select a valid choice." in response.content.decode()


@pytest.mark.parametrize("url", URLS)
def test_the_page_opens_without_parameters_on_its_default_period(client, supervisor, url):
    client.force_login(supervisor)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["result"] is not None
    assert "js/report-chart.js" in response.content.decode()


def _add_cases(msk, bud, operator, count: int) -> None:
    """``count`` of each kind of case in each branch, with attempts and clocks, so that every group of
    every report has rows behind it."""
    policy = ClockPolicyFactory(kind="report_cost", label="Cost")
    reasons = [CallbackReasonFactory(code=f"cost_{n}", label=f"Cost {n}") for n in range(2)]
    kinds = [EscalationKindFactory(code=f"cost_{n}", label=f"Cost {n}") for n in range(2)]
    now = timezone.now()
    for n in range(count):
        for branch in (msk, bud):
            complaint = ComplaintFactory(branch=branch, received_at=now - timedelta(days=n * 3))
            open_clock(
                case=complaint,
                kind=policy.kind,
                branch=branch,
                owner=operator if n % 2 else None,
                opened_at=now - timedelta(days=n + 1),
                due_at=now - timedelta(days=n),
            )
            if n % 3:
                meet_clock(case=complaint, kind=policy.kind, at=now)
            callback = CallbackFactory(branch=branch, reason=reasons[n % 2], status=Callback.Status.SOLVED)
            ContactAttemptFactory(callback=callback, outcome=ContactAttempt.Outcome.NO_ANSWER)
            ContactAttemptFactory(callback=callback, outcome=ContactAttempt.Outcome.SOLVED)
            EscalationFactory(branch=branch, kind=kinds[n % 2], opened_at=now - timedelta(hours=n))


@pytest.mark.parametrize(
    ("url", "params"),
    [(url, {}) for url in URLS]
    + [(reverse("dashboard:promises"), {"group_by": group}) for group in ("branch", "owner", "week")]
    + [(url, {"format": "csv"}) for url in URLS],
)
def test_the_cost_does_not_grow_with_the_rows(
    client, deputy, msk, bud, operator, url, params, django_assert_max_num_queries
):
    """The deputy director sees both branches; the same number of queries for 2 and for 12 cases of each kind
    per branch."""
    client.force_login(deputy)
    _add_cases(msk, bud, operator, 2)
    client.get(url, params)  # the first request of a session pays for the session and the content types
    with django_assert_max_num_queries(100) as few:
        response = client.get(url, params)
    assert response.status_code == 200
    _add_cases(msk, bud, operator, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, params)
    assert response.status_code == 200
