"""All or nothing: a build that fails, is stopped or is killed leaves the previous outputs as
they were and, once the next build has run, no temporary file behind."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import BulletinError
from generator.writers import Rendered
from generator.writers.docx import DocxFileWriter
from generator.writers.pdf import PdfFileWriter
from tests.conftest import ROOT
from tests.generated import bulletin_data, write_data

STEM = "generated-2020"
NAMES = (f"{STEM}.pdf", f"{STEM}-print.pdf", f"{STEM}.docx")


def quiet(line: str) -> None:
    """A report that prints nothing."""


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_data(tmp_path_factory.mktemp("small"), bulletin_data(1, 3, 2))


@pytest.fixture(scope="module")
def big_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Data a build takes several seconds over (2,400 events), long enough to stop midway."""
    return write_data(tmp_path_factory.mktemp("big"), bulletin_data(2, 60, 40))


@pytest.fixture
def previous(tmp_path: Path, small_data: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding the three files of an earlier build, and their bytes."""
    out = tmp_path / "out"
    build(small_data, "2020", "iscm", out, ("pdf", "print", "docx"), quiet)
    return out, snapshot(out)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (hidden ones too) with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def parts(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob(".*.part"))


def command(data: Path, out: Path, *extra: str) -> list[str]:
    program = [sys.executable, "-m", "generator", "build", "2020"]
    return [*program, "--data", str(data), "--output", str(out), *extra]


def start_and_signal(data: Path, out: Path, number: int) -> subprocess.CompletedProcess[str]:
    """Start a build, wait until it writes its temporary files, send a signal, wait for it."""
    process = subprocess.Popen(
        command(data, out), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not parts(out) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # well into the writing
    running = process.poll() is None
    if running:
        process.send_signal(number)
    stdout, stderr = process.communicate(timeout=120)
    assert running, f"the build ended before it could be stopped: {stdout} {stderr}"
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


# -- stopped and killed builds --------------------------------------------------------------


@pytest.mark.parametrize(
    "number", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda n: signal.Signals(n).name
)
def test_a_stopped_build_leaves_the_previous_outputs_and_no_temporary_file(
    previous: tuple[Path, dict[str, bytes]], big_data: Path, number: int
) -> None:
    out, before = previous
    assert sorted(before) == sorted(NAMES)
    result = start_and_signal(big_data, out, number)
    assert result.returncode != 0
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    assert parts(out) == []


def test_a_killed_build_leaves_temporaries_that_the_next_build_removes(
    previous: tuple[Path, dict[str, bytes]], big_data: Path, small_data: Path
) -> None:
    out, before = previous
    result = start_and_signal(big_data, out, signal.SIGKILL)
    assert result.returncode == -signal.SIGKILL
    left = parts(out)
    assert left, "SIGKILL cannot be caught: the temporary files stay until the next build"
    assert {name: data for name, data in snapshot(out).items() if name in NAMES} == before
    again = subprocess.run(
        command(small_data, out, "--format", "pdf"), cwd=ROOT, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert parts(out) == []
    assert sorted(snapshot(out)) == sorted(NAMES)


# -- failed builds --------------------------------------------------------------------------


def broken_docx(error: Exception) -> Callable[..., Rendered]:
    """A Word writer that writes half a file, then fails."""

    def write(
        self: object, document: object, layout: object, target: Path, *options: object
    ) -> Rendered:
        target.write_bytes(b"PK half a file")
        raise error

    return write


@pytest.mark.parametrize(
    "error",
    [
        BulletinError([]),
        RuntimeError("a bug in a writer"),
        KeyboardInterrupt(),
    ],
    ids=["user-error", "bug", "interrupt"],
)
def test_a_writer_failing_midway_changes_nothing(
    previous: tuple[Path, dict[str, bytes]],
    small_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
) -> None:
    out, before = previous
    monkeypatch.setattr(DocxFileWriter, "write", broken_docx(error))
    with pytest.raises((type(error), RuntimeError)):  # a forked writer's bug is a RuntimeError
        build(small_data, "2020", "iscm", out, ("pdf", "print", "docx"), quiet)
    assert snapshot(out) == before
    assert parts(out) == []


def test_a_full_disk_is_a_problem_with_the_output_folder(
    previous: tuple[Path, dict[str, bytes]], small_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = previous

    def full(*args: object) -> Rendered:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(PdfFileWriter, "write", full)
    with pytest.raises(BulletinError) as caught:
        build(small_data, "2020", "iscm", out, ("pdf", "docx"), quiet)
    (problem,) = caught.value.problems
    assert problem.file == str(out)
    assert problem.message == "cannot write to the output folder: No space left on device"
    assert snapshot(out) == before


def test_a_folder_in_the_place_of_an_output_is_refused_before_anything_is_written(
    previous: tuple[Path, dict[str, bytes]], small_data: Path
) -> None:
    out, before = previous
    (out / f"{STEM}.docx").unlink()
    (out / f"{STEM}.docx").mkdir()
    with pytest.raises(BulletinError) as caught:
        build(small_data, "2020", "iscm", out, ("pdf", "docx"), quiet)
    (problem,) = caught.value.problems
    assert problem.file == str(out / f"{STEM}.docx")
    assert "a folder has the name of an output file" in problem.message
    assert (out / f"{STEM}.pdf").read_bytes() == before[f"{STEM}.pdf"]
    assert parts(out) == []


# -- leftovers ------------------------------------------------------------------------------


def dead_process_id() -> int:
    """The id of a process that has ended (and been waited for)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_only_the_temporary_files_of_ended_builds_are_removed(
    previous: tuple[Path, dict[str, bytes]], small_data: Path
) -> None:
    out, _ = previous
    dead, alive = dead_process_id(), os.getppid()
    stale = out / f".{STEM}.pdf.{dead}.k2j4h1x0.part"
    running = out / f".{STEM}.docx.{alive}.a8d7f6g5.part"
    other = out / f".other-2020.pdf.{dead}.q1w2e3r4.part"
    for path in (stale, running, other):
        path.write_bytes(b"partial")
    written = build(small_data, "2020", "iscm", out, ("pdf",), quiet)
    assert [w.path.name for w in written] == [f"{STEM}.pdf"]
    assert not stale.exists(), "left by a build that has ended"
    assert running.exists(), "another build still writes it"
    assert other.exists(), "another issue's file: not this build's to judge"


def test_a_build_replaces_every_output_and_leaves_nothing_else(
    previous: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    out, before = previous
    other = write_data(tmp_path / "other", bulletin_data(3, 6, 3))
    written = build(other, "2020", "iscm", out, ("pdf", "print", "docx"), quiet)
    after = snapshot(out)
    assert sorted(after) == sorted(NAMES) == sorted(w.path.name for w in written)
    assert all(after[name] != before[name] for name in NAMES)
    assert [w.size for w in written] == [len(after[w.path.name]) for w in written]
    assert all(w.pages >= 1 for w in written if w.path.suffix == ".pdf")
