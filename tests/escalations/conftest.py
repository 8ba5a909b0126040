import pytest
import time_machine

from escalations import services
from escalations.models import EscalationKind
from tests.factories import CustomerFactory, UserFactory
from tests.moments import moscow


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Every test here makes several staff members; the real hasher would spend seconds on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def monday_morning():
    """Monday 23 November 2026, 10:00 in Moscow, frozen."""
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def customer(msk):
    return CustomerFactory(branch=msk, full_name="Ivan Ivanov", phone="+79161234567")


@pytest.fixture
def staff(msk, operator, onlooker, deputy):
    """Who holds each level in Moscow: a supervisor, a head of department, security (the onlooker); and the
    branch's manager with the deputy director above them."""
    supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk])
    head = UserFactory(username="head", role="Head of department", branches=[msk])
    manager = UserFactory(username="boss", role="Branch manager", branches=[msk])
    msk.manager, msk.deputy_director = manager, deputy
    msk.save()
    return {
        "operator": operator,
        "supervisor": supervisor,
        "head": head,
        "security": onlooker,
        "manager": manager,
        "deputy": deputy,
    }


def kind(code: str) -> EscalationKind:
    return EscalationKind.objects.get(code=code)


@pytest.fixture
def open_escalation(msk, customer, operator, staff):
    def open_escalation(code="demands_supervisor", **kwargs):
        values = {
            "branch": msk,
            "customer": customer,
            "kind": code,
            "customer_wants": "Wants the fee for the late transfer refunded today.",
            "opened_by": operator,
            **kwargs,
        }
        return services.escalation_open(**values)

    return open_escalation
