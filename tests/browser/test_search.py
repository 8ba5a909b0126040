"""The header's search: a supervisor on a phone types a customer's phone, then a register number, and reaches
the complaint."""

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint
from tests.browser.conftest import seed_demo_in_english

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    seed_demo_in_english()


def test_the_header_search_reaches_a_case_on_a_phone(page, live_server, demo):
    complaint = Complaint.objects.get(customer__phone="+79031112233")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("supervisor")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()

    box = page.get_by_test_id("header-search")
    expect(box).to_be_visible()  # beside the brand, not folded into the menu
    box.fill("8 903 111-22-33")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Search")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_test_id("search-complaints").get_by_role("link", name=complaint.register_number).click()
    expect(page).to_have_url(live_server.url + complaint.get_absolute_url())

    box = page.get_by_test_id("header-search")
    box.fill(f"{complaint.year}-{complaint.number}")
    box.press("Enter")
    expect(page).to_have_url(live_server.url + complaint.get_absolute_url())
    expect(page.get_by_text(complaint.register_number).first).to_be_visible()
