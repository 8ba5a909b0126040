"""Two operators press "Take next" at the same moment: they never get the same callback."""

from functools import partial

import pytest
import time_machine

from callbacks import services
from callbacks.models import Callback
from tests.concurrency import at_once
from tests.factories import UserFactory
from tests.moments import moscow

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _inside_calling_hours():
    """A Monday morning in Moscow, the clock running: "Take next" offers nobody outside the calling hours."""
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=True):
        yield


def take_at_once(operators):
    taken, errors = at_once(*[partial(services.callback_take_next, operator=operator) for operator in operators])
    assert not errors, errors
    return {operator.username: callback for operator, callback in zip(operators, taken, strict=True)}


def test_two_operators_two_callbacks_one_each(register, msk, operator):
    colleague = UserFactory(username="colleague", role="Operator", branches=[msk])
    register(), register()
    taken = take_at_once([operator, colleague])
    assert taken["op"] is not None and taken["colleague"] is not None
    assert taken["op"].pk != taken["colleague"].pk
    assert set(Callback.objects.values_list("assigned_to__username", flat=True)) == {"op", "colleague"}


def test_two_operators_one_callback_one_gets_it(register, msk, operator):
    colleague = UserFactory(username="colleague", role="Operator", branches=[msk])
    register()
    taken = take_at_once([operator, colleague])
    assert sorted(callback is None for callback in taken.values()) == [False, True]
    assert Callback.objects.get().assigned_to.username in {"op", "colleague"}
