"""A real SMTP server on loopback for the tests (aiosmtpd), with failures to order."""

from __future__ import annotations

import email
import socket
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Delivery:
    """One message the server accepted: the envelope and the message as parsed."""

    sender: str
    recipients: list[str]
    message: EmailMessage
    data: bytes


@dataclass
class Mailbox:
    """The handler: what arrived, and which failures to give.

    `refuse`: addresses refused at RCPT with 550; `busy`: address -> how many times to answer
    451 first; `drop_after`: accept this many messages, then drop the connection at every
    later DATA without answering.
    """

    refuse: set[str] = field(default_factory=set)
    busy: Counter[str] = field(default_factory=Counter)
    drop_after: int | None = None
    drop_once_at: set[str] = field(default_factory=set)
    refuse_sender: bool = False
    on_data: Callable[[str], None] | None = None
    """Called with the recipient at each message, before the server answers it."""
    delivered: list[Delivery] = field(default_factory=list)
    mail_commands: int = 0

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.mail_commands += 1
        if self.refuse_sender:
            return "553 5.7.1 sender not allowed"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        if self.busy[address] > 0:
            self.busy[address] -= 1
            return "451 4.7.1 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        first = envelope.rcpt_tos[0]
        if self.on_data:
            self.on_data(first)
        if first in self.drop_once_at or (
            self.drop_after is not None and len(self.delivered) >= self.drop_after
        ):
            self.drop_once_at.discard(first)
            server.transport.close()  # the connection drops: no reply to the message
            return "421 closing"
        data = envelope.original_content
        if "SMTPUTF8" in envelope.mail_options:  # headers in UTF-8, as RFC 6532 allows
            message = email.message_from_string(data.decode("utf-8"), policy=policy.default)
        else:
            message = email.message_from_bytes(data, policy=policy.default)
        self.delivered.append(Delivery(envelope.mail_from, list(envelope.rcpt_tos), message, data))
        return f"250 2.0.0 Ok: queued as {len(self.delivered)}"

    def addresses(self) -> list[str]:
        return [address for d in self.delivered for address in d.recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(mailbox: Mailbox, **options: Any) -> Iterator[str]:
    """Run the server on 127.0.0.1; yields 'HOST:PORT'."""
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        controller.stop()
