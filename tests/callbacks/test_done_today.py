"""The "done today" page: the callbacks the user closed since midnight in their branch's zone."""

import pytest
import time_machine
from django.urls import reverse

from callbacks import services
from callbacks.models import ContactAttempt
from tests.factories import UserFactory
from tests.moments import moscow

URL = reverse("callbacks:done-today")


@pytest.fixture
def solve(register):
    def solve(by, at):
        with time_machine.travel(at, tick=False):
            callback = register(assigned_to=by)
            services.attempt_log(
                callback=callback, by=by, outcome=ContactAttempt.Outcome.SOLVED, resolution="Card unblocked."
            )
        return callback

    return solve


def shown(client):
    return client.get(URL).context["page"].object_list


def test_login_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_todays_closings_newest_first_with_outcome_and_local_time(client, operator, register, solve):
    first = solve(operator, moscow(2026, 11, 24, 9, 0))
    cancelled = register(assigned_to=operator)
    with time_machine.travel(moscow(2026, 11, 24, 10, 15), tick=False):
        services.callback_cancel(callback=cancelled, by=operator, reason="The customer came to the branch.")
    with time_machine.travel(moscow(2026, 11, 24, 10, 0), tick=False):
        unreachable = register(assigned_to=operator)
        services.attempt_log(callback=unreachable, by=operator, outcome=ContactAttempt.Outcome.WRONG_NUMBER)
    client.force_login(operator)
    with time_machine.travel(moscow(2026, 11, 24, 12, 0), tick=False):
        response = client.get(URL)
    assert list(response.context["page"].object_list) == [cancelled, unreachable, first]
    html = response.content.decode()
    assert 'data-testid="done-count">3<' in html
    assert "10:15" in html and "09:00" in html  # Moscow time, not UTC (07:15, 06:00)
    assert "cancelled" in html and "unreachable" in html and "solved" in html
    assert 'href="tel:' in html


def test_yesterday_in_moscow_is_not_shown_just_after_midnight(client, operator, solve):
    yesterday = solve(operator, moscow(2026, 11, 23, 23, 30))
    today = solve(operator, moscow(2026, 11, 24, 0, 10))
    client.force_login(operator)
    # 00:30 in Moscow is still 21:30 of the 23rd in UTC: a UTC day would show yesterday's 23:30.
    with time_machine.travel(moscow(2026, 11, 24, 0, 30), tick=False):
        assert list(shown(client)) == [today]
    with time_machine.travel(moscow(2026, 11, 23, 23, 45), tick=False):
        assert list(shown(client)) == [yesterday]


def test_other_users_closings_are_not_shown(client, operator, msk, register, solve):
    colleague = UserFactory(username="colleague", role="Operator", branches=[msk])
    supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk])
    solve(colleague, moscow(2026, 11, 24, 9, 0))
    # The operator's callback cancelled by the supervisor: closed by the supervisor, not by the operator.
    theirs = register(assigned_to=operator)
    with time_machine.travel(moscow(2026, 11, 24, 9, 30), tick=False):
        services.callback_cancel(callback=theirs, by=supervisor, reason="Duplicate.")
    mine = solve(operator, moscow(2026, 11, 24, 10, 0))
    with time_machine.travel(moscow(2026, 11, 24, 12, 0), tick=False):
        client.force_login(operator)
        assert list(shown(client)) == [mine]
        client.force_login(supervisor)
        assert list(shown(client)) == [theirs]


def test_an_open_callback_with_attempts_is_not_done(client, operator, register):
    with time_machine.travel(moscow(2026, 11, 24, 10, 0), tick=False):
        callback = register(assigned_to=operator)
        services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)
        client.force_login(operator)
        assert list(shown(client)) == []


def test_a_user_without_the_callbacks_permission_is_refused(client, msk):
    client.force_login(UserFactory(username="nobody", branches=[msk]))
    assert client.get(URL).status_code == 403


def test_my_callbacks_links_to_the_page(client, operator):
    client.force_login(operator)
    assert f'href="{URL}"' in client.get(reverse("callbacks:mine")).content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_the_page_costs_the_same_queries_whatever_the_rows(
    client, operator, solve, count, django_assert_max_num_queries
):
    for minute in range(count):
        solve(operator, moscow(2026, 11, 24, 9, minute))
    client.force_login(operator)
    with time_machine.travel(moscow(2026, 11, 24, 12, 0), tick=False), django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == count
