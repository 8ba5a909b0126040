from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from contactcenter.audit.models import AuditEntry
from contactcenter.calendars import services
from contactcenter.calendars.models import CalendarOverride
from tests.calendars.factories import CalendarOverrideFactory


@pytest.fixture
def calendar_changes():
    """The (branch, dates) calls that the deadlines app receives too."""
    calls = []
    with services.calendar_changed.connected(lambda branch, dates: calls.append((branch, dates)), order=1000):
        yield calls


def test_creating_an_override_is_audited_and_announced(msk, admin_user, calendar_changes):
    override = CalendarOverride(date=date(2026, 11, 22), branch=msk, is_working=True, opens=time(10), closes=time(16))
    services.override_save(override=override, by=admin_user)

    entry = AuditEntry.objects.for_target(override).get()
    assert (entry.actor, entry.action, entry.branch) == (admin_user, "calendar.override_saved", msk)
    assert entry.changes == {
        "date": [None, "2026-11-22"],
        "branch": [None, str(msk)],
        "is_working": [None, "True"],
        "opens": [None, "10:00:00"],
        "closes": [None, "16:00:00"],
        "note": [None, ""],
    }
    assert calendar_changes == [(msk, [date(2026, 11, 22)])]


def test_changing_an_override_records_only_what_changed(msk, admin_user, calendar_changes):
    override = CalendarOverrideFactory(date=date(2026, 11, 25), branch=msk, note="Old note")
    override.note = "Office move, decree 12"
    override.date = date(2026, 11, 26)
    services.override_save(override=override, by=admin_user)

    entry = AuditEntry.objects.for_target(override).get()
    assert entry.changes == {
        "date": ["2026-11-25", "2026-11-26"],
        "note": ["Old note", "Office move, decree 12"],
    }
    assert calendar_changes == [(msk, [date(2026, 11, 25), date(2026, 11, 26)])]


def test_moving_an_override_to_all_branches_tells_both(msk, admin_user, calendar_changes):
    override = CalendarOverrideFactory(date=date(2026, 11, 25), branch=msk)
    override.branch = None
    services.override_save(override=override, by=admin_user)
    assert sorted(calendar_changes, key=lambda call: call[0] is None) == [
        (msk, [date(2026, 11, 25)]),
        (None, [date(2026, 11, 25)]),
    ]


def test_saving_without_a_change_writes_no_entry(msk, admin_user, calendar_changes):
    override = CalendarOverrideFactory(date=date(2026, 11, 25), branch=msk)
    services.override_save(override=override, by=admin_user)
    assert not AuditEntry.objects.exists()
    assert calendar_changes == []


def test_an_invalid_override_is_refused_and_nothing_is_written(msk, admin_user, calendar_changes):
    with pytest.raises(ValidationError):
        services.override_save(override=CalendarOverride(date=date(2026, 11, 25), is_working=True), by=admin_user)
    assert not CalendarOverride.objects.exists()
    assert not AuditEntry.objects.exists()


def test_deleting_an_override_keeps_what_it_said(msk, admin_user, calendar_changes):
    override = CalendarOverrideFactory(date=date(2026, 11, 25), branch=None, note="City-wide closure")
    pk = override.pk
    services.override_delete(override=override, by=admin_user)

    assert not CalendarOverride.objects.exists()
    entry = AuditEntry.objects.get(action="calendar.override_deleted")
    assert (entry.object_id, entry.actor, entry.branch) == (pk, admin_user, None)
    assert entry.changes["note"] == ["City-wide closure", None]
    assert "all branches" in entry.target_repr
    assert calendar_changes == [(None, [date(2026, 11, 25)])]


def test_a_failing_handler_undoes_the_change_and_its_audit_entry(msk, admin_user):
    def refuse(branch, dates):
        raise RuntimeError("recompute failed")

    with services.calendar_changed.connected(refuse, order=1000), pytest.raises(RuntimeError):
        services.override_save(override=CalendarOverride(date=date(2026, 11, 25), branch=msk), by=admin_user)
    assert not CalendarOverride.objects.exists()
    assert not AuditEntry.objects.exists()
