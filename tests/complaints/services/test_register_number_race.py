"""Two people register a complaint in the same branch at the same moment: two numbers, no gap, no duplicate."""

from functools import partial
from unittest import mock

import pytest
import time_machine

from complaints import services
from complaints.models import Complaint
from complaints.services import registration
from tests.complaints.clock_policies import make_clock_policies
from tests.concurrency import at_once
from tests.factories import CustomerFactory, UserFactory
from tests.moments import moscow as at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def register_at_once(count, branch, by, customers):
    def register(index):
        with time_machine.travel(at(2026, 11, 23, 10, 5), tick=False):
            return services.complaint_register(
                branch=branch,
                channel="phone",
                category="service",
                received_at=at(2026, 11, 23, 10, 0),
                summary=f"Complaint {index}",
                registered_by=by,
                customer=customers[index],
            )

    complaints, errors = at_once(*[partial(register, index) for index in range(count)])
    return [complaint.register_number for complaint in complaints if complaint is not None], errors


def test_simultaneous_registrations_get_consecutive_numbers(msk):
    make_clock_policies()
    operator = UserFactory(username="op1", role="Operator", branches=[msk])
    customers = [CustomerFactory(branch=msk) for _ in range(8)]
    numbers, errors = register_at_once(8, msk, operator, customers)
    assert not errors
    assert sorted(numbers) == [f"MSK-2026-{n:05d}" for n in range(1, 9)]
    assert Complaint.objects.count() == 8


def test_a_registration_that_fails_after_taking_its_number_leaves_no_gap(msk):
    make_clock_policies()
    operator = UserFactory(username="op1", role="Operator", branches=[msk])
    customers = [CustomerFactory(branch=msk) for _ in range(3)]
    open_clocks = registration._open_clocks

    def failing_for_the_second(complaint):
        if complaint.summary == "Complaint 1":
            raise RuntimeError("the database went away")
        open_clocks(complaint)

    with mock.patch.object(registration, "_open_clocks", failing_for_the_second):
        numbers, errors = register_at_once(3, msk, operator, customers)
    assert [str(error) for error in errors] == ["the database went away"]
    assert sorted(numbers) == ["MSK-2026-00001", "MSK-2026-00002"]
    assert sorted(Complaint.objects.values_list("summary", flat=True)) == ["Complaint 0", "Complaint 2"]
