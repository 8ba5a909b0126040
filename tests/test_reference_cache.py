"""The reference cache (``contactcenter.reference_cache``): a cached calendar, team, policy or reason is used only
while nothing changed the tables it was read from, whatever wrote them; and every table it reads carries the
triggers that say so."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from callbacks.due import callback_calendar
from callbacks.models import CallbackReason
from contactcenter import reference_cache
from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.calendars.models import CalendarOverride, CalendarRegion
from contactcenter.deadlines.models import ClockPolicy
from contactcenter.deadlines.services import _policy
from contactcenter.directory.models import Team, TeamHours, WorkingHours
from tests.factories import BranchFactory, CallbackReasonFactory, ClockPolicyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)


def monday_hours(calendar: BusinessCalendar):
    return calendar.weekly_hours.get(0)


def test_a_second_lookup_reads_only_the_token(msk):
    BusinessCalendar.for_branch(msk)
    with CaptureQueriesContext(connection) as queries:
        calendar = BusinessCalendar.for_branch(msk)
    assert [query["sql"] for query in queries] == [f"SELECT token FROM {reference_cache.TABLE} WHERE id = 1"]
    assert monday_hours(calendar) == (time(9), time(18))


@pytest.mark.parametrize("how", ["save", "queryset update", "raw SQL", "delete"])
def test_working_hours_changed_in_any_way_end_the_cached_calendar(msk, how):
    assert monday_hours(BusinessCalendar.for_branch(msk)) == (time(9), time(18))
    row = WorkingHours.objects.get(branch=msk, weekday=0)
    if how == "save":
        row.closes = time(17)
        row.save()
    elif how == "queryset update":
        WorkingHours.objects.filter(pk=row.pk).update(closes=time(17))
    elif how == "raw SQL":
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {WorkingHours._meta.db_table} SET closes = %s WHERE id = %s", ["17:00:00", row.pk])
    else:
        row.delete()
    expected = None if how == "delete" else (time(9), time(17))
    assert monday_hours(BusinessCalendar.for_branch(msk)) == expected


def test_an_override_and_a_region_end_the_cached_calendar(msk):
    assert BusinessCalendar.for_branch(msk).is_business_day(MONDAY)
    CalendarOverride.objects.create(branch=msk, date=MONDAY, is_working=False, note="Storm")
    assert not BusinessCalendar.for_branch(msk).is_business_day(MONDAY)
    tuesday = date(2026, 12, 8)
    region = CalendarRegion.objects.create(name="Tatarstan")
    CalendarOverride.objects.create(region=region, date=tuesday, is_working=False, note="Regional day")
    assert BusinessCalendar.for_branch(msk).is_business_day(tuesday)
    region.branches.add(msk)  # the m2m table alone
    assert not BusinessCalendar.for_branch(msk).is_business_day(tuesday)


def test_a_change_rolled_back_is_never_taken_for_the_set_up(msk):
    assert monday_hours(BusinessCalendar.for_branch(msk)) == (time(9), time(18))

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        WorkingHours.objects.filter(branch=msk, weekday=0).update(closes=time(12))
        # Inside the transaction that made it, the change is what its own reads see.
        assert monday_hours(BusinessCalendar.for_branch(msk)) == (time(9), time(12))
        raise Undo
    assert monday_hours(BusinessCalendar.for_branch(msk)) == (time(9), time(18))
    # A later change of the same row gets a token of its own, never the rolled-back one.
    WorkingHours.objects.filter(branch=msk, weekday=0).update(closes=time(12))
    assert monday_hours(BusinessCalendar.for_branch(msk)) == (time(9), time(12))


def test_an_unsaved_change_of_the_branch_is_not_served_from_the_cache(msk):
    assert BusinessCalendar.for_branch(msk).tz.key == "Europe/Moscow"
    msk.time_zone = "Asia/Yekaterinburg"  # a form's preview, say: not saved
    assert BusinessCalendar.for_branch(msk).tz.key == "Asia/Yekaterinburg"


def test_a_team_its_members_and_its_hours_end_the_cached_callback_calendar(msk):
    operator = UserFactory(role="Operator", branches=[msk])
    assert callback_calendar(branch=msk, operator=operator)[1] is None
    team = TeamFactory(branch=msk, name="Evening", schedule=Team.Schedule.OWN)
    assert callback_calendar(branch=msk, operator=operator)[1] is None
    team.members.add(operator)
    calendar, found = callback_calendar(branch=msk, operator=operator)
    assert found == team and monday_hours(calendar) is None  # its own schedule, no hours yet
    TeamHours.objects.create(team=team, weekday=0, opens=time(14), closes=time(22))
    assert monday_hours(callback_calendar(branch=msk, operator=operator)[0]) == (time(14), time(22))
    team.members.remove(operator)
    assert callback_calendar(branch=msk, operator=operator)[1] is None


def test_the_cached_team_is_a_copy_of_its_own_with_its_own_branch(msk):
    team = TeamFactory(branch=msk, takes_branch_queue=True)
    first = callback_calendar(branch=msk, operator=None)[1]
    first.name = "Changed by a caller"
    first.branch.name = "Changed too"
    second = callback_calendar(branch=msk, operator=None)[1]
    assert second.name == team.name and second.branch.name == msk.name


def test_a_team_s_hours_prefetched_before_a_change_are_never_kept(msk):
    team = TeamFactory(branch=msk, schedule=Team.Schedule.OWN)
    TeamHours.objects.create(team=team, weekday=0, opens=time(8), closes=time(20))
    stale = Team.objects.select_related("branch").prefetch_related("hours").get(pk=team.pk)
    TeamHours.objects.filter(team=team).update(closes=time(16))
    assert monday_hours(BusinessCalendar.for_team(stale)) == (time(8), time(16))


def token() -> str:
    return reference_cache.current_token()


def test_noting_a_login_or_an_api_client_s_use_leaves_the_cached_values(msk):
    """Both happen in ordinary work and set one column nothing cached depends on: they must neither end every
    cached value nor wait for an administrator's edit of the set-up (the token row's lock)."""
    from django.contrib.auth.models import update_last_login
    from django.utils import timezone

    from api.models import ApiClient
    from api.services import api_client_create

    client, _token = api_client_create(name="quiet", branches=[msk], scopes=["callbacks:write"], by=None)
    person = UserFactory(role="Operator", branches=[msk])
    before = token()
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    update_last_login(None, person)
    assert token() == before
    ApiClient.objects.filter(pk=client.pk).update(revoked_at=timezone.now())
    assert token() != before
    after_revocation = token()
    person.first_name = "Renamed"
    person.save()  # every column: the account's data may be cached
    assert token() != after_revocation


def update_trigger_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = %s AND t.tgname LIKE 'refgen_%%'",
                [table],
            )
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name LIKE 'refgen_%%'",
                [table],
            )
        definitions = [row[0] for row in cursor.fetchall()]
    [listed] = [re.search(r"UPDATE OF (.+?) ON", text).group(1) for text in definitions if "UPDATE OF" in text]
    return {column.strip().strip('"') for column in listed.split(",")}


@pytest.mark.parametrize(
    ("model_path", "quiet"),
    [("api.models.ApiClient", "last_used_at"), ("contactcenter.directory.models.User", "last_login")],
)
def test_every_column_but_the_busy_one_ends_the_cached_values(model_path, quiet):
    """A column added to these tables must be added to their update triggers (a migration calling
    ``generation_triggers_on_update_of``), or a change of it would not reach the cached client or account."""
    from django.utils.module_loading import import_string

    model = import_string(model_path)
    columns = {field.column for field in model._meta.concrete_fields}
    assert update_trigger_columns(model._meta.db_table) == columns - {quiet}


def test_a_policy_changed_or_added_is_read_again(db):
    with pytest.raises(Exception, match="No clock policy"):
        _policy("cache_test")
    ClockPolicyFactory(kind="cache_test", warn_share=0.75)
    assert _policy("cache_test").warn_share == 0.75
    ClockPolicy.objects.filter(kind="cache_test").update(warn_share=0.5)
    assert _policy("cache_test").warn_share == 0.5


def test_a_reason_switched_off_is_refused_by_the_api_at_once(db):
    from api.serializers import CallbackCreate

    reason = CallbackReasonFactory(code="cache_reason")
    field = CallbackCreate().fields["reason"]
    assert field.to_internal_value("cache_reason") == reason
    CallbackReason.objects.filter(pk=reason.pk).update(is_active=False)
    with pytest.raises(Exception, match="does not exist"):
        field.to_internal_value("cache_reason")


TABLES_READ = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE 'refgen_%%'"
            )
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'refgen_%'")
        return {row[0] for row in cursor.fetchall()}


def test_every_table_a_cached_value_is_read_from_carries_the_triggers(msk):
    """A table read while a cached value is computed but missing from the triggers would let the value outlive a
    change of it: each computation runs cold, its queries captured, and every table they read must be triggered."""
    from api import scopes
    from api.models import ApiClient
    from api.serializers import CallbackCreate
    from api.services import api_client_create
    from api.webhooks.events import Audience
    from api.webhooks.subscriptions import subscription_create

    operator = UserFactory(role="Operator", branches=[msk])
    own = TeamFactory(branch=msk, schedule=Team.Schedule.OWN, takes_branch_queue=True)
    own.members.add(operator)
    CalendarRegion.objects.create(name="Region").branches.add(msk)
    ClockPolicyFactory(kind="cache_tables")
    CallbackReasonFactory(code="cache_tables")
    client, _token = api_client_create(name="cache", branches=[msk], scopes=[scopes.EVENTS_SUBSCRIBE], by=None)
    subscription_create(client=client, target_url="https://receiver.example/hook", events=["case.created"], by=None)
    computations = [
        lambda: BusinessCalendar.for_branch(msk),
        lambda: BusinessCalendar.for_team(own),
        lambda: callback_calendar(branch=msk, operator=operator),
        lambda: callback_calendar(branch=msk, operator=None),
        lambda: _policy("cache_tables"),
        lambda: CallbackCreate().fields["reason"].to_internal_value("cache_tables"),
        lambda: Audience(["case.created"]),
        lambda: ApiClient.objects.authenticating(client.token_lookup),
        lambda: ApiClient.objects.authenticating("no-such-lookup"),
    ]
    read = set()
    for compute in computations:
        reference_cache.clear()
        with CaptureQueriesContext(connection) as queries:
            compute()
        read |= {table for query in queries for table in TABLES_READ.findall(query["sql"])}
    read.discard(reference_cache.TABLE)
    assert read, "the computations read no table: the capture is broken"
    assert read <= set(reference_cache.REFERENCE_TABLES), read - set(reference_cache.REFERENCE_TABLES)
    assert set(reference_cache.REFERENCE_TABLES) <= triggered_tables()


def test_without_the_token_row_nothing_is_cached(msk):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {reference_cache.TABLE}")
    BusinessCalendar.for_branch(msk)
    with CaptureQueriesContext(connection) as queries:
        BusinessCalendar.for_branch(msk)
    assert len(queries) > 1  # read afresh


def test_a_branch_built_in_memory_is_never_cached(db):
    branch = BranchFactory.build(code="NEW")
    with CaptureQueriesContext(connection) as queries:
        BusinessCalendar.for_branch(branch, weekly_hours={0: (time(9), time(18))}, overrides={})
    assert len(queries) == 0
