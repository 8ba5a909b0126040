"""Two operators press "Take next" at the same moment: they never get the same callback."""

import threading

import pytest
from django.db import connection

from callbacks import services
from callbacks.models import Callback
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def take_at_once(operators):
    barrier, taken, errors = threading.Barrier(len(operators)), {}, []

    def take(operator):
        try:
            barrier.wait()
            taken[operator.username] = services.callback_take_next(operator=operator)
        except Exception as error:  # reported below; a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(operator,)) for operator in operators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return taken


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
