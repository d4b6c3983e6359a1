"""What ReportLab reads from a font, remembered between runs: whatever the cache holds (or
whatever is planted there), the PDF writer sees exactly what ReportLab itself reads from the
font, and the PDF is the same byte for byte, cache cold or warm."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab import Version
from reportlab.pdfbase.ttfonts import TTFont

from generator.layout import load_layout
from generator.layout_spec import FONTS
from generator.model import Document
from generator.writers.pdf import font_metrics, styles
from generator.writers.pdf.font_metrics import RememberedFont
from generator.writers.pdf.writer import write_pdf

REGULAR = FONTS / "Lato-Regular.ttf"
BOLD = FONTS / "Lato-Bold.ttf"
ITALIC = FONTS / "Lato-Italic.ttf"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of our own; the fonts registered again after the test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    styles._register.cache_clear()
    yield tmp_path / "cache" / "bulletin" / font_metrics.KIND
    styles._register.cache_clear()


def entry(folder: Path, font: Path) -> Path:
    digest = hashlib.sha256(font.read_bytes()).hexdigest()
    return folder / f"{digest}-reportlab-{Version}-{font_metrics.FORMAT}.json"


def face_state(font: TTFont) -> dict[str, Any]:
    """Everything ReportLab keeps of a font's face, with the types and order of the values
    (the PDF's widths and subsets are written from them)."""

    def typed(value: Any) -> Any:
        if isinstance(value, dict):
            return [(typed(k), typed(v)) for k, v in value.items()]
        if isinstance(value, (list, tuple)):
            return (type(value).__name__, [typed(v) for v in value])
        if isinstance(value, bytes):
            return (type(value).__name__, value, getattr(value, "ustr", None))
        return (type(value).__name__, value)

    state = {k: typed(v) for k, v in vars(font.face).items() if k not in ("_pdfScale", "_pos")}
    state["scaled 1234"] = font.face._pdfScale(1234)
    state["font"] = {k: v for k, v in vars(font).items() if k not in ("face", "state")}
    state["font"]["encoding"] = font.encoding.name
    return state


def ours(font: Path) -> dict[str, Any]:
    return face_state(RememberedFont("Face", str(font)))


def reportlabs(font: Path) -> dict[str, Any]:
    return face_state(TTFont("Face", str(font)))


@pytest.mark.parametrize("font", sorted(FONTS.glob("*.ttf")), ids=lambda p: p.stem)
def test_a_remembered_font_is_what_reportlab_reads(cache: Path, font: Path) -> None:
    truth = reportlabs(font)
    assert ours(font) == truth  # read, then remembered
    assert entry(cache, font).is_file()
    assert ours(font) == truth  # from the cache


def test_the_pdf_is_the_same_with_the_cache_cold_or_warm(
    cache: Path, document_2020: Document
) -> None:
    layout = load_layout("iscm")

    def screen_pdf() -> bytes:
        styles._register.cache_clear()
        target = io.BytesIO()
        write_pdf(document_2020, layout, target, print_ready=False)
        return target.getvalue()

    cold = screen_pdf()
    assert len(list(cache.iterdir())) == 4, "the four faces remembered"
    assert screen_pdf() == cold


Plant = Callable[[Path], None]


def garbled(change: Callable[[dict[str, Any]], dict[str, Any]], check: bool = True) -> Plant:
    """An entry edited (with a checksum made for the edit when `check`)."""

    def plant(path: Path) -> None:
        old_check, _, text = path.read_bytes().partition(b"\n")
        new = json.dumps(change(json.loads(text))).encode("ascii")
        made = hashlib.sha256(new).hexdigest().encode("ascii") if check else old_check
        path.write_bytes(made + b"\n" + new)

    return plant


def raw(content: bytes) -> Plant:
    def plant(path: Path) -> None:
        path.write_bytes(content)

    return plant


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def other_font(path: Path) -> None:
    """Bold's entry (whole, its checksum right) under Regular's name."""
    RememberedFont("Other", str(BOLD))
    shutil.copy(entry(path.parent, BOLD), path)


def packed(values: list[int], code: str = "I") -> str:
    return font_metrics._pack(code, values)


def glyph_past_the_end(data: dict[str, Any]) -> dict[str, Any]:
    glyphs = font_metrics._unpack("I", data["glyphs"]).tolist()
    glyphs[10] = data["numGlyphs"]
    return {**data, "glyphs": packed(glyphs)}


def places_past_the_end(data: dict[str, Any]) -> dict[str, Any]:
    places = font_metrics._unpack("I", data["places"]).tolist()
    places[-1] = places[-1] + 4096
    return {**data, "places": packed(places)}


def places_backwards(data: dict[str, Any]) -> dict[str, Any]:
    places = font_metrics._unpack("I", data["places"]).tolist()
    places[5], places[6] = places[6] + 2, places[5]
    return {**data, "places": packed(places)}


def widths_wrong(data: dict[str, Any]) -> dict[str, Any]:
    widths = font_metrics._unpack("d", data["widths"]).tolist()
    return {**data, "widths": packed([w + 1 for w in widths], "d")}


PLANTS: dict[str, Plant] = {
    "empty": raw(b""),
    "binary": raw(b"\xff\xfe\x00garbage\x80\n{}"),
    "checked-nothing": raw(hashlib.sha256(b"[]").hexdigest().encode() + b"\n[]"),
    "deep-json": raw(
        hashlib.sha256(b"[" * 100_000 + b"]" * 100_000).hexdigest().encode()
        + b"\n"
        + b"[" * 100_000
        + b"]" * 100_000
    ),
    "truncated": truncated,
    "folder": folder,
    "fifo": fifo,
    "other-font": other_font,
    "unchecked-edit": garbled(widths_wrong, check=False),
    "other-reportlab": garbled(lambda d: {**d, "reportlab": "0.1"}),
    "other-format": garbled(lambda d: {**d, "format": 0}),
    "missing-key": garbled(lambda d: {k: v for k, v in d.items() if k != "bbox"}),
    "extra-key": garbled(lambda d: {**d, "more": 1}),
    "boolean-count": garbled(lambda d: {**d, "numGlyphs": True}),
    "text-for-number": garbled(lambda d: {**d, "ascent": "805"}),
    "not-base64": garbled(lambda d: {**d, "codes": "!!not base64!!"}),
    "odd-bytes": garbled(lambda d: {**d, "places": "AAAA"}),
    "lengths-differ": garbled(lambda d: {**d, "glyphs": packed([1, 2, 3])}),
    "glyph-past-the-end": garbled(glyph_past_the_end),
    "places-past-the-glyf-table": garbled(places_past_the_end),
    "places-backwards": garbled(places_backwards),
    "names-not-text": garbled(lambda d: {**d, "names": [1, 2, 3, 4, 5]}),
    "no-units": garbled(lambda d: {**d, "unitsPerEm": 0}),
}


@pytest.mark.parametrize("name", PLANTS)
def test_an_odd_cache_entry_is_ignored_and_written_again(cache: Path, name: str) -> None:
    truth = reportlabs(REGULAR)
    assert ours(REGULAR) == truth
    path = entry(cache, REGULAR)
    good = path.read_bytes()
    PLANTS[name](path)
    assert ours(REGULAR) == truth
    if name != "folder":  # a folder in its place cannot be replaced; it is ignored each time
        assert path.read_bytes() == good, "written again, whole"


def test_a_font_changed_in_place_is_read_again(cache: Path, tmp_path: Path) -> None:
    """The same path, another font in it: its own bytes decide what is remembered."""
    font = tmp_path / "face.ttf"
    shutil.copy(REGULAR, font)
    assert ours(font) == reportlabs(REGULAR) | {"filename": reportlabs(font)["filename"]}
    font.write_bytes(ITALIC.read_bytes())
    changed = ours(font)
    assert changed == reportlabs(font)
    assert changed["name"] != reportlabs(REGULAR)["name"]
    assert len(list(cache.iterdir())) == 2


def test_no_usable_cache_folder_only_means_reading_the_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="ascii")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert ours(REGULAR) == reportlabs(REGULAR)
    assert ours(REGULAR) == reportlabs(REGULAR)
