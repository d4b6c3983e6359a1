"""The ISCM Highlights (IOM): the registry of mechanisms, their events, theme tables and chart.

A data folder holds `bulletin.yaml` (settings), `mechanisms.yaml` (the registry) and one
`<year>.yaml` per issue: `data` and `validate` check them, `compose` makes the document,
`summary` words what `bulletin check` prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import BulletinError, shown_path
from ...style_names import WRITERS, StyleNames

if TYPE_CHECKING:
    from ...errors import Problem
    from ...layout import Layout
    from ...model import Document
    from ...sources import Source
    from .validate import Issue

EVENTS_CONTINUED = "Heading 1 Continued"
MECHANISM_CONTINUED = "Mechanism Continued"
CONTINUED_STYLES = (EVENTS_CONTINUED, MECHANISM_CONTINUED)
"""The styles of the headings set again where the events go on in another column or page:
pagination artifacts, not data (a pull passes them by)."""

STYLES = WRITERS | StyleNames(
    paragraph=(
        "Masthead Publisher",
        "Masthead Period",
        "Masthead Issue",
        "Title",
        "Heading 1",
        EVENTS_CONTINUED,
        "Mechanism",
        MECHANISM_CONTINUED,
        "Mechanism Note",
        "Event",
        "Feature Title",
        "Feature Text",
        "Table Caption",
        "Publication",
        "Closing",
    ),
    character=("Strong", "Emphasis", "Hyperlink", "Event Title", "Masthead Link"),
    table=("Theme Table",),
    chart=True,
    wording=(
        "events_heading",
        "events_continued",
        "mechanism_continued",
        "event_without_title",
        "themes_heading",
        "initiatives_caption",
        "areas_caption",
        "initiatives_header",
        "areas_header",
        "initiatives_description",
        "areas_description",
        "chart_heading",
        "chart_alt",
        "chart_alt_brief",
        "publications_heading",
        "closing_heading",
        "issue",
        "email",
        "footer",
        "page_label",
        "mail_subject",
        "mail_greeting",
        "mail_greeting_neutral",
        "mail_introduction",
        "mail_attached",
        "mail_online",
        "mail_in_full",
        "mail_closing",
        "mail_signature",
        "mail_unsubscribe",
    ),
)
"""What the ISCM Highlights use: compose writes exactly these names (tests check it)."""


class IscmHighlights:
    """The ISCM Highlights as a kind of bulletin."""

    key = "iscm"
    styles = STYLES
    layout = "iscm"

    def load(self, data_dir: Path, year: str) -> Issue:
        from .validate import load_issue

        return load_issue(data_dir, year)

    def compose(self, issue: Issue, layout: Layout) -> Document:
        from .compose import compose

        return compose(issue, layout)

    def pull(self, data_dir: Path, year: str, docx: Path) -> Any:
        """The edits of a Word file of this kind, as changes to the year's data."""
        from .pull import pull

        return pull(data_dir, year, docx)

    def write_changes(self, pulled: Any, write: bool = True) -> None:
        from .pull import write_changes

        write_changes(pulled, write)

    def summarise(self, issue: Issue) -> str:
        from .summary import summarise

        return summarise(issue)

    def file_stem(self, issue: Issue, year: str) -> str:
        return issue.settings.file_name.replace("{year}", year)

    def warnings(self, issue: Issue, layout: Layout) -> list[Problem]:
        from .year_warnings import year_warnings

        return year_warnings(issue, layout)

    def new(self, data_dir: Path, year: str) -> str:
        """A fresh year file: the next issue number, the whole year, empty sections."""
        from .new_year import new_year

        path, issue = new_year(data_dir, year)
        return (
            f"wrote     {path} (issue {issue}, the whole of {year}; nothing else yet)\n"
            f"next      fill it in, then run: bulletin check {year}"
        )

    def sources(self, data_dir: Path, issue: Issue) -> list[Source]:
        """The year file, then the registry and the settings (as far as they can be read)."""
        from ... import sources

        found = [issue.source]
        for name in ("mechanisms.yaml", "bulletin.yaml"):
            try:
                found.append(sources.load(data_dir / name, shown_path(data_dir / name)))
            except BulletinError:
                continue
        return found
