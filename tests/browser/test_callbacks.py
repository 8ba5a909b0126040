"""The callback journey: an operator takes the next callback, cannot reach the customer, reaches them later,
agrees a follow-up, and finally solves the problem, while the supervisor's list shows each state."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from callbacks import services
from callbacks.models import Callback, CallbackReason
from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.directory.models import Branch, Customer, User
from tests.browser.conftest import seed_demo_in_english

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-2026"


@pytest.fixture
def queued_callback(transactional_db, weekday_morning_in_moscow):
    seed_demo_in_english()
    msk = Branch.objects.get(code="MSK")
    supervisor = User.objects.get(username="supervisor")
    # The demo's own queued callbacks go to another operator, so "Take next" gives this one.
    services.callback_reassign(
        callbacks=Callback.objects.in_queue(), to=User.objects.get(username="operator2"), by=supervisor
    )
    return services.callback_register(
        branch=msk,
        customer=Customer.objects.get(phone="+79161234567"),
        reason=CallbackReason.objects.get(code="left_number"),
        customer_said="Wants to know why the transfer to his daughter is held.",
        created_by=supervisor,
    )


def agreed_moment(branch):
    """11:00 on the branch's first business day three weeks from now: well within what may be agreed."""
    return BusinessCalendar.for_branch(branch).next_business_day_at(timezone.now() + timedelta(days=21), time(11))


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_operator_works_a_callback_to_the_end(browser, live_server, queued_callback):
    supervisor = browser.new_page()
    log_in(supervisor, live_server, "supervisor")
    supervisor.goto(live_server.url + "/callbacks/")
    row = supervisor.locator(f"tr:has(a[href='{queued_callback.get_absolute_url()}'])")
    expect(row).to_contain_text("Ivan Ivanov")
    expect(row).to_contain_text("queue")

    operator = browser.new_page(viewport={"width": 390, "height": 844})  # on a phone
    log_in(operator, live_server, "operator")
    operator.goto(live_server.url + "/callbacks/mine/")
    operator.get_by_test_id("take-next").click()
    expect(operator.get_by_text("Wants to know why the transfer to his daughter is held.")).to_be_visible()

    operator.get_by_label("no answer", exact=True).check()
    operator.get_by_role("button", name="Log the attempt").click()
    expect(operator.get_by_test_id("attempts")).to_contain_text("no answer")
    supervisor.reload()
    expect(row).to_contain_text("Olga Orlova")
    expect(row.get_by_test_id("callback-status")).to_have_text("open")

    agreed = agreed_moment(queued_callback.branch)
    operator.get_by_label("reached, next contact agreed").check()
    operator.get_by_label("Next contact agreed for").fill(agreed.strftime("%Y-%m-%dT%H:%M"))
    operator.get_by_label("Note").fill("Will send the transfer receipt")
    operator.get_by_role("button", name="Log the attempt").click()
    expect(operator.get_by_test_id("attempts")).to_contain_text("Will send the transfer receipt")
    supervisor.reload()
    expect(row).to_contain_text(agreed.strftime("%d.%m.%Y 11:00"))

    operator.get_by_label("solved", exact=True).check()
    operator.get_by_label("What was done").fill("The transfer was released after the receipt check")
    operator.get_by_role("button", name="Log the attempt").click()
    expect(operator.get_by_test_id("status")).to_have_text("solved")
    supervisor.reload()
    expect(row.get_by_test_id("callback-status")).to_have_text("solved")
