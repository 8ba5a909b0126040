"""Escalations by kind and level, and the time to the first contact."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escalations.models import Escalation
from tests.downloads import csv_rows
from tests.factories import EscalationFactory, EscalationKindFactory, UserFactory


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def make(msk):
    def make(kind, level="supervisor", waited=None, branch=msk):
        opened_at = timezone.now() - timedelta(hours=5)
        return EscalationFactory(
            branch=branch,
            kind=kind,
            level=level,
            opened_at=opened_at,
            status=Escalation.Status.OPEN if waited is None else Escalation.Status.CONTACTED,
            contacted_at=None if waited is None else opened_at + waited,
        )

    return make


def figures(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("dashboard:escalation_figures"), params)
    assert response.status_code == 200
    return response


def test_figures_by_kind_and_level(client, supervisor, make):
    demand = EscalationKindFactory(code="test_demand", label="Demands a supervisor", position=1)
    aggressive = EscalationKindFactory(code="test_rude", label="Rude", position=2)
    make(demand, waited=timedelta(minutes=10))
    make(demand, level="head_of_department", waited=timedelta(hours=2, minutes=10))
    make(demand, level="head_of_department")
    make(aggressive, level="security", waited=timedelta(minutes=30))
    first, second = figures(client, supervisor).context["rows"]
    assert (first.label, first.opened, first.contacted, first.not_contacted) == ("Demands a supervisor", 3, 2, 1)
    assert first.levels == {"supervisor": 1, "head_of_department": 2, "security": 0}
    assert first.average_wait == timedelta(hours=1, minutes=10)
    assert first.longest_wait == timedelta(hours=2, minutes=10)
    assert (second.label, second.levels["security"], second.average_wait) == ("Rude", 1, timedelta(minutes=30))


def test_the_page_and_the_csv_say_the_waits(client, supervisor, make):
    demand = EscalationKindFactory(code="test_demand", label="Demands a supervisor")
    make(demand, waited=timedelta(minutes=10))
    make(demand, waited=timedelta(minutes=50))
    page = figures(client, supervisor).content.decode()
    assert "30 min" in page and "50 min" in page
    lines = csv_rows(figures(client, supervisor, format="csv"))
    assert lines[0][0] == "Kind"
    assert lines[0][-2:] == ["average time to first contact, minutes", "longest time to first contact, minutes"]
    assert lines[1] == ["Demands a supervisor", "2", "2", "100.0", "0", "0.0", "0", "0.0", "0", "30.0", "50.0"]
    assert lines[2] == ["Total", "2", "2", "100.0", "0", "0.0", "0", "0.0", "0", "30.0", "50.0"]


def test_the_total_weighs_each_kind_by_its_contacts(client, supervisor, make):
    one = EscalationKindFactory(code="one", label="One")
    other = EscalationKindFactory(code="other", label="Other")
    make(one, waited=timedelta(minutes=10))
    make(one, waited=timedelta(minutes=10))
    make(other, waited=timedelta(minutes=40))
    table = figures(client, supervisor).context["result"].table
    average = table.total.cells[-2]
    assert average.value == 20.0


def test_another_branch_is_not_counted(client, supervisor, make, bud):
    make(EscalationKindFactory(code="test_demand"), branch=bud)
    assert figures(client, supervisor).context["rows"] == []
