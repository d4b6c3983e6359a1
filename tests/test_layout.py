"""generator.layout: layouts as data, styles resolved through `parent`, located errors."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import generator.build
import generator.checking
import generator.layout
from generator.errors import BulletinError, Problem
from generator.kinds.iscm import STYLES as ISCM
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import Issue
from generator.layout import Layout, load_layout
from generator.model import Document, Group, Heading, Paragraph, Table

from .completeness import pdf_text
from .conftest import DATA, ROOT, real_client

# -- the two layouts of the repository -----------------------------------------------------


@pytest.fixture(scope="module")
def iscm() -> Layout:
    return load_layout("iscm")


@pytest.fixture(scope="module")
def large_print() -> Layout:
    return load_layout("large-print")


def test_iscm_resolves_inherited_properties(iscm: Layout) -> None:
    normal, body, event = iscm.style("Normal"), iscm.style("Body"), iscm.style("Event")
    assert (normal.font, normal.size, normal.leading, normal.colour) == ("body", 9.5, 13, "ink")
    assert normal.align == "left" and normal.parent is None
    assert (body.font, body.size, body.align, body.parent) == ("body", 9.5, "justify", "Normal")
    assert (event.size, event.align, event.parent) == (9.5, "justify", "Body")


def test_iscm_grandchild_inherits_and_overrides(iscm: Layout) -> None:
    continued = iscm.style("Mechanism Continued")
    assert continued.italic is True and continued.colour == "muted"  # its own
    assert continued.bold is True and continued.size == 10.5  # from Mechanism
    assert continued.font == "body"  # from Normal


def test_a_child_can_clear_a_parent_property(iscm: Layout) -> None:
    assert iscm.style("Heading 1").rule_below == "accent"
    for child in ("Feature Title", "Heading 1 Continued"):
        assert iscm.style(child).rule_below is None  # `rule_below: null`
        assert iscm.style(child).caps is True  # the rest inherited


def test_large_print_keeps_the_base_font_with_its_own_size(large_print: Layout) -> None:
    body = large_print.style("Body")
    assert body.font == "body"  # from the iscm Normal
    assert body.size == 14 and body.leading == 19  # from the large-print Normal
    assert body.align == "left"  # its own, over iscm's justify


def test_large_print_event_inherits_align_from_its_body(large_print: Layout) -> None:
    event = large_print.style("Event")
    assert (event.align, event.size, event.space_after) == ("left", 14, 4)


def test_large_print_merges_page_colours_and_sections(large_print: Layout, iscm: Layout) -> None:
    assert large_print.page.size_mm == iscm.page.size_mm == (210, 297)
    assert large_print.page.margins_mm.left == 20 and iscm.page.margins_mm.left == 18
    assert large_print.spec.colours["ink"].rgb == "#000000"
    assert large_print.spec.colours["white"].rgb == "#FFFFFF"  # only in iscm
    assert large_print.section("events").columns == 1 and iscm.section("events").columns == 2
    assert large_print.spec.chart.bar_height == 16 and large_print.spec.chart.max_bars == 10
    assert large_print.spec.extends is None


def test_large_print_uses_the_base_wording(large_print: Layout) -> None:
    assert large_print.words("issue", issue_roman="VI") == "Issue VI"
    assert large_print.text_source is not None
    assert Path(large_print.text_source.file).parts[-2:] == ("iscm", "text.yaml")


def test_every_style_has_its_properties_settled(iscm: Layout, large_print: Layout) -> None:
    for layout in (iscm, large_print):
        for name, style in layout.styles.items():
            assert style.name == name
            assert style.size > 0 and style.leading > 0
            assert style.colour in layout.spec.colours
            assert style.font in layout.spec.fonts


def test_colours_are_upper_case_hex(iscm: Layout) -> None:
    assert iscm.spec.colours["accent"].rgb == "#3E8EDE"
    assert iscm.spec.colours["brand"].cmyk == (100, 75, 0, 5)


def test_wording(iscm: Layout) -> None:
    assert iscm.words("events_heading", year=2020) == (
        "Inter-State Consultation Mechanisms on Migration: main events in 2020"
    )
    assert iscm.word_list("areas_header") == ["Thematic area", "ISCMs"]
    assert iscm.words("page_label", page="{page}", pages="{pages}") == "page {page} of {pages}"


def test_wording_values_are_not_escaped_or_run(iscm: Layout) -> None:
    assert (
        iscm.words("mechanism_continued", name="A & <B> {{ x }}") == "A & <B> {{ x }} (continued)"
    )


def test_a_missing_name_in_a_wording_is_a_located_error(iscm: Layout) -> None:
    with pytest.raises(BulletinError) as caught:
        iscm.words("issue")
    (problem,) = caught.value.problems
    assert Path(problem.file).parts[-2:] == ("iscm", "text.yaml")
    lines = (ROOT / "layouts" / "iscm" / "text.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].startswith("issue:")
    assert problem.path == "issue"
    assert problem.message == "unknown name 'issue_roman' in {{ issue_roman }}"


def test_an_unknown_wording_key(iscm: Layout) -> None:
    with pytest.raises(BulletinError, match="no text 'nothing'"):
        iscm.words("nothing")


def test_unknown_layout_lists_the_available_ones() -> None:
    with pytest.raises(BulletinError) as caught:
        load_layout("iscn")
    (problem,) = caught.value.problems
    assert problem.message == "no layout 'iscn'"
    assert problem.hint == "choose one of: iscm, large-print"


def test_no_font_size_or_colour_literal_in_the_foundation() -> None:
    """Sizes and colours live in layouts/: the generator's own modules (not writers/) name none."""
    literals = [
        re.compile(r"#[0-9A-Fa-f]{6}\b"),  # a hex colour
        re.compile(r"\b(rgb|cmyk|RGBColor|Color|CMYKColor)\(\s*\d"),  # a colour from numbers
        re.compile(r"\bcolors\.[a-z]+\b"),  # a named ReportLab colour
        re.compile(r"\b(size|leading|font_size|fontSize)\s*[=:]\s*\d"),  # a font size
        re.compile(r"\bPt\(\s*\d"),  # a python-docx size
    ]
    modules = sorted((ROOT / "generator").glob("*.py"))
    assert len(modules) >= 10
    for path in modules:
        text = path.read_text(encoding="utf-8")
        for literal in literals:
            assert not literal.search(text), (path.name, literal.pattern)


# -- broken copies of the layouts ----------------------------------------------------------


@pytest.fixture
def layouts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of layouts/ that generator.layout reads instead of the repository's."""
    folder = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts", folder)
    monkeypatch.setattr(generator.layout, "LAYOUTS", folder)
    return folder


def edit(path: Path, change: Callable[[list[str]], None]) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    change(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def line_of(lines: list[str], text: str, after: str | None = None) -> int:
    """The 1-based number of the first line equal to `text` (after the line `after`)."""
    start = lines.index(after) if after else 0
    return next(i for i in range(start, len(lines)) if lines[i] == text) + 1


def problems_of(name: str) -> list[Problem]:
    with pytest.raises(BulletinError) as caught:
        load_layout(name, ISCM)
    return list(caught.value.problems)


def test_unknown_parent_is_located(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = line_of(lines, "    parent: Body", after="  Event:")
    edit(path, lambda rows: rows.__setitem__(line - 1, "    parent: Bdoy"))
    (problem,) = problems_of("iscm")
    assert Path(problem.file) == path
    assert (problem.line, problem.column) == (line, 13)
    assert (problem.path, problem.message) == ("styles.Event.parent", "no style 'Bdoy'")


def test_unknown_colour_is_located(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = line_of(lines, "    colour: muted", after="  Footer:")
    edit(path, lambda rows: rows.__setitem__(line - 1, "    colour: mauve"))
    (problem,) = problems_of("iscm")
    assert (Path(problem.file), problem.line, problem.column) == (path, line, 13)
    assert (problem.path, problem.message) == ("styles.Footer.colour", "no colour 'mauve'")


def test_bad_hex_colour_is_located(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(lines, 1) if row.startswith("  accent: {rgb:"))
    edit(path, lambda rows: rows.__setitem__(line - 1, rows[line - 1].replace("3E8EDE", "3E8EDG")))
    (problem,) = problems_of("iscm")
    assert (Path(problem.file), problem.line, problem.column) == (path, line, 17)
    assert problem.message == "'#3E8EDG' is not a colour"


def test_a_circle_of_parents_is_located(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = line_of(lines, "  Normal:") + 1
    edit(path, lambda rows: rows.insert(line - 1, "    parent: Event"))
    problems = problems_of("iscm")
    normal = [p for p in problems if p.path == "styles.Normal.parent"]
    assert len(normal) == 1
    assert (Path(normal[0].file), normal[0].line, normal[0].column) == (path, line, 13)
    assert normal[0].message == "styles inherit from each other in a circle"


def test_a_circle_of_parents_is_reported_once_per_style_in_it(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    line = line_of(path.read_text(encoding="utf-8").splitlines(), "  Normal:") + 1
    edit(path, lambda rows: rows.insert(line - 1, "    parent: Event"))
    problems = problems_of("iscm")
    assert sorted(p.path for p in problems) == [
        "styles.Body.parent",
        "styles.Event.parent",
        "styles.Normal.parent",
    ]


def test_an_unknown_parent_is_reported_once(layouts: Path) -> None:
    path = layouts / "large-print" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = line_of(lines, "  Body: {align: left, hyphenate: false}")
    edit(path, lambda rows: rows.__setitem__(line - 1, "  Body: {align: left, parent: Nope}"))
    problems = problems_of("large-print")
    assert [(p.line, p.path, p.message) for p in problems] == [
        (line, "styles.Body.parent", "no style 'Nope'")
    ]


def test_an_error_in_an_extending_layout_names_its_own_file(layouts: Path) -> None:
    path = layouts / "large-print" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = line_of(lines, "  Body: {align: left, hyphenate: false}")
    edit(path, lambda rows: rows.__setitem__(line - 1, "  Body: {algn: left}"))
    (problem,) = problems_of("large-print")
    assert (Path(problem.file), problem.line, problem.column) == (path, line, 10)
    assert (problem.path, problem.message) == ("styles.Body.algn", "unknown key 'algn'")
    assert problem.hint == "did you mean 'align'?"


def test_a_bad_value_in_an_extending_layout_names_its_own_file(layouts: Path) -> None:
    path = layouts / "large-print" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = line_of(lines, "  Normal: {size: 14, leading: 19, space_after: 6}")
    edit(
        path, lambda rows: rows.__setitem__(line - 1, rows[line - 1].replace("size: 14", "size: 0"))
    )
    (problem,) = problems_of("large-print")
    assert (Path(problem.file), problem.line) == (path, line)
    assert problem.path == "styles.Normal.size"
    assert problem.message == "must be from 4 to 200 pt, got 0"


def test_extending_an_unknown_layout(layouts: Path) -> None:
    path = layouts / "large-print" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = line_of(lines, "extends: iscm")
    edit(path, lambda rows: rows.__setitem__(line - 1, "extends: iscn"))
    (problem,) = problems_of("large-print")
    assert (Path(problem.file), problem.line, problem.column) == (path, line, 10)
    assert problem.message == "cannot extend 'iscn'"


def test_a_layout_cannot_extend_itself(layouts: Path) -> None:
    path = layouts / "large-print" / "layout.yaml"
    edit(path, lambda rows: rows.__setitem__(rows.index("extends: iscm"), "extends: large-print"))
    (problem,) = problems_of("large-print")
    assert problem.message == "cannot extend 'large-print'"


def test_a_missing_font_file_is_located(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = line_of(lines, "    bold: Lato-Bold.ttf")
    edit(path, lambda rows: rows.__setitem__(line - 1, "    bold: Lato-Black.ttf"))
    (problem,) = problems_of("iscm")
    assert (Path(problem.file), problem.line, problem.column) == (path, line, 11)
    assert problem.message == "no font file fonts/Lato-Black.ttf"


def test_an_undefined_name_in_text_yaml_is_a_located_error(layouts: Path) -> None:
    path = layouts / "iscm" / "text.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(lines, 1) if row.startswith("issue:"))
    edit(path, lambda rows: rows.__setitem__(line - 1, 'issue: "Issue {{ issue_number }}"'))
    layout = load_layout("iscm")
    with pytest.raises(BulletinError) as caught:
        layout.words("issue", issue=6, issue_roman="VI", year=2020)
    (problem,) = caught.value.problems
    assert (Path(problem.file), problem.line, problem.column) == (path, line, 15)
    assert problem.path == "issue"
    assert problem.message == "unknown name 'issue_number' in {{ issue_number }}"
    assert problem.hint == "the names here are: issue, issue_roman, year"


def test_an_undefined_name_in_text_yaml_stops_composing(layouts: Path, issue_2020: Issue) -> None:
    path = layouts / "iscm" / "text.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{{ issue_roman }}", "{{ roman }}"), encoding="utf-8")
    with pytest.raises(BulletinError) as caught:
        compose(issue_2020, load_layout("iscm"))
    assert all(Path(p.file) == path for p in caught.value.problems)
    assert "unknown name 'roman'" in caught.value.problems[0].message


def test_a_template_syntax_error_in_text_yaml_is_located(layouts: Path) -> None:
    path = layouts / "iscm" / "text.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(lines, 1) if row.startswith("issue:"))
    edit(path, lambda rows: rows.__setitem__(line - 1, 'issue: "Issue {{ issue_roman }"'))
    (problem,) = problems_of("iscm")
    assert (Path(problem.file), problem.line, problem.column) == (path, line, 15)
    assert problem.message == "'{{' does not open a placeholder"


def test_a_layout_without_text_yaml_is_told_so(layouts: Path) -> None:
    shutil.copytree(layouts / "iscm", layouts / "plain")
    (layouts / "plain" / "text.yaml").unlink()
    problems = problems_of("plain")
    assert "None" not in str(problems[0].file)
    assert "text.yaml" in str(problems[0])
    assert [(Path(p.file), p.line, p.message) for p in problems] == [
        (layouts / "plain" / "text.yaml", 1, "file not found")
    ]


def test_a_style_below_a_circle_is_not_reported_on_its_own(layouts: Path) -> None:
    """Event inherits from the circle Body <-> Normal: only the two styles in it are named."""
    path = layouts / "iscm" / "layout.yaml"
    line = line_of(path.read_text(encoding="utf-8").splitlines(), "  Normal:") + 1
    edit(path, lambda rows: rows.insert(line - 1, "    parent: Body"))
    problems = problems_of("iscm")
    assert sorted(p.path for p in problems) == ["styles.Body.parent", "styles.Normal.parent"]
    assert {p.message for p in problems} == {"styles inherit from each other in a circle"}


def test_a_style_that_is_its_own_parent(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    line = line_of(path.read_text(encoding="utf-8").splitlines(), "  Normal:") + 1
    edit(path, lambda rows: rows.insert(line - 1, "    parent: Normal"))
    problems = problems_of("iscm")
    assert [(p.line, p.path) for p in problems] == [(line, "styles.Normal.parent")]


def test_a_table_naming_an_unknown_style_is_located(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(lines, 1) if row.strip().startswith("header_style:"))
    edit(path, lambda rows: rows.__setitem__(line - 1, rows[line - 1].split(":")[0] + ": Nope"))
    (problem,) = problems_of("iscm")
    assert (problem.line, problem.message) == (line, "no style 'Nope'")
    assert problem.path.endswith(".header_style")


def test_a_theme_naming_an_unknown_colour_is_located(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    line = line_of(path.read_text(encoding="utf-8").splitlines(), "  accent_2: accent")
    edit(path, lambda rows: rows.__setitem__(line - 1, "  accent_2: teal"))
    (problem,) = problems_of("iscm")
    assert (Path(problem.file), problem.line, problem.column) == (path, line, 13)
    assert (problem.path, problem.message) == ("theme.accent_2", "no colour 'teal'")


def test_a_layout_without_a_theme_is_told_to_add_one(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(next(row for row in lines if row.startswith("theme:")))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace())
    edit(path, lambda rows: rows.__delitem__(slice(start, end)))
    (problem,) = problems_of("iscm")
    assert "theme" in problem.message and Path(problem.file) == path


# -- the style contract --------------------------------------------------------------------


def without_style(path: Path, name: str) -> list[str]:
    """Remove a style (its key and its indented lines) from a layout file."""

    def drop(rows: list[str]) -> None:
        start = rows.index(f"  {name}:")
        end = next(i for i in range(start + 1, len(rows)) if not rows[i].startswith("    "))
        del rows[start:end]

    return edit(path, drop)


def test_a_layout_without_a_style_the_bulletin_uses_is_refused_where_styles_are(
    layouts: Path, issue_2020: Issue
) -> None:
    path = layouts / "iscm" / "layout.yaml"
    lines = without_style(path, "Mechanism Note")
    (problem,) = problems_of("iscm")
    styles = next(i for i, row in enumerate(lines, 1) if row.startswith("styles:"))
    assert (Path(problem.file), problem.line, problem.column) == (path, styles, 1)
    assert problem.path == "styles"
    assert problem.message == "no style 'Mechanism Note', which the bulletin uses"
    assert "define 'Mechanism Note' under 'styles'" in problem.hint
    with pytest.raises(BulletinError):  # `check` refuses it too, before any build
        generator.checking.check(ROOT / "data", "2020", "iscm")


def test_a_missing_character_or_table_style_is_refused_too(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    line = "  Masthead Link: {colour: white, underline: true, background: brand}"
    edit(path, lambda rows: rows.remove(line))
    (problem,) = problems_of("iscm")
    assert (problem.path, problem.message) == (
        "character_styles",
        "no character style 'Masthead Link', which the bulletin uses",
    )


def test_an_extending_layout_inherits_the_styles_the_bulletin_uses(layouts: Path) -> None:
    path = layouts / "large-print" / "layout.yaml"
    edit(path, lambda rows: rows.remove("  Heading 1 Continued: {size: 15, leading: 19}"))
    assert load_layout("large-print").style("Heading 1 Continued").size == 10  # from iscm


def style_names(document: Document) -> tuple[set[str], set[str]]:
    """The paragraph and character style names a document uses."""
    paragraphs, characters = set(), set()
    for section in document.sections:
        nodes = [section.heading, section.continued, *section.blocks]
        for block in section.blocks:
            if isinstance(block, Group):
                nodes += [block.heading, block.continued, block.note, *block.paragraphs]
            if isinstance(block, Table):
                nodes.append(block.caption)
        for node in nodes:
            if isinstance(node, Paragraph | Heading):
                paragraphs.add(node.style)
            if isinstance(node, Paragraph):
                characters.update(run.style for run in node.runs if run.style)
    masthead = document.masthead
    for line in (*masthead.publisher, masthead.period, masthead.issue, masthead.title):
        paragraphs.add(line.style)
        characters.update(run.style for run in line.runs if run.style)
    return paragraphs, characters


def test_compose_uses_only_the_declared_styles(document_2020: Document) -> None:
    paragraphs, characters = style_names(document_2020)
    assert paragraphs <= set(ISCM.paragraph)
    assert characters <= set(ISCM.character)
    assert {"Mechanism Note", "Heading 1 Continued", "Event"} <= paragraphs
    tables = {b.style for s in document_2020.sections for b in s.blocks if isinstance(b, Table)}
    assert tables == set(ISCM.table)


def test_a_layout_without_the_chart_the_bulletin_draws_is_refused(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"

    def drop_chart(rows: list[str]) -> None:
        start = rows.index("chart:")
        end = next(i for i in range(start + 1, len(rows)) if rows[i] and rows[i][0] != " ")
        del rows[start:end]

    edit(path, drop_chart)
    (problem,) = problems_of("iscm")
    assert Path(problem.file) == path  # at the top mapping (its first key)
    assert problem.message == "no 'chart:', which the bulletin uses"
    assert load_layout("iscm").spec.chart is None  # a bulletin without charts needs none


def test_a_blank_issue_wording_still_builds_the_pdf(layouts: Path, tmp_path: Path) -> None:
    """An issue worded blank leaves an empty line at the masthead's right: the publisher's
    line beside it takes the width it leaves (the width of no line used to be a bug), and
    every publisher line is still drawn."""
    path = layouts / "iscm" / "text.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(lines, 1) if row.startswith("issue:"))
    edit(path, lambda rows: rows.__setitem__(line - 1, 'issue: " "'))
    out = tmp_path / "out"
    (built,) = generator.build.build(DATA, "2020", "iscm", out, ("pdf",), lambda line: None)
    text = " ".join(pdf_text(built.path, real_client("pdftotext")).split())
    assert "International Organization for Migration" in text
    assert "Department of International Cooperation and Partnerships" in text
