"""``manage.py bench_pages`` on tiny sizes, so that the benchmark cannot rot between the runs that matter.

The figures mean nothing here; what is checked is that the command loads its data and times every page on the
test database (SQLite or PostgreSQL), reports what the issue asks for, and leaves no row behind.
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from bench.management.commands import bench_pages
from callbacks.models import Callback, ContactAttempt
from complaints.models import Complaint, ComplaintPage, RegisterCounter
from contactcenter.alerts.models import Alert, OutboundEmail
from contactcenter.deadlines import services
from contactcenter.deadlines.models import ClockPolicy, Deadline
from contactcenter.directory.models import Branch, Customer
from escalations.models import Escalation

NUMBER = r"\d+\.\d"


def bench(**options) -> str:
    out = io.StringIO()
    call_command("bench_pages", stdout=out, **options)
    return out.getvalue()


def test_bench_pages_times_every_page_for_both_users_and_leaves_nothing_behind(db):
    output = bench(cases=400, clocks=3000, repeat=2, allow_sqlite=True)

    for page in bench_pages.PAGES:
        for user in ("supervisor", "deputy"):
            line = re.search(rf"^{page.key} +{user} +({NUMBER}) +({NUMBER}) +{NUMBER} +\d+ +\d+ ", output, re.MULTILINE)
            assert line, f"no line for {page.key} ({user})"
            median, p95 = float(line[1]), float(line[2])
            assert 0 < median <= p95
    assert "Clocks: 3 000 (" in output
    assert re.search(r"^goal p95 < 300 ms: (met by every page|missed by)", output, re.MULTILINE)
    for model in (Deadline, Alert, Callback, ContactAttempt, Complaint, ComplaintPage, RegisterCounter, Escalation):
        assert not model.objects.exists(), model
    assert not OutboundEmail.objects.exists()
    assert not Customer.objects.exists()
    assert not Session.objects.exists()
    assert not ClockPolicy.objects.filter(kind="bench_request").exists()
    assert not Branch.objects.filter(code__startswith="BENCH").exists()
    assert not get_user_model().objects.filter(username__startswith="bench-").exists()


def test_the_cases_have_their_clocks_and_the_lists_show_rows(db):
    output = bench(cases=400, clocks=3000, repeat=1, allow_sqlite=True, pages="callbacks,complaints,escalations")

    assert "260 callbacks" in output and "70 complaints" in output and "70 escalations" in output
    rows = re.findall(r"^(callbacks|complaints|escalations) +\w+ .* (\d+) +\d+\.\d   /", output, re.MULTILINE)
    assert len(rows) == 6
    assert all(int(shown) > 0 for _page, shown in rows)


def test_a_page_without_url_stops_the_command_before_loading(db, monkeypatch):
    pages = (*bench_pages.PAGES, bench_pages.Page("not-yet", "dashboard:not_written_yet"))
    monkeypatch.setattr(bench_pages, "PAGES", pages)

    with pytest.raises(CommandError, match=r"not-yet \(dashboard:not_written_yet\).*--pages"):
        bench(cases=400, clocks=3000, repeat=1, allow_sqlite=True)

    assert not Branch.objects.exists()


def test_an_unknown_page_is_refused(db):
    with pytest.raises(CommandError, match="unknown nowhere"):
        bench(pages="home,nowhere", allow_sqlite=True)


def test_bench_pages_refuses_any_database_but_postgresql(db, monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")

    with pytest.raises(CommandError, match="PostgreSQL") as refused:
        bench(cases=400, clocks=3000, repeat=1)

    assert refused.value.returncode == 2


def test_bench_pages_refuses_a_database_that_holds_clocks(case, msk, policy):
    """The deputy director's pages would count them, and they could collide with the bench's rows."""
    now = timezone.now()
    services.open_clock(case=case, kind=policy.kind, branch=msk, due_at=now + timedelta(days=1), opened_at=now)

    with pytest.raises(CommandError, match="without cases or clocks") as refused:
        bench(cases=400, clocks=3000, repeat=1, allow_sqlite=True)

    assert refused.value.returncode == 2
    assert Deadline.objects.count() == 1
