"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, keeping every message it accepts."""

import email
import socket
from email.message import Message

from aiosmtpd.controller import Controller


class _Keeper:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
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
    def recipients(self) -> list[str]:
        return [rcpt for envelope in self.keeper.envelopes for rcpt in envelope.rcpt_tos]
