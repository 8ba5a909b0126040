"""The escalation journey: an operator, on a phone, records a caller who demanded a supervisor and whose live
transfer nobody answered; the supervisor is alerted, acknowledges it, calls the customer back and resolves it."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from contactcenter.alerts.models import Alert, OutboundEmail
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.scan import scan_deadlines
from escalations.models import Escalation
from tests.browser.conftest import seed_demo_in_english

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-2026"


@pytest.fixture
def demo(transactional_db):
    seed_demo_in_english()


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_unanswered_transfer_is_called_back_and_resolved(browser, live_server, demo):
    operator = browser.new_page(viewport={"width": 390, "height": 844})  # on a phone
    log_in(operator, live_server, "operator")
    operator.goto(live_server.url + "/escalations/new/")
    operator.get_by_label("Customer phone").fill("8 916 123-45-67")
    operator.get_by_label("Demands a supervisor").check()
    operator.get_by_label("What the customer wants, in their words").fill(
        "I want the supervisor to cancel the fee for the late transfer, today."
    )
    operator.get_by_label("Transfer tried, nobody answered").check()
    operator.get_by_label("Put through to").select_option(label="Svetlana Smirnova")
    operator.get_by_role("button", name="Record the escalation").click()
    expect(operator.get_by_test_id("escalation-status")).to_have_text("open, not acknowledged")
    expect(operator.get_by_test_id("call-back-by")).to_be_visible()
    expect(operator.get_by_test_id("transfers")).to_contain_text("not answered")
    assert operator.evaluate("document.documentElement.scrollWidth") <= 390, "the page fits the phone"

    # The supervisor is alerted at once by e-mail, and by the clock once it is due soon.
    escalation = Escalation.objects.get(customer__phone="+79161234567")
    assert OutboundEmail.objects.filter(purpose="escalation_opened", object_id=escalation.pk).get().to == [
        "supervisor@demo.contactcenter.local"
    ]
    clock = Deadline.objects.for_case(escalation).get()
    scan_deadlines(now=clock.warn_at + timedelta(minutes=1))
    assert Alert.objects.filter(deadline=clock, recipient__username="supervisor").exists()

    supervisor = browser.new_page()
    log_in(supervisor, live_server, "supervisor")
    supervisor.goto(live_server.url + "/attention/")
    expect(supervisor.get_by_test_id("attention-row").filter(has_text="Ivan Ivanov")).to_be_visible()
    supervisor.goto(live_server.url + "/escalations/")
    row = supervisor.get_by_test_id("escalation-row").filter(has_text="Ivan Ivanov")
    expect(row).to_contain_text("Ivan Ivanov")
    expect(row).to_contain_text("open, not acknowledged")
    row.get_by_role("link", name="Ivan Ivanov").click()
    expect(supervisor.get_by_test_id("customer-wants")).to_contain_text("cancel the fee")

    supervisor.get_by_role("button", name="Acknowledge: I will call the customer back").click()
    expect(supervisor.get_by_test_id("escalation-status")).to_have_text("acknowledged")

    supervisor.get_by_label("What was said with the customer").fill("Apologised; the fee is cancelled.")
    supervisor.get_by_role("button", name="Record the call").click()
    expect(supervisor.get_by_test_id("escalation-status")).to_have_text("customer contacted")

    supervisor.get_by_label("resolved", exact=True).check()
    supervisor.get_by_label("What was done or agreed").fill("Fee cancelled; the customer is satisfied.")
    supervisor.get_by_role("button", name="Record the outcome and close").click()
    expect(supervisor.get_by_test_id("escalation-status")).to_have_text("closed")
    expect(supervisor.get_by_test_id("outcome")).to_contain_text("resolved")

    operator.reload()
    expect(operator.get_by_test_id("escalation-status")).to_have_text("closed")
    escalation.refresh_from_db()
    assert (escalation.outcome, escalation.contacted_by.username) == ("resolved", "supervisor")
    assert Deadline.objects.for_case(escalation).get().state == "met"
