"""The registration form says when a callback will be due before it is saved, counted in the team's hours."""

from datetime import time

import pytest
import time_machine
from playwright.sync_api import expect

from callbacks.models import CallbackReason
from contactcenter.deadlines.models import Deadline
from contactcenter.directory.models import Team, TeamHours
from tests.factories import PASSWORD, BranchFactory, UserFactory
from tests.moments import moscow

pytestmark = pytest.mark.browser


@pytest.fixture
def friday_evening(transactional_db):
    with time_machine.travel(moscow(2026, 11, 20, 17, 29), tick=True):
        msk = BranchFactory(code="MSK", name="Moscow", time_zone="Europe/Moscow", country="RU")
        operator = UserFactory(username="op", role="Operator", branches=[msk], language="en")
        team = Team.objects.create(branch=msk, name="Day shift", schedule=Team.Schedule.OWN, takes_branch_queue=True)
        for weekday in range(5):
            TeamHours.objects.create(team=team, weekday=weekday, opens=time(9), closes=time(18))
        yield msk, operator


def test_the_form_says_the_term_rolls_to_monday_before_saving(page, live_server, friday_evening):
    msk, _operator = friday_evening
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("op")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/callbacks/new/")
    preview = page.get_by_test_id("due-preview")
    expect(preview).to_be_hidden()
    page.get_by_label("Branch").select_option(str(msk.pk))
    page.get_by_label("Reason").select_option(str(CallbackReason.objects.get(code="asked_callback").pk))
    expect(preview).to_contain_text("Due Mon 23.11.2026 09:29")
    expect(preview).to_contain_text("Day shift closes at 18:00")
    # A time the customer asked for wins: the preview steps aside.
    page.get_by_label("Customer's time from").fill("2026-11-23T12:00")
    page.get_by_label("Customer's time from").dispatch_event("change")
    expect(preview).to_be_hidden()
    assert not Deadline.objects.exists()
