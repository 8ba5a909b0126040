"""Date pickers and printed dates agree: beside a native picker, the chosen day as the pages print it."""

import pytest
from playwright.sync_api import expect

from tests.factories import BranchFactory, UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "picker-pass-2026"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_day_chosen_in_a_picker_is_printed_beside_it_as_the_pages_print_days(
    browser, live_server, transactional_db, language
):
    branch = BranchFactory(code="MSK", time_zone="Europe/Moscow")
    UserFactory(username="sup", role="Supervisor", branches=[branch], language=language, password=PASSWORD)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=username]").fill("sup")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form [type=submit]").click()
    page.goto(live_server.url + "/escalations/figures/?date_from=2026-11-01&date_to=2026-11-23")
    printed = page.get_by_test_id("printed-date")
    expect(printed.first).to_have_text("01.11.2026")
    expect(printed.nth(1)).to_have_text("23.11.2026")
    page.get_by_test_id("filters-toggle").click()  # a phone folds the filters behind their button
    page.locator("input[name=date_to]").fill("2026-12-04")
    expect(printed.nth(1)).to_have_text("04.12.2026")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_admin_calendar_writes_the_day_as_the_pages_print_it(browser, live_server, transactional_db, language):
    from datetime import date

    from tests.calendars.factories import CalendarOverrideFactory

    UserFactory(username="root", is_staff=True, is_superuser=True, language=language, password=PASSWORD, branches=[])
    override = CalendarOverrideFactory(date=date(2026, 12, 1), note="Office move")
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=username]").fill("root")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form [type=submit]").click()
    page.goto(f"{live_server.url}/admin/calendars/calendaroverride/{override.pk}/change/")
    field = page.locator("input[name=date]")
    expect(field).to_have_value("01.12.2026")
    page.locator("#calendarlink0").click()
    page.locator("#calendarbox0 td a", has_text="15").first.click()
    expect(field).to_have_value("15.12.2026")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    override.refresh_from_db()
    assert override.date == date(2026, 12, 15)
