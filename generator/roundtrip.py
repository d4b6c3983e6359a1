"""Write changed text values into a YAML data file, keeping everything else as it was.

ruamel.yaml's round trip keeps comments, key order, quoting and blank lines; a changed value
keeps its quoting style. The file is replaced atomically (a temporary file in the same folder,
then os.replace), so a failure leaves it as it was.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from .errors import KeyPath


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line that was one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def set_values(
    path: Path,
    changes: Iterable[tuple[KeyPath, str]],
    events: Iterable[tuple[KeyPath, str]] = (),
) -> None:
    """Set each key path to its new text in the YAML file at `path`, and insert each new
    event (`events`: its place in a list of events and its text)."""
    yaml = _yaml()
    text = path.read_text(encoding="utf-8")
    document = yaml.load(text)
    for key_path, new in changes:
        parent = document
        for part in key_path[:-1]:
            parent = parent[part]
        parent[key_path[-1]] = _styled_like(parent[key_path[-1]], new)
    later_first = reversed(list(events))  # two new events at one place stay in order
    for key_path, text in sorted(later_first, key=lambda e: (str(e[0][:-1]), -int(e[0][-1]))):
        parent = document
        for part in key_path[:-1]:
            parent = parent[part]
        _insert(parent, int(key_path[-1]), text)
    out = io.StringIO()
    yaml.dump(document, out)
    _replace(path, out.getvalue())


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


def _styled_like(old: Any, new: str) -> str:
    """The new text in the old value's quoting style (plain when it needs no quotes)."""
    for style in (
        DoubleQuotedScalarString,
        SingleQuotedScalarString,
        LiteralScalarString,
        FoldedScalarString,
    ):
        if isinstance(old, style):
            if style is FoldedScalarString or style is LiteralScalarString:
                return (
                    style(new if new.endswith("\n") else new + "\n")
                    if str(old).endswith("\n")
                    else style(new)
                )
            return style(new)
    return new


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
