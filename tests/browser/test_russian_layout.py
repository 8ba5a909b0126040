"""The layout holds in Russian, the longer language, on a desk (1366 px) and on a phone (375 px): nothing scrolls
sideways, the navigation is on one line on the desk and folded behind its button on the phone, and no word is
broken in the middle. Each main page is photographed at both widths (``make screenshots``: docs/screenshots/)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from callbacks.models import Callback
from complaints.models import Complaint
from contactcenter.directory.models import Customer
from escalations.models import Escalation
from tests.browser.test_dashboard import _log_in

pytestmark = pytest.mark.browser

WIDTHS = (1366, 375)

# The words of every visible text node whose letters lie on more than one line: a word broken in the middle.
# A break after a hyphen, a slash or a dash is where a person would break it too, so those split words.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const word = /[^\\s\\-\\u2010-\\u2015\\/·,.:;()«»"]+/gu;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, select, option, textarea")) continue;
    for (const match of node.textContent.matchAll(word)) {
      if (match[0].length < 2) continue;
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
      if (lines.size > 1) broken.push(`${match[0]} (in ${parent.tagName.toLowerCase()}.${parent.className})`);
    }
  }
  return broken;
}"""

# The middles of the navigation's visible links, the toggler's visibility and the bar's height.
NAVIGATION = """() => {
  const bar = document.querySelector("nav.navbar");
  if (!bar) return null;  // the admin's pages have the admin's own header
  const links = [...bar.querySelectorAll(".nav-link, .navbar-brand, .header-search")]
    .filter((el) => el.getClientRects().length);
  const toggler = bar.querySelector(".navbar-toggler");
  return {
    tops: links.map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)),
    toggler: toggler.getClientRects().length > 0 && getComputedStyle(toggler).display !== "none",
    folded: !document.getElementById("main-nav").classList.contains("show"),
    collapsedHidden: getComputedStyle(document.getElementById("main-nav")).display === "none",
    height: bar.getBoundingClientRect().height,
  };
}"""


def main_pages():
    """(login, screenshot name, path) of each main page, with a case of the demo's Moscow branch."""
    callback = Callback.objects.filter(branch__code="MSK").order_by("pk").first()
    complaint = Complaint.objects.filter(branch__code="MSK").exclude(customer=None).order_by("pk").first()
    escalation = Escalation.objects.filter(branch__code="MSK").order_by("pk").first()
    customer = Customer.objects.filter(branch__code="MSK").order_by("pk").first()
    return [
        ("supervisor", "dashboard", "/"),
        ("operator", "my-work", "/"),
        ("supervisor", "callback-list", reverse("callbacks:list")),
        ("supervisor", "callback-detail", callback.get_absolute_url()),
        ("supervisor", "complaint-register", reverse("complaints:list")),
        ("supervisor", "complaint-detail", complaint.get_absolute_url()),
        ("supervisor", "escalation-list", reverse("escalations:list")),
        ("supervisor", "escalation-detail", escalation.get_absolute_url()),
        ("supervisor", "customer", customer.get_absolute_url()),
        ("supervisor", "figures", reverse("escalations:figures")),
        ("supervisor", "report", reverse("dashboard:promises")),
        ("admin", "calendar-preview", reverse("admin:calendars_calendaroverride_preview")),
    ]


@pytest.fixture
def demo_in_russian(transactional_db):
    """The demo as it is: its Moscow staff (and the administrator) read Russian by their profile language."""
    from django.core.management import call_command

    call_command("seed_demo")


def layout_problems(page, width) -> list[str]:
    problems = []
    if (scrolled := page.evaluate("document.documentElement.scrollWidth")) > width:
        problems.append(f"scrolls sideways ({scrolled} px)")
    navigation = page.evaluate(NAVIGATION)
    if navigation is None:
        pass
    elif width >= 992:
        if navigation["toggler"]:
            problems.append("the navigation is folded on a desk")
        if max(navigation["tops"]) - min(navigation["tops"]) > 4:
            problems.append(f"the navigation takes more than one line ({navigation['height']:.0f} px high)")
    elif not (navigation["toggler"] and navigation["collapsedHidden"]):
        problems.append("the navigation is not folded behind its button")
    if broken := page.evaluate(BROKEN_WORDS):
        problems.append(f"words broken in the middle: {broken[:10]}")
    return problems


def test_the_main_pages_hold_in_russian_on_a_desk_and_a_phone(page, live_server, demo_in_russian, screenshots):
    logged_in, problems = None, {}
    for login, name, path in main_pages():
        if login != logged_in:
            page.context.clear_cookies()
            page.set_viewport_size({"width": 1366, "height": 900})
            _log_in(page, live_server, login)
            logged_in = login
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900 if width > 400 else 740})
            page.goto(live_server.url + path)
            expect(page.locator("html")).to_have_attribute("lang", "ru")
            page.screenshot(path=str(screenshots / f"ru-{name}-{width}.png"), full_page=True)
            if found := layout_problems(page, width):
                problems[f"{name} at {width} px"] = found
    assert not problems, "\n".join(f"{where}: {'; '.join(found)}" for where, found in problems.items())
