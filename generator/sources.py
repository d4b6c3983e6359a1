"""YAML loading that keeps the line and column of every key and value.

Scalars stay text (validation converts them), so `2020-13-01` is reported as a bad date
rather than crashing the YAML library. Aliases are refused: a data file has no use for
them, and they are how an "alias bomb" makes a small file explode in memory (composing
keeps them shared and conversion never enters a node twice, so nothing is expanded).
Positions are counted in characters, lines as YAML counts them, from 1.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .errors import BulletinError, KeyPath, Problem, fail, format_path, not_a_file
from .lazy_patterns import DeferredPattern, deferring

MAX_BYTES = 10 * 1024 * 1024
NULLS = {"", "~", "null", "Null", "NULL"}
MAX_CONTROL_REPORTS = 20
# What YAML refuses to read: C0 and C1 controls but tab and line ends, and two non-characters.
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Line ends as editors count them; U+0085, U+2028 and U+2029 (which YAML would also count)
# are refused before YAML reads the file, so YAML's line numbers are the editor's.
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")
# Invisible characters that change how text or a link reads (zero-width, bidi controls and
# marks, the word joiner and invisible operators, line and paragraph separators, a byte-order
# mark inside the text): refused wherever they stand.
INVISIBLE = re.compile(
    "[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u2028\u2029\ufeff]"
)
_CONTROL = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # controls (Cc) but tab and line feed
    "\ud800-\udfff"  # surrogates (Cs)
    "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"  # private use (Co)
)
"""Unicode's Cc, Cs and Co: fixed ranges, which no later version of Unicode changes."""
_REFUSED = re.compile(f"[{_CONTROL}]|{INVISIBLE.pattern}")
"""A character refused in a key or a value: a control, or an invisible one (one search)."""


def refused_characters(text: str) -> set[str]:
    """The characters of a text refused in a key or a value (`_REFUSED`)."""
    return set(_REFUSED.findall(text))


MAX_DEPTH = 32
"""How deep mappings and lists may nest (the data needs 8; a layout 4)."""
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}
"""The tags YAML gives plain text, lists and mappings itself; any other tag is refused."""

if TYPE_CHECKING:  # imported by the functions that read YAML: a build's renderer, which
    import yaml  # imports this module for `Source`, never does (a tenth of its start)


@dataclass
class Source:
    """A loaded YAML file: its plain value and where each path stands in the file."""

    file: str
    value: Any
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    files: dict[KeyPath, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = field(default="", repr=False)
    """The file's text as read (what `bulletin pull` compares an edited Word file with)."""

    def where(self, path: KeyPath, key: bool = False) -> tuple[int, int]:
        """Line and column of a path's value (or its key), else of its nearest parent."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def file_of(self, path: KeyPath) -> str:
        """The file a path came from (a merged layout has several)."""
        while path and path not in self.files:
            path = path[:-1]
        return self.files.get(path, self.file)

    def problem(self, path: KeyPath, message: str, hint: str = "", key: bool = False) -> Problem:
        line, column = self.where(path, key)
        return Problem(self.file_of(path), line, column, format_path(path), message, hint)


def _yaml() -> ModuleType:
    """PyYAML, imported (the first time) without compiling the patterns it compiles as it
    loads until one is used (10 ms): libyaml's loader never uses its reader's, and the
    base resolver (`_loader`) none of its resolver's; the data is checked sooner, so the
    renderer has its work sooner."""
    if "yaml" not in sys.modules:
        with deferring(_deferred):
            import yaml
    import yaml

    return yaml


def _deferred(pattern: str, flags: int) -> type[DeferredPattern] | None:
    return DeferredPattern


def _loader() -> type[yaml.BaseLoader]:
    """libyaml's loader when present (10x faster), else PyYAML's own; with the base
    resolver, which tags every plain scalar as text without trying its patterns (whether
    `yes` is a boolean): scalars stay text here, and validation converts them."""
    import yaml

    return getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def read_text(path: Path, shown: str) -> str:
    """Read a file as UTF-8, or fail naming the first byte that is not."""
    if not path.is_file():
        raise fail(shown, not_a_file(path), "check the year or the path")
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
        before = raw[: error.start].decode("utf-8")  # valid up to the first bad byte
        line, column = _position(before, len(before))
        raise fail(
            shown,
            f"byte 0x{raw[error.start]:02x} is not UTF-8",
            "save the file as UTF-8",
            line,
            column,
        ) from None


def load(path: Path, shown: str | None = None) -> Source:
    """Load one YAML file into a Source, or raise a located BulletinError.

    Problems that leave the value readable (a duplicate key, a control character in a
    quoted text) do not stop loading: they are kept in `source.problems`, so validation can
    report more. An alias is reported with every other problem of the file, then raised.
    """
    shown = shown or str(path)
    return load_text(read_text(path, shown), shown)


def load_text(text: str, shown: str) -> Source:
    """Load YAML text as `load` loads a file (`shown`: the name it is reported under)."""
    yaml = _yaml()
    _refuse_raw_characters(text, shown)
    try:
        node = yaml.compose(text, Loader=_loader())
        shared = node is not None and "*" in text and _shares_nodes(node)
        alias = _first_alias(text) if shared else None
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, text, shown) from None
    except yaml.YAMLError as error:  # pragma: no cover - the raw scan refuses what YAML does
        raise fail(
            shown, f"not valid YAML: {' '.join(str(error).split())}", "check the file"
        ) from None
    if node is None:
        raise fail(shown, "the file is empty", "see docs/data-format.md for what it holds")
    source = Source(shown, None, text=text)
    source.value = _convert(node, (), source, source.problems, set())
    source.problems.sort(key=lambda p: (p.line, p.column))
    if alias is not None:
        source.problems.append(_alias_problem(shown, alias))
        raise BulletinError(sorted(source.problems, key=lambda p: (p.line, p.column)))
    return source


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column of text[index] as YAML counts them (a leading BOM takes no column)."""
    breaks = [match.end() for match in _LINE_BREAK.finditer(text, 0, index)]
    return _position_after(breaks, index, text.startswith("\ufeff"))


def _position_after(breaks: list[int], index: int, bom: bool) -> tuple[int, int]:
    """Line and column of an index, given where each line after the first starts."""
    line = bisect.bisect_right(breaks, index)
    start = breaks[line - 1] if line else int(bom)
    return line + 1, index - start + 1


def _refuse_raw_characters(text: str, shown: str) -> None:
    """Raise every control or invisible character written raw in the file, located.

    YAML cannot read the controls; the invisible characters would change how a text or link
    reads without showing (or, for U+2028 and U+2029, shift YAML's line numbers).
    """
    bom = text.startswith("\ufeff")
    found = [match.start() for match in _RAW_CONTROL.finditer(text)]
    found += [m.start() for m in INVISIBLE.finditer(text, int(bom))]
    if not found:
        return
    found.sort()
    breaks = [match.end() for match in _LINE_BREAK.finditer(text)]
    problems = []
    for index in found[:MAX_CONTROL_REPORTS]:
        message, hint = _character_problem(text[index])
        problems.append(Problem(shown, *_position_after(breaks, index, bom), "", message, hint))
    if len(found) > MAX_CONTROL_REPORTS:
        index = found[MAX_CONTROL_REPORTS]
        message = f"{len(found) - MAX_CONTROL_REPORTS:,} more control characters"
        hint = "is this a text file? save it as UTF-8 text"
        problems.append(Problem(shown, *_position_after(breaks, index, bom), "", message, hint))
    raise BulletinError(problems)


def _character_problem(char: str) -> tuple[str, str]:
    """The message and hint for a control or invisible character."""
    if INVISIBLE.match(char):
        name = unicodedata.name(char, "")
        return (
            f"invisible character U+{ord(char):04X} {name} in text",
            "delete it: it cannot be seen, and can change how a text or link reads",
        )
    return f"control character U+{ord(char):04X} in text", "delete it; it cannot be printed"


def _syntax_error(error: yaml.MarkedYAMLError, text: str, shown: str) -> BulletinError:
    """A YAML syntax error where the editor can fix it: at what is left open, for an end of file."""
    mark = error.problem_mark or error.context_mark
    message = (error.problem or "not valid YAML").strip()
    hint = "check indentation, quotes and colons"
    if message.startswith("mapping values are not allowed"):
        hint = "a text that holds ': ' must be in quotes: put the whole text in \"...\""
    if error.context_mark is not None and mark is not None and _at_end(mark, text):
        mark = error.context_mark
        message = f"{error.context}, {message}"
        hint = "close the quote or bracket that opens here"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return fail(shown, f"not valid YAML: {message}", hint, line, column)


def _at_end(mark: yaml.Mark, text: str) -> bool:
    """Whether a mark stands at the end of the text (libyaml does not count a BOM)."""
    return mark.index >= len(text) - text.startswith("\ufeff")


def _shares_nodes(root: yaml.Node) -> bool:
    """Whether a node stands twice in the composed file: what an alias composes to (the node
    it names, not a copy). Each node is entered once, so an alias bomb stays small."""
    seen: set[int] = set()
    waiting = [root]
    while waiting:
        node = waiting.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node.value, list):  # a sequence's nodes, a mapping's (key, value) pairs
            for item in node.value:
                if isinstance(item, tuple):
                    waiting.extend(item)
                else:
                    waiting.append(item)
    return False


def _first_alias(text: str) -> Any:
    """Where the first alias (*name) of a well-formed text stands (a mark of the Python or
    the C parser), or None. Parsing the text again takes a third of the time of composing
    it: only done for a text with an alias (see `_shares_nodes`)."""
    if "*" not in text:
        return None
    import yaml

    events = yaml.parse(text, Loader=_loader())
    return next((e.start_mark for e in events if isinstance(e, yaml.AliasEvent)), None)


def _alias_problem(shown: str, mark: yaml.Mark) -> Problem:
    """The refusal of an alias, at the alias itself."""
    return Problem(
        shown,
        mark.line + 1,
        mark.column + 1,
        "",
        "anchors and aliases (*name) are not allowed in bulletin data",
        "write the value out in full",
    )


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(
    node: yaml.Node, path: KeyPath, source: Source, problems: list[Problem], seen: set[int]
) -> Any:
    """Node -> plain value, recording positions; a node met twice (an alias) is left out."""
    import yaml

    if id(node) in seen:  # reported by load at the alias itself; never expanded
        return None
    seen.add(id(node))
    source.values[path] = _mark(node)
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        problems.append(
            source.problem(
                path,
                f"YAML tag '{tag}' is not allowed",
                "remove it: the data is plain text, lists and mappings",
            )
        )  # and read on as if untagged, so the file's other problems are found too
    if len(path) >= MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
        problems.append(
            source.problem(
                path,
                f"lists and mappings nested more than {MAX_DEPTH} deep",
                "the bulletin's files need far fewer levels: check the indentation",
            )
        )
        return None
    if isinstance(node, yaml.ScalarNode):
        return _convert_scalar(node, path, source, problems)
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, path, source, problems, seen)
    return [_convert(item, (*path, i), source, problems, seen) for i, item in enumerate(node.value)]


def _convert_mapping(
    node: yaml.MappingNode, path: KeyPath, source: Source, problems: list[Problem], seen: set[int]
) -> dict[str, Any]:
    import yaml

    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(
                _at_key(source, key_node, path, "a key must be a plain name", "remove the brackets")
            )
            continue
        key = key_node.value
        bad = _REFUSED.search(key)
        if bad is not None:
            problems.append(_at_key(source, key_node, path, *_character_problem(bad.group())))
            continue
        if key_node.tag not in _PLAIN_TAGS:
            message = (
                f"YAML tag '{key_node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed"
            )
            problems.append(_at_key(source, key_node, path, message, "remove it"))
            continue
        if key == "<<":
            problems.append(
                _at_key(
                    source, key_node, path, "merge keys (<<) are not allowed", "write the keys out"
                )
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


def _at_key(source: Source, key_node: yaml.Node, path: KeyPath, message: str, hint: str) -> Problem:
    """A problem with a key of the mapping at `path`, located at that key."""
    line, column = _mark(key_node)
    return Problem(source.file, line, column, format_path(path), message, hint)


def _convert_scalar(
    node: yaml.ScalarNode, path: KeyPath, source: Source, problems: list[Problem]
) -> str | None:
    text: str = node.value
    if not node.style and text in NULLS:  # plain, not quoted (libyaml says "", PyYAML None)
        return None
    bad = _REFUSED.search(text)
    if bad is not None:
        problems.append(source.problem(path, *_character_problem(bad.group())))
    return text
