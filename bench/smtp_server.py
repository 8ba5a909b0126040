"""The SMTP server of ``bench_send``: aiosmtpd on a free port of 127.0.0.1, in a process of its own, keeping only
a count of the messages it accepts.

A process of its own, as a real mail server is: in a thread of the sender's process it would share the
sender's interpreter lock, and the benchmark would time the server's Python along with the sender's. This
module imports nothing of Django, so that the new process starts without the project's settings.
"""

from __future__ import annotations

import multiprocessing
import socket


class _Counter:
    def __init__(self, count):
        self.count = count

    async def handle_DATA(self, server, session, envelope):
        with self.count.get_lock():
            self.count.value += 1
        return "250 Message accepted for delivery"


def _serve(port: int, count, ready, stop) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(_Counter(count), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CountingServer:
    """Use ``start()``, then ``stop()``; ``messages`` is how many it has accepted."""

    hostname = "127.0.0.1"

    def __init__(self):
        self.port = free_port()
        context = multiprocessing.get_context("spawn")
        self._count = context.Value("i", 0)
        self._ready, self._stop = context.Event(), context.Event()
        self._process = context.Process(
            target=_serve, args=(self.port, self._count, self._ready, self._stop), daemon=True
        )

    @property
    def messages(self) -> int:
        return self._count.value

    def start(self) -> None:
        self._process.start()
        if not self._ready.wait(timeout=60):
            self.stop()
            raise RuntimeError("The benchmark's SMTP server did not start within 60 s.")

    def stop(self) -> None:
        self._stop.set()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=10)
