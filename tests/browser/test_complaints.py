"""The complaint journey: a branch employee registers a complaint with a photo on a phone; the branch manager
forwards it (through a real SMTP server), takes it into review and answers it."""

import re

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from complaints.models import Complaint, Status
from contactcenter import celery_app
from tests.browser.conftest import wait_until
from tests.complaints.clock_policies import make_clock_policies
from tests.complaints.sample_files import jpeg_bytes
from tests.factories import PASSWORD, BranchFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def branch(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_clock_policies()
    moscow = BranchFactory(code="MSK", name="Moscow", time_zone="Europe/Moscow", country="RU")
    moscow.manager = UserFactory(username="boss", first_name="Boris", role="Branch manager", branches=[moscow])
    moscow.deputy_director = UserFactory(username="deputy", role="Deputy director", branches=[])
    moscow.save()
    UserFactory(username="clerk", first_name="Klara", role="Operator", branches=[moscow])
    return moscow


@pytest.fixture
def workers_at_once():
    """A forwarding is handed to a worker when it is committed; here the "worker" runs at once, in the server."""
    celery_app.loader.import_default_modules()
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/")


def test_register_forward_review_and_answer(page, live_server, branch, smtp_server, workers_at_once, tmp_path):
    photo = tmp_path / "complaint-book-page.jpg"
    photo.write_bytes(jpeg_bytes((1200, 900), gps=True))

    # A branch employee, on a phone.
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server, "clerk")
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="Complaints").click()
    page.get_by_role("link", name="Register a complaint").click()
    expect(page.locator("input[name=pages][capture=environment]")).to_have_attribute("accept", "image/*")
    page.get_by_label("Category").select_option(label="waiting time")
    page.get_by_label("Customer's phone").fill("8 916 123-45-67")
    page.get_by_label("Customer's name").fill("Ivan Ivanov")
    page.get_by_label("Summary").fill("Waited an hour at the desk; nobody came.")
    page.locator("input[name=pages][capture=environment]").set_input_files(str(photo))
    expect(page.locator("#pages-chosen")).to_have_text("complaint-book-page.jpg")
    page.get_by_label("Forward to the branch's manager now").uncheck()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the form fits the phone"
    page.get_by_role("button", name="Register").click()

    heading = page.get_by_role("heading", name=re.compile(r"Complaint MSK-\d{4}-00001"))
    expect(heading).to_be_visible()
    expect(page.get_by_test_id("complaint-status")).to_have_text("registered")
    expect(page.get_by_test_id("answer-due")).to_contain_text("the answer is due by")
    thumbnail = page.get_by_role("img", name="Page 1")
    expect(thumbnail).to_be_visible()
    # Visible is not yet loaded: the photo arrives through the access-checked view a moment later.
    wait_until(page, "img => img.complete && img.naturalWidth > 0", thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.naturalWidth") == 400, "the thumbnail, through the checking view"
    complaint = Complaint.objects.get()

    # The branch manager forwards it, takes it into review and answers.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "boss")
    page.get_by_role("link", name="Complaints").click()
    page.get_by_role("link", name=complaint.register_number).click()
    page.get_by_role("button", name="Forward to the manager").click()
    expect(page.get_by_test_id("forwarding")).to_contain_text("accepted by the mail server")
    expect(page.get_by_test_id("complaint-status")).to_have_text("forwarded")

    [message] = smtp_server.messages
    assert sorted(smtp_server.recipients) == ["boss@example.com", "deputy@example.com"]
    [attachment] = [part for part in message.walk() if part.get_content_disposition() == "attachment"]
    assert attachment.get_filename() == f"{complaint.register_number}-page-1.jpg"
    assert b"PhoneMaker" not in attachment.get_payload(decode=True), "sent without the photo's metadata"

    page.get_by_role("button", name="Take into review").click()
    expect(page.get_by_test_id("complaint-status")).to_have_text("in review")

    page.get_by_label("Answer", exact=True).fill("We apologise: a second desk now opens at rush hours.")
    page.get_by_label("Answered by").select_option(label="e-mail")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.get_by_test_id("complaint-status")).to_have_text("answered")
    expect(page.get_by_test_id("answer")).to_contain_text("a second desk now opens")
    expect(page.get_by_test_id("history-entry")).to_have_count(5)

    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED and complaint.assigned_to.username == "boss"
    assert django_settings.MEDIA_ROOT.is_relative_to(tmp_path)
