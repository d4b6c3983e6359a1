"""`bulletin pull`: bring the edits made in a Word file back into the year's data.

Three texts meet for every data value the Word file shows: the value in the data the file
was built from (kept in the file, see writers/docx/marks.py), the value in the data now, and
the text in the edited file. An edit in the file becomes a change of the value, unless the
value has changed in the data since: then it is a conflict, and nothing is written. Text
that is not data (dates' wording, the wording of the layout, names from the registry) is
reported with where to change it instead.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import inline
from ...errors import BulletinError, KeyPath, Problem, fail, format_path
from ...markup_back import carries_markup, looks_of_data, looks_of_pieces, markup
from ...sources import Source, load, load_text
from ...writers.docx.marks import data_hash
from ...writers.docx.reader import EditedFile, Piece, ShownParagraph, read_edited

TEXT_KEYS = ("title", "summary", "place", "text", "name", "label")
"""The last keys of the text values a pull may change (and notes, feature paragraphs)."""
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " "})
DASHES = re.compile(r"[\u2010-\u2015-]")
WORDS = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Change:
    """One value to change in the data file: where, its key path, the old and new text."""

    file: str
    line: int
    column: int
    path: KeyPath
    old: str
    new: str

    def __str__(self) -> str:
        before, after = excerpt(self.old, self.new)
        where = f"{self.file}:{self.line}:{self.column}"
        return f'{where}: {format_path(self.path)}: "{before}" -> "{after}"'


@dataclass(frozen=True)
class NewEvent:
    """A paragraph added in the Event style among a mechanism's events: a proposed event,
    written as its `text` (the title in bold, as Word showed it)."""

    file: str
    line: int
    column: int
    mechanism: str
    position: int
    text: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        path = format_path(("events", self.mechanism, self.position))
        return f'{where}: {path}: new event proposed: text: "{self.text}"'


@dataclass
class Pulled:
    """What a pull found: the changes to make, and what cannot be pulled."""

    data_file: Path
    shown: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_events: list[NewEvent] = field(default_factory=list)


def pull(data_dir: Path, year: str, docx: Path) -> Pulled:
    """Compare an edited Word file with the data it was built from and the data now."""
    edited = read_edited(docx)
    _check_identity(edited, year)
    data_file = data_dir / f"{year}.yaml"
    current = load(data_file, _shown(data_file))
    ledger = _ledger(edited, year, data_dir, current)
    base = load_text(ledger["data"], current.file)
    pulled = Pulled(data_file, current.file)
    pulled.problems.extend(_chart_edits(ledger, edited, current))
    pairs = _paragraph_pairs(ledger, edited, current, pulled.problems, pulled.new_events)
    for before, after in pairs:
        if after.marks == before["marks"]:
            values = split_values(before["outside"], after)
        else:
            values = split_by_order(before, ledger["marks"], after.text)
        if values is None:
            pulled.problems.append(_wording_problem(edited, before, after, ledger, current))
            continue
        for name, (start, shown) in zip(before["marks"], values, strict=True):
            mark = ledger["marks"][name]
            path = tuple(mark["path"])
            pieces = pieces_between(after.pieces, start, start + len(shown))
            if shown != mark["text"] or _markup_changed(path, base, pieces):
                _compare(pulled, path, mark["text"], shown, base, current, pieces)
    return pulled


def split_by_order(before: dict, marks: dict, text: str) -> list[tuple[int, str]] | None:
    """Where each data value stands in a paragraph that lost its marks (a copy and paste can
    drop bookmarks): the built text aligned word by word with the edited one, each value
    where its words went. None when the wording between the values changed."""
    wording = before["outside"].split("\x00")
    built, ranges = wording[0], []
    for name, after in zip(before["marks"], wording[1:], strict=True):
        ranges.append((len(built), len(built) + len(marks[name]["text"])))
        built += marks[name]["text"] + after
    edits = _word_edits(built, text)
    values = []
    for start, stop in ranges:
        new_start, new_stop = _moved(edits, start, True), _moved(edits, stop, False)
        values.append((new_start, text[new_start:new_stop]))
    rebuilt, at = "", 0
    for start, value in values:
        rebuilt += text[at:start] + "\x00"
        at = start + len(value)
    rebuilt += text[at:]
    return values if rebuilt == before["outside"] else None


def _moved(edits: list[tuple[str, int, int, int, int]], at: int, start: bool) -> int:
    """Where a position of the built text went in the edited text."""
    for tag, i1, i2, j1, j2 in edits:
        if tag == "equal" and i1 <= at <= i2:
            return j1 + (at - i1)
        if i1 <= at < i2 or (tag == "insert" and at == i1 and not start):
            return j1 if start else j2
    return edits[-1][4] if edits else 0


def pieces_between(pieces: list[Piece], start: int, stop: int) -> list[Piece]:
    """The pieces of a paragraph's text from `start` to `stop`, cut where they cross them."""
    found, at = [], 0
    for piece in pieces:
        end = at + len(piece.text)
        if end > start and at < stop:
            text = piece.text[max(start - at, 0) : stop - at]
            found.append(Piece(text, piece.bold, piece.italic, piece.url))
        at = end
    return found


def _markup_changed(path: KeyPath, base: Source, pieces: list[Piece]) -> bool:
    """Whether the editor added or removed bold, italic or a link in a value."""
    old = _value(base, path)
    if not carries_markup(path) or not isinstance(old, str):
        return False
    return looks_of_data(old) != looks_of_pieces(pieces)


def split_values(outside: str, paragraph: ShownParagraph) -> list[tuple[int, str]] | None:
    """Where each data value starts in an edited paragraph, and its text: from its mark's
    start to the wording that follows it (`outside`: the paragraph's wording as built, a
    NUL for each value). None when the wording itself was edited."""
    wording = outside.split("\x00")
    text, starts = paragraph.text, paragraph.starts
    if not starts or len(starts) != len(wording) - 1 or text[: starts[0]] != wording[0]:
        return None
    values = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(text)
        region, after = text[start:stop], wording[k + 1]
        if not region.endswith(after):
            return None
        values.append((start, region[: len(region) - len(after)]))
    return values


def _shown(path: Path) -> str:
    from ...errors import shown_path

    return shown_path(path)


# -- the file's record of its making -----------------------------------------------------


def _check_identity(edited: EditedFile, year: str) -> None:
    """Refuse a file bulletin did not make, or made for another year."""
    properties = edited.properties
    recorded = edited.ledger or {}
    if properties.get("bulletin.tool") != "bulletin" and recorded.get("tool") != "bulletin":
        raise fail(
            edited.path,
            "this Word file was not made by bulletin (it records no build)",
            "pull only from a Word file that `bulletin build` wrote, edited and saved",
        )
    made_for = properties.get("bulletin.year") or str(recorded.get("year", ""))
    if made_for != year:
        raise fail(
            edited.path,
            f"this Word file is the {made_for} issue, not {year}",
            f"run: bulletin pull {made_for} {edited.path}",
        )


def _ledger(edited: EditedFile, year: str, data_dir: Path, current: Source) -> dict:
    """The record of the build: from the file, or made again when the data is unchanged."""
    if edited.ledger:
        return edited.ledger
    return _ledger_again(edited, year, data_dir, current)


def _ledger_again(edited: EditedFile, year: str, data_dir: Path, current: Source) -> dict:
    """A file saved through .odt keeps its properties but not its ledger: when the data has
    not changed since the build, the ledger is the one a build of it would record."""
    recorded_hash = properties_hash(edited.properties)
    if recorded_hash != data_hash(current.text):
        raise fail(
            edited.path,
            f"this copy lost its record of the data it was built from (saved through another "
            f"format?), and {current.file} has changed since it was built",
            "pull from a copy saved as .docx only, or rebuild and redo the edits in the new file",
        )
    from ...layout import load_layout
    from ...writers.docx.writer import docx_ledger
    from .compose import compose
    from .validate import load_issue

    layout = load_layout(edited.properties.get("bulletin.layout", "iscm"))
    return docx_ledger(compose(load_issue(data_dir, year), layout), layout)


def properties_hash(properties: dict[str, str]) -> str:
    """The data hash a file's properties record ('' if none)."""
    return properties.get("bulletin.data", "").rpartition(" ")[2]


# -- one value ---------------------------------------------------------------------------


def _compare(
    pulled: Pulled,
    path: KeyPath,
    before: str,
    after: str,
    base: Source,
    current: Source,
    pieces: list[Piece],
) -> None:
    """The edit of one marked value: a change, nothing (already made), or a problem."""
    line, column = current.where(path)
    if path[-1] == "dates":
        if _loose(before) != _loose(after):
            pulled.problems.append(_generated_dates(current, path, before, after))
        return
    if not _is_text_value(path):
        pulled.problems.append(
            current.problem(path, f'"{after}" in the Word file is not a text bulletin can pull')
        )
        return
    old = _value(base, path)
    now = _value(current, path)
    if not isinstance(old, str):
        return
    if _markup_changed(path, base, pieces):
        new: str | None = markup(pieces)
        if new is not None and (
            looks_of_data(new) != looks_of_pieces(pieces) or inline.plain(new) != _plain(after)
        ):
            new = None
    else:
        new = carry(old, before, after)
    if new is None:
        pulled.problems.append(
            current.problem(
                path,
                f'the edit "{excerpt(before, after)[1]}" crosses bold, italic or a link',
                "make this change in the data by hand",
            )
        )
    elif now == old:
        pulled.changes.append(Change(current.file, line, column, path, old, new))
    elif now != new:
        shown_now = excerpt(old, now)[1] if isinstance(now, str) else "(removed)"
        pulled.problems.append(
            current.problem(
                path,
                f'changed both in the data since the build ("{shown_now}") and in the Word '
                f'file ("{excerpt(before, after)[1]}")',
                "keep one: edit the data by hand, or rebuild and redo the Word edit",
            )
        )


def _is_text_value(path: KeyPath) -> bool:
    return path[-1] in TEXT_KEYS or path[0] == "notes" or "paragraphs" in path


def _value(source: Source, path: KeyPath) -> Any:
    value = source.value
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _generated_dates(current: Source, path: KeyPath, before: str, after: str) -> Problem:
    line, _ = current.where(path)
    return current.problem(
        path,
        f'the dates "{before}" were changed to "{after}" in the Word file, but bulletin words them',
        f"dates are written as YYYY-MM-DD at {current.file}:{line}",
    )


def _plain(text: str) -> str:
    return " ".join(text.split())


def _loose(text: str) -> str:
    """Text compared as a reader reads it: quotes, dashes and spaces of any kind alike."""
    return " ".join(DASHES.sub("-", text.translate(QUOTES)).split())


def carry(source: str, before: str, after: str) -> str | None:
    """The data text `source`, which showed as `before`, changed so that it shows `after`.

    Only the edited stretches change: markup, quotes and line breaks the editor did not
    touch stay as the data wrote them. None when the edit cannot be carried (it crosses
    markup)."""
    to_source = _alignment(before, source)
    result = source
    for tag, i1, i2, j1, j2 in reversed(_word_edits(before, after)):
        if tag == "equal":
            continue
        if i1 == 0 and i2 == len(before):  # all of it: the data's markup goes with it
            start, end = 0, len(source)
        elif i2 > i1:
            start, end = to_source[i1], to_source[i2 - 1] + 1
        elif i1 < len(before):
            start = end = to_source[i1]
        else:
            start = end = to_source[-1] + 1 if before else len(source)
        result = result[:start] + after[j1:j2] + result[end:]
    if _loose(inline.plain(result)) != _loose(after):
        return None
    return result


def _word_edits(before: str, after: str) -> list[tuple[str, int, int, int, int]]:
    """The edits from one text to another, word by word (a changed word is replaced whole,
    not matched letter by letter), as character offsets."""
    words_before, words_after = WORDS.findall(before), WORDS.findall(after)
    at_before = [0, *itertools.accumulate(len(w) for w in words_before)]
    at_after = [0, *itertools.accumulate(len(w) for w in words_after)]
    matcher = difflib.SequenceMatcher(None, words_before, words_after, autojunk=False)
    return [
        (tag, at_before[i1], at_before[i2], at_after[j1], at_after[j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _alignment(shown: str, source: str) -> list[int]:
    """For each character of the shown text, the index of the data text's character it shows."""
    found = [0] * len(shown)
    matcher = difflib.SequenceMatcher(None, shown, source, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(i1, i2):
            if tag == "equal":
                found[k] = j1 + (k - i1)
            elif j2 > j1:  # a quote, a dash or a space shown otherwise: in proportion
                found[k] = j1 + (k - i1) * (j2 - j1) // (i2 - i1)
            else:
                found[k] = min(j1, len(source) - 1) if source else 0
    return found


def excerpt(old: str, new: str, context: int = 24) -> tuple[str, str]:
    """The changed middle of two texts, a few words around it, '...' for what is left out."""
    same = 0
    while same < min(len(old), len(new)) and old[same] == new[same]:
        same += 1
    tail = 0
    while tail < min(len(old), len(new)) - same and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    left = old.rfind(" ", 0, same - context) + 1 if same > context else 0

    def show(text: str) -> str:
        stop = text.find(" ", len(text) - tail + context) if tail > context else -1
        body = text[left : stop if stop >= 0 else len(text)]
        return f"{'...' if left else ''}{body}{'...' if stop >= 0 else ''}"

    return show(old), show(new)


# -- text that is not data ---------------------------------------------------------------


def _paragraph_pairs(
    ledger: dict,
    edited: EditedFile,
    current: Source,
    problems: list[Problem],
    new_events: list[NewEvent],
) -> list[tuple[dict, ShownParagraph]]:
    """The paragraphs as built paired with the edited file's, by their marks, else in order;
    edits to paragraphs that are not data, and paragraphs added or deleted, are problems."""
    written = [p for p in ledger["paragraphs"] if p["text"].strip()]
    found = [p for p in edited.paragraphs if p.text.strip()]
    keys_written = [_key(p["marks"], p["text"]) for p in written]
    keys_found = [_key(p.marks, p.text) for p in found]
    pairs_found = []
    matcher = difflib.SequenceMatcher(None, keys_written, keys_found, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs_found += [
                (b, a) for b, a in zip(written[i1:i2], found[j1:j2], strict=True) if b["marks"]
            ]
            continue
        pairs = list(zip(written[i1:i2], found[j1:j2], strict=False))
        for before, after in pairs:
            if before["marks"] and before["style"] == after.style:
                pairs_found.append((before, after))  # its marks lost: matched by order and style
            else:
                problems.append(_wording_problem(edited, before, after, ledger, current))
        for before in written[i1 + len(pairs) : i2]:
            problems.append(_deleted(edited, before, ledger, current))
        for k in range(j1 + len(pairs), j2):
            added = new_event(found, k, ledger, current)
            if added is not None:
                if not _already_in(current, added):
                    new_events.append(added)
                continue
            after = found[k]
            problems.append(
                Problem(
                    edited.path,
                    after.number,
                    1,
                    "",
                    f'a paragraph added in the Word file: "{_short(after.text)}"',
                    f"add it to {current.file} yourself: bulletin pulls changes to its texts "
                    "(and new events written in the Event style among a mechanism's events)",
                )
            )
    return pairs_found


def new_event(
    found: list[ShownParagraph], k: int, ledger: dict, current: Source
) -> NewEvent | None:
    """A paragraph added in the Event style among a mechanism's events, as a new event of
    that mechanism after the event before it (None: not such a paragraph)."""
    added = found[k]
    if added.style != "Event" or added.marks:
        return None
    place = _event_place(found, k, ledger)
    if place is None:
        return None
    mechanism, position = place
    events = _value(current, ("events", mechanism))
    if not isinstance(events, list):
        return None
    position = min(position, len(events))
    at = ("events", mechanism, position - 1) if position else ("events", mechanism)
    line, column = current.where(at)
    return NewEvent(current.file, line, column, mechanism, position, event_text(added.pieces))


def _already_in(current: Source, added: NewEvent) -> bool:
    """Whether the data already holds the event (pulled and applied before)."""
    events = _value(current, ("events", added.mechanism)) or []
    return any(isinstance(e, dict) and e.get("text") == added.text for e in events)


def _event_place(found: list[ShownParagraph], k: int, ledger: dict) -> tuple[str, int] | None:
    """The mechanism and position of a paragraph added at `k`: after the event or note
    before it, unless a mechanism's name comes between; else before the event after it."""
    for step, edge in ((-1, -1), (1, len(found))):
        j = k + step
        while j != edge:
            paragraph = found[j]
            if paragraph.style.startswith("Mechanism") and not paragraph.marks:
                break  # another mechanism's name
            if paragraph.marks:
                path = ledger["marks"].get(paragraph.marks[0], {}).get("path", [])
                if path[:1] == ["events"]:
                    return path[1], path[2] + 1 if step < 0 else path[2]
                if path[:1] == ["notes"] and step < 0:
                    return path[1], 0
                break
            j += step
    return None


def event_text(pieces: list[Piece]) -> str:
    """An added event's text: its opening bold words (the Event Title) in bold, the rest as
    written, with the markup of any other bold, italic or link."""
    return " ".join(markup(pieces).split())


def _chart_edits(ledger: dict, edited: EditedFile, current: Source) -> list[Problem]:
    """An edit of a chart's bars: they are counted from the thematic areas' rows."""
    built = ledger.get("charts", [])
    shown = edited.charts[: len(built)]
    problems = []
    for before, after in zip(built, shown, strict=False):
        values = [float(v) for v in before["values"]]
        if before["categories"] != after["categories"] or values != after["values"]:
            line, _ = current.where(("thematic_areas",))
            problems.append(
                Problem(
                    edited.path,
                    1,
                    1,
                    "",
                    "the chart was changed in the Word file, but bulletin draws it: each bar "
                    "counts the mechanisms of a thematic area",
                    f"change the rows of thematic_areas at {current.file}:{line}",
                )
            )
    return problems


def _key(marks: list[str], text: str) -> str:
    return "\x00".join(marks) if marks else text


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _wording_problem(
    edited: EditedFile, before: dict, after: ShownParagraph, ledger: dict, current: Source
) -> Problem:
    old, new = excerpt(before["text"], after.text)
    return Problem(
        edited.path,
        after.number,
        1,
        "",
        f'"{_short(old)}" was changed to "{_short(new)}", but that text is not from the data',
        _where_wording(before["style"], ledger, current),
    )


def _deleted(edited: EditedFile, before: dict, ledger: dict, current: Source) -> Problem:
    if before["marks"]:
        path = tuple(ledger["marks"][before["marks"][0]]["path"])
        line, column = current.where(path[:3] if path[0] == "events" else path[:2])
        return Problem(
            current.file,
            line,
            column,
            format_path(path[:-1]),
            f'"{_short(before["text"])}" was deleted in the Word file',
            "delete it from the data yourself if it should go",
        )
    return Problem(
        edited.path,
        1,
        1,
        "",
        f'"{_short(before["text"])}" was deleted in the Word file, but it is not from the data',
        _where_wording(before["style"], ledger, current),
    )


def _where_wording(style: str, ledger: dict, current: Source) -> str:
    """Where an editor changes a text that bulletin writes from other files than the year's."""
    layout = ledger.get("layout", "iscm")
    if style.startswith("Mechanism") and "Continued" not in style:
        return "a mechanism's name comes from data/mechanisms.yaml (or `mechanisms:` of the year)"
    if style == "MastheadPublisher":  # the Word file's first lines end with period and issue
        period, _ = current.where(("period",))
        number, _ = current.where(("issue",))
        return (
            "the publisher's lines come from data/bulletin.yaml; the period beside them is "
            f"written as YYYY-MM-DD/YYYY-MM-DD at {current.file}:{period}, the issue's number "
            f"at {current.file}:{number} and its wording in layouts/{layout}/text.yaml"
        )
    if style == "MastheadPeriod":
        line, _ = current.where(("period",))
        return f"the period is written as YYYY-MM-DD/YYYY-MM-DD at {current.file}:{line}"
    if style == "Event":
        return "the words between an event's parts are bulletin's; edit the title, place or summary"
    return f"change it in layouts/{layout}/text.yaml (the layout's wording)"


def write_changes(pulled: Pulled) -> None:
    """Write a pull's changes into the data file (only when nothing is in the way)."""
    from ...roundtrip import set_values

    if pulled.problems:
        raise BulletinError(pulled.problems)
    added = [(("events", e.mechanism, e.position), e.text) for e in pulled.new_events]
    set_values(pulled.data_file, [(change.path, change.new) for change in pulled.changes], added)
