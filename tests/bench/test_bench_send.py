"""``manage.py bench_send`` on tiny sizes, so that the benchmark cannot rot between the runs that matter.

The figures mean nothing here; what is checked is that the command sends every digest through the real
sending function into the SMTP server it starts, reports what the issue asks for, and leaves no row behind.
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from contactcenter.alerts.models import Alert
from contactcenter.deadlines import services
from contactcenter.deadlines.models import ClockPolicy, Deadline
from contactcenter.directory.models import Branch


def bench(**options) -> str:
    out = io.StringIO()
    call_command("bench_send", stdout=out, **options)
    return out.getvalue()


def test_bench_send_sends_every_digest_and_leaves_nothing_behind(db):
    output = bench(digests=6, alerts=4, repeat=2, allow_sqlite=True)

    rows = re.findall(r"^ +6 +24 +(\d+) +(\d+\.\d\d) +(\d+) +(\d+) +(\d+\.\d\d) +(\d+\.\d)$", output, re.MULTILINE)
    assert len(rows) == 2, output
    assert all(int(row[0]) >= 1 and float(row[1]) > 0 for row in rows)
    assert re.search(r"^digests/s: \d+ \(goal ≥ 200\)$", output, re.MULTILINE)
    assert re.search(r"^alerts/s: \d+ \(goal ≥ 2 000\)$", output, re.MULTILINE)
    last = output.strip().splitlines()[-1]
    assert re.fullmatch(
        r"send at 6 digests: \d+ digests/s, [\d ]+ alerts/s \(goal >= 200 digests/s, >= 2000 alerts/s\)", last
    ), last
    assert not mail.outbox, "sent through SMTP, not Django's test outbox"
    assert not Alert.objects.exists()
    assert not Deadline.objects.exists()
    assert not ClockPolicy.objects.filter(kind="bench_clock").exists()
    assert not Branch.objects.filter(code__startswith="BENCH").exists()
    assert not get_user_model().objects.filter(username__startswith="bench-").exists()


def test_bench_send_refuses_any_database_but_postgresql(db, monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")

    with pytest.raises(CommandError, match="PostgreSQL") as refused:
        bench(digests=1, alerts=1)

    assert refused.value.returncode == 2


def test_bench_send_refuses_a_database_that_holds_clocks(case, msk, policy):
    """send_alerts would send the real alerts of such a database too."""
    now = timezone.now()
    services.open_clock(case=case, kind=policy.kind, branch=msk, due_at=now + timedelta(days=1), opened_at=now)

    with pytest.raises(CommandError, match="without clocks or alerts") as refused:
        bench(digests=1, alerts=1, allow_sqlite=True)

    assert refused.value.returncode == 2
    assert Deadline.objects.count() == 1
