"""A real task through a real worker: on kombu's filesystem transport, and on Redis."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def running_worker(tmp_path, **env):
    """A worker process of the project, its output kept in a log shown when the test fails."""
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "--app",
                "contactcenter",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env={**os.environ, "VAR_DIR": str(tmp_path), **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield worker
        except BaseException:
            print(log.read_text())
            raise
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def ping_through(client: Celery):
    result = client.send_task("contactcenter.ping")
    try:
        return result.get(timeout=60)
    finally:
        result.forget()


def test_a_task_runs_on_a_worker_over_the_filesystem_transport(tmp_path, monkeypatch):
    # Celery lets these variables win over the arguments; the PostgreSQL + Redis run sets them.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    queue, results = tmp_path / "celery" / "queue", tmp_path / "celery" / "results"
    queue.mkdir(parents=True)
    results.mkdir()
    with running_worker(tmp_path, CELERY_BROKER_URL="filesystem://"):
        client = Celery(
            "probe",
            broker="filesystem://",
            backend=f"file://{results}",
            broker_transport_options={
                "data_folder_in": str(queue),
                "data_folder_out": str(queue),
                "control_folder": str(tmp_path / "celery" / "control"),
            },
        )
        assert ping_through(client)["pong"] is True


@pytest.mark.redis
# A worker on the shared broker would take the tasks of another test's workers (make test runs tests in
# parallel, pytest-xdist): every test whose worker uses the shared broker is in this group, run one at a time.
@pytest.mark.xdist_group("shared_broker")
def test_a_task_runs_on_a_worker_over_redis(tmp_path, settings):
    broker = settings.CELERY_BROKER_URL
    with running_worker(tmp_path, CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=broker):
        client = Celery("probe", broker=broker, backend=broker)
        assert ping_through(client)["pong"] is True
