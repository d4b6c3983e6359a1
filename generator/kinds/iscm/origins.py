"""Where a text of the Word file that is not a data value comes from, for an editor who
changed it: the layout's wording (text.yaml, key and line), the settings (bulletin.yaml),
the registry (mechanisms.yaml), or a value of the year's data that bulletin words itself
(the period, the issue number, the ISCMs of a theme's row).

Found by what the text is, not by where it stands, so a masthead written as a table or as
paragraphs is explained alike: a wording matches when its placeholders can be filled so that
it reads as the text did when built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import inline
from ...dates import parse_span, word_period
from ...errors import BulletinError, KeyPath, format_path
from ...quote_marks import QuoteMarks, quote_marks
from ...sources import Source, load
from ...wording import Wording

DATA_NAMES = {"year": ("year",), "issue": ("issue",), "issue_roman": ("issue",)}
"""Placeholders whose value is the year's data: the key it comes from."""


@dataclass
class Origins:
    """The files an edited text may come from, loaded as far as they can be."""

    current: Source
    settings: Source | None
    registry: Source | None
    wording: dict[str, Any]
    text_source: Source | None
    layout: str
    locale: str = "en_GB"

    def hint(self, ledger: dict, before: dict, after: str | None = None) -> str:
        """Where to change the text of a paragraph as built (`before`, of ledger's); a line
        of parts set apart by tabs (the masthead's publisher line, then its period) says it
        for each part the edit (`after`) changed."""
        parts = before["text"].split("\t")
        if len(parts) == 1:
            return self._explained(ledger, before)
        shown = after.split("\t") if after is not None else []
        if len(shown) == len(parts):
            changed = [
                k for k, part in enumerate(parts) if self._loose(part) != self._loose(shown[k])
            ]
        else:
            changed = list(range(len(parts)))
        found = [self._explained(ledger, {**before, "text": parts[k]}) for k in changed]
        return "; ".join(dict.fromkeys(found))

    @property
    def marks(self) -> QuoteMarks:
        """The quotation marks of the issue's language."""
        return quote_marks(self.locale)

    def _loose(self, text: str) -> str:
        return loose(text, self.marks)

    def _explained(self, ledger: dict, before: dict) -> str:
        text = self._loose(before["text"])
        found = (
            self._period(before)
            or self._wording(text)
            or self._setting(text)
            or self._mechanism(ledger, before)
            or self._row(ledger, before)
        )
        return found or f"change it in layouts/{self.layout}/text.yaml (the layout's wording)"

    def footer(self) -> str:
        return self._wording(None, key="footer") or f"layouts/{self.layout}/text.yaml"

    # -- what a text can be ---------------------------------------------------------------

    def _period(self, before: dict) -> str | None:
        """The period (by its style, or by its words: a masthead may be laid out anew)."""
        if "Period" not in before["style"] and self._loose(before["text"]) != self._worded_period():
            return None
        where = self._at(self.current, ("period",))
        return f"the period, written as YYYY-MM-DD/YYYY-MM-DD, at {where}"

    def _worded_period(self) -> str | None:
        period = self.current.value.get("period") if isinstance(self.current.value, dict) else None
        try:
            return self._loose(word_period(parse_span(str(period)), self.locale))
        except ValueError:
            return None

    def _wording(self, text: str | None, key: str | None = None) -> str | None:
        """The wording that reads as `text` (or the wording `key`), where it is written and
        where the data its placeholders show comes from."""
        for path, wording in self._wordings():
            if key is not None and path[0] != key:
                continue
            rest = "" if text is None else _matches(wording, text, self.marks)
            if rest is None:
                continue
            found = f"the wording {format_path(path)} at "
            found += self._at(self.text_source, path) if self.text_source else "text.yaml"
            for name in dict.fromkeys(wording.names):
                found += self._placeholder(name)
            if rest:
                setting = self._setting(rest)
                found += f", then {setting}" if setting else ""
            return found
        return None

    def _placeholder(self, name: str) -> str:
        if name in DATA_NAMES:
            key = DATA_NAMES[name]
            return f", its {{{{ {name} }}}} {format_path(key)} at {self._at(self.current, key)}"
        if name == "title" and self.settings is not None:
            return f", its {{{{ title }}}} title at {self._at(self.settings, ('title',))}"
        return ""

    def _wordings(self) -> list[tuple[KeyPath, Wording]]:
        found: list[tuple[KeyPath, Wording]] = []
        for key, value in self.wording.items():
            if isinstance(value, list):
                found += [((key, i), item) for i, item in enumerate(value)]
            else:
                found.append(((key,), value))
        return found

    def _setting(self, text: str) -> str | None:
        """A text of bulletin.yaml (the title, a line of the publisher's) shown as it is."""
        if self.settings is None:
            return None
        year = (
            str(self.current.value.get("year", "")) if isinstance(self.current.value, dict) else ""
        )
        for path, value in _texts(self.settings.value, ()):
            shown = self._loose(inline.plain(value.replace("{year}", year)))
            if shown and shown == text:
                return f"{format_path(path)} at {self._at(self.settings, path)}"
        return None

    def _mechanism(self, ledger: dict, before: dict) -> str | None:
        """A mechanism's name: from the registry (or the year's `mechanisms:`)."""
        if not before["style"].startswith("Mechanism") or self.registry is None:
            return None
        key = _next_mechanism(ledger, before)
        if key is None:
            return (
                "a mechanism's name comes from data/mechanisms.yaml (or `mechanisms:` of the year)"
            )
        own = (
            self.current.value.get("mechanisms", {}) if isinstance(self.current.value, dict) else {}
        )
        if isinstance(own, dict) and key in own:
            return f"the name of {key} at {self._at(self.current, ('mechanisms', key))}"
        return f"the name of {key} at {self._at(self.registry, (key,))}"

    def _row(self, ledger: dict, before: dict) -> str | None:
        """The ISCMs of a theme's row: the names of the mechanisms the row lists."""
        if "Table" not in before["style"]:
            return None
        path = _previous_path(ledger, before)
        if path is None or len(path) < 2 or path[-1] != "name":
            return None
        row = (*path[:-1], "mechanisms")
        return (
            f"the ISCMs of this row: {format_path(row)} at {self._at(self.current, row)} "
            "(each named by its label in data/mechanisms.yaml)"
        )

    def _at(self, source: Source, path: KeyPath) -> str:
        line, _ = source.where(path)
        return f"{source.file_of(path)}:{line}"


def origins(data_dir: Path, current: Source, layout_name: str, locale: str) -> Origins:
    """The files a pull explains edits of wording with (what cannot be read is left out)."""
    from ...checking import layout_for
    from ...kinds import kind_of

    def loaded(name: str) -> Source | None:
        try:
            return load(data_dir / name, _shown(data_dir / name))
        except BulletinError:
            return None

    try:
        layout = layout_for(kind_of(data_dir), layout_name, data_dir)
        wording, text_source = layout.text, layout.text_source
    except BulletinError:
        wording, text_source = {}, None
    settings, registry = loaded("bulletin.yaml"), loaded("mechanisms.yaml")
    return Origins(current, settings, registry, wording, text_source, layout_name, locale)


def _shown(path: Path) -> str:
    from ...errors import shown_path

    return shown_path(path)


def _matches(wording: Wording, text: str, marks: QuoteMarks) -> str | None:
    """What follows the wording in `text`: '' when the wording reads as all of it, the rest
    when a wording ending in a space or a colon ('E-mail: ') opens it; None when it does
    not read so (nor does a wording that is only placeholders)."""
    literal = "".join(wording.parts[0::2])
    if not re.search(r"\w", literal):
        return None
    pattern = ""
    for i, part in enumerate(wording.parts):
        if i % 2:
            pattern += r"(.+?)"
            continue
        for token in re.split(r"(\s+)", part):
            pattern += r"\s*" if token.isspace() else re.escape(loose(token, marks))
    if re.fullmatch(pattern, text):
        return ""
    if not wording.parts[-1].endswith((" ", ":")):
        return None
    match = re.match(pattern + r"\s*", text)
    return text[match.end() :] if match else None


def _next_mechanism(ledger: dict, before: dict) -> str | None:
    paragraphs = ledger["paragraphs"]
    at = next((i for i, p in enumerate(paragraphs) if p is before), None)
    for paragraph in paragraphs[at + 1 :] if at is not None else []:
        if paragraph["marks"]:
            path = ledger["marks"].get(paragraph["marks"][0], {}).get("path", [])
            return str(path[1]) if path[:1] in (["events"], ["notes"]) and len(path) > 1 else None
    return None


def _previous_path(ledger: dict, before: dict) -> tuple | None:
    paragraphs = ledger["paragraphs"]
    at = next((i for i, p in enumerate(paragraphs) if p is before), None)
    for paragraph in reversed(paragraphs[:at] if at is not None else []):
        if paragraph["marks"]:
            return tuple(ledger["marks"].get(paragraph["marks"][-1], {}).get("path", []))
    return None


def _texts(value: Any, path: KeyPath) -> list[tuple[KeyPath, str]]:
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, (*path, k))]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _texts(v, (*path, i))]
    return [(path, value)] if isinstance(value, str) else []


def loose(text: str, marks: QuoteMarks) -> str:
    """Text as a reader compares it: spaces of any kind (no-break ones too) and dashes alike,
    quotes as the language of `marks` sets them (`inline.loose_quotes`: in English ‘x’ is
    not “x”, and a space beside a quote is one typed)."""
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return " ".join(inline.loose_quotes(text, marks).split())
