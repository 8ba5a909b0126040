"""The first journey: the demo supervisor logs in and lands on the styled home page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seed_demo_in_english

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    """The demo data, committed for the live server."""
    seed_demo_in_english()


def test_supervisor_logs_in_and_sees_the_home_page(page, live_server, demo):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/")
    page.get_by_label("Username").fill("supervisor")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Hello, Svetlana")).to_be_visible()
    expect(page.get_by_test_id("branch-card")).to_have_count(1)
    expect(page.get_by_role("link", name="Customers")).to_be_visible()
    # Bootstrap is served from static/: the navigation bar is styled dark.
    assert page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(33, 37, 41)"

    page.select_option("select[name=language]", "ru")
    expect(page.get_by_role("link", name="Клиенты")).to_be_visible()


def test_the_home_page_fits_a_phone(page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("operator")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("branch-card")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.get_by_role("link", name="Customers")).to_be_visible()
