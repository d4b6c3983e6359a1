"""`bulletin pull`: edits made in the Word file come back into the data, and only those.

The Word files are built from a copy of data/, edited with python-docx as an editor's
Word would leave them, and pulled through the command line.
"""

from __future__ import annotations

import base64
import copy
import difflib
import json
import lzma
import re
import shutil
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
import pytest
import yaml
from click.testing import CliRunner, Result
from docx.oxml.ns import qn
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator import inline
from generator.build import build
from generator.cli import main
from generator.errors import format_path
from generator.kinds.iscm.origins import loose
from generator.kinds.iscm.pull import _is_text_value as is_text_value
from generator.kinds.iscm.pull import carry, excerpt
from generator.quote_marks import ENGLISH
from generator.writers.docx.reader import read_edited
from tests.completeness import docx_text, pdf_text
from tests.conftest import DATA, real_client
from tests.edited import edited, with_addresses
from tests.generated import bulletin_data, write_data
from tests.word_edits import edit

YEAR = "2020"
YEAR_FILE = "2020.yaml"
DOCX = "iscm-highlights-2020.docx"
SUMMARY = "shared responsibility and partnership"
EDITED = "shared responsibility, solidarity and partnership"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Word file of 2020 built from a copy of data/ (kept untouched: tests copy both)."""
    folder = tmp_path_factory.mktemp("built")
    shutil.copytree(DATA, folder / "data")
    build(folder / "data", YEAR, "iscm", folder / "out", ("docx",), lambda line: None)
    return folder


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the data and of the Word file built from it."""
    shutil.copytree(built / "data", tmp_path / "data")
    shutil.copy(built / "out" / DOCX, tmp_path / DOCX)
    return tmp_path


def pull(project: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["pull", YEAR, str(project / DOCX), "--data", str(project / "data"), *args]
    )


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_an_unedited_file_has_nothing_to_pull(project: Path) -> None:
    result = pull(project)
    assert result.exit_code == 0, result.output
    assert "nothing to pull" in result.output


def test_an_edited_summary_is_printed_located_and_nothing_is_written(project: Path) -> None:
    before = (project / "data" / "2020.yaml").read_bytes()
    edit(project / DOCX, SUMMARY, EDITED)
    result = pull(project)
    assert result.exit_code == 0, result.output
    change = result.output.splitlines()[0]
    assert re.match(r".*data/2020\.yaml:18:16: events\.5\+5\[1\]\.summary: ", change), change
    assert f'"addressed {SUMMARY} on migration..." -> "addressed {EDITED} on' in change
    assert "--apply" in result.output
    assert (project / "data" / "2020.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("edits", "line"),
    [
        (  # English tells single quotes from double ones
            (("“Sustainable", "‘Sustainable"), ("collective action”", "collective action’")),
            "summary: 'on ‘Sustainable approaches",
        ),
        ((("Experts’ Meeting", "Experts’Meeting"),), "title: Technical Experts'Meeting"),
        ((("migrants’ rights", "migrants” rights"),), "summary: focused on migrants” rights"),
    ],
)
def test_an_edited_quote_or_a_space_beside_one_is_pulled(
    project: Path, edits: tuple[tuple[str, str], ...], line: str
) -> None:
    """Quotes are compared as the issue's language sets them: in English ‘x’ is not “x”, an
    apostrophe is not a closing double quote, and no space is set beside a quote, so one
    deleted there is an edit."""
    for old, new in edits:
        edit(project / DOCX, old, new)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert "nothing to pull" not in result.output
    assert line in (project / "data" / "2020.yaml").read_text(encoding="utf-8")


def test_apply_changes_only_the_edited_values(project: Path) -> None:
    data = project / "data" / "2020.yaml"
    before = lines_of(data)
    edit(project / DOCX, SUMMARY, EDITED)
    edit(project / DOCX, "Rabat, Morocco", "Rabat (Morocco)")
    edit(project / DOCX, "30th anniversary of OCAM", "Thirtieth anniversary of OCAM")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert "bulletin build 2020" in result.output
    after = lines_of(data)
    assert len(after) == len(before)
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [10, 17, 18]  # every other line, comments and blank ones too, as it was
    assert after[9] == b"  OCAM: Thirtieth anniversary of OCAM\n"
    assert after[16] == b"      place: Rabat (Morocco)\n"
    assert EDITED.encode() in after[17]
    again = pull(project)
    assert again.exit_code == 0 and "nothing to pull" in again.output


def test_apply_keeps_the_quoting_of_an_edited_value(project: Path) -> None:
    data = project / "data" / "2020.yaml"
    text = data.read_text(encoding="utf-8")
    text = text.replace("place: Rabat, Morocco", "place: 'Rabat, Morocco' # where it met")
    data.write_text(text, encoding="utf-8")
    shutil.rmtree(project / "out", ignore_errors=True)
    build(project / "data", YEAR, "iscm", project / "out", ("docx",), lambda line: None)
    shutil.copy(project / "out" / DOCX, project / DOCX)
    edit(project / DOCX, "Rabat, Morocco", "Rabat, Kingdom of Morocco")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert "place: 'Rabat, Kingdom of Morocco' # where it met\n" in data.read_text()


def test_a_value_changed_in_the_data_since_the_build_is_never_reverted(project: Path) -> None:
    data = project / "data" / "2020.yaml"
    text = data.read_text(encoding="utf-8").replace("Rabat, Morocco", "Rabat, MOROCCO")
    data.write_text(text, encoding="utf-8")
    edit(project / DOCX, SUMMARY, EDITED)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert "place" not in result.output  # the data's own change is no edit of the Word file
    after = data.read_text(encoding="utf-8")
    assert "Rabat, MOROCCO" in after and EDITED in after


def test_a_value_changed_on_both_sides_is_a_located_conflict(project: Path) -> None:
    data = project / "data" / "2020.yaml"
    text = data.read_text(encoding="utf-8").replace("Rabat, Morocco", "Rabat, MOROCCO")
    data.write_text(text, encoding="utf-8")
    before = data.read_bytes()
    edit(project / DOCX, "Rabat, Morocco", "Rabat (Morocco)")
    edit(project / DOCX, SUMMARY, EDITED)
    result = pull(project, "--apply")
    assert result.exit_code == 1
    assert re.search(
        r"data/2020\.yaml:17:14: events\.5\+5\[1\]\.place: changed both in the data since "
        r'the build \("Rabat, MOROCCO"\) and in the Word file \("Rabat \(Morocco\)"\)',
        result.output,
    ), result.output
    assert "nothing was written" in result.output
    assert data.read_bytes() == before


def shown_dates(path: Path) -> str:
    """The first event's dates as the Word file words them (its spaces are the typography's;
    the month is a run of its own)."""
    document = docx.Document(str(path))
    for paragraph in document.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        found = re.search(r"1–2\sMarch", text)
        if found:
            return found.group()
    raise AssertionError("no dates '1–2 March'")


def test_edited_dates_are_reported_with_where_to_change_them(project: Path) -> None:
    dates = shown_dates(project / DOCX)
    edit(project / DOCX, dates, dates.replace("2", "3"))
    result = pull(project)
    assert result.exit_code == 1
    assert re.search(
        r"data/2020\.yaml:16:14: events\.5\+5\[1\]\.dates: the dates \"1–2\sMarch\" were "
        r"changed to \"1–3\sMarch\".*"
        r"\(dates are written as YYYY-MM-DD at .*data/2020\.yaml:16\)",
        result.output,
    ), result.output


@pytest.mark.parametrize("reworded", ["1-2 March", "1 – 2 March", "1 - 2  March"])
def test_dates_reworded_to_the_same_dates_are_not_an_edit(project: Path, reworded: str) -> None:
    edit(project / DOCX, shown_dates(project / DOCX), reworded)
    result = pull(project)
    assert result.exit_code == 0, result.output
    assert "nothing to pull" in result.output


def test_edited_wording_of_the_layout_is_reported_with_where_to_change_it(project: Path) -> None:
    edit(project / DOCX, "Global initiatives and thematic areas", "Global initiatives and themes")
    result = pull(project)
    assert result.exit_code == 1
    assert "but that text is not from the data" in result.output
    assert "layouts/iscm/text.yaml" in result.output
    assert result.output.startswith(str(project / DOCX) + ":")


def edit_footer(path: Path, old: str, new: str) -> None:
    document = docx.Document(str(path))
    for section in document.sections:
        for text in section.footer._element.iter(qn("w:t")):
            if text.text and old in text.text:
                text.text = text.text.replace(old, new)
                document.save(str(path))
                return
    raise AssertionError(f"{old!r} is not in a footer of {path}")


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (  # the masthead's issue: wording with the data's issue number
            "Issue VI",
            "Issue VII",
            r"the wording issue at layouts/iscm/text\.yaml:24, "
            r"its \{\{ issue_roman \}\} issue at .*data/2020\.yaml:6\)",
        ),
        ("January", "February", r"the period, written as .*, at .*data/2020\.yaml:7\)"),
        (
            "International Partnerships Division",
            "Partnerships Division",
            r"written: publisher\.division at .*data/bulletin\.yaml:11\)",
        ),
        (
            "E-mail: ",
            "Email: ",
            r"the wording email at layouts/iscm/text\.yaml:25, "
            r"then publisher\.email at .*data/bulletin\.yaml:12\)",
        ),
        ("Highlights", "Highlight", r"written: title at .*data/bulletin\.yaml:3\)"),
        (
            "main events in",
            "main events of",
            r"the wording events_heading at layouts/iscm/text\.yaml:5, "
            r"its \{\{ year \}\} year at .*data/2020\.yaml:5\)",
        ),
        (
            "Global Initiatives",
            "Global initiatives",
            r"the wording initiatives_caption at layouts/iscm/text\.yaml:10\)",
        ),
        (
            "Thematic area",
            "Theme",
            r"the wording areas_header\[1\] at layouts/iscm/text\.yaml:13\)",
        ),
        (
            "Bali Process, Quito Process",
            "Bali, Quito Process",
            r"the ISCMs of this row: thematic_areas\[12\]\.mechanisms at .*data/2020\.yaml:238",
        ),
        (
            "Abu Dhabi Dialogue",
            "Abu Dhabi Dialog",
            r"the name of ADD at .*data/mechanisms\.yaml:12\)",
        ),
        (
            "2020 Publications",
            "Publications 2020",
            r"the wording publications_heading at layouts/iscm/text\.yaml:22, "
            r"its \{\{ year \}\} year at .*data/2020\.yaml:5\)",
        ),
    ],
)
def test_each_generated_text_is_reported_with_where_to_change_it(
    project: Path, old: str, new: str, where: str
) -> None:
    before = (project / "data" / "2020.yaml").read_bytes()
    edit(project / DOCX, old, new)
    result = pull(project, "--apply")
    assert result.exit_code == 1, result.output
    assert "but that text is not from the data (change it where it is written: " in result.output
    assert re.search(where, result.output), result.output
    assert (project / "data" / "2020.yaml").read_bytes() == before


@pytest.mark.parametrize("depth", [0, 12])
def test_an_edited_footer_is_reported_with_where_to_change_it(project: Path, depth: int) -> None:
    """Every place named, however deep the project's folder (the hint was clipped at 300
    characters, which cut the last place off under a long path)."""
    if depth:
        deep = project.joinpath(*["a-folder-with-a-long-name"] * depth)
        deep.mkdir(parents=True)
        for name in ("data", DOCX):
            (project / name).rename(deep / name)
        project = deep
    edit_footer(project / DOCX, "Issue VI", "Issue 6")
    result = pull(project)
    assert result.exit_code == 1, result.output
    assert re.search(
        r'the footer ".*Highlights · Issue VI" was changed to ".*Highlights · Issue 6", but '
        r"it is not from the data \(change it where it is written: the wording "
        r"footer at layouts/iscm/text\.yaml:26, its \{\{ title \}\} title at "
        r".*data/bulletin\.yaml:3, its \{\{ issue_roman \}\} issue at .*data/2020\.yaml:6\)",
        result.output,
    ), result.output


@pytest.mark.parametrize(
    ("old", "new"),
    [("“Highlights”", "‘Highlights’"), ("“Highlights” ·", "“Highlights”·")],
)
def test_an_edited_quote_in_the_footer_is_noticed(
    built: Path, tmp_path: Path, old: str, new: str
) -> None:
    """Wording compares quotes as the issue's language sets them (in English ‘x’ is not “x”,
    and no space is set beside a quote, so one deleted there is an edit)."""
    data = tmp_path / "data"
    shutil.copytree(built / "data", data)
    settings = data / "bulletin.yaml"
    settings.write_text(settings.read_text().replace("{year} Highlights", '{year} "Highlights"'))
    build(data, YEAR, "iscm", tmp_path / "out", ("docx",), lambda line: None)
    shutil.copy(tmp_path / "out" / DOCX, tmp_path / DOCX)
    edit_footer(tmp_path / DOCX, old, new)
    result = pull(tmp_path)
    assert result.exit_code == 1, result.output
    assert f'was changed to "ISCM 2020 {new}' in result.output


def test_edited_punctuation_between_an_events_parts_is_not_data(project: Path) -> None:
    edit(project / DOCX, "Rabat, Morocco", "Rabat, Morocco;")  # the comma after is wording
    document = docx.Document(str(project / DOCX))
    assert "Morocco;" in "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))
    result = pull(project)
    assert result.exit_code == 0, result.output  # inside the place's mark: the place changed
    assert 'place: "Rabat, Morocco" -> "Rabat, Morocco;"' in result.output


def tracked(path: Path, change: str) -> None:
    """Wrap the first run of the first Event paragraph in a pending tracked change."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.style.name == "Event")
    run = paragraph._p.r_lst[0]
    wrapper = run.makeelement(qn(f"w:{change}"), {qn("w:id"): "900", qn("w:author"): "Ed"})
    run.addprevious(wrapper)
    wrapper.append(run)
    if change == "del":
        for text in run.iter(qn("w:t")):
            text.tag = qn("w:delText")
    document.save(str(path))


@pytest.mark.parametrize("change", ["ins", "del"])
def test_pending_tracked_changes_are_refused(project: Path, change: str) -> None:
    tracked(project / DOCX, change)
    result = pull(project)
    assert result.exit_code == 1
    assert f'a tracked change ({change}) is pending in "8th Ministerial' in result.output or (
        change == "del" and "a tracked change (del) is pending in" in result.output
    )
    assert "accept or reject the tracked changes" in result.output


def test_comments_are_refused_and_listed(project: Path) -> None:
    document = docx.Document(str(project / DOCX))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("8th Ministerial"))
    document.add_comment(paragraph.runs, text="Check the name", author="Ana")
    document.save(str(project / DOCX))
    result = pull(project)
    assert result.exit_code == 1
    assert 'a comment by Ana on "8th Ministerial Conference' in result.output
    assert '"Check the name"' in result.output


def test_a_file_bulletin_did_not_make_is_refused(project: Path) -> None:
    other = docx.Document()
    other.add_paragraph("Minutes of the meeting")
    other.save(str(project / DOCX))
    result = pull(project)
    assert result.exit_code == 1
    assert "not made by bulletin" in result.output


def test_a_file_of_another_year_is_refused(project: Path) -> None:
    result = CliRunner().invoke(
        main, ["pull", "2021", str(project / DOCX), "--data", str(project / "data")]
    )
    assert result.exit_code == 1
    assert "this Word file is the 2020 issue, not 2021" in result.output


def test_a_file_that_is_no_word_file_is_refused(project: Path) -> None:
    (project / DOCX).write_text("not a zip")
    result = pull(project)
    assert result.exit_code == 1
    assert "not a Word file" in result.output


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda path: path.mkdir(), "is a folder, not a file"),
        (lambda path: path.symlink_to("/dev/zero"), "is not a regular file"),
        (lambda path: None, "file not found"),
    ],
)
def test_a_path_that_is_no_file_says_what_it_is(
    project: Path, make: Callable[[Path], None], why: str
) -> None:
    (project / DOCX).unlink(missing_ok=True)
    make(project / DOCX)
    result = pull(project)
    assert result.exit_code == 1
    assert f"{project / DOCX}:1:1: {why}" in result.output


def without_ledger(path: Path, properties: bool = False) -> None:
    """The file as LibreOffice leaves it after .odt: custom XML parts (an earlier build's
    ledger part) gone, properties kept (`properties`: the ledger's properties gone too, as in
    a file of an older bulletin)."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist() if "customXml" not in n}
    rels = members["word/_rels/document.xml.rels"].decode()
    members["word/_rels/document.xml.rels"] = re.sub(
        r"<Relationship [^>]*customXml[^>]*/>", "", rels
    ).encode()
    if properties:
        custom = members["docProps/custom.xml"].decode()
        members["docProps/custom.xml"] = re.sub(
            r'<property [^>]*name="bulletin\.ledger\.\d+".*?</property>', "", custom
        ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_file_without_its_ledger_part_still_compares_three_ways(project: Path) -> None:
    data = project / "data" / "2020.yaml"
    data.write_text(data.read_text().replace("Rabat, Morocco", "Rabat, MOROCCO"))
    edit(project / DOCX, SUMMARY, EDITED)
    without_ledger(project / DOCX)  # the ledger is also in the custom properties
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert "place" not in result.output
    after = data.read_text(encoding="utf-8")
    assert "Rabat, MOROCCO" in after and EDITED in after


def test_a_file_that_lost_its_ledger_pulls_while_the_data_is_unchanged(project: Path) -> None:
    edit(project / DOCX, SUMMARY, EDITED)
    without_ledger(project / DOCX, properties=True)
    result = pull(project)
    assert result.exit_code == 0, result.output
    assert "events.5+5[1].summary" in result.output
    data = project / "data" / "2020.yaml"
    data.write_text(data.read_text().replace("virtual", "online", 1))
    refused = pull(project)
    assert refused.exit_code == 1
    assert "lost its record of the data it was built from" in refused.output


def test_a_ledger_in_properties_that_is_not_the_recorded_datas_is_not_used(project: Path) -> None:
    without_ledger(project / DOCX)
    with zipfile.ZipFile(project / DOCX) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    custom = members["docProps/custom.xml"].decode()
    members["docProps/custom.xml"] = re.sub(  # another build's record of the data
        r"(bulletin\.data\".*?data/2020\.yaml )[0-9a-f]+", r"\g<1>0123456789abcdef", custom
    ).encode()
    with zipfile.ZipFile(project / DOCX, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert read_edited(project / DOCX).ledger is None
    result = pull(project)
    assert result.exit_code == 1
    assert "lost its record of the data it was built from" in result.output
    assert "Traceback" not in result.output


# -- carrying an edit into the data's own text ------------------------------------------


@pytest.mark.parametrize(
    ("source", "shown", "edited", "expected"),
    [
        ("a **bold** word", "a bold word", "a bold new word", "a **bold** new word"),
        (
            "see [the report](https://x.org) now",
            "see the report now",
            "see the new report now",
            "see [the new report](https://x.org) now",
        ),
        (
            'the "Rabat" process',
            "the “Rabat” process",
            "the “Rabat” processes",
            'the "Rabat" processes',
        ),
        (
            "folded\nacross  lines",
            "folded across lines",
            "folded across two lines",
            "folded\nacross  two lines",
        ),
        ("*italic* start", "italic start", "italic end", "*italic* end"),
    ],
)
def test_an_edit_keeps_the_datas_markup_and_quotes(
    source: str, shown: str, edited: str, expected: str
) -> None:
    assert carry(source, shown, edited) == expected


@pytest.mark.parametrize(
    "source",
    ["heights of 5'3 were taken", '12" records were found', "6'2\" *tall* men were 'seen'"],
)
def test_an_edit_beside_a_prime_keeps_the_datas_straight_quotes(source: str) -> None:
    """A straight quote after a digit shows as a prime (5'3 as 5′3, 12" as 12″)."""
    shown = inline.typographic(inline.plain(source))
    assert shown != inline.plain(source)
    assert carry(source, shown, shown.replace("were", "are")) == source.replace("were", "are")


def pulled_after(
    built: Path, project: Path, typed: tuple[str, str, str], shown: tuple[str, str]
) -> tuple[Path, Result]:
    """In a copy of the built project's data, `typed` (file name, old, new) written, the
    Word file built from it and its text `shown` (old, new) edited, then pulled with
    --apply: the data file and the pull's result."""
    data = project / "data"
    shutil.copytree(built / "data", data)
    name, old, new = typed
    changed = data / name
    changed.write_text(changed.read_text().replace(old, new))
    build(data, YEAR, "iscm", project / "out", ("docx",), lambda line: None)
    shutil.copy(project / "out" / DOCX, project / DOCX)
    edit(project / DOCX, *shown)
    return changed, pull(project, "--apply")


def test_a_pulled_edit_beside_a_prime_comes_back(built: Path, tmp_path: Path) -> None:
    typed = ("2020.yaml", SUMMARY, f"{SUMMARY} of 5'3 and 12\" size")
    year, result = pulled_after(built, tmp_path, typed, ("5′3 and 12″ size", "5′3 and 12″ sizes"))
    assert result.exit_code == 0, result.output
    assert f"{SUMMARY} of 5'3 and 12\" sizes on migration" in year.read_text()


def test_an_edited_setting_with_a_prime_is_reported_with_where_to_change_it(
    built: Path, tmp_path: Path
) -> None:
    division = "International Partnerships Division"
    typed = ("bulletin.yaml", division, f"{division} of 5'3\" desks")
    shown = ("Division of 5′3″ desks", "Division of 5′3″ tables")
    _, result = pulled_after(built, tmp_path, typed, shown)
    assert result.exit_code == 1, result.output
    assert re.search(r"written: publisher\.division at .*data/bulletin\.yaml:11\)", result.output)


def test_an_edit_that_would_read_as_markup_is_not_guessed() -> None:
    assert carry("a **bold** word", "a bold word", "a bold *new* word") is None


def test_the_excerpt_shows_the_change_with_some_context() -> None:
    old = "one two three four five six seven eight nine ten eleven twelve thirteen"
    new = old.replace("seven", "SEVEN")
    before, after = excerpt(old, new)
    assert before.startswith("...") and before.endswith("...") and "seven" in before
    assert after == before.replace("seven", "SEVEN")


# -- through a real open-and-save in LibreOffice -----------------------------------------

EDITS = (  # (shown before, shown after, the data's line after --apply)
    (SUMMARY, EDITED, EDITED),
    ("Rabat, Morocco", "Rabat (Morocco)", "place: Rabat (Morocco)"),
    ("30th anniversary of OCAM", "Thirtieth anniversary of OCAM", "OCAM: Thirtieth anniversary"),
    ("22 ISCMs participated.", "Twenty-two ISCMs participated.", '"Twenty-two ISCMs participated.'),
    ("Summary Report of the High-level", "Report of the High-level", "title: Report of the High"),
)


LINKED = "realization"  # a word of a summary an editor makes a link
ADDED = (  # the event an editor adds after the ADD's, as the data gets it
    "    - title: Youth Forum\n      dates: 2020-05-05\n      place: virtual\n"
    "      summary: heard youth.\n"
)


@pytest.fixture(scope="module")
def saved_by_libreoffice(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The edited Word file after LibreOffice saved it as .docx, after .odt then .docx (one
    soffice call for each kind of conversion), and saved as .docx then without its marks."""
    soffice = real_client("soffice")
    folder = tmp_path_factory.mktemp("libreoffice")
    edited = folder / DOCX
    shutil.copy(built / "out" / DOCX, edited)
    for before, after, _ in EDITS:
        edit(edited, before, after)
    link(edited, LINKED, PARTNERS)
    add_event(edited, "GFMD-ADD Regional", "Youth Forum", ", 5 May, virtual, heard youth.")
    profile = f"-env:UserInstallation=file://{folder / 'profile'}"

    def convert(kind: str, source: Path, out: Path) -> Path:
        subprocess.run(
            [
                soffice,
                profile,
                "--headless",
                "--convert-to",
                kind,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=240,
        )
        return out / f"{source.stem}.{kind}"

    odt = convert("odt", edited, folder / "odt")
    saved = convert("docx", edited, folder / "docx")
    unmarked = folder / "unmarked" / DOCX  # saved by LibreOffice, then its marks removed
    unmarked.parent.mkdir()
    shutil.copy(saved, unmarked)
    strip_marks(unmarked)
    return {"docx": saved, "odt": convert("docx", odt, folder / "odt-docx"), "unmarked": unmarked}


@pytest.mark.parametrize("route", ["docx", "odt"])
def test_edits_saved_by_libreoffice_come_back_and_reach_both_pdfs(
    route: str, saved_by_libreoffice: dict[str, Path], built: Path, tmp_path: Path
) -> None:
    shutil.copytree(built / "data", tmp_path / "data")
    shutil.copy(saved_by_libreoffice[route], tmp_path / DOCX)
    result = pull(tmp_path, "--apply")
    assert result.exit_code == 0, result.output
    assert len([line for line in result.output.splitlines() if " -> " in line]) == len(EDITS) + 1
    data = (tmp_path / "data" / "2020.yaml").read_text(encoding="utf-8")
    for _, _, line in EDITS:
        assert line in data
    assert f"cooperation for the [{LINKED}]({PARTNERS}) of migration-related" in data
    assert 'events.ADD[2]: new event proposed: title: "Youth Forum"' in result.output
    assert f"in the ADD Region.\n{ADDED}\n  Almaty:" in data
    pdftotext = real_client("pdftotext")
    out = tmp_path / "out"
    build(tmp_path / "data", YEAR, "iscm", out, ("pdf", "print"), lambda line: None)
    for pdf in sorted(out.glob("*.pdf")):
        text = squeezed(pdf_text(pdf, pdftotext))
        for _, after, _ in EDITS:
            assert squeezed(after) in text, (pdf.name, after)


@pytest.mark.parametrize("route", ["docx", "odt"])
def test_libreoffice_copies_compare_three_ways(
    route: str, saved_by_libreoffice: dict[str, Path], built: Path, tmp_path: Path
) -> None:
    """The data as built comes back from the file's properties, which LibreOffice keeps (also
    through .odt): a change made in the data since the build is never reverted."""
    shutil.copytree(built / "data", tmp_path / "data")
    shutil.copy(saved_by_libreoffice[route], tmp_path / DOCX)
    data = tmp_path / "data" / "2020.yaml"
    since = "featured a discussion on life strategies and mobility of youth in Central Asia."
    assert since in data.read_text(encoding="utf-8")
    data.write_text(data.read_text(encoding="utf-8").replace(since, "discussed youth mobility."))
    result = pull(tmp_path, "--apply")
    assert result.exit_code == 0, result.output
    assert "Almaty" not in result.output  # the data's own change is not an edit of the file
    after = data.read_text(encoding="utf-8")
    assert "summary: discussed youth mobility." in after and since not in after
    for _, _, line in EDITS:
        assert line in after


@pytest.mark.parametrize("route", ["docx", "odt"])
def test_libreoffice_copies_report_a_value_changed_on_both_sides(
    route: str, saved_by_libreoffice: dict[str, Path], built: Path, tmp_path: Path
) -> None:
    shutil.copytree(built / "data", tmp_path / "data")
    shutil.copy(saved_by_libreoffice[route], tmp_path / DOCX)
    data = tmp_path / "data" / "2020.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("Rabat, Morocco", "Rabat, MOROCCO"))
    before = data.read_bytes()
    result = pull(tmp_path, "--apply")
    assert result.exit_code == 1, result.output
    assert re.search(
        r"data/2020\.yaml:17:14: events\.5\+5\[1\]\.place: changed both in the data since "
        r'the build \("Rabat, MOROCCO"\) and in the Word file \("Rabat \(Morocco\)"\)',
        result.output,
    ), result.output
    assert "nothing was written" in result.output
    assert data.read_bytes() == before


def test_a_copy_without_marks_saved_by_libreoffice_is_matched_by_order_and_style(
    saved_by_libreoffice: dict[str, Path], built: Path, tmp_path: Path
) -> None:
    shutil.copytree(built / "data", tmp_path / "data")
    shutil.copy(saved_by_libreoffice["unmarked"], tmp_path / DOCX)
    assert not read_edited(tmp_path / DOCX).marks
    result = pull(tmp_path, "--apply")
    assert result.exit_code == 0, result.output
    assert len([line for line in result.output.splitlines() if " -> " in line]) == len(EDITS) + 1
    data = (tmp_path / "data" / "2020.yaml").read_text(encoding="utf-8")
    for _, _, line in EDITS:
        assert line in data
    assert f"cooperation for the [{LINKED}]({PARTNERS}) of migration-related" in data
    assert f"in the ADD Region.\n{ADDED}\n  Almaty:" in data  # placed by its neighbours


def squeezed(text: str) -> str:
    """Text without spaces and hyphens: a PDF line may break a word at a hyphen."""
    return re.sub(r"[\s\u00ad\u2010\u2011-]", "", text)


def test_a_value_replaced_whole_drops_its_markup() -> None:
    assert carry("**all** of *it*", "all of it", "nothing") == "nothing"


# -- random single edits of random valid bulletins --------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÀÉÎÖÜçñłœšž0123456789", min_size=1, max_size=12)


def set_mark_text(path: Path, name: str, text: str) -> None:
    """Put `text` in the first run inside bookmark `name` and empty its other runs."""
    document = docx.Document(str(path))
    inside, first = False, True
    body = document.element.body
    for node in body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:t")):
        if node.tag == qn("w:bookmarkStart") and node.get(qn("w:name")) == name:
            inside, ident = True, node.get(qn("w:id"))
        elif node.tag == qn("w:bookmarkEnd") and inside and node.get(qn("w:id")) == ident:
            break
        elif node.tag == qn("w:t") and inside:
            node.text, first = (text if first else ""), False
    document.save(str(path))


def edited_text(shown: str, kind: str, word: str, at: int) -> str:
    words = re.findall(r"\S+", shown)
    if kind == "replace" or len(words) < 2:
        return word
    where = at % len(words)
    if kind == "delete":
        return " ".join(words[:where] + words[where + 1 :])
    return " ".join([*words[:where], word, *words[where:]])


def value_at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    mechanisms=st.integers(1, 4),
    events=st.integers(1, 3),
    pick=st.integers(0, 10**6),
    kind=st.sampled_from(["replace", "insert", "delete"]),
    word=WORD,
)
def test_a_random_edit_of_a_random_bulletin_comes_back_exactly(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    mechanisms: int,
    events: int,
    pick: int,
    kind: str,
    word: str,
) -> None:
    folder = write_data(tmp_path_factory.mktemp("data"), bulletin_data(seed, mechanisms, events))
    build(folder, YEAR, "iscm", folder / "out", ("docx",), lambda line: None)
    path = next((folder / "out").glob("*.docx"))
    ledger = read_edited(path).ledger
    assert ledger is not None
    names = [n for n, m in ledger["marks"].items() if is_text_value(tuple(m["path"]))]
    name = names[pick % len(names)]
    key_path, shown = tuple(ledger["marks"][name]["path"]), ledger["marks"][name]["text"]
    new = edited_text(shown, kind, word, pick)
    assume(" ".join(new.split()) != " ".join(shown.split()))
    set_mark_text(path, name, new)
    original = (folder / "2020.yaml").read_text(encoding="utf-8")
    before = yaml.load(original, yaml.BaseLoader)
    result = CliRunner().invoke(main, ["pull", YEAR, str(path), "--data", str(folder), "--apply"])
    assert result.exit_code == 0, result.output
    changes = [line for line in result.output.splitlines() if " -> " in line]
    assert len(changes) == 1 and f" {format_path(key_path)}: " in changes[0], result.output
    after = yaml.load((folder / "2020.yaml").read_text(encoding="utf-8"), yaml.BaseLoader)
    # the data keeps its own straight quotes where Word showed typographic ones
    assert loose(inline.plain(value_at(after, key_path)), ENGLISH) == loose(new, ENGLISH)
    parent = value_at(after, key_path[:-1])
    parent[key_path[-1]] = value_at(before, key_path)
    assert after == before  # nothing else changed
    changed = (folder / "2020.yaml").read_text(encoding="utf-8")
    blocks = difflib.SequenceMatcher(
        None, original.splitlines(), changed.splitlines()
    ).get_opcodes()
    edited = [b for b in blocks if b[0] != "equal"]
    assert len(edited) == 1  # the value's own lines; every other line byte for byte


# -- bold, italic and links the editor added or removed ----------------------------------


def restyle(path: Path, word: str, style: str | None) -> None:
    """Give one word of a run its own run in a character style (None: no style), as an
    editor selecting it and pressing Ctrl+B (or removing the bold) leaves it."""
    document = docx.Document(str(path))
    for text in document.element.body.iter(qn("w:t")):
        if text.text and re.search(rf"\b{re.escape(word)}\b", text.text):
            break
    else:
        raise AssertionError(f"{word!r} is not in {path}")
    run = text.getparent()
    head, _, tail = text.text.partition(word)
    for part, part_style in ((tail, "keep"), (word, style)):
        new = copy.deepcopy(run)
        new.find(qn("w:t")).text = part
        new.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if part_style != "keep":
            props = new.find(qn("w:rPr"))
            if props is not None:
                new.remove(props)
            if part_style is not None:
                props = new.makeelement(qn("w:rPr"), {})
                props.append(new.makeelement(qn("w:rStyle"), {qn("w:val"): part_style}))
                new.insert(0, props)
        run.addnext(new)
    text.text = head
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    document.save(str(path))


def test_bold_added_in_word_comes_back_as_markup(project: Path) -> None:
    restyle(project / DOCX, "partnership", "Strong")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    data = (project / "data" / "2020.yaml").read_text(encoding="utf-8")
    assert "summary: addressed shared responsibility and **partnership** on migration" in data


def test_italic_added_in_word_comes_back_as_markup(project: Path) -> None:
    restyle(project / DOCX, "COVID-19", "Emphasis")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.count(" -> ") == 1, result.output
    assert "*COVID-19*" in (project / "data" / "2020.yaml").read_text(encoding="utf-8")


def test_bold_removed_in_word_leaves_the_markup(project: Path) -> None:
    restyle(project / DOCX, "webinars", None)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    data = (project / "data" / "2020.yaml").read_text(encoding="utf-8")
    assert "- text: Two webinars discussed COVID-19 and migration, and a third" in data


# -- new events ---------------------------------------------------------------------------


def add_event(path: Path, after: str, title: str, rest: str) -> None:
    """Add a paragraph in the Event style after the one starting with `after`, its title in
    the Event Title style, as an editor pressing Enter at the end of an event would."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(after))
    added = copy.deepcopy(paragraph._p)
    for child in list(added):
        if child.tag != qn("w:pPr"):
            added.remove(child)
    paragraph._p.addnext(added)
    new = docx.text.paragraph.Paragraph(added, paragraph._parent)
    new.add_run(title, style="Event Title")
    new.add_run(rest)
    document.save(str(path))


def test_a_new_event_is_proposed_in_the_datas_form_and_written_only_with_apply(
    project: Path,
) -> None:
    data = project / "data" / "2020.yaml"
    before = lines_of(data)
    add_event(project / DOCX, "8th Ministerial", "Youth Forum", ", 5 May, virtual, heard youth.")
    shown = pull(project)
    assert shown.exit_code == 0, shown.output
    assert re.search(
        r"data/2020\.yaml:15:7: events\.5\+5\[2\]: new event proposed: "
        r'title: "Youth Forum", dates: 2020-05-05, place: "virtual", summary: "heard youth\."',
        shown.output,
    ), shown.output
    assert lines_of(data) == before
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    after = lines_of(data)
    assert after[:18] == before[:18] and after[22:] == before[18:]  # four lines added
    assert after[18:22] == [
        b"    - title: Youth Forum\n",
        b"      dates: 2020-05-05\n",
        b"      place: virtual\n",
        b"      summary: heard youth.\n",
    ]
    again = pull(project)
    assert again.exit_code == 0 and "nothing to pull" in again.output, again.output
    build(project / "data", YEAR, "iscm", project / "out", ("docx",), lambda line: None)
    rebuilt = docx.Document(str(project / "out" / DOCX))
    shown_now = [" ".join(p.text.split()) for p in rebuilt.paragraphs]  # 5 May is tied
    assert "Youth Forum, 5 May, virtual, heard youth." in shown_now


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        (
            ", 6, 9 and 13 July, Geneva, Switzerland, agreed on a **work plan**.",
            {
                "title": "Youth Forum",
                "dates": ["2020-07-06", "2020-07-09", "2020-07-13"],
                "place": "Geneva, Switzerland",
                "summary": "agreed on a **work plan**.",
            },
        ),
        (
            ", 30 November – 2 December, Cairo, Egypt.",
            {"title": "Youth Forum", "dates": "2020-11-30/2020-12-02", "place": "Cairo, Egypt"},
        ),
        (
            ", 1–2 March, discussed youth, work and health.",
            {
                "title": "Youth Forum",
                "dates": "2020-03-01/2020-03-02",
                "summary": "discussed youth, work and health.",
            },
        ),
        (
            ", sometime in spring, heard youth.",
            {"text": "**Youth Forum**, sometime in spring, heard youth."},
        ),
        (", 31 February, heard youth.", {"text": "**Youth Forum**, 31 February, heard youth."}),
    ],
)
def test_a_new_events_keys_are_read_from_its_words(
    project: Path, rest: str, expected: dict
) -> None:
    data = project / "data" / "2020.yaml"
    text = data.read_text(encoding="utf-8")
    add_event(project / DOCX, "8th Ministerial", "Youth Forum", rest.replace("**", ""))
    if "**" in rest:
        restyle(project / DOCX, "work plan", "Strong")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert "new event proposed" in result.output
    assert ("proposed as free text" in result.output) == ("text" in expected)
    after = yaml.load(data.read_text(encoding="utf-8"), yaml.BaseLoader)
    assert after["events"]["5+5"][1] == expected
    diff = difflib.ndiff(text.splitlines(), data.read_text(encoding="utf-8").splitlines())
    assert not [line for line in diff if line.startswith("- ")]  # lines only added
    build(project / "data", YEAR, "iscm", project / "out", ("docx",), lambda line: None)


def test_two_new_events_keep_their_order_and_the_comments(project: Path) -> None:
    data = project / "data" / "2020.yaml"
    before = data.read_text(encoding="utf-8")
    add_event(project / DOCX, "National Stakeholder", "Second", ", 8 May, virtual, two.")
    add_event(project / DOCX, "National Stakeholder", "First", ", 7 May, virtual, one.")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert 'events.AU-HoAI[3]: new event proposed: title: "First"' in result.output
    assert 'events.AU-HoAI[4]: new event proposed: title: "Second"' in result.output
    events = yaml.load(data.read_text(encoding="utf-8"), yaml.BaseLoader)["events"]["AU-HoAI"]
    assert [e.get("title") for e in events] == [
        "2nd Virtual Technical Meeting",
        "National Stakeholder Workshop",
        "First",
        "Second",
        "Technical Workshop",
    ]
    removed = [
        line
        for line in difflib.ndiff(before.splitlines(), data.read_text().splitlines())
        if line.startswith("- ")
    ]
    assert removed == []  # every line as it was, the comment about the workshops too


# -- a paragraph that lost its marks -----------------------------------------------------


def drop_marks(path: Path, starting: str) -> None:
    """Remove our bookmarks from the paragraph starting with `starting` (as a copy and
    paste of the whole paragraph may leave it)."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(starting))
    for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
        for mark in paragraph._p.findall(qn(tag)):
            paragraph._p.remove(mark)
    document.save(str(path))


def test_a_paragraph_that_lost_its_marks_is_matched_by_order_and_style(project: Path) -> None:
    edit(project / DOCX, SUMMARY, EDITED)
    drop_marks(project / DOCX, "8th Ministerial")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert "events.5+5[1].summary" in result.output
    assert EDITED in (project / "data" / "2020.yaml").read_text(encoding="utf-8")


def test_a_paragraph_that_lost_its_marks_and_changed_its_wording_is_refused(
    project: Path,
) -> None:
    document = docx.Document(str(project / DOCX))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("8th Ministerial"))
    assert paragraph.runs[1].text == ", "  # the wording between the title and the dates
    paragraph.runs[1].text = " — "
    document.save(str(project / DOCX))
    drop_marks(project / DOCX, "8th Ministerial")
    result = pull(project)
    assert result.exit_code == 1
    assert "but that text is not from the data" in result.output


def test_an_edited_chart_is_reported_with_where_to_change_it(project: Path) -> None:
    path = project / DOCX
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    chart = members["word/charts/chart1.xml"].decode()
    members["word/charts/chart1.xml"] = re.sub(
        r"(<c:val>.*?<c:v>)\d+(</c:v>)", r"\g<1>99\g<2>", chart, count=1, flags=re.S
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    result = pull(project)
    assert result.exit_code == 1
    assert "the chart was changed in the Word file, but bulletin draws it" in result.output
    assert re.search(r"change the rows of thematic_areas at .*data/2020\.yaml:\d+", result.output)


# -- one at a time: a build and an apply -------------------------------------------------


def test_apply_waits_for_a_build_holding_the_output_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import commit

    data = project / "data" / "2020.yaml"
    before = data.read_bytes()
    edit(project / DOCX, SUMMARY, EDITED)
    monkeypatch.setattr(commit, "LOCK_WAIT", 0.5)
    with commit.OutputFolder(project / "out", lambda line: None):  # a build writing
        result = pull(project, "--apply", "--output", str(project / "out"))
    assert result.exit_code == 1, result.output
    assert "another build has been writing into this folder" in result.output
    assert data.read_bytes() == before
    assert "nothing was written" in result.output
    done = pull(project, "--apply", "--output", str(project / "out"))  # the build has ended
    assert done.exit_code == 0, done.output
    assert EDITED in data.read_text(encoding="utf-8")


def test_apply_writes_once_the_build_has_ended(project: Path) -> None:
    import threading

    from generator import commit

    data = project / "data" / "2020.yaml"
    edit(project / DOCX, SUMMARY, EDITED)
    results: list[Result] = []
    holding = commit.OutputFolder(project / "output" / YEAR, lambda line: None)
    with holding:
        waiting = threading.Thread(
            target=lambda: results.append(pull(project, "--apply", "--output", str(holding.path)))
        )
        waiting.start()
        waiting.join(1.0)
        assert waiting.is_alive() and EDITED not in data.read_text(encoding="utf-8")
    waiting.join(30)
    assert results and results[0].exit_code == 0, results and results[0].output
    assert EDITED in data.read_text(encoding="utf-8")


def test_a_build_reads_the_data_only_once_it_holds_the_output_folder(project: Path) -> None:
    """An apply that ends while a build waits for the folder is in what the build writes."""
    import threading

    from generator import commit

    data = project / "data" / "2020.yaml"
    out = project / "out"
    errors: list[BaseException] = []

    def build_now() -> None:
        try:
            build(project / "data", YEAR, "iscm", out, ("docx",), lambda line: None)
        except BaseException as error:  # shown by the assertion below
            errors.append(error)

    with commit.OutputFolder(out, lambda line: None):  # an apply writing the data
        building = threading.Thread(target=build_now)
        building.start()
        building.join(1.0)
        assert building.is_alive()
        data.write_text(data.read_text(encoding="utf-8").replace(SUMMARY, EDITED))
    building.join(60)
    assert not errors, errors
    shown = " ".join(p.text for p in docx.Document(str(out / DOCX)).paragraphs)
    assert EDITED in shown


def test_apply_leaves_no_folder_it_made_only_for_the_lock(project: Path) -> None:
    edit(project / DOCX, SUMMARY, EDITED)
    result = pull(project, "--apply", "--output", str(project / "output" / YEAR))
    assert result.exit_code == 0, result.output
    assert not (project / "output").exists()


# -- new items written into the YAML text -------------------------------------------------

LISTED = """events:
  A:  # the first
    - title: One   # one
      dates: 2020-01-01

    # about two
    - title: Two
      dates: [2020-02-01, 2020-02-03]
  B: [{text: x}]
other: 1"""
RECORD = {"title": "New: thing", "dates": "2020-03-01", "summary": "*x* y"}
RECORD_LINES = '    - title: "New: thing"\n      dates: 2020-03-01\n      summary: "*x* y"\n'


@pytest.mark.parametrize(("position", "line"), [(0, 2), (1, 4), (2, 8)])
def test_a_new_item_is_written_as_lines_of_its_own(position: int, line: int) -> None:
    from generator.roundtrip import insert_item

    written = insert_item(LISTED, ("events", "A", position), RECORD)
    lines = LISTED.splitlines(keepends=True)
    expected = "".join(lines[:line]) + RECORD_LINES + "".join(lines[line:])
    assert written == expected
    assert yaml.safe_load(written)["events"]["A"][position]["title"] == "New: thing"


def test_a_new_item_is_not_written_into_a_list_in_flow_style() -> None:
    from generator.roundtrip import NotBlockList, insert_item

    with pytest.raises(NotBlockList):
        insert_item(LISTED, ("events", "B", 1), RECORD)


# -- links the editor added, removed or pointed elsewhere --------------------------------

PARTNERS = "https://example.org/partners"


def link(path: Path, word: str, url: str) -> None:
    """Make one word of a run a link, as an editor selecting it and pressing Ctrl+K does."""
    restyle(path, word, "Hyperlink")
    document = docx.Document(str(path))
    for text in document.element.body.iter(qn("w:t")):
        if text.text == word:
            break
    else:
        raise AssertionError(f"{word!r} is not a run of {path}")
    run = text.getparent()
    relation = document.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, True)
    wrapper = run.makeelement(qn("w:hyperlink"), {qn("r:id"): relation})
    run.addprevious(wrapper)
    wrapper.append(run)
    document.save(str(path))


def unlink(path: Path, words: str) -> None:
    """Remove the link around `words` (Word's Remove Hyperlink): its runs stay, plain."""
    document = docx.Document(str(path))
    for wrapper in document.element.body.iter(qn("w:hyperlink")):
        if "".join(t.text or "" for t in wrapper.iter(qn("w:t"))) == words:
            break
    else:
        raise AssertionError(f"no link on {words!r} in {path}")
    for run in list(wrapper):
        props = run.find(qn("w:rPr"))
        if props is not None:
            run.remove(props)
        wrapper.addprevious(run)
    wrapper.getparent().remove(wrapper)
    document.save(str(path))


def retarget(path: Path, old: str, new: str) -> None:
    """Point every link to `old` at `new` (Word's Edit Hyperlink)."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    rels = members["word/_rels/document.xml.rels"].decode()
    escaped = old.replace("&", "&amp;")
    assert escaped in rels, old
    members["word/_rels/document.xml.rels"] = rels.replace(escaped, new).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def rebuilt(project: Path, old: str, new: str) -> None:
    """Change the data, and build the Word file again from it."""
    data = project / "data" / "2020.yaml"
    text = data.read_text(encoding="utf-8")
    assert old in text
    data.write_text(text.replace(old, new, 1), encoding="utf-8")
    shutil.rmtree(project / "out", ignore_errors=True)
    build(project / "data", YEAR, "iscm", project / "out", ("docx",), lambda line: None)
    shutil.copy(project / "out" / DOCX, project / DOCX)


def test_a_link_added_in_word_comes_back_as_markup(project: Path) -> None:
    link(project / DOCX, "partnership", PARTNERS)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.count(" -> ") == 1, result.output
    data = (project / "data" / "2020.yaml").read_text(encoding="utf-8")
    assert f"summary: addressed shared responsibility and [partnership]({PARTNERS}) on" in data


def test_a_link_removed_in_word_leaves_the_markup(project: Path) -> None:
    rebuilt(project, "and partnership on", f"and [partnership]({PARTNERS}) on")
    unlink(project / DOCX, "partnership")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    data = (project / "data" / "2020.yaml").read_text(encoding="utf-8")
    assert "summary: addressed shared responsibility and partnership on migration" in data


def test_a_link_pointed_elsewhere_in_word_changes_its_target(project: Path) -> None:
    rebuilt(project, "and partnership on", f"and [partnership]({PARTNERS}) on")
    retarget(project / DOCX, PARTNERS, "https://example.org/other")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    data = (project / "data" / "2020.yaml").read_text(encoding="utf-8")
    assert "and [partnership](https://example.org/other) on migration" in data


def test_a_link_added_to_an_events_title_comes_back_but_not_its_bold(project: Path) -> None:
    link(project / DOCX, "Ministerial", PARTNERS)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    data = (project / "data" / "2020.yaml").read_text(encoding="utf-8")
    assert f"- title: 8th [Ministerial]({PARTNERS}) Conference on Migration" in data


def test_a_publications_link_pointed_elsewhere_changes_its_url(project: Path) -> None:
    old = "https://www.iom.int/fr/high-level-webinars-iscms-and-gcm-regional-review-2020"
    new = "https://www.iom.int/high-level-webinars-iscms-and-gcm-regional-review-2020"
    retarget(project / DOCX, old, new)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert re.search(r"data/2020\.yaml:255:10: publications\[1\]\.url: ", result.output)
    data = lines_of(project / "data" / "2020.yaml")
    assert data[254] == f"    url: {new}\n".encode()


def test_a_publications_link_removed_is_not_pulled(project: Path) -> None:
    unlink(
        project / DOCX,
        "Summary Report of the High-level webinar on ISCMs and the GCM regional reviews",
    )
    result = pull(project, "--apply")
    assert result.exit_code == 1, result.output
    assert re.search(
        r"data/2020\.yaml:253:12: publications\[1\]\.title: the link of this text was removed",
        result.output,
    ), result.output


# -- every mark lost: matched by order and style -----------------------------------------


def strip_marks(path: Path) -> None:
    """Remove every bookmark from the document, as a tool that cleans a file's hidden
    bookmarks (or a copy of the whole text into a new file) leaves it."""
    document = docx.Document(str(path))
    body = document.element.body
    marks = [*body.iter(qn("w:bookmarkStart")), *body.iter(qn("w:bookmarkEnd"))]
    assert len(marks) > 100
    for mark in marks:
        mark.getparent().remove(mark)
    document.save(str(path))


def test_a_file_that_lost_every_mark_is_matched_by_order_and_style(project: Path) -> None:
    for before, after, _ in EDITS:
        edit(project / DOCX, before, after)
    strip_marks(project / DOCX)
    assert not read_edited(project / DOCX).marks
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert len([line for line in result.output.splitlines() if " -> " in line]) == len(EDITS)
    data = (project / "data" / "2020.yaml").read_text(encoding="utf-8")
    for _, _, line in EDITS:
        assert line in data
    again = pull(project)  # the data has the edits now: nothing left to pull
    assert again.exit_code == 0 and "nothing to pull" in again.output, again.output


def test_a_file_that_lost_every_mark_still_refuses_edited_wording(project: Path) -> None:
    edit(project / DOCX, "Global initiatives and thematic areas", "Global initiatives and themes")
    strip_marks(project / DOCX)
    result = pull(project)
    assert result.exit_code == 1
    assert "the wording themes_heading at layouts/iscm/text.yaml" in result.output


# -- a record of the build that is not one -----------------------------------------------


def replace_part(path: Path, name: str, change: Any) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members[name] = change(members[name].decode()).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)


def set_ledger_properties(path: Path, packed: bytes) -> None:
    """Put other packed bytes in the ledger's properties (base64, in chunks, as written)."""
    text = base64.b64encode(packed).decode("ascii")
    chunks = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{90 + n}" '
        f'name="bulletin.ledger.{n:03d}"><vt:lpwstr>{text[i : i + 255]}</vt:lpwstr></property>'
        for n, i in enumerate(range(0, len(text), 255), start=1)
    )
    replace_part(
        path,
        "docProps/custom.xml",
        lambda xml: re.sub(
            r'<property [^>]*name="bulletin\.ledger\.\d+".*?</property>', "", xml
        ).replace("</Properties>", f"{chunks}</Properties>"),
    )


def add_ledger_part(path: Path, body: str) -> None:
    """Add the custom XML part in which earlier builds also kept the ledger."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["customXml/item1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ledger xmlns="urn:bulletin:ledger:1">{escape(body)}</ledger>'
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)


def test_the_ledger_is_kept_once_in_properties_and_read_back_whole(project: Path) -> None:
    """No custom XML part (LibreOffice would drop it); the properties hold the ledger, xz
    compressed, without what it tells again (the paragraphs' texts), which reading restores."""
    from generator.writers.docx.marks import XZ_MAGIC

    with zipfile.ZipFile(project / DOCX) as archive:
        assert not [n for n in archive.namelist() if n.startswith("customXml/")]
    edited = read_edited(project / DOCX)
    chunks = sorted(k for k in edited.properties if k.startswith("bulletin.ledger."))
    packed = base64.b64decode("".join(edited.properties[k] for k in chunks))
    assert packed.startswith(XZ_MAGIC)
    stored = json.loads(lzma.decompress(packed))
    assert all("text" not in paragraph for paragraph in stored["paragraphs"])
    assert all("marks" not in paragraph for paragraph in stored["paragraphs"])
    assert len(stored["marks"]) == sum(count for _, count in stored["names"]) > 100
    assert len(stored["names"]) < 10  # runs of numbers: _b2 to _b9, _b11 to ...
    ledger = edited.ledger
    assert ledger is not None
    event = next(p for p in ledger["paragraphs"] if SUMMARY in p["text"])
    assert event["text"].startswith("8th Ministerial Conference on Migration and Development, ")
    assert len(event["marks"]) == 4
    summary = ledger["marks"][event["marks"][3]]
    assert summary["path"] == ["events", "5+5", 0, "summary"]
    assert summary["text"].startswith("addressed shared responsibility and partnership")


def test_a_file_of_an_earlier_build_still_pulls(project: Path) -> None:
    """Earlier builds kept the ledger whole (with the paragraphs' texts), zlib-compressed in
    the properties and also in a custom XML part: both are read."""
    ledger = read_edited(project / DOCX).ledger
    edit(project / DOCX, SUMMARY, EDITED)  # python-docx drops a part it does not know
    body = json.dumps(ledger, ensure_ascii=True, sort_keys=True)
    set_ledger_properties(project / DOCX, zlib.compress(body.encode(), 9))
    assert read_edited(project / DOCX).ledger == ledger
    add_ledger_part(project / DOCX, body)
    set_ledger_properties(project / DOCX, b"")
    assert read_edited(project / DOCX).ledger == ledger
    data = project / "data" / "2020.yaml"
    data.write_text(data.read_text().replace("Rabat, Morocco", "Rabat, MOROCCO"))
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    after = data.read_text(encoding="utf-8")
    assert "Rabat, MOROCCO" in after and EDITED in after


@pytest.mark.parametrize(
    "ledger",
    [
        "[1, 2, 3]",
        '{"data": 5}',
        '{"data": "year: 2020", "marks": {"_b1": {"path": [], "text": "x"}}, "paragraphs": []}',
        '{"data": "year: 2020", "marks": {}, "paragraphs": [{"style": "Event"}]}',
        '{"data": "", "marks": {"_b1": {"path": ["a"], "text": 1}}, '
        '"paragraphs": [{"style": "Event", "outside": "\\u0000", "marks": ["_b1"]}]}',
        '{"data": "", "marks": [[["a"], "x"]], "names": [[1, 1000000000000]], '
        '"paragraphs": [{"style": "Event", "outside": "\\u0000"}]}',
        '{"data": "", "marks": [[["a"], "x"], [["b"], "y"]], "names": [[1, 1], [1, 1]], '
        '"paragraphs": [{"style": "Event", "outside": "\\u0000\\u0000"}]}',
        '{"data": "", "marks": [[["a"], "x"], [["b"], "y"]], "names": [[1, 2]], '
        '"paragraphs": [{"style": "Event", "outside": "\\u0000"}]}',
        '{"data": "", "marks": [[["a"], "x"]], "names": [[1, 1]], '
        '"paragraphs": [{"style": "Event", "outside": 0}]}',
        '{"data": "", "marks": [[["a"], "x"]], "names": [[1.5, 1]], '
        '"paragraphs": [{"style": "Event", "outside": "\\u0000"}]}',
        "{" * 5000,
    ],
)
def test_a_ledger_of_another_shape_is_not_used(project: Path, ledger: str) -> None:
    """A ledger edited by hand or by a tool (in the properties, or in an earlier build's
    custom XML part): pulled as if lost, never a traceback."""
    edit(project / DOCX, SUMMARY, EDITED)
    set_ledger_properties(project / DOCX, lzma.compress(ledger.encode(), lzma.FORMAT_XZ))
    assert read_edited(project / DOCX).ledger is None
    add_ledger_part(project / DOCX, ledger)
    assert read_edited(project / DOCX).ledger is None
    result = pull(project)
    assert result.exit_code == 0, result.output  # made again: the data has not changed
    assert "events.5+5[1].summary" in result.output


def test_a_ledger_that_unpacks_too_large_is_not_used(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.writers.docx import marks

    assert read_edited(project / DOCX).ledger is not None
    monkeypatch.setattr(marks, "MAX_LEDGER", 1000)
    assert read_edited(project / DOCX).ledger is None
    monkeypatch.undo()  # nor the zlib form of an earlier build
    ledger = read_edited(project / DOCX).ledger
    body = json.dumps(ledger).encode()
    set_ledger_properties(project / DOCX, zlib.compress(body))
    monkeypatch.setattr(marks, "MAX_LEDGER", 1000)
    assert read_edited(project / DOCX).ledger is None


def test_ledger_properties_that_do_not_unpack_are_not_used(project: Path) -> None:
    without_ledger(project / DOCX)
    replace_part(
        project / DOCX,
        "docProps/custom.xml",
        lambda xml: re.sub(r"(bulletin\.ledger\.002\"><vt:lpwstr>)[^<]{10}", r"\1!!!!!!!!!!", xml),
    )
    assert read_edited(project / DOCX).ledger is None
    data = project / "data" / "2020.yaml"
    data.write_text(data.read_text().replace("virtual", "online", 1))
    result = pull(project)
    assert result.exit_code == 1
    assert "lost its record of the data it was built from" in result.output


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Issue VI", r"the wording issue at layouts/iscm/text\.yaml:24, its .* issue at .*:6$"),
        ("January\u202f–\u202fDecember\xa02020", r"the period, .* at .*data/2020\.yaml:7$"),
        ("International Organization for Migration", r"publisher\.organisation at .*:\d+$"),
        ("ISCM 2020\xa0Highlights", r"^title at .*data/bulletin\.yaml:3$"),
    ],
)
def test_the_masthead_is_explained_by_its_words_whatever_its_styles(text: str, where: str) -> None:
    """A masthead laid out anew (paragraphs in other styles) is explained alike."""
    from generator.kinds.iscm.origins import origins
    from generator.sources import load

    explained = origins(DATA, load(DATA / "2020.yaml"), "iscm", "en_GB")
    before = {"style": "Normal", "text": text, "marks": [], "outside": text}
    assert re.search(where, explained.hint({"paragraphs": [before], "marks": {}}, before))


def test_a_value_emptied_in_word_is_not_written_empty(project: Path) -> None:
    data = project / "data" / "2020.yaml"
    before = data.read_bytes()
    edit(project / DOCX, "Rabat, Morocco", "")
    result = pull(project, "--apply")
    assert result.exit_code == 1, result.output
    assert re.search(
        r"data/2020\.yaml:17:14: events\.5\+5\[1\]\.place: this text was deleted in the Word "
        r"file, but a text of the data cannot be empty \(remove events\.5\+5\[1\]\.place",
        result.output,
    ), result.output
    assert data.read_bytes() == before


def test_an_edit_the_data_could_not_hold_is_refused_and_nothing_is_written(
    project: Path,
) -> None:
    """A zero-width space typed in Word (Insert > Symbol) is refused by the data's checks:
    the pull says where, and writes nothing."""
    data = project / "data" / "2020.yaml"
    before = data.read_bytes()
    edit(project / DOCX, "Rabat, Morocco", "Rabat,\u200b Morocco")
    result = pull(project, "--apply")
    assert result.exit_code == 1, result.output
    assert re.search(r"^\S*data/2020\.yaml:17:\d+: .*U\+200B", result.output, re.M), result.output
    assert "bulletin-pull-" not in result.output
    assert "nothing was written" in result.output
    assert data.read_bytes() == before


@pytest.mark.parametrize(
    ("tag", "attribute", "old", "new", "where"),
    [
        (
            "wp:docPr",
            "descr",
            "Bar chart of the 10",
            "Chart of the 10",
            r"the wording chart_alt_brief at layouts/iscm/text\.yaml:21, its \{\{ year \}\} year",
        ),
        (
            "w:tblDescription",
            "w:val",
            "The 18 thematic areas",
            "All 18 thematic areas",
            r"the wording areas_description at layouts/iscm/text\.yaml:16",
        ),
        (
            "w:tblCaption",
            "w:val",
            "Global Initiatives",
            "Initiatives",
            r"the wording initiatives_caption at layouts/iscm/text\.yaml:10",
        ),
    ],
)
def test_edited_alternative_text_is_reported_with_where_to_change_it(
    project: Path, tag: str, attribute: str, old: str, new: str, where: str
) -> None:
    document = docx.Document(str(project / DOCX))
    name = qn(attribute) if ":" in attribute else attribute
    for node in document.element.body.iter(qn(tag)):
        if (node.get(name) or "").startswith(old):
            node.set(name, node.get(name).replace(old, new))
            break
    else:
        raise AssertionError(f"no {tag} starting {old!r}")
    document.save(str(project / DOCX))
    result = pull(project)
    assert result.exit_code == 1, result.output
    assert (
        "the alternative text " in result.output and "but it is not from the data" in result.output
    )
    assert re.search(where, result.output), result.output


def test_a_file_without_marks_names_the_paragraph_deleted_and_keeps_the_others(
    project: Path,
) -> None:
    document = docx.Document(str(project / DOCX))
    gone = next(p for p in document.paragraphs if p.text.startswith("Technical Experts"))
    gone._p.getparent().remove(gone._p)
    document.save(str(project / DOCX))
    edit(project / DOCX, "discussed COVID-19 and migrants", "discussed COVID-19 and all migrants")
    strip_marks(project / DOCX)
    result = pull(project)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    problems = [line for line in lines if ": " in line and " -> " not in line]
    assert len(problems) == 1, result.output  # only the deletion: the paragraphs after it pair
    assert any("all migrants" in line and " -> " in line for line in lines), result.output
    assert re.search(
        r"data/2020\.yaml:27:7: events\.Almaty\[1\]: \"Technical Experts' Meeting, 9 December, "
        r"virtual,.*\" was deleted in the Word file",
        problems[0].replace("’", "'"),
    ), result.output


def test_an_edited_period_beside_the_publishers_line_says_where_to_change_it(
    project: Path,
) -> None:
    """The Word file's masthead shows the period after a tab on the publisher's first line:
    an edit of it is refused, showing the change and where the period is written."""
    edit(project / DOCX, "December\u00a02020", "November\u00a02020")
    result = pull(project)
    assert result.exit_code == 1
    assert "November" in result.output and "not from the data" in result.output
    line = next(
        n
        for n, text in enumerate((project / "data" / "2020.yaml").read_text().splitlines(), 1)
        if text.startswith("period:")
    )
    assert f"2020.yaml:{line}" in result.output


def test_a_masthead_line_of_two_parts_says_where_the_edited_part_is_written(
    project: Path,
) -> None:
    """The masthead's publisher lines carry the period and the issue after a tab: only the
    part the editor changed is explained."""
    edit(project / DOCX, "Issue VI", "Issue VII")
    edit(project / DOCX, "International Organization for Migration", "IOM")
    result = pull(project)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "not from the data" in line]
    assert len(lines) == 2, result.output
    issue = next(line for line in lines if "Issue VII" in line)
    assert "the wording issue at layouts/iscm/text.yaml:24" in issue
    assert "publisher" not in issue and "period" not in issue
    organisation = next(line for line in lines if '"IOM' in line)
    assert re.search(
        r"written: publisher\.organisation at .*data/bulletin\.yaml:\d+\)$", organisation
    )


# -- items moved in the data since the build: found by what they hold, never by position ------

ARCP_FIRST = "    - title: 6th ARCP Meeting\n"
INSERTED = (
    "    - title: Expert Group Meeting\n      dates: 2020-03-03\n      place: virtual\n"
    "      summary: reviewed the work plan.\n"
)
ARCP_EVENT = (
    ARCP_FIRST + "      dates: 2020-07-13\n      place: virtual\n"
    "      summary: discussed COVID-19 and migrants and refugees, as well as the GCM.\n"
)
SOM = (
    "    - title: SOM\n      dates: 2020-06-15/2020-06-16\n      place: Cairo, Egypt\n"
    "      summary: focused on GCM regional review, as well as the GFMD annual theme.\n"
)


def edit_event(path: Path, title: str, old: str, new: str) -> None:
    """Replace text in the event paragraph that opens with `title`, as an editor typing over
    it does: in the run that holds it, or over the runs it spans (a place's name is a run of
    its own, which no line hyphenates), the new text in the first of them."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(title))
    runs = paragraph.runs
    for last in range(len(runs)):  # the first and shortest stretch of runs that holds it
        for first in range(last, -1, -1):
            joined = "".join(r.text for r in runs[first : last + 1])
            if old in joined:
                runs[first].text = joined.replace(old, new)
                for run in runs[first + 1 : last + 1]:
                    run.text = ""
                document.save(str(path))
                return
    raise AssertionError(f"{old!r} is not in the paragraph")


def change_data(project: Path, old: str, new: str) -> Path:
    data = project / "data" / "2020.yaml"
    text = data.read_text(encoding="utf-8")
    assert old in text
    data.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


def arcp(project: Path) -> list[dict]:
    data = yaml.safe_load((project / "data" / "2020.yaml").read_text(encoding="utf-8"))
    return data["events"]["ARCP"]


def test_an_edit_goes_to_its_event_when_an_event_was_inserted_before_it(project: Path) -> None:
    edit_event(project / DOCX, "6th ARCP Meeting", "virtual", "online")
    change_data(project, ARCP_FIRST, INSERTED + ARCP_FIRST)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert 'events.ARCP[2].place: "virtual" -> "online"' in result.output  # counted from 1
    events = arcp(project)
    assert [(e["title"], e["place"]) for e in events] == [
        ("Expert Group Meeting", "virtual"),
        ("6th ARCP Meeting", "online"),
        ("SOM", "Cairo, Egypt"),
    ]


def test_an_edit_goes_to_its_event_when_events_were_reordered(project: Path) -> None:
    edit_event(project / DOCX, "6th ARCP Meeting", "virtual", "online")
    data = change_data(project, SOM, "")
    change_data(project, ARCP_FIRST, SOM + ARCP_FIRST)
    assert [e["title"] for e in arcp(project)] == ["SOM", "6th ARCP Meeting"]
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert [(e["title"], e["place"]) for e in arcp(project)] == [
        ("SOM", "Cairo, Egypt"),
        ("6th ARCP Meeting", "online"),
    ]
    assert data.read_text(encoding="utf-8").count("place: virtual") >= 1  # other events kept


def test_an_edit_after_an_event_deleted_from_the_data_is_no_conflict(project: Path) -> None:
    edit_event(project / DOCX, "SOM", "Cairo, Egypt", "Cairo (Egypt)")
    first = ARCP_EVENT
    change_data(project, first, "")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert "(removed)" not in result.output
    assert [(e["title"], e["place"]) for e in arcp(project)] == [("SOM", "Cairo (Egypt)")]


def test_an_edit_of_an_event_now_written_twice_is_refused_naming_it(project: Path) -> None:
    before = (project / "data" / "2020.yaml").read_bytes()
    edit_event(project / DOCX, "6th ARCP Meeting", "virtual", "online")
    first = ARCP_EVENT
    data = change_data(project, first, first + first)
    written = data.read_bytes()
    result = pull(project, "--apply")
    assert result.exit_code == 1, result.output
    assert "2020.yaml:33:5: events.ARCP[1]: " in result.output and "unsure" in result.output
    assert data.read_bytes() == written != before


def test_an_event_replaced_in_the_data_takes_no_edit_of_the_one_built(project: Path) -> None:
    edit_event(project / DOCX, "6th ARCP Meeting", "virtual", "online")
    data = change_data(project, ARCP_FIRST, "    - title: Another Meeting\n")
    text = data.read_text(encoding="utf-8").replace(
        "discussed COVID-19 and migrants and refugees", "agreed a new plan"
    )
    text = text.replace("dates: 2020-07-13", "dates: 2020-07-20")
    data.write_text(text, encoding="utf-8")
    result = pull(project, "--apply")
    assert result.exit_code == 1, result.output
    assert "data/2020.yaml:35:14: events.ARCP[1].place: " in result.output
    assert "changed in the data since the build" in result.output
    assert arcp(project)[0]["place"] == "virtual"


def test_a_deleted_paragraph_lists_the_other_edits_and_is_done_once_the_data_agrees(
    project: Path,
) -> None:
    document = docx.Document(str(project / DOCX))
    gone = next(p for p in document.paragraphs if p.text.startswith("6th ARCP Meeting"))
    gone._p.getparent().remove(gone._p)
    document.save(str(project / DOCX))
    edit_event(project / DOCX, "SOM", "GFMD annual theme", "GFMD theme")
    result = pull(project, "--apply")
    assert result.exit_code == 1, result.output
    assert "was deleted in the Word file" in result.output
    assert 'ARCP[2].summary: "...review, as well as the GFMD annual theme." -> "...review, as' in (
        result.output
    )
    assert arcp(project)[1]["summary"].endswith("GFMD annual theme.")
    first = ARCP_EVENT
    change_data(project, first, "")
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert "was deleted in the Word file" not in result.output
    assert [e["summary"] for e in arcp(project)] == [
        "focused on GCM regional review, as well as the GFMD theme."
    ]


@pytest.mark.parametrize("typed", ["GFMD\u200b annual theme", "GFMD annual theme [1](see annex)"])
def test_the_dry_run_refuses_what_apply_would_refuse(project: Path, typed: str) -> None:
    before = (project / "data" / "2020.yaml").read_bytes()
    edit_event(project / DOCX, "SOM", "GFMD annual theme", typed)
    dry, applied = pull(project), pull(project, "--apply")
    assert dry.exit_code == applied.exit_code == 1, dry.output
    assert "run again with --apply" not in dry.output
    assert dry.output == applied.output and "nothing was written" in dry.output
    assert (project / "data" / "2020.yaml").read_bytes() == before


def test_apply_keeps_a_file_written_with_crlf_line_ends(project: Path) -> None:
    data = project / "data" / "2020.yaml"
    data.write_bytes(data.read_bytes().replace(b"\n", b"\r\n"))
    before = data.read_bytes().split(b"\r\n")
    edit(project / DOCX, SUMMARY, EDITED)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    written = data.read_bytes()
    assert written.count(b"\n") == written.count(b"\r\n")  # every line still ends in CRLF
    after = written.split(b"\r\n")
    assert len(after) == len(before)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 1 and EDITED.encode() in after[changed[0]]


def test_apply_writes_through_a_data_file_that_is_a_link(project: Path) -> None:
    data = project / "data" / "2020.yaml"
    target = project / "kept-2020.yaml"
    shutil.move(data, target)
    data.symlink_to(target)
    edit(project / DOCX, SUMMARY, EDITED)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert data.is_symlink() and data.resolve() == target.resolve()
    assert EDITED in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("indicator", [">-", "|-"])
def test_apply_rewrites_a_summary_written_as_a_block(project: Path, indicator: str) -> None:
    data = project / "data" / "2020.yaml"
    text = data.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if SUMMARY in x)
    key, _, value = line.partition(": ")
    indent = " " * (len(key) - len(key.lstrip()) + 2)
    words = value.split(" ")
    middle = len(words) // 2
    if indicator.startswith("|"):
        block = f"{key}: {indicator}\n{indent}{value}"
    else:
        block = f"{key}: {indicator}\n{indent}{' '.join(words[:middle])}\n"
        block += f"{indent}{' '.join(words[middle:])}"
    data.write_text(text.replace(line, block), encoding="utf-8")
    before = data.read_text(encoding="utf-8").splitlines()
    edit(project / DOCX, SUMMARY, EDITED)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    after = data.read_text(encoding="utf-8").splitlines()
    loaded = yaml.safe_load("\n".join(after))
    summaries = [e["summary"] for es in loaded["events"].values() for e in es if "summary" in e]
    assert [s for s in summaries if EDITED in s] == [value.replace(SUMMARY, EDITED)]
    at = before.index(block.splitlines()[0])
    assert after[:at] == before[:at]  # the lines before and after the block as they were
    rest = len(block.splitlines())
    assert after[at + 1 :] == before[at + rest :]


def test_a_word_file_whose_parts_unpack_too_big_is_refused_unread(
    project: Path, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(project / DOCX) as source, zipfile.ZipFile(bomb, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info), zipfile.ZIP_DEFLATED)
        for k in range(2):  # each under the old cap of one part, too much together
            out.writestr(f"word/footer{90 + k}.xml", b" " * (110 * 2**20), zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 2 * 2**20
    result = CliRunner().invoke(main, ["pull", YEAR, str(bomb), "--data", str(project / "data")])
    assert result.exit_code == 1, result.output
    assert f"{bomb}:1:1: its text parts take 220 MB unpacked" in result.output


def test_a_picture_part_of_any_size_is_never_unpacked(project: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.docx"
    with zipfile.ZipFile(project / DOCX) as source, zipfile.ZipFile(big, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info), zipfile.ZIP_DEFLATED)
        out.writestr("word/media/huge.bin", b"\0" * (210 * 2**20), zipfile.ZIP_DEFLATED)
    edited = read_edited(big)
    assert edited.ledger is not None and edited.paragraphs


@pytest.mark.parametrize(
    ("url", "written"),
    [
        ("https://example.org/a)b", "https://example.org/a%29b"),
        (
            "https://en.wikipedia.org/wiki/Rabat_(city)",
            "https://en.wikipedia.org/wiki/Rabat_(city)",
        ),
    ],
)
def test_a_link_with_a_bracket_comes_back_as_its_address(
    project: Path, url: str, written: str
) -> None:
    link(project / DOCX, "partnership", url)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((project / "data" / "2020.yaml").read_text(encoding="utf-8"))
    summary = data["events"]["5+5"][0]["summary"]
    assert f"[partnership]({written}) on" in summary
    assert inline.links(summary) == (written,)


def test_the_dry_run_refuses_a_link_that_is_no_web_address(project: Path) -> None:
    link(project / DOCX, "partnership", "javascript:alert(1)")
    result = pull(project)
    assert result.exit_code == 1, result.output
    assert "link 'javascript:alert(1)' is not an http(s) or mailto address" in result.output
    assert "run again with --apply" not in result.output


def test_a_tracked_change_pending_in_the_footer_is_refused_as_one(project: Path) -> None:
    from lxml import etree

    source = project / DOCX
    edited = project / "tracked.docx"
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(edited, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "word/footer1.xml":
                root = etree.fromstring(data)
                run = next(root.iter(qn("w:r")))
                inserted = run.makeelement(
                    qn("w:ins"), {qn("w:id"): "901", qn("w:author"): "Editor"}
                )
                added = copy.deepcopy(run)
                next(added.iter(qn("w:t"))).text = "Draft "
                inserted.append(added)
                run.addprevious(inserted)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            out.writestr(info, data)
    result = CliRunner().invoke(main, ["pull", YEAR, str(edited), "--data", str(project / "data")])
    assert result.exit_code == 1, result.output
    assert "a tracked change (ins) is pending in the footer" in result.output
    assert "accept or reject the tracked changes" in result.output
    assert "was changed to" not in result.output


def test_an_event_copied_with_its_bookmarks_renamed_is_proposed_as_new(project: Path) -> None:
    document = docx.Document(str(project / DOCX))
    som = next(p for p in document.paragraphs if p.text.startswith("SOM"))
    copied = copy.deepcopy(som._p)
    for start in copied.iter(qn("w:bookmarkStart")):  # as LibreOffice names a copied bookmark
        start.set(qn("w:name"), start.get(qn("w:name")) + "_Copy_1")
        start.set(qn("w:id"), str(9000 + int(start.get(qn("w:id")))))
    for end in copied.iter(qn("w:bookmarkEnd")):
        end.set(qn("w:id"), str(9000 + int(end.get(qn("w:id")))))
    som._p.addnext(copied)
    title = next(t for t in copied.iter(qn("w:t")) if t.text and "SOM" in t.text)
    title.text = title.text.replace("SOM", "Second SOM")
    document.save(str(project / DOCX))
    result = pull(project)
    assert result.exit_code == 0, result.output
    assert 'new event proposed: title: "Second SOM"' in result.output
    assert result.output.count(" -> ") == 0, result.output


def test_a_new_event_goes_after_its_event_when_one_was_inserted_before(project: Path) -> None:
    document = docx.Document(str(project / DOCX))
    som = next(p for p in document.paragraphs if p.text.startswith("6th ARCP Meeting"))
    copied = copy.deepcopy(som._p)
    for start in copied.iter(qn("w:bookmarkStart")):
        start.getparent().remove(start)
    for end in copied.iter(qn("w:bookmarkEnd")):
        end.getparent().remove(end)
    som._p.addnext(copied)
    title = next(t for t in copied.iter(qn("w:t")) if t.text and "6th ARCP" in t.text)
    title.text = title.text.replace("6th ARCP Meeting", "Youth Forum")
    document.save(str(project / DOCX))
    change_data(project, ARCP_FIRST, INSERTED + ARCP_FIRST)
    result = pull(project, "--apply")
    assert result.exit_code == 0, result.output
    assert [e["title"] for e in arcp(project)] == [
        "Expert Group Meeting",
        "6th ARCP Meeting",
        "Youth Forum",
        "SOM",
    ]


LARGE_PRINT_DOCX = "iscm-highlights-2020-large-print.docx"


@pytest.mark.parametrize("ledger", ["kept", "lost"])
def test_the_continued_headings_of_a_new_page_are_not_data(
    built: Path, tmp_path: Path, ledger: str
) -> None:
    """The large-print Word file begins a page with "(continued)" headings where the PDF
    does: an unedited file has nothing to pull, also once it lost its record of the build
    (made again without them), and an edit next to them is pulled alone."""
    shutil.copytree(built / "data", tmp_path / "data")
    build(tmp_path / "data", YEAR, "large-print", tmp_path / "out", ("docx",), lambda _: None)
    path = tmp_path / LARGE_PRINT_DOCX
    shutil.copy(tmp_path / "out" / LARGE_PRINT_DOCX, path)
    continued = [p for p in read_edited(path).paragraphs if "(CONTINUED)" in p.text.upper()]
    assert len(continued) >= 3, "the events go on over pages"
    if ledger == "lost":
        without_ledger(path, properties=True)
    args = ["pull", YEAR, str(path), "--data", str(tmp_path / "data")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "nothing to pull" in result.output
    edit(path, SUMMARY, EDITED)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "events.5+5[1].summary" in result.output and "added" not in result.output


def _after_a_column_break_inside_an_event(word: Path) -> str:
    """The text after the first column break inside an event's paragraph ("" if none)."""
    document = docx.Document(str(word))
    for paragraph in document.element.body.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        runs = list(paragraph.iter(qn("w:r")))
        if style is None or style.get(qn("w:val")) != "Event":
            continue
        for i, run in enumerate(runs[1:], 1):
            if any(b.get(qn("w:type")) == "column" for b in run.iter(qn("w:br"))):
                return "".join(t.text or "" for r in runs[i:] for t in r.iter(qn("w:t")))
    return ""


def test_an_event_cut_by_a_column_break_comes_back_whole_from_libreoffice(
    tmp_path: Path,
) -> None:
    """The Word file breaks a column inside an event where the PDF's column opens inside
    it. LibreOffice holds no column break inside a paragraph: it saves the rest as a
    paragraph of its own, which begins with the break (in the Normal style). A pull reads
    the two as the one event: the file as LibreOffice saved it shows the data, and an edit
    after the break comes back into the event's value."""
    source = {n: yaml.safe_load((DATA / n).read_text()) for n in ("bulletin.yaml", YEAR_FILE)}
    source["mechanisms.yaml"] = yaml.safe_load((DATA / "mechanisms.yaml").read_text())
    data = write_data(tmp_path / "data", with_addresses(edited(source, 63203, 22), 63203, 0.3))
    build(data, YEAR, "iscm", tmp_path / "out", ("docx",), lambda line: None)
    built = tmp_path / "out" / DOCX
    rest = _after_a_column_break_inside_an_event(built)
    assert rest, "the Word file breaks a column inside an event"
    word = re.findall(r"[a-z]{5,}", rest)[0]
    shown = docx_text(built)
    old = next(
        rest[:end]
        for end in range(rest.index(word) + len(word), len(rest) + 1)
        if shown.count(rest[:end]) == 1
    )  # the edit's place: found once
    changed = edit(built, old, old.replace(word, word.upper()), tmp_path / "edited.docx")
    saved = tmp_path / "saved"
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    converting = [real_client("soffice"), profile, "--headless", "--convert-to", "docx"]
    subprocess.run(
        [*converting, "--outdir", str(saved), str(built), str(changed)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    assert _after_a_column_break_inside_an_event(saved / DOCX) == ""  # cut in two
    command = ["pull", YEAR, str(saved / DOCX), "--data", str(data)]
    unedited = CliRunner().invoke(main, command)
    assert unedited.exit_code == 0 and "nothing to pull" in unedited.output, unedited.output
    command[2] = str(saved / "edited.docx")
    result = CliRunner().invoke(main, [*command, "--apply"])
    assert result.exit_code == 0, result.output
    assert len([line for line in result.output.splitlines() if " -> " in line]) == 1
    assert word.upper() in (data / YEAR_FILE).read_text(encoding="utf-8")
