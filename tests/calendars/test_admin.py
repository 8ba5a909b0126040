from datetime import date, time

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from contactcenter.audit.models import AuditEntry
from contactcenter.calendars.models import CalendarOverride
from tests import admin_pages as pages
from tests.calendars.factories import CalendarOverrideFactory
from tests.factories import UserFactory

PREVIEW = reverse("admin:calendars_calendaroverride_preview")


def cell(page: str, day: str, kind: str) -> bool:
    return f'data-date="{day}" data-kind="{kind}"' in page


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- writes through the admin are audited --------------------------------------------------------


def test_adding_an_override_in_the_admin_leaves_an_audit_entry(admin_client, admin_user, msk):
    response = admin_client.post(
        reverse("admin:calendars_calendaroverride_add"),
        {"date": "2026-11-22", "branch": msk.pk, "is_working": "on", "opens": "10:00", "closes": "16:00", "note": "X"},
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    entry = AuditEntry.objects.for_target(override).get()
    assert (entry.actor, entry.action) == (admin_user, "calendar.override_saved")
    assert entry.changes["closes"] == [None, "16:00:00"]


def test_the_admin_form_refuses_a_working_day_without_hours(admin_client, msk):
    response = admin_client.post(
        reverse("admin:calendars_calendaroverride_add"), {"date": "2026-11-22", "branch": msk.pk, "is_working": "on"}
    )
    assert response.status_code == 200
    assert "A working day needs its opening and closing times." in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_changing_an_override_in_the_admin_records_the_change(admin_client, msk):
    override = CalendarOverrideFactory(date=date(2026, 11, 25), branch=msk, note="Before")
    response = admin_client.post(
        reverse("admin:calendars_calendaroverride_change", args=[override.pk]),
        {"date": "2026-11-25", "branch": msk.pk, "note": "After"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.for_target(override).get().changes == {"note": ["Before", "After"]}


def test_deleting_in_the_admin_leaves_an_audit_entry(admin_client, admin_user, msk):
    override = CalendarOverrideFactory(date=date(2026, 11, 25), branch=msk)
    response = admin_client.post(
        reverse("admin:calendars_calendaroverride_delete", args=[override.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_id) == (admin_user, "calendar.override_deleted", override.pk)


def test_the_bulk_delete_action_audits_every_override(admin_client, msk):
    overrides = [CalendarOverrideFactory(branch=msk), CalendarOverrideFactory(branch=None)]
    response = admin_client.post(
        reverse("admin:calendars_calendaroverride_changelist"),
        {"action": "delete_selected", "_selected_action": [o.pk for o in overrides], "post": "yes"},
    )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEntry.objects.filter(action="calendar.override_deleted").count() == 2


def test_the_changelist_links_to_the_preview(admin_client, msk, django_assert_max_num_queries):
    for _ in range(3):
        CalendarOverrideFactory(branch=msk)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:calendars_calendaroverride_changelist"))
    page = response.content.decode()
    assert PREVIEW in page
    assert "Preview calendars" in page
    assert "?branch__isnull=True" in page


def test_the_changelist_filters_the_all_branches_overrides(admin_client, msk):
    CalendarOverrideFactory(branch=msk, note="Moscow only")
    CalendarOverrideFactory(branch=None, note="Everywhere")
    page = admin_client.get(reverse("admin:calendars_calendaroverride_changelist"), {"branch__isnull": "True"})
    assert "Everywhere" in page.content.decode()
    assert "Moscow only" not in page.content.decode()


# --- the preview page ----------------------------------------------------------------------------


def test_the_preview_names_holidays_in_the_reader_s_language(admin_client, admin_user, msk):
    admin_user.language = "ru"
    admin_user.save(update_fields=["language"])
    page = admin_client.get(PREVIEW, {"branch": msk.pk, "month": "2026-01"}).content.decode()
    assert "Новогодние каникулы" in page and "Выходной (перенесено с 03.01.2026)" in page


def test_the_preview_marks_every_kind_of_day(admin_client, msk):
    CalendarOverrideFactory(date=date(2026, 1, 14), branch=msk, is_working=False, note="Office move")
    CalendarOverrideFactory(
        date=date(2026, 1, 18), branch=None, is_working=True, opens=time(10), closes=time(16), note="Stock-taking"
    )
    response = admin_client.get(PREVIEW, {"branch": msk.pk, "month": "2026-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert cell(page, "2026-01-01", "holiday")
    assert cell(page, "2026-01-09", "holiday")
    assert "Day off (substituted from 03.01.2026)" in page, "the date as the product writes dates"
    assert cell(page, "2026-01-12", "working")
    assert "09:00–18:00" in page
    assert cell(page, "2026-01-17", "weekend")
    assert cell(page, "2026-01-14", "override_off")
    assert "Office move" in page
    assert cell(page, "2026-01-18", "override_working")
    assert "10:00–16:00" in page
    assert "Stock-taking" in page
    assert f"?branch={msk.pk}&amp;month=2025-12" in page
    assert f"?branch={msk.pk}&amp;month=2026-02" in page
    # The grid starts on Monday: 1 January 2026 is a Thursday, after three empty cells.
    assert page.index('<th scope="col">Mon</th>') < page.index('<th scope="col">Sun</th>')
    assert page.count('class="day-outside"') == 3 + 1  # 29–31 December and 1 February


def test_the_preview_shows_a_transferred_saturday(admin_client, msk):
    page = admin_client.get(PREVIEW, {"branch": msk.pk, "month": "2027-02"}).content.decode()
    assert cell(page, "2027-02-20", "transferred_working")
    assert cell(page, "2027-02-22", "holiday")


def test_the_preview_lets_you_pick_another_branch(admin_client, msk, bud):
    page = admin_client.get(PREVIEW, {"branch": bud.pk, "month": "2026-08"}).content.decode()
    assert f'<option value="{msk.pk}">' in page
    assert f'<option value="{bud.pk}" selected>' in page
    assert cell(page, "2026-08-08", "transferred_working")
    assert cell(page, "2026-08-20", "holiday")


def test_the_preview_defaults_to_the_first_branch_and_its_current_month(client, admin_user, msk):
    with time_machine.travel("2026-11-30 22:30Z", tick=False):  # already 1 December in Moscow
        client.force_login(admin_user)
        page = client.get(PREVIEW).content.decode()
    assert "December 2026" in page
    assert cell(page, "2026-12-31", "holiday")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"branch": "999999"}, "There is no branch with this id."),
        ({"branch": "garbage"}, "There is no branch with this id."),
        ({"month": "2026-13"}, "is not a month"),
        ({"month": "garbage"}, "is not a month"),
        ({"month": "0001-01"}, "Choose a month between"),
    ],
)
def test_bad_parameters_give_a_message_not_an_error(admin_client, msk, params, message):
    response = admin_client.get(PREVIEW, params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "data-kind" not in page


def test_the_preview_needs_the_view_permission(client, msk):
    staff = UserFactory(username="plain-staff", is_staff=True)
    client.force_login(staff)
    assert client.get(PREVIEW, {"branch": msk.pk}).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_calendaroverride"))
    assert client.get(PREVIEW, {"branch": msk.pk}).status_code == 200


def test_the_preview_is_closed_to_non_staff(client, operator, msk):
    client.force_login(operator)
    response = client.get(PREVIEW, {"branch": msk.pk})
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_preview_costs_the_same_for_any_number_of_overrides(admin_client, msk, django_assert_max_num_queries):
    for day in range(1, 29):
        CalendarOverrideFactory(date=date(2026, 2, day), branch=msk if day % 2 else None)
    admin_client.get(PREVIEW, {"branch": msk.pk, "month": "2026-01"})  # the set-up read once (reference cache)
    with django_assert_max_num_queries(8):
        response = admin_client.get(PREVIEW, {"branch": msk.pk, "month": "2026-02"})
    assert response.content.decode().count('data-kind="override_off"') == 28


# --- the list: filters, search, cost, autocomplete ----------------------------------------------------------


def add_overrides(msk=None):
    CalendarOverrideFactory(branch=None, note="Decree 1")
    CalendarOverrideFactory(branch=msk, is_working=True, opens=time(10), closes=time(16), note="Stock-taking")


def test_every_list_filter_opens_and_matches(admin_client, msk):
    add_overrides(msk)
    assert pages.follow_every_filter(admin_client, CalendarOverride) > 0


def test_the_list_costs_the_same_for_more_rows(admin_client, msk):
    pages.assert_cost_does_not_grow(admin_client, CalendarOverride, lambda: add_overrides(msk))


def test_overrides_are_found_by_their_note(admin_client, msk):
    add_overrides(msk)
    found = pages.shown(admin_client.get(pages.changelist(CalendarOverride), {"q": "stock"}))
    assert [override.branch for override in found] == [msk]


def test_the_branch_is_chosen_by_autocomplete(admin_client, msk, ekb):
    assert 'data-field-name="branch"' in admin_client.get(pages.add_page(CalendarOverride)).content.decode()
    assert pages.autocomplete(admin_client, CalendarOverride, "branch", "Yekat") == [str(ekb)]
