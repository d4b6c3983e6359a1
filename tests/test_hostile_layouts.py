"""Hostile layouts: a layout folder is untrusted input, like the data.

Each class of attack or accident has its own cases, made as small layout folders in a copy of
layouts/ (and of fonts/): wording that tries to run code, read files or loop; sizes that are
not numbers, negative or absurd; sizes that leave no room for text; font files that are not
fonts or not in the fonts folder; layout names and `extends:` that leave the layouts folder.
Every case must be a located error (file, line, column, key path), never a crash, a hang or a
PDF with text missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import generator.layout
import generator.layout_spec
from generator.errors import BulletinError, Problem
from generator.kinds.iscm import STYLES
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import Issue
from generator.layout import load_layout

from .conftest import ROOT


@pytest.fixture
def layouts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Copies of layouts/ and fonts/ that generator.layout reads instead of the repository's."""
    folder = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts", folder)
    fonts = tmp_path / "fonts"
    shutil.copytree(ROOT / "fonts", fonts)
    monkeypatch.setattr(generator.layout, "LAYOUTS", folder)
    monkeypatch.setattr(generator.layout_spec, "FONT_FOLDERS", (fonts,))
    return folder


def child(layouts: Path, text: str, name: str = "evil") -> Path:
    """A layout `name` that extends iscm with the given YAML; its layout.yaml."""
    (layouts / name).mkdir(exist_ok=True)
    path = layouts / name / "layout.yaml"
    path.write_text(f"extends: iscm\n{text}\n", encoding="utf-8")
    return path


def problems_of(name: str) -> list[Problem]:
    started = time.perf_counter()
    with pytest.raises(BulletinError) as caught:
        load_layout(name)
    assert time.perf_counter() - started < 5, "a layout must be refused quickly"
    return list(caught.value.problems)


def one_problem(name: str) -> Problem:
    problems = problems_of(name)
    assert len(problems) == 1, problems
    return problems[0]


# -- 1. wording that would run code, read files, loop or fail --------------------------------

HOSTILE_WORDING = [
    # (the wording, the column of the refused mark in `footer: "..."`, the message)
    ("{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}", 10, "'{{' does not"),
    ("{% include '/etc/passwd' %}", 10, "'{%' statements are not allowed"),
    ("{{ 1/0 }}", 10, "'{{' does not"),
    ("{% for i in range(10**12) %}x{% endfor %}", 10, "'{%' statements"),
    ("{{ 'a' * 10**10 }}", 10, "'{{' does not"),
    ("{{ 9**9**9**9 }}", 10, "'{{' does not"),
    ("A {{ year | upper }}", 12, "'{{' does not"),
    ("{{ year.__class__.__mro__ }}", 10, "'{{' does not"),
    ("{{ lipsum.__globals__ }}", 10, "'{{' does not"),
    ("{% import 'os' as os %}", 10, "'{%' statements"),
    ("{% extends '/etc/passwd' %}", 10, "'{%' statements"),
    ("{%- raw %}{{ year }}{% endraw %}", 10, "'{%' statements"),
    ("{# a comment #}", 10, "'{#' comments are not allowed"),
    ("Issue {{ year }", 16, "'{{' does not"),
    ("Issue year }}", 21, "'}}' closes no placeholder"),
    ("{{ year }} and {{ }}", 25, "'{{' does not"),
    ("{{ self._TemplateReference__context }}", 10, "'{{' does not"),
]


@pytest.mark.parametrize(("wording", "column", "message"), HOSTILE_WORDING)
def test_wording_never_runs_and_is_located(
    layouts: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    wording: str,
    column: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    text = layouts / "iscm" / "text.yaml"
    lines = text.read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(lines, 1) if row.startswith("footer:"))
    lines[line - 1] = f'footer: "{wording}"'
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = one_problem("iscm")
    assert (Path(problem.file).resolve(), problem.line, problem.path) == (text, line, "footer")
    assert problem.column == column, problem
    assert problem.message.startswith(message)
    assert not (tmp_path / "MARKER").exists()


@pytest.mark.parametrize(
    ("footer", "message"),
    [
        ("!!python/object/apply:os.system [id]", "YAML tag '!!python/object/apply:os.system'"),
        ('!custom "x"', "YAML tag '!custom' is not allowed"),
        ("!!binary aGVsbG8=", "YAML tag '!!binary' is not allowed"),
        ('"x"\nfooter: "y"', "key 'footer' is written twice"),
    ],
)
def test_problems_of_text_yaml_itself_are_reported(
    layouts: Path, footer: str, message: str
) -> None:
    """The wording file's own problems were dropped: a tag was ignored, a key taken twice."""
    text = layouts / "iscm" / "text.yaml"
    lines = text.read_text(encoding="utf-8").splitlines()
    lines = [f"footer: {footer}" if row.startswith("footer:") else row for row in lines]
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = problems_of("iscm")
    assert any(p.message.startswith(message) and Path(p.file).name == "text.yaml" for p in problems)


def test_a_bad_mark_in_a_list_wording_names_the_item(layouts: Path) -> None:
    text = layouts / "iscm" / "text.yaml"
    source = text.read_text(encoding="utf-8")
    text.write_text(
        source.replace('areas_header: ["Thematic area", "ISCMs"]', 'areas_header: ["A", "{% x %}"]')
    )
    problem = one_problem("iscm")
    assert (problem.path, problem.message) == ("areas_header[2]", "'{%' statements are not allowed")
    assert problem.column == 22


def test_a_bad_mark_in_a_folded_wording_is_at_the_value(layouts: Path) -> None:
    text = layouts / "iscm" / "text.yaml"
    source = text.read_text(encoding="utf-8")
    text.write_text(source + "extra: >\n  first line\n  then {{ 7*7 }}\n", encoding="utf-8")
    problem = one_problem("iscm")
    assert (problem.path, problem.line, problem.column) == (
        "extra",
        len(source.splitlines()) + 1,
        8,
    )


def test_an_unknown_name_is_located_at_its_placeholder(layouts: Path, issue_2020: Issue) -> None:
    text = layouts / "iscm" / "text.yaml"
    source = text.read_text(encoding="utf-8")
    text.write_text(source.replace('email: "E-mail: "', 'email: "Mail {{ secret }}: "'))
    layout = load_layout("iscm")
    with pytest.raises(BulletinError) as caught:
        compose(issue_2020, layout)
    (problem,) = caught.value.problems
    line = next(i for i, row in enumerate(text.read_text().splitlines(), 1) if "secret" in row)
    assert (problem.line, problem.column, problem.path) == (line, 14, "email")
    assert problem.message == "unknown name 'secret' in {{ secret }}"
    assert "year" in problem.hint


def test_values_filled_in_are_never_read_as_wording(layouts: Path) -> None:
    layout = load_layout("iscm")
    hostile = "{{ cycler.__init__ }} {% include '/etc/passwd' %}"
    assert layout.words("mechanism_continued", name=hostile) == f"{hostile} (continued)"


def test_check_never_imports_jinja(tmp_path: Path) -> None:
    """The wording needs no template engine: none is loaded (nor can one run)."""
    code = (
        "import sys; from pathlib import Path; from generator.checking import check; "
        "check(Path('data'), '2020', 'iscm'); print('jinja2' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


# -- 2a. sizes are finite numbers in sane ranges ---------------------------------------------

BAD_NUMBERS = [
    ("page: {size_mm: [inf, 297]}", "page.size_mm[1]", "'inf' is not a number"),
    ("page: {size_mm: [210, .nan]}", "page.size_mm[2]", "expected a number, got a text '.nan'"),
    ("page: {size_mm: [210, nan]}", "page.size_mm[2]", "'nan' is not a number"),
    ("page: {size_mm: [-210, 297]}", "page.size_mm[1]", "must be from 50 to 1200 mm"),
    ("page: {size_mm: [210, 1e9]}", "page.size_mm[2]", "must be from 50 to 1200 mm"),
    ("page: {margins_mm: {left: -5}}", "page.margins_mm.left", "must be from 0 to 300 mm"),
    ("page: {margins_mm: {top: -.inf}}", "page.margins_mm.top", "expected a number"),
    ("page: {margins_mm: {top: -infinity}}", "page.margins_mm.top", "'-inf' is not a number"),
    ("page: {margins_mm: {top: 10 mm}}", "page.margins_mm.top", "expected a number"),
    ("page: {bleed_mm: 1000}", "page.bleed_mm", "must be from 0 to 20 mm"),
    ("page: {column_gap_mm: NaN}", "page.column_gap_mm", "'nan' is not a number"),
    ("page: {word_line_room: 0.5}", "page.word_line_room", "must be from 0 to 0.1"),
    ("page: {word_line_room: -0.01}", "page.word_line_room", "must be from 0 to 0.1"),
    ("page: {word_line_room: 4%}", "page.word_line_room", "expected a number"),
    ("page: {masthead_height_mm: -1}", "page.masthead_height_mm", "must be from 0 to 600"),
    ("styles: {Normal: {size: 1e308}}", "styles.Normal.size", "must be from 4 to 200 pt"),
    ("styles: {Normal: {size: 0.001}}", "styles.Normal.size", "must be from 4 to 200 pt"),
    ("styles: {Normal: {leading: inf}}", "styles.Normal.leading", "'inf' is not a number"),
    ("styles: {Body: {space_before: -3}}", "styles.Body.space_before", "must be from 0 to 200"),
    ("styles: {Event: {space_after: 1e6}}", "styles.Event.space_after", "must be from 0 to 200"),
    ("styles: {Body: {left_indent: -20}}", "styles.Body.left_indent", "must be from 0 to 1000"),
    ("frames: {Feature Box: {padding: 1e4}}", "frames.Feature Box.padding", "must be from 0 to 72"),
    ("frames: {Feature Box: {rule_left: nan}}", "frames.Feature Box.rule_left", "'nan' is not"),
    ("frames: {Feature Box: {border_width: -1}}", "frames.Feature Box.border_width", "must be"),
    ("tables: {Theme Table: {padding: inf}}", "tables.Theme Table.padding", "'inf' is not"),
    ("tables: {Theme Table: {widths: [0.5, -0.5]}}", "tables.Theme Table.widths[2]", "must be"),
    ("tables: {Theme Table: {widths: [0.5, inf]}}", "tables.Theme Table.widths[2]", "'inf'"),
    ("tables: {Theme Table: {widths: []}}", "tables.Theme Table.widths", "the list is empty"),
    ("chart: {bar_height: 0}", "chart.bar_height", "must be from 2 to 72 pt"),
    ("chart: {bar_gap: -inf}", "chart.bar_gap", "'-inf' is not a number"),
    ("chart: {label_width: 1.5}", "chart.label_width", "must be from 0.05 to 0.95"),
    ("chart: {max_bars: 100000}", "chart.max_bars", "must be 100 or less"),
    ("sections: {events: {columns: 1000}}", "sections.events.columns", "must be 4 or less"),
]


@pytest.mark.parametrize(("text", "path", "message"), BAD_NUMBERS)
def test_a_size_out_of_range_is_located(layouts: Path, text: str, path: str, message: str) -> None:
    file = child(layouts, text)
    problem = one_problem("evil")
    assert (Path(problem.file), problem.line, problem.path) == (file, 2, path)
    assert problem.message.startswith(message), problem


# -- 2b. sizes that leave no room for text ---------------------------------------------------

NO_ROOM = [
    # the issue's example: Body's indent wider than an events column (the events were lost)
    ("styles: {Body: {left_indent: 240}}", "styles.Body.left_indent", "an indent of 240 pt"),
    ("styles: {Event: {left_indent: 225}}", "styles.Event.left_indent", "an indent of 225 pt"),
    ("styles: {Normal: {left_indent: 470}}", "styles.Normal.left_indent", "an indent of 470 pt"),
    # a big font needs more room than a small one beside the same indent
    ("styles: {Event: {left_indent: 200, size: 20, leading: 24}}", "styles.Event.left_indent", ""),
    (
        "page: {margins_mm: {top: 0, bottom: 0, left: 0, right: 0}}",
        "page.margins_mm.bottom",
        "the bottom margin (0.0 mm) has no room for the footer",
    ),
    ("page: {margins_mm: {bottom: 3}}", "page.margins_mm.bottom", "the bottom margin (3.0 mm)"),
    ("styles: {Footer: {size: 30, leading: 40}}", "page.margins_mm.bottom", "the bottom margin"),
    ("page: {masthead_height_mm: 280}", "page.masthead_height_mm", "the masthead leaves"),
    ("page: {margins_mm: {left: 100, right: 100}}", "page.margins_mm.left", "the left and right"),
    ("page: {margins_mm: {top: 150, bottom: 140}}", "page.margins_mm.top", "the top and bottom"),
    ("page: {size_mm: [60, 297]}", "page.margins_mm.left", "the left and right margins leave"),
    ("sections: {events: {columns: 4}}\npage: {column_gap_mm: 50}", "sections.events.columns", ""),
    (
        "frames: {Feature Box: {padding: 72, rule_left: 36}}\npage: {size_mm: [100, 297]}",
        "sections.feature.columns",
        "1 columns leave",
    ),
    (
        "styles: {Normal: {leading: 250, space_before: 200, space_after: 200}}",
        "styles.Normal.leading",
        "a line of style 'Normal'",
    ),
    ("chart: {max_bars: 100, bar_height: 20, bar_gap: 10}", "chart.bar_height", "100 bars"),
]


@pytest.mark.parametrize(("text", "path", "message"), NO_ROOM)
def test_sizes_that_leave_no_room_for_text_are_located(
    layouts: Path, text: str, path: str, message: str
) -> None:
    file = child(layouts, text)
    problems = problems_of("evil")
    first = problems[0]
    assert first.path == path, problems
    assert first.message.startswith(message), first
    if Path(first.file) == file:
        assert first.line in (2, 3)


@pytest.mark.parametrize("height", [0, 25, 40, 47])
def test_a_masthead_band_too_low_for_its_text_grows_to_hold_it(
    layouts: Path,
    issue_2020: Issue,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    height: int,
) -> None:
    """Before, a band too low left page 1 blank (or its title white on white below it)."""
    from pypdf import PdfReader

    from generator.writers.pdf.writer import write_pdf

    monkeypatch.setattr(generator.layout_spec, "FONT_FOLDERS", (ROOT / "fonts",))
    child(layouts, f"page: {{masthead_height_mm: {height}}}")
    layout = load_layout("evil")
    write_pdf(compose(issue_2020, layout), layout, tmp_path / "out.pdf", False)
    first = PdfReader(tmp_path / "out.pdf").pages[0].extract_text()
    lines = [line.strip() for line in first.splitlines()]
    masthead = lines.index("Issue VI"), lines.index("ISCM 2020 Highlights")
    events = next(i for i, line in enumerate(lines) if line.startswith("INTER-STATE"))
    assert masthead[0] < masthead[1] < events  # the masthead, then the text below it


def test_a_masthead_that_would_fill_page_1_is_located(
    layouts: Path, issue_2020: Issue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.writers.pdf.writer import write_pdf

    monkeypatch.setattr(generator.layout_spec, "FONT_FOLDERS", (ROOT / "fonts",))
    child(layouts, "styles: {Title: {size: 150, leading: 180}}")
    layout = load_layout("evil")
    with pytest.raises(BulletinError) as caught:
        write_pdf(compose(issue_2020, layout), layout, tmp_path / "out.pdf", False)
    (problem,) = caught.value.problems
    assert problem.path == "page.masthead_height_mm"
    assert Path(problem.file) == layouts / "iscm" / "layout.yaml"  # where the height is given
    assert "leaves no room for text on page 1" in problem.message


def test_an_inherited_indent_is_reported_once_at_the_style_giving_it(layouts: Path) -> None:
    child(layouts, "styles: {Body: {left_indent: 240}}")
    problem = one_problem("evil")
    assert problem.path == "styles.Body.left_indent"
    assert "Body, Event, Feature Text" in problem.message


def test_the_repository_layouts_have_room(layouts: Path) -> None:
    for name in ("iscm", "large-print"):
        assert load_layout(name).name == name


def test_a_table_with_the_wrong_number_of_widths_is_located(
    layouts: Path, issue_2020: Issue
) -> None:
    file = child(layouts, "tables: {Theme Table: {widths: [1]}}")
    with pytest.raises(BulletinError) as caught:
        compose(issue_2020, load_layout("evil"))
    (problem,) = caught.value.problems
    assert (Path(problem.file), problem.line, problem.path) == (
        file,
        2,
        "tables.Theme Table.widths",
    )
    assert problem.message == "1 widths for a table of 2 columns"


def test_a_table_with_the_wrong_number_of_headers_is_located(
    layouts: Path, issue_2020: Issue
) -> None:
    text = layouts / "iscm" / "text.yaml"
    source = text.read_text(encoding="utf-8")
    text.write_text(source.replace('["Global initiative", "ISCMs"]', '["Global initiative"]'))
    with pytest.raises(BulletinError) as caught:
        compose(issue_2020, load_layout("iscm"))
    (problem,) = caught.value.problems
    assert (problem.path, problem.message) == (
        "initiatives_header",
        "1 headers for a table of 2 columns",
    )


# -- 2c. font files: only from the fonts folder, and only TrueType fonts -----------------------


def font_layout(layouts: Path, regular: str) -> Path:
    return child(
        layouts,
        "fonts:\n  body:\n    family: Lato\n"
        f"    regular: '{regular}'\n    bold: Lato-Bold.ttf\n"
        "    italic: Lato-Italic.ttf\n    bold_italic: Lato-BoldItalic.ttf",
    )


def fonts_of(layouts: Path) -> Path:
    return generator.layout_spec.FONT_FOLDERS[0]


@pytest.mark.parametrize(
    "name",
    [
        "/etc/passwd",
        "../../../../../../etc/passwd",
        "../layouts/iscm/layout.yaml",
        "Lato-Regular.ttf/../../fonts/Lato-Regular.ttf",
        "~/.bashrc",
        "C:\\Windows\\Fonts\\arial.ttf",
        "",
        ".",
        "missing.ttf",
    ],
)
def test_a_font_outside_the_fonts_folder_is_refused(layouts: Path, name: str) -> None:
    file = font_layout(layouts, name)
    problem = one_problem("evil")
    assert (Path(problem.file), problem.line, problem.path) == (file, 5, "fonts.body.regular")
    assert problem.message.startswith("no font file ")


def test_a_font_linked_from_outside_is_refused(layouts: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.ttf"
    shutil.copy(ROOT / "fonts" / "Lato-Regular.ttf", outside)
    (fonts_of(layouts) / "Linked.ttf").symlink_to(outside)
    font_layout(layouts, "Linked.ttf")
    assert one_problem("evil").message == "no font file " + str(fonts_of(layouts)) + "/Linked.ttf"


def test_a_link_inside_the_fonts_folder_is_fine(layouts: Path) -> None:
    (fonts_of(layouts) / "Body.ttf").symlink_to(fonts_of(layouts) / "Lato-Regular.ttf")
    font_layout(layouts, "Body.ttf")
    assert load_layout("evil").spec.fonts["body"].regular == "Body.ttf"


LATO = (ROOT / "fonts" / "Lato-Regular.ttf").read_bytes()
NOT_FONTS = [
    ("text.ttf", b"root:x:0:0:root:/root:/bin/bash\n" * 20, "is not a TrueType font file"),
    ("empty.ttf", b"", "is not a font file (too short)"),
    (
        "cff.otf",
        b"OTTO" + LATO[4:],
        "has PostScript (CFF) outlines, which the PDF writer cannot embed",
    ),
    ("many.ttc", b"ttcf" + LATO[4:], "is a font collection (.ttc)"),
    ("cut.ttf", LATO[: len(LATO) // 2], "is a truncated font file"),
    ("header.ttf", LATO[:40], "is a truncated font file"),
    ("zero.ttf", LATO[:4] + b"\x00\x00" + LATO[6:], "is a truncated font file"),
    ("png.ttf", b"\x89PNG\r\n\x1a\n" + bytes(100), "is not a TrueType font file"),
]


@pytest.mark.parametrize(("name", "content", "reason"), NOT_FONTS)
def test_a_file_that_is_not_a_truetype_font_is_refused(
    layouts: Path, name: str, content: bytes, reason: str
) -> None:
    (fonts_of(layouts) / name).write_bytes(content)
    font_layout(layouts, name)
    problem = one_problem("evil")
    assert problem.path == "fonts.body.regular"
    assert problem.message.endswith(f"{name} {reason}"), problem


def test_a_font_without_a_needed_table_is_refused(layouts: Path) -> None:
    data = bytearray(LATO)
    count = int.from_bytes(data[4:6], "big")
    for i in range(count):  # rename the 'glyf' table
        at = 12 + 16 * i
        if data[at : at + 4] == b"glyf":
            data[at : at + 4] = b"glyx"
    (fonts_of(layouts) / "noglyf.ttf").write_bytes(bytes(data))
    font_layout(layouts, "noglyf.ttf")
    assert "without its glyf table" in one_problem("evil").message


def table_of(data: bytes, tag: bytes) -> tuple[int, int]:
    """Offset and length of a font's table."""
    for i in range(int.from_bytes(data[4:6], "big")):
        at = 12 + 16 * i
        if data[at : at + 4] == tag:
            return int.from_bytes(data[at + 8 : at + 12], "big"), int.from_bytes(
                data[at + 12 : at + 16], "big"
            )
    raise KeyError(tag)


@pytest.mark.parametrize("tag", [b"cmap", b"head", b"hhea", b"maxp", b"name", b"post"])
@pytest.mark.parametrize("damage", ["zeros", "junk"])
def test_a_font_with_a_damaged_table_is_refused(layouts: Path, tag: bytes, damage: str) -> None:
    """Damage the libraries would crash on (exit 3 before) is found when the layout loads."""
    data = bytearray(LATO)
    offset, length = table_of(LATO, tag)
    data[offset : offset + length] = bytes(length) if damage == "zeros" else b"\xff" * length
    (fonts_of(layouts) / "damaged.ttf").write_bytes(bytes(data))
    font_layout(layouts, "damaged.ttf")
    problem = one_problem("evil")
    assert problem.message.endswith(f"damaged.ttf has a damaged {tag.decode()} table")


def test_a_font_the_pdf_writer_cannot_read_is_a_clear_error(
    layouts: Path, issue_2020: Issue, tmp_path: Path
) -> None:
    """A font damaged where the header check does not look: the PDF writer names the file."""
    from generator.writers.pdf.writer import write_pdf

    data = bytearray(LATO)
    offset, _ = table_of(LATO, b"hhea")
    data[offset + 34 : offset + 36] = bytes(2)  # numberOfHMetrics: 0
    (fonts_of(layouts) / "restricted.ttf").write_bytes(bytes(data))
    child(
        layouts,
        "fonts:\n  body: {family: Restricted, regular: restricted.ttf, bold: Lato-Bold.ttf,"
        " italic: Lato-Italic.ttf, bold_italic: Lato-BoldItalic.ttf}",
    )
    layout = load_layout("evil")
    with pytest.raises(BulletinError) as caught:
        write_pdf(compose(issue_2020, layout), layout, tmp_path / "out.pdf", False)
    (problem,) = caught.value.problems
    assert problem.file.endswith("restricted.ttf")
    assert problem.message.startswith("the PDF writer cannot use this font: ")
    assert "horizontal metrics" in problem.message


def test_a_fifo_or_a_folder_as_a_font_is_refused_without_hanging(layouts: Path) -> None:
    os.mkfifo(fonts_of(layouts) / "pipe.ttf")
    (fonts_of(layouts) / "folder.ttf").mkdir()
    for name in ("pipe.ttf", "folder.ttf"):
        font_layout(layouts, name)
        assert one_problem("evil").message.endswith(f"{name} is not a file")


# -- 2d. layout names and `extends:` stay in the layouts folder --------------------------------


@pytest.mark.parametrize(
    "name", ["../layouts/iscm", "/etc", "iscm/../iscm", ".", "", "..", "iscm\x00", "~"]
)
def test_a_layout_name_cannot_leave_the_layouts_folder(layouts: Path, name: str) -> None:
    problem = one_problem(name)
    assert problem.message.startswith("no layout ")
    assert problem.hint == "choose one of: iscm, large-print"


def test_a_layout_folder_linked_from_outside_is_refused(layouts: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(layouts / "iscm", outside)
    (layouts / "linked").symlink_to(outside)
    assert one_problem("linked").message == "no layout 'linked'"


def test_a_layout_file_linked_from_outside_is_refused(layouts: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("page: {}\n", encoding="utf-8")
    (layouts / "sneaky").mkdir()
    (layouts / "sneaky" / "layout.yaml").symlink_to(tmp_path / "secret.yaml")
    assert one_problem("sneaky").message == "no layout 'sneaky'"


def test_a_wording_file_linked_from_outside_is_not_read(layouts: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("footer: secret\n", encoding="utf-8")
    child(layouts, "", name="sneaky")
    (layouts / "sneaky" / "text.yaml").symlink_to(tmp_path / "secret.txt")
    layout = load_layout("sneaky")  # the base's wording is used; the link is never followed
    assert layout.text_source is not None
    assert Path(layout.text_source.file).parts[-2:] == ("iscm", "text.yaml")


def test_a_link_to_a_layout_inside_the_folder_is_fine(layouts: Path) -> None:
    (layouts / "alias").symlink_to(layouts / "large-print")
    assert load_layout("alias").style("Normal").size == 14


@pytest.mark.parametrize(
    "base", ["../layouts/iscm", "/etc", "/tmp", "../../..", "iscm/..", "'~'", "'.'", "[iscm]"]
)
def test_extends_cannot_leave_the_layouts_folder(layouts: Path, base: str) -> None:
    path = layouts / "evil"
    path.mkdir()
    (path / "layout.yaml").write_text(f"extends: {base}\n", encoding="utf-8")
    problem = one_problem("evil")
    assert (Path(problem.file), problem.line, problem.column) == (path / "layout.yaml", 1, 10)
    assert problem.message.startswith("cannot extend ")


def test_extends_through_a_link_out_is_refused(layouts: Path, tmp_path: Path) -> None:
    shutil.copytree(layouts / "iscm", tmp_path / "outside")
    (layouts / "out").symlink_to(tmp_path / "outside")
    child(layouts, "", name="evil").write_text("extends: out\n", encoding="utf-8")
    assert one_problem("evil").message == "cannot extend 'out'"


def test_the_command_refuses_a_layout_path(tmp_path: Path) -> None:
    for name in ("../layouts/iscm", "/etc", str(ROOT / "layouts" / "iscm")):
        done = subprocess.run(
            [sys.executable, "-m", "generator", "check", "2020", "--layout", name],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1, done.stderr
        assert "no layout" in done.stderr and "Traceback" not in done.stderr


# -- 1b. nothing in a layout makes loading slow ------------------------------------------------


def test_thousands_of_styles_are_refused_quickly(layouts: Path) -> None:
    styles = "".join(
        f"  S{i}: {{parent: {'Normal' if i == 0 else f'S{i - 1}'}}}\n" for i in range(3000)
    )
    child(layouts, "styles:\n" + styles)
    started = time.perf_counter()
    problem = one_problem("evil")
    assert time.perf_counter() - started < 3
    assert (problem.path, problem.message) == ("styles", "more than 200 items or characters")


def test_a_long_chain_of_extends_is_refused(layouts: Path) -> None:
    for i in range(12):
        base = "iscm" if i == 0 else f"chain{i - 1}"
        (layouts / f"chain{i}").mkdir()
        (layouts / f"chain{i}" / "layout.yaml").write_text(f"extends: {base}\n", encoding="utf-8")
    problem = one_problem("chain11")
    assert problem.message == "a chain of more than 8 layouts extending each other"
    assert load_layout("chain5").name == "chain5"  # a shorter chain is fine


@pytest.mark.parametrize(
    ("wording", "path"),
    [
        ('"' + "x" * 5_000 + '"', "footer"),
        ("[" + ", ".join(["a"] * 50) + "]", "footer"),
    ],
)
def test_an_oversized_wording_is_refused(layouts: Path, wording: str, path: str) -> None:
    text = layouts / "iscm" / "text.yaml"
    lines = text.read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(lines, 1) if row.startswith("footer:"))
    lines[line - 1] = f"footer: {wording}"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = one_problem("iscm")
    assert (problem.line, problem.path) == (line, path)
    assert problem.message == "more than 20 items or 2,000 characters in a wording"


def test_a_very_long_layout_name_is_a_short_error(layouts: Path) -> None:
    problem = one_problem("x" * 10_000)
    assert len(str(problem)) < 600
    assert problem.message.startswith("no layout 'xxx")


# -- 2e. names a layout gives are names, and its own file's problems are never dropped ---------


@pytest.mark.parametrize(
    ("family", "message"),
    [
        ('"Lato\\" face=\\"x"', "is not a font family name"),
        ('"A<b>&c"', "is not a font family name"),
        ('""', "is not a font family name"),
        ("'" + "x" * 500 + "'", "is not a font family name"),
        ('"Lato\\ttab"', "is not a font family name"),
        ("Helvetica", "is one of PDF's standard fonts"),
        ("ZapfDingbats", "is one of PDF's standard fonts"),
    ],
)
def test_a_font_family_name_that_is_not_a_name_is_refused(
    layouts: Path, family: str, message: str
) -> None:
    """The family name goes into the PDF writer's markup: a quote in it crashed the build."""
    file = child(
        layouts,
        f"fonts:\n  body: {{family: {family}, regular: Lato-Regular.ttf, bold: Lato-Bold.ttf,"
        " italic: Lato-Italic.ttf, bold_italic: Lato-BoldItalic.ttf}",
    )
    problem = one_problem("evil")
    assert (Path(problem.file), problem.line, problem.path) == (file, 3, "fonts.body.family")
    assert message in problem.message
    assert len(str(problem)) < 600


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("extends: iscm", "key 'extends' is written twice"),
        ("styles: {Body: !!binary eA==}", "YAML tag '!!binary' is not allowed"),
        ("styles: {Body: {align: !custom left}}", "YAML tag '!custom' is not allowed"),
        ('styles: {Body: {align: "left\\u202e"}}', "invisible character U+202E"),
        ("styles: {Body: {align: left}, Body: {align: right}}", "key 'Body' is written twice"),
        ("page: " + "[" * 40 + "]" * 40, "lists and mappings nested more than 32 deep"),
    ],
)
def test_problems_of_the_extending_file_itself_are_reported(
    layouts: Path, text: str, message: str
) -> None:
    """They were dropped when the file was merged into its base (a tag was then ignored)."""
    file = child(layouts, text)
    problems = problems_of("evil")
    assert any(p.message.startswith(message) and Path(p.file) == file for p in problems), problems


def test_a_style_too_large_for_any_page_is_the_layouts_problem(
    layouts: Path, issue_2020: Issue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.writers.pdf.writer import write_pdf

    monkeypatch.setattr(generator.layout_spec, "FONT_FOLDERS", (ROOT / "fonts",))
    child(layouts, "styles: {Heading 1: {size: 200, leading: 250}}")
    layout = load_layout("evil")
    with pytest.raises(BulletinError) as caught:
        write_pdf(compose(issue_2020, layout), layout, tmp_path / "out.pdf", False)
    (problem,) = caught.value.problems
    assert problem.path == "styles"
    assert Path(problem.file) == layouts / "iscm" / "layout.yaml"
    assert problem.message.startswith("the content does not fit the page: a paragraph ")
    assert "0x" not in problem.message  # no memory address, no temporary file name


# -- the issue's own examples, through the command ---------------------------------------------

RUN_WITH_LAYOUTS = (
    "import sys; from pathlib import Path; import generator.layout as layout, "
    "generator.layout_spec as spec; layout.LAYOUTS = Path(sys.argv[1]); "
    "spec.FONT_FOLDERS = (Path(sys.argv[2]),); from generator.cli import main; "
    "main(sys.argv[3:])"
)


@pytest.mark.parametrize(
    ("layout_text", "wording", "expected"),
    [
        ("", "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}", "text.yaml:"),
        ("styles: {Body: {left_indent: 240}}", None, "styles.Body.left_indent: an indent of 240"),
        (
            "fonts:\n  body: {family: Lato, regular: /etc/passwd, bold: Lato-Bold.ttf,"
            " italic: Lato-Italic.ttf, bold_italic: Lato-BoldItalic.ttf}",
            None,
            "fonts.body.regular: no font file",
        ),
        ("page: {margins_mm: {top: 0, bottom: 0, left: 0, right: 0}}", None, "no room for the"),
    ],
)
def test_the_issues_examples_exit_1_with_a_located_line(
    layouts: Path, tmp_path: Path, layout_text: str, wording: str | None, expected: str
) -> None:
    child(layouts, layout_text)
    if wording is not None:
        (layouts / "evil" / "text.yaml").write_text(f'footer: "{wording}"\n', encoding="utf-8")
    python = [sys.executable, "-c", RUN_WITH_LAYOUTS, str(layouts), str(fonts_of(layouts))]
    for command in (["check", "2020"], ["build", "2020", "--output", str(tmp_path / "out")]):
        done = subprocess.run(
            [*python, *command, "--layout", "evil", "--data", str(ROOT / "data")],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1, done.stderr
        assert expected in done.stderr and "Traceback" not in done.stderr
        assert not (tmp_path / "MARKER").exists()
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ('chart_headng: "Themes"', "did you mean 'chart_heading'?"),
        ('contents_title: "Contents"', "the keys are those of the built-in layout's text.yaml"),
    ],
)
def test_a_wording_the_bulletin_never_uses_is_refused_at_its_key(
    layouts: Path, line: str, hint: str
) -> None:
    """A typo in a key of text.yaml was silently ignored: the editor's wording never showed."""
    text = layouts / "iscm" / "text.yaml"
    rows = text.read_text(encoding="utf-8").splitlines()
    text.write_text("\n".join([*rows, line]) + "\n", encoding="utf-8")
    with pytest.raises(BulletinError) as caught:
        load_layout("iscm", STYLES)
    (problem,) = caught.value.problems
    key = line.split(":")[0]
    assert (Path(problem.file).resolve(), problem.line, problem.column) == (text, len(rows) + 1, 1)
    assert (problem.path, problem.message) == (key, f"unknown wording '{key}'")
    assert problem.hint.startswith(hint)


def test_the_kinds_wording_keys_are_those_of_the_built_in_text_yaml() -> None:
    from generator.sources import load

    built_in = load(generator.layout.LAYOUTS / "iscm" / "text.yaml").value
    assert set(STYLES.wording) == set(built_in)


@pytest.mark.parametrize(
    ("table", "name", "message"),
    [
        ("styles", "Masthead Band Top", "is one the Word file gives a style of its own"),
        (
            "character_styles",
            "Masthead Period Char",
            "is one the Word file gives a style of its own",
        ),
        ("styles", "Normal Table", "is one the Word file gives a style of its own"),
        ("styles", "ÉÉ", "has no letter or digit of A-Z, 0-9, which Word names styles by"),
        (
            "character_styles",
            "Event-Title",
            "'Event-Title' and 'Event Title' are one style to Word",
        ),
    ],
)
def test_a_style_name_that_cannot_be_a_word_style_of_its_own_is_refused_at_the_name(
    layouts: Path, table: str, name: str, message: str
) -> None:
    """Such a name ended the Word writer with an internal error, after the PDFs were made."""
    layout = layouts / "iscm" / "layout.yaml"
    rows = layout.read_text(encoding="utf-8").splitlines()
    at = next(i for i, row in enumerate(rows) if row.startswith(f"{table}:"))
    rows[at + 1 : at + 1] = [
        f'  "{name}":',
        "    parent: Normal" if table == "styles" else "    bold: true",
    ]
    layout.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problem = one_problem("iscm")
    assert message in problem.message
    if "are one style" in message:  # found at the second of the two names
        name = next(n for n in ("Event Title", "Event-Title") if f"'{n}' are" in problem.message)
        at = next(i for i, row in enumerate(rows) if row.startswith(f"  {name}:")) - 1
    assert (Path(problem.file).resolve(), problem.line, problem.column) == (layout, at + 2, 3)
    assert problem.path == f"{table}.{name}"
