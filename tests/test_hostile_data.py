"""Hostile data edge cases: e-mail addresses, invisible characters, date forms, YAML tags,
line separators, deep nesting and very long values. Each is a located error, never a
silently changed value, a crash or a shifted line number. (Single cases of each kind are
also files in tests/cases/, run through the real command.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import BulletinError, Problem
from generator.kinds.iscm.validate import load_issue

from .conftest import DATA, ROOT

VALID = (ROOT / "tests" / "cases" / "valid.yaml").read_text(encoding="utf-8")


def data_folder(tmp_path: Path, year: str = VALID, settings: str | None = None) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DATA / "mechanisms.yaml", folder / "mechanisms.yaml")
    (folder / "bulletin.yaml").write_text(
        settings or (DATA / "bulletin.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "2020.yaml").write_text(year, encoding="utf-8")
    return folder


def problems(folder: Path) -> list[Problem]:
    with pytest.raises(BulletinError) as caught:
        load_issue(folder, "2020")
    return list(caught.value.problems)


def year_with(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


def line_of(text: str, part: str) -> int:
    """The line holding `part`, counting line ends as editors do (not U+2028 or U+0085)."""
    rows = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return next(i for i, row in enumerate(rows, 1) if part in row)


# -- the publisher's e-mail address --------------------------------------------------------

SETTINGS = (DATA / "bulletin.yaml").read_text(encoding="utf-8")
EMAIL = next(row for row in SETTINGS.splitlines() if "email:" in row)

BAD_EMAILS = [
    "a@b.c?bcc=evil@x.y",
    "grcp@iom.int?subject=hi",
    "<b>grcp</b>@iom.int",
    "grcp@iom.int<script>",
    '"Editor" <grcp@iom.int>',
    "grcp@@iom.int",
    "grcp@iom",
    "grcp@iom..int",
    "grcp@-iom.int",
    "gr cp@iom.int",
    "grcp@iom.int,evil@x.y",
    "grcp@[127.0.0.1]",
    ".grcp@iom.int",
    "grcp@iom.int%0Abcc:evil@x.y",
    "javascript:alert(1)//@iom.int",
]


@pytest.mark.parametrize("address", BAD_EMAILS)
def test_a_bad_publisher_email_is_located(tmp_path: Path, address: str) -> None:
    quoted = address.replace("'", "''")
    settings = SETTINGS.replace(EMAIL, EMAIL.split(":")[0] + f": '{quoted}'")
    (problem,) = problems(data_folder(tmp_path, settings=settings))
    assert problem.path == "publisher.email"
    assert problem.line == line_of(settings, "email:")
    assert problem.message.startswith(f"'{address}' is not an e-mail address: ")


@pytest.mark.parametrize("address", ["grcp@iom.int", "first.last+news@sub.iom.int", "josé@iom.int"])
def test_good_publisher_emails_pass(tmp_path: Path, address: str) -> None:
    settings = SETTINGS.replace(EMAIL, EMAIL.split(":")[0] + f": {address}")
    issue = load_issue(data_folder(tmp_path, settings=settings), "2020")
    assert issue.settings.publisher.email == address


# -- invisible and bidi characters -----------------------------------------------------------

INVISIBLE = [
    "\u200b",  # zero width space
    "\u200c",  # zero width non-joiner
    "\u200d",  # zero width joiner
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202b",
    "\u202c",  # pop directional formatting
    "\u202d",
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2067",
    "\u2068",
    "\u2069",  # pop directional isolate
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\ufeff",  # a byte-order mark inside the text
    "\u061c",  # Arabic letter mark (a bidi mark)
    "\u2060",  # word joiner
    "\u2063",  # invisible separator
    "\u180e",  # Mongolian vowel separator
]


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("where", ["url", "text", "key"])
def test_an_invisible_character_is_refused_with_its_code_point(
    tmp_path: Path, char: str, where: str
) -> None:
    if where == "url":
        year = year_with("https://www.baliprocess.net", f"https://www.bali{char}process.net")
    elif where == "text":
        year = year_with("place: Rabat, Morocco", f"place: Rabat,{char} Morocco")
    else:
        year = year_with("  OCAM:\n    - title", f"  OC{char}AM:\n    - title")
    (problem,) = problems(data_folder(tmp_path, year))
    assert problem.message.startswith(f"invisible character U+{ord(char):04X} ")
    assert problem.line == line_of(year, char)


@pytest.mark.parametrize("escape", ["\\u200B", "\\u202E", "\\u2066", "\\L", "\\P", "\\uFEFF"])
def test_an_escaped_invisible_character_is_refused_at_its_value(
    tmp_path: Path, escape: str
) -> None:
    year = year_with("place: Rabat, Morocco", f'place: "Rabat,{escape} Morocco"')
    (problem,) = problems(data_folder(tmp_path, year))
    assert problem.path == "events.5+5[1].place"
    assert problem.message.startswith("invisible character U+")
    assert problem.line == line_of(year, "Rabat")


def test_a_leading_byte_order_mark_is_still_fine(tmp_path: Path) -> None:
    assert load_issue(data_folder(tmp_path, "\ufeff" + VALID), "2020").year.year == 2020


# -- line separators never shift line numbers -------------------------------------------------


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_line_separators_do_not_shift_line_numbers(tmp_path: Path, separator: str) -> None:
    """Two separators on early lines; a control character far below is still on its own line."""
    year = year_with("OCAM: 30th anniversary", f"OCAM: 30th{separator}anniversary")
    year = year.replace("place: virtual", f"place: vir{separator}tual")
    year = year.replace("mechanism: Bali", "mechanism: Bali\x07")
    found = problems(data_folder(tmp_path, year))
    lines = [p.line for p in found]
    assert lines == [line_of(year, "30th"), line_of(year, "vir"), line_of(year, "mechanism: Bali")]
    assert found[-1].message == "control character U+0007 in text"


def test_an_escaped_line_separator_keeps_the_next_lines_numbered(tmp_path: Path) -> None:
    year = year_with("place: Rabat, Morocco", 'place: "Rabat\\LMorocco"')
    year = year_with("dates: 2020-06-30", "dates: 2020-06-31").replace(
        "place: Rabat, Morocco", 'place: "Rabat\\LMorocco"'
    )
    found = problems(data_folder(tmp_path, year))
    assert [p.line for p in found] == [line_of(year, "Rabat"), line_of(year, "2020-06-31")]


# -- only YYYY-MM-DD dates ----------------------------------------------------------------------

NOT_DAYS = [
    "2020-W27-2",  # ISO week date
    "2020W272",
    "2020-182",  # ordinal date
    "20200630",  # basic format
    "2020-06-30T00:00",
    "2020-06-30 00:00",
    "+2020-06-30",
    "２０２０-０６-３０",  # full-width digits
    "٢٠٢٠-٠٦-٣٠",  # Arabic-Indic digits
    "2020-6-30",
    "30-06-2020",
    "2020-06-30Z",
]


@pytest.mark.parametrize("day", NOT_DAYS)
def test_only_yyyy_mm_dd_dates_are_read(tmp_path: Path, day: str) -> None:
    year = year_with("dates: 2020-06-30", f"dates: '{day}'")
    (problem,) = problems(data_folder(tmp_path, year))
    assert problem.path == "events.OCAM[1].dates"
    assert problem.message == f"not a date: '{day}'"


def test_a_week_date_in_a_range_is_refused(tmp_path: Path) -> None:
    year = year_with("2020-03-01/2020-03-02", "2020-03-01/2020-W10-1")
    (problem,) = problems(data_folder(tmp_path, year))
    assert problem.message == "not a date: '2020-W10-1'"


# -- YAML tags are refused, never dropped -------------------------------------------------------

TAGS = [
    ("place: virtual", "place: !!binary dmlydHVhbA==", "!!binary"),
    ("place: virtual", "place: !custom virtual", "!custom"),
    (
        "place: virtual",
        "place: !!python/object/apply:os.system [id]",
        "!!python/object/apply:os.system",
    ),
    ("place: virtual", "place: !<tag:example.com,2020:x> virtual", "tag:example.com,2020:x"),
    ("place: virtual", "place: !!set {a, b}", "!!set"),
    ("place: virtual", "place: !!omap [a: 1]", "!!omap"),
    ("summary: addressed COVID-19.", "summary: !e addressed COVID-19.", "!e"),
    ("  OCAM:\n    - title", "  !k OCAM:\n    - title", "!k"),
    ("mechanisms: [OCAM, Bali,", "mechanisms: !seq [OCAM, Bali,", "!seq"),
]


@pytest.mark.parametrize(("old", "new", "tag"), TAGS)
def test_an_unknown_yaml_tag_is_a_located_error(
    tmp_path: Path, old: str, new: str, tag: str
) -> None:
    year = year_with(old, new)
    found = problems(data_folder(tmp_path, year))
    (problem,) = [p for p in found if p.message.startswith("YAML tag")]
    assert found[0] == problem  # first; a tagged list where a text belongs is also named
    assert problem.message == f"YAML tag '{tag}' is not allowed"
    assert problem.line == line_of(year, new.strip().split("\n")[0])


def test_plain_yaml_tags_for_text_are_fine(tmp_path: Path) -> None:
    year = year_with("place: virtual", "place: !!str virtual")
    issue = load_issue(data_folder(tmp_path, year), "2020")
    assert issue.year.events["OCAM"][0].place == "virtual"


# -- nesting is bounded ----------------------------------------------------------------------


@pytest.mark.parametrize("depth", [40, 500, 990])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_a_located_error(tmp_path: Path, depth: int, style: str) -> None:
    if style == "flow":
        deep = "place: " + "[" * depth + "x" + "]" * depth
    else:
        deep = "place:\n" + "".join(f"{'  ' * (i + 4)}k:\n" for i in range(depth))
        deep += "  " * (depth + 4) + "x"
    year = year_with("place: virtual", deep)
    found = problems(data_folder(tmp_path, year))
    deep_ones = [p for p in found if p.message == "lists and mappings nested more than 32 deep"]
    assert len(deep_ones) == 1, found
    rows = year.split("\n")
    assert rows[deep_ones[0].line - 1].strip().startswith("k:" if style == "block" else "place:")


# -- an error line never quotes a whole long value ------------------------------------------


LONG_VALUES = [
    # (what is replaced, by what, the unit repeated 50,000 characters long)
    ("dates: 2020-06-30", "dates: 2020-06-30" + "0" * 50_000, "0"),
    ("  OCAM:\n    - title", "  " + "K" * 50_000 + ":\n    - title", "K"),
    ("    mechanism: Bali", "    mechanism: " + "B" * 50_000, "B"),
    ("place: virtual", "plac" + "e" * 50_000 + ": virtual", "e"),
    ("issue: 6", "issue: " + "9" * 50_000, "9"),
    ("year: 2020", "year: " + "x" * 50_000, "x"),
    ("url: https://www.baliprocess.net/guide.pdf", "url: " + "javascript:" * 5_000, "javascript:"),
    ("dates: 2020-06-30", "dates: 2020-06-30/" + "2020-06-30/" * 5_000, "2020-06-30/"),
    ("place: virtual", "place: " + "**bold " * 8_000, "**bold "),
    ("mechanisms: [OCAM, Bali,", "mechanisms: [" + "Q" * 50_000 + ",", "Q"),
]


@pytest.mark.parametrize(("old", "new", "unit"), LONG_VALUES)
def test_an_error_line_quotes_at_most_about_200_characters(
    tmp_path: Path, old: str, new: str, unit: str
) -> None:
    found = problems(data_folder(tmp_path, year_with(old, new)))
    assert found
    too_long = unit * (300 // len(unit) + 1)  # a quote of more than about 300 characters
    for problem in found:
        line = str(problem)
        assert too_long not in line, line[:400]
        assert len(line) < 1_000


def test_a_long_bad_email_is_clipped(tmp_path: Path) -> None:
    settings = SETTINGS.replace(EMAIL, EMAIL.split(":")[0] + ": " + "a" * 10_000 + "@@x.org")
    (problem,) = problems(data_folder(tmp_path, settings=settings))
    assert len(str(problem)) < 700
    assert "(10,007 characters)" in problem.message


def test_links_to_non_ascii_addresses_work_in_the_tagged_pdf_and_the_word_file(
    tmp_path: Path,
) -> None:
    import pypdf

    from generator.build import build

    year = (DATA / "2020.yaml").read_text(encoding="utf-8")
    iri = "https://münchen.de/straße?q=é"
    folder = data_folder(tmp_path, year.replace("https://www.iom.int/research-iscms", iri))
    out = tmp_path / "out"
    build(folder, "2020", "iscm", out, ("pdf", "docx"), lambda line: None)
    reader = pypdf.PdfReader(out / "iscm-highlights-2020.pdf")
    targets = [
        str(a.get_object()["/A"]["/URI"])
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/URI" in a.get_object().get("/A", {})
    ]
    assert "https://xn--mnchen-3ya.de/stra%C3%9Fe?q=%C3%A9" in targets
    assert all(t.isascii() for t in targets)
    import zipfile

    with zipfile.ZipFile(out / "iscm-highlights-2020.docx") as word:
        rels = word.read("word/_rels/document.xml.rels").decode()
    assert iri in rels  # Word takes the address as written
