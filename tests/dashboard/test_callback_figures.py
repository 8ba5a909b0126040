"""Callbacks by reason: attempts per solved callback, solved on the first contact, unreachable."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from callbacks.models import Callback, ContactAttempt
from tests.downloads import csv_rows
from tests.factories import CallbackFactory, CallbackReasonFactory, ContactAttemptFactory, UserFactory

STATUS = Callback.Status
OUTCOME = ContactAttempt.Outcome


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def make(msk):
    def make(reason, status, *outcomes, branch=msk):
        callback = CallbackFactory(branch=branch, reason=reason, status=status)
        for outcome in outcomes:
            ContactAttemptFactory(callback=callback, outcome=outcome)
        return callback

    return make


def figures(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("dashboard:callback_figures"), params)
    assert response.status_code == 200
    return response


def test_figures_by_reason(client, supervisor, make):
    advice = CallbackReasonFactory(code="advice", label="Advice", position=1)
    card = CallbackReasonFactory(code="card", label="Card", position=2)
    make(advice, STATUS.SOLVED, OUTCOME.NO_ANSWER, OUTCOME.SOLVED)  # first reached contact solved it
    make(advice, STATUS.SOLVED, OUTCOME.REACHED, OUTCOME.SOLVED)  # solved on the second contact
    make(advice, STATUS.UNREACHABLE, OUTCOME.NO_ANSWER, OUTCOME.BUSY, OUTCOME.VOICEMAIL)
    make(advice, STATUS.OPEN)
    make(advice, STATUS.CANCELLED)
    make(card, STATUS.SOLVED, OUTCOME.SOLVED)
    first, second = figures(client, supervisor).context["rows"]
    assert (first.label, first.registered, first.open, first.solved, first.unreachable, first.cancelled) == (
        "Advice",
        5,
        1,
        2,
        1,
        1,
    )
    assert first.attempts_per_solved == 2.0
    assert (first.solved_first_contact, first.first_contact_share) == (1, 50.0)
    assert first.unreachable_share == 33.3
    assert (second.label, second.attempts_per_solved, second.first_contact_share, second.unreachable_share) == (
        "Card",
        1.0,
        100.0,
        0.0,
    )


def test_a_reason_with_nothing_solved_has_no_attempts_per_solved(client, supervisor, make):
    make(CallbackReasonFactory(label="Loan"), STATUS.OPEN, OUTCOME.NO_ANSWER)
    response = figures(client, supervisor)
    [row] = response.context["rows"]
    assert (row.attempts_per_solved, row.first_contact_share, row.unreachable_share) == (None, None, None)
    lines = csv_rows(figures(client, supervisor, format="csv"))
    assert lines[1] == ["Loan", "1", "1", "0", "0", "", "0", "", "0", ""], "no share of nothing, not 0 %"
    assert "(0.0 %)" not in response.content.decode()


def test_a_day_is_the_branch_s_own_day(client, supervisor, make):
    """Registered at 22:30 UTC on the 22nd: already the 23rd in Moscow."""
    callback = make(CallbackReasonFactory(label="Loan"), STATUS.OPEN)
    Callback.objects.filter(pk=callback.pk).update(created_at=datetime(2026, 11, 22, 22, 30, tzinfo=UTC))
    assert figures(client, supervisor, date_from="2026-11-22", date_to="2026-11-22").context["rows"] == []
    assert len(figures(client, supervisor, date_from="2026-11-23", date_to="2026-11-23").context["rows"]) == 1


def test_the_default_period_holds_today_in_moscow_while_it_is_still_yesterday_in_utc(client, supervisor, make):
    with time_machine.travel(datetime(2026, 11, 22, 22, 30, tzinfo=UTC), tick=False):
        make(CallbackReasonFactory(label="Loan"), STATUS.OPEN)
        response = figures(client, supervisor)
    assert response.context["form"].cleaned_data["date_to"] == date(2026, 11, 23)
    assert len(response.context["rows"]) == 1


def test_another_branch_is_not_counted(client, supervisor, make, bud):
    make(CallbackReasonFactory(label="Loan"), STATUS.SOLVED, OUTCOME.SOLVED, branch=bud)
    assert figures(client, supervisor).context["rows"] == []


def test_the_csv(client, supervisor, make):
    make(CallbackReasonFactory(label="Loan"), STATUS.SOLVED, OUTCOME.NO_ANSWER, OUTCOME.SOLVED)
    response = figures(client, supervisor, format="csv")
    lines = csv_rows(response)
    assert lines[0] == [
        "Reason",
        "Registered",
        "open",
        "solved",
        "unreachable",
        "unreachable, %",
        "cancelled",
        "attempts per solved callback",
        "solved on the first contact",
        "solved on the first contact, %",
    ]
    assert lines[1] == ["Loan", "1", "0", "1", "0", "0.0", "0", "2.0", "1", "100.0"]
    assert lines[2][0] == "Total"


def test_a_label_that_looks_like_a_formula_is_not_one_in_the_csv(client, supervisor, make):
    make(CallbackReasonFactory(label='=HYPERLINK("http://evil.example")'), STATUS.OPEN)
    response = figures(client, supervisor, format="csv")
    lines = csv_rows(response)
    assert lines[1][0] == '\'=HYPERLINK("http://evil.example")'
