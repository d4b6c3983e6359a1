"""`bulletin watch`: a real process rebuilding on saves, surviving bad saves, ended by Ctrl-C."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from generator.watch import Watched

ROOT = Path(__file__).resolve().parent.parent
WAIT = 90  # seconds: a build on a busy two-core machine


class WatchProcess:
    """`bulletin watch` in a child process, its output read line by line."""

    def __init__(self, data: Path, out: Path) -> None:
        command = [sys.executable, "-m", "generator", "watch", "2020"]
        command += ["--data", str(data), "--output", str(out)]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, text: str) -> list[str]:
        """The lines printed up to and including the first that contains `text`."""
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no line with {text!r} after {WAIT} s; saw {seen}")
            seen.append(line)
            if text in line:
                return seen

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        _, error = self.process.communicate(timeout=WAIT)
        return self.process.returncode, error


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[WatchProcess, Path, Path]]:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    out = tmp_path / "out"
    watch = WatchProcess(data, out)
    yield watch, data / "2020.yaml", out
    if watch.process.poll() is None:
        watch.process.kill()
        watch.process.wait()


def screen_text(out: Path) -> str:
    """The screen PDF's text, with words hyphenated at a line's end joined again."""
    reader = pypdf.PdfReader(out / "iscm-highlights-2020.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"(?<=\w)-[ \t]*\n\s*(?=\w)", "", text)


def children(pid: int) -> set[int]:
    """The process ids of a process's children (Linux)."""
    tasks = Path(f"/proc/{pid}/task")
    return {
        int(child) for task in tasks.iterdir() for child in (task / "children").read_text().split()
    }


def replace_atomically(path: Path, text: str) -> None:
    """Save as many editors do: write a temporary file beside it, then rename it over."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_a_saved_edit_is_rebuilt_and_bad_saves_do_not_end_the_watch(
    watching: tuple[WatchProcess, Path, Path],
) -> None:
    watch, year_file, out = watching
    watch.until("watching")
    assert "shared responsibility and partnership" in " ".join(screen_text(out).split())
    original = year_file.read_text(encoding="utf-8")
    edited = original.replace("responsibility and partnership", "responsibility and solidarity")
    year_file.write_text(edited, encoding="utf-8")
    line = watch.until("changed")[-1]
    assert "2020.yaml changed: wrote 3 files (4 pages) in" in line
    assert "responsibility and solidarity" in " ".join(screen_text(out).split())
    workers = children(watch.process.pid)
    assert len(workers) == 3  # its writer processes, one per file, kept between rebuilds

    before = {p.name: p.read_bytes() for p in out.iterdir()}
    year_file.write_text(edited[: len(edited) // 2] + '\n  - title: "unclosed', encoding="utf-8")
    lines = watch.until("changed")
    lines += [watch.lines.get(timeout=WAIT)]  # the located problem under it
    assert "1 problem; the files were left as they were" in lines[-2]
    assert "2020.yaml:" in lines[-1] and "not valid YAML" in lines[-1]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

    replace_atomically(year_file, original)
    assert "wrote 3 files" in watch.until("changed")[-1]
    assert "shared responsibility and partnership" in " ".join(screen_text(out).split())

    assert children(watch.process.pid) == workers  # the same processes wrote it again

    code, error = watch.stop()
    assert code == 0, error
    assert "Traceback" not in error
    assert sorted(p.name for p in out.iterdir()) == sorted(before)  # no temporary file left
    for pid in workers:  # they ended (and were reaped) with the watch
        assert not Path(f"/proc/{pid}").exists()


def test_an_emptied_file_is_a_located_problem_not_a_crash(
    watching: tuple[WatchProcess, Path, Path],
) -> None:
    watch, year_file, _ = watching
    watch.until("watching")
    year_file.write_text("", encoding="utf-8")
    lines = watch.until("changed")
    lines += [watch.lines.get(timeout=WAIT)]
    assert "problem" in lines[-2]
    assert "2020.yaml:1:1:" in lines[-1]
    code, error = watch.stop()
    assert (code, "Traceback" in error) == (0, False)


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("2020.yaml", True),
        ("mechanisms.yaml", True),
        ("bulletin.yaml", True),
        ("2021.yaml", False),  # another year's data
        (".2020.yaml.swp", False),  # vim
        (".2020.yaml.tmp", False),  # a save in progress
        ("2020.yaml~", False),  # a backup
        (".#2020.yaml", False),  # emacs lock
        ("notes.txt", False),
    ],
)
def test_which_saves_in_the_data_folder_rebuild(name: str, read: bool) -> None:
    watched = Watched(ROOT / "data", "2020", "iscm", ROOT / "output" / "2020", ("pdf",))
    assert watched.reads(ROOT / "data" / name) is read


def test_layout_and_font_saves_rebuild() -> None:
    watched = Watched(ROOT / "data", "2020", "iscm", ROOT / "output" / "2020", ("pdf",))
    assert watched.reads(ROOT / "layouts" / "iscm" / "text.yaml")
    assert watched.reads(ROOT / "fonts" / "Lato-Regular.ttf")
    assert not watched.reads(ROOT / "layouts" / "iscm" / ".layout.yaml.swp")


def test_a_rebuild_shows_its_warnings_under_its_line(tmp_path: Path) -> None:
    from generator.watch import rebuild

    said: list[str] = []
    watched = Watched(ROOT / "data", "2020", "iscm", tmp_path / "out", ("pdf",))
    assert rebuild(watched, said.append, changed=[])
    assert "wrote 1 file (" in said[0]
    assert len(said) == 5, said  # the published 2020 issue has four warnings
    assert all(": warning: " in line and line.startswith("  ") for line in said[1:]), said
