"""Write changed text values into a YAML data file, keeping everything else as it was.

A changed value is rewritten where it stands (its position from the YAML parser), in its own
quoting when that can hold the new text: every other byte of the file stays, comments, key
order, quoting, blank lines and long lines folded by hand too. New events are inserted with
ruamel.yaml's round trip, which keeps comments, key order and quoting (and re-joins long
plain texts folded over several lines). The file is replaced atomically (a temporary file
in the same folder, then os.replace), so a failure leaves it as it was.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from .errors import KeyPath


def set_values(
    path: Path,
    changes: Iterable[tuple[KeyPath, str]],
    events: Iterable[tuple[KeyPath, str]] = (),
) -> None:
    """Set each key path to its new text in the YAML file at `path`, and insert each new
    event (`events`: its place in a list of events and its text)."""
    text = path.read_text(encoding="utf-8")
    text = splice_values(text, list(changes))
    events = list(events)
    if events:
        text = _with_events(text, events)
    _replace(path, text)


def splice_values(text: str, changes: list[tuple[KeyPath, str]]) -> str:
    """The text with each changed value rewritten where it stands, in its own quoting when
    that can hold the new text (else in double quotes); every other byte stays."""
    spans = _scalar_spans(text)
    for key_path, new in sorted(changes, key=lambda c: -spans[tuple(c[0])][0]):
        start, end, style, column = spans[tuple(key_path)]
        text = text[:start] + _scalar(new, style, column) + text[end:]
    return text


def _scalar_spans(text: str) -> dict[KeyPath, tuple[int, int, str | None, int]]:
    """Where each scalar of a YAML text starts and ends, its style and its column."""
    found: dict[KeyPath, tuple[int, int, str | None, int]] = {}

    def walk(node: yaml.Node, path: KeyPath) -> None:
        if isinstance(node, yaml.ScalarNode):
            mark = node.start_mark
            found[path] = (mark.index, node.end_mark.index, node.style, mark.column)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return found


def _scalar(new: str, style: str | None, column: int) -> str:
    """A scalar for the new text: plain or single-quoted when the old one was and the new
    text reads back the same that way, else double-quoted."""
    if "\n" not in new:
        if style is None and _reads_back(new, new):
            return new
        if style == "'":
            quoted = "'" + new.replace("'", "''") + "'"
            if _reads_back(quoted, new):
                return quoted
    return json.dumps(new, ensure_ascii=False)


def _reads_back(written: str, value: str) -> bool:
    try:
        loaded = yaml.load(f"key: {written}\n", Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return False
    return loaded == {"key": value}


def _with_events(text: str, events: list[tuple[KeyPath, str]]) -> str:
    """New events inserted with ruamel.yaml's round trip (comments, order and quoting kept;
    the file's own indentation guessed)."""
    _, indent, offset = load_yaml_guess_indent(text)
    yaml_rt = YAML(typ="rt")
    yaml_rt.preserve_quotes = True
    yaml_rt.width = 1_000_000  # never fold a long line that was one line
    yaml_rt.indent(mapping=2, sequence=indent, offset=offset)
    document = yaml_rt.load(text)
    later_first = reversed(events)  # two new events at one place stay in order
    for key_path, event_text in sorted(later_first, key=lambda e: (str(e[0][:-1]), -int(e[0][-1]))):
        parent = document
        for part in key_path[:-1]:
            parent = parent[part]
        _insert(parent, int(key_path[-1]), event_text)
    out = io.StringIO()
    yaml_rt.dump(document, out)
    return out.getvalue()


def _insert(events: Any, position: int, text: str) -> None:
    """Insert a new event; at the end of a list it takes over what followed the last one
    (the blank line and comments before the next key), so they stay after the list."""
    new = CommentedMap(text=DoubleQuotedScalarString(text))
    if position == len(events) and events and isinstance(events[-1], CommentedMap):
        last = events[-1]
        key = list(last)[-1] if last else None
        if key is not None and key in last.ca.items:
            new.ca.items["text"] = last.ca.items.pop(key)
    events.insert(position, new)


def _replace(path: Path, text: str) -> None:
    """Write the file through a temporary file in the same folder, then rename it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
