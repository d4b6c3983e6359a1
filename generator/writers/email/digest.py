"""What the e-mail tells of an issue: a digest of the document model, the same for both parts.

The e-mail announces the issue; the PDF (attached or linked) carries all of it. So the digest
keeps the masthead, every section's heading, each group with its paragraphs' titles, and the
paragraphs of unframed sections (publications, closing links) with their links; it leaves
out tables, charts and the text of framed sections (a feature keeps its title), and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ... import model
from ...layout import Layout
from ...visitor import Visitor

TITLE_STYLE = "Event Title"
"""The character style compose gives an event's title (or its bold words in free text)."""


@dataclass(frozen=True)
class Wording:
    """The e-mail's fixed wording for one message, from the layout's text.yaml."""

    subject: str
    greeting: str
    introduction: str
    attached: str | None
    online: str | None
    in_full: str
    closing: str
    signature: str
    unsubscribe: str | None


def names(document: model.Document) -> dict[str, str]:
    """The names the e-mail's templates may use, all taken from the document model."""
    return {
        "title": document.info.title,
        "issue_label": document.masthead.issue.text,
        "period": document.masthead.period.text,
        "organisation": document.info.author,
    }


def subject(document: model.Document, layout: Layout) -> str:
    return layout.words("mail_subject", **names(document))


def wording(
    document: model.Document,
    layout: Layout,
    greeting_name: str | None,
    attachment_name: str | None,
    unsubscribe: str | None,
) -> Wording:
    """Render every fixed text of one message (a greeting by name, or the neutral one)."""
    values = names(document)
    if greeting_name:
        greeting = layout.words("mail_greeting", **values, name=greeting_name)
    else:
        greeting = layout.words("mail_greeting_neutral", **values)
    return Wording(
        subject=layout.words("mail_subject", **values),
        greeting=greeting,
        introduction=layout.words("mail_introduction", **values),
        attached=layout.words("mail_attached", **values, file=attachment_name)
        if attachment_name
        else None,
        online=None if attachment_name else layout.words("mail_online", **values),
        in_full=layout.words("mail_in_full", **values),
        closing=layout.words("mail_closing", **values),
        signature=layout.words("mail_signature", **values),
        unsubscribe=layout.words("mail_unsubscribe", **values, address=unsubscribe)
        if unsubscribe
        else None,
    )


def event_title(event: model.Paragraph) -> tuple[model.Run, ...]:
    """An event's title runs (from its first to its last, with the words between: 'webinars and
    workshops'); a free-text event without a title is given whole."""
    marked = [i for i, run in enumerate(event.runs) if run.style == TITLE_STYLE]
    return event.runs[marked[0] : marked[-1] + 1] if marked else event.runs


class DigestVisitor(Visitor):
    """A walker of the model for the e-mail: one visit_<node> per node type; an unknown node
    raises. `omitted` records that a section had blocks the digest leaves to the full issue."""

    def __init__(self) -> None:
        self.omitted = False

    def section_blocks(self, section: model.Section) -> tuple[list[str], bool]:
        """The rendered blocks a section shows, and whether it left any out.

        A framed section (a feature) is announced by its heading only.
        """
        if section.frame:
            return [], bool(section.blocks)
        self.omitted = False
        rendered: list[str] = []
        for block in section.blocks:
            rendered.extend(self.visit(block))
        return rendered, self.omitted

    def visit_table(self, table: model.Table) -> list[str]:
        self.omitted = True  # tables are read in the full issue
        return []

    def visit_barchart(self, chart: model.BarChart) -> list[str]:
        self.omitted = True  # so is the chart
        return []

    def visit_image(self, image: model.Image) -> list[str]:
        self.omitted = True  # and pictures: the message loads no image
        return []
