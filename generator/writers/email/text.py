"""The plain-text part of the e-mail: the digest as text that reads well on its own."""

from __future__ import annotations

import re
import textwrap

from ... import model
from ...layout import Layout
from .digest import DigestVisitor, Wording, event_title

WIDTH = 72
"""Characters per line: under the 78 that mail standards ask for, with room for quoting."""


def fill(text: str, indent: str = "", first: str | None = None) -> list[str]:
    """Wrap a paragraph; long words and web addresses are never broken."""
    wrapper = textwrap.TextWrapper(
        width=WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(text) or [indent.rstrip()]


def plain(runs: tuple[model.Run, ...]) -> str:
    """Runs as text; a link shows its address after its label: 'Label <https://...>'."""
    parts = []
    for run in runs:
        if not run.url:
            parts.append(run.text)
            continue
        address = run.url.removeprefix("mailto:")
        parts.append(run.text if address == run.text.strip() else f"{run.text} <{run.url}>")
    return "".join(parts)


class TextWriter(DigestVisitor):
    """The digest as plain text, one visit_<node> per model node type."""

    def __init__(self, document: model.Document, layout: Layout, wording: Wording) -> None:
        super().__init__()
        self.document = document
        self.layout = layout
        self.wording = wording

    def render(self, link: str | None) -> str:
        words = self.wording
        lines = [*self.visit(self.document.masthead), "", words.greeting, ""]
        lines += [*fill(words.introduction), ""]
        if words.attached:
            lines += [*fill(words.attached), ""]
        if words.online and link:
            lines += [f"{words.online}:", link, ""]
        for section in self.document.sections:
            lines += [*self.visit(section), ""]
        lines += [words.closing, words.signature]
        if words.unsubscribe:
            lines += ["", "-- ", *fill(words.unsubscribe)]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"

    def heading_text(self, text: str, style: str) -> str:
        return text.upper() if self.layout.style(style).caps else text

    # -- nodes -------------------------------------------------------------------------

    def visit_masthead(self, masthead: model.Masthead) -> list[str]:
        title = masthead.title.text
        first = [line for p in masthead.publisher[:1] for line in fill(plain(p.runs))]
        issue = fill(f"{masthead.period.text} · {masthead.issue.text}")
        return [*first, *issue, "", title, "=" * len(title)]

    def visit_section(self, section: model.Section) -> list[str]:
        heading = self.visit(section.heading) if section.heading else []
        blocks, omitted = self.section_blocks(section)
        more = ["", *fill(f"({self.wording.in_full})")] if omitted else []
        return [*heading, *blocks, *more]

    def visit_heading(self, heading: model.Heading) -> list[str]:
        text = self.heading_text(heading.text, heading.style)
        lines = fill(text)
        return [*lines, "-" * min(WIDTH, max(len(line) for line in lines)), ""]

    def visit_paragraph(self, paragraph: model.Paragraph) -> list[str]:
        return [*fill(plain(paragraph.runs)), ""]

    def visit_group(self, group: model.Group) -> list[str]:
        lines = fill(plain(group.heading.runs))
        for event in group.paragraphs:
            lines += fill(plain(event_title(event)), "  ", "- ")
        return [*lines, ""]
