"""The supervisor's journey: the dashboard shows a clock that has just become overdue, without a reload."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from callbacks.models import Callback
from complaints.models import Complaint
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.scan import scan_deadlines
from contactcenter.deadlines.selectors import attention_for
from contactcenter.directory.models import User
from escalations.models import Escalation
from tests.browser.conftest import seed_demo_in_english, wait_until

pytestmark = pytest.mark.browser

CASE_TYPES = {Callback: "callbacks", Complaint: "complaints", Escalation: "escalations"}
# (title, CSV file name without .csv) of each report, as the supervisor sees them.
REPORTS = [
    ("Promises kept", "promises"),
    ("Complaint ageing", "ageing"),
    ("Callbacks by reason", "callback-figures"),
    ("Escalations by kind and level", "escalation-figures"),
]
REPORT_PATHS = ("promises", "complaint-ageing", "callbacks", "escalations")
SCREENSHOT_OF = {"promises": "promises-kept.png", "ageing": "complaint-ageing.png"}


@pytest.fixture
def demo(transactional_db, settings):
    """The demo data, committed for the live server; the dashboard refreshes every second."""
    settings.DASHBOARD_REFRESH_SECONDS = 1
    seed_demo_in_english()


def test_the_supervisor_sees_a_clock_become_overdue(page, live_server, demo, screenshots):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("supervisor")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()

    supervisor = User.objects.get(username="supervisor")
    clock = Deadline.objects.for_user(supervisor).filter(state=Deadline.State.ON_TRACK).select_related("content_type")
    clock = next(c for c in clock if c.content_type.model_class() in CASE_TYPES)
    key = CASE_TYPES[clock.content_type.model_class()]
    counter = page.get_by_test_id(f"overdue-{key}")
    before = int(counter.inner_text())

    past = timezone.now() - timedelta(minutes=5)
    Deadline.objects.filter(pk=clock.pk).update(due_at=past, warn_at=past)
    scan_deadlines()
    overdue = (
        Deadline.objects.for_user(supervisor)
        .filter(content_type=clock.content_type, state=Deadline.State.OVERDUE)
        .count()
    )
    assert overdue > before

    page.evaluate("window.notReloaded = true")
    expect(counter).to_have_text(str(overdue), timeout=10_000)
    # The header's "Needs attention" badge, outside the panel, follows too.
    expect(page.get_by_test_id("attention-count")).to_have_text(str(attention_for(supervisor).count()))
    assert page.evaluate("window.notReloaded") is True

    page.screenshot(path=str(screenshots / "dashboard.png"), full_page=True)

    page.get_by_role("link", name="Reports").first.click()
    for title, slug in REPORTS:
        page.get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        expect(page.get_by_test_id("report-table").locator("tbody tr").first).to_be_visible()
        # Chart.js is served from static/ and has drawn the chart.
        # (waited for: the script runs once the page has loaded, which a busy machine may take a moment for).
        wait_until(page, "typeof Chart !== 'undefined' && Chart.getChart('report-chart') !== undefined")
        with page.expect_download() as download:
            page.get_by_test_id("csv-export").click()
        assert download.value.suggested_filename == f"{slug}.csv"
        content = Path(download.value.path()).read_text(encoding="utf-8")
        assert content.startswith("\ufeff"), "a byte-order mark, so that a spreadsheet reads Cyrillic right"
        header = content.removeprefix("\ufeff").splitlines()[0]
        assert header.split(",")[0] == page.get_by_test_id("report-table").locator("thead th").first.inner_text()
        if slug in SCREENSHOT_OF:
            page.screenshot(path=str(screenshots / SCREENSHOT_OF[slug]), full_page=True)
        page.get_by_role("link", name="All reports").click()

    # Both pages fit a phone.
    page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/", "/dashboard/reports/", *(f"/dashboard/reports/{path}/" for path in REPORT_PATHS)):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path


# (login, what the home page must offer: the test id of an element that must be visible and reachable)
HOME_PAGES = [
    ("operator", "home-operator", "take-next"),
    ("security", "home-security", "security-escalation"),
    ("supervisor", "dashboard", "queue-action"),
]


def _log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize(("username", "screenshot", "action"), HOME_PAGES)
def test_every_role_s_home_page_fits_a_phone(page, live_server, demo, screenshots, username, screenshot, action):
    """At 375 px nothing scrolls sideways and the first thing to do is on the screen; the operator's and
    security's pages are photographed on a desk and on a phone (the supervisor's desk one is taken above)."""
    if screenshot != "dashboard":
        page.set_viewport_size({"width": 1400, "height": 1000})
        _log_in(page, live_server, username)
        expect(page.get_by_test_id(action).first).to_be_visible()
        page.screenshot(path=str(screenshots / f"{screenshot}.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 740})
        page.reload()
    else:
        page.set_viewport_size({"width": 375, "height": 740})
        _log_in(page, live_server, username)
    target = page.get_by_test_id(action).first
    expect(target).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    for phone in page.locator('a[href^="tel:"]').all():
        assert phone.bounding_box()["height"] < 30, "a phone number never wraps"
    page.screenshot(path=str(screenshots / f"{screenshot}-375.png"), full_page=True)


def test_the_operator_takes_the_next_callback_from_the_phone(page, live_server, weekday_morning_in_moscow, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    _log_in(page, live_server, "operator")
    queued = Callback.objects.in_queue().count()
    expect(page.get_by_test_id("take-next")).to_contain_text(str(queued))
    page.get_by_test_id("take-next").click()
    expect(page).to_have_url(re.compile(r"/callbacks/\d+/$"))
    assert Callback.objects.in_queue().count() == queued - 1
    page.goto(live_server.url + "/")
    expect(page.get_by_test_id("my-callback")).to_have_count(2)
