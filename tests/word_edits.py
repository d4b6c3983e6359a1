"""An editor's session in Word, as the tests play it: the issue's data and Word file copied,
`bulletin pull` run on the untouched file, then one word changed in the Word file and pulled
back with `--apply`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx
import yaml
from click.testing import CliRunner

from tests.generated import YEAR_FILE


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
    """The year's events once `before` became `after` in the first Word run holding it and was
    pulled back; the untouched Word file must have had nothing to pull."""
    data, word = folder / "data", folder / issue["docx"].name
    shutil.copytree(issue["data"], data)
    shutil.copy(issue["docx"], word)
    assert "nothing to pull" in pull(word, data)
    document = docx.Document(str(word))
    paragraph = next(p for p in document.paragraphs if before in p.text)
    run = next(r for r in paragraph.runs if before in r.text)
    run.text = run.text.replace(before, after)
    document.save(str(word))
    pull(word, data, "--apply")
    (events,) = yaml.safe_load((data / YEAR_FILE).read_text())["events"].values()
    return list(events)
