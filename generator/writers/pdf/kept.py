"""What a warm process keeps of its PDF paragraphs from one file to the next (`bulletin watch`).

A one-line edit changes one paragraph; the watch's writer processes lay out every other one
again as before. While `keeping` (the watch's builds: its first, in its own process, so the
writer processes forked from it start with what that build kept), a paragraph made from
the same markup in a style that looks the same (every attribute of the ReportLab style, the
hyphenation's language, exceptions and protected words, the fonts as registered) takes the
fragments its markup was read into, and its line breaking at each width, from the last file
that had it: the same objects, which ReportLab only reads when it draws (a split, which may
change a word in place, drops what was kept of the paragraph). Keys hold the whole content,
so an edit is never missed: a changed word, style or font makes another key.

What a build that laid out paragraphs did not use is dropped at its end (an edited
paragraph's old text), so what is kept is one build's paragraphs, at most LIMIT markups (a
larger issue keeps its first LIMIT); whenever a font is registered anew (its file replaced),
all is dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

LIMIT = 2000
"""Markups kept (with their line breakings): ten times a year's paragraphs (each holds
about 40 KB)."""

_frags: OrderedDict[Any, Any] = OrderedDict()
"""(markup, style's look) -> the fragments ReportLab's parser made of it."""
_wraps: OrderedDict[Any, dict[float, Any]] = OrderedDict()
"""(markup, style's look) -> {width: what `Paragraph.wrap` remembers}."""
_fonts: list[int] = [-1]
"""The font registrations what is kept was made with (see `styles.registrations`)."""
_on = [0]
"""How many `keeping` blocks are open."""
_used_now: set[Any] = set()
"""The keys used since the outermost `keeping` began."""


@contextmanager
def keeping() -> Iterator[None]:
    """While a watch builds: keep paragraphs' fragments and line breakings in this process
    (and for good in the processes forked meanwhile, its writer processes); what was kept
    and used stays, for the next build."""
    _on[0] += 1
    try:
        yield
    finally:
        _on[0] -= 1
        if not _on[0]:
            _drop_unused()


def _drop_unused() -> None:
    """Drop what the build that ends did not use, if it laid out any paragraph."""
    if _used_now:
        for kept in (_frags, _wraps):
            for key in [key for key in kept if key not in _used_now]:
                del kept[key]
    _used_now.clear()


def active() -> bool:
    """Whether a watch builds (see `keeping`): what its writers work out is worth keeping."""
    return _on[0] > 0


def forget() -> None:
    """Drop everything kept."""
    _frags.clear()
    _wraps.clear()


def look(markup: str, style: Any) -> Any:
    """The key of a paragraph's markup in its style, or None when nothing is kept."""
    if not _on[0]:
        return None
    from .styles import registrations

    if _fonts[0] != registrations():
        forget()
        _fonts[0] = registrations()
    return (markup, _looks(style))


def frags(key: Any) -> Any:
    """The fragments kept for this key, or None."""
    return _used(_frags, key)


def keep_frags(key: Any, value: Any) -> None:
    _put(_frags, key, value)


def wraps(key: Any) -> dict[float, Any]:
    """The line breakings kept for this key, by width (a dict to add to)."""
    found = _used(_wraps, key)
    if found is None:
        found = {}
        _put(_wraps, key, found)
    return found


def drop(key: Any) -> None:
    """Forget the line breakings of a key (a split may have changed them)."""
    _wraps.pop(key, None)


def _used(kept: OrderedDict[Any, Any], key: Any) -> Any:
    found = kept.get(key)
    if found is not None:
        kept.move_to_end(key)
        _used_now.add(key)
    return found


def _put(kept: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    """Keep a value, dropping the least recently used one not used by this build if LIMIT
    is reached (none: this build's are all kept, the value is not)."""
    if len(kept) >= LIMIT:
        oldest = next(iter(kept))
        if oldest in _used_now:
            return
        del kept[oldest]
    kept[key] = value
    _used_now.add(key)


def _looks(style: Any) -> tuple[Any, ...]:
    """Every attribute of a ReportLab style, as a value that compares by content (worked out
    once per style while its attributes stay as they were)."""
    attributes = vars(style)
    known = _seen.get(style)
    if known is not None and known[0] == attributes:
        return known[1]
    looks = tuple((name, _value(value)) for name, value in sorted(attributes.items()))
    _seen[style] = (dict(attributes), looks)
    return looks


_seen: WeakKeyDictionary[Any, tuple[dict[str, Any], tuple[Any, ...]]] = WeakKeyDictionary()
"""Each style's attributes as last seen, with what `_looks` made of them."""


def _value(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    looks = getattr(value, "looks", None)  # the hyphenator
    if looks is not None:
        return looks()
    if isinstance(value, (tuple, list)):
        return tuple(_value(item) for item in value)
    return (type(value).__name__, repr(value))
