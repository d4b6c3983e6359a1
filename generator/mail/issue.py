"""`bulletin mail`: the issue as an e-mail message (.eml), and its sending to a list."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from .. import inline
from ..build import build, file_stem
from ..checking import Warn, project_of
from ..errors import fail, shown_path
from ..layout import LAYOUTS, Layout
from ..layout_spec import FONTS
from ..model import Document
from ..writers.email import Attachment, EmailWriter, MailOptions, message
from .journal import Journal
from .recipients import Recipient, read_recipients
from .sending import DELAYS, Outcome, Pacer, Sender, Sleep
from .smtp import Connection, Server, check_security, credentials, is_loopback

Report = Callable[[str], None]


@dataclass(frozen=True)
class Prepared:
    """An issue ready to go by e-mail: its document, the PDF (or link) and the .eml written."""

    issue: Any  # the kind's issue: its settings give the sender and the publisher
    layout: Layout
    document: Document
    pdf: Path | None
    attachment: Attachment | None
    link: str | None
    eml: Path
    out_dir: Path
    stem: str

    def options(self, to: Recipient | None, now: dt.datetime | None = None) -> MailOptions:
        """The message options for one recipient, or for the editor's draft (None)."""
        settings = self.issue.settings
        mail = settings.mail
        sender = mail.sender if mail else settings.publisher.email
        name = mail.sender_name if mail and mail.sender_name else settings.publisher.organisation
        reply_to = mail.reply_to if mail else None
        return MailOptions(
            sender=_address(sender, name),
            date=now or dt.datetime.now(dt.UTC),
            message_id=make_msgid(domain=sender.rpartition("@")[2]),
            reply_to=_address(reply_to) if reply_to else None,
            to=_address(to.mailbox, to.name) if to else None,
            greeting_name=to.name if to else None,
            attachment=self.attachment,
            link=self.link,
            unsubscribe=mail.unsubscribe if mail else None,
        )

    def message(self, to: Recipient) -> EmailMessage:
        return message(self.document, self.layout, self.options(to))

    @property
    def envelope_from(self) -> str:
        mail = self.issue.settings.mail
        return mail.sender if mail else self.issue.settings.publisher.email

    @property
    def journal(self) -> Path:
        return self.out_dir / f"{self.stem}.mail-journal.jsonl"


def _address(email: str, name: str | None = None) -> Address:
    """A header address; built from its parts, so an international one (jörg@...) is kept."""
    username, _, domain = email.rpartition("@")
    return Address(
        display_name=inline.plain(name) if name else "", username=username, domain=domain
    )


def prepare(
    data_dir: Path,
    year: str,
    layout_name: str | None,
    out_dir: Path,
    link: str | None,
    report: Report,
    warn: Warn | None = None,
) -> Prepared:
    """Check the data, build the screen PDF if it is missing or stale, write the .eml.

    The PDF is the layout's screen file, named as `bulletin build` names it; a build's
    warnings go to `warn`."""
    from ..checking import check, layout_for

    checked = check(data_dir, year, layout_name)
    kind, issue = checked.kind, checked.issue
    layout = layout_for(kind, layout_name, data_dir)
    stem = file_stem(kind, issue, year, layout.name)
    pdf = out_dir / f"{stem}.pdf"
    if link is None:
        stale = _stale(pdf, _inputs(data_dir))
        if stale:
            report(f"building  {pdf.name} ({stale})")
            build(data_dir, year, layout_name, out_dir, ("pdf",), report, warn=warn)
    document = kind.compose(issue, layout)
    eml = out_dir / f"{stem}.eml"
    attachment = None if link else _attachment(pdf)
    prepared = Prepared(
        issue, layout, document, None if link else pdf, attachment, link, eml, out_dir, stem
    )
    _write_draft(prepared)
    return prepared


def _attachment(pdf: Path) -> Attachment:
    """The PDF read once, so every recipient gets the same bytes."""
    try:
        return Attachment(pdf.name, pdf.read_bytes())
    except OSError as error:
        raise fail(str(pdf), f"cannot read the PDF: {error.strerror}", "build it again") from None


def _inputs(data_dir: Path) -> list[Path]:
    """The files the PDF is made from: the data, the layouts and the fonts."""
    files = sorted(data_dir.glob("*.yaml"))  # the kind's data files, and some more
    project = project_of(data_dir)
    for folder in (LAYOUTS, FONTS, project / "layouts", project / "fonts"):
        files += [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return files


def _stale(pdf: Path, inputs: Iterable[Path]) -> str:
    """Why the PDF must be built again ('' if it need not): missing, or older than an input."""
    if not pdf.is_file():
        return "missing"
    built = pdf.stat().st_mtime
    newer = [p for p in inputs if p.is_file() and p.stat().st_mtime > built]
    return f"older than {shown_path(newer[0])}" if newer else ""


def _write_draft(prepared: Prepared) -> None:
    """Write the editor's .eml (no To, marked unsent) all at once, or not at all."""
    writer = EmailWriter()
    target = prepared.eml
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        writer.write(prepared.document, prepared.layout, temporary, prepared.options(None))
        os.replace(temporary, target)
    except OSError as error:
        raise fail(
            str(target.parent),
            f"cannot write the message: {error.strerror or error}",
            "choose another folder with --output, or fix its permissions or free space",
        ) from None
    finally:
        temporary.unlink(missing_ok=True)


def recipients(path: Path) -> list[Recipient]:
    return read_recipients(path, shown_path(path))


def dry_run(prepared: Prepared, listed: list[Recipient], report: Report) -> Outcome:
    """Say what a real run would do, without connecting: who gets a message, who had one."""
    outcome = Outcome()
    sent = _journaled(prepared.journal)
    for recipient in listed:
        if recipient.key in sent:
            outcome.before.append(recipient)
            report(f"skip      {recipient.email} (sent before)")
        else:
            outcome.not_tried.append(recipient)
            greeting = recipient.name or "neutral greeting"
            report(f"would send {recipient.email} ({greeting})")
    return outcome


def _journaled(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    with Journal(path) as journal:
        return set(journal.sent)


def send(
    prepared: Prepared,
    listed: list[Recipient],
    server: Server,
    report: Report,
    per_minute: float | None = None,
    delays: Sequence[float] = DELAYS,
    sleep: Sleep = time.sleep,
) -> Outcome:
    """Send one message per recipient not yet in the journal; refuse insecure set-ups first."""
    check_security(server)
    login = credentials()
    connection = Connection(server, login, is_loopback(server.host))
    pacer = Pacer(per_minute, sleep, time.monotonic) if per_minute else None
    with Journal(prepared.journal) as journal:
        sender = Sender(connection, journal, prepared.envelope_from, report, delays, sleep, pacer)
        return sender.send_all(listed, prepared.message)
