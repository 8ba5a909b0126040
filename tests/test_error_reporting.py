"""Sentry: nothing is initialised nor sent without SENTRY_DSN; with it, a page's error reaches the server given,
without personal data (no user, address, cookies, query, form fields nor local variables)."""

import gzip
import json
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.test_settings import ROOT

# A page that fails, served by a process of its own with the settings under test.
_FAIL_A_PAGE = """
import django
django.setup()
import sentry_sdk
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import path
import contactcenter.urls

@login_not_required
def fail(request):
    customer_phone = "+79161234567"
    raise RuntimeError("the page failed")

contactcenter.urls.urlpatterns.append(path("fail/", fail))
setup_test_environment()
client = Client(raise_request_exception=False)
response = client.post(
    "/fail/?q=Ivanov+79161234567",
    {"customer_name": "Ivan Ivanov"},
    HTTP_COOKIE="preference=secret-session",
    HTTP_AUTHORIZATION="Bearer secret-token",
    HTTP_X_REQUEST_ID="req-sentry-1",
    REMOTE_ADDR="203.0.113.9",
)
print("STATUS", response.status_code, "ACTIVE", sentry_sdk.get_client().is_active())
sentry_sdk.flush(timeout=10)
"""


class Receiver(BaseHTTPRequestHandler):
    bodies: list

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            pytest.fail("brotli-compressed envelope")
        self.server.bodies.append(body.decode())
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.bodies = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def run_failing_page(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "SENTRY_DSN")}
    result = subprocess.run(
        [sys.executable, "-c", _FAIL_A_PAGE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "contactcenter.settings", "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def events(server) -> list[dict]:
    found = []
    for body in server.bodies:
        for line in body.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and "exception" in item:
                found.append(item)
    return found


def test_nothing_is_initialised_nor_sent_without_a_dsn(tmp_path, sentry_server):
    output = run_failing_page(tmp_path)
    assert "STATUS 500 ACTIVE False" in output
    assert sentry_server.bodies == []


def test_an_error_is_sent_without_personal_data(tmp_path, sentry_server):
    dsn = f"http://publickey@127.0.0.1:{sentry_server.server_port}/1"
    output = run_failing_page(tmp_path, SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="test")
    assert "STATUS 500 ACTIVE True" in output
    [event] = events(sentry_server)
    assert event["exception"]["values"][-1]["value"] == "the page failed"
    assert event["environment"] == "test"
    assert event["tags"]["request_id"] == "req-sentry-1"
    sent = json.dumps(event)
    for personal in ("79161234567", "Ivanov", "Ivan", "secret-session", "secret-token", "203.0.113.9"):
        assert personal not in sent, personal
    assert "user" not in event
