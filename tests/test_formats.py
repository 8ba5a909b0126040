"""One date-time format per language (``contactcenter.formats``): the same moment reads the same on a page, in a
flash message, in an e-mail and in a CSV cell, and the admin and the date inputs use the same formats."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from contactcenter.formats import day_text, moment_text, time_text
from tests.factories import CustomerFactory

MOMENT = datetime(2026, 12, 1, 8, 41, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "moment", "day"),
    [
        ("en", "01.12.2026 11:41", "01.12.2026"),
        ("ru", "01.12.2026 11:41", "01.12.2026"),
        ("hu", "2026.12.01. 11:41", "2026.12.01."),
    ],
)
def test_a_moment_a_day_and_a_time_per_language(language, moment, day):
    moscow = ZoneInfo("Europe/Moscow")
    with translation.override(language):
        assert moment_text(MOMENT, moscow) == moment
        assert day_text(MOMENT, moscow) == day and day_text(date(2026, 12, 1)) == day
        assert time_text(MOMENT, moscow) == "11:41"
        assert moment_text(None, moscow) == "" and day_text(None) == ""
    with pytest.raises(ValueError):
        day_text(MOMENT)


def test_the_admin_writes_moments_in_the_format_of_the_language(admin_client, root, msk):
    """Django's English default is 'Dec. 1, 2026, 8:41 a.m.'; the admin reads the project's formats instead."""
    customer = CustomerFactory(branch=msk, created_at=MOMENT)
    page = admin_client.get(reverse("admin:directory_customer_changelist")).content.decode()
    assert customer.full_name in page and "a.m." not in page and "p.m." not in page
