"""Quotation marks by the issue's language: CLDR's delimiters (French « » with no-break spaces
inside, German „ “ and ‚ ‘), the apostrophe ’ in every language, addresses and code as typed,
in the PDF, the Word file and LibreOffice's rendering of it; the data keeps what was typed."""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import os
import random
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from babel import Locale
from lxml import etree

from generator import inline
from generator.build import build
from generator.quote_marks import ENGLISH, MARKS, QuoteMarks, quote_marks
from tests.completeness import libreoffice_pdfs
from tests.conftest import real_client
from tests.generated import YEAR_FILE, documents, write_data
from tests.unbroken_case import _lead
from tests.word_edits import events_after_edit

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NBSP = "\u00a0"
FRENCH, GERMAN, RUSSIAN = quote_marks("fr_FR"), quote_marks("de_DE"), quote_marks("ru")


# -- the marks: CLDR's, as ICU ships them ---------------------------------------------------


def _icu() -> tuple[ctypes.CDLL, ctypes.CDLL, str] | None:
    """ICU's libraries and their symbols' version suffix, or None where ICU is not installed."""
    common = ctypes.util.find_library("icuuc")
    i18n = ctypes.util.find_library("icui18n")
    if not common or not i18n:
        return None
    version = re.search(r"\.so\.(\d+)", common)
    if version is None:
        return None
    return ctypes.CDLL(common), ctypes.CDLL(i18n), f"_{version.group(1)}"


def _icu_marks(i18n: ctypes.CDLL, suffix: str, locale: str) -> tuple[str, ...]:
    """ICU's four delimiters of a locale (ulocdata_getDelimiter)."""
    status = ctypes.c_int(0)
    opened = getattr(i18n, f"ulocdata_open{suffix}")
    opened.restype = ctypes.c_void_p
    opened.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    delimiter = getattr(i18n, f"ulocdata_getDelimiter{suffix}")
    delimiter.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    delimiter.argtypes += [ctypes.POINTER(ctypes.c_int)]
    close = getattr(i18n, f"ulocdata_close{suffix}")
    close.argtypes = [ctypes.c_void_p]
    data = opened(locale.encode(), ctypes.byref(status))
    found = []
    for kind in range(4):
        buffer = ctypes.create_string_buffer(16)
        length = delimiter(data, kind, buffer, 8, ctypes.byref(status))
        found.append(buffer.raw[: 2 * length].decode("utf-16-le"))
    close(data)
    assert status.value <= 0, (locale, status.value)
    return tuple(found)


def test_every_locales_marks_are_cldrs_as_icu_gives_them() -> None:
    """babel carries no delimiters (its locale data has no such key), so the table is kept in
    quote_marks.py: every locale ICU knows gets ICU's four marks from it."""
    assert not any("delim" in key or "quot" in key for key in Locale.parse("fr")._data)
    icu = _icu()
    if icu is None:  # LibreOffice needs it: with the real clients, it is there
        if os.environ.get("BULLETIN_REAL_CLIENTS") == "1":
            pytest.fail(
                "ICU (libicu, which LibreOffice needs) is required when BULLETIN_REAL_CLIENTS=1"
            )
        pytest.skip("ICU is not installed")
    common, i18n, suffix = icu
    count = getattr(common, f"uloc_countAvailable{suffix}")
    available = getattr(common, f"uloc_getAvailable{suffix}")
    available.restype = ctypes.c_char_p
    available.argtypes = [ctypes.c_int]
    locales = [available(k).decode() for k in range(count())]
    assert len(locales) > 500
    for locale in locales:
        marks = quote_marks(locale)
        assert (*marks.primary, *marks.alternate) == _icu_marks(i18n, suffix, locale), locale
    assert set(MARKS) <= {*locales, *(locale.split("_")[0] for locale in locales)}


@pytest.mark.parametrize(
    ("locale", "marks"),
    [
        ("en_GB", ("“", "”", "‘", "’", "")),
        ("en", ("“", "”", "‘", "’", "")),
        ("fr_FR", ("«", "»", "«", "»", NBSP)),
        ("fr", ("«", "»", "«", "»", NBSP)),
        ("fr_CH", ("«", "»", "‹", "›", NBSP)),
        ("fr-CA", ("«", "»", "”", "“", NBSP)),
        ("de_AT", ("„", "“", "‚", "‘", "")),
        ("es_MX", ("“", "”", "‘", "’", "")),
        ("es", ("«", "»", "“", "”", "")),
        ("zh_Hant_TW", ("「", "」", "『", "』", "")),
        ("sw", ("“", "”", "‘", "’", "")),  # not listed: English's, as the root's
    ],
)
def test_a_locale_takes_its_own_marks_else_its_parents(locale: str, marks: tuple) -> None:
    found = quote_marks(locale)
    assert (*found.primary, *found.alternate, found.inside) == marks


# -- what typing becomes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "english", "french", "german"),
    [
        (
            'the "Experts\' Forum" said',
            "the “Experts’ Forum” said",
            "the «\xa0Experts’ Forum\xa0» said",
            "the „Experts’ Forum“ said",
        ),
        (
            "he said \"a 'nested' quote\" then",
            "he said “a ‘nested’ quote” then",
            "he said «\xa0a «\xa0nested\xa0» quote\xa0» then",
            "he said „a ‚nested‘ quote“ then",
        ),
        ("l'homme d'État, Experts'", "l’homme d’État, Experts’", None, None),
        (
            "('quoted'), 'x'.",
            "(‘quoted’), ‘x’.",
            "(«\xa0quoted\xa0»), «\xa0x\xa0».",
            "(‚quoted‘), ‚x‘.",
        ),
        (
            "\"https://x.org/a?b='c'\"",
            "“https://x.org/a?b='c'”",
            "«\xa0https://x.org/a?b='c'\xa0»",
            "„https://x.org/a?b='c'“",
        ),
        ("write to o'neil@example.org's", "write to o'neil@example.org’s", None, None),
        ("`don't \"x\"` and {{ 'y' }}", "`don't \"x\"` and {{ 'y' }}", None, None),
        ("5'10\" tall, 10'000 km, the '90s", "5′10″ tall, 10'000 km, the ’90s", None, None),
        ('"**bold**"', "“**bold**”", "«\xa0**bold**\xa0»", "„**bold**“"),
        ("« already » and «typed»", None, "«\xa0already\xa0» and «\xa0typed\xa0»", None),
        ("`«code»` and «typed»", None, "`«code»` and «\xa0typed\xa0»", None),
        ("«\u202fnarrow\u202f»", None, "«\u202fnarrow\u202f»", None),
        (
            "Quoi ? Oui ! Note : voir ; à 10:30, OK!",
            None,
            "Quoi\xa0? Oui\xa0! Note\xa0: voir\xa0; à 10:30, OK!",
            None,
        ),
        ("see https://x.org/?a ?", None, "see https://x.org/?a\xa0?", None),
        (
            "said 'aujourd'hui' and 'don't'",
            "said ‘aujourd’hui’ and ‘don’t’",
            "said «\xa0aujourd’hui\xa0» and «\xa0don’t\xa0»",
            "said ‚aujourd’hui‘ and ‚don’t‘",
        ),
        (
            'the "Labour"\'s share',
            "the “Labour”’s share",
            "the «\xa0Labour\xa0»’s share",
            "the „Labour“’s share",
        ),
    ],
)
def test_typing_becomes_the_languages_marks_and_apostrophes_stay(
    typed: str, english: str | None, french: str | None, german: str | None
) -> None:
    """A value None: the same as English (no quotation mark in it), or, for English, as typed."""
    english = typed if english is None else english
    assert inline.typographic(typed) == english
    assert inline.typographic(typed, marks=FRENCH) == (english if french is None else french)
    assert inline.typographic(typed, marks=GERMAN) == (english if german is None else german)


def test_a_quote_split_by_a_run_gets_its_space_beside_the_run() -> None:
    """A quotation around bold text is curled run by run: its closing guillemet, alone in its
    run, is spaced from the run before, unless a space was typed there."""
    assert inline.typographic('"', before="d", marks=FRENCH) == "\xa0»"
    assert inline.typographic('"', before=" ", marks=FRENCH) == "«\xa0"
    assert inline.typographic('", then', before="d", marks=RUSSIAN) == "», then"


@pytest.mark.parametrize(
    "marks", [ENGLISH, FRENCH, GERMAN, RUSSIAN, *map(quote_marks, ("fr_CA", "es", "hu", "sv"))]
)
def test_every_short_typing_reads_back_as_typed_in_each_language(marks: QuoteMarks) -> None:
    """What `typographic` sets folds back to the typing (what `bulletin pull` and the
    completeness checks compare): every text of up to five signs, in each language; in
    English and German, where the marks of "" and '' differ, a double quote never folds into
    a single one."""
    signs = "5a '\"("
    for size in range(1, 6):
        for chars in itertools.product(signs, repeat=size):
            typed = "".join(chars)
            shown = inline.typographic(typed, marks=marks)
            assert inline.loose_quotes(shown, marks) == inline.loose_quotes(typed, marks), typed
            assert inline.loose_quotes(shown) == inline.loose_quotes(typed), typed
    for marks_of in (ENGLISH, GERMAN):
        assert inline.loose_quotes("5″3 „x“", marks_of) != inline.loose_quotes("5'3 'x'", marks_of)


@pytest.mark.parametrize(
    ("one", "other"),
    [("said ‘x’", "said “x”"), ("Experts’ Forum", "Experts’Forum"), ("it’s", "it”s")],
)
def test_an_english_text_tells_its_quotes_and_the_spaces_beside_them_apart(
    one: str, other: str
) -> None:
    """English sets no space beside a quote and tells ‘x’ from “x”: a pull sees such an edit."""
    assert inline.loose_quotes(one, ENGLISH) != inline.loose_quotes(other, ENGLISH)


def test_a_french_text_folds_the_spaces_inside_its_guillemets() -> None:
    shown = inline.typographic('il dit "oui"', marks=FRENCH)
    assert shown == "il dit «\xa0oui\xa0»"
    assert inline.loose_quotes(shown, FRENCH) == inline.loose_quotes('il dit "oui"', FRENCH)


# -- built: French, German and English issues ------------------------------------------------

QUOTED = (
    'Delegates {lead} of the "Experts\' Forum" said "the \'Global Compact\' stands",'
    ' then read "https://example.org/it\'s/a?q=\'x\'" and wrote "yes" to'
    " o'brien.d'arcy@example.org, l'homme d'État, or to igc-secretariat@example-mail.org."
    " Pourquoi ? Voilà : parce que !"
)
"""An event's text: quotes nested, an apostrophe, an address and an e-mail address in quotes
(the lead-in grows by a word from event to event, so each mark falls where a line breaks)."""
EVENTS = 24
SHOWN = {
    "fr_FR": (
        "«\xa0Experts’ Forum\xa0» said «\xa0the «\xa0Global Compact\xa0» stands\xa0»,",
        "«\xa0https://example.org/it's/a?q='x'\xa0» and wrote «\xa0yes\xa0»",
    ),
    "de_DE": (
        "„Experts’ Forum“ said „the ‚Global Compact‘ stands“,",
        "„https://example.org/it's/a?q='x'“ and wrote „yes“",
    ),
    "en_GB": (
        "“Experts’ Forum” said “the ‘Global Compact’ stands”,",
        "“https://example.org/it's/a?q='x'” and wrote “yes”",
    ),
}
"""What each language's issue shows of the text (besides o'brien.d'arcy@example.org and
l’homme d’État, the same in all)."""


@pytest.fixture(scope="module", params=list(SHOWN))
def quoted_issue(request, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    locale = request.param
    data = documents(random.Random(5), [1], presence=0.0)
    data["bulletin.yaml"]["locale"] = locale
    (key,) = data[YEAR_FILE]["events"]
    data[YEAR_FILE]["events"][key] = [{"text": QUOTED.format(lead=_lead(i))} for i in range(EVENTS)]
    folder = write_data(tmp_path_factory.mktemp(f"quoted-data-{locale}"), data)
    out = tmp_path_factory.mktemp(f"quoted-{locale}")
    written = build(folder, "2020", "iscm", out, ("pdf", "docx"), lambda t: None)
    return {"pdf": written[0].path, "docx": written[1].path, "data": folder, "locale": locale}


def _word_paragraphs(docx_file: Path) -> list[str]:
    with zipfile.ZipFile(docx_file) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def _pdf_lines(pdf: Path) -> list[str]:
    command = [real_client("pdftotext"), "-raw", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.split("\n")


def _squeezed(text: str) -> str:
    return re.sub(r"[\s-]", "", text)


def test_the_issues_language_sets_its_marks_in_both_formats(quoted_issue) -> None:
    locale = quoted_issue["locale"]
    word = " ".join(_word_paragraphs(quoted_issue["docx"]))
    pdf = " ".join(" ".join(_pdf_lines(quoted_issue["pdf"])).split())
    for shown in SHOWN[locale]:
        assert word.count(shown) == EVENTS, shown
        # poppler gives no-break spaces as spaces; lines may end inside an address, or in a
        # hyphen added to a word
        assert _squeezed(pdf).count(_squeezed(shown)) == EVENTS, shown
    assert word.count("igc-secretariat@example-mail.org") == EVENTS  # copied, the address
    with zipfile.ZipFile(quoted_issue["docx"]) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "noBreakHyphen" not in xml and not set("\u200b\u2060\u2011\u00ad") & set(xml)
    for text in (_squeezed(word), _squeezed(pdf)):
        assert text.count("o'brien.d'arcy@example.org") == EVENTS
        assert text.count("l’homme d’État".replace(" ", "")) == EVENTS
        assert '"' not in text
    others = {mark for other in SHOWN if other != locale for s in SHOWN[other] for mark in s}
    unused = others - {mark for s in SHOWN[locale] for mark in s} & set(inline.QUOTE_MARKS)
    assert not any(mark in word or mark in pdf for mark in unused), unused
    (events,) = yaml.safe_load((quoted_issue["data"] / YEAR_FILE).read_text())["events"].values()
    typed = [QUOTED.format(lead=_lead(i)) for i in range(EVENTS)]
    assert [event["text"] for event in events] == typed, "the data keeps what was typed"


@pytest.mark.parametrize("quoted_issue", ["fr_FR"], indirect=True)
@pytest.mark.parametrize("client", ["pdf", "libreoffice"])
def test_no_line_breaks_inside_a_french_guillemet(quoted_issue, client, tmp_path: Path) -> None:
    """A line may start with « or end with », never the other way round: the space inside
    the guillemets never breaks, nor the one typed before ? ! or : (in the PDF and in
    LibreOffice's rendering of the .docx)."""
    pdf = quoted_issue["pdf"]
    if client == "libreoffice":
        (pdf,) = libreoffice_pdfs([quoted_issue["docx"]], tmp_path, real_client("soffice"))
    lines = [line.strip() for line in _pdf_lines(pdf) if line.strip()]
    starts = sum(line.startswith("«") for line in lines)
    assert starts, "some line begins with a guillemet: the case is tested"
    assert not [line for line in lines if line.endswith("«") or line.startswith("»")]
    assert not [line for line in lines if line[:1] in ";:!?"]
    text = " ".join(lines)
    assert text.count("«") == text.count("»") == 5 * EVENTS


def test_the_word_file_reads_back_as_typed_in_its_language(quoted_issue, tmp_path: Path) -> None:
    """`bulletin pull` of the untouched file finds nothing; an edit beside the marks comes back
    into the text as typed, its straight quotes kept."""
    events = events_after_edit(quoted_issue, tmp_path, "wrote", "sent")
    texts = [event["text"] for event in events]
    assert sum('and sent "yes" to' in t for t in texts) == 1
    assert [t.replace("sent", "wrote") for t in texts] == [
        QUOTED.format(lead=_lead(i)) for i in range(EVENTS)
    ]


NAMES_IN_QUOTES = (
    ' of the "Experts\' Network", ("Ouagadougou") and "Kathmandu Process" met the'
    ' "Implementation Consultations" on internationalisation in "Budapest" with'
    ' ("Intergovernmental Representatives") and reorganisation.'
)
"""Capitalised words (proper names) inside each language's quotes, among words that may be
hyphenated."""


@pytest.mark.parametrize(("language", "locale"), [("fr", "fr_FR"), ("de", "de_DE")])
def test_a_name_in_the_languages_quotes_is_never_hyphenated(language: str, locale: str) -> None:
    from generator.layout import load_layout
    from generator.model import Run
    from generator.writers.pdf.flowables import Paragraph
    from generator.writers.pdf.styles import Palette, StyleSheet

    layout = load_layout("iscm")
    sheet = StyleSheet(layout, Palette(layout, cmyk=False), language)
    text = inline.typographic(NAMES_IN_QUOTES, marks=quote_marks(locale))
    hyphenated = []
    for width in range(60, 200, 4):
        runs = (Run("Meeting", "Event Title"), Run(text))
        paragraph = Paragraph(sheet.markup(runs, "Event"), sheet["Event"])
        paragraph.wrap(width, 10_000)
        lines = ["".join(w.text for w in line.words).strip() for line in paragraph.blPara.lines]
        hyphenated += [line.split()[-1] for line in lines if line.endswith("-")]
    assert hyphenated, "ordinary words are hyphenated: the case is tested"
    heads = {word.rstrip("-") for word in hyphenated}
    assert all(
        "internationalisation".startswith(head) or "reorganisation".startswith(head)
        for head in heads
    )
