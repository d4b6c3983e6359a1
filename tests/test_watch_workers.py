"""`bulletin watch` keeps its writer processes from one build to the next.

Its first build writes every file in its own process; each later build hands each file to a
process forked from it once (with the writers and fonts loaded), which keeps what it loaded
for the next build. Whatever happens to those processes (killed while idle or while writing,
a build that fails), every build writes what a cold build of the same data writes, or
nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import generator.build
from generator.build import build
from generator.watch import Watched, _end_workers, rebuild, writer_processes

ROOT = Path(__file__).resolve().parent.parent
ALL = ("pdf", "print", "docx")
EPOCH = "1600000000"


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def cold(data: Path, out: Path) -> dict[str, bytes]:
    """What a build writing every file in this process writes for the data."""
    build(data, "2020", None, out, ALL, lambda _line: None, in_process=True)
    return files(out)


class Watch:
    """A watch's builds called one by one, on a copy of the 2020 data."""

    def __init__(self, folder: Path) -> None:
        self.data = folder / "data"
        shutil.copytree(ROOT / "data", self.data)
        self.year = self.data / "2020.yaml"
        self.original = self.year.read_text(encoding="utf-8")
        self.out = folder / "out"
        self.folder = folder
        self.watched = Watched(self.data, "2020", None, self.out, ALL)
        self.said: list[str] = []
        self.builds = 0

    def edit(self, words: str) -> None:
        edited = self.original.replace("partnership", f"partnership {words}", 1)
        self.year.write_text(edited, encoding="utf-8")

    def rebuild(self, first: bool = False) -> bool:
        self.said.clear()
        return rebuild(self.watched, self.said.append, [self.year], first=first)

    def as_cold(self) -> bool:
        """Whether the watch's files are those a cold build of the data now writes."""
        self.builds += 1
        return files(self.out) == cold(self.data, self.folder / f"cold-{self.builds}")


@pytest.fixture
def watch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Watch]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    watch = Watch(tmp_path)
    assert watch.rebuild(first=True), watch.said
    yield watch
    _end_workers(watch.watched)


def test_the_writer_processes_are_kept_and_every_rebuild_is_a_cold_builds_bytes(
    watch: Watch,
) -> None:
    watch.edit("one")
    assert watch.rebuild(), watch.said
    workers = writer_processes(watch.watched)
    assert sorted(workers) == sorted(ALL) and os.getpid() not in workers.values()
    assert watch.as_cold()
    for words in ("two", "three and a longer text than before " * 8, ""):
        watch.edit(words)
        assert watch.rebuild(), watch.said
        assert writer_processes(watch.watched) == workers  # the same, warm processes
        assert watch.as_cold()
    _end_workers(watch.watched)  # as the watch ends
    for pid in workers.values():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_writer_process_killed_between_builds_is_forked_again(watch: Watch) -> None:
    watch.edit("one")
    assert watch.rebuild(), watch.said
    killed = writer_processes(watch.watched)["print"]
    os.kill(killed, signal.SIGKILL)
    watch.edit("two")
    assert watch.rebuild(), watch.said
    assert writer_processes(watch.watched)["print"] != killed
    assert watch.as_cold()


def test_a_writer_process_killed_while_writing_fails_that_build_only(
    watch: Watch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build says which file's process was killed and leaves the last files in place;
    the next build forks new processes."""
    here = os.getpid()
    write = generator.build._write

    def killed_in_a_worker(writer: Any, *args: Any) -> Any:
        if os.getpid() != here and writer.key == "print":
            os.kill(os.getpid(), signal.SIGKILL)
        return write(writer, *args)

    watch.edit("one")
    assert watch.rebuild(), watch.said
    before = files(watch.out)
    _end_workers(watch.watched)  # the next are forked with the killing writer
    monkeypatch.setattr(generator.build, "_write", killed_in_a_worker)
    watch.edit("two")
    assert not watch.rebuild()
    assert "1 problem; the files were left as they were" in watch.said[0]
    assert "-print.pdf:1:1: the process writing this file was killed by SIGKILL" in watch.said[1]
    assert files(watch.out) == before
    monkeypatch.setattr(generator.build, "_write", write)
    _end_workers(watch.watched)
    assert watch.rebuild(), watch.said
    assert watch.as_cold()


def test_a_build_that_fails_while_the_workers_write_keeps_them(watch: Watch) -> None:
    """A character the fonts lack is found here while the workers write: the build fails,
    located, the workers finish and are kept, and the next build is right."""
    watch.edit("one")
    assert watch.rebuild(), watch.said
    workers = writer_processes(watch.watched)
    before = files(watch.out)
    watch.edit("\u2603")
    assert not watch.rebuild()
    assert "character '☃' (U+2603 SNOWMAN) cannot be drawn" in "\n".join(watch.said)
    assert files(watch.out) == before
    watch.edit("two")
    assert watch.rebuild(), watch.said
    assert writer_processes(watch.watched) == workers
    assert watch.as_cold()


def test_the_writer_processes_wait_for_the_first_save(watch: Watch) -> None:
    """Forked once the first build is done, from the warm watch process: the first save
    finds them there and is written by them."""
    waiting = writer_processes(watch.watched)
    assert sorted(waiting) == sorted(ALL) and os.getpid() not in waiting.values()
    watch.edit("one")
    assert watch.rebuild(), watch.said
    assert writer_processes(watch.watched) == waiting
    assert watch.as_cold()
