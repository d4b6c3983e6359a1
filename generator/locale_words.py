"""The words a bulletin asks of its locale (month names, worded dates and ranges, the way a
list is joined, a locale's name), remembered between runs, so that a run whose words are
all known never loads babel and its locale data (a fifth of `bulletin check`).

Each answer is babel's own, asked the first time and kept by the question asked (the
function, the locale and the arguments) in one file of the user's cache folder per babel
installed (`.../bulletin/locale/words-<number>.json`, named by where babel is, see
fontcache), bound to it (its location and its file's device, inode, size and times):
another babel has a file of its own, and a babel upgraded in place writes over its own.
The file is an optimisation only: it is read only if it is a small plain file of exactly
the shape written, whose checksum matches and whose every entry is a known question with
an answer of the right shape (plain text, no control or invisible character); anything
else is ignored, and the file written again. Whoever can write in your home folder can
change the words (as they can change anything you run); the checksum guards against
corruption, the binding against stale answers, not against them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from . import fontcache
from .signals import at_exit
from .sources import refused_characters

FORMAT = 1
FOLDER = "locale"
SIZE_LIMIT = 1 << 20
"""Bytes of the file; far more than the words of many issues."""
ENTRY_LIMIT = 20_000
"""Answers the file may hold (a run's own, at 50 times the data of 2020, are about 6,000)."""
OTHERS = 200
"""Answers kept beside those of the last run (other issues' and layouts'), the most recent
first, once the file holds far more than a run asks (`trimmed`): the file, read by every
run, stays about as large as what a run asks."""
TEXT_LIMIT = 500
"""Characters of a question's part or an answer's."""
QUESTIONS: dict[str, tuple[int, int, type]] = {
    "locale": (1, 1, str),
    "months": (1, 1, list),
    "date": (3, 3, str),
    "interval": (4, 4, str),
    "list": (2, 100, str),
}
"""Each kind of question: how many parts follow its name (at least, at most: a list's are
the locale and its items), and the type of its answer."""

Question = tuple[str, ...]
Answer = str | tuple[str, ...]

_said: dict[Question, Answer] | None = None
_used: set[Question] = set()
_new: set[Question] = set()
"""The answers babel gave in this run (those read from the file were checked there)."""
_identity: list[str | None] = []
"""The babel that answers (`_babel_identity`), once known."""


def locale_name(value: str) -> str | None:
    """The name babel gives a locale (`en_gb` is `en_GB`), or None if babel has no such one."""
    answer = _ask(("locale", value), lambda: _babel_locale_name(value))
    return answer if isinstance(answer, str) and answer else None


def month_names(locale: str) -> dict[int, str]:
    """The locale's month names, wide ('January'), by number from 1."""
    answer = _ask(("months", locale), lambda: _babel_month_names(locale))
    return dict(enumerate(answer, start=1))


def date(day: dt.date, pattern: str, locale: str) -> str:
    """A day worded in a CLDR pattern ('d MMMM': '9 December')."""
    question = ("date", locale, pattern, day.isoformat())
    return str(_ask(question, lambda: _babel_date(day, pattern, locale)))


def interval(start: dt.date, end: dt.date, skeleton: str, locale: str) -> str:
    """Two days worded as a range by a CLDR skeleton ('MMMMd': '23–24 January')."""
    question = ("interval", locale, skeleton, start.isoformat(), end.isoformat())
    return str(_ask(question, lambda: _babel_interval(start, end, skeleton, locale)))


def listed(items: Sequence[str], locale: str) -> str:
    """Texts joined as the locale joins a list ('a, b and c')."""
    question = ("list", locale, *items)
    return str(_ask(question, lambda: _babel_list(items, locale)))


def keep() -> None:
    """Write what was asked of babel in this run, if anything was, or if the file holds far
    more than the run asked (see `trimmed`; any failure only means the next run asks babel
    again)."""
    if _said is None or not (_new or trimmed(len(_said), len(_used))):
        return
    new = set(_new)
    _new.clear()
    identity = _babel_identity()
    if identity is None:
        return
    used = [question for question in _said if question in _used]  # in the order read
    others = [question for question in _said if question not in _used]
    if trimmed(len(_said), len(_used)):
        others = others[:OTHERS]
    kept = [question for question in [*used, *others] if question not in new or _is_kept(question)]
    entries = [[list(question), _plain(_said[question])] for question in kept[:ENTRY_LIMIT]]
    data = json.dumps({"format": FORMAT, "babel": identity, "said": entries}).encode("ascii")
    fontcache.save_blob(file_name(identity), fontcache.sealed(data), FOLDER)


def trimmed(held: int, used: int) -> bool:
    """Whether a file holding `held` answers, of which a run used `used`, holds far more than
    a run asks (of the answers the run did not use, only the `OTHERS` most recent are then
    kept): more than twice as many and a few (two issues, or two layouts, built by turns
    keep each other's answers)."""
    return held > 2 * used + 5 * OTHERS


def forget() -> None:
    """Forget what this process holds (the next question reads the file again)."""
    global _said
    _said = None
    _used.clear()
    _new.clear()
    _identity.clear()


# -- asking ------------------------------------------------------------------------------


def _ask(question: Question, babel: Callable[[], Answer]) -> Answer:
    said = _remembered()
    answer = said.get(question)
    if answer is None:
        answer = said[question] = babel()  # babel's own errors pass as they are
        if not _new:
            at_exit(keep)
        _new.add(question)
    _used.add(question)
    return answer


def _remembered() -> dict[Question, Answer]:
    global _said
    if _said is None:
        _said = _read()
    return _said


def _is_kept(question: Question) -> bool:
    """Whether babel's answer to a question reads back from the file (a question too long
    for the file is asked again)."""
    assert _said is not None
    try:
        _entry([list(question), _plain(_said[question])])
    except ValueError:
        return False
    return True


def _plain(answer: Answer) -> Any:
    return answer if isinstance(answer, str) else list(answer)


# -- the file -----------------------------------------------------------------------------


def file_name(identity: str) -> str:
    """The file of the babel installed, by where it is (several projects' environments share
    the folder; a babel upgraded in place writes over its own)."""
    origin = identity.rpartition(STAMPED)[0].encode("utf-8", "surrogateescape")
    return f"words-{zlib.crc32(origin):08x}.json"


def _read() -> dict[Question, Answer]:
    """The answers kept for the babel installed; none if the file is missing, of another
    babel or not exactly as written."""
    identity = _babel_identity()
    data = fontcache.load_blob(file_name(identity), SIZE_LIMIT + 9, FOLDER) if identity else None
    if data is None or identity is None:
        return {}
    try:
        return _entries(data, identity)
    except (ValueError, TypeError, RecursionError):  # UnicodeDecodeError is a ValueError
        return {}


def _entries(data: bytes, identity: str) -> dict[Question, Answer]:
    body = fontcache.unsealed(data)
    if body is None or len(body) > SIZE_LIMIT:
        return {}
    found = json.loads(body.decode("ascii"))
    if not isinstance(found, dict) or set(found) != {"format", "babel", "said"}:
        return {}
    if found["format"] != FORMAT or found["babel"] != identity:
        return {}
    entries = found["said"]
    if not isinstance(entries, list) or len(entries) > ENTRY_LIMIT:
        return {}
    said: dict[Question, Answer] = {}
    for entry in entries:
        question, answer = _entry(entry)
        said[question] = answer
    return said


def _entry(entry: object) -> tuple[Question, Answer]:
    """A kept question and its answer, if both have the shape `keep` writes; else ValueError
    (or TypeError)."""
    if type(entry) is not list or len(entry) != 2 or type(entry[0]) is not list:
        raise ValueError("not an entry")
    question, answer = entry
    fewest, most, shape = QUESTIONS.get(question[0] if question else "", (1, 0, None))
    asked = "".join(question)  # TypeError for a part that is not text
    if not fewest < len(question) <= most + 1 or max(map(len, question)) > TEXT_LIMIT:
        raise ValueError("not a question")
    text = type(answer) is str and len(answer) <= TEXT_LIMIT
    if shape is str and text and _is_answer(answer, asked):
        return tuple(question), answer
    names = answer if shape is list and type(answer) is list and len(answer) == 12 else ()
    named = names and all(type(name) is str and 0 < len(name) <= TEXT_LIMIT for name in names)
    if named and _is_answer("".join(names), asked):
        return tuple(question), tuple(names)
    raise ValueError("not an answer")


def _is_answer(text: str, asked: str) -> bool:
    """Text with no control or invisible character but those asked (a list's items are in
    its answer)."""
    return text.isprintable() or refused_characters(text) <= set(asked)


STAMPED = "|stamp|"
"""What parts babel's place from its stamp in its identity."""


def _babel_identity() -> str | None:
    """Where the babel that answers is installed, and its file's stamp (device, inode, size
    and times): what tells that another babel (another version) answers now; None without
    one. Found once a process, as Python's import finds it (before babel is loaded)."""
    if not _identity:
        _identity.append(_find_babel())
    return _identity[0]


def _find_babel() -> str | None:
    module = sys.modules.get("babel")
    origin = getattr(module, "__file__", None)
    if origin is None:
        from importlib.util import find_spec

        try:
            spec = find_spec("babel")
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
    stamp = fontcache.file_stamp(origin) if origin else ()
    return f"{origin}{STAMPED}{'|'.join(map(str, stamp))}" if stamp else None


# -- babel ---------------------------------------------------------------------------------


def _babel_locale_name(value: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(value))
    except (ValueError, TypeError, UnknownLocaleError):
        return ""


def _babel_month_names(locale: str) -> tuple[str, ...]:
    from babel.dates import get_month_names

    names = get_month_names("wide", locale=_babel_locale(locale))
    return tuple(names[number] for number in range(1, 13))


def _babel_date(day: dt.date, pattern: str, locale: str) -> str:
    from babel.dates import format_date

    return str(format_date(day, pattern, locale=_babel_locale(locale)))


def _babel_interval(start: dt.date, end: dt.date, skeleton: str, locale: str) -> str:
    from babel.dates import format_interval

    return str(format_interval(start, end, skeleton, locale=_babel_locale(locale)))


def _babel_list(items: Sequence[str], locale: str) -> str:
    from babel.lists import format_list

    return str(format_list(list(items), locale=_babel_locale(locale)))


_locales: dict[str, Any] = {}


def _babel_locale(locale: str) -> Any:
    """babel's Locale of a name, parsed once: babel's functions, given its name, parse it on
    every call (a tenth of the time of wording an event's dates)."""
    found = _locales.get(locale)
    if found is None:
        from babel import Locale

        found = _locales[locale] = Locale.parse(locale)
    return found
