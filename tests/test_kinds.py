"""A second kind of bulletin (tests/newsletter: a quarterly newsletter of articles with
pictures) is checked and built by the same engine, with both writers and its own layout; the
engine knows no kind but through generator.kinds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image as Picture

from generator import kinds
from generator.build import build
from generator.checking import check
from generator.errors import BulletinError
from generator.kinds.iscm import IscmHighlights
from generator.model import Image
from generator.writers.docx.page import BAND_PICTURE

from .completeness import docx_text, items, missing, pdf_text
from .conftest import ROOT, real_client
from .tagged import structure_texts, unmarked

HERE = Path(__file__).parent / "newsletter"
AUDIT = "/tmp/ooxml/bin/openxml-audit"
SETTINGS = """\
kind: newsletter
title: Harbour Quarterly
publisher: Port Authority Staff Office
file_name: harbour-{year}-q{quarter}
"""
QUARTER = """\
quarter: 3
sections:
  - title: News from the quays
    articles:
      - title: The north quay opens
        text: The **north quay** opened on 2 August, after *three years* of work.
        image:
          file: quay.png
          alt: A crane over the new north quay at dusk
          caption: The north quay on its first evening.
      - title: Ferry timetable
        text: From September the ferry leaves every 40 minutes ([timetable](https://example.org/ferry)).
  - title: People
    articles:
      - title: Forty years at the lock
        text: Ana Ribeiro retires after forty years at the lock gates.
"""


@pytest.fixture(autouse=True)
def newsletter_kind() -> Iterator[None]:
    kinds.register("newsletter", "tests.newsletter:Newsletter")
    yield
    del kinds.KINDS["newsletter"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A newsletter's project folder: its data (with a picture) and its layout."""
    data = tmp_path / "harbour" / "data"
    data.mkdir(parents=True)
    (data / "bulletin.yaml").write_text(SETTINGS, encoding="utf-8")
    (data / "2021.yaml").write_text(QUARTER, encoding="utf-8")
    Picture.new("RGB", (320, 200), (11, 85, 99)).save(data / "quay.png")
    shutil.copytree(HERE / "layouts", tmp_path / "harbour" / "layouts")
    return tmp_path / "harbour"


def test_the_data_folder_names_its_kind(project: Path) -> None:
    assert kinds.kind_of(project / "data").key == "newsletter"
    assert isinstance(kinds.kind_of(ROOT / "data"), IscmHighlights)  # no `kind:`: the default


def test_check_summarises_with_the_kinds_own_words(project: Path) -> None:
    summary = check(project / "data", "2021").summary()
    assert summary.splitlines()[1:] == [
        "  quarter  3 (2021)",
        "  articles 3 in 2 sections, 1 with a picture",
    ]


def test_both_writers_build_the_newsletter_with_its_own_layout(project: Path) -> None:
    out = project / "output"
    written = build(project / "data", "2021", None, out, kinds_keys(), lambda line: None)
    names = sorted(w.path.name for w in written)
    assert names == ["harbour-2021-q3-print.pdf", "harbour-2021-q3.docx", "harbour-2021-q3.pdf"]
    kind = kinds.kind_of(project / "data")
    document = kind.compose(kind.load(project / "data", "2021"), _layout(project, kind))
    (image,) = [b for s in document.sections for b in s.blocks if isinstance(b, Image)]
    assert image.alt_text == "A crane over the new north quay at dusk"

    pdf = out / "harbour-2021-q3.pdf"
    text = pdf_text(pdf, real_client("pdftotext"))
    assert missing(document, text) == []
    assert "Quarterly newsletter · Q3 2021" in text and "July – September 2021" in text
    with pikepdf.open(pdf) as tagged:  # the picture drawn once, marked as a Figure with alt
        assert unmarked(tagged) == []
        images = [image for page in tagged.pages for image in page.get_images()]
        assert len(images) == 1
    figures = [text for tag, text in structure_texts(pdf) if tag == "Figure"]
    assert figures == ["A crane over the new north quay at dusk "]

    word = out / "harbour-2021-q3.docx"
    assert missing(document, docx_text(word)) == []
    with zipfile.ZipFile(word) as archive:
        band = BAND_PICTURE.lstrip("/")  # the masthead band's, in page 1's header
        media = [n for n in archive.namelist() if n.startswith("word/media/") and n != band]
        body = archive.read("word/document.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    assert len(media) == 1 and media[0].endswith(".png")
    assert 'descr="A crane over the new north quay at dusk"' in body
    assert "Article Title" in styles and "Mechanism" not in styles
    audit = subprocess.run(
        [real_client(AUDIT), "-f", "office2019", "-o", "json", str(word)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    (result,) = json.loads(audit.stdout)
    assert result["valid"] and result["verdict"]["prediction"] == "opens-clean", result


def test_a_picture_is_drawn_by_pillow_loaded_on_first_use(project: Path) -> None:
    """ReportLab's import leaves Pillow's Image module unloaded (pdf/deferred.py): the PDF
    writer loads it for the newsletter's picture, in a process that had not."""
    code = f"""
import sys
from pathlib import Path
import generator.writers.pdf.writer
from generator import kinds
from generator.build import build
print("loaded before:", "PIL.ExifTags" in sys.modules)
kinds.register("newsletter", "tests.newsletter:Newsletter")
data, out = Path({str(project / "data")!r}), Path({str(project / "out")!r})
build(data, "2021", None, out, ("pdf",), print)
print("loaded after:", "PIL.ExifTags" in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "loaded before: False" in result.stdout and "loaded after: True" in result.stdout
    with pikepdf.open(project / "out" / "harbour-2021-q3.pdf") as pdf:
        [image] = [image for page in pdf.pages for image in page.get_images().values()]
        assert (image.Width, image.Height) == (320, 200)


def test_the_newsletter_in_libreoffice(project: Path, tmp_path: Path) -> None:
    """The Word file opens in a real editor, every article and the caption in order."""
    from .completeness import libreoffice_pdfs

    out = project / "output"
    build(project / "data", "2021", None, out, ("docx",), lambda line: None)
    (converted,) = libreoffice_pdfs(
        [out / "harbour-2021-q3.docx"], tmp_path, real_client("soffice")
    )
    kind = kinds.kind_of(project / "data")
    document = kind.compose(kind.load(project / "data", "2021"), _layout(project, kind))
    assert items(document)[-1] == "Ana Ribeiro retires after forty years at the lock gates."
    assert missing(document, pdf_text(converted, real_client("pdftotext"))) == []


def test_the_newsletters_layout_must_have_its_styles(project: Path) -> None:
    layout = project / "layouts" / "newsletter" / "layout.yaml"
    lines = layout.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("  Caption:")]
    layout.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(BulletinError) as caught:
        check(project / "data", "2021")
    (problem,) = caught.value.problems
    assert problem.message == "no style 'Caption', which the bulletin uses"


def test_the_iscm_layout_lacks_the_newsletters_styles(project: Path) -> None:
    with pytest.raises(BulletinError) as caught:
        check(project / "data", "2021", "iscm")
    found = {p.message for p in caught.value.problems}
    assert "no style 'Article Title', which the bulletin uses" in found


def test_the_newsletters_data_errors_are_located(project: Path) -> None:
    year = project / "data" / "2021.yaml"
    year.write_text(QUARTER.replace("quarter: 3", "quarter: 5").replace("quay.png", "pier.png"))
    with pytest.raises(BulletinError) as caught:
        check(project / "data", "2021")
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (1, "quarter")
    assert problem.message == "must be 4 or less, got 5"
    year.write_text(QUARTER.replace("quay.png", "pier.png"))
    with pytest.raises(BulletinError) as caught:
        check(project / "data", "2021")
    (problem,) = caught.value.problems
    assert problem.path == "sections[1].articles[1].image.file"
    assert problem.message == "no such picture"


def test_an_unknown_kind_is_located_in_bulletin_yaml(project: Path) -> None:
    (project / "data" / "bulletin.yaml").write_text(SETTINGS.replace("newsletter", "gazette"))
    with pytest.raises(BulletinError) as caught:
        check(project / "data", "2021")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.path) == (1, 7, "kind")
    assert problem.message == "unknown kind of bulletin 'gazette'"
    assert problem.hint == "write one of: iscm, newsletter"


def test_the_engine_names_no_kind() -> None:
    """Only generator/kinds/ knows what a mechanism is."""
    engine = [p for p in (ROOT / "generator").rglob("*.py") if "kinds" not in p.parts]
    named = [p.name for p in engine if re.search(r"mechanism|ISCM", p.read_text(), re.I)]
    assert named == ["model.py"]  # a docstring's example of a group


def kinds_keys() -> tuple[str, ...]:
    from generator import writers

    return writers.keys()


def _layout(project: Path, kind: kinds.Kind):  # type: ignore[no-untyped-def]
    from generator.layout import load_layout

    return load_layout(kind.layout, kind.styles, project)


def test_the_newsletters_print_file_with_its_picture_is_derived(
    project: Path, tmp_path: Path
) -> None:
    """The print file derived from the screen file (writers/pdf/press.py) draws the picture,
    as every other page content, as the print file laid out on its own does."""
    from generator.writers.pdf.writer import write_pdf

    kind = kinds.kind_of(project / "data")
    layout = _layout(project, kind)
    document = kind.compose(kind.load(project / "data", "2021"), layout)
    write_pdf(document, layout, tmp_path / "derived.pdf", True)
    write_pdf(document, layout, tmp_path / "laid.pdf", True, print_laid_out=True)
    assert (tmp_path / "derived.pdf").read_bytes() != (tmp_path / "laid.pdf").read_bytes()
    with (
        pikepdf.open(tmp_path / "derived.pdf") as derived,
        pikepdf.open(tmp_path / "laid.pdf") as laid,
    ):
        assert [p.Contents.read_bytes() for p in derived.pages] == [
            p.Contents.read_bytes() for p in laid.pages
        ]
        assert len([image for page in derived.pages for image in page.get_images()]) == 1
