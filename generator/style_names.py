"""The style contract: every named style a document uses, which a layout must define.

Each kind of bulletin declares the names its documents use (its `styles`, on top of the
writers' own); a layout without one of them is refused when it is loaded, at its `styles` (or
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
