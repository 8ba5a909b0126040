"""Every request carries an X-Request-ID (the proxy's when sane, else ours), echoed in the response and written
into the log lines of the request and of the tasks it queued; log lines are JSON objects in production."""

import json
import logging
import os
import re
import subprocess
import sys
import time

import pytest
from celery import Celery

from contactcenter.logs import JsonLineFormatter, RequestContextFilter
from contactcenter.request_id import current_request_id
from tests.test_celery import running_worker
from tests.test_settings import PRODUCTION_ENV, ROOT

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def signed_in(operator, client):
    client.force_login(operator)
    return operator


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "contactcenter.requests"]


def test_a_sane_id_from_the_proxy_is_kept_and_echoed(client, signed_in, caplog):
    with caplog.at_level(logging.INFO, logger="contactcenter.requests"):
        response = client.get("/customers/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a9c2e-0001"
    [line] = request_lines(caplog)
    assert line.getMessage().startswith("GET /customers/ 200 ")


@pytest.mark.parametrize("header", [None, "", "two words", "x" * 129, "id\nforged line", '"quoted"'])
def test_a_missing_or_odd_id_is_replaced_by_a_new_one(client, signed_in, header):
    extra = {} if header is None else {"HTTP_X_REQUEST_ID": header}
    first = client.get("/customers/", **extra)["X-Request-ID"]
    second = client.get("/customers/", **extra)["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second) and first != second


def test_the_log_lines_of_a_request_carry_its_id_and_the_user(client, signed_in):
    handler_filter = RequestContextFilter()
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            handler_filter.filter(record)
            seen.append(record)

    keep = Keep(level=logging.INFO)
    logging.getLogger().addHandler(keep)
    try:
        client.get("/customers/?q=%2B79161234567", HTTP_X_REQUEST_ID="req-42")
    finally:
        logging.getLogger().removeHandler(keep)
    [line] = [record for record in seen if record.name == "contactcenter.requests"]
    assert (line.request_id, line.user_id) == ("req-42", signed_in.pk)
    assert "79161234567" not in line.getMessage()  # the query (a customer's phone) stays out of the log


def test_a_login_page_line_has_no_user(client, db, caplog):
    caplog.handler.addFilter(RequestContextFilter())
    with caplog.at_level(logging.INFO, logger="contactcenter.requests"):
        client.get("/accounts/login/", HTTP_X_REQUEST_ID="anon-1")
    [line] = request_lines(caplog)
    assert (line.request_id, line.user_id) == ("anon-1", None)


def test_outside_a_request_the_fields_are_empty():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
    RequestContextFilter().filter(record)
    assert (record.request_id, record.user_id) == (None, None)


def test_a_json_line_has_the_agreed_fields():
    record = logging.LogRecord("contactcenter.x", logging.WARNING, __file__, 1, "Mail %s", ("down",), None)
    token = current_request_id.set("req-7")
    try:
        RequestContextFilter().filter(record)
    finally:
        current_request_id.reset(token)
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert {k: data[k] for k in ("level", "logger", "message", "request_id", "user_id")} == {
        "level": "WARNING",
        "logger": "contactcenter.x",
        "message": "Mail down",
        "request_id": "req-7",
        "user_id": None,
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", data["time"])


def test_a_task_published_during_a_request_carries_its_id():
    client = Celery("probe", broker="memory://")
    token = current_request_id.set("req-queued")
    try:
        client.send_task("contactcenter.ping", queue="probe-request-id")
    finally:
        current_request_id.reset(token)
    client.send_task("contactcenter.ping", queue="probe-request-id")  # outside a request: no id
    with client.connection_for_read() as connection:
        queue = connection.SimpleQueue("probe-request-id")
        first, second = queue.get(timeout=1), queue.get(timeout=1)
        first.ack()
        second.ack()
        queue.close()
    assert first.headers.get("request_id") == "req-queued"
    assert "request_id" not in second.headers


def test_the_worker_logs_a_task_with_the_id_of_the_request_that_queued_it(tmp_path, monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    queue = tmp_path / "celery" / "queue"
    queue.mkdir(parents=True)
    client = Celery(
        "probe",
        broker="filesystem://",
        broker_transport_options={
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "control_folder": str(tmp_path / "celery" / "control"),
        },
    )
    token = current_request_id.set("req-from-the-web")
    try:
        client.send_task("contactcenter.ping")
    finally:
        current_request_id.reset(token)
    log = tmp_path / "worker.log"
    with running_worker(tmp_path, CELERY_BROKER_URL="filesystem://", LOG_FORMAT="json"):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "succeeded" not in log.read_text():
            time.sleep(0.2)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    # The "received" line is the consumer's, before the task is known to run; every line from then on has it.
    [succeeded] = [line for line in lines if "contactcenter.ping" in line["message"] and "succeeded" in line["message"]]
    assert succeeded["request_id"] == "req-from-the-web", log.read_text()


def test_production_logs_json_and_development_plain_lines(tmp_path):
    script = "import logging; logging.getLogger('contactcenter.probe').warning('hello %s', 'there')"
    leaked = ("DEBUG", "VAR_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT")
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k not in leaked}

    def stderr_of(env):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
            cwd=ROOT,
            env={**clean, **env, "VAR_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stderr.strip().splitlines()[-1]

    production = json.loads(stderr_of(PRODUCTION_ENV))
    assert (production["level"], production["logger"], production["message"]) == (
        "WARNING",
        "contactcenter.probe",
        "hello there",
    )
    development = stderr_of({})
    assert re.fullmatch(r"\S+ \S+ WARNING contactcenter\.probe \[None user=None\] hello there", development)
