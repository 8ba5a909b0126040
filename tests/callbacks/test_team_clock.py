"""Whose hours count: a callback's clock counts in its team's schedule (frozen time)."""

from datetime import time

import pytest
import time_machine
from django.urls import reverse

from callbacks.due import callback_team, due_explanation
from contactcenter.audit.models import AuditEntry
from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.deadlines.models import Deadline
from contactcenter.directory.models import Team, TeamHours
from tests.factories import CallbackReasonFactory, UserFactory
from tests.moments import moscow

FRIDAY_17_29 = moscow(2026, 11, 20, 17, 29)


def clock_of(callback):
    return Deadline.objects.for_case(callback).open().get()


@pytest.fixture
def within_the_hour(reason):
    """The default "asked to be called back": one hour, counted in working hours since migration 0005."""
    assert (reason.due_after, reason.unit, reason.basis) == (1, "hours", "business")
    return reason


@pytest.fixture
def day_team(msk, operator):
    """A contact-centre team working 09:00–18:00 on weekdays, as the branch does, in its own schedule."""
    team = Team.objects.create(branch=msk, name="Day shift", schedule=Team.Schedule.OWN, takes_branch_queue=True)
    for weekday in range(5):
        TeamHours.objects.create(team=team, weekday=weekday, opens=time(9), closes=time(18))
    team.members.add(operator)
    return team


@pytest.fixture
def round_the_clock(msk):
    return Team.objects.create(branch=msk, name="Night and day", schedule=Team.Schedule.AROUND_THE_CLOCK)


@time_machine.travel(FRIDAY_17_29, tick=False)
def test_within_the_hour_at_friday_17_29_is_due_monday_09_29(register, within_the_hour, day_team, operator, msk):
    callback = register(assigned_to=operator)
    clock = clock_of(callback)
    assert clock.due_at == moscow(2026, 11, 23, 9, 29)
    assert clock.team == day_team
    explained = due_explanation(reason=within_the_hour, branch=msk, operator=operator, now=FRIDAY_17_29, tz=msk.tz)
    assert explained["due_at"] == "2026-11-23T09:29:00+03:00"
    assert explained["text"].startswith("Due Mon 23.11.2026 09:29 (1 business hour).")
    assert "Day shift closes at 18:00" in explained["text"]


@time_machine.travel(moscow(2026, 11, 20, 17, 55), tick=False)
def test_within_the_hour_five_minutes_before_closing_has_55_minutes_after_the_next_opening(
    register, within_the_hour, day_team
):
    callback = register()  # the branch queue: the queue team's hours
    assert clock_of(callback).due_at == moscow(2026, 11, 23, 9, 55)


@time_machine.travel(FRIDAY_17_29, tick=False)
def test_a_team_working_round_the_clock_promises_18_29(register, within_the_hour, round_the_clock, operator, msk):
    round_the_clock.members.add(operator)
    callback = register(assigned_to=operator)
    assert clock_of(callback).due_at == moscow(2026, 11, 20, 18, 29)
    explained = due_explanation(reason=within_the_hour, branch=msk, operator=operator, now=FRIDAY_17_29, tz=msk.tz)
    assert "closes" not in explained["text"]


def test_round_the_clock_works_through_holidays_and_nights(round_the_clock):
    calendar = BusinessCalendar.for_team(round_the_clock)
    new_year = moscow(2027, 1, 1, 3, 0)
    assert calendar.add_business_hours(new_year, 2) == moscow(2027, 1, 1, 5, 0)
    assert calendar.add_business_days(new_year, 1) == moscow(2027, 1, 3, 0, 0)
    assert calendar.is_working_at(new_year)


def test_a_team_with_longer_weekday_and_weekend_shifts(msk):
    team = Team.objects.create(branch=msk, name="Long shifts", schedule=Team.Schedule.OWN)
    for weekday in range(7):
        opens, closes = (time(8), time(22)) if weekday < 5 else (time(9), time(20))
        TeamHours.objects.create(team=team, weekday=weekday, opens=opens, closes=closes)
    calendar = BusinessCalendar.for_team(team)
    # Friday 21:30 plus an hour: 30 minutes on Friday, 30 from Saturday's 09:00.
    assert calendar.add_business_hours(moscow(2026, 11, 20, 21, 30), 1) == moscow(2026, 11, 21, 9, 30)
    # The branch's public holiday is the team's too: 4 November 2026 is a day off, and its eve is shortened
    # (the team closes at 21:00 on 3 November): one hour asked at 21:30 is Thursday 08:00–09:00.
    assert calendar.hours_on(moscow(2026, 11, 3, 0, 0).date()) == (time(8), time(21))
    assert calendar.add_business_hours(moscow(2026, 11, 3, 21, 30), 1) == moscow(2026, 11, 5, 9, 0)


def test_which_team_a_callback_belongs_to(msk, operator, day_team):
    other = Team.objects.create(branch=msk, name="Complaints desk")
    stranger = UserFactory(username="op2", role="Operator", branches=[msk])
    other.members.add(stranger)
    assert callback_team(branch=msk, operator=operator) == day_team
    assert callback_team(branch=msk, operator=stranger) == other
    assert callback_team(branch=msk, operator=None) == day_team  # the queue team
    day_team.takes_branch_queue = False
    day_team.save()
    assert callback_team(branch=msk, operator=None) is None  # the branch's own hours


@time_machine.travel(FRIDAY_17_29, tick=False)
def test_without_a_team_the_branchs_hours_count(register, within_the_hour):
    clock = clock_of(register())
    assert (clock.due_at, clock.team) == (moscow(2026, 11, 23, 9, 29), None)


@time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False)
def test_a_changed_team_schedule_moves_its_open_clocks(admin_client, register, within_the_hour, day_team, operator):
    reason = CallbackReasonFactory(code="two_days", due_after=16, unit="hours", basis="business")
    callback = register(assigned_to=operator, reason=reason)
    assert clock_of(callback).due_at == moscow(2026, 11, 24, 17, 0)  # 8 h Monday, 8 h Tuesday (9 h days)
    change = reverse("admin:directory_team_change", args=[day_team.pk])
    rows = list(day_team.hours.order_by("weekday"))
    data = {
        "branch": day_team.branch_id,
        "name": day_team.name,
        "members": [operator.pk],
        "schedule": "own",
        "takes_branch_queue": "on",
        "hours-TOTAL_FORMS": str(len(rows)),
        "hours-INITIAL_FORMS": str(len(rows)),
    }
    for number, row in enumerate(rows):
        data |= {
            f"hours-{number}-id": row.pk,
            f"hours-{number}-team": day_team.pk,
            f"hours-{number}-weekday": row.weekday,
            f"hours-{number}-opens": "08:00",
            f"hours-{number}-closes": "22:00",
        }
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    # 12 h on Monday from 10:00 to 22:00, 4 more from Tuesday's 08:00.
    assert clock_of(callback).due_at == moscow(2026, 11, 24, 12, 0)
    assert AuditEntry.objects.for_target(day_team).filter(action="team.schedule_changed").exists()
    assert AuditEntry.objects.filter(action="clock.recomputed").exists()


def test_a_team_on_its_own_schedule_needs_hours(admin_client, msk):
    response = admin_client.post(
        reverse("admin:directory_team_add"),
        {"branch": msk.pk, "name": "Empty", "schedule": "own", "hours-TOTAL_FORMS": "0", "hours-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "needs the hours of at least one working day" in response.content.decode()
    assert not Team.objects.filter(name="Empty").exists()


def test_the_calendar_preview_shows_a_teams_schedule(admin_client, msk, round_the_clock):
    preview = reverse("admin:calendars_calendaroverride_preview")
    link = admin_client.get(reverse("admin:directory_team_change", args=[round_the_clock.pk])).content.decode()
    assert f"team={round_the_clock.pk}" in link
    page = admin_client.get(preview, {"branch": msk.pk, "team": round_the_clock.pk, "month": "2026-11"})
    text = page.content.decode()
    assert 'data-date="2026-11-04" data-kind="working"' in text
    assert "00:00–24:00" in text
    assert "Night and day" in text


# --- the registration form says it before saving -------------------------------------------------


@time_machine.travel(FRIDAY_17_29, tick=False)
def test_the_form_asks_when_it_would_be_due(client, within_the_hour, day_team, operator, msk):
    client.force_login(operator)
    url = reverse("callbacks:due-preview")
    response = client.get(url, {"branch": msk.pk, "reason": within_the_hour.pk, "assigned_to": operator.pk})
    assert response.status_code == 200
    data = response.json()
    assert data["due_at"] == "2026-11-23T09:29:00+03:00"
    assert "closes at 18:00" in data["text"]
    assert client.get(url, {"branch": msk.pk, "reason": 999999}).status_code == 400
    assert not Deadline.objects.exists(), "a preview writes nothing"
    page = client.get(reverse("callbacks:create")).content.decode()
    assert 'id="due-preview"' in page and "js/callback-form.js" in page


def test_the_preview_is_for_those_who_may_register_callbacks_in_the_branch(client, within_the_hour, msk, bud):
    url = reverse("callbacks:due-preview")
    outsider = UserFactory(username="bud-op", role="Operator", branches=[bud])
    client.force_login(outsider)
    assert client.get(url, {"branch": msk.pk, "reason": within_the_hour.pk}).status_code == 400
    client.force_login(UserFactory(username="nobody"))
    assert client.get(url, {"branch": msk.pk, "reason": within_the_hour.pk}).status_code == 403


@time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False)
def test_a_customers_time_in_the_lunch_break_needs_a_confirmation(register, msk):
    from django.core.exceptions import ValidationError

    msk.working_hours.update(break_starts=time(13), break_ends=time(14))
    with pytest.raises(ValidationError) as refused:
        register(window_start=moscow(2026, 11, 23, 13, 30))
    assert "outside" in str(refused.value)
    assert not Deadline.objects.exists()
    callback = register(window_start=moscow(2026, 11, 23, 13, 30), confirm_outside_hours=True)
    assert clock_of(callback).due_at == moscow(2026, 11, 23, 13, 30)
    assert clock_of(register(window_start=moscow(2026, 11, 23, 14, 0))).due_at == moscow(2026, 11, 23, 14, 0)
