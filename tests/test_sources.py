"""generator.sources: YAML as plain values, with the line and column of every key and value."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import sources
from generator.errors import BulletinError, Problem, format_path
from generator.sources import Source

SAMPLE = """\
year: 2020
events:
  ADD:
    - title: Meeting
      dates: [2020-07-06, 2020-07-09]
"""


def load(tmp_path: Path, content: str | bytes) -> Source:
    path = tmp_path / "sample.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return sources.load(path, "sample.yaml")


def load_error(tmp_path: Path, content: str | bytes) -> Problem:
    with pytest.raises(BulletinError) as caught:
        load(tmp_path, content)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


# -- positions -----------------------------------------------------------------------------


def test_values_stay_as_written(tmp_path: Path) -> None:
    source = load(tmp_path, SAMPLE)
    assert source.value == {
        "year": "2020",
        "events": {"ADD": [{"title": "Meeting", "dates": ["2020-07-06", "2020-07-09"]}]},
    }
    assert source.problems == []


def test_positions_of_keys(tmp_path: Path) -> None:
    source = load(tmp_path, SAMPLE)
    assert source.keys[("year",)] == (1, 1)
    assert source.keys[("events",)] == (2, 1)
    assert source.keys[("events", "ADD")] == (3, 3)
    assert source.keys[("events", "ADD", 0, "title")] == (4, 7)
    assert source.keys[("events", "ADD", 0, "dates")] == (5, 7)


def test_positions_of_values(tmp_path: Path) -> None:
    source = load(tmp_path, SAMPLE)
    assert source.values[()] == (1, 1)
    assert source.values[("year",)] == (1, 7)
    assert source.values[("events", "ADD")] == (4, 5)  # the list starts at its first '-'
    assert source.values[("events", "ADD", 0)] == (4, 7)  # the mapping at its first key
    assert source.values[("events", "ADD", 0, "title")] == (4, 14)
    assert source.values[("events", "ADD", 0, "dates")] == (5, 14)
    assert source.values[("events", "ADD", 0, "dates", 0)] == (5, 15)
    assert source.values[("events", "ADD", 0, "dates", 1)] == (5, 27)


def test_where_falls_back_to_the_nearest_parent(tmp_path: Path) -> None:
    source = load(tmp_path, SAMPLE)
    assert source.where(("events", "ADD", 0, "place")) == (4, 7)
    assert source.where(("events", "ADD", 0, "title"), key=True) == (4, 7)
    assert source.where(("events", "ADD", 0, "title")) == (4, 14)
    assert source.where(("nothing", "here")) == (1, 1)


def test_a_problem_names_file_line_column_and_path(tmp_path: Path) -> None:
    source = load(tmp_path, SAMPLE)
    problem = source.problem(("events", "ADD", 0, "dates", 1), "not a date", "fix it")
    assert problem == Problem(
        "sample.yaml", 5, 27, "events.ADD[1].dates[2]", "not a date", "fix it"
    )
    assert str(problem) == "sample.yaml:5:27: events.ADD[1].dates[2]: not a date (fix it)"


def test_format_path() -> None:
    assert format_path(()) == "(top)"
    assert format_path(("issue",)) == "issue"
    assert format_path(("events", "5+5", 0, "dates")) == "events.5+5[1].dates"
    assert format_path(("features", 1, "paragraphs", 2)) == "features[2].paragraphs[3]"


def test_positions_with_windows_line_ends(tmp_path: Path) -> None:
    source = load(tmp_path, SAMPLE.replace("\n", "\r\n"))
    assert source.values[("events", "ADD", 0, "dates", 1)] == (5, 27)
    assert source.value["events"]["ADD"][0]["title"] == "Meeting"


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    source = load(tmp_path, b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    assert source.value["year"] == "2020"
    assert source.keys[("events", "ADD")] == (3, 3)


# -- scalars -------------------------------------------------------------------------------


def test_scalars_are_text_and_only_plain_nulls_are_none(tmp_path: Path) -> None:
    text = (
        'issue: 6\ndate: 2020-13-01\nflag: yes\nempty:\ntilde: ~\nnull_word: null\nquoted: "null"\n'
        "blank: ''\n"
    )
    assert load(tmp_path, text).value == {
        "issue": "6",
        "date": "2020-13-01",
        "flag": "yes",
        "empty": None,
        "tilde": None,
        "null_word": None,
        "quoted": "null",
        "blank": "",
    }


def test_block_text_keeps_its_line_breaks(tmp_path: Path) -> None:
    assert load(tmp_path, "a: |\n  one\n  two\n").value == {"a": "one\ntwo\n"}


# -- duplicate keys, aliases, merge keys ---------------------------------------------------


def test_duplicate_key_is_reported_with_both_lines(tmp_path: Path) -> None:
    text = "events:\n  ADD:\n    - title: One\n      place: virtual\n      place: Geneva\n"
    source = load(tmp_path, text)
    assert source.problems == [
        Problem(
            "sample.yaml",
            5,
            7,
            "events.ADD[1].place",
            "key 'place' is written twice (first on line 4)",
            "keep one of them: YAML would silently drop the first",
        )
    ]
    assert source.value["events"]["ADD"][0]["place"] == "virtual"


def test_duplicate_top_level_key(tmp_path: Path) -> None:
    source = load(tmp_path, "year: 2020\nissue: 6\nyear: 2021\n")
    assert [str(p) for p in source.problems] == [
        "sample.yaml:3:1: year: key 'year' is written twice (first on line 1) "
        "(keep one of them: YAML would silently drop the first)"
    ]


def test_every_duplicate_is_reported(tmp_path: Path) -> None:
    source = load(tmp_path, "a: 1\nb: 2\na: 3\nb: 4\na: 5\n")
    assert [(p.line, p.path) for p in source.problems] == [(3, "a"), (4, "b"), (5, "a")]


def test_alias_is_refused_where_it_is_used(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "a: &x 2020-01-01\nb:\n  c: *x\n")
    assert (problem.file, problem.line) == ("sample.yaml", 3)
    assert problem.message == "anchors and aliases (*name) are not allowed in bulletin data"


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    rows += [
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        for p, n in zip("abcdefg", "bcdefgh", strict=True)
    ]
    problem = load_error(tmp_path, "\n".join(rows) + "\n")
    assert problem.line == 2  # "b: &b [*a, ...": the first alias
    assert "aliases" in problem.message


def test_an_anchor_that_is_never_used_is_harmless(tmp_path: Path) -> None:
    """Only aliases are refused (the module's contract): an unused anchor changes nothing."""
    source = load(tmp_path, "events:\n  ADD: &add\n    - text: A **meeting**.\n")
    assert source.value == {"events": {"ADD": [{"text": "A **meeting**."}]}}
    assert source.problems == []


def test_alias_in_a_block_list_is_located_on_its_line(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "a: &x 2020-01-01\nb:\n  - 2020-02-02\n  - *x\n")
    assert (problem.line, problem.column) == (4, 5)


def test_an_alias_does_not_hide_the_other_problems(tmp_path: Path) -> None:
    with pytest.raises(BulletinError) as caught:
        load(tmp_path, "a: 1\na: 2\nb: &x 3\nc: *x\n")
    assert [p.line for p in caught.value.problems] == [2, 4]


def test_merge_key_is_refused(tmp_path: Path) -> None:
    text = "event:\n  title: One\n  <<: {place: virtual}\n"
    source = load(tmp_path, text)
    assert len(source.problems) == 1
    assert source.problems[0].message == "merge keys (<<) are not allowed"
    assert source.problems[0].path == "event"
    assert source.value == {"event": {"title": "One"}}


def test_merge_key_is_located_at_the_key(tmp_path: Path) -> None:
    source = load(tmp_path, "event:\n  title: One\n  <<: {place: virtual}\n")
    assert (source.problems[0].line, source.problems[0].column) == (3, 3)


def test_a_key_that_is_not_a_name_is_refused(tmp_path: Path) -> None:
    source = load(tmp_path, "a: 1\n? [b, c]\n: 2\n")
    assert [(p.line, p.column, p.message) for p in source.problems] == [
        (2, 3, "a key must be a plain name")
    ]


def test_a_key_that_is_not_a_name_leaves_its_mapping_where_it_is(tmp_path: Path) -> None:
    source = load(tmp_path, "x: 0\nevent:\n  title: One\n  ? [b, c]\n  : 2\n")
    assert source.values[("event",)] == (3, 3)
    assert [(p.line, p.column, p.path) for p in source.problems] == [(4, 5, "event")]


def test_only_the_first_alias_is_reported(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "a: &x 1\nb: [*x, *x]\nc: *x\n")
    assert (problem.line, problem.column) == (2, 5)


def test_an_alias_to_a_refused_key_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(BulletinError) as caught:
        load(tmp_path, "a: 1\na: &x 2\nb: *x\n")
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, 1), (3, 4)]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("? &k a\n: 1\n*k : 2\n", (3, 1)),  # a key
        ("a: &x {b: 1}\nc:\n  <<: *x\n", (3, 7)),  # under a refused merge key
        ("a: &x 1\n? [b, *x]\n: 2\n", (2, 7)),  # inside a key that is not a name
        ("a: &x 1\nb: " + "[" * 40 + "*x" + "]" * 40 + "\n", (2, 44)),  # nested too deep
        ("a: &x [1, *x]\n", (1, 11)),  # inside what it names
    ],
)
def test_an_alias_is_refused_wherever_it_stands(
    tmp_path: Path, text: str, where: tuple[int, int]
) -> None:
    """Where conversion does not go (keys, values refused with their keys, lists nested too
    deep), an alias is refused all the same."""
    with pytest.raises(BulletinError) as caught:
        load(tmp_path, text)
    aliases = [p for p in caught.value.problems if "aliases" in p.message]
    assert [(p.line, p.column) for p in aliases] == [where]


def test_a_text_with_stars_but_no_alias_loads(tmp_path: Path) -> None:
    source = load(tmp_path, "a: A **bold** *x\nb: '*y'\nc: 2 * 3\n")
    assert source.value == {"a": "A **bold** *x", "b": "*y", "c": "2 * 3"}
    assert source.problems == []


# -- encoding, control characters, size ----------------------------------------------------


def test_non_utf8_byte_is_located(tmp_path: Path) -> None:
    problem = load_error(tmp_path, b"year: 2020\nplace: F\xe8s, Morocco\n")
    assert (problem.file, problem.line, problem.column) == ("sample.yaml", 2, 9)
    assert problem.message == "byte 0xe8 is not UTF-8"
    assert problem.hint == "save the file as UTF-8"


def test_non_utf8_column_after_a_byte_order_mark(tmp_path: Path) -> None:
    problem = load_error(tmp_path, b"\xef\xbb\xbfa: \xe8\n")
    assert (problem.line, problem.column) == (1, 4)


def test_non_utf8_byte_on_the_first_line(tmp_path: Path) -> None:
    problem = load_error(tmp_path, b"\xff\xfey\x00e\x00a\x00r\x00")  # UTF-16
    assert (problem.line, problem.column, problem.message) == (1, 1, "byte 0xff is not UTF-8")


def test_non_utf8_column_counts_characters(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "place: Lomé, F".encode() + b"\xe8s\n")
    assert (problem.line, problem.column) == (1, 15)


def test_escaped_control_character_is_located(tmp_path: Path) -> None:
    source = load(tmp_path, 'year: 2020\nplace: "Geneva\\x07"\nnote: "a\\tb\\nc"\n')
    assert [str(p) for p in source.problems] == [
        "sample.yaml:2:8: place: control character U+0007 in text (delete it; it cannot be printed)"
    ]


@pytest.mark.parametrize(
    ("escape", "code"), [("\\0", "0000"), ("\\e", "001B"), ("\\x85", "0085"), ("\\uE000", "E000")]
)
def test_control_characters_are_refused(tmp_path: Path, escape: str, code: str) -> None:
    source = load(tmp_path, f'a: "x{escape}y"\n')
    assert [p.message for p in source.problems] == [f"control character U+{code} in text"]


def test_tabs_and_line_breaks_are_not_control_characters(tmp_path: Path) -> None:
    source = load(tmp_path, 'a: "one\\ttwo\\nthree"\nb: |\n  four\n  five\n')
    assert source.problems == []


def test_raw_control_character_is_located_on_one_line(tmp_path: Path) -> None:
    problem = load_error(tmp_path, b"year: 2020\nplace: Gen\x0beva\n")
    assert (problem.line, problem.column) == (2, 11)
    assert "U+000B" in problem.message
    assert "\n" not in str(problem)


def test_every_raw_control_character_is_located(tmp_path: Path) -> None:
    with pytest.raises(BulletinError) as caught:
        load(tmp_path, "year: 2020\r\nplace: Lomé\x00\r\n# note\x1b\r\n")
    assert [(p.line, p.column, p.message) for p in caught.value.problems] == [
        (2, 12, "control character U+0000 in text"),
        (3, 7, "control character U+001B in text"),
    ]


def test_raw_control_character_after_a_byte_order_mark(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "\ufeffa: x\x7f\n".encode())
    assert (problem.line, problem.column, problem.message) == (
        1,
        5,
        "control character U+007F in text",
    )


def test_a_file_full_of_control_characters_is_reported_briefly(tmp_path: Path) -> None:
    with pytest.raises(BulletinError) as caught:
        load(tmp_path, "a: " + "\x01" * 500 + "\n")
    problems = caught.value.problems
    assert len(problems) == sources.MAX_CONTROL_REPORTS + 1
    assert problems[-1].message == f"{500 - sources.MAX_CONTROL_REPORTS} more control characters"


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_BYTES", 1000)
    problem = load_error(tmp_path, "a: " + "x" * 1997 + "\n")
    assert problem.message == "file is 2,001 bytes, over the limit of 1,000"
    assert (problem.file, problem.line, problem.column) == ("sample.yaml", 1, 1)


def test_file_at_the_size_limit_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_BYTES", 1000)
    assert load(tmp_path, "a: " + "x" * 996 + "\n").value == {"a": "x" * 996}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BulletinError) as caught:
        sources.load(tmp_path / "2031.yaml", "data/2031.yaml")
    assert str(caught.value) == "data/2031.yaml:1:1: file not found (check the year or the path)"


def test_a_folder_or_a_device_where_the_year_file_should_be_says_so(tmp_path: Path) -> None:
    (tmp_path / "2031.yaml").mkdir()
    (tmp_path / "2032.yaml").symlink_to("/dev/null")
    for year, why in (("2031", "is a folder, not a file"), ("2032", "is not a regular file")):
        with pytest.raises(BulletinError) as caught:
            sources.load(tmp_path / f"{year}.yaml", f"data/{year}.yaml")
        assert str(caught.value).startswith(f"data/{year}.yaml:1:1: {why}")


# -- not YAML, empty -----------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n\n", "   \n", "# only a comment\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    problem = load_error(tmp_path, content)
    assert (problem.line, problem.column, problem.message) == (1, 1, "the file is empty")


def test_syntax_error_is_located(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "year: 2020\nplace: virtual: online\n")
    assert (problem.line, problem.column) == (2, 15)
    # PyYAML says "... here", libyaml "... in this context"
    assert problem.message.startswith("not valid YAML: mapping values are not allowed")


def test_tab_indentation_is_located(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "events:\n\tADD: []\n")
    assert (problem.line, problem.column) == (2, 1)
    assert problem.message.startswith("not valid YAML: found character")
    assert problem.message.endswith("that cannot start any token")


def test_two_documents_are_refused(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "a: 1\n---\nb: 2\n")
    assert (problem.line, problem.column) == (2, 1)
    assert problem.message.startswith("not valid YAML")


def test_unclosed_quote_is_located_where_it_opens(tmp_path: Path) -> None:
    problem = load_error(tmp_path, 'year: 2020\nplace: "virtual\nissue: 6\n\nnotes: {}\n')
    assert (problem.line, problem.column) == (2, 8)


def test_unclosed_quote_keeps_the_context_in_the_message(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "a: 1\nb: 'text\n")
    assert (problem.line, problem.column) == (2, 4)
    assert problem.message == (
        "not valid YAML: while scanning a quoted scalar, found unexpected end of stream"
    )
    assert problem.hint == "close the quote or bracket that opens here"


def test_unclosed_brace_is_located_where_it_opens(tmp_path: Path) -> None:
    problem = load_error(tmp_path, "a: 1\nb: {x: 1\n")
    assert (problem.line, problem.column) == (2, 4)
    assert problem.message.startswith("not valid YAML: while parsing a flow mapping, ")


def test_the_characters_refused_in_keys_and_values_are_controls_and_invisible_ones() -> None:
    """One search finds what Unicode files as a control (but tab and line feed), a surrogate
    or private use, and the invisible characters: every code point is checked."""
    import unicodedata

    def refused(char: str) -> bool:
        category = unicodedata.category(char)
        control = char not in "\n\t" and category in ("Cc", "Cs", "Co")
        return control or sources.INVISIBLE.match(char) is not None

    wrong = [
        code
        for code in range(0x110000)
        if refused(chr(code)) != (sources._REFUSED.match(chr(code)) is not None)
    ]
    assert wrong == []


def test_a_value_names_its_first_refused_character(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text('a: "one\\u200btwo\\x07"\n"k\\ue000": 1\n', encoding="utf-8")
    messages = [problem.message for problem in sources.load(path).problems]
    assert len(messages) == 2
    assert "U+200B" in messages[0] and "U+E000" in messages[1]


def test_yaml_is_imported_without_compiling_its_patterns() -> None:
    """libyaml's loader reads the data with the base resolver; PyYAML's own patterns (its
    pure-Python reader's, its resolver's) are compiled only if used (by another loader, a
    machine without libyaml), and they read and refuse what they did."""
    code = textwrap.dedent(
        """
        from generator import sources
        print(sources.load_text("a: 1\\nb: yes\\n", "x.yaml").value)
        import yaml, yaml.reader, yaml.resolver
        reader = yaml.reader.Reader.NON_PRINTABLE
        resolver = yaml.resolver.Resolver.yaml_implicit_resolvers["y"][0][1]
        print(type(reader).__name__, type(resolver).__name__)
        print(yaml.safe_load("a: yes\\nb: 1\\nc: 2020-01-02\\nd: '1'\\ne: ~\\n"))
        try:
            yaml.load("a: \\x07", Loader=yaml.SafeLoader)
        except yaml.reader.ReaderError as error:
            print("refused", error.character == 7)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == [
        "{'a': '1', 'b': 'yes'}",
        "DeferredPattern DeferredPattern",
        "{'a': True, 'b': 1, 'c': datetime.date(2020, 1, 2), 'd': '1', 'e': None}",
        "refused True",
    ]
