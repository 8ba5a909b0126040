"""The audit trail in the admin: searched and filtered, never written."""

import pytest

from contactcenter.audit.models import AuditEntry
from contactcenter.audit.services import record_audit
from tests import admin_pages as pages
from tests.factories import CustomerFactory


@pytest.fixture
def add_entries(msk, operator):
    """What a customer's registration and a scan leave: an entry by a person and one by the system."""

    def add():
        customer = CustomerFactory(branch=msk, full_name="Ivan Ivanov")  # nothing in it matches "op"
        record_audit(actor=operator, action="customer.created", target=customer)
        record_audit(actor=None, action="clock.recomputed", target=customer, note="The business calendar changed.")

    return add


def test_every_list_filter_opens_and_matches(admin_client, add_entries):
    add_entries()
    assert pages.follow_every_filter(admin_client, AuditEntry) > 0


def test_the_list_costs_the_same_for_more_rows(admin_client, add_entries):
    pages.assert_cost_does_not_grow(admin_client, AuditEntry, add_entries)


def test_the_trail_is_searched_and_filtered(admin_client, add_entries, operator):
    add_entries()
    url = pages.changelist(AuditEntry)
    assert [e.action for e in pages.shown(admin_client.get(url, {"q": operator.username}))] == ["customer.created"]
    assert [e.actor for e in pages.shown(admin_client.get(url, {"q": "calendar changed"}))] == [None]
    assert [e.action for e in pages.shown(admin_client.get(url, {"action": "clock.recomputed"}))] == [
        "clock.recomputed"
    ]


def test_the_trail_is_never_written_in_the_admin(admin_client, add_entries):
    add_entries()
    entry = AuditEntry.objects.first()
    assert admin_client.get(pages.change_page(entry)).status_code == 200
    assert admin_client.get(pages.add_page(AuditEntry)).status_code == 403
    assert admin_client.post(pages.change_page(entry), {"note": "Tampered"}).status_code == 403
    assert admin_client.post(pages.change_page(entry).replace("change", "delete"), {"post": "yes"}).status_code == 403
    assert pages.actions_offered(admin_client, AuditEntry) == set()
    entry.refresh_from_db()
    assert entry.note != "Tampered" and AuditEntry.objects.count() == 2
