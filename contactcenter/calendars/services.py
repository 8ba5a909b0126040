"""Changes to the calendar: each one transaction with its audit entry and its change notification."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction

from contactcenter.audit.services import record_audit
from contactcenter.directory.models import Branch
from contactcenter.hooks import Hook

from .models import CalendarOverride, CalendarRegion

OVERRIDE_FIELDS = ("date", "branch", "region", "is_working", "opens", "closes", "note")

# Sent inside the transaction of every calendar change, so that what depends on the calendar (deadlines) is
# recomputed together with it or not at all. ``branch`` is None when an all-branches override changed (or a
# region's: its branches' clocks are among all branches', and those whose due moment does not move stay).
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


def region_calendar_basis(region: CalendarRegion) -> dict:
    """What a region adds to its branches' calendars, as plain values: compared before and after a change."""
    if region.pk is None:
        return {"branches": {}, "holidays": {}}
    # Read from the database, never from a prefetch that the admin made before the change.
    return {
        "branches": {branch.pk: branch for branch in Branch.objects.filter(calendar_regions=region)},
        "holidays": {
            row.date: (row.is_working, row.opens, row.closes) for row in CalendarOverride.objects.filter(region=region)
        },
    }


def region_calendar_changed(*, region: CalendarRegion, before: dict) -> None:
    """A region's days off or branches changed (the admin audits the edit itself): the branches that joined or
    left hear of every date, the others of the dates that changed, so that their clocks are computed again."""
    after = region_calendar_basis(region)
    kept = before["branches"].keys() & after["branches"].keys()
    for key in before["branches"].keys() ^ after["branches"].keys():
        recompute_after_basis_change((before["branches"] | after["branches"])[key])
    moved = {
        day
        for day in before["holidays"].keys() | after["holidays"].keys()
        if before["holidays"].get(day) != after["holidays"].get(day)
    }
    for key in kept:
        if moved:
            on_calendar_changed(after["branches"][key], moved)
