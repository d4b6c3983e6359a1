"""YAML loading that keeps the line and column of every key and value.

Scalars stay text (validation converts them), so `2020-13-01` is reported as a bad date
rather than crashing the YAML library. Aliases are refused: a data file has no use for
them, and they are how an "alias bomb" makes a small file explode in memory (composing
keeps them shared, so the refusal comes before anything is expanded).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml

from .errors import Path, Problem, fail, format_path

MAX_BYTES = 10 * 1024 * 1024
NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Source:
    """A loaded YAML file: its plain value and where each path stands in the file."""

    file: str
    value: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    files: dict[Path, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: Path, key: bool = False) -> tuple[int, int]:
        """Line and column of a path's value (or its key), else of its nearest parent."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def file_of(self, path: Path) -> str:
        """The file a path came from (a merged layout has several)."""
        while path and path not in self.files:
            path = path[:-1]
        return self.files.get(path, self.file)

    def problem(self, path: Path, message: str, hint: str = "", key: bool = False) -> Problem:
        line, column = self.where(path, key)
        return Problem(self.file_of(path), line, column, format_path(path), message, hint)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster


def read_text(path: FilePath, shown: str) -> str:
    """Read a file as UTF-8, or fail naming the first byte that is not."""
    if not path.is_file():
        raise fail(shown, "file not found", "check the year or the path")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise fail(
            shown,
            f"file is {size:,} bytes, over the limit of {MAX_BYTES:,}",
            "split the data or remove what does not belong in a bulletin",
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise fail(
            shown,
            f"byte 0x{raw[error.start]:02x} is not UTF-8",
            "save the file as UTF-8",
            line,
            column,
        ) from None


def load(path: FilePath, shown: str | None = None) -> Source:
    """Load one YAML file into a Source, or raise a located BulletinError.

    Problems that leave the value readable (a duplicate key, a control character) do not
    stop loading: they are kept in `source.problems`, so validation can report more.
    """
    shown = shown or str(path)
    text = read_text(path, shown)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = (error.problem or "not valid YAML").strip()
        raise fail(
            shown,
            f"not valid YAML: {message}",
            "check indentation, quotes and colons",
            line,
            column,
        ) from None
    except yaml.YAMLError as error:
        raise fail(shown, f"not valid YAML: {error}", "check the file") from None
    if node is None:
        raise fail(shown, "the file is empty", "see docs/data-format.md for what it holds")
    source = Source(shown, None)
    source.value = _convert(node, (), source, source.problems, set())
    return source


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(
    node: yaml.Node, path: Path, source: Source, problems: list[Problem], seen: set[int]
) -> Any:
    """Node -> plain value, recording positions; a node met twice is an alias: refused."""
    if id(node) in seen:
        line, column = source.where(path, key=True)
        raise fail(source.file, "anchors and aliases (*name) are not allowed in bulletin data",
                   "write the value out in full", line, column)
    seen.add(id(node))
    source.values[path] = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        return _convert_scalar(node, path, source, problems)
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, path, source, problems, seen)
    return [_convert(item, (*path, i), source, problems, seen) for i, item in enumerate(node.value)]


def _convert_mapping(
    node: yaml.MappingNode, path: Path, source: Source, problems: list[Problem], seen: set[int]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            source.values[path] = _mark(key_node)
            problems.append(
                source.problem(path, "a key must be a plain name", "remove the brackets")
            )
            continue
        key = key_node.value
        if key == "<<":
            problems.append(
                source.problem(path, "merge keys (<<) are not allowed", "write the keys out")
            )
            continue
        child = (*path, key)
        if key in result:
            line, column = _mark(key_node)
            first_line, _ = source.keys[child]
            problems.append(
                Problem(
                    source.file,
                    line,
                    column,
                    format_path(child),
                    f"key '{key}' is written twice (first on line {first_line})",
                    "keep one of them: YAML would silently drop the first",
                )
            )
            continue
        source.keys[child] = _mark(key_node)
        result[key] = _convert(value_node, child, source, problems, seen)
    return result


def _convert_scalar(
    node: yaml.ScalarNode, path: Path, source: Source, problems: list[Problem]
) -> str | None:
    text: str = node.value
    if not node.style and text in NULLS:  # plain, not quoted (libyaml says "", PyYAML None)
        return None
    bad = next((c for c in text if _is_control(c)), None)
    if bad is not None:
        problems.append(
            source.problem(
                path,
                f"control character U+{ord(bad):04X} in text",
                "delete it; it cannot be printed",
            )
        )
    return text


def _is_control(char: str) -> bool:
    return char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs", "Co")
