"""The customer's questionnaire in a real browser, on a phone, without a login: answered in Russian; the same link
then only thanks again, and a forged one says so politely."""

from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from callbacks import services as callback_services
from callbacks.models import CallbackReason, ContactAttempt
from contactcenter.alerts.models import OutboundEmail
from feedback.models import Questionnaire
from tests.factories import BranchFactory, CustomerFactory, UserFactory
from tests.feedback.conftest import link_of

pytestmark = pytest.mark.browser


@pytest.fixture
def link(transactional_db):
    msk = BranchFactory(code="MSK", name="Moscow", time_zone="Europe/Moscow", country="RU")
    operator = UserFactory(username="op", role="Operator", branches=[msk])
    customer = CustomerFactory(
        branch=msk, full_name="Anna Petrova", phone="+79161234567", email="anna@customer.example", email_consent=True
    )
    callback = callback_services.callback_register(
        branch=msk,
        reason=CallbackReason.objects.get(code="asked_callback"),
        customer_said="The card was blocked.",
        created_by=operator,
        customer=customer,
    )
    callback_services.attempt_log(
        callback=callback, by=operator, outcome=ContactAttempt.Outcome.SOLVED, resolution="Unblocked the card."
    )
    return link_of(OutboundEmail.objects.get(purpose="customer.questionnaire")), callback


def test_a_customer_answers_on_a_phone_once(page, live_server, link):
    path, callback = link
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="Как мы справились?")).to_be_visible()
    expect(page.locator("body")).to_contain_text(f"обратный звонок №{callback.pk}")
    expect(page.locator("body")).not_to_contain_text("Anna Petrova")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("button", name="Отправить ответ").click()  # nothing chosen: the page says what is missing
    expect(page.get_by_text("Выберите оценку от 1 до 5.")).to_be_visible()
    assert not Questionnaire.objects.answered().exists()

    page.get_by_label("Да").check()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Что вы хотели бы нам сказать (необязательно)").fill("Спасибо, быстро и вежливо.")
    page.get_by_role("button", name="Отправить ответ").click()
    expect(page.get_by_test_id("questionnaire-thanks")).to_be_visible()
    stored = Questionnaire.objects.get()
    assert (stored.solved, stored.rating, stored.comment) == (True, 4, "Спасибо, быстро и вежливо.")

    page.goto(live_server.url + path)  # the link again: thanked, nothing more to fill in
    expect(page.get_by_test_id("questionnaire-unavailable")).to_have_attribute("data-reason", "answered")
    expect(page.get_by_test_id("questionnaire-form")).to_have_count(0)


def test_an_expired_and_a_forged_link_say_so_politely(page, live_server, link):
    path, _callback = link
    response = page.goto(live_server.url + "/rate/not-a-real-link/")
    assert response.status == 404
    expect(page.get_by_test_id("questionnaire-unavailable")).to_have_attribute("data-reason", "unknown")
    with time_machine.travel(Questionnaire.objects.get().expires_at + timedelta(minutes=1)):
        response = page.goto(live_server.url + path)
    assert response.status == 410
    expect(page.get_by_test_id("questionnaire-unavailable")).to_have_attribute("data-reason", "expired")
    assert not Questionnaire.objects.answered().exists()
