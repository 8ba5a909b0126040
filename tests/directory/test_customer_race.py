"""Two requests register the same new phone number at the same moment: one customer, found by both."""

import threading
import time
from functools import partial

import pytest
from django.db import connection, transaction

from contactcenter.audit.models import AuditEntry
from contactcenter.directory import services
from contactcenter.directory.models import Customer
from tests.concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JOIN_TIMEOUT = 30


def waiting_on_a_lock() -> int:
    """How many sessions of this test database wait for a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction otherwise reads the view as it first saw it
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_the_same_new_number_registered_twice_at_once_makes_one_customer(msk, operator):
    """The first request has inserted the customer but not committed yet; the second has looked and found nobody,
    so it inserts too and waits on the unique index. When the first commits, the second takes its customer."""
    inserted, results, errors = threading.Event(), {}, []

    def first():
        try:
            with transaction.atomic():
                results["first"] = services.customer_find_or_register(
                    branch=msk, phone="8 916 123-45-67", full_name="Maria Petrova", by=operator
                )
                inserted.set()
                for _ in range(200):  # until the second request waits for this transaction (at most 10 s)
                    if waiting_on_a_lock():
                        break
                    time.sleep(0.05)
                else:
                    raise AssertionError("the second request never waited for the first one's insert")
        except Exception as error:  # reported below; a thread's exception would otherwise vanish
            errors.append(error)
            inserted.set()
        finally:
            connection.close()

    def second():
        try:
            assert inserted.wait(JOIN_TIMEOUT)
            with transaction.atomic():
                results["second"] = services.customer_find_or_register(
                    branch=msk, phone="+7 916 123 45 67", full_name="M. Petrova", by=operator
                )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    assert not errors, errors
    customer = Customer.objects.get()
    assert results["first"] == (customer, True)
    assert results["second"] == (customer, False)
    assert customer.full_name == "Maria Petrova"
    assert AuditEntry.objects.filter(action="customer.created").count() == 1


def test_many_requests_at_once_for_one_new_number_make_one_customer(msk, operator):
    count = 6

    def register(index):
        with transaction.atomic():
            return services.customer_find_or_register(
                branch=msk, phone="8 916 123-45-67", full_name=f"Caller {index}", by=operator
            )

    results, errors = at_once(*[partial(register, index) for index in range(count)], timeout=JOIN_TIMEOUT)
    assert not errors, errors
    customer = Customer.objects.get()
    assert {found for found, _registered in results} == {customer}
    assert sorted(registered for _found, registered in results) == [False] * (count - 1) + [True]
