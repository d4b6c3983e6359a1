"""`bulletin proof YEAR`: every page of the screen PDF, numbered, and LibreOffice's rendering
of the Word file beside it, in output/YEAR/proof.png."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from generator import proof
from generator.cli import main
from tests.conftest import DATA, real_client

BRAND = (0x00, 0x33, 0xA0)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _is_brand(pixel: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(pixel, BRAND, strict=True))


def _columns_with_a_masthead(sheet: Image.Image, columns: int) -> list[bool]:
    """Whether the first page of each column shows the masthead band near its top."""
    found = []
    for c in range(columns):
        x = proof.GAP + c * (proof.THUMBNAIL_WIDTH + proof.GAP) + proof.THUMBNAIL_WIDTH // 2
        y = proof.GAP + proof.LABEL + 40
        found.append(_is_brand(sheet.getpixel((x, y))))
    return found


def _labelled_rows(sheet: Image.Image, rows: int, height: int) -> int:
    """How many rows have dark label text under their first thumbnail."""
    labelled = 0
    for r in range(rows):
        top = proof.GAP + proof.LABEL + r * (height + proof.LABEL + proof.GAP) + height + 4
        strip = sheet.crop((proof.GAP, top, proof.GAP + 120, top + proof.LABEL - 6))
        labelled += strip.convert("L").getextrema()[0] < 100
    return labelled


def test_the_proof_shows_the_pdf_and_libreoffices_rendering_side_by_side(tmp_path: Path) -> None:
    real_client("soffice")
    code, out, err = run("proof", "2020", "--data", str(DATA), "--output", str(tmp_path))
    assert code == 0, err
    assert "PDF 4 pages, Word file 4" in out
    sheet = Image.open(tmp_path / "proof.png").convert("RGB")
    assert sheet.width == proof.GAP + 2 * (proof.THUMBNAIL_WIDTH + proof.GAP)
    assert _columns_with_a_masthead(sheet, 2) == [True, True]
    height = round(proof.THUMBNAIL_WIDTH * 297 / 210)
    assert (
        abs(sheet.height - (proof.GAP + proof.LABEL + 4 * (height + proof.LABEL + proof.GAP))) <= 4
    )
    assert _labelled_rows(sheet, 4, height) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["proof.png"]


def test_without_libreoffice_it_says_so_and_shows_the_pdf_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(proof, "LIBREOFFICE", ("no-such-libreoffice",))
    code, out, err = run("proof", "2020", "--data", str(DATA), "--output", str(tmp_path))
    assert code == 0, err
    assert "LibreOffice (soffice) is not installed: the proof shows the PDF alone" in err
    assert "PDF 4 pages)" in out
    sheet = Image.open(tmp_path / "proof.png").convert("RGB")
    assert sheet.width == proof.GAP + proof.THUMBNAIL_WIDTH + proof.GAP
    assert _columns_with_a_masthead(sheet, 1) == [True]


def test_an_older_libreoffice_is_named_with_what_its_pages_may_lack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice before 24.2 never narrows a word space as Word does: the proof still
    shows its rendering, and says which version made it and what that means."""
    soffice = real_client("soffice")
    older = tmp_path / "bin" / "soffice"
    older.parent.mkdir()
    older.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --version ]; then echo "LibreOffice 7.4.7.2 40(Build:2)"; exit; fi\n'
        f'exec {soffice} "$@"\n'
    )
    older.chmod(0o755)
    monkeypatch.setattr(proof, "LIBREOFFICE", (str(older),))
    out_dir = tmp_path / "out"
    code, out, err = run("proof", "2020", "--data", str(DATA), "--output", str(out_dir))
    assert code == 0, err
    assert "LibreOffice 7.4 shows the Word file" in err
    assert "24.2 or later" in err
    assert "Word file 4)" in out


def test_bad_data_writes_no_proof(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    year = data / "2020.yaml"
    year.write_text(year.read_text().replace("2020-03-01/2020-03-02", "2020-13-01", 1))
    code, _, err = run("proof", "2020", "--data", str(data), "--output", str(tmp_path / "out"))
    assert code == 1
    assert "not a date: '2020-13-01'" in err
    assert not (tmp_path / "out" / "proof.png").exists()


@pytest.mark.parametrize(
    ("output", "why"),
    [("a-file", "Not a directory"), ("a-file/below", "Not a directory")],
)
def test_an_output_that_cannot_be_a_folder_is_refused_before_building(
    tmp_path: Path, output: str, why: str
) -> None:
    (tmp_path / "a-file").write_text("an editor's file")
    code, out, err = run("proof", "2020", "--data", str(DATA), "--output", str(tmp_path / output))
    assert code == 1, err
    assert f"{tmp_path / output}:1:1: cannot write to the output folder: {why}" in err
    assert "internal error" not in err and "rendered" not in out
    assert (tmp_path / "a-file").read_text() == "an editor's file"


def test_a_page_one_side_lacks_is_an_empty_slot() -> None:
    page = Image.new("RGB", (proof.THUMBNAIL_WIDTH, 500), "white")
    sheet = proof.proof_sheet([("a", [page, page]), ("b", [page])])
    x = proof.GAP + proof.THUMBNAIL_WIDTH + proof.GAP + 50
    y = proof.GAP + proof.LABEL + 500 + proof.LABEL + proof.GAP + 50
    assert sheet.getpixel((x, y)) == Image.new("RGB", (1, 1), proof.BACKGROUND).getpixel((0, 0))
