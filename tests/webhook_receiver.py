"""A real HTTP receiver of webhooks for tests: http.server on 127.0.0.1 in a thread, keeping every request it
gets. It can be stopped and started again on the same port, made to answer another status, or made slow (it
keeps each request at once but answers only after ``delay`` seconds: a timeout for the sender). Like a careful
receiver, it verifies each signature with the subscription's secret and keeps the events it accepted by their
id, once."""

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.smtp import free_port


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    signature_valid: bool

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


def signature_is_valid(*, secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The README's verification, written here again as a receiver would write it (not the project's code)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


@dataclass
class _State:
    secret: str = ""
    status: int = 204
    delay: float = 0.0
    requests: list[Received] = field(default_factory=list)
    accepted: dict[str, dict] = field(default_factory=dict)  # event id → payload, each once
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    state: _State

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        valid = signature_is_valid(
            secret=self.state.secret, header=self.headers.get("X-Webhook-Signature", ""), body=body
        )
        with self.state.lock:
            self.state.requests.append(Received(self.path, dict(self.headers), body, valid))
            status = self.state.status if valid else 400
            if 200 <= status < 300:
                self.state.accepted.setdefault(self.headers["X-Webhook-Id"], json.loads(body))
        if self.state.delay:  # what it received is kept: only its answer is late
            time.sleep(self.state.delay)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


class WebhookReceiver:
    host = "127.0.0.1"

    def __init__(self):
        self.port = free_port()
        self.state = _State()
        self.server = None
        self.thread = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/hooks"

    def __getattr__(self, name):
        return getattr(self.__dict__["state"], name)

    def answer(self, status: int) -> None:
        self.state.status = status

    def slow(self, seconds: float) -> None:
        self.state.delay = seconds

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer((self.host, self.port), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = self.thread = None
