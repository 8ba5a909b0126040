from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ClockPolicyFactory, CustomerFactory, TeamFactory, UserFactory

MOSCOW = ZoneInfo("Europe/Moscow")


def msk(*args) -> datetime:
    """A Moscow wall-clock moment: msk(2026, 11, 20, 15, 0)."""
    return datetime(*args, tzinfo=MOSCOW)


@pytest.fixture
def policy(db):
    return ClockPolicyFactory()


@pytest.fixture
def case(msk):
    """Any model can carry clocks; a customer will do."""
    return CustomerFactory(branch=msk, full_name="Ivan Ivanov")


@pytest.fixture
def people(msk, operator, deputy):
    """The owner (operator), the branch's supervisor, its manager and the deputy director."""
    supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk])
    team_lead = UserFactory(username="lead", role="Operator", branches=[msk])
    TeamFactory(branch=msk, supervisor=team_lead)
    manager = UserFactory(username="boss", role="Branch manager", branches=[msk])
    msk.manager, msk.deputy_director = manager, deputy
    msk.save()
    return {"owner": operator, "supervisor": supervisor, "team_lead": team_lead, "manager": manager, "deputy": deputy}
