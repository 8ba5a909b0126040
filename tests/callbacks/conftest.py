import pytest
import time_machine

from callbacks import services
from callbacks.models import CallbackReason
from tests.factories import CustomerFactory
from tests.moments import moscow


@pytest.fixture
def monday_morning():
    """Monday 23 November 2026, 10:00 in Moscow, frozen."""
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def customer(msk):
    return CustomerFactory(branch=msk, full_name="Ivan Ivanov", phone="+79161234567")


@pytest.fixture
def reason(db):
    """The migration's "asked to be called back": one hour, calendar time, three attempts."""
    return CallbackReason.objects.get(code="asked_callback")


@pytest.fixture
def register(msk, customer, reason, operator):
    def register(**kwargs):
        values = {
            "branch": msk,
            "customer": customer,
            "reason": reason,
            "customer_said": "My card was blocked after a trip abroad.",
            "created_by": operator,
            **kwargs,
        }
        return services.callback_register(**values)

    return register
