"""`bulletin new YEAR`: a fresh year file with the year, the next issue number, the whole
year as its period and every section empty, with short commented examples."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ... import sources
from ...dates import to_roman
from ...errors import BulletinError, fail, shown_path

YEAR_FILE = re.compile(r"^(\d{4})\.yaml$")

TEMPLATE = """\
# {title} (Issue {roman}), started with `bulletin new {year}`.
# Fill in each part below: lines starting with # are comments and examples to copy (remove
# the # and keep the indentation). Mechanisms are named by their keys in mechanisms.yaml.
# The steps: docs/making-an-issue.md; every key: docs/data-format.md.
# Then run `bulletin check {year}` until it reports no problem, and `bulletin build {year}`.

year: {year}
issue: {issue}                      # printed as a roman numeral: Issue {roman}
period: {year}-01-01/{year}-12-31   # whole months, printed: January – December {year}

mechanisms:     # optional: a mechanism named or filed differently in this issue only
  # Colombo: {{name: Colombo Process, sort_as: Colombo}}

notes:          # optional: a line under a mechanism's heading
  # ADD: 10th anniversary of the Abu Dhabi Dialogue

events:         # by mechanism key: its events, in the order printed
  # ADD:
  #   - title: 6th Ministerial Consultation
  #     dates: {year}-10-20/{year}-10-21   # a range; one day: {year}-10-20
  #                                          # several: [{year}-07-06, {year}-07-09]
  #     place: Dubai, United Arab Emirates   # optional; "virtual" for an online event
  #     summary: adopted a declaration on labour mobility.
  #   - dates: {year}-06-04                  # no title: printed "A meeting, 4 June, ..."
  #     summary: focused on irregular migration.
  #   - text: Two **webinars** addressed labour migration.   # free text: no single date

features:       # optional: set apart after the main events
  # - title: The title of a feature
  #   paragraphs:
  #     - A first paragraph.
  #     - A second paragraph.

global_initiatives:   # each row: an initiative and the mechanisms (keys) that addressed it
  # - name: Global Compact on Migration
  #   mechanisms: [Bali, Colombo, GFMD]

thematic_areas:       # each row: a thematic area and its mechanisms; the chart counts them
  # - name: Labour migration
  #   mechanisms: [ADD, Colombo]

publications:
  # - title: Protecting migrants at sea
  #   mechanism: Bali                     # a mechanism's key, or `publisher: IOM`
  #   url: https://www.baliprocess.net/

closing:        # the last lines: a label and its links
  # - label: More ISCM publications
  #   links:
  #     - {{label: Research on ISCMs, url: "https://www.iom.int/research-iscms"}}
"""


def new_year(data_dir: Path, year: str) -> tuple[Path, int]:
    """Write data/<year>.yaml for a new issue, never over an existing file; its path and
    issue number."""
    target = data_dir / f"{year}.yaml"
    shown = shown_path(target)
    if not data_dir.is_dir():
        raise fail(shown_path(data_dir), "no such folder", "run from the project, or give --data")
    issue = next_issue(data_dir, int(year))
    title = _bulletin_title(data_dir).replace("{year}", year)
    text = TEMPLATE.format(year=year, issue=issue, roman=to_roman(issue), title=title)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise fail(
            shown,
            "the file already exists; nothing was written",
            f"edit it and run `bulletin check {year}`, or remove it to start again",
        ) from None
    except OSError as error:
        raise fail(
            shown,
            f"cannot write the file: {error.strerror or error}",
            "check the folder's permissions and free space, or give another --data",
        ) from None
    return target, issue


def _bulletin_title(data_dir: Path) -> str:
    """The title pattern of bulletin.yaml (for the file's first line), or a plain one."""
    try:
        value = sources.load(data_dir / "bulletin.yaml").value
    except BulletinError:
        return "The {year} issue"
    title = value.get("title") if isinstance(value, dict) else None
    return title.replace("\n", " ") if isinstance(title, str) else "The {year} issue"


def next_issue(data_dir: Path, year: int) -> int:
    """The issue number of a new year: the latest earlier year's issue + 1 (a year without
    an issue is not counted; the editor changes `issue:` if one was published elsewhere);
    before every known year, counted back from the first; else 1."""
    known = _issue_numbers(data_dir)
    earlier = [y for y in known if y < year]
    if earlier:
        return known[max(earlier)] + 1
    later = [y for y in known if y > year]
    if later:
        nearest = min(later)
        return max(1, known[nearest] - (nearest - year))
    return 1


def _issue_numbers(data_dir: Path) -> dict[int, int]:
    """The issue number of each year file in the folder that states one (others are skipped)."""
    found = {}
    for name in os.listdir(data_dir):
        match = YEAR_FILE.match(name)
        if not match:
            continue
        try:
            value = sources.load(data_dir / name).value
        except BulletinError:
            continue
        issue = value.get("issue") if isinstance(value, dict) else None
        if isinstance(issue, str) and issue.isdigit() and 1 <= int(issue) <= 3999:
            found[int(match[1])] = int(issue)
    return found
