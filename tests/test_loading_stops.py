"""A stop (Ctrl-C, SIGTERM, SIGHUP) while `bulletin` loads, before a command has begun:
exit 130 with the stop's message and nothing written, whatever the command; never a
traceback from inside an import, click's `Aborted!`, nor a death by the signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

STOPPED_AT = """
import os, signal, sys

MODULE, STOP = sys.argv[1], int(sys.argv[2])

class StopAt:
    def find_spec(self, name, path=None, target=None):
        if name == MODULE:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), STOP)
        return None

sys.meta_path.insert(0, StopAt())
sys.argv[:] = ["bulletin", *sys.argv[3:]]
from generator.start import main
main()
"""
"""Run `bulletin` with a signal sent to itself as a module first loads: the stop lands
exactly there, with no timing."""

COMMANDS = {
    "build": ["build", "2020"],
    "build-one": ["build", "2020", "--format", "pdf"],
    "build-usage": ["build", "20"],
    "check": ["check", "2020"],
    "watch": ["watch", "2020"],
    "help": ["--help"],
}


def stopped_at(module: str, stop: signal.Signals, command: list[str], out: Path):
    return subprocess.run(
        [sys.executable, "-c", STOPPED_AT, module, str(int(stop)), *command, *after(command, out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1600000000"},
    )


def after(command: list[str], out: Path) -> list[str]:
    return ["--output", str(out)] if command[0] in ("build", "watch") else []


WITHOUT_CLICK = {"build", "build-one", "check"}
"""The commands start.py runs without loading click (a plain build or check)."""
LOADING = [
    (command, module)
    for command in sorted(COMMANDS)
    for module in ("generator.writers", "generator.command", "click", "generator.cli")
    if not (command in WITHOUT_CLICK and module in ("click", "generator.cli"))
    and not (command == "check" and module == "generator.writers")  # a check loads no writer
] + [("check", "generator.checking")]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize(("command", "module"), LOADING)
def test_a_stop_while_the_command_loads_ends_it_with_130_and_nothing_written(
    tmp_path: Path, stop: signal.Signals, module: str, command: str
) -> None:
    out = tmp_path / "out"
    result = stopped_at(module, stop, COMMANDS[command], out)
    assert (result.returncode, result.stderr) == (130, "interrupted; nothing was written.\n")
    assert result.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"watch"}))
def test_only_a_plain_build_or_check_runs_without_click(tmp_path: Path, command: str) -> None:
    """A plain build or check never loads click (start.py reads its command line); every
    other command line, a build's usage error included, is click's."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED, *COMMANDS[command], *after(COMMANDS[command], tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1600000000"},
    )
    assert "ended" in result.stdout.split(), result.stderr
    assert ("click" in result.stdout.split()) == (command not in WITHOUT_CLICK), result.stderr
    if command in WITHOUT_CLICK:
        assert result.returncode == 0, result.stderr
    if command.startswith("build") and command in WITHOUT_CLICK:
        assert (tmp_path / "iscm-highlights-2020.pdf").exists()


LOADED = """
import atexit, os, sys
MAIN, END = os.getpid(), os._exit
def loaded(code=None):
    if os.getpid() == MAIN:
        print("ended", *sys.modules, flush=True)
    if code is not None:
        END(code)
atexit.register(loaded)
os._exit = loaded
sys.argv[:] = [*sys.argv[:1], *sys.argv[1:], "--quiet"] if sys.argv[1:2] == ["build"] else sys.argv
from generator.start import main
main()
"""
"""Run `bulletin`, printing the modules its own process loaded as it ends (by Python's own
ending, or at once with its exit code, as a build ends)."""
