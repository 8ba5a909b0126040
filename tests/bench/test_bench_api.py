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
