"""An editor's session in Word, as the tests play it: the issue's data and Word file copied,
`bulletin pull` run on the untouched file, then text changed in the Word file (`edit`) and
pulled back with `--apply`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn

from tests.generated import YEAR_FILE


def edit(path: Path, old: str, new: str, target: Path | None = None) -> Path:
    """Replace text inside one paragraph of the Word file, as an editor typing in Word would:
    text over several runs (a date's month is a run of its own) becomes the first one's."""
    document = docx.Document(str(path))
    for paragraph in document.element.body.iter(qn("w:p")):
        texts = list(paragraph.iter(qn("w:t")))
        joined = "".join(t.text or "" for t in texts)
        if old in joined:
            _replace_in_runs(texts, joined.index(old), old, new)
            break
    else:
        raise AssertionError(f"{old!r} is not in {path}")
    document.save(str(target or path))
    return target or path


def _replace_in_runs(texts: list, start: int, old: str, new: str) -> None:
    """Replace `old`, found at `start` of the runs' joined text, by `new` in the first run."""
    end, at, placed = start + len(old), 0, False
    for node in texts:
        text = node.text or ""
        low, high = max(start - at, 0), min(end - at, len(text))
        if low < high or (low == high == 0 and start == at and not placed):
            node.text = text[:low] + ("" if placed else new) + text[high:]
            placed = True
        at += len(text)


def pull(word: Path, data: Path, *args: str) -> str:
    """What `bulletin pull 2020 WORD --data DATA ARGS` says (it must succeed)."""
    from generator.cli import main

    command = ["pull", "2020", str(word), "--data", str(data), *args]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    return result.output


def events_after_edit(
    issue: dict[str, Path], folder: Path, before: str, after: str
) -> list[dict[str, Any]]:
    """The year's events once `before` became `after` in the Word file (`edit`) and was pulled
    back; the untouched Word file must have had nothing to pull."""
    data, word = folder / "data", folder / issue["docx"].name
    shutil.copytree(issue["data"], data)
    shutil.copy(issue["docx"], word)
    assert "nothing to pull" in pull(word, data)
    edit(word, before, after)
    pull(word, data, "--apply")
    (events,) = yaml.safe_load((data / YEAR_FILE).read_text())["events"].values()
    return list(events)
