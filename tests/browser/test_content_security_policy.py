"""The main pages run under the Content-Security-Policy without a single violation: every script and style
they need is a file under static/ (an inline one would be refused, and reported here)."""

import pytest

from complaints.models import Complaint
from tests.browser.conftest import seed_demo_in_english, wait_until

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/search/?q=Ivan",
    "/attention/",
    "/customers/",
    "/customers/new/",
    "/branches/",
    "/callbacks/",
    "/callbacks/mine/",
    "/callbacks/new/",
    "/complaints/",
    "/complaints/new/",
    "/escalations/",
    "/escalations/new/",
    "/escalations/figures/",
    "/dashboard/reports/promises/",
    "/dashboard/reports/complaint-ageing/",
    "/accounts/password_change/",
    "/admin/",
    "/admin/callbacks/callback/",
    "/no-such-page/",
]

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber
  );
});
"""


@pytest.fixture
def demo(transactional_db):
    seed_demo_in_english()


def test_the_main_pages_break_no_rule_of_the_policy(page, live_server, demo):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    complaint = Complaint.objects.order_by("pk").first()
    pages = (
        [*PAGES, f"/complaints/{complaint.pk}/", f"/complaints/{complaint.pk}/acknowledgement/"] if complaint else PAGES
    )
    violations = {}
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == (404 if path == "/no-such-page/" else 200), path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__cspViolations")
        if found:
            violations[path] = found
    page.goto(live_server.url + "/complaints/new/")
    page.select_option("select[name=language]", "ru")  # the language switch submits from app.js
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert violations == {}
    assert [text for text in console if "Content Security Policy" in text] == []


def test_the_api_documentation_draws_its_operations_under_the_policy(page, live_server, transactional_db):
    """Swagger UI starts from a script: drf-spectacular's page had it inline, so the policy refused it and an
    integrator saw an empty page."""
    page.add_init_script(WATCH)
    response = page.goto(live_server.url + "/api/v1/docs/")
    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    wait_until(page, "() => document.querySelectorAll('.opblock-summary-path').length > 0")
    paths = page.evaluate("[...document.querySelectorAll('.opblock-summary-path')].map(e => e.textContent)")
    assert "/api/v1/callbacks/" in paths
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
