"""/metrics: Prometheus's text format behind a token or an allow-list; request counts and latency; the domain's
gauges read from the database at scrape time; the counters of several worker processes summed."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from contactcenter.alerts.models import Alert, OutboundEmail
from contactcenter.alerts.outbound import queue_email
from contactcenter.deadlines import services as clocks
from contactcenter.deadlines.models import Deadline, Level
from contactcenter.deadlines.scan import scan_deadlines
from tests.factories import CustomerFactory
from tests.test_settings import ROOT

TOKEN = "metrics-token-for-the-tests-0123456789"


@pytest.fixture
def locked(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []


def scrape(client, **extra) -> dict[tuple, float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, *sorted(sample.labels.items()))] = sample.value
    return samples


def test_no_token_gets_401_and_a_wrong_one_too(client, db, locked):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_an_address_outside_the_allow_list_gets_403(client, db, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 403
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 403


def test_requests_are_counted_by_view_method_and_status(client, db, locked, operator):
    before = scrape(client)
    client.force_login(operator)
    client.get("/customers/")
    client.get("/customers/")
    client.get("/no-such-page/")
    after = scrape(client)

    def grown(name, **labels):
        key = (name, *sorted(labels.items()))
        return after.get(key, 0) - before.get(key, 0)

    assert grown("contactcenter_http_requests_total", view="directory:customer-list", method="GET", status="200") == 2
    assert grown("contactcenter_http_requests_total", view="unresolved", method="GET", status="404") == 1
    assert grown("contactcenter_http_request_duration_seconds_count", view="directory:customer-list") == 2
    # The scrapes themselves and the health checks are not counted.
    client.get("/health/")

    def total(samples):
        return sum(value for key, value in samples.items() if key[0] == "contactcenter_http_requests_total")

    assert total(scrape(client)) == total(after)


def test_the_domain_gauges(client, locked, msk, bud, operator, policy):
    now = timezone.now()

    def clock(branch, due_in):
        return clocks.open_clock(
            case=CustomerFactory(branch=branch),
            kind=policy.kind,
            branch=branch,
            owner=operator,
            opened_at=now - timedelta(hours=3),
            due_at=now + due_in,
        )

    late = [clock(msk, timedelta(hours=-2)), clock(msk, timedelta(hours=-1)), clock(bud, timedelta(hours=-1))]
    clock(msk, timedelta(days=30))
    Deadline.objects.filter(pk__in=[c.pk for c in late]).update(state=Deadline.State.OVERDUE)
    for reminder, done in enumerate([{}, {}, {"sent_at": now}, {"failed_at": now}]):
        Alert.objects.create(
            deadline=late[0],
            level=Level.OVERDUE,
            reminder=reminder,
            recipient=operator,
            created_at=now - timedelta(minutes=10 * (reminder + 1)),
            next_attempt_at=now,
            **done,
        )
    email = queue_email(purpose="callback_unreachable", to=["sup@example.com"], subject="S", text="…")
    OutboundEmail.objects.filter(pk=email.pk).update(failed_at=now)
    queue_email(purpose="callback_unreachable", to=["sup@example.com"], subject="S", text="…")
    scan_deadlines(now=now)

    with time_machine.travel(now + timedelta(seconds=30), tick=False):
        samples = scrape(client)
    assert samples[("contactcenter_open_clocks", ("kind", policy.kind), ("state", "overdue"))] == 3
    assert samples[("contactcenter_open_clocks", ("kind", policy.kind), ("state", "on_track"))] == 1
    assert samples[("contactcenter_overdue_clocks", ("branch", "MSK"))] == 2
    assert samples[("contactcenter_overdue_clocks", ("branch", "BUD"))] == 1
    assert samples[("contactcenter_outbox_backlog", ("outbox", "alert"))] == 2
    assert samples[("contactcenter_outbox_backlog", ("outbox", "email"))] == 1
    assert samples[("contactcenter_oldest_unsent_alert_age_seconds",)] == pytest.approx(20 * 60 + 30)
    assert samples[("contactcenter_outbox_failed", ("outbox", "alert"))] == 1
    assert samples[("contactcenter_outbox_failed", ("outbox", "email"))] == 1
    assert samples[("contactcenter_scan_age_seconds",)] == pytest.approx(30, abs=1)
    assert samples[("contactcenter_scan_duration_seconds",)] >= 0


def test_an_empty_database_has_zero_backlog_and_no_scan_figures(client, db, locked):
    samples = scrape(client)
    assert samples[("contactcenter_outbox_backlog", ("outbox", "alert"))] == 0
    assert samples[("contactcenter_oldest_unsent_alert_age_seconds",)] == 0
    assert ("contactcenter_scan_age_seconds",) not in samples


def test_the_scrape_costs_the_same_queries_whatever_the_rows(
    client, locked, msk, operator, policy, django_assert_max_num_queries
):
    for _ in range(20):
        clocks.open_clock(
            case=CustomerFactory(branch=msk),
            kind=policy.kind,
            branch=msk,
            owner=operator,
            due_at=timezone.now() + timedelta(days=1),
        )
    with django_assert_max_num_queries(8):
        scrape(client)


_SERVE = """
import django, os
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
for _ in range({n}):
    Client().get("/accounts/login/")
"""

_SUM = """
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
registry = CollectorRegistry()
MultiProcessCollector(registry)
print(generate_latest(registry).decode())
"""


def test_several_worker_processes_are_summed_in_multiprocess_mode(tmp_path):
    """Two processes serve requests (as two gunicorn workers would); a scrape sees the sum of both."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)},
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "contactcenter.settings",
        "VAR_DIR": str(tmp_path / "var"),
    }
    for n in (2, 3):
        result = subprocess.run(
            [sys.executable, "-c", _SERVE.format(n=n)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, "-c", _SUM], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    samples = {
        (sample.name, *sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(result.stdout)
        for sample in family.samples
    }
    assert samples[("contactcenter_http_requests_total", ("method", "GET"), ("status", "200"), ("view", "login"))] == 5
