"""A case opened for a customer while a supervisor merges that customer's two records: the case is never lost.

Both orders are played out on PostgreSQL, each with one transaction held open until the other waits for its lock.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from callbacks import services as callback_services
from callbacks.models import Callback, CallbackReason
from contactcenter.directory import merging
from contactcenter.directory.models import Customer
from tests.directory.test_customer_race import waiting_on_a_lock
from tests.factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JOIN_TIMEOUT = 30


def hold_until_the_other_waits() -> None:
    for _ in range(200):  # at most 10 s
        if waiting_on_a_lock():
            return
        time.sleep(0.05)
    raise AssertionError("the other transaction never waited for this one")


def run_both(first, second):
    """``first`` runs in a transaction it keeps open until ``second`` (started once ``first`` has done its work)
    waits for one of its locks."""
    started, errors = threading.Event(), []

    def run_first():
        try:
            with transaction.atomic():
                first()
                started.set()
                hold_until_the_other_waits()
        except Exception as error:
            errors.append(error)
            started.set()
        finally:
            connection.close()

    def run_second():
        try:
            assert started.wait(JOIN_TIMEOUT)
            second()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first, daemon=True), threading.Thread(target=run_second, daemon=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is still running: a deadlock?"
    assert not errors, errors


@pytest.fixture
def people(msk):
    return {
        "supervisor": UserFactory(username="sup", role="Supervisor", branches=[msk]),
        "operator": UserFactory(username="op2", role="Operator", branches=[msk]),
        "kept": CustomerFactory(branch=msk, full_name="Maria Petrova", phone="+79161234567"),
        "twin": CustomerFactory(branch=msk, full_name="Maria Petrova", phone="+79161234568"),
    }


def register_callback_for_the_twin(msk, operator):
    return callback_services.callback_register(
        branch=msk,
        customer_phone="8 916 123-45-68",  # the removed record's number
        reason=CallbackReason.objects.get(code="asked_callback"),
        customer_said="Called during the merge",
        created_by=operator,
    )


def test_a_case_opened_while_the_merge_runs_goes_to_the_record_kept(msk, people):
    """The merge holds both rows locked; the new case waits for it, then finds the removed record merged."""
    run_both(
        lambda: merging.customer_merge(keep=people["kept"], remove=people["twin"], by=people["supervisor"]),
        lambda: register_callback_for_the_twin(msk, people["operator"]),
    )
    callback = Callback.objects.get(customer_said="Called during the merge")
    assert callback.customer_id == people["kept"].pk
    assert Customer.objects.get(pk=people["twin"].pk).merged_into_id == people["kept"].pk


def test_a_merge_started_while_a_case_is_being_opened_moves_it(msk, people):
    """The new case holds its customer's row; the merge waits for it to commit, then moves it."""
    run_both(
        lambda: register_callback_for_the_twin(msk, people["operator"]),
        lambda: merging.customer_merge(keep=people["kept"], remove=people["twin"], by=people["supervisor"]),
    )
    callback = Callback.objects.get(customer_said="Called during the merge")
    assert callback.customer_id == people["kept"].pk
    assert not Callback.objects.filter(customer_id=people["twin"].pk).exists()
