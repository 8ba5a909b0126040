"""The customers' ratings in the figures: the report (by kind, branch, operator, week; chart, table, CSV) and the
operator's figures."""

from datetime import timedelta

import pytest
from django.urls import reverse

from feedback.models import Kind, Questionnaire
from tests.downloads import csv_rows
from tests.factories import CallbackFactory, ComplaintFactory, UserFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(msk, bud, operator, supervisor):
    """Moscow: three callbacks rated 5, 4 and 1 (one not solved), one complaint sent but not answered; Budapest:
    one callback rated 2."""
    colleague = UserFactory(username="colleague", role="Operator", branches=[bud], first_name="Ilona", last_name="Kiss")

    def questionnaire(branch, kind, by, rating=None, solved=None, days_ago=1):
        case = (CallbackFactory if kind == Kind.CALLBACK else ComplaintFactory)(branch=branch)
        sent = NOW - timedelta(days=days_ago)
        return Questionnaire.objects.create(
            kind=kind,
            **{kind: case},
            case_number=str(case.pk),
            branch=branch,
            customer=case.customer,
            operator=by,
            language="ru",
            token_hash=f"{case.pk}-{kind}".ljust(64, "0"),
            sent_at=sent,
            expires_at=sent + timedelta(days=14),
            answered_at=sent + timedelta(hours=2) if rating else None,
            rating=rating,
            solved=solved,
        )

    questionnaire(msk, Kind.CALLBACK, operator, 5, True)
    questionnaire(msk, Kind.CALLBACK, operator, 4, True)
    questionnaire(msk, Kind.CALLBACK, operator, 1, False)
    questionnaire(msk, Kind.COMPLAINT, supervisor)
    questionnaire(bud, Kind.CALLBACK, colleague, 2, True)
    questionnaire(msk, Kind.CALLBACK, operator, 3, True, days_ago=60)  # before the period
    return colleague


def report(client, user, **params):
    client.force_login(user)
    return client.get(
        reverse("dashboard:customer_ratings"), {"date_from": "2026-11-01", "date_to": "2026-11-30", **params}
    )


def test_by_kind_the_shares_and_the_average(client, deputy, rated):
    deputy.language = "en"
    deputy.save()
    response = report(client, deputy)
    rows = {row.label: row for row in response.context["rows"]}
    callback, complaint = rows["Callback"], rows["Complaint"]
    assert (callback.sent, callback.answered, callback.solved, callback.low) == (4, 4, 3, 2)
    assert (callback.average, callback.solved_share, callback.low_share) == (3.0, 75.0, 50.0)
    assert (complaint.sent, complaint.answered, complaint.average, complaint.answered_share) == (1, 0, None, 0.0)
    assert response.context["chart"]["datasets"][0]["data"] == [3.0, None]


def test_a_supervisor_sees_their_branch_by_operator_and_the_csv_says_the_same(client, supervisor, operator, rated):
    supervisor.language = "en"
    supervisor.save()
    name = f"{operator.first_name} {operator.last_name}".strip() or operator.username
    rows = {row.label: row for row in report(client, supervisor, group_by="operator").context["rows"]}
    assert set(rows) == {name, "Olga Orlova"}  # Budapest's colleague is not theirs
    assert (rows[name].answered, rows[name].average) == (3, 3.33)
    table = csv_rows(report(client, supervisor, group_by="operator", format="csv"))
    assert table[0] == [
        "Operator", "Questionnaires sent", "answered", "answered, %", "problem solved", "problem solved, %",
        "average rating", "rated 1–2", "rated 1–2, %",
    ]  # fmt: skip
    assert [name, "3", "3", "100.0", "2", "66.7", "3.33", "1", "33.3"] in table


@pytest.mark.parametrize("group_by", ["branch", "week"])
def test_by_branch_and_by_week(client, deputy, rated, group_by):
    response = report(client, deputy, group_by=group_by)
    assert response.status_code == 200
    assert sum(row.sent for row in response.context["rows"]) == 5


def test_the_operator_figures_carry_their_rating(client, supervisor, operator, rated):
    supervisor.language = "en"
    supervisor.save()
    client.force_login(supervisor)
    response = client.get(reverse("escalations:figures"), {"date_from": "2026-11-01", "date_to": "2026-11-30"})
    rows = {row.username: row for row in response.context["figures"].rows}
    assert (rows[operator.username].rating_count, rows[operator.username].rating_average) == (3, 3.33)
    assert "3.3 <span" in response.content.decode() and "(3 answers)" in response.content.decode()
