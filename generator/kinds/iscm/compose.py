"""Data + layout wording -> the document model. Every content decision is made here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from ... import inline, locale_words
from ...dates import DateSpan, month_names, tie_days, to_roman, word_period, word_spans
from ...errors import KeyPath, format_path
from ...layout import Layout
from ...model import (
    PAGE,
    PAGES,
    BarChart,
    Block,
    Document,
    DocumentInfo,
    Group,
    Heading,
    Masthead,
    Origin,
    PageFooter,
    Paragraph,
    Provenance,
    Run,
    Section,
    Table,
    TableCell,
    TableRow,
)
from ...quote_marks import quote_marks
from . import EVENTS_CONTINUED, MECHANISM_CONTINUED
from .data import Event, Mechanism, Theme
from .validate import Issue

# Latin letters that Unicode does not decompose into a base letter and a mark, folded to
# the letters a reader files them under (after casefold, so lower case only).
LETTER_FOLDS = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
        "ƀ": "b",
        "ɨ": "i",
        "ƶ": "z",
        "ǥ": "g",
    }
)


LAST_SPACE = re.compile(r"[ \t\n]+(?=\S+\s*$)")


def last_words_together(text: str) -> str:
    """A heading whose last line never holds one word alone: the space before its last word
    becomes a no-break space ("... MAIN EVENTS IN 2020" breaks before "IN", not "2020").
    A heading of two words is left free to break."""
    if len(text.split()) < 3:
        return text
    return LAST_SPACE.sub("\u00a0", text, count=1)


def collation_key(text: str) -> tuple[str, str, str]:
    """Sort key for names as a reader expects, not by code points.

    An approximation of the Unicode Collation Algorithm's first three levels for Latin
    script: letters first, without accents or case ("Élan" beside "Elan", "AU" after "Arab",
    "Łódź" among the L's, "Æsir" as "Aesir"), then accents, then case. It knows no
    language's own rules (Danish Æ and Ø after Z, for instance).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold().translate(LETTER_FOLDS), decomposed.casefold(), text.swapcase()


class Composer:
    """Builds the document model of one issue with one layout's wording."""

    def __init__(self, issue: Issue, layout: Layout) -> None:
        self.issue = issue
        self.data = issue.year
        self.layout = layout
        self.locale = issue.settings.locale
        self.quote_marks = quote_marks(self.locale)
        self.title = self.plain(issue.settings.title.replace("{year}", str(self.data.year)))
        self.names = {
            "year": self.data.year,
            "issue": self.data.issue,
            "issue_roman": to_roman(self.data.issue),
            "title": self.title,
        }
        self.urls: list[str] = []

    def words(self, key: str, **extra: object) -> str:
        return self.layout.words(key, **self.names, **extra)

    def origin(self, path: KeyPath) -> Origin:
        line, column = self.issue.source.where(path)
        return Origin(self.issue.source.file, line, column, format_path(path))

    # -- inline text -------------------------------------------------------------------

    def runs(
        self, text: str, bold_style: str = "Strong", data: KeyPath | None = None
    ) -> tuple[Run, ...]:
        """Marked-up data text -> runs in character styles; links are recorded. `data` is
        the key path the text comes from (None: wording)."""
        result = []
        before = " "
        for span in inline.parse(text):
            words = self.typeset(span.text, before)
            before = words[-1:] or before
            if span.url:
                self.urls.append(span.url)
                result.append(Run(words, "Hyperlink", span.url, data))
            elif span.bold:
                result.append(Run(words, bold_style, data=data))
            elif span.italic:
                result.append(Run(words, "Emphasis", data=data))
            else:
                result.append(Run(words, data=data))
        return tuple(result)

    def plain(self, text: str) -> str:
        """Data text as a reader sees it: no markup, typographic quotes and apostrophes."""
        return self.typeset(inline.plain(text))

    def typeset(self, text: str, before: str = " ") -> str:
        """Plain text as set: typographic quotes, dates and code that no line breaks."""
        typed = inline.typographic(text, before, self.quote_marks)
        return tie_days(inline.code_unbroken(typed), self.locale)

    def typeset_name(self, name: str) -> str:
        """A mechanism's name as set: typographic quotes, code that no line breaks."""
        return inline.code_unbroken(inline.typographic(name, marks=self.quote_marks))

    def title_runs(self, text: str, data: KeyPath | None = None) -> tuple[Run, ...]:
        """An event's title in the Event Title style; a link in it stays a link."""
        runs: list[Run] = []
        for run in self.runs(text, "Event Title", data):
            style = "Hyperlink" if run.url else "Event Title"
            if runs and (runs[-1].style, runs[-1].url) == (style, run.url):
                runs[-1] = Run(runs[-1].text + run.text, style, run.url, data)  # bold in bold
            else:
                runs.append(Run(run.text, style, run.url, data))
        return tuple(runs)

    def link(self, text: str, url: str, data: KeyPath | None = None) -> Run:
        self.urls.append(url)
        return Run(self.plain(text), "Hyperlink", url, data)

    # -- the document ------------------------------------------------------------------

    def document(self) -> Document:
        masthead = self.masthead()
        sections = [
            self.events_section(),
            *self.feature_sections(),
            self.themes_section(),
            self.chart_section(),
            self.publications_section(),
            self.closing_section(),
        ]
        source = self.issue.source
        info = self.info()
        return Document(
            info,
            masthead,
            tuple(s for s in sections if s),
            self.footer(),
            tuple(self.urls),
            Provenance(self.data.year, source.file, source.text),
            self.mechanism_names(),
            month_names(info.language),
        )

    def mechanism_names(self) -> tuple[str, ...]:
        """Every name, acronym and short name of the registry's mechanisms, as text shows
        them: no line hyphenates them."""
        found = set()
        for key in self.issue.registry:
            mechanism = self.mechanism(key)
            for name in (mechanism.name, mechanism.acronym, mechanism.short):
                if name:
                    found.add(inline.typographic(name, marks=self.quote_marks))
        return tuple(sorted(found))

    def info(self) -> DocumentInfo:
        settings = self.issue.settings
        subject = settings.subject.replace("{year}", str(self.data.year))
        return DocumentInfo(
            self.title,
            settings.publisher.organisation,
            subject,
            tuple(settings.keywords),
            self.locale.replace("_", "-"),
        )

    def footer(self) -> PageFooter:
        label = self.words("page_label", page=PAGE, pages=PAGES)
        parts = tuple(p for p in re.split(r"(\{page\}|\{pages\})", label) if p)
        return PageFooter(self.words("footer"), parts)

    def masthead(self) -> Masthead:
        publisher = self.issue.settings.publisher
        lines = [
            Paragraph("Masthead Publisher", self.runs(text))
            for text in (publisher.organisation, publisher.department, publisher.division)
        ]
        mailto = self.link(publisher.email, f"mailto:{publisher.email}")
        email = (Run(self.words("email")), Run(mailto.text, "Masthead Link", mailto.url))
        lines.append(Paragraph("Masthead Publisher", email))
        period = word_period(self.data.period, self.locale)
        return Masthead(
            tuple(lines),
            Paragraph("Masthead Period", (Run(period),)),
            Paragraph("Masthead Issue", (Run(self.words("issue")),)),
            Paragraph("Title", (Run(last_words_together(self.title)),)),
        )

    def section(
        self,
        key: str,
        heading: Heading | None,
        blocks: Iterable[Block],
        continued: Paragraph | None = None,
    ) -> Section:
        setting = self.layout.section(key)
        if heading is not None:
            heading = replace(heading, text=last_words_together(heading.text))
        if continued is not None:
            together = Run(last_words_together(continued.text))
            continued = replace(continued, runs=(together,))
        return Section(key, heading, tuple(blocks), setting.columns, setting.frame, continued)

    # -- main events -------------------------------------------------------------------

    def events_section(self) -> Section | None:
        if not self.data.events:
            return None  # a fresh year file: nothing to print yet (a warning says so)
        keys = sorted(self.data.events, key=lambda k: collation_key(self.issue.sort_name(k)))
        heading = Heading("Heading 1", self.words("events_heading"), 1, "events")
        entries = [self.mechanism_entry(key) for key in keys]
        continued = Paragraph(EVENTS_CONTINUED, (Run(self.words("events_continued")),))
        return self.section("events", heading, entries, continued)

    def mechanism(self, key: str) -> Mechanism:
        return self.issue.mechanism(key)

    def mechanism_entry(self, key: str) -> Group:
        mechanism = self.mechanism(key)
        name = last_words_together(self.typeset_name(mechanism.heading))
        if mechanism.website:
            heading_runs: tuple[Run, ...] = (self.link(name, mechanism.website),)
        else:
            heading_runs = (Run(name),)
        shown = self.typeset_name(mechanism.heading)
        continued = last_words_together(self.words("mechanism_continued", name=shown))
        note_text = self.data.notes.get(key)
        note = None
        if note_text:
            path = ("notes", key)
            note = Paragraph("Mechanism Note", self.runs(note_text, data=path), self.origin(path))
        events = tuple(
            self.event(event, ("events", key, i)) for i, event in enumerate(self.data.events[key])
        )
        return Group(
            key,
            Paragraph("Mechanism", heading_runs, self.origin(("events", key))),
            Paragraph(MECHANISM_CONTINUED, (Run(continued),)),
            note,
            events,
            self.origin(("events", key)),
            f"mechanism-{key}",
        )

    def event(self, event: Event, path: KeyPath) -> Paragraph:
        """'**Title**, 1–2 March, Rabat, Morocco, addressed ...' or the event's free text.

        An event known only by what it addressed opens with the layout's wording for it:
        'A meeting, 23–24 January, focused on ...'."""
        if event.text is not None:
            text_runs = self.runs(event.text, "Event Title", (*path, "text"))
            return Paragraph("Event", text_runs, self.origin(path))
        if event.title is None:
            runs = [Run(self.words("event_without_title"))]
        else:
            runs = list(self.title_runs(event.title, (*path, "title")))
        runs.append(Run(", "))
        runs.extend(self.event_details(event, path))
        if event.summary:
            runs.append(Run(", "))
            runs.extend(self.runs(event.summary, "Event Title", (*path, "summary")))
            ending = self.plain(event.summary).rstrip().rstrip("\"'”’»)]")
            if not ending.endswith((".", "!", "?", "…")):
                runs.append(Run("."))
        else:
            runs.append(Run("."))
        return Paragraph("Event", tuple(runs), self.origin(path))

    def event_details(self, event: Event, path: KeyPath) -> list[Run]:
        """'1–2 March, Rabat, Morocco', or each session's dates and place, as runs that
        say which value each piece shows (the dates' wording is the writer's, not data)."""
        if event.sessions:
            sessions = event.sessions
            order = sorted(range(len(sessions)), key=lambda i: min(sessions[i].dates))
            runs: list[Run] = []
            for n, i in enumerate(order):
                session = event.sessions[i]
                if n:
                    runs.append(Run("; "))
                runs.extend(
                    self.dates_and_place(session.dates, session.place, (*path, "sessions", i))
                )
            return runs
        assert event.dates is not None
        return self.dates_and_place(event.dates, event.place, path)

    def dates_and_place(
        self, dates: tuple[DateSpan, ...], place: str | None, path: KeyPath
    ) -> list[Run]:
        runs = [Run(word_spans(dates, self.locale), data=(*path, "dates"))]
        if place:
            runs += [Run(", "), Run(self.plain(place), data=(*path, "place"))]
        return runs

    # -- features ----------------------------------------------------------------------

    def feature_sections(self) -> list[Section]:
        sections = []
        for i, feature in enumerate(self.data.features):
            path = ("features", i)
            title = self.plain(feature.title)
            heading = Heading("Feature Title", title, 1, f"feature-{i + 1}", (*path, "title"))
            blocks = []
            for j, text in enumerate(feature.paragraphs):
                where = (*path, "paragraphs", j)
                blocks.append(
                    Paragraph("Feature Text", self.runs(text, data=where), self.origin(where))
                )
            sections.append(self.section("feature", heading, blocks))
        return sections

    # -- themes and chart --------------------------------------------------------------

    def themes_section(self) -> Section | None:
        tables = [
            self.theme_table("global_initiatives", self.data.global_initiatives, "initiatives"),
            self.theme_table("thematic_areas", self.data.thematic_areas, "areas"),
        ]
        blocks = [t for t in tables if t]
        if not blocks:
            return None
        heading = Heading("Heading 1", self.words("themes_heading"), 1, "themes")
        return self.section("themes", heading, blocks)

    def theme_table(self, key: str, themes: list[Theme], wording: str) -> Table | None:
        """A table of themes and their ISCMs; `wording` names its caption, header and
        description in text.yaml (`<wording>_caption`, ...)."""
        if not themes:
            return None
        caption, header = f"{wording}_caption", f"{wording}_header"
        style_name = "Theme Table"
        rows = []
        cells: tuple[TableCell, ...] = ()
        for i, theme in enumerate(themes):
            labels = ", ".join(self.typeset_name(self.mechanism(m).label) for m in theme.mechanisms)
            cells = (
                TableCell(self.runs(theme.name, data=(key, i, "name"))),
                TableCell((Run(labels),)),
            )
            rows.append(TableRow(cells, self.origin((key, i))))
        widths = tuple(self.layout.spec.tables[style_name].widths)
        total = sum(widths)
        headers = tuple(self.layout.word_list(header, **self.names))
        if len(headers) != len(cells):
            raise self.layout.wording_problem(
                header,
                f"{len(headers)} headers for a table of {len(cells)} columns",
                f"give {len(cells)}: a list of one header per column",
            )
        if len(widths) != len(headers):
            raise self.layout.problem(
                ("tables", style_name, "widths"),
                f"{len(widths)} widths for a table of {len(headers)} columns",
                f"give {len(headers)} widths, one per column ({header} in text.yaml)",
            )
        return Table(
            style_name,
            Paragraph("Table Caption", (Run(self.words(caption)),)),
            headers,
            tuple(rows),
            tuple(w / total for w in widths),
            self.words(f"{wording}_description", count=len(rows)),
        )

    def chart_section(self) -> Section | None:
        counts = [(self.plain(t.name), len(set(t.mechanisms))) for t in self.data.thematic_areas]
        if not counts:
            return None
        counts.sort(key=lambda item: (-item[1], collation_key(item[0])))
        shown = counts[: self.layout.chart.max_bars]
        summary = "; ".join(f"{name}: {count}" for name, count in shown)
        title = self.words("chart_heading")
        alt = self.words("chart_alt", count=len(shown), summary=summary)
        table = self.words("areas_caption")
        brief = self.words("chart_alt_brief", count=len(shown), table=table)
        chart = BarChart(
            title,
            tuple(n for n, _ in shown),
            tuple(c for _, c in shown),
            alt,
            self.layout.chart.style,
            brief,
        )
        return self.section("chart", Heading("Heading 1", title, 1, "chart"), [chart])

    # -- publications and closing ------------------------------------------------------

    def publications_section(self) -> Section | None:
        if not self.data.publications:
            return None
        blocks = []
        for i, publication in enumerate(self.data.publications):
            runs = [self.link(publication.title, publication.url, ("publications", i, "title"))]
            if publication.mechanism:  # registry names are plain text everywhere
                label = self.typeset_name(self.mechanism(publication.mechanism).label)
                runs.append(Run(f" ({label})"))
            elif publication.publisher:
                runs.append(Run(f" ({self.plain(publication.publisher)})"))
            blocks.append(Paragraph("Publication", tuple(runs), self.origin(("publications", i))))
        heading = Heading("Heading 1", self.words("publications_heading"), 1, "publications")
        return self.section("publications", heading, blocks)

    def closing_section(self) -> Section | None:
        if not self.data.closing:
            return None
        blocks = []
        for i, line in enumerate(self.data.closing):
            links = [
                self.link(link.label, link.url, ("closing", i, "links", j, "label"))
                for j, link in enumerate(line.links)
            ]
            runs = [Run(f"{self.plain(line.label)}: ", "Strong"), *self.listed(links)]
            blocks.append(Paragraph("Closing", tuple(runs), self.origin(("closing", i))))
        return self.section("closing", None, blocks)

    def listed(self, runs: list[Run]) -> list[Run]:
        """Runs joined as the locale joins a list: 'a, b and c'."""
        marks = [f"\x00{i}\x00" for i in range(len(runs))]
        pattern = locale_words.listed(marks, self.locale)
        result = []
        for i, piece in enumerate(pattern.split("\x00")):
            if i % 2:
                result.append(runs[int(piece)])
            elif piece:
                result.append(Run(piece))
        return result


def compose(issue: Issue, layout: Layout) -> Document:
    """Build the document model of an issue with a layout."""
    return Composer(issue, layout).document()
