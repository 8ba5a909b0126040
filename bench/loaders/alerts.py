"""The alerts of ``bench_send``: ``digests`` recipients, each with ``alerts_per_digest`` ready alerts, one per
clock (the clocks loader's, every one of them due soon or overdue at ``now``)."""

from __future__ import annotations

from datetime import datetime

from bench.loaders.clocks import BENCH_KIND, bench_clocks, load_clocks
from bench.loaders.staff import BenchStaff, create_recipients
from contactcenter.alerts.services import insert_alerts
from contactcenter.deadlines.models import Deadline, Level


def load_ready_alerts(*, staff: BenchStaff, digests: int, alerts_per_digest: int, now: datetime) -> int:
    """Write the recipients, their clocks and their alerts (ready at ``now``); returns how many alerts."""
    recipients = create_recipients(digests)
    size = digests * alerts_per_digest
    load_clocks(bench_clocks(size=size, changing=size, now=now, staff=staff))
    clocks = Deadline.objects.filter(kind=BENCH_KIND).order_by("object_id").values_list("pk", "state")
    rows = [
        (
            deadline_id,
            1,
            Level.OVERDUE if state == Deadline.State.DUE_SOON else Level.DUE_SOON,  # where the scan would take it
            0,
            recipients[n // alerts_per_digest],
        )
        for n, (deadline_id, state) in enumerate(clocks)
    ]
    insert_alerts(rows, now)
    return len(rows)
