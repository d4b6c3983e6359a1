"""The style contract: every named style a document uses, which a layout must define.

Each kind of bulletin declares the names its documents use (its `styles`, on top of the
writers' own); a layout without one of them is refused when it is loaded, at its `styles` (or
`character_styles`, `tables`) key, instead of failing halfway through a build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class StyleNames:
    """Names of paragraph styles, character styles and table styles."""

    paragraph: tuple[str, ...] = ()
    character: tuple[str, ...] = ()
    table: tuple[str, ...] = ()
    chart: bool = False
    """Whether the documents have charts (then the layout needs its `chart:` section)."""
    wording: tuple[str, ...] = ()
    """The keys of text.yaml the bulletin uses: any other key there is a typo, and refused."""

    def __or__(self, other: StyleNames) -> StyleNames:
        return StyleNames(
            tuple(dict.fromkeys((*self.paragraph, *other.paragraph))),
            tuple(dict.fromkeys((*self.character, *other.character))),
            tuple(dict.fromkeys((*self.table, *other.table))),
            self.chart or other.chart,
            tuple(dict.fromkeys((*self.wording, *other.wording))),
        )


WRITERS = StyleNames(paragraph=("Normal", "Footer"))
"""What the writers use themselves: the default paragraph, and the running footer."""


WORD_OWN = ("Masthead Band Top", "Default Paragraph Font", "Normal Table", "No List")
"""Styles the Word file makes itself (the band's top line, the template's defaults): a
layout's style of the same name would be two styles to Word under one id."""

LINKED_SUFFIX = " Char"
"""The Word file names the character style that shows a paragraph style in a run (the
masthead's period and issue) as Word names linked styles: "Masthead Period Char"."""


def word_id(name: str) -> str:
    """Word's style id for a style name: its letters and digits ("Heading 1" -> "Heading1")."""
    return re.sub(r"[^A-Za-z0-9]", "", name)


def word_name_problem(name: str, seen: dict[str, str]) -> str | None:
    """Why a layout's style name cannot name a style of the Word file, if it cannot; `seen`
    maps the Word ids of the names before it to those names (and takes this one's)."""
    ident = word_id(name)
    if not ident:
        return f"style name '{name}' has no letter or digit of A-Z, 0-9, which Word names styles by"
    if name in WORD_OWN or name.endswith(LINKED_SUFFIX):
        return f"style name '{name}' is one the Word file gives a style of its own"
    if ident in seen:
        return f"style names '{seen[ident]}' and '{name}' are one style to Word (id '{ident}')"
    seen[ident] = name
    return None
