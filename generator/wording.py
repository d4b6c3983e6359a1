"""The fixed wording of a layout (`text.yaml`): text with `{{ name }}` placeholders, nothing else.

Not Jinja: the wording only needs names filled in, and a layout is untrusted input, so nothing
in `text.yaml` can run code, read a file, loop or grow: filling a wording is one pass over its
own parts. Statements (`{% %}`), comments (`{# #}`), filters and expressions are refused when
the layout is loaded, with the column of the mark. (This also keeps Jinja out of start-up.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}")
_MARK = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_MARK_PROBLEMS = {
    "{{": ("'{{' does not open a placeholder", "write a name alone: {{ year }}; no expressions"),
    "}}": ("'}}' closes no placeholder", "write a name alone: {{ year }}"),
    "{%": ("'{%' statements are not allowed", "wording has only {{ name }} placeholders"),
    "%}": ("'%}' statements are not allowed", "wording has only {{ name }} placeholders"),
    "{#": ("'{#' comments are not allowed", "write a YAML comment (# ...) on its own line"),
    "#}": ("'#}' comments are not allowed", "write a YAML comment (# ...) on its own line"),
}


class WordingError(ValueError):
    """A problem at a character of a wording (`offset`, from 0), with a hint."""

    def __init__(self, message: str, hint: str, offset: int) -> None:
        super().__init__(message)
        self.message, self.hint, self.offset = message, hint, offset


@dataclass(frozen=True)
class Wording:
    """A parsed wording: literal text and names, alternating (`parts[1::2]` are names)."""

    parts: tuple[str, ...]
    offsets: tuple[int, ...]
    """Where each name's placeholder starts in the written text."""

    @property
    def names(self) -> tuple[str, ...]:
        return self.parts[1::2]

    def fill(self, values: dict[str, object]) -> str:
        """The wording with each placeholder replaced by its value; a missing name raises."""
        pieces = list(self.parts)
        for i in range(1, len(pieces), 2):
            name = pieces[i]
            if name not in values:
                offset = self.offsets[i // 2]
                raise WordingError(
                    f"unknown name '{name}' in {{{{ {name} }}}}",
                    f"the names here are: {', '.join(sorted(values))}",
                    offset,
                )
            pieces[i] = str(values[name])
        return "".join(pieces)


def parse(text: str) -> Wording:
    """Read a wording, or raise WordingError at the first mark that is not a placeholder."""
    parts: list[str] = []
    offsets: list[int] = []
    start = 0
    for match in PLACEHOLDER.finditer(text):
        _refuse_marks(text, start, match.start())
        parts += [text[start : match.start()], match.group(1)]
        offsets.append(match.start())
        start = match.end()
    _refuse_marks(text, start, len(text))
    parts.append(text[start:])
    return Wording(tuple(parts), tuple(offsets))


def _refuse_marks(text: str, start: int, end: int) -> None:
    mark = _MARK.search(text, start, end)
    if mark is not None:
        message, hint = _MARK_PROBLEMS[mark.group()]
        raise WordingError(message, hint, mark.start())
