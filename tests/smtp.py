"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, keeping every message it accepts (and the connection
it came on); it can be made slow, answering each message only after ``delay`` seconds."""

import asyncio
import email
import socket
from email.message import Message

from aiosmtpd.controller import Controller


class _Keeper:
    def __init__(self):
        self.envelopes = []
        self.peers = []
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.envelopes.append(envelope)
        self.peers.append(session.peer)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalSMTPServer:
    host = "127.0.0.1"

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.keeper = _Keeper()
        self.controller = None

    @property
    def delay(self) -> float:
        return self.keeper.delay

    @delay.setter
    def delay(self, seconds: float) -> None:
        self.keeper.delay = seconds

    def start(self):
        self.controller = Controller(self.keeper, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[Message]:
        return [email.message_from_bytes(envelope.content) for envelope in self.keeper.envelopes]

    @property
    def connections(self) -> int:
        """How many SMTP connections brought the messages."""
        return len(set(self.keeper.peers))

    @property
    def recipients(self) -> list[str]:
        return [rcpt for envelope in self.keeper.envelopes for rcpt in envelope.rcpt_tos]
