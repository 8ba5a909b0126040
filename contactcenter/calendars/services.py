"""Changes to the calendar: each one transaction with its audit entry and its change notification."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction

from contactcenter.audit.services import record_audit
from contactcenter.hooks import Hook

from .models import CalendarOverride

OVERRIDE_FIELDS = ("date", "branch", "is_working", "opens", "closes", "note")

# Sent inside the transaction of every calendar change, so that what depends on the calendar (deadlines) is
# recomputed together with it or not at all. ``branch`` is None when an all-branches override changed.
calendar_changed = Hook("calendars.services.calendar_changed", arguments="branch: Branch | None, dates: list[date]")


def on_calendar_changed(branch, dates: Iterable[date]) -> None:
    """Tell every receiver that these dates of this branch (None: all branches) changed."""
    calendar_changed.send(branch, sorted(set(dates)))


# A change of weekly hours or time zone touches every day; the handlers test each clock's own span
# against the dates they are given, so these bounds mean "every open clock of the branch".
BASIS_CHANGE_REACH = timedelta(days=3 * 366)


def recompute_after_basis_change(branch) -> None:
    """The branch's hours, zone or country changed: every date of its calendar may have changed."""
    today = branch.local_now().date()
    on_calendar_changed(branch, [today - BASIS_CHANGE_REACH, today + BASIS_CHANGE_REACH])


def _values(override: CalendarOverride | None) -> dict:
    if override is None:
        return dict.fromkeys(OVERRIDE_FIELDS)
    return {name: getattr(override, name) for name in OVERRIDE_FIELDS}


def _plain(value):
    return None if value is None else str(value)


def _changes(before: dict, after: dict) -> dict:
    return {
        name: [_plain(before[name]), _plain(after[name])] for name in OVERRIDE_FIELDS if before[name] != after[name]
    }


def _notify(*overrides: CalendarOverride | None) -> None:
    """Call the hook once per affected branch: a moved override changes its old and its new day."""
    dates_by_branch = defaultdict(set)
    branches = {}
    for override in overrides:
        if override is not None:
            branches[override.branch_id] = override.branch
            dates_by_branch[override.branch_id].add(override.date)
    for branch_id, dates in dates_by_branch.items():
        on_calendar_changed(branches[branch_id], dates)


def override_save(*, override: CalendarOverride, by) -> CalendarOverride:
    """Create or change an override; validates it, records what changed, notifies the calendar's users."""
    override.full_clean()
    with transaction.atomic():
        before = None
        if override.pk is not None:
            before = CalendarOverride.objects.select_for_update().filter(pk=override.pk).order_by("pk").first()
        changes = _changes(_values(before), _values(override))
        override.save()
        if before is None or changes:
            record_audit(actor=by, action="calendar.override_saved", target=override, changes=changes)
            _notify(before, override)
    return override


def override_delete(*, override: CalendarOverride, by) -> None:
    """Delete an override, recording what it said, and notify the calendar's users."""
    with transaction.atomic():
        record_audit(
            actor=by,
            action="calendar.override_deleted",
            target=override,
            changes=_changes(_values(override), _values(None)),
        )
        override.delete()
        _notify(override)
