"""However a build shares its work between processes, it writes the same bytes.

`bulletin build` forks a renderer before the data is checked; a build called in-process forks
a writer when it writes; `bulletin watch`'s first build writes everything in its own process
and its rebuilds fork warm processes. All four give identical files, and a build that fails
ends its renderer (else the command would wait for it at exit).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.errors import BulletinError, Problem
from generator.parallel import Pickled, Renderer
from generator.watch import Watched, rebuild
from tests.generated import bulletin_data, write_data

ROOT = Path(__file__).resolve().parent.parent
ALL = ("pdf", "print", "docx")
EPOCH = "1600000000"


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def cli_build(data: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_python(
        "-m", "generator", "build", "2020", "--data", str(data), "--output", str(out), *extra
    )


def run_python(*arguments: str) -> subprocess.CompletedProcess[str]:
    """This Python run in the project's folder at the fixed SOURCE_DATE_EPOCH."""
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_data(tmp_path_factory.mktemp("data"), bulletin_data(5, 5, 3))


@pytest.fixture(scope="module")
def by_command(data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("cli") / "out"
    result = cli_build(data, out)
    assert result.returncode == 0, result.stderr
    return files(out)


def test_the_command_and_an_in_process_build_write_the_same_bytes(
    data: Path, by_command: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(data, "2020", None, tmp_path / "forked", ALL, lambda _line: None)
    build(data, "2020", None, tmp_path / "here", ALL, lambda _line: None, in_process=True)
    assert sorted(by_command) == sorted(n for n in by_command if not n.startswith("."))
    assert len(by_command) == 3
    assert files(tmp_path / "forked") == by_command
    assert files(tmp_path / "here") == by_command


def test_the_print_pdf_is_derived_from_the_screen_pdf_not_laid_out_again(
    data: Path, by_command: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the screen PDF is built too, the build's process derives the print PDF from it
    (writers/pdf/press.py): the renderer lays out no page of the print PDF. Here every layout
    of a print PDF fails (in the renderer, forked with the writer patched, and here)."""
    import generator.writers.pdf.writer as pdf_writer
    from generator.build import start_renderer

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "out"
    original = pdf_writer.PdfWriter

    def laid_out(document: Any, layout: Any, print_ready: bool) -> Any:
        assert not print_ready, "the print PDF was laid out a second time"
        return original(document, layout, print_ready)

    monkeypatch.setattr(pdf_writer, "PdfWriter", laid_out)
    renderer = start_renderer(ALL)  # forked now: with the writer patched
    try:
        build(data, "2020", None, out, ALL, lambda _line: None, renderer=renderer)
    finally:
        if renderer is not None:
            renderer.cancel()
    assert files(out) == by_command


def test_a_screen_pdf_the_renderer_finished_itself_is_a_bug_not_an_empty_print_pdf(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The print PDF is derived from the screen PDF the renderer leaves unfinished: should
    the renderer finish it itself, the build stops as a bug, and no print PDF is written (its
    temporary file would be empty)."""
    from dataclasses import replace

    from generator.build import start_renderer
    from generator.writers.pdf.writer import PdfFileWriter

    original = PdfFileWriter.write

    def finished(self: Any, document: Any, layout: Any, target: Any, options: Any) -> Any:
        return original(self, document, layout, target, replace(options, finish_apart=False))

    monkeypatch.setattr(PdfFileWriter, "write", finished)
    out = tmp_path / "out"
    renderer = start_renderer(ALL)  # forked now: with the writer patched
    try:
        with pytest.raises(RuntimeError, match="no print PDF derived"):
            build(data, "2020", None, out, ALL, lambda _line: None, renderer=renderer)
    finally:
        if renderer is not None:
            renderer.cancel()
    assert not out.exists() or not any(out.iterdir())


def test_the_watch_first_and_warm_builds_write_the_same_bytes(
    data: Path, by_command: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    watched = Watched(data, "2020", None, tmp_path / "out", ALL)
    said: list[str] = []
    assert rebuild(watched, said.append, [], first=True), said
    assert files(tmp_path / "out") == by_command
    shutil.rmtree(tmp_path / "out")
    assert rebuild(watched, said.append, [data / "2020.yaml"]), said
    assert files(tmp_path / "out") == by_command


@pytest.mark.parametrize("extra", [(), ("--format", "pdf"), ("--format", "docx")])
def test_a_data_error_ends_the_build_and_its_renderer(
    data: Path, tmp_path: Path, extra: tuple[str, ...]
) -> None:
    broken = tmp_path / "data"
    shutil.copytree(data, broken)
    year = broken / "2020.yaml"
    year.write_text(year.read_text(encoding="utf-8") + "\nunknown_key: 1\n", encoding="utf-8")
    result = cli_build(broken, tmp_path / "out", *extra)
    assert result.returncode == 1, result.stderr
    assert f"{year}:" in result.stderr and "unknown_key" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_one_format_from_the_command_is_the_same_file(
    data: Path, by_command: dict[str, bytes], tmp_path: Path
) -> None:
    for key, name in (("docx", ".docx"), ("print", "-print.pdf")):
        out = tmp_path / key
        result = cli_build(data, out, "--format", key)
        assert result.returncode == 0, result.stderr
        [(written, content)] = files(out).items()
        assert written.endswith(name) and by_command[written] == content


def test_a_character_the_fonts_lack_stops_the_build_while_the_renderer_writes(
    tmp_path: Path,
) -> None:
    """The glyph check runs in the build's process while the renderer writes the files."""
    broken = tmp_path / "data"
    shutil.copytree(ROOT / "data", broken)
    year = broken / "2020.yaml"
    text = year.read_text(encoding="utf-8")
    year.write_text(text.replace("partnership", "partnership \u2603", 1), encoding="utf-8")
    line = text[: text.index("partnership")].count("\n") + 1
    result = cli_build(broken, tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert f"{year}:{line}:" in result.stderr
    assert "character '☃' (U+2603 SNOWMAN) cannot be drawn" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_watch_rebuild_that_changes_the_page_count_shows_the_new_count_in_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm rebuild writes the Word file beside the screen PDF with the last build's page
    count; when the edit changed the count, the Word file is written again with the new one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    data = write_data(tmp_path / "data", bulletin_data(5, 2, 1))
    watched = Watched(data, "2020", None, tmp_path / "out", ALL)
    said: list[str] = []
    assert rebuild(watched, said.append, [], first=True), said
    first = pdf_pages(tmp_path / "out")
    counts = []
    for size in (9, 2, 9):
        write_data(data, bulletin_data(5, size, 3 if size > 2 else 1))
        assert rebuild(watched, said.append, [data / "2020.yaml"]), said
        pages = pdf_pages(tmp_path / "out")
        assert word_pages(tmp_path / "out") == pages
        cold = cli_build(data, tmp_path / f"cold-{len(counts)}")
        assert cold.returncode == 0, cold.stderr
        assert files(tmp_path / "out") == files(tmp_path / f"cold-{len(counts)}")
        counts.append(pages)
    assert counts[0] > first and counts[1] == first and counts[2] == counts[0]


def pdf_pages(out: Path) -> int:
    import pypdf

    [screen] = [p for p in out.iterdir() if p.suffix == ".pdf" and "-print" not in p.name]
    return len(pypdf.PdfReader(screen).pages)


def word_pages(out: Path) -> int:
    import re
    import zipfile

    [word] = out.glob("*.docx")
    app = zipfile.ZipFile(word).read("docProps/app.xml").decode()
    found = re.search(r"<Pages>(\d+)</Pages>", app)
    assert found is not None
    return int(found[1])


@pytest.mark.parametrize("extra", [(), ("--format", "pdf")])
def test_a_problem_the_renderer_finds_is_located_and_nothing_is_written(
    tmp_path: Path, extra: tuple[str, ...]
) -> None:
    """The renderer writes the PDFs while this process waits to write the Word file with the
    screen PDF's page count: a problem the renderer finds is reported as located as any,
    the Word file is not written, and no file is left."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "data", project / "data")
    layout = project / "layouts" / "huge" / "layout.yaml"
    layout.parent.mkdir(parents=True)
    layout.write_text("extends: iscm\nstyles: {Heading 1: {size: 200, leading: 250}}\n")
    result = cli_build(project / "data", tmp_path / "out", "--layout", "huge", *extra)
    assert result.returncode == 1, result.stderr
    assert re.search(r"^\S*layouts/iscm/layout\.yaml:\d+:\d+: styles: ", result.stderr, re.M)
    assert "the content does not fit the page: a paragraph " in result.stderr
    assert "1 problem found; nothing was written." in result.stderr
    assert "Traceback" not in result.stderr and "bug" not in result.stderr
    assert not (tmp_path / "out").exists()


def _tells(tell: Any, descriptors: list[int], value: int) -> str:
    tell(value * 2)
    return f"done {value}"


def _fails(tell: Any, descriptors: list[int], value: int) -> str:
    raise BulletinError([Problem("data/2020.yaml", 3, 4, "events", "bad", "fix it")])


def _never_tells(tell: Any, descriptors: list[int], value: int) -> str:
    return "done"


def _killed_as(how: str) -> BaseException:
    return RuntimeError(f"killed: {how}")


def test_the_renderer_tells_a_value_before_its_answer() -> None:
    renderer = Renderer([], lambda: None)
    renderer.write(_tells, [], 21)
    assert renderer.told(_killed_as) == 42
    assert renderer.result(_killed_as) == "done 21"


def test_a_renderer_that_fails_before_telling_raises_its_located_problem() -> None:
    renderer = Renderer([], lambda: None)
    renderer.write(_fails, [], 1)
    with pytest.raises(BulletinError) as caught:
        renderer.told(_killed_as)
    assert str(caught.value.problems[0]) == "data/2020.yaml:3:4: events: bad (fix it)"


def _awaits(link: Any, descriptors: list[int], value: int) -> int:
    link(value)  # told first: the build's process answers with a value of its own
    return int(link.awaited()) + value


def test_the_renderer_awaits_a_value_the_build_hands_it() -> None:
    renderer = Renderer([], lambda: None)
    renderer.write(_awaits, [], 20)
    assert renderer.told(_killed_as) == 20
    renderer.hand(22)
    assert renderer.result(_killed_as) == 42


def test_a_word_nobody_awaits_is_passed_over_and_one_never_told_is_a_bug() -> None:
    renderer = Renderer([], lambda: None)
    renderer.write(_tells, [], 1)
    assert renderer.result(_killed_as) == "done 1"
    silent = Renderer([], lambda: None)
    silent.write(_never_tells, [], 1)
    with pytest.raises(RuntimeError, match="without telling"):
        silent.told(_killed_as)


def _shares(tell: Any, descriptors: list[int], value: dict[str, list[int]]) -> tuple[Any, ...]:
    return value, value["a"] is value["b"]


def test_a_value_pickled_once_reaches_each_renderer_whole() -> None:
    """The document is pickled once for the renderer and the Word file's process: each gets
    the value itself, the objects it shares still shared."""
    shared = [1, 2]
    value = {"a": shared, "b": shared}
    once = Pickled(value)
    renderers = [Renderer([], lambda: None), Renderer([], lambda: None)]
    for renderer in renderers:
        renderer.write(_shares, [], once)
    for renderer in renderers:
        assert renderer.result(_killed_as) == (value, True)


@pytest.mark.parametrize("broken", [False, True])
def test_a_build_leaves_the_cycle_collector_as_it_found_it(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: bool
) -> None:
    """A cold build loads without the cycle collector and writes with it; a build called
    in-process (a test's) leaves it on, with nothing frozen, whichever process wrote."""
    import gc

    from click.testing import CliRunner

    from generator.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = tmp_path / "data"
    shutil.copytree(data, folder)
    if broken:
        year = folder / "2020.yaml"
        year.write_text(year.read_text(encoding="utf-8") + "\nunknown_key: 1\n", encoding="utf-8")
    arguments = ["build", "2020", "--data", str(folder), "--output", str(tmp_path / "out")]
    for formats in (["--format", "pdf"], ["--format", "docx"]):  # written there, and here
        result = CliRunner().invoke(main, [*arguments, *formats, "-q"])
        assert result.exit_code == (1 if broken else 0), result.output
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0  # what the build froze is collected again


def _prepares_slowly(seconds: float) -> None:
    import time

    time.sleep(seconds)


@pytest.mark.parametrize("asked", ["told", "result"])
@pytest.mark.parametrize("handed", [0, 1, 3])
def test_a_renderer_killed_with_words_unread_is_said_killed_not_a_bug(
    asked: str, handed: int
) -> None:
    """A renderer killed (kill -9, the OOM killer) while the work handed to it is still unread
    resets the socket (ECONNRESET, not an end of file): the build says it was killed."""
    renderer = Renderer([], _prepares_slowly)
    renderer.prepare_with(30.0)
    for value in range(handed):  # unread: the renderer is still preparing
        renderer.write(_tells, [], value)
    os.kill(renderer._process.pid, signal.SIGKILL)
    with pytest.raises(RuntimeError, match=r"^killed: killed by SIGKILL$"):
        getattr(renderer, asked)(_killed_as)


ENTRY = "from generator.{} import main; main()"


@pytest.mark.parametrize("closed", [">&-", "2>&-", ">&- 2>&-"])
@pytest.mark.parametrize("epoch", [EPOCH, "abc"])
def test_a_build_with_a_closed_stream_ends_as_click_alone_would(
    data: Path, tmp_path: Path, closed: str, epoch: str
) -> None:
    """`bulletin build` started with stdout or stderr closed: the same exit code as the
    command without the early renderer (`generator.cli`), and the files written all the same."""
    codes = {}
    for module in ("start", "cli"):
        out = tmp_path / module
        command = [sys.executable, "-c", ENTRY.format(module), "build", "2020", "-q"]
        command += ["--data", str(data), "--output", str(out), "--format", "pdf"]
        shell = f'exec "$@" {closed}'
        run = subprocess.run(
            ["sh", "-c", shell, "sh", *command],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "SOURCE_DATE_EPOCH": epoch},
        )
        assert "Traceback" not in run.stderr
        codes[module] = run.returncode, sorted(path.name for path in out.glob("*"))
    assert codes["start"] == codes["cli"]
    assert codes["cli"][0] == (0 if epoch == EPOCH else 2)


WATCHED_IMPORTS = ("pikepdf", "babel", "yaml")
"""What a build's renderer leaves to the main process: the PDFs' structure tree (pikepdf,
which the main process imports while it waits, then finishes the files), the locale data
(the document gives the month names) and YAML (the data and layout come composed)."""


@pytest.mark.parametrize("formats", [("--format", "pdf"), ()], ids=["pdf", "all"])
def test_the_renderer_loads_neither_pikepdf_nor_babel_nor_yaml(
    data: Path, tmp_path: Path, formats: tuple[str, ...], by_command: dict[str, bytes]
) -> None:
    imported = imports_of_a_build(data, tmp_path, formats, WATCHED_IMPORTS)
    assert {line for line in imported if line.startswith("child")} == set()
    assert {"main pikepdf", "main yaml"} <= imported  # babel: where its words are not kept
    written = files(tmp_path / "out")
    assert written == {name: by_command[name] for name in written}


@pytest.mark.parametrize(
    ("keys", "beside"),
    [
        (ALL, True),
        (("pdf", "docx"), True),
        (("pdf",), False),
        (("pdf", "print"), False),
        (("print", "docx"), False),
        (("docx",), None),
    ],
)
def test_the_word_files_process_is_forked_with_the_renderer_when_it_writes_beside_it(
    keys: tuple[str, ...], beside: bool | None
) -> None:
    """With the screen PDF, the Word file's process is forked at once with the renderer
    (python-docx loads while the data is checked); without it, the renderer writes the
    Word file after a screen PDF of its own; the Word file alone needs no renderer."""
    from generator.build import start_renderer

    renderer = start_renderer(keys)
    try:
        if beside is None:
            assert renderer is None
            return
        assert renderer is not None
        assert (renderer.beside is not None) is beside
        if renderer.beside is not None:
            assert renderer.beside._process.is_alive()
            assert renderer.beside._process.pid != renderer._process.pid
    finally:
        if renderer is not None:
            renderer.cancel()
    if renderer.beside is not None:
        assert not renderer.beside._process.is_alive()  # ended with the renderer


def test_a_screen_pdf_alone_loads_no_python_docx(
    data: Path, tmp_path: Path, by_command: dict[str, bytes]
) -> None:
    imported = imports_of_a_build(data, tmp_path, ("--format", "pdf"), ("docx", "babel"))
    assert imported <= {"main babel"}  # where its words are not kept (locale_words)
    [(name, written)] = files(tmp_path / "out").items()
    assert name.endswith(".pdf") and not name.endswith("-print.pdf")
    assert written == by_command[name]


WORD_FAILS = """
import sys
import generator.writers.docx.writer as word
from generator.errors import BulletinError, Problem
def write(*args, **options):
    raise {error}
word.write_docx = write  # the Word file's process, forked at start-up, inherits it
sys.argv = ["bulletin", "build", "2020", "--data", {data!r}, "--output", {out!r}]
from generator.start import main
main()
"""


@pytest.mark.parametrize(
    ("error", "code", "said"),
    [
        (
            'BulletinError([Problem("data/2020.yaml", 3, 4, "events", "bad", "fix it")])',
            1,
            "data/2020.yaml:3:4: events: bad (fix it)\n1 problem found; nothing was written.",
        ),
        ('RuntimeError("a bug in the Word writer")', 3, "RuntimeError: a bug in the Word writer"),
    ],
    ids=["problem", "bug"],
)
def test_a_failure_in_the_word_files_process_is_reported_and_nothing_is_written(
    data: Path, tmp_path: Path, error: str, code: int, said: str
) -> None:
    out = tmp_path / "out"
    script = WORD_FAILS.format(error=error, data=str(data), out=str(out))
    result = run_python("-c", script)
    assert result.returncode == code, result.stderr
    assert said in result.stderr
    if code == 3:
        assert "internal error: RuntimeError: in the writer process:" in result.stderr
    assert not out.exists()


def test_only_the_word_files_process_loads_python_docx(
    data: Path, tmp_path: Path, by_command: dict[str, bytes]
) -> None:
    """All three files: python-docx loads in the Word file's own process only (forked as
    soon as the renderer has its work, not once the build's process has loaded it);
    fontTools in none (the Word writer reads the fonts' tables itself), click in none (the
    command line is read by start.py)."""
    imported = imports_of_a_build(data, tmp_path, (), ("docx", "fontTools", "click"))
    assert imported == {"child docx"}
    assert files(tmp_path / "out") == by_command


def imports_of_a_build(
    data: Path, tmp_path: Path, formats: tuple[str, ...], names: tuple[str, ...]
) -> set[str]:
    """Which of the top-level modules `names` a `bulletin build` loads, in its own process
    ("main name") or in another ("child name")."""
    log = tmp_path / "imports.log"
    code = f"""
import os, sys
MAIN = os.getpid()
class Watch:
    def find_spec(self, name, path, target=None):
        if name in {names!r}:
            with open({str(log)!r}, "a") as f:
                f.write(f"{{'main' if os.getpid() == MAIN else 'child'}} {{name}}\\n")
sys.meta_path.insert(0, Watch())
sys.argv = ["bulletin", "build", "2020", "--data", {str(data)!r}, "--output",
            {str(tmp_path / "out")!r}, *{formats!r}]
from generator.start import main
main()
"""
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    return set(log.read_text().splitlines()) if log.exists() else set()


@pytest.mark.parametrize("dies", ["exits", "is killed"])
def test_a_child_whose_parent_is_gone_never_holds_the_build_open(dies: str) -> None:
    """A writer's child (the print PDF's, forked by the renderer) whose parent ended first
    (the build stopped by a character the fonts lack cancels the renderer) ends too: it
    used to hold the pipe's other end itself and block for ever writing an answer larger
    than a pipe holds (a PDF's bytes), keeping the build's stdout open, so a caller reading
    it (`subprocess.run`, a shell's `$(...)`) hung."""
    ending = "os._exit(0)" if dies == "exits" else "os.kill(os.getpid(), signal.SIGKILL)"
    code = f"""
import os, signal, time
from generator.parallel import ChildJob
def answer():
    time.sleep(0.3)  # its parent is gone by then
    return b"x" * 1_000_000
job = ChildJob(answer)
print("forked", flush=True)
{ending}
"""
    started = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert started.stdout == "forked\n", started.stderr
