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
    customer = CustomerFactory(branch=msk)
    type(customer).objects.filter(pk=customer.pk).update(created_at=MOMENT)
    page = admin_client.get(reverse("admin:directory_customer_changelist")).content.decode()
    assert customer.full_name in page and "01.12.2026 08:41" in page and "a.m." not in page


@pytest.mark.parametrize(
    ("zone", "shown"), [("Europe/Moscow", "01.12.2026 11:41"), ("Asia/Vladivostok", "01.12.2026 18:41")]
)
def test_the_admin_shows_moments_in_the_reader_s_zone_lists_and_read_only_pages(admin_client, root, zone, shown):
    from contactcenter.audit.models import AuditEntry
    from contactcenter.audit.services import record_audit
    from tests import admin_pages as pages
    from tests.factories import BranchFactory

    branch = BranchFactory(code="ZZ", time_zone=zone)
    root.branches.set([branch])
    root = type(root).objects.get(pk=root.pk)
    admin_client.force_login(root)  # the zone is read at login
    customer = CustomerFactory(branch=branch, full_name="Ivan Ivanov")
    type(customer).objects.filter(pk=customer.pk).update(created_at=MOMENT)  # created_at is set on save
    entry = record_audit(actor=root, action="customer.created", target=customer)
    AuditEntry.objects.filter(pk=entry.pk).update(at=MOMENT)
    for url in (pages.changelist(AuditEntry), pages.change_page(entry), pages.changelist(type(customer))):
        page = admin_client.get(url).content.decode()
        assert shown in page and "01.12.2026 08:41" not in page, url
        assert f"Times in {zone}" in page
    root.language = "ru"
    root.save(update_fields=["language"])
    page = admin_client.get(pages.change_page(entry)).content.decode()
    assert shown in page and "Время указано" in page


def test_an_admin_of_branches_in_several_zones_reads_utc_and_is_told_so(admin_client, root, msk):
    from tests.factories import BranchFactory

    root.branches.set([msk, BranchFactory(code="VVO", time_zone="Asia/Vladivostok")])
    admin_client.force_login(type(root).objects.get(pk=root.pk))
    customer = CustomerFactory(branch=msk)
    type(customer).objects.filter(pk=customer.pk).update(created_at=MOMENT)
    page = admin_client.get(reverse("admin:directory_customer_changelist")).content.decode()
    assert "01.12.2026 08:41" in page and "Times in UTC" in page


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_date_picker_gets_the_day_it_can_show_and_the_page_the_format_it_prints(client, msk, language):
    """A native picker takes only ISO days: the Russian default of Django ('23.11.2026') left it empty. The page
    names the format its days are printed in, for the script that writes it beside each picker."""
    from tests.factories import UserFactory

    supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk], language=language)
    client.force_login(supervisor)
    page = client.get(reverse("escalations:figures"), {"date_from": "2026-11-01", "date_to": "2026-11-23"})
    html = page.content.decode()
    assert 'type="date"' in html and 'value="2026-11-01"' in html and 'value="2026-11-23"' in html
    with translation.override(language):
        printed = day_text(date(2026, 11, 23))
    assert 'data-day-format="d.m.Y"' in html and 'data-moment-format="d.m.Y H:i"' in html
    assert printed == "23.11.2026"
    # The printed day, typed where a browser has no picker, is read as the same day.
    page = client.get(reverse("escalations:figures"), {"date_from": "01.11.2026", "date_to": printed})
    assert page.context["form"].is_valid() and page.context["form"].cleaned_data["date_to"] == date(2026, 11, 23)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_admin_s_date_fields_show_the_printed_day_and_take_it_back_as_well_as_iso(admin_client, root, language):
    """The admin's date field (text and calendar popup) follows the first input format: the printed day, not ISO."""
    from contactcenter.calendars.models import CalendarOverride
    from tests import admin_pages as pages
    from tests.calendars.factories import CalendarOverrideFactory
    from tests.factories import BranchFactory

    root.language = language
    root.save(update_fields=["language"])
    override = CalendarOverrideFactory(date=date(2026, 12, 1), note="Office move")
    page = admin_client.get(pages.change_page(override)).content.decode()
    assert 'name="date" value="01.12.2026"' in page and "2026-12-01" not in page
    branch = BranchFactory(code="ZZ", opened_on=date(2026, 11, 2))
    page = admin_client.get(pages.change_page(branch)).content.decode()
    assert 'name="opened_on" value="02.11.2026"' in page
    for typed, day in (("25.12.2026", date(2026, 12, 25)), ("2026-12-31", date(2026, 12, 31))):
        response = admin_client.post(pages.change_page(override), {"date": typed, "note": "Office move"})
        assert response.status_code == 302, typed
        assert CalendarOverride.objects.get(pk=override.pk).date == day, typed


def test_the_first_input_format_of_every_language_is_the_printed_one():
    from django.utils.formats import get_format

    for language, typed in (("en", "01.12.2026"), ("ru", "01.12.2026"), ("hu", "2026.12.01.")):
        with translation.override(language):
            assert date(2026, 12, 1).strftime(get_format("DATE_INPUT_FORMATS")[0]) == day_text(date(2026, 12, 1))
            assert MOMENT.strftime(get_format("DATETIME_INPUT_FORMATS")[0]) == moment_text(MOMENT, UTC)
            assert "%Y-%m-%d" in get_format("DATE_INPUT_FORMATS") and typed == day_text(date(2026, 12, 1))
