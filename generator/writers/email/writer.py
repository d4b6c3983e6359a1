"""The e-mail writer behind the writers' contract: the issue as a ready .eml message."""

from __future__ import annotations

from pathlib import Path

from ... import model
from ...layout import Layout
from .message import MailOptions, message


class EmailWriter:
    """Writes one e-mail message (.eml) of the issue: a digest in text and HTML, the PDF."""

    key = "email"
    suffix = ".eml"
    description = "e-mail message: the issue's digest, with the screen PDF or its link"

    def write(
        self, document: model.Document, layout: Layout, target: Path, options: MailOptions
    ) -> int:
        """Write the message to `target`; a message has no pages, so 0."""
        target.write_bytes(message(document, layout, options).as_bytes())
        return 0
