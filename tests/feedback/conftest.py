import re
from datetime import timedelta

import pytest
import time_machine

from callbacks import services as callback_services
from callbacks.models import CallbackReason, ContactAttempt
from contactcenter.alerts.models import OutboundEmail
from tests.factories import CustomerFactory, UserFactory
from tests.moments import moscow

NOW = moscow(2026, 11, 23, 10, 0)  # a Monday


@pytest.fixture(autouse=True)
def frozen(db):
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def customer(msk):
    return CustomerFactory(
        branch=msk, full_name="Anna Petrova", phone="+79161234567", email="anna@customer.example", email_consent=True
    )


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk], first_name="Olga", last_name="Orlova")


@pytest.fixture
def solve_callback(msk, operator):
    def solve(customer, *, by=None):
        callback = callback_services.callback_register(
            branch=msk,
            reason=CallbackReason.objects.get(code="asked_callback"),
            customer_said="The card was blocked.",
            created_by=operator,
            customer=customer,
        )
        callback_services.attempt_log(
            callback=callback,
            by=by or operator,
            outcome=ContactAttempt.Outcome.SOLVED,
            resolution="Unblocked the card.",
        )
        return callback

    return solve


def questionnaire_emails():
    return OutboundEmail.objects.filter(purpose="customer.questionnaire").order_by("pk")


def link_of(email: OutboundEmail) -> str:
    """The path of the questionnaire's link in the e-mail (the secret is nowhere else)."""
    return re.search(r"https?://[^/\s]+(/rate/[^\s]+/)", email.text_body)[1]


LATER = timedelta(days=1)
