"""Write changed text values into a YAML data file, keeping everything else as it was.

A changed value is rewritten where it stands (its position from the YAML parser), in its own
quoting when that can hold the new text: every other byte of the file stays, comments, key
order, quoting, blank lines and long lines folded by hand too. A new item of a block list (a
new event) is written as lines of its own after the item before it, indented as its
neighbours (a list written in flow style, `[...]`, is refused: NotBlockList). The file is
replaced atomically (a temporary file in the same folder, then os.replace), so a failure
leaves it as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from .errors import KeyPath


class NotBlockList(ValueError):
    """A new item's list is not written one item per line (`- ...`): no place for it."""


Record = dict[str, Any]
"""A new list item: its keys in order, each a text or a list of texts."""


def set_values(
    path: Path,
    changes: Iterable[tuple[KeyPath, str]],
    items: Iterable[tuple[KeyPath, Record]] = (),
    check: Callable[[str, str], None] | None = None,
    write: bool = True,
) -> None:
    """Set each key path to its new text in the YAML file at `path`, and insert each new
    list item (`items`: its place in a list, and its keys). `check(old, new)` sees the
    file's text before and after, and may raise: then nothing is written (nor when not
    `write`: a dry run). A file whose lines all end in CRLF keeps them."""
    with path.open(encoding="utf-8", newline="") as handle:
        raw = handle.read()
    crlf = "\r\n" in raw and raw.count("\n") == raw.count("\r\n")
    text = raw.replace("\r\n", "\n") if crlf else raw
    written = new_text(text, list(changes), list(items))
    if check is not None:
        check(text, written)
    if write:
        _replace(path.resolve(), written.replace("\n", "\r\n") if crlf else written)


def new_text(
    text: str, changes: list[tuple[KeyPath, str]], items: list[tuple[KeyPath, Record]]
) -> str:
    """The file's text with the changes made and the items inserted (an item's place counts
    the list's items as they were: items for one place go in in the order given)."""
    text = splice_values(text, changes)
    later_first = reversed(items)
    for key_path, record in sorted(later_first, key=lambda i: (str(i[0][:-1]), -int(i[0][-1]))):
        text = insert_item(text, key_path, record)
    return text


def splice_values(text: str, changes: list[tuple[KeyPath, str]]) -> str:
    """The text with each changed value rewritten where it stands, in its own quoting when
    that can hold the new text (else in double quotes); every other byte stays."""
    spans = _scalar_spans(text)
    for key_path, new in sorted(changes, key=lambda c: -spans[tuple(c[0])][0]):
        start, end, style, column = spans[tuple(key_path)]
        if style in ("|", ">"):  # a block scalar ends past its line break: keep that
            end = start + len(text[start:end].rstrip())
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


def insert_item(text: str, key_path: KeyPath, record: Record) -> str:
    """The text with a new item in a block list, written as lines of its own after the item
    before it (or before the first item): every other byte stays. NotBlockList for a list
    that is not written one item per line."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = _node(root, key_path[:-1])
    position = int(key_path[-1])
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        raise NotBlockList(key_path[:-1])
    items = node.value
    first = items[0].start_mark
    dash = text.rfind("-", 0, first.index)
    dash_column = dash - (text.rfind("\n", 0, dash) + 1)
    lines = _item_lines(record, dash_column, first.column)
    if position == 0:
        at = text.rfind("\n", 0, dash) + 1
        return text[:at] + lines + text[at:]
    end = _last_index(items[min(position, len(items)) - 1])
    at = text.find("\n", end)
    if at < 0:
        return text + "\n" + lines.rstrip("\n")
    return text[: at + 1] + lines + text[at + 1 :]


def _node(root: yaml.Node | None, path: KeyPath) -> yaml.Node | None:
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            return None
    return node


def _last_index(node: yaml.Node) -> int:
    """Where the last text of a block node ends (a block's own end mark lies past the blank
    lines and comments that follow it)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        if not node.value:
            break
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


def _item_lines(record: Record, dash_column: int, key_column: int) -> str:
    lines = []
    for n, (key, value) in enumerate(record.items()):
        lead = " " * dash_column + "-" + " " * (key_column - dash_column - 1) if n == 0 else ""
        lead = lead or " " * key_column
        if isinstance(value, list):
            written = "[" + ", ".join(_scalar(str(v), None, 0) for v in value) + "]"
        else:
            written = _scalar(str(value), None, key_column + len(key) + 2)
        lines.append(f"{lead}{key}: {written}\n")
    return "".join(lines)


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
