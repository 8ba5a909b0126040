"""``manage.py business_days``: in-process through call_command, and as a script through a subprocess.

The subprocess cannot see the test database, so it gets its own SQLite file in a temporary VAR_DIR,
migrated once for the module and holding one Moscow branch.
"""

import io
import os
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from contactcenter.audit.models import AuditEntry
from contactcenter.calendars.models import CalendarOverride
from tests.calendars.factories import CalendarOverrideFactory

MANAGE = Path(settings.BASE_DIR) / "manage.py"

SEED = """
from datetime import time
from contactcenter.directory.models import Branch, WorkingHours
branch = Branch.objects.create(code="MSK", name="Moscow", time_zone="Europe/Moscow", country="RU")
for weekday in range(5):
    WorkingHours.objects.create(branch=branch, weekday=weekday, opens=time(9), closes=time(18))
"""


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("business_days", *args, stdout=out)
    return out.getvalue()


# --- in process ----------------------------------------------------------------------------------


def test_add_prints_the_closing_time_of_the_nth_business_day(msk):
    assert run("--branch", "MSK", "--from", "2026-11-20T15:00", "--add", "10") == "2026-12-04T18:00:00+03:00\n"


def test_next_at_prints_the_next_business_morning(msk):
    assert run("--branch", "msk", "--from", "2026-11-20T15:00", "--next-at", "11:00") == "2026-11-23T11:00:00+03:00\n"


def test_a_moment_with_an_offset_is_converted_to_the_branch_zone(msk):
    # 22:30 in Yekaterinburg on Monday is 20:30 in Moscow: still Monday there.
    output = run("--branch", "MSK", "--from", "2026-11-23T22:30+05:00", "--next-at", "09:30")
    assert output == "2026-11-24T09:30:00+03:00\n"


def test_month_lists_the_working_days_one_a_line(msk):
    CalendarOverrideFactory(date=date(2026, 1, 31), branch=msk, is_working=True, opens=time(10), closes=time(15))
    lines = run("--branch", "MSK", "--month", "2026-01").splitlines()
    assert lines[0] == "2026-01-12"
    assert lines[-1] == "2026-01-31"
    assert len(lines) == 16


def test_a_country_and_zone_without_a_branch_use_monday_to_friday_and_all_branches_overrides(msk):
    CalendarOverrideFactory(date=date(2026, 11, 23), branch=None, is_working=False)
    CalendarOverrideFactory(date=date(2026, 11, 24), branch=msk, is_working=False)
    output = run("--country", "ru", "--tz", "Asia/Yekaterinburg", "--from", "2026-11-20T15:00", "--next-at", "11:00")
    assert output == "2026-11-24T11:00:00+05:00\n"
    assert run("--country", "DE", "--subdiv", "BY", "--tz", "Europe/Berlin", "--month", "2026-01").splitlines()[:2] == [
        "2026-01-02",
        "2026-01-05",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--branch", "NOPE", "--month", "2026-01"], "unknown branch"),
        (["--country", "XX", "--tz", "Europe/Moscow", "--month", "2026-01"], "unknown country"),
        (["--country", "RU", "--tz", "Mars/Olympus", "--month", "2026-01"], "unknown time zone"),
        (["--country", "RU", "--subdiv", "ZZ", "--tz", "Europe/Moscow", "--month", "2026-01"], "unknown subdivision"),
        (["--country", "RU", "--month", "2026-01"], "--country needs --tz"),
        (["--branch", "MSK", "--country", "RU", "--tz", "Europe/Moscow", "--month", "2026-01"], "not both"),
        (["--branch", "MSK", "--tz", "Europe/Moscow", "--month", "2026-01"], "go with --country"),
        (["--month", "2026-01"], "give --branch CODE"),
        (["--branch", "MSK", "--add", "3"], "need --from"),
        (["--branch", "MSK", "--from", "2026-11-20T15:00"], "exactly one of"),
        (["--branch", "MSK", "--from", "2026-11-20T15:00", "--add", "3", "--next-at", "11:00"], "exactly one of"),
        (["--branch", "MSK", "--from", "2026-11-20T15:00", "--month", "2026-01"], "not with --month"),
        (["--branch", "MSK", "--from", "2026-11-20T15:00", "--add", "0"], "whole number"),
        (["--branch", "MSK", "--from", "2026-11-20T15:00", "--add", "-2"], "whole number"),
        (["--branch", "MSK", "--from", "2026-11-20T15:00", "--add", "two"], "whole number"),
        (["--branch", "MSK", "--from", "2026-11-20T15:00", "--next-at", "25:00"], "time of day"),
        (["--branch", "MSK", "--from", "20/11/2026", "--add", "1"], "date and time"),
        (["--branch", "MSK", "--month", "2026-13"], "not a month"),
        (["--branch", "MSK", "--month", "2026-01", "--bogus"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_raise_a_command_error_with_status_2(msk, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run(*args)
    assert error.value.returncode == 2
    assert "\n" not in str(error.value)


def test_the_command_changes_nothing(msk):
    CalendarOverrideFactory(date=date(2026, 11, 23), branch=None)
    run("--branch", "MSK", "--from", "2026-11-20T15:00", "--add", "10")
    with pytest.raises(CommandError):
        run("--branch", "MSK", "--add", "10")
    assert CalendarOverride.objects.count() == 1
    assert not AuditEntry.objects.exists()


# --- as a script ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def script_env(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("business_days_var")
    env = {**os.environ, "VAR_DIR": str(var_dir), "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}"}
    env.pop("DJANGO_ENV", None)
    for command in (["migrate", "--verbosity", "0"], ["shell", "--command", SEED]):
        subprocess.run([sys.executable, MANAGE, *command], env=env, check=True, capture_output=True, timeout=120)
    return env


def script(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, "business_days", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_script_prints_exactly_one_line(script_env):
    result = script(script_env, "--branch", "MSK", "--from", "2026-11-20T15:00", "--add", "10")
    assert (result.returncode, result.stdout, result.stderr) == (0, "2026-12-04T18:00:00+03:00\n", "")
    result = script(script_env, "--branch", "MSK", "--from", "2026-11-20T15:00", "--next-at", "11:00")
    assert (result.returncode, result.stdout, result.stderr) == (0, "2026-11-23T11:00:00+03:00\n", "")


def test_script_lists_a_month(script_env):
    result = script(script_env, "--country", "RU", "--tz", "Europe/Moscow", "--month", "2027-02")
    assert result.returncode == 0
    days = result.stdout.splitlines()
    # The transferred Saturday stands in for Monday 22 February, the eve of the 23rd: it closes an hour early.
    assert "2027-02-20 shortened, closes 17:00" in days
    assert not any(day.startswith("2027-02-22") for day in days)
    assert "2027-02-19" in days
    assert len(days) == 19


@pytest.mark.parametrize(
    "args",
    [
        ["--branch", "NOPE", "--month", "2026-01"],
        ["--country", "XX", "--tz", "Europe/Moscow", "--month", "2026-01"],
        ["--country", "RU", "--tz", "Nowhere/City", "--month", "2026-01"],
        ["--country", "RU", "--subdiv", "ZZ", "--tz", "Europe/Moscow", "--month", "2026-01"],
        ["--branch", "MSK", "--country", "RU", "--tz", "Europe/Moscow", "--month", "2026-01"],
        ["--branch", "MSK", "--add", "3"],
        ["--branch", "MSK", "--from", "2026-11-20T15:00", "--add", "zero"],
        ["--branch", "MSK", "--from", "2026-11-20T15:00", "--next-at", "noon"],
        ["--branch", "MSK", "--month", "2026-13"],
        ["--branch", "MSK", "--month"],
        ["--branch", "MSK", "--month", "2026-01", "--bogus"],
    ],
)
def test_script_errors_are_one_line_and_exit_status_2(script_env, args):
    result = script(script_env, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1, result.stderr
