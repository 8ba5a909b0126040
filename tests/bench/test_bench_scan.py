"""``manage.py bench_scan`` on tiny sizes, so that the benchmark cannot rot between the runs that matter.

The figures mean nothing here; what is checked is that the command runs end to end on the test database
(SQLite or PostgreSQL), reports what the issue asks for, and leaves no row behind.
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from contactcenter.alerts.models import Alert
from contactcenter.deadlines import services
from contactcenter.deadlines.models import ClockPolicy, Deadline
from contactcenter.directory.models import Branch


def bench(**options) -> str:
    out = io.StringIO()
    call_command("bench_scan", stdout=out, **options)
    return out.getvalue()


def test_bench_scan_reports_the_goals_and_leaves_nothing_behind(db):
    output = bench(sizes="200,400", changing=20, repeat=1, loop_size=200, allow_sqlite=True)

    assert "ratio 400/200: " in output
    assert "(goal ≤ 2)" in output
    assert "speed-up over per-row loop at 200: " in output
    assert "scan/limit at 200: " in output
    last = output.strip().splitlines()[-1]
    assert re.fullmatch(r"scan/limit at 400: \d+\.\d× \(goal ≤ 4×\)", last), last
    rows = [line.split() for line in output.splitlines() if line.strip().startswith(("200 ", "400 "))]
    assert [row[:2] for row in rows] == [["200", "20"], ["400", "20"]]
    header = next(line for line in output.splitlines() if "open clocks" in line)
    assert "limit ms" in header and "scan/limit" in header
    assert not Deadline.objects.exists()
    assert not Alert.objects.exists()
    assert not ClockPolicy.objects.filter(kind="bench_clock").exists()
    assert not Branch.objects.filter(code__startswith="BENCH").exists()
    assert not get_user_model().objects.filter(username__startswith="bench-").exists()


def test_bench_scan_refuses_any_database_but_postgresql(db, monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")

    with pytest.raises(CommandError, match="PostgreSQL") as refused:
        bench(sizes="200", changing=20, repeat=1)

    assert refused.value.returncode == 2


def test_bench_scan_refuses_a_database_that_holds_clocks(case, msk, policy):
    """The scan it times flags every clock in the table, real ones included."""
    now = timezone.now()
    services.open_clock(case=case, kind=policy.kind, branch=msk, due_at=now + timedelta(days=1), opened_at=now)

    with pytest.raises(CommandError, match="without clocks") as refused:
        bench(sizes="200", changing=20, repeat=1, allow_sqlite=True)

    assert refused.value.returncode == 2
    assert Deadline.objects.count() == 1
