"""All or nothing: a build that fails, is stopped or is killed leaves the previous outputs as
they were; builds into one folder never mix; no write follows a planted link.

Every stop is sent at a precise point of the build (tests/stopping.py), never after a delay.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import generator.commit as commit
import generator.writers.docx.writer as docx_writer
import generator.writers.pdf.writer as pdf_writer
from generator.build import build
from generator.errors import BulletinError
from generator.writers import Rendered
from generator.writers.docx import DocxFileWriter
from generator.writers.pdf import PdfFileWriter
from tests.conftest import ROOT
from tests.generated import bulletin_data, write_data

STEM = "generated-2020"
NAMES = (f"{STEM}.pdf", f"{STEM}-print.pdf", f"{STEM}.docx")
ALL = ("pdf", "print", "docx")
EPOCH = {"SOURCE_DATE_EPOCH": "1600000000"}


def quiet(line: str) -> None:
    """A report that prints nothing."""


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_data(tmp_path_factory.mktemp("small"), bulletin_data(1, 3, 2))


@pytest.fixture(scope="module")
def other_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Other data of the same kind: every output differs from small_data's."""
    return write_data(tmp_path_factory.mktemp("other"), bulletin_data(3, 6, 3))


@pytest.fixture
def previous(tmp_path: Path, small_data: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding the three files of an earlier build, and their bytes."""
    out = tmp_path / "out"
    build(small_data, "2020", "iscm", out, ALL, quiet)
    return out, snapshot(out)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (hidden ones too) with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def parts(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob(".*.part"))


def command(data: Path, out: Path, *extra: str) -> list[str]:
    program = [sys.executable, "-m", "generator", "build", "2020"]
    return [*program, "--data", str(data), "--output", str(out), *extra]


def stopped_at(
    point: str, signal_name: str, data: Path, out: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run a build that sends itself `signal_name` when it reaches `point`."""
    arguments = ["build", "2020", "--data", str(data), "--output", str(out), *extra]
    program = [sys.executable, "-m", "tests.stopping", point, signal_name, "--", *arguments]
    return subprocess.run(program, cwd=ROOT, capture_output=True, text=True, timeout=300)


# -- a stop is a stop -----------------------------------------------------------------------

STOPS = [
    ("writing", "SIGTERM"),
    ("writing-swallowed", "SIGTERM"),
    ("writing-swallowed", "SIGINT"),
    ("writing-swallowed", "SIGHUP"),
    ("split", "SIGTERM"),
    ("split", "SIGINT"),
    ("split", "SIGHUP"),
    ("waiting-for-child", "SIGHUP"),
    ("locked", "SIGINT"),
    ("before-commit", "SIGTERM"),
    ("checking", "SIGTERM"),
    ("checking", "SIGHUP"),
    ("composing", "SIGTERM"),
]


@pytest.mark.parametrize(("point", "signal_name"), STOPS, ids=[f"{p}-{s}" for p, s in STOPS])
def test_a_stop_before_the_commit_exits_130_and_changes_nothing(
    previous: tuple[Path, dict[str, bytes]], other_data: Path, point: str, signal_name: str
) -> None:
    out, before = previous
    result = stopped_at(point, signal_name, other_data, out)
    assert result.returncode == 130, result.stderr
    assert "interrupted; nothing was written." in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before


def test_a_stop_during_the_commit_completes_the_set(
    previous: tuple[Path, dict[str, bytes]], other_data: Path
) -> None:
    out, before = previous
    result = stopped_at("committing", "SIGTERM", other_data, out)
    assert result.returncode == 0, result.stderr
    after = snapshot(out)
    assert sorted(after) == sorted(NAMES)
    assert all(after[name] != before[name] for name in NAMES)


def test_a_stop_in_a_new_folder_leaves_no_folder(small_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "out"
    result = stopped_at("writing", "SIGINT", small_data, out)
    assert result.returncode == 130, result.stderr
    assert list(tmp_path.iterdir()) == []


# -- killed builds and writer processes -----------------------------------------------------


def test_a_killed_build_leaves_temporaries_that_the_next_build_removes(
    previous: tuple[Path, dict[str, bytes]], other_data: Path, small_data: Path
) -> None:
    out, before = previous
    result = stopped_at("writing", "SIGKILL", other_data, out)
    assert result.returncode == -9
    assert parts(out), "SIGKILL cannot be caught: the temporary files stay until the next build"
    assert {name: data for name, data in snapshot(out).items() if name in NAMES} == before
    again = subprocess.run(
        command(small_data, out, "--format", "pdf"), cwd=ROOT, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert "waiting" not in again.stderr, "the kernel released the killed build's lock"
    assert sorted(snapshot(out)) == sorted(NAMES)


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_a_writer_process_killed_from_outside_is_a_clear_problem(
    previous: tuple[Path, dict[str, bytes]], other_data: Path, signal_name: str
) -> None:
    out, before = previous
    result = stopped_at("child-writer", signal_name, other_data, out)
    assert result.returncode == 1, result.stderr
    assert f"the process writing this file was killed by {signal_name}" in result.stderr
    assert f"{out / NAMES[2]}:1:1:" in result.stderr
    assert "bug" not in result.stderr and "Traceback" not in result.stderr
    assert snapshot(out) == before


# -- failed builds --------------------------------------------------------------------------


def broken_docx(error: BaseException) -> Callable[..., Rendered]:
    """A Word writer that writes half a file, then fails."""

    def write(
        self: object, document: object, layout: object, target: Any, *options: object
    ) -> Rendered:
        target.write(b"PK half a file")
        raise error

    return write


@pytest.mark.parametrize(
    "error",
    [BulletinError([]), RuntimeError("a bug in a writer"), KeyboardInterrupt()],
    ids=["user-error", "bug", "interrupt"],
)
def test_a_writer_failing_midway_changes_nothing(
    previous: tuple[Path, dict[str, bytes]],
    other_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
) -> None:
    out, before = previous
    monkeypatch.setattr(DocxFileWriter, "write", broken_docx(error))
    with pytest.raises((type(error), RuntimeError)):  # a forked writer's bug is a RuntimeError
        build(other_data, "2020", "iscm", out, ALL, quiet)
    assert snapshot(out) == before


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


@pytest.mark.parametrize("failure", ["writer", "commit", "long-name"])
def test_a_failed_build_leaves_no_folder_it_made(
    small_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    (tmp_path / "kept").mkdir()
    out = tmp_path / "kept" / "new" / "newer"
    if failure == "writer":
        monkeypatch.setattr(docx_writer, "write_docx", broken_docx(OSError()))
    elif failure == "commit":
        monkeypatch.setattr(commit, "move", refuse_move(2, errno.EBUSY))
    else:
        out = tmp_path / "kept" / "new" / ("n" * 300) / "out"
    with pytest.raises((BulletinError, RuntimeError)) as caught:
        build(small_data, "2020", "iscm", out, ALL, quiet)
    if failure == "long-name":
        (problem,) = caught.value.problems
        assert problem.file == str(out)
        assert "a name in its path is too long" in problem.message
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]
    assert list((tmp_path / "kept").iterdir()) == []


# -- the commit: one set or none ------------------------------------------------------------


def refuse_move(which: int, number: int, also_restore: bool = False) -> Callable[..., None]:
    """A move into place that fails at the `which`-th file (from 1), as a locked file does;
    with `also_restore`, putting the previous files back fails too."""
    calls: list[str] = []
    original = commit.move

    def move(name: str, target: str, folder: int) -> None:
        calls.append(target)
        if len(calls) == which or (also_restore and len(calls) > which):
            raise OSError(number, os.strerror(number))
        original(name, target, folder)

    return move


@pytest.mark.parametrize(
    ("which", "number"),
    [(1, errno.EBUSY), (2, errno.EACCES), (3, errno.EBUSY), (3, errno.EXDEV)],
    ids=["first-EBUSY", "second-EACCES", "third-EBUSY", "third-EXDEV"],
)
def test_a_move_that_fails_restores_the_previous_set(
    previous: tuple[Path, dict[str, bytes]],
    other_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    which: int,
    number: int,
) -> None:
    out, before = previous
    monkeypatch.setattr(commit, "move", refuse_move(which, number))
    with pytest.raises(BulletinError) as caught:
        build(other_data, "2020", "iscm", out, ALL, quiet)
    (problem,) = caught.value.problems
    assert problem.message.startswith(f"cannot replace the file: {os.strerror(number)}")
    assert problem.file == str(out / NAMES[which - 1])
    assert snapshot(out) == before


def test_without_hard_links_the_previous_set_is_kept_by_copies(
    previous: tuple[Path, dict[str, bytes]], other_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system without hard links (some network shares): copies keep the previous set."""
    out, before = previous

    def no_links(*args: object, **options: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(commit.os, "link", no_links)
    monkeypatch.setattr(commit, "move", refuse_move(3, errno.EBUSY))
    with pytest.raises(BulletinError):
        build(other_data, "2020", "iscm", out, ALL, quiet)
    assert snapshot(out) == before


def test_a_move_that_fails_in_a_fresh_folder_leaves_no_file(
    other_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(commit, "move", refuse_move(3, errno.EBUSY))
    with pytest.raises(BulletinError):
        build(other_data, "2020", "iscm", out, ALL, quiet)
    assert snapshot(out) == {}


def test_when_the_previous_set_cannot_be_put_back_the_message_says_so(
    previous: tuple[Path, dict[str, bytes]], other_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = previous
    monkeypatch.setattr(commit, "move", refuse_move(3, errno.EBUSY, also_restore=True))
    with pytest.raises(BulletinError) as caught:
        build(other_data, "2020", "iscm", out, ALL, quiet)
    messages = [problem.message for problem in caught.value.problems]
    assert messages[0].startswith("cannot replace the file: Device or resource busy")
    assert "could not be put back" in messages[1]
    assert parts(out) == []


# -- one build at a time --------------------------------------------------------------------


class HeldLock:
    """The output folder's lock held by someone else (as a running build holds it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.folder / ".bulletin.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self.fd

    def __exit__(self, *args: object) -> None:
        (self.folder / ".bulletin.lock").unlink()  # as a build does, holding the lock
        os.close(self.fd)


def test_a_second_build_waits_a_bounded_time_then_gives_up(
    previous: tuple[Path, dict[str, bytes]], other_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = previous
    monkeypatch.setattr(commit, "LOCK_WAIT", 0.3)
    told: list[str] = []
    with (
        HeldLock(out),
        pytest.raises(BulletinError) as caught,
        commit.OutputFolder(out, told.append),
    ):
        pass
    (problem,) = caught.value.problems
    assert problem.file == str(out)
    assert problem.message.startswith("another build has been writing into this folder")
    assert told == [f"waiting for another build writing into {out} ..."]
    assert {name: data for name, data in snapshot(out).items() if name in NAMES} == before
    with HeldLock(out), pytest.raises(BulletinError):
        build(other_data, "2020", "iscm", out, ALL, quiet)
    assert {name: data for name, data in snapshot(out).items() if name in NAMES} == before


def test_a_second_build_goes_on_when_the_first_ends(
    previous: tuple[Path, dict[str, bytes]], other_data: Path
) -> None:
    out, before = previous
    with HeldLock(out):
        second = subprocess.Popen(
            command(other_data, out), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert second.stderr is not None
        assert second.stderr.readline().decode().startswith("waiting for another build")
    _, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    after = snapshot(out)
    assert sorted(after) == sorted(NAMES)
    assert all(after[name] != before[name] for name in NAMES)


def test_a_build_waiting_for_the_lock_can_be_stopped(
    previous: tuple[Path, dict[str, bytes]], other_data: Path
) -> None:
    out, before = previous
    with HeldLock(out):
        second = subprocess.Popen(
            command(other_data, out), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert second.stderr is not None
        assert second.stderr.readline().decode().startswith("waiting for another build")
        second.send_signal(signal.SIGINT)
        _, stderr = second.communicate(timeout=300)
    assert second.returncode == 130, stderr
    assert b"interrupted; nothing was written." in stderr
    assert snapshot(out) == before


def test_two_builds_into_one_folder_never_mix_their_files(
    small_data: Path,
    other_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first build pauses while writing; the second starts, must wait, and writes its whole
    set after the first has written its own."""
    for name, value in EPOCH.items():
        monkeypatch.setenv(name, value)
    expected = {}
    for name, data in (("first", small_data), ("second", other_data)):
        build(data, "2020", "iscm", tmp_path / name, ALL, quiet)
        expected[name] = snapshot(tmp_path / name)
    out = tmp_path / "out"
    arguments = ["build", "2020", "--data", str(small_data), "--output", str(out)]
    first = subprocess.Popen(
        [sys.executable, "-m", "tests.stopping", "pause", "-", "--", *arguments],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    assert first.stdin is not None and first.stderr is not None
    assert first.stderr.readline() == b"paused\n"
    written_by_first = parts(out)
    second = subprocess.Popen(
        command(other_data, out), cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    assert second.stderr is not None
    assert second.stderr.readline().decode().startswith("waiting for another build")
    assert parts(out) == written_by_first, "the waiting build touched no file of the first"
    first.stdin.write(b"go\n")
    first.stdin.close()
    assert first.wait(timeout=300) == 0
    assert second.wait(timeout=300) == 0
    assert snapshot(out) == expected["second"]


def test_leftovers_are_recognised_by_the_lock_not_by_process_ids(
    previous: tuple[Path, dict[str, bytes]], small_data: Path
) -> None:
    """Names with the id of a running process (ids are reused) are still leftovers."""
    out, _ = previous
    alive = os.getpid()
    left = [
        out / f".{STEM}.pdf.{alive}.k2j4h1x0.part",
        out / f".{STEM}.docx.0a1b2c3d.part",
        out / ".other-2020.pdf.5e6f7a8b.part",
    ]
    for path in left:
        path.write_bytes(b"partial")
    user_file = out / ".notes.txt"
    user_file.write_text("mine", encoding="utf-8")
    written = build(small_data, "2020", "iscm", out, ("pdf",), quiet)
    assert [w.path.name for w in written] == [f"{STEM}.pdf"]
    assert not any(path.exists() for path in left)
    assert user_file.read_text(encoding="utf-8") == "mine"


def test_a_build_replaces_every_output_and_leaves_nothing_else(
    previous: tuple[Path, dict[str, bytes]], other_data: Path
) -> None:
    out, before = previous
    written = build(other_data, "2020", "iscm", out, ALL, quiet)
    after = snapshot(out)
    assert sorted(after) == sorted(NAMES) == sorted(w.path.name for w in written)
    assert all(after[name] != before[name] for name in NAMES)
    assert [w.size for w in written] == [len(after[w.path.name]) for w in written]
    assert all(w.pages >= 1 for w in written if w.path.suffix == ".pdf")


# -- planted links --------------------------------------------------------------------------


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file elsewhere that a planted link points at: it must never change."""
    path = tmp_path / "victim" / "precious.txt"
    path.parent.mkdir()
    path.write_text("precious", encoding="utf-8")
    return path


def midway(action: Callable[[Path], None], out: Path) -> Callable[..., int]:
    """A PDF writer that writes half, does `action` to the output folder, then finishes."""
    original = pdf_writer.write_pdf

    def write(document: Any, layout: Any, target: Any, *options: Any) -> int:
        target.write(b"%PDF-1.4 ")
        target.flush()
        action(out)
        return original(document, layout, target, *options)

    return write


def swap_temporaries_for_links(to: Path) -> Callable[[Path], None]:
    def swap(out: Path) -> None:
        for name in parts(out):
            (out / name).unlink()
            (out / name).symlink_to(to)

    return swap


def swap_temporaries_for_hard_links(to: Path) -> Callable[[Path], None]:
    def swap(out: Path) -> None:
        for name in parts(out):
            (out / name).unlink()
            os.link(to, out / name)

    return swap


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_temporary_file_swapped_for_a_link_is_never_written_through(
    previous: tuple[Path, dict[str, bytes]],
    other_data: Path,
    victim: Path,
    monkeypatch: pytest.MonkeyPatch,
    link: str,
) -> None:
    out, before = previous
    swap = swap_temporaries_for_links if link == "symbolic" else swap_temporaries_for_hard_links
    monkeypatch.setattr(pdf_writer, "write_pdf", midway(swap(victim), out))
    with pytest.raises(BulletinError) as caught:
        build(other_data, "2020", "iscm", out, ("pdf",), quiet)
    assert "temporary file was replaced during the build" in caught.value.problems[0].message
    assert victim.read_text(encoding="utf-8") == "precious"
    assert snapshot(out) == before


def test_an_output_folder_swapped_for_a_link_midway_is_not_followed(
    previous: tuple[Path, dict[str, bytes]],
    other_data: Path,
    victim: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, before = previous
    moved = tmp_path / "moved"

    def swap(folder: Path) -> None:
        folder.rename(moved)
        folder.symlink_to(victim.parent)

    monkeypatch.setattr(pdf_writer, "write_pdf", midway(swap, out))
    build(other_data, "2020", "iscm", out, ("pdf",), quiet)
    assert sorted(os.listdir(victim.parent)) == ["precious.txt"]
    assert snapshot(moved)[NAMES[0]] != before[NAMES[0]], "written where the build began"


def test_outputs_that_are_links_are_replaced_not_followed(
    previous: tuple[Path, dict[str, bytes]], other_data: Path, victim: Path
) -> None:
    out, _ = previous
    for name in NAMES:
        (out / name).unlink()
        (out / name).symlink_to(victim)
    build(other_data, "2020", "iscm", out, ALL, quiet)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not any((out / name).is_symlink() for name in NAMES)


@pytest.mark.parametrize("kind", ["link", "folder", "fifo"])
def test_a_lock_file_that_is_not_a_file_is_refused(
    previous: tuple[Path, dict[str, bytes]], other_data: Path, victim: Path, kind: str
) -> None:
    out, _ = previous
    lock = out / ".bulletin.lock"
    if kind == "link":
        lock.symlink_to(victim)
    elif kind == "folder":
        lock.mkdir()
    else:
        os.mkfifo(lock)
    with pytest.raises(BulletinError) as caught:
        build(other_data, "2020", "iscm", out, ALL, quiet)
    (problem,) = caught.value.problems
    assert problem.file == str(lock)
    assert problem.message.startswith("not a plain file")
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_leftover_that_is_a_link_is_removed_not_followed(
    previous: tuple[Path, dict[str, bytes]], small_data: Path, victim: Path
) -> None:
    out, _ = previous
    planted = out / f".{STEM}.pdf.0a1b2c3d.part"
    planted.symlink_to(victim)
    build(small_data, "2020", "iscm", out, ("pdf",), quiet)
    assert not planted.is_symlink()
    assert victim.read_text(encoding="utf-8") == "precious"
