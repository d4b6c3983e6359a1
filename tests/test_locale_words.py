"""What babel says is remembered between runs; the file is an optimisation only: whatever is
found in it (or instead of it), the words are babel's own, and a run whose words are all
remembered never loads babel."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date, format_interval, get_month_names
from babel.lists import format_list

from generator import fontcache, locale_words
from generator.kinds import kind_of
from generator.layout import load_layout
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("en_GB", "fr_FR", "de_DE")
DAYS = (dt.date(2020, 3, 1), dt.date(2020, 12, 31), dt.date(2021, 2, 28))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of our own, and nothing remembered in this process; the file
    the words are kept in."""
    root = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root))
    locale_words.forget()
    identity = locale_words._babel_identity()
    assert identity
    yield root / "bulletin" / "locale" / locale_words.file_name(identity)
    locale_words.forget()


def ask_all(locale: str) -> list[Any]:
    """Every kind of question, asked of the remembered words."""
    return [
        locale_words.locale_name(locale.lower()),
        locale_words.month_names(locale),
        [locale_words.date(day, pattern, locale) for day in DAYS for pattern in ("d", "MMMM")],
        [locale_words.interval(DAYS[0], end, "MMMMd", locale) for end in DAYS[1:]],
        locale_words.interval(DAYS[0], DAYS[1], "yMMMM", locale),
        [locale_words.listed(items, locale) for items in (["a"], ["a", "b"], ["\x00", "\x01"])],
    ]


def ask_babel(locale: str) -> list[Any]:
    """The same questions, asked of babel itself."""
    return [
        locale,
        dict(get_month_names("wide", locale=locale)),
        [format_date(day, pattern, locale=locale) for day in DAYS for pattern in ("d", "MMMM")],
        [format_interval(DAYS[0], end, "MMMMd", locale=locale) for end in DAYS[1:]],
        format_interval(DAYS[0], DAYS[1], "yMMMM", locale=locale),
        [format_list(items, locale=locale) for items in (["a"], ["a", "b"], ["\x00", "\x01"])],
    ]


def written(path: Path) -> dict[str, Any]:
    body = fontcache.unsealed(path.read_bytes())
    assert body is not None, "its checksum matches"
    found: dict[str, Any] = json.loads(body)
    return found


def warm(path: Path) -> dict[str, Any]:
    """Ask every question in every locale, keep the answers: the file as written."""
    for locale in LOCALES:
        ask_all(locale)
    locale_words.keep()
    locale_words.forget()
    return written(path)


@pytest.mark.parametrize("locale", LOCALES)
def test_each_answer_is_babels_own_asked_or_remembered(cache: Path, locale: str) -> None:
    asked = ask_all(locale)
    assert asked == ask_babel(locale)
    locale_words.keep()
    locale_words.forget()
    assert ask_all(locale) == asked
    assert not locale_words._new, "every answer was remembered"


def test_an_unknown_locale_is_refused_asked_or_remembered(cache: Path) -> None:
    for _ in range(2):
        assert locale_words.locale_name("xx_YY") is None
        assert locale_words.locale_name("not a locale") is None
        assert locale_words.locale_name("en_GB") == "en_GB"
        locale_words.keep()
        locale_words.forget()


def test_an_issue_composes_the_same_with_its_words_remembered_or_not(
    cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def composed() -> Any:
        kind = kind_of(DATA)
        return kind.compose(kind.load(DATA, "2020"), load_layout("iscm"))

    cold = composed()
    locale_words.keep()
    assert cache.is_file()
    locale_words.forget()
    assert composed() == cold
    assert not locale_words._new
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # no cache at all
    monkeypatch.setenv("HOME", "relative")
    locale_words.forget()
    assert composed() == cold


WATCH = """
import os, sys
end = os._exit
def watched_end(code):
    if "babel" in sys.modules:
        print("babel loaded", file=sys.stderr, flush=True)
    end(code)
os._exit = watched_end
sys.argv = ["bulletin", "check", "2020", "--data", {data!r}]
from generator.start import main
main()
"""


def test_a_check_whose_words_are_remembered_never_loads_babel(tmp_path: Path) -> None:
    """Through the real start (which ends by os._exit): the first check asks babel and keeps
    its words, the next one says the same without loading babel."""
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", WATCH.format(data=str(DATA))],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=environment,
        )
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr
    assert "babel loaded" in runs[0].stderr
    assert "babel loaded" not in runs[1].stderr
    assert runs[1].stdout == runs[0].stdout
    assert runs[1].stderr == runs[0].stderr.replace("babel loaded\n", "")


Plant = Callable[[Path, dict[str, Any]], None]


def raw(content: bytes) -> Plant:
    def plant(path: Path, data: dict[str, Any]) -> None:
        path.unlink()
        path.write_bytes(content)

    return plant


def signed(change: Callable[[dict[str, Any]], Any]) -> Plant:
    """The file edited, with a checksum that matches the edit."""

    def plant(path: Path, data: dict[str, Any]) -> None:
        path.write_bytes(fontcache.sealed(json.dumps(change(data)).encode("ascii")))

    return plant


def unsigned(path: Path, data: dict[str, Any]) -> None:
    """One month name changed, the checksum left as it was."""
    check = path.read_bytes().partition(b"\n")[0]
    body = json.dumps(data).replace("March", "Marsh", 1).encode("ascii")
    path.write_bytes(check + b"\n" + body)


def said(change: Callable[[list[Any]], Any]) -> Plant:
    """The entries edited (the checksum made for the edit)."""
    return signed(lambda data: {**data, "said": change(data["said"])})


def answer(kind: str, new: Any) -> Plant:
    """The answer of each question of a kind replaced."""
    return said(lambda entries: [[q, new if q[0] == kind else a] for q, a in entries])


DEEP = b"[" * 100_000 + b"]" * 100_000


def fifo(path: Path, data: dict[str, Any]) -> None:
    path.unlink()
    os.mkfifo(path)


def folder(path: Path, data: dict[str, Any]) -> None:
    path.unlink()
    path.mkdir()


def truncated(path: Path, data: dict[str, Any]) -> None:
    path.write_bytes(path.read_bytes()[:-40])


PLANTS: dict[str, Plant] = {
    "fifo": fifo,
    "folder": folder,
    "empty": raw(b""),
    "binary": raw(b"\xff\xfe\x00garbage\x80"),
    "no-checksum": raw(b'{"format": 1}'),
    "truncated": truncated,
    "unsigned-edit": unsigned,
    "deep-json": raw(fontcache.sealed(DEEP)),
    "huge": said(lambda entries: [*entries, *[[["list", "en_GB", "x" * 400], "x"]] * 4000]),
    "other-babel": signed(lambda data: {**data, "babel": data["babel"] + "1"}),
    "other-format": signed(lambda data: {**data, "format": 2}),
    "extra-key": signed(lambda data: {**data, "more": 1}),
    "said-a-mapping": signed(lambda data: {**data, "said": {}}),
    "unknown-question": said(lambda entries: [*entries, [["weekday", "en_GB"], "Monday"]]),
    "question-too-long": said(lambda entries: [*entries, [["locale", "x" * 600], "x"]]),
    "too-many-parts": said(lambda entries: [*entries, [["list", "en_GB", *"a" * 120], "a"]]),
    "question-a-number": said(lambda entries: [*entries, [["locale", 1], "x"]]),
    "months-a-text": answer("months", "January"),
    "eleven-months": answer("months", ["January"] * 11),
    "a-month-empty": answer("months", ["January"] * 11 + [""]),
    "date-a-number": answer("date", 1),
    "date-a-list": answer("date", ["1"]),
    "invisible-answer": answer("date", "1\u200b March"),
    "control-answer": answer("date", "1\x07 March"),
    "answer-too-long": answer("interval", "x" * 600),
}


@pytest.mark.parametrize("name", PLANTS)
def test_an_odd_file_is_ignored_and_written_again(cache: Path, name: str) -> None:
    data = warm(cache)
    PLANTS[name](cache, data)
    for locale in LOCALES:
        assert ask_all(locale) == ask_babel(locale)
    locale_words.keep()
    if name == "folder":  # a folder in its place cannot be replaced: ignored each time
        assert cache.is_dir()
        return
    assert written(cache) == data, "written again, whole"


def test_a_file_that_is_a_link_is_neither_read_nor_written_through(
    cache: Path, tmp_path: Path
) -> None:
    data = warm(cache)
    victim = tmp_path / "victim.json"
    planted = cache.read_bytes().replace(b"March", b"Marsh")
    victim.write_bytes(planted)
    cache.unlink()
    cache.symlink_to(victim)
    assert ask_all("en_GB") == ask_babel("en_GB")
    locale_words.keep()
    assert victim.read_bytes() == planted, "victim unchanged"
    assert not cache.is_symlink()
    assert written(cache)["babel"] == data["babel"]


def test_a_question_too_long_to_keep_leaves_the_file_whole(cache: Path) -> None:
    long = ["x" * (locale_words.TEXT_LIMIT + 1), "y"]
    assert locale_words.listed(long, "en_GB") == format_list(long, locale="en_GB")
    assert locale_words.month_names("en_GB")[12] == "December"
    locale_words.keep()
    locale_words.forget()
    kept = [tuple(question) for question, _ in written(cache)["said"]]
    assert kept == [("months", "en_GB")]


def test_without_a_cache_folder_the_words_are_babels_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", "relative")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    locale_words.forget()
    try:
        assert ask_all("fr_FR") == ask_babel("fr_FR")
        locale_words.keep()
        assert list(tmp_path.iterdir()) == []
    finally:
        locale_words.forget()


def test_a_file_far_larger_than_a_run_asks_is_cut_to_the_runs_answers_and_a_few(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every run reads the file: answers of other runs are kept, but only a few (the most
    recent first), so it stays about the size of what one run asks."""
    monkeypatch.setattr(locale_words, "OTHERS", 5)
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(40)]
    for day in days:
        locale_words.date(day, "d MMMM", "en_GB")
    locale_words.keep()
    assert len(written(cache)["said"]) == 40
    locale_words.forget()
    asked = [locale_words.date(day, "d MMMM", "en_GB") for day in days[30:33]]
    assert asked == [format_date(day, "d MMMM", locale="en_GB") for day in days[30:33]]
    assert not locale_words._new
    locale_words.keep()
    kept = [question[3] for question, _ in written(cache)["said"]]
    assert kept == [day.isoformat() for day in days[30:33] + days[:5]]
    locale_words.forget()
    for day in days[30:33]:
        locale_words.date(day, "d MMMM", "en_GB")
    before = cache.stat().st_mtime_ns, cache.stat().st_ino
    locale_words.keep()  # nothing new, and no more than the run asked and a few: left as it is
    assert (cache.stat().st_mtime_ns, cache.stat().st_ino) == before


def test_each_babel_installed_has_a_file_of_its_own(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Projects' environments share the cache folder: one babel's file is never written
    over by another's (each would make the other ask babel again)."""
    data = warm(cache)
    other = "/elsewhere/babel/__init__.py" + data["babel"][data["babel"].index("|stamp|") :]
    monkeypatch.setattr(locale_words, "_babel_identity", lambda: other)
    assert ask_all("en_GB") == ask_babel("en_GB")
    assert locale_words._new, "nothing read from the other babel's file"
    locale_words.keep()
    assert written(cache) == data
    own = cache.parent / locale_words.file_name(other)
    assert written(own)["babel"] == other


def test_two_issues_used_by_turns_keep_each_others_answers(cache: Path) -> None:
    """The file is cut only when it holds far more than a run asks: two issues (or two
    layouts) built by turns each find their words, neither evicts the other's."""
    first = [dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(300)]
    second = [dt.date(2021, 1, 1) + dt.timedelta(days=n) for n in range(300)]
    for days in (first, second, first, second):
        locale_words.forget()
        asked = [locale_words.date(day, "d MMMM", "fr_FR") for day in days]
        assert asked == [format_date(day, "d MMMM", locale="fr_FR") for day in days]
        locale_words.keep()
    locale_words.forget()
    for days in (first, second):
        for day in days:
            locale_words.date(day, "d MMMM", "fr_FR")
    assert not locale_words._new, "every answer of both issues was remembered"


def test_only_the_answers_babel_gave_in_this_run_are_checked_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Those read from the file were checked as it was read (at 50 times the data of 2020,
    checking them all again took 10-17 ms of every run that asked babel anything)."""
    warm(cache)
    ask_all("en_GB")
    checked: list[Any] = []
    check = locale_words._entry
    monkeypatch.setattr(locale_words, "_entry", lambda entry: checked.append(entry) or check(entry))
    locale_words.date(dt.date(1999, 5, 4), "d MMMM", "en_GB")
    locale_words.keep()
    assert checked == [[["date", "en_GB", "d MMMM", "1999-05-04"], "4 May"]]
    locale_words.forget()
    assert locale_words.date(dt.date(1999, 5, 4), "d MMMM", "en_GB") == "4 May"
    assert not locale_words._new


def test_a_babel_upgraded_in_place_writes_over_its_own_file(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is named by where babel is: another version there (another stamp) is not
    answered from the old words, and leaves no old file behind."""
    data = warm(cache)
    upgraded = data["babel"] + "9"
    monkeypatch.setattr(locale_words, "_babel_identity", lambda: upgraded)
    assert ask_all("en_GB") == ask_babel("en_GB")
    assert locale_words._new, "nothing read from the old babel's words"
    locale_words.keep()
    assert [path.name for path in cache.parent.iterdir()] == [cache.name]
    assert written(cache)["babel"] == upgraded


def test_a_babel_found_by_an_import_hook_is_the_one_that_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before babel is loaded, it is found as `import babel` would find it, import hooks
    (an editable install's) first: its words are bound to that babel."""
    import importlib.machinery

    hooked = tmp_path / "hooked" / "__init__.py"
    hooked.parent.mkdir()
    hooked.write_text("")

    class Hook:
        @staticmethod
        def find_spec(name: str, path: object = None, target: object = None) -> Any:
            if name != "babel":
                return None
            return importlib.machinery.ModuleSpec(name, None, origin=str(hooked))

    monkeypatch.delitem(sys.modules, "babel")
    monkeypatch.setattr(sys, "meta_path", [Hook(), *sys.meta_path])
    locale_words.forget()
    try:
        identity = locale_words._babel_identity()
        assert identity is not None and identity.startswith(f"{hooked}|")
    finally:
        locale_words.forget()
