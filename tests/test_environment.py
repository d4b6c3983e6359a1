"""The environment and the arguments: SOURCE_DATE_EPOCH, empty or over-long names, terminals
that are not UTF-8, paths that are not UTF-8, a reader that goes away. Each works or is a
message; never a traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pypdf
import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from tests.conftest import DATA, ROOT
from tests.generated import bulletin_data, write_data


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_data(tmp_path_factory.mktemp("small"), bulletin_data(1, 3, 2))


def quiet(line: str) -> None:
    """A report that prints nothing."""


def bulletin(*arguments: str, **environment: str) -> subprocess.CompletedProcess[bytes]:
    """Run the command as a process, with these environment variables changed."""
    env = {**os.environ, **environment}
    program = [sys.executable, "-m", "generator", *arguments]
    return subprocess.run(program, cwd=ROOT, env=env, capture_output=True, timeout=300)


# -- SOURCE_DATE_EPOCH ----------------------------------------------------------------------

BAD_EPOCHS = [
    "abc",
    "-5",
    "99999999999999999999",
    "0",
    "315532799",
    "4354819200",
    "253402300799",
    "1.5",
    " 1600000000",
    "1600000000\n",
    "1e9",
    "+1600000000",
    "0x5f5e1000",
    "1_600_000_000",
    "\u0661\u0666\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660",  # Arabic-Indic digits
    "1600000000" * 10,
]


@pytest.mark.parametrize("value", BAD_EPOCHS)
def test_a_source_date_epoch_the_files_cannot_store_is_a_usage_error(
    value: str, small_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    arguments = ["build", "2020", "--data", str(small_data), "--output", str(out)]
    result = CliRunner().invoke(main, arguments, env={"SOURCE_DATE_EPOCH": value})
    assert result.exit_code == 2, result.output
    assert "SOURCE_DATE_EPOCH is " in result.output
    assert "315532800 (1980-01-01) to 4354819199 (2107-12-31" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_watch_refuses_a_bad_source_date_epoch_before_watching(tmp_path: Path) -> None:
    arguments = ["watch", "2020", "--output", str(tmp_path / "out")]
    result = CliRunner().invoke(main, arguments, env={"SOURCE_DATE_EPOCH": "-1"})
    assert result.exit_code == 2, result.output
    assert "SOURCE_DATE_EPOCH is '-1'" in result.output
    assert not (tmp_path / "out").exists()


def pdf_date(path: Path) -> datetime:
    created = str(pypdf.PdfReader(path).metadata["/CreationDate"])
    return datetime.strptime(created[2:16], "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def docx_dates(path: Path) -> set[datetime]:
    """The dates of the Word file's properties and of its zip entries (zip dates count in
    steps of two seconds: an odd second is written as the even one before it)."""
    core = docx.Document(str(path)).core_properties
    with zipfile.ZipFile(path) as archive:
        stamps = {datetime(*i.date_time, tzinfo=UTC) for i in archive.infolist()}
    (stamp,) = stamps
    assert stamp.second % 2 == 0 and 0 <= (core.created - stamp).total_seconds() <= 1
    return {core.created, core.modified}


@pytest.mark.parametrize(
    ("value", "when"),
    [
        ("315532800", datetime(1980, 1, 1, tzinfo=UTC)),
        ("4354819199", datetime(2107, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
    ids=["earliest", "latest"],
)
def test_the_first_and_last_storable_dates_date_every_file(
    value: str,
    when: datetime,
    small_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    written = build(small_data, "2020", "iscm", tmp_path, ("pdf", "docx"), quiet)
    assert pdf_date(written[0].path) == when
    assert docx_dates(written[1].path) == {when}


def test_without_source_date_epoch_the_files_are_dated_by_the_build(
    small_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    started = datetime.fromtimestamp(int(time.time()), UTC)
    written = build(small_data, "2020", "iscm", tmp_path, ("pdf", "print", "docx"), quiet)
    ended = datetime.fromtimestamp(int(time.time()), UTC)
    dates = {pdf_date(written[0].path), pdf_date(written[1].path), *docx_dates(written[2].path)}
    (when,) = dates  # one time for every file, also the one the second process wrote
    assert started <= when <= ended
    assert "SOURCE_DATE_EPOCH" not in os.environ, "the variable is not left set"


# -- arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        ["build", "2020", "--output", ""],
        ["build", "2020", "--output", "  "],
        ["build", "2020", "--data", ""],
        ["check", "2020", "--data", ""],
    ],
    ids=["empty-output", "blank-output", "empty-data", "check-empty-data"],
)
def test_an_empty_folder_argument_is_a_usage_error(
    arguments: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert "is empty" in result.output
    assert list(tmp_path.iterdir()) == [], "nothing written in the current folder"


def with_file_name(tmp_path: Path, name: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    settings = data / "bulletin.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^file_name: \S+", f"file_name: {name}", text), "utf-8")
    return data


def test_an_over_long_file_name_is_a_located_error(tmp_path: Path) -> None:
    data = with_file_name(tmp_path, "x" * 201)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "2020", "--data", str(data), "--output", str(out)])
    assert result.exit_code == 1, result.output
    line = next(i for i, t in enumerate((data / "bulletin.yaml").open(), 1) if "file_name" in t)
    assert f"bulletin.yaml:{line}:12: file_name: the file name has 201 characters" in result.output
    assert not out.exists()


def test_the_longest_file_name_allowed_builds(tmp_path: Path) -> None:
    data = with_file_name(tmp_path, "y" * 194 + "{year}")
    written = build(data, "2020", "iscm", tmp_path / "out", ("print",), quiet)
    assert [w.path.name for w in written] == ["y" * 194 + "2020-print.pdf"]


def test_an_over_long_folder_name_is_a_located_error(small_data: Path, tmp_path: Path) -> None:
    out = tmp_path / ("z" * 256)
    result = CliRunner().invoke(
        main, ["build", "2020", "--data", str(small_data), "--output", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert f"{out}:1:1: cannot write to the output folder: a name in its path is too long" in (
        result.output
    )


# -- terminals and paths that are not UTF-8 -------------------------------------------------

LOCALES = {
    "C": {"LC_ALL": "C"},
    "C-ascii": {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    "POSIX": {"LC_ALL": "POSIX", "LANG": "POSIX"},
    "latin-1": {"LC_ALL": "en_US.ISO-8859-1", "PYTHONIOENCODING": "latin-1"},
    "ascii-io": {"PYTHONIOENCODING": "ascii"},
}


@pytest.fixture(scope="module")
def odd_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Data with a character no font draws, in a folder whose name is not UTF-8."""
    root = tmp_path_factory.mktemp("odd")
    folder = Path(os.fsdecode(os.fsencode(str(root)) + b"/donn\xe9es-\xff"))
    shutil.copytree(DATA, folder)
    year = folder / "2020.yaml"
    text = year.read_text(encoding="utf-8")
    year.write_text(text.replace("Bali Process", "Bali Process \u0639 \u00e9", 1), "utf-8")
    return folder


@pytest.mark.parametrize("locale", LOCALES)
def test_a_problem_is_printed_in_any_terminal_encoding(locale: str, odd_data: Path) -> None:
    result = bulletin("check", "2020", "--data", str(odd_data), **LOCALES[locale])
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"U+0639 ARABIC LETTER AIN" in result.stderr
    assert b"2020.yaml:" in result.stderr


@pytest.mark.parametrize("locale", ["C-ascii", "latin-1"])
def test_a_build_into_a_folder_whose_name_is_not_utf8(
    locale: str, small_data: Path, tmp_path: Path
) -> None:
    out = os.fsdecode(os.fsencode(str(tmp_path)) + b"/sortie-\xe9\xff/\xc3\xa9t\xc3\xa9")
    result = bulletin(
        "build", "2020", "--data", str(small_data), "--output", out, **LOCALES[locale]
    )
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert sorted(os.listdir(out)) == [
        "generated-2020-print.pdf",
        "generated-2020.docx",
        "generated-2020.pdf",
    ]


# -- a reader that goes away ----------------------------------------------------------------


def closed_reader(arguments: list[str], stream: str) -> subprocess.CompletedProcess[bytes]:
    """Run with stdout or stderr a pipe whose reader has gone (`| head -0`)."""
    read, write = os.pipe()
    os.close(read)
    program = [sys.executable, "-m", "generator", *arguments]
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: write}
    try:
        return subprocess.run(program, cwd=ROOT, timeout=300, **streams)  # type: ignore[arg-type]
    finally:
        os.close(write)


def test_a_build_whose_reader_has_gone_still_writes_every_file(
    small_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = closed_reader(
        ["build", "2020", "--data", str(small_data), "--output", str(out)], "stdout"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert len(list(out.iterdir())) == 3


@pytest.mark.parametrize(
    ("arguments", "stream", "code"),
    [
        (["check", "2020"], "stdout", 0),
        (["check", "1999"], "stderr", 1),
        (["--help"], "stdout", None),
    ],
    ids=["check", "check-problem", "help"],
)
def test_output_to_a_reader_that_has_gone_is_no_bug(
    arguments: list[str], stream: str, code: int | None
) -> None:
    result = closed_reader(arguments, stream)
    other = result.stderr if stream == "stdout" else result.stdout
    assert result.returncode != 3
    if code is not None:
        assert result.returncode == code
    assert b"Traceback" not in (other or b"") and b"BrokenPipe" not in (other or b"")
