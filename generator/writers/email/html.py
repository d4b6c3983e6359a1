"""The HTML part of the e-mail: the digest in tables with inline styles, as mail clients need.

About 600 pixels wide (the layout's `email.width_px`), no remote images, no style sheet, no
script. Every cell that holds text gives its own background, so a client's dark mode changes
text and background together, or neither: no text colour is left on a background it was not
chosen for. Sizes, colours and fonts come from the layout's styles: those the model's nodes
name, `Normal` (the greeting, the introduction) and `Footer` (notes, the unsubscribe line).
"""

from __future__ import annotations

import re
from html import escape

from ... import model
from ...layout import Layout
from .digest import DigestVisitor, Wording, event_title

LINK_STYLE = "Hyperlink"
"""The character style of the link to the issue online (none if the layout has no such style)."""


NO_BREAK = re.compile("[^ \t\n]*(?:[\u00a0\u202f][^ \t\n]*)+")
"""Words joined by no-break spaces (a date, a date range): kept on one line in every client."""


def words_html(text: str) -> str:
    """Text as HTML: escaped, and what must not break across lines kept together."""
    return NO_BREAK.sub(lambda m: f'<span style="white-space:nowrap">{m[0]}</span>', escape(text))


def attr(value: str) -> str:
    return escape(value, quote=True)


class Css:
    """Inline CSS for the layout's named styles, in pixels."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.spec = layout.spec
        self.scale = layout.spec.email.px_per_pt

    def colour(self, name: str) -> str:
        return self.spec.colours[name].rgb

    def px(self, points: float) -> str:
        return f"{round(points * self.scale)}px"

    def font(self, name: str) -> str:
        family = self.spec.fonts[name].family
        return f"font-family:'{family}',{self.spec.email.fallback_fonts}"

    def paragraph(self, name: str, background: str | None = None) -> str:
        """A paragraph style as CSS: font, size, line height, colour, weight, spacing."""
        style = self.layout.style(name)
        parts = [
            self.font(style.font),
            f"font-size:{self.px(style.size)}",
            f"line-height:{self.px(style.leading)}",
            f"color:{self.colour(style.colour)}",
            f"margin:{self.px(style.space_before)} 0 {self.px(style.space_after)} 0",
            f"font-weight:{'bold' if style.bold else 'normal'}",
        ]
        if style.italic:
            parts.append("font-style:italic")
        if style.caps:
            parts.append("text-transform:uppercase")
        if style.rule_below:
            parts.append(f"border-bottom:2px solid {self.colour(style.rule_below)}")
            parts.append("padding-bottom:3px")
        if background:
            parts.append(f"background-color:{self.colour(background)}")
        return ";".join(parts)

    def character(self, name: str | None) -> str:
        """A character style as CSS ('' for none, or one the layout does not define)."""
        char = self.spec.character_styles.get(name or "")
        if char is None:
            return ""
        parts = []
        if char.bold:
            parts.append("font-weight:bold")
        if char.italic:
            parts.append("font-style:italic")
        if char.colour:
            parts.append(f"color:{self.colour(char.colour)}")
        parts.append(f"text-decoration:{'underline' if char.underline else 'none'}")
        return ";".join(parts)


class HtmlWriter(DigestVisitor):
    """The digest as HTML, one visit_<node> per model node type."""

    def __init__(self, document: model.Document, layout: Layout, wording: Wording) -> None:
        super().__init__()
        self.document = document
        self.layout = layout
        self.wording = wording
        self.css = Css(layout)
        self.paper = layout.spec.email.paper

    def render(self, link: str | None) -> str:
        info = self.document.info
        email = self.layout.spec.email
        outside = self.css.colour(email.background)
        paper = self.css.colour(self.paper)
        rows = [
            *self.visit(self.document.masthead),
            self.cell([*self.opening(link), *self.body(), *self.ending()]),
        ]
        if self.wording.unsubscribe:
            rows.append(
                self.cell([self.p("Footer", words_html(self.wording.unsubscribe))], "Footer")
            )
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{attr(info.language)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light dark">\n'
            '<meta name="supported-color-schemes" content="light dark">\n'
            f"<title>{escape(self.wording.subject)}</title>\n</head>\n"
            f'<body style="margin:0;padding:0;background-color:{outside}">\n'
            f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
            f'style="background-color:{outside}"><tr><td align="center" '
            f'style="padding:16px 8px;background-color:{outside}">\n'
            f'<table role="presentation" width="{email.width_px}" cellpadding="0" cellspacing="0" '
            f'border="0" style="width:100%;max-width:{email.width_px}px;'
            f'background-color:{paper}">\n' + "\n".join(rows) + "\n</table>\n"
            "</td></tr></table>\n</body>\n</html>\n"
        )

    def opening(self, link: str | None) -> list[str]:
        words = self.wording
        items = [
            self.p("Normal", words_html(words.greeting)),
            self.p("Normal", words_html(words.introduction)),
        ]
        if words.attached:
            items.append(self.p("Normal", words_html(words.attached)))
        if words.online and link:
            anchor = self.anchor(words.online, link, LINK_STYLE)
            items.append(self.p("Normal", f"<strong>{anchor}</strong>"))
        return items

    def body(self) -> list[str]:
        items: list[str] = []
        for section in self.document.sections:
            items.extend(self.visit(section))
        return items

    def ending(self) -> list[str]:
        words = self.wording
        return [
            self.p(
                "Normal", f"{words_html(words.closing)}<br>{words_html(words.signature)}", top=True
            )
        ]

    # -- building blocks ---------------------------------------------------------------

    def cell(self, items: list[str], style: str = "Normal", background: str | None = None) -> str:
        colour = self.css.colour(background or self.paper)
        font = self.css.font(self.layout.style(style).font)
        return (
            f'<tr><td style="padding:20px 28px;background-color:{colour};{font}">\n'
            + "\n".join(items)
            + "\n</td></tr>"
        )

    def p(self, style: str, inner: str, top: bool = False, background: str | None = None) -> str:
        css = self.css.paragraph(style, background or self.paper)
        if top:
            css += ";margin-top:18px"
        return f'<p style="{css}">{inner}</p>'

    def anchor(self, text: str, url: str, style: str | None) -> str:
        return f'<a href="{attr(url)}" style="{self.css.character(style)}">{words_html(text)}</a>'

    def runs(self, runs: tuple[model.Run, ...]) -> str:
        html = []
        for run in runs:
            if run.url:
                html.append(self.anchor(run.text, run.url, run.style))
            elif run.style and self.css.character(run.style):
                html.append(
                    f'<span style="{self.css.character(run.style)}">{words_html(run.text)}</span>'
                )
            else:
                html.append(words_html(run.text))
        return "".join(html)

    # -- nodes -------------------------------------------------------------------------

    def visit_masthead(self, masthead: model.Masthead) -> list[str]:
        band = self.layout.page.masthead_background
        first = masthead.publisher[:1]
        lines = [self.p(p.style, self.runs(p.runs), background=band) for p in first]
        issue = f"{words_html(masthead.period.text)} · {words_html(masthead.issue.text)}"
        lines.append(self.p(masthead.period.style, issue, background=band))
        lines.append(self.p(masthead.title.style, self.runs(masthead.title.runs), background=band))
        return [self.cell(lines, masthead.title.style, band)]

    def visit_section(self, section: model.Section) -> list[str]:
        heading = self.visit(section.heading) if section.heading else []
        blocks, omitted = self.section_blocks(section)
        more = [self.p("Footer", f"<em>{words_html(self.wording.in_full)}</em>")] if omitted else []
        return [*heading, *blocks, *more]

    def visit_heading(self, heading: model.Heading) -> list[str]:
        css = self.css.paragraph(heading.style, self.paper) + ";margin-top:22px"
        return [f'<h2 style="{css}">{words_html(heading.text)}</h2>']

    def visit_paragraph(self, paragraph: model.Paragraph) -> list[str]:
        return [self.p(paragraph.style, self.runs(paragraph.runs))]

    def visit_group(self, group: model.Group) -> list[str]:
        heading = self.p(group.heading.style, self.runs(group.heading.runs))
        items = "".join(
            f'<li style="{self.css.paragraph(event.style, self.paper)}">'
            f"{self.runs(event_title(event))}</li>"
            for event in group.paragraphs
        )
        return [heading, f'<ul style="margin:0 0 8px 0;padding-left:22px">{items}</ul>']
