"""Text contrast of layouts: the ratio, the shipped layouts, a faint colour as a located
warning (an error with --strict)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.layout
from generator.cli import main
from generator.contrast import MINIMUM, contrast
from generator.layout import load_layout

from .conftest import DATA, ROOT

WHITE = "#FFFFFF"


@pytest.fixture()
def layouts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of layouts/ that generator.layout reads instead of the repository's."""
    folder = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts", folder)
    monkeypatch.setattr(generator.layout, "LAYOUTS", folder)
    return folder


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace the one line that starts with `old` by `new`; its 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    (number,) = [i for i, line in enumerate(lines) if line.startswith(old)]
    lines[number] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast(WHITE, WHITE) == pytest.approx(1)
    assert contrast("#3E8EDE", WHITE) == pytest.approx(3.43, abs=0.01)  # the example
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)  # WCAG's grey on white
    assert contrast("#0033A0", WHITE) == contrast(WHITE, "#0033A0")


@pytest.mark.parametrize("name", ["iscm", "large-print"])
def test_every_text_style_of_the_shipped_layouts_reads_at_4_5(name: str) -> None:
    layout = load_layout(name)
    assert layout.warnings == ()
    rgb = {key: colour.rgb for key, colour in layout.spec.colours.items()}
    masthead = rgb[layout.page.masthead_background]
    grounds = {WHITE, *(rgb[f.background] for f in layout.spec.frames.values() if f.background)}
    grounds |= {rgb[t.stripe] for t in layout.spec.tables.values() if t.stripe}
    on_masthead = {"Masthead Publisher", "Masthead Period", "Masthead Issue", "Title"}
    headers = {t.header_style: rgb[t.header_background] for t in layout.spec.tables.values()}
    for style in layout.styles.values():
        where = {masthead} if style.name in on_masthead else grounds
        where = {headers[style.name]} if style.name in headers else where
        for ground in where:
            ratio = contrast(rgb[style.colour], ground)
            assert ratio >= MINIMUM, (style.name, style.colour, ground, ratio)
    for key, character in layout.spec.character_styles.items():
        if character.colour:
            where = {masthead} if key == "Masthead Link" else grounds
            for ground in where:
                assert contrast(rgb[character.colour], ground) >= MINIMUM, (key, ground)


def test_a_faint_link_colour_is_a_located_warning(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    line = replace_line(
        path, "  Hyperlink:", '  Hyperlink: {colour: accent, underline: true}  # "#3E8EDE"'
    )
    layout = load_layout("iscm")  # it loads: a warning does not stop anything by itself
    found = [w for w in layout.warnings if w.path == "character_styles.Hyperlink.colour"]
    assert [(Path(w.file), w.line, w.column) for w in found] == [(path, line, 23)] * 2
    page, tint = found
    assert "#3E8EDE" in page.message and "3.43:1, below 4.5:1" in page.message
    assert "the page (#FFFFFF)" in page.message
    assert "'tint' (#E8F0FB)" in tint.message and "2.98:1" in tint.message
    assert "darker or lighter" in page.hint


def test_a_style_on_the_masthead_is_checked_against_the_masthead(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    # white text set on the page instead of the band: 1:1
    replace_line(path, "    background: brand    #", "    background: white")
    problems = load_layout("iscm").warnings
    assert {p.path for p in problems} == {"styles.Masthead Publisher.colour"}
    assert all("on 'white' (#FFFFFF)" in p.message and "1.00:1" in p.message for p in problems)


def test_faint_chart_labels_are_a_located_warning(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    line = replace_line(path, "  label_colour: ink", "  label_colour: rule")
    (problem,) = [w for w in load_layout("iscm").warnings if w.path == "chart.label_colour"][:1]
    assert (Path(problem.file), problem.line, problem.column) == (path, line, 17)
    assert "text in 'rule' (#B8C7E0) on the page" in problem.message


def test_an_unknown_background_is_an_error(layouts: Path) -> None:
    path = layouts / "iscm" / "layout.yaml"
    replace_line(path, "    background: brand    #", "    background: bluish")
    with pytest.raises(generator.layout.BulletinError) as caught:
        load_layout("iscm")
    (problem,) = caught.value.problems
    assert (problem.path, problem.message) == (
        "styles.Masthead Publisher.background",
        "no colour 'bluish'",
    )


def test_check_and_build_print_the_warning_and_strict_makes_it_an_error(
    layouts: Path, tmp_path: Path
) -> None:
    path = layouts / "iscm" / "layout.yaml"
    replace_line(path, "    colour: accent_text", "    colour: accent")  # Mechanism Note
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "2020", "--data", str(DATA)])
    assert checked.exit_code == 0, checked.stderr
    (warning,) = [w for w in checked.stderr.splitlines() if "on the page" in w]
    assert warning.startswith(f"{path}:")
    assert ": warning: styles.Mechanism Note.colour: text in 'accent' (#3E8EDE)" in warning
    strict = runner.invoke(main, ["check", "2020", "--data", str(DATA), "--strict"])
    assert strict.exit_code == 1 and "styles.Mechanism Note.colour" in strict.stderr
    out = tmp_path / "out"
    built = runner.invoke(
        main, ["build", "2020", "--data", str(DATA), "--output", str(out), "--format", "docx"]
    )
    assert built.exit_code == 0 and ": warning: styles.Mechanism Note.colour" in built.stderr
    assert (out / "iscm-highlights-2020.docx").is_file()
    shutil.rmtree(out)
    command = ["build", "2020", "--data", str(DATA), "--output", str(out), "--strict"]
    refused = runner.invoke(main, command)
    assert refused.exit_code == 1
    assert "styles.Mechanism Note.colour" in refused.stderr
    assert "nothing was written" in refused.stderr and not out.exists()
