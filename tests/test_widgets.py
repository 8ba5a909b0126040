"""The native pickers of the project's forms get ISO in every language, while the language's first input format
(the admin's) is the printed day."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from contactcenter.widgets import NativeDateInput, NativeDateRangeWidget, NativeDateTimeInput
from tests.factories import UserFactory
from tests.moments import moscow


@pytest.mark.parametrize("language", ["en", "ru", "hu"])
def test_every_native_picker_renders_iso(language):
    with translation.override(language):
        day = NativeDateInput().render("day", date(2026, 12, 1))
        moment = NativeDateTimeInput().render("at", datetime(2026, 12, 1, 10, 30))
        period = NativeDateRangeWidget().render("due", [date(2026, 11, 1), date(2026, 11, 23)])
    assert 'type="date"' in day and 'value="2026-12-01"' in day
    assert 'type="datetime-local"' in moment and 'value="2026-12-01T10:30"' in moment
    assert period.count('type="date"') == 2
    assert 'name="due_min" value="2026-11-01"' in period and 'name="due_max" value="2026-11-23"' in period


@time_machine.travel(moscow(2026, 11, 23, 10, 30), tick=False)
def test_a_report_read_in_russian_gives_its_pickers_iso_days(client, msk):
    """The report's default period (days, not typed text) reaches the pickers as ISO, not as '23.11.2026'."""
    client.force_login(UserFactory(username="sup", role="Supervisor", branches=[msk], language="ru"))
    page = client.get(reverse("dashboard:promises")).content.decode()
    assert 'lang="ru"' in page
    assert 'name="date_from" value="2026-10-27"' in page and 'name="date_to" value="2026-11-23"' in page
