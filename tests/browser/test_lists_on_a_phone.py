"""Every list at 375 px: the filters folded behind a button, each row a card whose case, status and deadline are
on the screen without scrolling sideways (neither the page nor a table inside it), and phone numbers on one line.

``LISTS`` names every list page of the product (the URLconfs' list views, the search's results, the reports and
their figures); the home pages' own lists are checked in test_dashboard.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from callbacks import services as callbacks
from callbacks.models import Callback, ContactAttempt
from contactcenter.directory.models import Branch, User
from phrases.models import Situation
from tests.browser.conftest import seed_demo_in_english
from tests.factories import PhraseFactory

pytestmark = pytest.mark.browser

CASE = ("case-number", "case-status", "case-deadline")


def _register():
    branch = Branch.objects.get(code="MSK")
    today = timezone.localdate()
    return f"/complaints/register/?branch={branch.pk}&start={today - timedelta(days=300)}&end={today}"


def _solve_one():
    """The operator closes one of their callbacks, so that "Done today" has a row."""
    operator = User.objects.get(username="operator")
    callback = Callback.objects.filter(assigned_to=operator, status=Callback.Status.OPEN).first()
    callbacks.attempt_log(
        callback=callback, by=operator, outcome=ContactAttempt.Outcome.SOLVED, resolution="Terms sent."
    )


def _phrases():
    """The library's phrases (the migration's are gone with the previous test's data)."""
    PhraseFactory(situation=Situation.APOLOGY, text="Please accept our apologies for the wait.")
    PhraseFactory(situation=Situation.WAIT, text="One moment, please.")


REPORT_ROWS = '[data-testid="report-table"] tbody tr'  # a report's rows, or its one row saying there is none
# (login, path or a function giving it, the test id of a row, what each row shows on the screen, whether the list
# has filters, a step before the page is read)
LISTS = [
    ("deputy", "/callbacks/", "callback-row", CASE, True, None),
    ("operator", "/callbacks/mine/", "my-callback", ("case-number", "next-contact"), False, None),
    ("operator", "/callbacks/done-today/", "done-callback", ("case-number", "case-status"), False, _solve_one),
    ("deputy", "/complaints/", "complaint-row", CASE, True, None),
    ("deputy", _register, "register-row", (), True, None),
    ("deputy", "/escalations/", "escalation-row", CASE, True, None),
    ("deputy", "/escalations/figures/", "figures-row", ("operator-rating",), True, None),
    ("deputy", "/customers/", "customer-row", (), True, None),
    ("deputy", "/branches/", "branch-row", (), False, None),
    ("deputy", "/attention/", "attention-row", ("clock-name", "case-deadline"), True, None),
    ("deputy", "/search/?q=Kuznetsova", "search-row", (), False, None),
    ("operator", "/phrases/", "phrase", (), True, _phrases),
    ("deputy", "/dashboard/reports/promises/", REPORT_ROWS, (), True, None),
    ("deputy", "/dashboard/reports/complaint-ageing/", REPORT_ROWS, (), True, None),
    ("deputy", "/dashboard/reports/callbacks/", REPORT_ROWS, (), True, None),
    ("deputy", "/dashboard/reports/escalations/", REPORT_ROWS, (), True, None),
    ("deputy", "/dashboard/reports/phrases/", REPORT_ROWS, (), True, _phrases),
    ("deputy", "/dashboard/reports/ratings/", REPORT_ROWS, (), True, None),
]

# Every element that scrolls sideways inside the page (a table wider than its .table-responsive box).
SCROLLED_INSIDE = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.scrollWidth > el.clientWidth + 1 && ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${el.scrollWidth} > ${el.clientWidth} px)`)"""


@pytest.fixture
def demo(transactional_db):
    seed_demo_in_english()


def _on_screen(locator, what):
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, (what, box)


@pytest.mark.parametrize(("login", "path", "row", "shows", "has_filters", "before"), LISTS)
def test_a_list_on_a_phone(page, live_server, demo, login, path, row, shows, has_filters, before):
    if before:
        before()
    path = path() if callable(path) else path
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("header-search")).to_be_visible()
    response = page.goto(live_server.url + path)
    assert response.status == 200

    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "nothing scrolls sideways"
    assert page.evaluate(SCROLLED_INSIDE) == [], "no table scrolls sideways inside the page"
    filters = page.get_by_test_id("filters")
    if has_filters:
        expect(filters).to_be_hidden()
        page.get_by_test_id("filters-toggle").click()
        expect(filters).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    else:
        expect(page.get_by_test_id("filters-toggle")).to_have_count(0)

    rows = page.locator(row) if row.startswith("[") else page.get_by_test_id(row)
    expect(rows.first).to_be_visible()
    for item in rows.all()[:5]:
        _on_screen(item, row)
        for part in shows:
            shown = item.get_by_test_id(part).first
            expect(shown).to_be_visible()
            _on_screen(shown, part)
    for phone in page.locator('a[href^="tel:"]').all()[:10]:
        assert phone.bounding_box()["height"] < 30, "a phone number never wraps"

    if has_filters:
        page.set_viewport_size({"width": 1366, "height": 800})
        expect(filters).to_be_visible()
        expect(page.get_by_test_id("filters-toggle")).to_be_hidden()
