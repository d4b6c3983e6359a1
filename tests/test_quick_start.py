"""A cold `bulletin build` starts its work early without changing what it does.

The renderer is forked before click is imported, from a command line read by start.py: that
reading must agree with click's on every command line it accepts, and leave every other one
to click. The Word file is built while the screen PDF is laid out and takes its page count
and column starts last: the same bytes as a Word file written with them known.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import generator.build
import generator.command
from generator.cli import main
from generator.kinds import kind_of
from generator.layout import load_layout
from generator.start import build_arguments, check_arguments
from generator.writers import Rendered
from generator.writers.docx import write_docx
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parent.parent
ALL = ("pdf", "print", "docx")

ACCEPTED = [
    (["build", "2020"], ALL),
    (["build", "2020", "-q"], ALL),
    (["build", "--format", "docx", "2020", "--format=pdf"], ("pdf", "docx")),
    (["build", "2020", "--format", "print", "--format", "print"], ("print",)),
    (
        ["build", "2020", "--data", "data", "--output=out x", "--layout", "large-print/"],
        ALL,
    ),
    (["build", "1999", "--strict", "--debug", "--quiet", "--format=docx"], ("docx",)),
]
LEFT_TO_CLICK = [
    [],
    ["check", "2020"],
    ["--debug", "build", "2020"],
    ["build"],
    ["build", "2020", "2021"],
    ["build", "20x0"],
    ["build", "２０２０"],
    ["build", "2020", "--format", "nope"],
    ["build", "2020", "--format", "PDF"],
    ["build", "2020", "--help"],
    ["build", "2020", "-h"],
    ["build", "2020", "--data"],
    ["build", "2020", "--data", ""],
    ["build", "2020", "--output=  "],
    ["build", "2020", "--data", "--quiet"],
    ["build", "2020", "--bogus"],
    ["build", "2020", "--quiet=yes"],
    ["build", "2020", "--"],
    ["build", "2020", "-qq"],
]


@pytest.mark.parametrize(("arguments", "keys"), ACCEPTED)
def test_a_plain_build_command_line_is_read_as_click_reads_it(
    arguments: list[str], keys: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """start.py reads the same values as click passes to the build (which it then runs
    without click), and the formats in the registry's order."""
    read = build_arguments(arguments)
    assert read is not None
    assert read["keys"] == keys
    built: list[dict[str, Any]] = []

    def build(*args: Any) -> None:
        names = ("year", "data_dir", "layout_name", "out_dir", "keys", "quiet", "strict", "debug")
        built.append(dict(zip(names, args, strict=True)))

    monkeypatch.setattr(generator.command, "build", build)
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    [by_click] = built
    assert set(by_click.pop("keys")) == set(read.pop("keys"))
    assert by_click == read


def test_an_unreadable_folder_is_left_to_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """click refuses a --data or --output folder that exists but cannot be read (a usage
    error): such a command line is left to it (the folder is said unreadable here, as root
    reads every folder)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: str(path) != str(locked) and access(path, mode)
    )
    arguments = ["build", "2020", "--data", str(tmp_path), "--output", str(locked)]
    assert CliRunner().invoke(main, arguments).exit_code == 2
    assert build_arguments(arguments) is None
    assert build_arguments(["build", "2020", "--data", str(locked)]) is None
    assert build_arguments(["build", "2020", "--output", str(tmp_path / "new")]) is not None


def test_a_shell_completion_is_left_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_BULLETIN_COMPLETE", "bash_complete")
    assert build_arguments(["build", "2020"]) is None


@pytest.mark.parametrize("arguments", LEFT_TO_CLICK)
def test_any_other_command_line_is_left_to_click(arguments: list[str]) -> None:
    assert build_arguments(arguments) is None


CHECK_ACCEPTED = [
    ["check", "2020"],
    ["check", "2020", "--strict"],
    ["check", "--data", "data", "2020", "--layout=large-print/", "--debug"],
    ["check", "1999", "--layout", "./iscm", "--data=data", "--data", "data"],
]
CHECK_LEFT_TO_CLICK = [
    ["build", "2020"],
    ["--debug", "check", "2020"],
    ["check"],
    ["check", "2020", "2021"],
    ["check", "20x0"],
    ["check", "2020", "--help"],
    ["check", "2020", "--data"],
    ["check", "2020", "--data", ""],
    ["check", "2020", "--layout", "--strict"],
    ["check", "2020", "-q"],
    ["check", "2020", "--quiet"],
    ["check", "2020", "--output", "out"],
    ["check", "2020", "--format", "pdf"],
    ["check", "2020", "--strict=yes"],
    ["check", "2020", "--"],
]


@pytest.mark.parametrize("arguments", CHECK_ACCEPTED)
def test_a_plain_check_command_line_is_read_as_click_reads_it(
    arguments: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """start.py reads the same values as click passes to the check (which it then runs
    without click)."""
    read = check_arguments(arguments)
    assert read is not None
    checked: list[dict[str, Any]] = []

    def check(*args: Any) -> None:
        names = ("year", "data_dir", "layout_name", "strict", "debug")
        checked.append(dict(zip(names, args, strict=True)))

    monkeypatch.setattr(generator.command, "check", check)
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert checked == [read]


@pytest.mark.parametrize("arguments", CHECK_LEFT_TO_CLICK)
def test_any_other_check_command_line_is_left_to_click(arguments: list[str]) -> None:
    assert check_arguments(arguments) is None


def test_a_check_with_an_unreadable_folder_or_a_completion_is_left_to_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: str(path) != str(locked) and access(path, mode)
    )
    assert CliRunner().invoke(main, ["check", "2020", "--data", str(locked)]).exit_code == 2
    assert check_arguments(["check", "2020", "--data", str(locked)]) is None
    assert check_arguments(["check", "2020", "--data", str(tmp_path)]) is not None
    monkeypatch.setenv("_BULLETIN_COMPLETE", "bash_complete")
    assert check_arguments(["check", "2020"]) is None


def _started(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    """`bulletin ARGUMENTS` through the real start (`python -m generator`), its output kept."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "2020"],
        ["check", "2020", "--strict"],
        ["check", "2020", "--layout", "nope"],
        ["check", "2021"],
        ["check", "2020", "--layout"],
    ],
)
def test_a_check_says_and_ends_as_click_would(arguments: list[str]) -> None:
    """Through the real start (`python -m generator`): the same lines and exit code as the
    command run by click, for a check that passes, warns, fails or is refused."""
    process = _started(arguments)
    by_click = CliRunner().invoke(main, arguments, prog_name="bulletin")
    assert process.returncode == by_click.exit_code
    assert process.stdout == by_click.stdout
    assert process.stderr == by_click.stderr


def test_a_usage_error_is_said_as_before_and_no_renderer_is_left(tmp_path: Path) -> None:
    """Through the real start (`python -m generator`): the same message and exit code as
    click's own, for a command line that is refused only once click reads it."""
    arguments = ["build", "2020", "--format", "pdf", "--layout"]
    process = _started(arguments)
    in_process = CliRunner().invoke(main, arguments, prog_name="bulletin")
    assert process.returncode == in_process.exit_code == 2
    said = "Error: Option '--layout' requires an argument."
    assert process.stderr.strip().splitlines()[-1] == said


def test_a_renderer_forked_early_and_not_taken_ends_with_the_command() -> None:
    """A renderer forked for a build that never takes it (the command ended first) is ended
    at exit: the command does not wait for it."""
    code = (
        "import sys\n"
        "from generator.build import start_early\n"
        "start_early(('pdf', 'print', 'docx'))\n"
        "sys.exit(5)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60)
    assert result.returncode == 5


def test_what_is_run_at_exit_runs_once_when_the_command_ends_at_once() -> None:
    """A command ended by os._exit (start.py) runs what Python's exit would have run, in
    its order (the last given first), and Python's exit does not run it again."""
    code = (
        "import sys\n"
        "from generator.signals import at_exit, run_at_exit\n"
        "def renderer(): print('renderer ended', flush=True)\n"
        "def words(): print('words kept', flush=True)\n"
        "for action in (renderer, words, words):\n"
        "    at_exit(action)\n"
        "run_at_exit()\n"
        "sys.exit(4)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, timeout=60, capture_output=True, text=True
    )
    assert result.returncode == 4, result.stderr
    assert result.stdout.splitlines() == ["words kept", "renderer ended"]


def _column_groups() -> tuple[Any, Any, Rendered]:
    """The 2020 issue on the default layout, and what its screen PDF tells (a page count and
    a column that opens with a group's heading)."""
    kind = kind_of(DATA)
    layout = load_layout("iscm")
    document = kind.compose(kind.load(DATA, "2020"), layout)
    from generator.writers import Options, writer

    screen = writer("pdf").write(document, layout, io.BytesIO(), Options())
    assert screen.column_starts and screen.column_placed  # the test needs a placed column
    return document, layout, screen


def test_a_word_file_built_before_the_count_is_the_one_written_with_it() -> None:
    document, layout, screen = _column_groups()
    told = Rendered(screen.pages + 3, screen.column_starts, screen.column_placed)
    known, later, unplaced = io.BytesIO(), io.BytesIO(), io.BytesIO()
    write_docx(document, layout, known, told.pages, 1_600_000_000, *_columns(told))
    asked: list[int] = []

    def wait() -> Rendered:
        asked.append(later.tell())  # nothing is written yet
        return told

    write_docx(document, layout, later, epoch=1_600_000_000, screen=wait)
    write_docx(document, layout, unplaced, told.pages, 1_600_000_000)
    assert asked == [0]
    assert later.getvalue() == known.getvalue()
    assert later.getvalue() != unplaced.getvalue()  # the columns were placed as told
    package = zipfile.ZipFile(later)
    assert f"<Pages>{told.pages}</Pages>" in package.read("docProps/app.xml").decode()
    footers = [n for n in package.namelist() if re.fullmatch(r"word/footer\d+\.xml", n)]
    assert footers
    for name in footers:
        shown = package.read(name).decode()
        assert re.search(rf"NUMPAGES .*?<w:t>{told.pages}</w:t>", shown), name


def _columns(screen: Rendered) -> tuple[frozenset[str], frozenset[str]]:
    return screen.column_starts, screen.column_placed


def test_ctrl_c_while_the_command_loads_is_a_stop_not_a_traceback(tmp_path: Path) -> None:
    """Ctrl-C before the build has begun (the renderer forking, click loading) ends the
    command as a stop during the build does: exit 130, nothing written."""
    code = (
        "import os, signal, sys\n"
        "import generator.build\n"
        "def stopped(keys):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "generator.build.start_early = stopped\n"
        f"sys.argv = ['bulletin', 'build', '2020', '--output', {str(tmp_path / 'out')!r}]\n"
        "from generator.start import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert result.returncode == 130, result.stderr
    assert result.stderr == "interrupted; nothing was written.\n"
    assert not (tmp_path / "out").exists()
