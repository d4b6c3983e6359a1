"""Sending the issue to a list: one message per recipient, journaled, retried, paced."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from typing import Any

from .journal import Journal
from .recipients import Recipient
from .smtp import Connection, Refused, SenderRefused, Temporary, Unreachable

DELAYS = (5.0, 20.0, 60.0)
"""Seconds to wait before each new try after a temporary failure (then it is reported)."""

Report = Callable[[str], None]
Sleep = Callable[[float], None]


@dataclass
class Outcome:
    """What became of each recipient in one run."""

    sent: list[Recipient] = field(default_factory=list)
    before: list[Recipient] = field(default_factory=list)
    refused: list[tuple[Recipient, str]] = field(default_factory=list)
    failed: list[tuple[Recipient, str]] = field(default_factory=list)
    not_tried: list[Recipient] = field(default_factory=list)
    interrupted: bool = False

    @property
    def complete(self) -> bool:
        return not (self.refused or self.failed or self.not_tried)

    def summary(self) -> str:
        parts = [f"{len(self.sent)} sent", f"{len(self.before)} already sent before"]
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.not_tried:
            parts.append(f"{len(self.not_tried)} not tried")
        return ", ".join(parts)


class Pacer:
    """Keeps sending under a number of messages per minute (None: as fast as the server)."""

    def __init__(self, per_minute: float | None, sleep: Sleep, clock: Callable[[], float]) -> None:
        self.interval = 60.0 / per_minute if per_minute else 0.0
        self.sleep = sleep
        self.clock = clock
        self.last: float | None = None

    def wait(self) -> None:
        if self.interval and self.last is not None:
            remaining = self.last + self.interval - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self.last = self.clock()


class StopBetweenMessages:
    """Ctrl-C (or SIGTERM, SIGHUP) while a message is under way stops the run once the server
    has answered and the journal has the answer, so no delivery goes unrecorded; a second
    one stops at once. Outside the main thread nothing changes."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.requested = False
        self.busy = False
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> StopBetweenMessages:
        if threading.current_thread() is threading.main_thread():
            for number in self.SIGNALS:
                if signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
                    self.previous[number] = signal.signal(number, self._stop)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)

    def _stop(self, number: int, frame: object) -> None:
        if self.busy and not self.requested:
            self.requested = True  # the message under way is finished and recorded first
            return
        raise KeyboardInterrupt

    @contextmanager
    def message(self) -> Iterator[None]:
        self.busy = True
        try:
            yield
        finally:
            self.busy = False
        if self.requested:
            raise KeyboardInterrupt


@dataclass
class Sender:
    """Sends the messages of one issue over one connection, keeping the journal."""

    connection: Connection
    journal: Journal
    envelope_from: str
    report: Report
    delays: Sequence[float] = DELAYS
    sleep: Sleep = time.sleep
    pacer: Pacer | None = None
    stopper: StopBetweenMessages = field(default_factory=StopBetweenMessages)

    def send_all(
        self, recipients: list[Recipient], make: Callable[[Recipient], EmailMessage]
    ) -> Outcome:
        """Send to everyone not in the journal yet; a refusal or failure does not stop the rest,
        but a server out of reach or refusing the sender does (every message would fail).

        Ctrl-C stops after the message under way; what was sent is in the journal.
        """
        outcome = Outcome()
        index = 0
        try:
            with self.stopper:
                for index, recipient in enumerate(recipients):  # noqa: B007 - used after the loop
                    if self.journal.has(recipient.key):
                        outcome.before.append(recipient)
                        continue
                    self._send_one(recipient, make(recipient), outcome)
            return outcome
        except (Unreachable, SenderRefused) as error:
            outcome.failed.append((recipients[index], str(error)))
            self.report(f"failed    {recipients[index].email}: {error}")
            index += 1
        except KeyboardInterrupt:
            outcome.interrupted = True
        finally:
            self.connection.close()
        self._left(recipients[index:], outcome)
        return outcome

    def _left(self, rest: list[Recipient], outcome: Outcome) -> None:
        """Sort the recipients a stopped run did not reach."""
        done = {r.key for r in outcome.sent} | {r.key for r, _ in outcome.refused + outcome.failed}
        for recipient in rest:
            if self.journal.has(recipient.key):
                if recipient.key not in done:
                    outcome.before.append(recipient)
            elif recipient.key not in done:
                outcome.not_tried.append(recipient)

    def _send_one(self, recipient: Recipient, message: EmailMessage, outcome: Outcome) -> None:
        utf8 = not recipient.mailbox.isascii()
        data = message.as_bytes(policy=SMTPUTF8 if utf8 else SMTP)
        attempts = [0.0, *self.delays]
        for attempt, delay in enumerate(attempts):
            if self.stopper.requested:
                raise KeyboardInterrupt
            if delay:
                self.sleep(delay)
            if self.pacer:
                self.pacer.wait()
            try:
                with self.stopper.message():
                    reply = self.connection.deliver(
                        self.envelope_from, recipient.mailbox, data, utf8
                    )
                    self.journal.record(recipient.email, reply, str(message["Message-ID"]))
                    outcome.sent.append(recipient)
                    self.report(f"sent      {recipient.email} ({reply})")
                return
            except SenderRefused:
                raise
            except Refused as error:
                outcome.refused.append((recipient, str(error)))
                self.report(f"refused   {recipient.email}: {error}")
                return
            except Temporary as error:
                last = attempt == len(attempts) - 1
                if last and isinstance(error, Unreachable):
                    raise
                if last:
                    outcome.failed.append((recipient, str(error)))
                    self.report(f"failed    {recipient.email}: {error} (after {attempt + 1} tries)")
                    return
                self.report(f"retrying  {recipient.email}: {error}")
