"""One e-mail message of the issue: headers, plain text and HTML, and the PDF or its link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime

from ... import model
from ...layout import Layout
from .digest import wording
from .html import HtmlWriter
from .text import TextWriter


@dataclass(frozen=True)
class Attachment:
    """A file sent with the message: its name and bytes (the screen PDF)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class MailOptions:
    """What one message needs besides the document: who it is from and to, and what it carries.

    `to` None makes a draft for the editor (no To, marked unsent for Outlook); `attachment`
    None needs a `link` to the issue online instead.
    """

    sender: Address
    date: dt.datetime
    message_id: str
    reply_to: Address | None = None
    to: Address | None = None
    greeting_name: str | None = None
    attachment: Attachment | None = None
    link: str | None = None
    unsubscribe: str | None = None


def message(document: model.Document, layout: Layout, options: MailOptions) -> EmailMessage:
    """The message: multipart/alternative text and HTML, then the PDF if attached."""
    name = options.attachment.name if options.attachment else None
    words = wording(document, layout, options.greeting_name, name, options.unsubscribe)
    mail = EmailMessage(policy=default)
    mail["Subject"] = words.subject
    mail["From"] = options.sender
    if options.to is not None:
        mail["To"] = options.to
    else:
        mail["X-Unsent"] = "1"  # Outlook opens the file as a draft, ready to address and send
    if options.reply_to is not None:
        mail["Reply-To"] = options.reply_to
    mail["Date"] = format_datetime(options.date)
    mail["Message-ID"] = options.message_id
    if options.unsubscribe:
        mail["List-Unsubscribe"] = f"<mailto:{options.unsubscribe}?subject=unsubscribe>"
    text = TextWriter(document, layout, words).render(options.link)
    html = HtmlWriter(document, layout, words).render(options.link)
    mail.set_content(text, cte="quoted-printable")  # 7-bit safe for any server
    mail.add_alternative(html, subtype="html", cte="quoted-printable")
    if options.attachment is not None:
        mail.add_attachment(
            options.attachment.data, maintype="application", subtype="pdf", filename=name
        )
    return mail
