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


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("module", ["generator.writers", "click", "generator.cli"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_stop_while_the_command_loads_ends_it_with_130_and_nothing_written(
    tmp_path: Path, stop: signal.Signals, module: str, command: str
) -> None:
    out = tmp_path / "out"
    result = stopped_at(module, stop, COMMANDS[command], out)
    assert (result.returncode, result.stderr) == (130, "interrupted; nothing was written.\n")
    assert result.stdout == ""
    assert not out.exists()
