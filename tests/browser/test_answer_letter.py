"""The answer step on a phone: the answer is written, 'Prepare the letter' gives the .docx with it (the
buttons belong to the answer form, so no script is needed), and the printable page opens beside it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint, Status
from tests.browser.conftest import log_in
from tests.complaints.letter_templates import docx_text, make_template
from tests.factories import BranchFactory, ComplaintFactory, CustomerFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_manager_prepares_the_letter_with_the_answer_written(browser, live_server, transactional_db):
    msk = BranchFactory(code="MSK", name="Москва, Центральное", time_zone="Europe/Moscow", country="RU")
    manager = UserFactory(username="boss", role="Branch manager", branches=[msk])
    customer = CustomerFactory(branch=msk, full_name="Иван Смирнов")
    complaint = ComplaintFactory(branch=msk, customer=customer, summary="Ждал у кассы 40 минут.")
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.IN_REVIEW, assigned_to=manager)
    make_template(name="Ответ", language="ru")

    page = browser.new_page(viewport={"width": 375, "height": 812}, accept_downloads=True)
    log_in(page, live_server, manager)
    page.goto(live_server.url + complaint.get_absolute_url())
    page.locator("#id_answer_text").fill("Окно № 2 теперь открыто с 9:00.")

    with page.expect_download() as download:
        page.get_by_role("button", name="Word document (.docx)").click()
    path = download.value.path()
    assert download.value.suggested_filename == f"{complaint.register_number}-answer.docx"
    text = docx_text(Path(path).read_bytes())
    assert "Окно № 2 теперь открыто с 9:00." in text and "Уважаемый(ая) Иван Смирнов!" in text

    with page.context.expect_page() as printable:
        page.get_by_role("button", name="Printable page").click()
    letter = printable.value.get_by_test_id("letter")
    expect(letter).to_contain_text("Окно № 2 теперь открыто с 9:00.")
    expect(letter).to_contain_text("Москва, Центральное")
    assert printable.value.evaluate("document.documentElement.scrollWidth") <= 375
