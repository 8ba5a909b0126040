"""The customer's page as the hub, on a phone: a supervisor reads a customer's cases, starts a complaint with the
customer filled in, then merges a second record of the same person into this one."""

import pytest
from playwright.sync_api import expect

from callbacks.models import Callback
from complaints.models import Complaint
from contactcenter.directory.models import Customer, User
from tests.browser.conftest import seed_demo_in_english, wait_until
from tests.factories import CallbackFactory, CustomerFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    seed_demo_in_english()


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_hub_and_the_merge_on_a_phone(page, live_server, demo):
    complaint = Complaint.objects.filter(pages__isnull=False).select_related("customer").first()
    customer = complaint.customer
    twin = CustomerFactory(branch=customer.branch, full_name=customer.full_name, phone="+79039998877")
    callback = CallbackFactory(branch=customer.branch, customer=twin, customer_said="Asked on the second record")
    User.objects.filter(username="supervisor").update(language="en")  # the demo's supervisor reads Russian

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("supervisor")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server.url + customer.get_absolute_url())
    card = page.get_by_test_id("customer-complaint").filter(has_text=complaint.register_number)
    expect(card).to_be_visible()
    expect(card.get_by_test_id("customer-complaint-clocks")).to_contain_text("Forwarding to the manager")
    thumbnail = card.get_by_test_id("customer-complaint-thumbnail").first
    expect(thumbnail).to_be_visible()
    # A lazy image may still be on its way when it is first visible: wait for it, fail if it never decodes.
    wait_until(page, "img => img.complete && img.naturalWidth > 0", thumbnail.element_handle())
    assert fits_the_phone(page)

    page.get_by_test_id("customer-actions").get_by_role("link", name="Register a complaint").click()
    expect(page.locator("[name=customer_phone]")).to_have_value(customer.phone_display)
    page.go_back()

    page.get_by_role("link", name="Merge with another record").click()
    candidate = page.get_by_test_id("merge-candidate").filter(has_text="+7 903 999-88-77")
    expect(candidate).to_be_visible()  # the same name: suggested without a search
    assert fits_the_phone(page)
    candidate.get_by_role("link", name="Choose").click()
    expect(page.get_by_test_id("merge-preview").first).to_contain_text("callbacks: 1")
    assert fits_the_phone(page)
    page.get_by_label(f"#{customer.pk})").check()
    page.get_by_label("I have checked that both records are the same person").check()
    page.get_by_role("button", name="Merge the records").click()

    expect(page).to_have_url(live_server.url + customer.get_absolute_url())
    expect(page.get_by_text("Records merged: 1 row moved to this record.")).to_be_visible()
    expect(page.get_by_text("Asked on the second record")).to_be_visible()
    assert Callback.objects.get(pk=callback.pk).customer_id == customer.pk
    assert Customer.objects.get(pk=twin.pk).merged_into_id == customer.pk
