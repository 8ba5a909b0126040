"""Every list at 375 px: the filters folded behind a button, each row a card whose case, status and deadline are
on the screen without scrolling sideways, and phone numbers on one line."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seed_demo_in_english

pytestmark = pytest.mark.browser

# (path, the test id of a row)
LISTS = [
    ("/callbacks/", "callback-row"),
    ("/complaints/", "complaint-row"),
    ("/escalations/", "escalation-row"),
    ("/customers/", None),
    ("/attention/", None),  # its rows wait for the scan: the table (or its empty row) is checked
]


@pytest.fixture
def demo(transactional_db):
    seed_demo_in_english()


@pytest.mark.parametrize(("path", "row"), LISTS)
def test_a_list_on_a_phone(page, live_server, demo, path, row):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("deputy")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + path)

    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "nothing scrolls sideways"
    filters = page.get_by_test_id("filters")
    expect(filters).to_be_hidden()
    page.get_by_test_id("filters-toggle").click()
    expect(filters).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    rows = page.locator(f'[data-testid="{row}"]') if row else page.locator("table.table-stack tbody tr")
    expect(rows.first).to_be_visible()
    for item in rows.all()[:5]:
        box = item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (path, box)
    for phone in page.locator('a[href^="tel:"]').all()[:10]:
        assert phone.bounding_box()["height"] < 30, "a phone number never wraps"

    page.set_viewport_size({"width": 1366, "height": 800})
    expect(filters).to_be_visible()
    expect(page.get_by_test_id("filters-toggle")).to_be_hidden()


@pytest.mark.parametrize(
    ("login", "path"),
    [("operator", "/callbacks/mine/"), ("operator", "/callbacks/done-today/"), ("deputy", "/branches/")],
)
def test_the_lists_without_filters_fit_a_phone_too(page, live_server, demo, login, path):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    response = page.goto(live_server.url + path)

    assert response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    for phone in page.locator('a[href^="tel:"]').all()[:10]:
        assert phone.bounding_box()["height"] < 30, "a phone number never wraps"
