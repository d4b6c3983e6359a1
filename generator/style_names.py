"""The style contract: every named style a document uses, which a layout must define.

Compose writes these names into the document model and the writers look them up in the
layout; a layout without one of them is refused when it is loaded, at its `styles` (or
`character_styles`, `tables`) key, instead of failing halfway through a build.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StyleNames:
    """Names of paragraph styles, character styles and table styles."""

    paragraph: tuple[str, ...] = ()
    character: tuple[str, ...] = ()
    table: tuple[str, ...] = ()

    def __or__(self, other: StyleNames) -> StyleNames:
        return StyleNames(
            tuple(dict.fromkeys((*self.paragraph, *other.paragraph))),
            tuple(dict.fromkeys((*self.character, *other.character))),
            tuple(dict.fromkeys((*self.table, *other.table))),
        )


WRITERS = StyleNames(paragraph=("Normal", "Footer"))
"""What the writers use themselves: the default paragraph, and the running footer."""

ISCM = WRITERS | StyleNames(
    paragraph=(
        "Masthead Publisher",
        "Masthead Period",
        "Masthead Issue",
        "Title",
        "Heading 1",
        "Heading 1 Continued",
        "Mechanism",
        "Mechanism Continued",
        "Mechanism Note",
        "Event",
        "Feature Title",
        "Feature Text",
        "Table Caption",
        "Publication",
        "Closing",
    ),
    character=("Strong", "Emphasis", "Hyperlink", "Event Title", "Masthead Link"),
    table=("Theme Table",),
)
"""What the ISCM Highlights use: compose writes exactly these names (tests check it)."""
