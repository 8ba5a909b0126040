"""Page tests run at a fixed moment: Monday 23 November 2026, 10:30 in Moscow."""

import pytest
import time_machine

from tests.moments import moscow as at

NOW = at(2026, 11, 23, 10, 30)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def registration_data(msk):
    """What the registration form posts for a complaint-book entry in Moscow; keywords change a field."""

    def data(**overrides):
        return {
            "branch": msk.pk,
            "received_at": "2026-11-23T10:00",
            "channel": "complaint_book",
            "category": "service",
            "customer_phone": "8 916 123-45-67",
            "customer_name": "Ivan Ivanov",
            "summary": "Waited an hour at the desk.",
            **overrides,
        }

    return data


@pytest.fixture
def complaint(register):
    return register(at(2026, 11, 23, 10, 0), now=NOW)


@pytest.fixture
def several(register, bud, bud_manager, staff):
    made = {
        "first": register(
            at(2026, 11, 2, 10, 0), now=NOW, pages=[], channel="phone", phone="+79160000001", name="Anna"
        ),
        "second": register(
            at(2026, 11, 16, 10, 0), now=NOW, pages=[], channel="email", phone="+79160000002", name="Boris"
        ),
        "third": register(
            at(2026, 11, 23, 9, 0), now=NOW, pages=[], channel="phone", phone="+79160000003", name="Vera"
        ),
        "budapest": register(
            at(2026, 11, 20, 10, 0), now=NOW, branch=bud, pages=[], channel="phone", phone="+36301234567", name="Zsófia"
        ),
    }
    return made
