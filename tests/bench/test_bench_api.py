"""``manage.py bench_api`` on tiny sizes against a real gunicorn, so that the benchmark cannot rot between the
runs that matter. The figures mean nothing here; what is checked is that every request made its callback
through the API, that the command reports what the issue asks for, and that it leaves no row behind."""

import io
import re

import pytest
from django.core.management import call_command

from api.models import ApiClient, IdempotencyKey
from callbacks.models import Callback
from contactcenter.directory.models import Branch, Customer


def bench(**options) -> str:
    out = io.StringIO()
    call_command("bench_api", stdout=out, **options)
    return out.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_bench_api_drives_gunicorn_and_leaves_nothing_behind():
    output = bench(requests=30, clients=3, workers=1, threads=2, warmup=3, seconds=60)
    row = re.search(r"^ +30 +(\d+\.\d\d) +(\d+\.\d) +(\d+\.\d) +(\d+\.\d) +0$", output, re.MULTILINE)
    assert row, output
    assert "gunicorn, 1 workers × 2 threads" in output
    assert re.search(r"^load average before \(1, 5, 15 min\): [\d.]+ [\d.]+ [\d.]+$", output, re.MULTILINE)
    assert re.search(r"^requests/s: [\d.]+ \(goal ≥ 100\)$", output, re.MULTILINE)
    assert re.search(r"^p95: [\d.]+ ms \(goal < 150 ms\)$", output, re.MULTILINE)
    assert output.strip().endswith("errors: 0 (goal 0)")
    assert not Callback.objects.exists() and not Customer.objects.exists()
    assert not ApiClient.objects.exists() and not IdempotencyKey.objects.exists()
    assert not Branch.objects.filter(code="BENCHAPI").exists()


class StartingServer:
    """A gunicorn that has not stopped: ``poll()`` says it still runs."""

    returncode = None
    terminated = False

    def poll(self):
        return None

    def terminate(self):
        self.terminated = True


def test_the_readiness_probe_sleeps_between_probes(monkeypatch):
    """A server that answers only at the fourth probe is probed four times with a pause after each failed one, not
    in a loop that spins on a core the server needs to start."""
    from bench.management.commands import bench_api

    answers = iter([False, False, False, True])
    probes, pauses = [], []
    monkeypatch.setattr(bench_api.Command, "answers", staticmethod(lambda port: probes.append(port) or next(answers)))
    monkeypatch.setattr(bench_api.time, "sleep", pauses.append)
    bench_api.Command().wait_until_ready(StartingServer(), 8123)
    assert probes == [8123] * 4
    assert pauses == [bench_api.PROBE_INTERVAL] * 3


def test_a_server_that_never_answers_is_stopped(monkeypatch):
    from django.core.management.base import CommandError

    from bench.management.commands import bench_api

    clock = iter(range(0, 1000, 10))
    monkeypatch.setattr(bench_api.Command, "answers", staticmethod(lambda port: False))
    monkeypatch.setattr(bench_api.time, "monotonic", lambda: next(clock))
    pauses = []
    monkeypatch.setattr(bench_api.time, "sleep", pauses.append)
    server = StartingServer()
    with pytest.raises(CommandError, match="did not answer within 60 s"):
        bench_api.Command().wait_until_ready(server, 8123)
    assert server.terminated and len(pauses) == 5  # probed at 10, 20, 30, 40 and 50 s


@pytest.mark.django_db(transaction=True)
def test_in_process_counts_the_statements_and_the_cpu_of_a_request_and_leaves_nothing_behind(tmp_path):
    profile = tmp_path / "profile.html"
    output = bench(in_process=5, warmup=2, allow_sqlite=True, profile=str(profile))
    statements = re.search(r"^SQL statements of one request, besides BEGIN and COMMIT: (\d+)$", output, re.MULTILINE)
    assert statements, output
    assert 0 < int(statements.group(1)) <= 22, "the ceiling of tests/api/test_callbacks.py::TestCost"
    assert re.search(r"^5 requests: [\d.]+ ms CPU per request, [\d.]+ ms wall per request", output, re.MULTILINE)
    assert "pyinstrument" in profile.read_text()
    assert not Callback.objects.exists() and not Customer.objects.exists()
    assert not ApiClient.objects.exists() and not IdempotencyKey.objects.exists()
