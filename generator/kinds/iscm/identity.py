"""Which item of the data now is the item a Word file was built from.

A value's key path in the build's record counts list items as they were at the build
(`events.ARCP[1]`); events inserted, deleted or reordered in the data since then move the
items. Each list item of the data as built is found in the data now by what it holds, never
by its bare position: the same item at the same place of its equal items (an item written
twice counts in order), else, when it is gone, the item the data changed it into (an item
in its slot among unchanged neighbours, that keeps most of its values: an event whose
place was corrected is still the event). An item gone from the data is Gone; an item in
its slot that kept too little of itself is Changed (a value edited in the Word file then is
a conflict).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from ...errors import KeyPath


@dataclass(frozen=True)
class Gone:
    """The item at `path` (as built) is no longer in the data."""

    path: KeyPath


@dataclass(frozen=True)
class Changed:
    """The item at `path` (as built) was changed in the data since: it is `now` there."""

    path: KeyPath
    now: KeyPath


@dataclass(frozen=True)
class Unsure:
    """The item at `path` (as built) is in the data more or fewer times than it was."""

    path: KeyPath


Located = KeyPath | Gone | Changed | Unsure


def locate(path: KeyPath, built: Any, now: Any) -> Located:
    """The key path in the data now of the value at `path` in the data as built."""
    mapped: list[Any] = []
    for k, part in enumerate(path):
        if isinstance(part, int) and isinstance(built, list) and isinstance(now, list):
            found = _item(part, built, now)
            if found is None:
                return Gone(path[: k + 1])
            index, same = found
            if index is None:
                return Unsure(path[: k + 1])
            if not same:
                return Changed(path[: k + 1], (*mapped, index))
            # same: the item, unchanged or changed in a few of its values
            part_now: Any = index
        else:
            part_now = part
        mapped.append(part_now)
        built = _child(built, part)
        now = _child(now, part_now)
    return tuple(mapped)


def _child(value: Any, part: Any) -> Any:
    try:
        return value[part]
    except (KeyError, IndexError, TypeError):
        return None


def value_at(value: Any, path: KeyPath) -> Any:
    """The value at `path` inside `value` (None: not there)."""
    for part in path:
        value = _child(value, part)
    return value


def _item(index: int, built: list[Any], now: list[Any]) -> tuple[int | None, bool] | None:
    """Where the built list's item `index` stands in the list now, and whether unchanged
    (None: gone; (None, True): there as often as not as it was, so which one is unsure)."""
    if index >= len(built):
        return None
    keys_built, keys_now = [_key(v) for v in built], [_key(v) for v in now]
    key = keys_built[index]
    was = [i for i, k in enumerate(keys_built) if k == key]
    is_now = [i for i, k in enumerate(keys_now) if k == key]
    if is_now:
        if len(was) != len(is_now):
            return None, True
        return is_now[was.index(index)], True
    matcher = difflib.SequenceMatcher(None, keys_built, keys_now, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i1 <= index < i2 and i2 - i1 == j2 - j1:
            slot = j1 + index - i1
            return slot, _mostly_kept(built[index], now[slot])
    return None


def _mostly_kept(built: Any, now: Any) -> bool:
    """Whether an item changed in the data kept at least half of its values."""
    if not isinstance(built, dict) or not isinstance(now, dict) or not built:
        return False
    kept = sum(1 for key, value in built.items() if key in now and now[key] == value)
    return 2 * kept >= len(built)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
