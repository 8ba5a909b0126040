"""The standard phrases beside a callback attempt, on a phone: found by a word, inserted at the cursor in one
click, and the insertion counted."""

import pytest
from playwright.sync_api import expect

from phrases.models import Phrase, PhraseUse, Situation
from tests.browser.conftest import log_in
from tests.factories import BranchFactory, CallbackFactory, CustomerFactory, PhraseFactory, UserFactory

pytestmark = pytest.mark.browser


def test_an_operator_inserts_a_phrase_into_the_note(browser, live_server, transactional_db):
    msk = BranchFactory(code="MSK", name="Moscow", time_zone="Europe/Moscow", country="RU")
    operator = UserFactory(username="op", role="Operator", branches=[msk])
    callback = CallbackFactory(branch=msk, customer=CustomerFactory(branch=msk, preferred_language="en"))
    Phrase.objects.all().delete()
    PhraseFactory(situation=Situation.SYSTEM_FAILURE, text="Our system is down for a while.")
    wait = PhraseFactory(situation=Situation.WAIT, text="One moment, please.")

    page = browser.new_page(viewport={"width": 375, "height": 812})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, operator)
    page.goto(live_server.url + callback.get_absolute_url())

    page.get_by_label("Note").fill("Called.")
    panel = page.get_by_test_id("phrase-panel")
    panel.locator("summary").click()
    panel.get_by_placeholder("Find a phrase").fill("moment")
    expect(panel.get_by_text("Our system is down for a while.")).to_be_hidden()
    panel.get_by_role("button", name="Insert: One moment, please.").click()
    expect(page.get_by_label("Note")).to_have_value("Called. One moment, please.")
    for _ in range(50):
        if PhraseUse.objects.exists():
            break
        page.wait_for_timeout(100)
    use = PhraseUse.objects.get()
    assert (use.phrase, use.place, use.branch, use.used_by) == (wait, "callback_attempt", msk, operator)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert errors == []
