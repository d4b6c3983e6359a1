"""The PDFs, read back as a reader, a printer and a PDF checker would."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdf
import pytest

from generator.build import build
from generator.errors import BulletinError
from generator.layout import load_layout
from generator.layout_spec import MM
from generator.model import Document
from generator.writers.pdf.writer import PdfWriter
from tests.completeness import missing, normalise, pdf_text, squeeze
from tests.conftest import DATA, real_client
from tests.pages import words

A4 = (595.276, 841.89)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    written = build(DATA, "2020", "iscm", out, ("pdf", "print"), lambda line: None)
    return {"screen": written[0].path, "print": written[1].path}


@pytest.fixture(scope="module")
def screen(built: dict[str, Path]) -> pypdf.PdfReader:
    return pypdf.PdfReader(built["screen"])


def test_file_names_and_pages(built: dict[str, Path], screen: pypdf.PdfReader) -> None:
    assert built["screen"].name == "iscm-highlights-2020.pdf"
    assert built["print"].name == "iscm-highlights-2020-print.pdf"
    assert 3 <= len(screen.pages) <= 5
    assert built["screen"].stat().st_size < 300 * 1024


@pytest.mark.parametrize("kind", ["screen", "print"])
def test_every_item_of_the_data_in_reading_order(
    built: dict[str, Path], document_2020: Document, kind: str
) -> None:
    text = pdf_text(built[kind], real_client("pdftotext"))
    assert missing(document_2020, text) == []


def test_continued_headings(built: dict[str, Path], document_2020: Document) -> None:
    """Page 2 opens with the section's "(continued)" heading, then a mechanism's heading
    (or its "(continued)" heading: the page begins at a mechanism)."""
    text = pdf_text(built["screen"], real_client("pdftotext"))
    pages = text.split("\f")
    body = normalise(pages[1].replace(document_2020.footer.text, ""))
    assert body.startswith("main events in 2020 (continued) ")
    assert "main events in 2020 (continued)" not in normalise(pages[0])
    entries = document_2020.sections[0].blocks
    openings = [normalise(t) for e in entries for t in (e.continued.text, e.heading.text)]
    opening = body.removeprefix("main events in 2020 (continued) ")
    assert any(opening.startswith(o) for o in openings), opening[:80]


def test_fonts_are_embedded_subsets_of_the_layout_fonts(built: dict[str, Path]) -> None:
    for path in built.values():
        rows = subprocess.run(
            [real_client("pdffonts"), str(path)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert rows, "no fonts listed"
        for row in rows:
            name, *_, emb, sub, _uni, _obj, _gen = row.split()
            assert re.fullmatch(r"[A-Z]{6}\+Lato-\w+", name), row
            assert (emb, sub) == ("yes", "yes"), row


def test_document_information(screen: pypdf.PdfReader, document_2020: Document) -> None:
    meta = screen.metadata
    assert meta.title == "ISCM 2020 Highlights"
    assert meta.author == "International Organization for Migration"
    assert meta.subject == document_2020.info.subject
    assert "ISCM" in meta["/Keywords"]
    assert screen.trailer["/Root"]["/Lang"] == "en-GB"


def test_outline_has_sections_and_mechanisms(
    screen: pypdf.PdfReader, document_2020: Document
) -> None:
    outline = screen.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top == [s.heading.text for s in document_2020.sections if s.heading]
    mechanisms = next(item for item in outline if isinstance(item, list))
    events = document_2020.sections[0].blocks
    assert [item.title for item in mechanisms] == [entry.heading.text for entry in events]


def link_targets(reader: pypdf.PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def test_every_url_is_a_link(screen: pypdf.PdfReader, document_2020: Document) -> None:
    targets = link_targets(screen)
    assert set(targets) == set(document_2020.urls)
    assert len(targets) >= len(document_2020.urls)
    assert "mailto:grcp@iom.int" in targets


def test_print_file_has_bleed_trim_and_cmyk(built: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(built["print"])
    page = reader.pages[0]
    trim = [float(v) for v in page.trimbox]
    bleed = [float(v) for v in page.bleedbox]
    assert trim[2] - trim[0] == pytest.approx(A4[0], abs=0.01)
    assert trim[3] - trim[1] == pytest.approx(A4[1], abs=0.01)
    assert trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.01)
    assert float(page.mediabox.width) > bleed[2] - bleed[0]
    content = b"".join(p.get_contents().get_data() for p in reader.pages)
    assert not re.search(rb"(^|\s)[\d.]+ [\d.]+ [\d.]+ (rg|RG)\b", content), "RGB colour in print"
    assert re.search(rb"[\d.]+ [\d.]+ [\d.]+ [\d.]+ k\b", content)
    assert len(reader.pages) == len(pypdf.PdfReader(built["screen"]).pages)


def test_masthead_band_runs_into_the_bleed(built: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(built["print"])
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    rects = [
        tuple(map(float, m))
        for m in re.findall(r"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re", content)
    ]
    widest = max(rects, key=lambda r: r[2])
    assert widest[0] == pytest.approx(-3 * MM, abs=0.01)
    assert widest[2] == pytest.approx(A4[0] + 6 * MM, abs=0.01)


def test_qpdf_finds_no_problem(built: dict[str, Path]) -> None:
    for path in built.values():
        result = subprocess.run(
            [real_client("qpdf"), "--check", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_two_builds_are_identical(tmp_path: Path, built: dict[str, Path]) -> None:
    again = build(DATA, "2020", "iscm", tmp_path, ("pdf", "print"), lambda line: None)
    assert again[0].path.read_bytes() == built["screen"].read_bytes()
    assert again[1].path.read_bytes() == built["print"].read_bytes()


def test_large_print_layout_builds_one_column_14pt(
    tmp_path: Path, screen: pypdf.PdfReader, issue_2020: object
) -> None:
    written = build(DATA, "2020", "large-print", tmp_path, ("pdf",), lambda line: None)
    reader = pypdf.PdfReader(written[0].path)
    assert len(reader.pages) > len(screen.pages)
    sizes: list[float] = []

    def visit(text: str, cm: list, tm: list, font: dict, size: float) -> None:
        if text.strip():
            sizes.append(size * tm[0])

    reader.pages[1].extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 12  # footer 12 pt; body text 14 pt
    assert sizes.count(14) > 20
    layout = load_layout("large-print")
    assert layout.section("events").columns == 1


def test_visitor_raises_on_an_unknown_node(document_2020: Document) -> None:
    writer = PdfWriter(document_2020, load_layout("iscm"), print_ready=False)
    with pytest.raises(NotImplementedError, match="no visit for object"):
        writer.visit(object())


def test_a_table_row_taller_than_a_page_names_the_data_line(
    tmp_path: Path, document_2020: Document
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("bulletin.yaml", "mechanisms.yaml"):
        (data / name).write_text((DATA / name).read_text())
    year = (DATA / "2020.yaml").read_text()
    huge = " ".join(["Border management"] * 900)
    year = year.replace("  - name: Border management\n", f"  - name: {huge}\n", 1)
    (data / "2020.yaml").write_text(year)
    line = year.splitlines().index(f"  - name: {huge}") + 1
    with pytest.raises(BulletinError) as caught:
        build(data, "2020", "iscm", tmp_path / "out", ("pdf",), lambda text: None)
    problem = caught.value.problems[0]
    assert problem.file.endswith("data/2020.yaml")
    assert (problem.line, problem.path) == (line, "thematic_areas[2]")
    assert "taller than a page" in problem.message
    assert not list((tmp_path / "out").glob("*"))


def _year_with(tmp_path: Path, replace: str, by: str) -> Path:
    """A copy of the 2020 data with one text replaced."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for name in ("bulletin.yaml", "mechanisms.yaml"):
        (data / name).write_text((DATA / name).read_text())
    year = (DATA / "2020.yaml").read_text()
    assert replace in year
    (data / "2020.yaml").write_text(year.replace(replace, by, 1))
    return data


def test_a_long_url_and_a_long_word_wrap_inside_the_margins(tmp_path: Path) -> None:
    url = "https://www.example.org/" + "a" * 280
    word = "Supercalifragilistic" * 15
    data = _year_with(
        tmp_path,
        "focused on technology, labour migration",
        f"focused on {word}, [the report]({url}), labour migration",
    )
    written = build(data, "2020", "iscm", tmp_path / "out", ("pdf",), lambda line: None)
    assert url in link_targets(pypdf.PdfReader(written[0].path))
    boxes = subprocess.run(
        [real_client("pdftotext"), "-bbox", str(written[0].path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert right_edges and max(right_edges) <= A4[0] - 18 * MM + 0.5
    text = pdf_text(written[0].path, real_client("pdftotext"))
    assert "Supercalifragilistic" in text


def test_a_mechanism_with_sixty_events_flows_over_columns_and_pages(tmp_path: Path) -> None:
    events = "".join(
        f"    - title: Meeting number {i}\n      dates: 2020-05-{i % 28 + 1:02d}\n"
        f"      place: virtual\n      summary: discussed item {i} of a long agenda on "
        f"labour migration, border management and the protection of migrants.\n"
        for i in range(60)
    )
    data = _year_with(tmp_path, "  Almaty:\n", f"  Almaty:\n{events}")
    written = build(data, "2020", "iscm", tmp_path / "out", ("pdf",), lambda line: None)
    text = pdf_text(written[0].path, real_client("pdftotext"))
    flat = normalise(text)
    positions = [flat.find(f"meeting number {i}, ") for i in range(60)]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)
    assert flat.count("almaty process (continued)") >= 2
    assert len(pypdf.PdfReader(written[0].path).pages) >= 5


@pytest.mark.parametrize("layout", ["iscm", "large-print"])
def test_no_continued_heading_breaks_into_an_event(tmp_path: Path, layout: str) -> None:
    """Long events run over columns and pages: where a column or page goes on with a new
    event, the mechanism's "(continued)" heading stands above it; where it goes on inside
    an event, the event's sentence goes on with no heading in between (nor the section's at
    a page's top)."""
    said = "reviewed labour migration, border management and protection"
    events = "".join(
        f"    - title: Meeting number {i}\n      dates: 2020-05-{i % 28 + 1:02d}\n"
        f"      place: virtual\n      summary: {' '.join([said] * (9 if i % 3 else 1))} {i}.\n"
        for i in range(24)
    )
    data = _year_with(tmp_path, "  Almaty:\n", f"  Almaty:\n{events}")
    written = build(data, "2020", layout, tmp_path / "out", ("pdf",), lambda line: None)
    columns = load_layout(layout).section("events").columns
    drawn = words(written[0].path, real_client("pdftotext"), columns)
    stream, places = "", []
    for word in drawn:
        text = squeeze(word.text).lower()
        stream += text
        places += [(word.page, word.column)] * len(text)
    split = headed = 0
    for i in range(24):
        first = stream.index(f"meetingnumber{i},")
        last = stream.index(f"tection{i}.", first)
        assert "continued" not in stream[first:last], i
        split += places[first] != places[last]
        headed += stream[:first].endswith("almatyprocess(continued)")
    assert split >= 2, "events go on in another column or page"
    assert headed >= 2, "columns and pages go on with new events"


def test_the_feature_box_is_tinted_with_a_rule_on_its_left(screen: pypdf.PdfReader) -> None:
    layout = load_layout("iscm")
    frame = layout.spec.frames["Feature Box"]
    page = next(p for p in screen.pages if "HIGH-LEVEL WEBINAR" in p.extract_text())
    content = page.get_contents().get_data().decode("latin-1")
    rects = re.findall(r"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re", content)
    widths = [float(w) for _, _, w, _ in rects]
    assert frame.rule_left in widths  # the rule
    box = max(rects, key=lambda r: float(r[3]))
    rule = next(r for r in rects if float(r[2]) == frame.rule_left)
    assert (float(rule[0]), float(rule[1]), float(rule[3])) == (
        float(box[0]),
        float(box[1]),
        float(box[3]),
    )  # as tall as the tinted box, at its left
