"""Hostile input: each case ends in a correct build or in a located error, never a traceback,
never a lost word and never an empty box."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result

from generator.build import build
from generator.cli import main
from generator.errors import BulletinError
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import Issue, load_issue
from generator.layout import load_layout
from generator.model import Document, Group, Paragraph, Table
from tests.completeness import (
    docx_text,
    missing,
    missing_data,
    normalise,
    pdf_fonts,
    pdf_text,
)
from tests.conftest import DATA, ROOT, real_client
from tests.generated import bulletin_data, write_data

YEAR = "2020.yaml"
LONG = "".join("abcdefghijklmnopqrstuvwxyzé"[i * 7 % 27] for i in range(500))
"""A 500-character word without a space, a hyphen or anything else to break it at."""


class Data:
    """A copy of data/ in which lines are replaced; remembers the line numbers it changed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copytree(DATA, folder)

    def path(self, name: str) -> Path:
        return self.folder / name

    def replace(self, name: str, old: str, new: str) -> int:
        """Replace the one line that is `old` (stripped) by `new`; return its line number."""
        lines = self.path(name).read_text(encoding="utf-8").split("\n")
        (number,) = [i for i, line in enumerate(lines) if line.strip() == old]
        indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
        lines[number] = indent + new
        self.path(name).write_text("\n".join(lines), encoding="utf-8")
        return number + 1

    def shown(self, name: str) -> str:
        """The file as the messages name it (absolute: the data is outside the project)."""
        return str(self.path(name))


@pytest.fixture
def data(tmp_path: Path) -> Data:
    return Data(tmp_path / "data")


def bulletin(*args: str) -> Result:
    """Run the command in this process, as an editor would from the project folder."""
    return CliRunner().invoke(main, list(args))


def assert_refused(result: Result, *located: str) -> None:
    """Exit 1, each expected `file:line:` named, and no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for place in located:
        assert place in result.output, result.output


def built(data: Data, out: Path, formats: tuple[str, ...] = ("pdf", "docx")) -> Document:
    """Build, and return the document model the outputs must hold."""
    written = build(data.folder, "2020", "iscm", out, formats, lambda line: None)
    assert len(written) == len(formats)
    return compose(load_issue(data.folder, "2020"), load_layout("iscm"))


def assert_complete(issue: Issue, document: Document, out: Path, stem: str) -> None:
    """Every item in the PDF and the Word file, in order; every data text in both."""
    texts = {
        "pdf": pdf_text(out / f"{stem}.pdf", real_client("pdftotext")),
        "docx": docx_text(out / f"{stem}.docx"),
    }
    for kind, text in texts.items():
        assert missing(document, text) == [], kind
        assert missing_data(issue, document, text) == [], kind
    fonts = pdf_fonts(out / f"{stem}.pdf", real_client("pdffonts"))
    assert fonts and all(font["emb"] == "yes" for font in fonts), fonts


# -- text that looks like markup, templates or code -----------------------------------------

SUMMARY = "featured a discussion on life strategies and mobility of youth in Central Asia."
HOSTILE_SUMMARY = (
    'featured R&D, <b>bold?</b>, <a href="https://evil.example/x">a link?</a>, {{ 7*7 }}, '
    "{% if true %}kept{% endif %}, ${HOME} and &amp; as typed."
)


def test_markup_and_templates_in_text_are_printed_as_typed(data: Data, tmp_path: Path) -> None:
    data.replace(YEAR, f"summary: {SUMMARY}", f"summary: '{HOSTILE_SUMMARY}'")
    data.replace(YEAR, "OCAM: 30th anniversary of OCAM", "OCAM: \"<script>alert('x')</script>\"")
    data.replace(
        "mechanisms.yaml", "name: Almaty Process", 'name: "Almaty <i>Process</i> {{ year }}"'
    )
    out = tmp_path / "out"
    document = built(data, out)
    literal = [
        "R&D, <b>bold?</b>",
        '<a href="https://evil.example/x">a link?</a>',
        "{{ 7*7 }}",
        "{% if true %}kept{% endif %}",
        "${HOME} and &amp; as typed",
        "<script>alert('x')</script>",
        "Almaty <i>Process</i> {{ year }}",
        # a template's value stays a value (the last word kept with the one before it), on
        # one line
        "Almaty <i>Process</i> {{\u00a0year\u00a0}}\u00a0(continued)",
    ]
    pdf = normalise(pdf_text(out / "iscm-highlights-2020.pdf", real_client("pdftotext")))
    docx = normalise(docx_text(out / "iscm-highlights-2020.docx"))
    for text in literal[:-1]:
        assert normalise(text) in docx, text
        assert normalise(text) in pdf, text
    entry = next(b for b in document.sections[0].blocks if b.key == "Almaty")
    assert entry.continued.text == literal[-1]
    reader = pypdf.PdfReader(out / "iscm-highlights-2020.pdf")
    uris = [str(a.get_object()["/A"]["/URI"]) for p in reader.pages for a in p.get("/Annots", [])]
    assert uris and not [u for u in uris if "evil" in u]
    with zipfile.ZipFile(out / "iscm-highlights-2020.docx") as archive:
        assert b"evil.example" not in archive.read("word/_rels/document.xml.rels")
        assert b"<script>" not in archive.read("word/document.xml")


def test_a_mechanism_name_with_markup_characters_reads_the_same_everywhere(data: Data) -> None:
    data.replace("mechanisms.yaml", "name: Bali Process", 'name: "Bali *Process* 2_0_"')
    document = compose(load_issue(data.folder, "2020"), load_layout("iscm"))
    blocks = [b for s in document.sections for b in s.blocks]
    entry = next(b for b in blocks if isinstance(b, Group) and b.key == "Bali")
    rows = [c.text for b in blocks if isinstance(b, Table) for r in b.rows for c in r.cells]
    publications = [b.text for b in blocks if isinstance(b, Paragraph) and b.style == "Publication"]
    assert entry.heading.text == "Bali *Process*\u00a02_0_"  # the last word not alone
    assert any("Bali *Process* 2_0_" in row for row in rows)
    assert any(text.endswith("(Bali *Process* 2_0_)") for text in publications), publications


# -- control and invisible characters --------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [("\\a", "U+0007"), ("\\0", "U+0000"), ("\\e", "U+001B"), ("\\x7f", "U+007F")],
)
def test_a_control_character_is_refused_where_it_is(data: Data, written: str, code: str) -> None:
    line = data.replace(YEAR, f"summary: {SUMMARY}", f'summary: "mobility {written} of youth"')
    result = bulletin("check", "2020", "--data", str(data.folder))
    assert_refused(result, f"{data.shown(YEAR)}:{line}:")
    assert f"control character {code}" in result.output


def test_a_raw_control_character_is_refused_on_its_line(data: Data) -> None:
    line = data.replace(YEAR, f"summary: {SUMMARY}", "summary: mobility \x07 of youth")
    result = bulletin("check", "2020", "--data", str(data.folder))
    assert_refused(result, f"{data.shown(YEAR)}:{line}:")
    assert len(result.output.strip().splitlines()) == 2, "one line per problem, and a count"


def test_an_invisible_format_character_is_named_not_dropped(data: Data, tmp_path: Path) -> None:
    """U+202E (a bidi override, invisible) is refused with its code point, never dropped."""
    line = data.replace(YEAR, f"summary: {SUMMARY}", 'summary: "mobility \\u202e of youth"')
    result = bulletin("build", "2020", "--data", str(data.folder), "--output", str(tmp_path))
    assert_refused(result, f"{data.shown(YEAR)}:{line}:")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in result.output


# -- very long words ---------------------------------------------------------------------------


def test_a_500_character_word_is_printed_whole_everywhere(data: Data, tmp_path: Path) -> None:
    data.replace(YEAR, f"summary: {SUMMARY}", f"summary: featured {LONG} in Central Asia.")
    data.replace(YEAR, "- name: Border management", f"- name: Border {LONG}")
    data.replace(YEAR, "- title: High-level webinar for ISCMs", f"- title: Webinar {LONG}")
    data.replace(YEAR, "OCAM: 30th anniversary of OCAM", f"OCAM: {LONG}")
    data.replace("mechanisms.yaml", "name: Almaty Process", f"name: Almaty {LONG}")
    data.replace(
        "bulletin.yaml",
        "division: International Partnerships Division",
        LONG.join(["division: ", ""]),
    )
    long_url = "https://example.org/" + LONG
    data.replace(
        YEAR,
        '- {label: Research on ISCMs, url: "https://www.iom.int/research-iscms"}',
        f'- {{label: "{LONG}", url: "{long_url}"}}',
    )
    out = tmp_path / "out"
    document = built(data, out)
    assert_complete(load_issue(data.folder, "2020"), document, out, "iscm-highlights-2020")


# -- size ----------------------------------------------------------------------------------------


def test_one_mechanism_with_2000_events_builds_in_bounded_time(tmp_path: Path) -> None:
    folder = write_data(tmp_path / "data", bulletin_data(20, 1, 2000))
    started = time.perf_counter()
    written = build(folder, "2020", "iscm", tmp_path / "out", ("pdf", "docx"), lambda t: None)
    elapsed = time.perf_counter() - started
    assert elapsed < 90, f"{elapsed:.0f} s"
    assert written[0].pages > 40
    issue = load_issue(folder, "2020")
    document = compose(issue, load_layout("iscm"))
    assert sum(len(e) for e in issue.year.events.values()) == 2000
    assert_complete(issue, document, tmp_path / "out", "generated-2020")


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": each level lists the one above ten times; 10**levels strings."""
    lines = ["year: 2020", "issue: 6", "period: 2020-01-01/2020-12-31", "l0: &l0 [lol]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    lines += ["events:", "  ADD:", f"    - text: *l{levels}"]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_once_in_little_memory(data: Data) -> None:
    data.path(YEAR).write_text(alias_bomb())
    tracemalloc.start()
    started = time.perf_counter()
    result = bulletin("check", "2020", "--data", str(data.folder))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert_refused(result, f"{data.shown(YEAR)}:5:")  # the first alias, on line 5
    assert "anchors and aliases" in result.output
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert peak < 50 * 2**20, f"{peak / 2**20:.0f} MB"


def limited_memory() -> None:
    """In the child: at most 1 GiB of address space, 60 s of processor time."""
    resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def test_an_alias_bomb_is_refused_by_a_process_with_bounded_memory(data: Data) -> None:
    data.path(YEAR).write_text(alias_bomb(12))
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "2020", "--data", str(data.folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited_memory,
    )
    assert result.returncode == 1, result.stderr
    assert f"{data.shown(YEAR)}:5:" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_20_mb_data_file_is_refused_with_the_size_limit(data: Data) -> None:
    text = data.path(YEAR).read_text()
    padding = "# " + "x" * 1021 + "\n"
    data.path(YEAR).write_text(text + padding * (20 * 1024))
    started = time.perf_counter()
    result = bulletin("check", "2020", "--data", str(data.folder))
    assert_refused(result, f"{data.shown(YEAR)}:1:1:")
    assert "over the limit of 10,485,760" in result.output
    assert time.perf_counter() - started < 5


def test_a_data_file_just_under_the_limit_is_read_in_bounded_time(data: Data) -> None:
    text = data.path(YEAR).read_text()
    padding = "# " + "x" * 1021 + "\n"
    data.path(YEAR).write_text(text + padding * (10 * 1024 - 20))
    assert 9.9 * 2**20 < data.path(YEAR).stat().st_size < 10 * 2**20
    started = time.perf_counter()
    result = bulletin("check", "2020", "--data", str(data.folder))
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 30


# -- encodings and empty files ---------------------------------------------------------------


def test_a_byte_that_is_not_utf8_is_located(data: Data) -> None:
    line = data.replace(YEAR, f"summary: {SUMMARY}", "summary: featured Zurich")
    raw = data.path(YEAR).read_bytes().replace(b"featured Zurich", b"featured Z\xfcrich")
    data.path(YEAR).write_bytes(raw)
    column = raw.split(b"\n")[line - 1].index(b"\xfc") + 1
    result = bulletin("check", "2020", "--data", str(data.folder))
    assert_refused(result, f"{data.shown(YEAR)}:{line}:{column}:")
    assert "byte 0xfc is not UTF-8 (save the file as UTF-8)" in result.output


def test_a_utf16_file_is_refused_at_its_first_byte(data: Data) -> None:
    data.path(YEAR).write_bytes(data.path(YEAR).read_text().encode("utf-16"))
    result = bulletin("check", "2020", "--data", str(data.folder))
    assert_refused(result, f"{data.shown(YEAR)}:1:1:")
    assert "is not UTF-8" in result.output


def test_a_utf8_byte_order_mark_is_accepted(data: Data) -> None:
    data.path(YEAR).write_bytes(b"\xef\xbb\xbf" + data.path(YEAR).read_bytes())
    result = bulletin("check", "2020", "--data", str(data.folder))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("content", ["", "\n\n   \n", "# only a comment\n"])
@pytest.mark.parametrize("name", [YEAR, "mechanisms.yaml", "bulletin.yaml"])
def test_an_empty_file_is_named(data: Data, name: str, content: str) -> None:
    data.path(name).write_text(content)
    result = bulletin("check", "2020", "--data", str(data.folder))
    assert_refused(result, f"{data.shown(name)}:1:1: the file is empty")


# -- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "old", "new", "address"),
    [
        (
            YEAR,
            "url: https://www.iom.int/fr/high-level-webinars-iscms-and-gcm-regional-review-2020",
            "url: javascript:alert(document.cookie)",
            "javascript:alert(document.cookie)",
        ),
        (
            YEAR,
            '- {label: Research on ISCMs, url: "https://www.iom.int/research-iscms"}',
            '- {label: Research on ISCMs, url: "file:///etc/passwd"}',
            "file:///etc/passwd",
        ),
        (
            YEAR,
            f"summary: {SUMMARY}",
            "summary: featured [a report](javascript:alert(1)) on youth.",
            "javascript:alert(1)",
        ),
        (YEAR, f"summary: {SUMMARY}", "summary: see [this](file:///etc/passwd).", "file:///"),
        (
            "mechanisms.yaml",
            "name: Almaty Process",
            "name: Almaty Process\n  website: JavaScript:void(0)",
            "JavaScript:void(0)",
        ),
        (
            YEAR,
            "url: https://www.iom.int/fr/high-level-webinars-iscms-and-gcm-regional-review-2020",
            "url: 'data:text/html,<script>alert(1)</script>'",
            "data:text/html",
        ),
    ],
    ids=["publication-js", "link-file", "inline-js", "inline-file", "website-js", "data-url"],
)
def test_a_dangerous_address_is_refused_where_it_is(
    data: Data, name: str, old: str, new: str, address: str
) -> None:
    line = data.replace(name, old, new) + (1 if "website" in new else 0)
    result = bulletin("check", "2020", "--data", str(data.folder))
    assert_refused(result, f"{data.shown(name)}:{line}:")
    assert address in result.output
    assert "links must start with http://, https:// or mailto:" in result.output


# -- characters the layout's fonts cannot draw ------------------------------------------------


def problems_of(data: Data, out: Path) -> list[tuple[str, int, str]]:
    """Build, expect a refusal, and return each problem as (file, line, message)."""
    with pytest.raises(BulletinError) as caught:
        build(data.folder, "2020", "iscm", out, ("pdf", "docx"), lambda line: None)
    return [(p.file, p.line, p.message) for p in caught.value.problems]


def cannot(char: str, code: str, name: str) -> str:
    return f"character '{char}' ({code} {name}) cannot be drawn by the layout's font Lato"


def test_characters_no_font_draws_are_each_named_where_they_are(data: Data, tmp_path: Path) -> None:
    summary = data.replace(YEAR, f"summary: {SUMMARY}", "summary: featured عربي عربي in Asia.")
    feature = data.replace(
        YEAR, "- title: High-level webinar for ISCMs", "- title: High-level webinar 👍"
    )
    name = data.replace("mechanisms.yaml", "name: Almaty Process", "name: Almaty 中文")
    division = data.replace(
        "bulletin.yaml",
        "division: International Partnerships Division",
        "division: Partnerships ع",
    )
    out = tmp_path / "out"
    found = problems_of(data, out)
    year, registry, settings = (data.shown(n) for n in (YEAR, "mechanisms.yaml", "bulletin.yaml"))
    assert sorted(found) == sorted(
        [
            (year, summary, cannot("ع", "U+0639", "ARABIC LETTER AIN")),
            (year, summary, cannot("ر", "U+0631", "ARABIC LETTER REH")),
            (year, summary, cannot("ب", "U+0628", "ARABIC LETTER BEH")),
            (year, summary, cannot("ي", "U+064A", "ARABIC LETTER YEH")),
            (year, feature, cannot("👍", "U+1F44D", "THUMBS UP SIGN")),
            (registry, name, cannot("中", "U+4E2D", "CJK UNIFIED IDEOGRAPH-4E2D")),
            (registry, name, cannot("文", "U+6587", "CJK UNIFIED IDEOGRAPH-6587")),
            (settings, division, cannot("ع", "U+0639", "ARABIC LETTER AIN")),
        ]
    )
    assert not out.exists(), "nothing is written when a character cannot be drawn"


def test_the_message_of_an_undrawable_character_has_the_documented_form(
    data: Data, tmp_path: Path
) -> None:
    line = data.replace(YEAR, f"summary: {SUMMARY}", "summary: featured 🙂 in Asia.")
    result = bulletin("build", "2020", "--data", str(data.folder), "--output", str(tmp_path))
    assert_refused(result)
    assert result.stderr.splitlines()[0] == (
        f"{data.shown(YEAR)}:{line}:16: events.Almaty[1].summary: "
        f"{cannot('🙂', 'U+1F642', 'SLIGHTLY SMILING FACE')} "
        "(remove it, or use a layout whose fonts include it)"
    )


def test_a_locale_whose_wording_no_font_draws_is_named(data: Data, tmp_path: Path) -> None:
    line = data.replace("bulletin.yaml", "locale: en_GB", "locale: ar_EG")
    found = problems_of(data, tmp_path / "out")
    assert found
    assert {(file, number) for file, number, _ in found} == {(data.shown("bulletin.yaml"), line)}


def test_greek_cyrillic_and_vietnamese_are_drawn(data: Data, tmp_path: Path) -> None:
    words = "Ελληνικά, Русский язык and Tiếng Việt"
    data.replace(YEAR, f"summary: {SUMMARY}", f"summary: featured {words}.")
    out = tmp_path / "out"
    document = built(data, out)
    assert_complete(load_issue(data.folder, "2020"), document, out, "iscm-highlights-2020")
    assert normalise(words) in normalise(
        pdf_text(out / "iscm-highlights-2020.pdf", real_client("pdftotext"))
    )


# -- output folders that cannot be written ---------------------------------------------------


def run_build(data: Path, out: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "build", "2020", "--data", str(data)]
    return subprocess.run(
        [*command, "--output", out], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_an_output_folder_inside_a_file_is_a_located_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "out"
    result = run_build(DATA, str(out))
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{out}:1:1: cannot write to the output folder: Not a directory "
        "(choose another folder with --output, or fix its permissions or free space)"
    )
    assert "Traceback" not in result.stderr
    assert blocker.read_text() == "not a folder"


def test_an_output_folder_in_proc_is_a_located_error() -> None:
    result = run_build(DATA, "/proc/bulletin-output")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("/proc/bulletin-output:1:1: cannot write to the output folder")
    assert "Traceback" not in result.stderr
