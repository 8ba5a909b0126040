"""Every typed date stays within 2000-01-01 … 2099-12-31: in the forms and filters (a message, never a 500) and
in the selectors that turn days into moments (a year-1 day cannot be placed in a time zone)."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import selectors as complaint_selectors
from contactcenter.calendars.models import CalendarOverride
from contactcenter.typed_dates import check_day
from dashboard.reports.base import local_days
from escalations import selectors as escalation_selectors

MESSAGE = "Choose days from 01.01.2000 to 31.12.2099."


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2099, 12, 31), datetime(2026, 11, 23, 10, 0), None])
def test_days_within_the_bounds_pass(day):
    check_day(day)


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1999, 12, 31), date(2100, 1, 1), datetime(9999, 1, 1)])
def test_days_outside_the_bounds_are_refused(day):
    with pytest.raises(ValidationError) as caught:
        check_day(day)
    assert caught.value.messages == [MESSAGE] and caught.value.code == "day_out_of_range"


def test_the_selectors_refuse_a_period_out_of_bounds(msk, root):
    with pytest.raises(ValidationError):
        escalation_selectors.quality_figures(user=root, date_from=date(1, 1, 1), date_to=date(2026, 11, 23))
    with pytest.raises(ValidationError):
        complaint_selectors.branch_register(branch=msk, start=date(1, 1, 1), end=date(2026, 11, 23))
    with pytest.raises(ValidationError):
        local_days("due_at", [msk], date(2026, 11, 1), date(9999, 12, 31))


@pytest.mark.parametrize(
    "url, query",
    [
        ("escalations:figures", {"date_from": "0001-01-01", "date_to": "2026-11-23"}),
        ("escalations:figures", {"date_from": "2026-11-01", "date_to": "9999-12-31"}),
        ("escalations:list", {"opened_min": "0001-01-01"}),
        ("callbacks:list", {"due_max": "1900-01-01"}),
        ("complaints:list", {"received_after": "0001-01-01"}),
        ("complaints:list", {"received_before": "9999-12-31"}),
        ("complaints:branch-register", {"branch": "MSK", "start": "0001-01-01", "end": "2026-11-23"}),
        ("dashboard:escalation_figures", {"date_from": "0001-01-01"}),
    ],
    ids=lambda value: value if isinstance(value, str) else "&".join(value),
)
def test_a_page_given_a_day_out_of_bounds_explains_it(admin_client, msk, url, query):
    """Run on both databases: on SQLite a year-1 day used to make the escalation figures answer 500."""
    query = {key: str(msk.pk) if value == "MSK" else value for key, value in query.items()}
    response = admin_client.get(reverse(url), query)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


def test_the_escalation_figures_of_a_period_in_bounds_still_answer(admin_client, msk):
    response = admin_client.get(reverse("escalations:figures"), {"date_from": "2000-01-01", "date_to": "2000-12-31"})
    assert response.status_code == 200 and MESSAGE not in response.content.decode()


def test_a_calendar_override_out_of_bounds_is_refused(msk):
    override = CalendarOverride(date=date(1, 1, 1), branch=msk, is_working=False)
    with pytest.raises(ValidationError) as caught:
        override.full_clean()
    assert caught.value.message_dict == {"date": [MESSAGE]}


def test_a_branch_opening_day_out_of_bounds_is_refused(msk):
    msk.opened_on = date(1900, 1, 1)
    with pytest.raises(ValidationError) as caught:
        msk.full_clean()
    assert caught.value.message_dict == {"opened_on": [MESSAGE]}
