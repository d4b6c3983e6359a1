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
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ... import inline
from ...dates import read_worded
from ...errors import BulletinError, KeyPath, Problem, fail, format_path
from ...markup_back import (
    carries_links,
    carries_markup,
    link_looks,
    links_only,
    looks_of_data,
    looks_of_pieces,
    markup,
    same_url,
    written_url,
)
from ...sources import Source, load, load_text
from ...style_names import word_id
from ...writers.docx.marks import data_hash
from ...writers.docx.reader import (
    EditedFile,
    Piece,
    ShownParagraph,
    pieces_between,
    read_edited,
)
from . import CONTINUED_STYLES
from .added import NewEvent, Reading, already_in, new_event, reading
from .identity import Changed, Gone, Located, Unsure, locate, value_at
from .origins import Origins, origins

TEXT_KEYS = ("title", "summary", "place", "text", "name", "label")
"""The last keys of the text values a pull may change (and notes, feature paragraphs)."""
SPACES = str.maketrans({"\u00a0": " "})
"""No-break spaces as spaces."""
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


@dataclass
class Pulled:
    """What a pull found: the changes to make, and what cannot be pulled."""

    data_file: Path
    shown: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_events: list[NewEvent] = field(default_factory=list)
    origins: Origins | None = field(default=None, repr=False)
    reading: Reading | None = field(default=None, repr=False)


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
    pulled.problems.extend(_footer_edits(pulled, ledger, edited))
    pulled.problems.extend(_alternative_edits(pulled, ledger, edited))
    read = pulled.reading = reading(current, _settings(data_dir))
    pairs = _paragraph_pairs(ledger, edited, current, read, pulled)
    for before, after in pairs:
        if after.marks == before["marks"]:
            values = split_values(before["outside"], after)
        else:
            values = split_by_wording(before, ledger["marks"], after.text)
            values = values or split_by_order(before, ledger["marks"], after.text)
        if values is None:
            pulled.problems.append(_wording_problem(pulled, edited, before, after, ledger))
            continue
        for name, (start, shown) in zip(before["marks"], values, strict=True):
            mark = ledger["marks"][name]
            path = tuple(mark["path"])
            pieces = pieces_between(after.pieces, start, start + len(shown))
            at = locate(path, base.value, current.value)
            if isinstance(at, Changed):  # an item changed in the data: only an edit made
                at = replace(at, now=(*at.now, *path[len(at.path) :]))  # there too is no conflict
            if shown != mark["text"] or _markup_changed(path, base, pieces):
                if isinstance(at, Gone | Unsure):
                    pulled.problems.append(_not_found(at, current, mark["text"], shown))
                    continue
                _compare(pulled, path, mark["text"], shown, base, current, pieces, at)
            _compare_target(pulled, path, at, base, current, pieces)
    return pulled


def _not_found(at: Gone | Changed | Unsure, current: Source, before: str, after: str) -> Problem:
    """A value edited in the file whose item the data no longer has as it was built."""
    edit = excerpt(before, after)[1]
    if isinstance(at, Changed):
        return current.problem(
            at.now,
            f"its item was changed in the data since the build, and this text edited in the "
            f'Word file ("{edit}")',
            "keep one: edit the data by hand, or rebuild and redo the Word edit",
        )
    if isinstance(at, Gone):
        message = (
            "removed from the data since the build, but its text was edited in the Word "
            f'file ("{edit}")'
        )
        hint = "keep one: put it back in the data and pull again, or leave the Word edit out"
    else:
        message = (
            f'its text was edited in the Word file ("{edit}"), but the data now has this item '
            "more or fewer times than at the build, so which one is meant is unsure"
        )
        hint = "make the edit in the data by hand, or rebuild and redo the Word edit"
    line, column = current.where(at.path[:-1])  # at its parent: the item itself is not there
    return Problem(current.file, line, column, format_path(at.path), message, hint)


def _compare_target(
    pulled: Pulled,
    path: KeyPath,
    at: Located,
    base: Source,
    current: Source,
    pieces: list[Piece],
) -> None:
    """The link of a value that is a link to its `url` (a publication's title): a new
    target changes the url; a link removed is not pulled (the title is always a link)."""
    url_path = (*path[:-1], "url")
    old = value_at(base.value, url_path)
    if carries_markup(path) or not isinstance(old, str) or not "".join(p.text for p in pieces):
        return
    targets = {p.url for p in pieces if p.text.strip()}
    if len(targets) == 1 and None not in targets and same_url(old, str(next(iter(targets)))):
        return
    if len(targets) != 1 or None in targets:
        pulled.problems.append(
            current.problem(
                path,
                "the link of this text was removed or split in the Word file",
                f"it always links to its url; change {format_path(url_path)} in the data",
            )
        )
        return
    new = written_url(str(targets.pop()))
    if isinstance(at, Gone | Unsure):
        pulled.problems.append(_not_found(at, current, old, new))
        return
    item = at.now if isinstance(at, Changed) else at
    url_at = (*item[:-1], "url")
    now = value_at(current.value, url_at)
    if isinstance(at, Changed) and now == old:
        pulled.problems.append(_not_found(replace(at, now=url_at), current, old, new))
        return
    _three_way(pulled, url_at, old, new, now, current)


def _three_way(
    pulled: Pulled,
    path: KeyPath,
    old: str,
    new: str,
    now: Any,
    current: Source,
    edit: str | None = None,
) -> None:
    """A value edited in the file: a change when the data still has it as built, nothing
    when the data already has the edit, else a conflict (quoting `edit`, the edit as the
    Word file shows it, else as the data words it)."""
    if now == old:
        line, column = current.where(path)
        pulled.changes.append(Change(current.file, line, column, path, old, new))
    elif now != new:
        shown_now = excerpt(old, now)[1] if isinstance(now, str) else "(removed)"
        pulled.problems.append(
            current.problem(
                path,
                f'changed both in the data since the build ("{shown_now}") and in the Word '
                f'file ("{excerpt(old, new)[1] if edit is None else edit}")',
                "keep one: edit the data by hand, or rebuild and redo the Word edit",
            )
        )


MAX_SPLITS = 20_000
"""The most ways of cutting a paragraph into its values that are weighed."""


def split_by_wording(before: dict, marks: dict, text: str) -> list[tuple[int, str]] | None:
    """Where each data value stands in a paragraph that lost its marks: of every way to cut
    the text so that the paragraph's wording stands between the values as built, the one
    whose values keep the most of the built values' text (each at least half of its own).
    None when the wording changed, or no way keeps the values (or there are too many)."""
    wording = before["outside"].split("\x00")
    built = [marks[name]["text"] for name in before["marks"]]
    head, tail = wording[0], wording[-1]
    if not text.startswith(head) or not text.endswith(tail) or len(text) < len(head + tail):
        return None
    if any(not piece for piece in wording[1:-1]):
        return None
    end = len(text) - len(tail)
    best: tuple[int, list[tuple[int, str]]] | None = None
    for tried, cuts in enumerate(_cuts(text, wording[1:-1], len(head), end)):
        if tried >= MAX_SPLITS:
            return None
        ends = (at + len(piece) for at, piece in zip(cuts, wording[1:-1], strict=True))
        starts = [len(head), *ends]
        values = [(a, text[a:b]) for a, b in zip(starts, [*cuts, end], strict=True)]
        kept = [_kept(old, new) for old, (_, new) in zip(built, values, strict=True)]
        if any(2 * k < len(old) for k, old in zip(kept, built, strict=True)):
            continue  # a value that lost most of its text is no value moved, but a guess
        if best is None or sum(kept) > best[0]:
            best = (sum(kept), values)
    return best[1] if best else None


def _cuts(text: str, pieces: list[str], at: int, end: int) -> Iterator[list[int]]:
    """Every increasing choice of where each wording piece stands between `at` and `end`."""
    if not pieces:
        yield []
        return
    found = text.find(pieces[0], at)
    while found >= 0 and found + len(pieces[0]) <= end:
        for rest in _cuts(text, pieces[1:], found + len(pieces[0]), end):
            yield [found, *rest]
        found = text.find(pieces[0], found + 1)


def _kept(old: str, new: str) -> int:
    """How many characters of `old` are still in `new`, in order."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


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


def _markup_changed(path: KeyPath, base: Source, pieces: list[Piece]) -> bool:
    """Whether the editor added or removed bold, italic or a link in a value."""
    old = value_at(base.value, path)
    if not isinstance(old, str):
        return False
    if carries_links(path):
        return link_looks(looks_of_data(old)) != link_looks(looks_of_pieces(pieces))
    return carries_markup(path) and looks_of_data(old) != looks_of_pieces(pieces)


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
    located: KeyPath | Changed,
) -> None:
    """The edit of one marked value (`path` as built, `located` in the data now): a change,
    nothing (already made), or a problem (its item changed in the data: unless the data
    already has the edit, a conflict)."""
    at = located.now if isinstance(located, Changed) else located
    if path[-1] == "dates":
        if _loose(before) != _loose(after) and not _same_dates(before, after, pulled.reading):
            pulled.problems.append(_generated_dates(current, at, before, after))
        return
    if not _is_text_value(path):
        pulled.problems.append(
            current.problem(at, f'"{after}" in the Word file is not a text bulletin can pull')
        )
        return
    old = value_at(base.value, path)
    now = value_at(current.value, at)
    if not isinstance(old, str):
        return
    if _markup_changed(path, base, pieces):
        if carries_links(path):
            pieces = links_only(pieces)
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
                at,
                f'the edit "{excerpt(before, after)[1]}" crosses bold, italic or a link',
                "make this change in the data by hand",
            )
        )
    elif not inline.plain(new).strip():
        pulled.problems.append(
            current.problem(
                at,
                "this text was deleted in the Word file, but a text of the data cannot be empty",
                f"remove {format_path(at)} from the data yourself, or write its text",
            )
        )
    elif now == old and isinstance(located, Changed):
        pulled.problems.append(_not_found(located, current, before, after))
    else:
        _three_way(pulled, at, old, new, now, current, excerpt(before, after)[1])


def _same_dates(before: str, after: str, read: Reading | None) -> bool:
    """Whether a date re-worded in the file reads back as the same dates ('1 – 2 March')."""
    if read is None or not read.year:
        return False
    dates = read_worded(before, read.year, read.locale)
    return dates is not None and dates == read_worded(after, read.year, read.locale)


def _is_text_value(path: KeyPath) -> bool:
    return path[-1] in TEXT_KEYS or path[0] == "notes" or "paragraphs" in path


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
    return " ".join(DASHES.sub("-", inline.loose_quotes(text).translate(SPACES)).split())


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


RUNNING = frozenset(word_id(name) for name in CONTINUED_STYLES)
"""The style ids of the "(continued)" headings the Word file sets where the PDF begins a page
(see the Word writer): not data, and not in the record of the build."""


def _paragraph_pairs(
    ledger: dict, edited: EditedFile, current: Source, read: Reading, pulled: Pulled
) -> list[tuple[dict, ShownParagraph]]:
    """The paragraphs as built paired with the edited file's, by their marks, else by their
    order, style and words; edits to paragraphs that are not data, and paragraphs added or
    deleted, are problems (an added event is proposed)."""
    problems = pulled.problems
    written = [p for p in ledger["paragraphs"] if p["text"].strip()]
    found = [p for p in edited.paragraphs if p.text.strip() and p.style not in RUNNING]
    keys_written = [_key(p["marks"], p["text"]) for p in written]
    keys_found = [_key(p.marks, p.text) for p in found]
    pairs_found = []
    paired: dict[int, dict] = {}
    matcher = difflib.SequenceMatcher(None, keys_written, keys_found, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            paired.update(zip(range(j1, j2), written[i1:i2], strict=True))
            pairs_found += [
                (b, a) for b, a in zip(written[i1:i2], found[j1:j2], strict=True) if b["marks"]
            ]
            continue
        aligned, deleted, added = align(written[i1:i2], found[j1:j2])
        for i, j in aligned:
            before, after = written[i1 + i], found[j1 + j]
            paired[j1 + j] = before
            if before["marks"]:
                pairs_found.append((before, after))  # its marks lost: matched by order and style
            else:
                problems.append(_wording_problem(pulled, edited, before, after, ledger))
        for i in deleted:
            gone = _deleted(pulled, edited, written[i1 + i], ledger, current)
            problems.extend([gone] if gone else [])
        for j in added:
            _added(pulled, found, j1 + j, paired, ledger, current, read, edited)
    return pairs_found


def _added(
    pulled: Pulled,
    found: list[ShownParagraph],
    k: int,
    paired: dict[int, dict],
    ledger: dict,
    current: Source,
    read: Reading,
    edited: EditedFile,
) -> None:
    """A paragraph added in the file: a proposed event, or a problem."""
    added = new_event(found, k, ledger, current, read, paired)
    if added is not None:
        if not already_in(current, added):
            pulled.new_events.append(_numbered(added, pulled.new_events))
        return
    after = found[k]
    pulled.problems.append(
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


MAX_ALIGNED = 400_000
"""The most pairs of paragraphs weighed when aligning (a file of 600 paragraphs that lost
every mark: about a second)."""


def align(
    written: list[dict], found: list[ShownParagraph]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Paragraphs as built and as found (that their marks do not pair) paired in order, a
    paragraph only with one in its style, most alike in words first: the pairs, and the
    paragraphs of each side left over (deleted, added)."""
    n, m = len(written), len(found)
    if n * m > MAX_ALIGNED:  # a file far from the one built: in order, as far as both go
        pairs = [(k, k) for k in range(min(n, m)) if written[k]["style"] == found[k].style]
    else:
        pairs = _best_pairs(written, found)
    deleted = sorted(set(range(n)) - {p[0] for p in pairs})
    added = sorted(set(range(m)) - {p[1] for p in pairs})
    return pairs, deleted, added


def _best_pairs(written: list[dict], found: list[ShownParagraph]) -> list[tuple[int, int]]:
    """The pairs in order, in the same style, that share the most words (any pair scores a
    little, so paragraphs stay paired by order when their words all changed)."""
    words_written = [set(WORDS.findall(p["text"].casefold())) for p in written]
    words_found = [set(WORDS.findall(p.text.casefold())) for p in found]
    n, m = len(written), len(found)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(score[i - 1][j], score[i][j - 1])
            if written[i - 1]["style"] == found[j - 1].style:
                alike = _alike(words_written[i - 1], words_found[j - 1])
                best = max(best, score[i - 1][j - 1] + 0.1 + alike)
            score[i][j] = best
    pairs, i, j = [], n, m
    while i and j:
        if score[i][j] == score[i - 1][j]:
            i -= 1
        elif score[i][j] == score[i][j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    pairs.reverse()
    return pairs


def _alike(a: set[str], b: set[str]) -> float:
    """How alike two paragraphs' words are: 0 (nothing shared) to 1 (the same words)."""
    words_a, words_b = {w for w in a if not w.isspace()}, {w for w in b if not w.isspace()}
    union = words_a | words_b
    return len(words_a & words_b) / len(union) if union else 1.0


def _numbered(added: NewEvent, before: list[NewEvent]) -> NewEvent:
    """A new event's place once the new events before it at the same place are added."""
    same = [e for e in before if (e.mechanism, e.after) == (added.mechanism, added.after)]
    return replace(added, position=added.position + len(same))


def _settings(data_dir: Path) -> Any:
    """bulletin.yaml's value (None if it cannot be read: the locale is then the default)."""
    try:
        return load(data_dir / "bulletin.yaml").value
    except BulletinError:
        return None


def _footer_edits(pulled: Pulled, ledger: dict, edited: EditedFile) -> list[Problem]:
    """An edit of the running footer: it is the layout's wording."""
    built = ledger.get("footer")
    if not built or not isinstance(built, str):
        return []
    for shown in edited.footers:
        if shown.strip() and _loose(shown) != _loose(built):
            old, new = excerpt(" ".join(built.split()), " ".join(shown.split()))
            return [
                Problem(
                    edited.path,
                    1,
                    1,
                    "",
                    f'the footer "{old}" was changed to "{new}", but it is not from the data',
                    "change it where it is written: " + _origins(pulled, ledger).footer(),
                )
            ]
    return []


def _alternative_edits(pulled: Pulled, ledger: dict, edited: EditedFile) -> list[Problem]:
    """An edit of the alternative text of the chart or a table: it is the layout's wording
    (LibreOffice drops these texts: a kind of text the copy no longer has is no edit)."""
    built = ledger.get("alternative")
    if not isinstance(built, list) or not all(_is_alternative(a) for a in built):
        return []
    problems = []
    for kind in ("descr", "caption", "description"):
        was = [text for k, text in built if k == kind]
        now = [text for k, text in edited.alternative if k == kind]
        if len(was) != len(now):
            continue
        for old_text, new_text in zip(was, now, strict=True):
            if _loose(old_text) == _loose(new_text):
                continue
            old, new = excerpt(" ".join(old_text.split()), " ".join(new_text.split()))
            before = {"style": "", "text": old_text, "marks": [], "outside": old_text}
            problems.append(
                Problem(
                    edited.path,
                    1,
                    1,
                    "",
                    f'the alternative text "{old}" was changed to "{new}", but it is not '
                    "from the data",
                    "change it where it is written: "
                    + _origins(pulled, ledger).hint(ledger, before),
                )
            )
    return problems


def _is_alternative(entry: object) -> bool:
    return isinstance(entry, list) and len(entry) == 2 and all(isinstance(e, str) for e in entry)


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
    pulled: Pulled, edited: EditedFile, before: dict, after: ShownParagraph, ledger: dict
) -> Problem:
    old, new = excerpt(" ".join(before["text"].split()), " ".join(after.text.split()))
    return Problem(
        edited.path,
        after.number,
        1,
        "",
        f'"{old}" was changed to "{new}", but that text is not from the data',
        _where_wording(pulled, before, ledger, after.text),
    )


def _deleted(
    pulled: Pulled, edited: EditedFile, before: dict, ledger: dict, current: Source
) -> Problem | None:
    """A paragraph deleted in the file: a problem, unless it shows data the data no longer
    has (deleted there too: done)."""
    if before["marks"]:
        path = tuple(ledger["marks"][before["marks"][0]]["path"])
        item = path[:3] if path[0] == "events" else path[:2]
        built = load_text(ledger["data"], current.file).value
        at = locate(item, built, current.value)
        if isinstance(at, Gone):
            return None
        shown_at = at if isinstance(at, tuple) else at.path
        line, column = current.where(shown_at)
        return Problem(
            current.file,
            line,
            column,
            format_path(shown_at),
            f'"{_short(before["text"])}" was deleted in the Word file',
            "delete it from the data yourself if it should go",
        )
    return Problem(
        edited.path,
        1,
        1,
        "",
        f'"{_short(before["text"])}" was deleted in the Word file, but it is not from the data',
        _where_wording(pulled, before, ledger),
    )


def _where_wording(pulled: Pulled, before: dict, ledger: dict, after: str | None = None) -> str:
    """Where an editor changes a text that bulletin words itself or takes from other files."""
    if before["style"] == "Event":
        return "the words between an event's parts are bulletin's; edit the title, place or summary"
    hint = _origins(pulled, ledger).hint(ledger, before, after)
    return "change it where it is written: " + hint


def _origins(pulled: Pulled, ledger: dict) -> Origins:
    """The files that explain wording, loaded once per pull (and only when needed)."""
    if pulled.origins is None:
        current = load(pulled.data_file, pulled.shown)
        layout = ledger.get("layout")
        layout = layout if isinstance(layout, str) else "iscm"
        locale = pulled.reading.locale if pulled.reading else "en_GB"
        pulled.origins = origins(pulled.data_file.parent, current, layout, locale)
    return pulled.origins


def write_changes(pulled: Pulled, write: bool = True) -> None:
    """Write a pull's changes into the data file (only when nothing is in the way, and the
    data stays as valid as it was); not `write`: only check that they could be."""
    from ...roundtrip import NotBlockList, set_values

    if pulled.problems:
        raise BulletinError(pulled.problems)
    added = [(("events", e.mechanism, e.after), e.record) for e in pulled.new_events]
    changes = [(change.path, change.new) for change in pulled.changes]
    try:
        set_values(
            pulled.data_file,
            changes,
            added,
            lambda old, new: _still_valid(pulled, old, new),
            write,
        )
    except NotBlockList as error:
        current = load(pulled.data_file, pulled.shown)
        path = tuple(error.args[0])
        raise BulletinError(
            [
                current.problem(
                    path,
                    "a new event goes into a list written one event per line ('- title: ...')",
                    "write this list that way, or add the new event by hand",
                )
            ]
        ) from None


def _still_valid(pulled: Pulled, old: str, new: str) -> None:
    """Raise the problems the data would have after the pull and has not now (located in
    the data file as it would be written)."""
    before = {(p.path, p.message) for p in _problems(pulled, old)}
    found = [p for p in _problems(pulled, new) if (p.path, p.message) not in before]
    if found:
        raise BulletinError(found)


def _problems(pulled: Pulled, text: str) -> list[Problem]:
    """The problems a build would find in the data with the year's file holding `text`."""
    import shutil
    import tempfile

    from .validate import load_issue

    data_dir = pulled.data_file.parent
    with tempfile.TemporaryDirectory(prefix="bulletin-pull-") as folder:
        for name in ("bulletin.yaml", "mechanisms.yaml"):
            if (data_dir / name).is_file():
                shutil.copyfile(data_dir / name, Path(folder) / name)
        year_file = Path(folder) / pulled.data_file.name
        year_file.write_text(text, encoding="utf-8")
        try:
            load_issue(Path(folder), pulled.data_file.stem)
        except BulletinError as error:
            return [_shown_in(p, folder, pulled) for p in error.problems]
    return []


def _shown_in(problem: Problem, folder: str, pulled: Pulled) -> Problem:
    """A problem found in the temporary copy, named as the data's own file."""
    written = Path(problem.file)
    if Path(folder).resolve() not in written.resolve().parents:
        return problem
    name = written.name
    shown = (
        pulled.shown if name == pulled.data_file.name else _shown(pulled.data_file.parent / name)
    )
    return replace(problem, file=shown)
