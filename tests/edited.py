"""An issue as an editor might make it from a real one: its events drawn again, summaries cut
short or run long, typographic oddities typed in (quotes, primes, code, URLs, e-mail
addresses), long mechanism names; its other parts kept (themes, chart, publications).

`edited(source, seed, events, feature, long_names, length)` returns the three documents of
the issue (by file name) from `source`, the real issue's three.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Mapping
from typing import Any

from tests.generated import YEAR_FILE

ODDITIES = (
    "the Experts' group said \"rock 'n' roll\" was the '90s style of the Chairs' meeting",
    "heights of 5'3 and 12\" boards, 5′3″ typed, and 'single quoted' phrases like 'this'",
    "see https://example.org/it's/a?q='x'&b=\"y\" and write to o'brien.d'arcy@example.org for"
    " the State's report",
    "the `snake_case` and `it's \"code\"` fields stayed, as did {{ year }} and migrant_data_v2's",
    "dates 3–4 March 2020, 24 September, 1 January, figures 1,250 and 3.5% and 10'000 km",
    "discussed \"nested 'inner' quotes\" and the 'outer \"double\" ones' and McDonald's O'Neill",
)
LONG = " ".join(
    [
        "regional consultative discussions on labour mobility, reintegration, data governance and"
        " protection"
    ]
    * 3
)
LONG_NAME = (
    "Intergovernmental Consultations on Migration, Asylum, Refugees and Cross-Border Mobility"
    " of the Wider Region's States"
)
NOTE = "Members' 30th anniversary, the \"Process\" turned '20"
FEATURE_END = (
    "Participants' \"views\" — see https://www.iom.int/it's-here and mail jane.o'hara@iom.int"
    " — were 5'3 and 12\" apart."
)


def edited(
    source: Mapping[str, Any],
    seed: int,
    events: int,
    feature: bool = True,
    long_names: bool = False,
    length: float = 1.0,
) -> dict[str, Any]:
    """The issue: `events` events drawn from the source's; a summary is cut at its first
    comma or runs on (more often as `length` grows), half of the texts end with an oddity;
    the first mechanism's note is one; with `long_names`, three mechanisms have a long
    name; without `feature`, no feature box, else its last paragraph is one more oddity."""
    rng = random.Random(seed)
    year, registry = copy.deepcopy(source[YEAR_FILE]), copy.deepcopy(source["mechanisms.yaml"])
    drawn = [(key, event) for key, found in year["events"].items() for event in found]
    placed: dict[str, list[Any]] = {}
    for key, event in [copy.deepcopy(rng.choice(drawn)) for _ in range(events)]:
        if "summary" in event:
            event["summary"] = _summary(rng, event["summary"], length)
        elif "text" in event and rng.random() < 0.5:
            event["text"] = event["text"].rstrip(".") + " — " + rng.choice(ODDITIES) + "."
        placed.setdefault(key, []).append(event)
    year["events"] = placed
    year["notes"] = {k: v for k, v in year.get("notes", {}).items() if k in placed}
    year["notes"][sorted(placed)[0]] = NOTE
    for key in list(placed)[:3] if long_names else []:
        registry[key]["name"] = LONG_NAME
    if not feature:
        year.pop("features", None)
    else:
        year["features"][0]["paragraphs"].append(FEATURE_END)
    return {**source, "mechanisms.yaml": registry, YEAR_FILE: year}


def _summary(rng: random.Random, summary: str, length: float) -> str:
    drawn = rng.random() * length
    if drawn < 0.3:
        summary = summary.split(",")[0]
    elif drawn > 1.0:
        summary = summary + " and " + LONG[: int(rng.random() * len(LONG))]
    if rng.random() < 0.5:
        summary = summary + ", and " + rng.choice(ODDITIES)
    return summary


ADDRESSES = (
    "https://www.example.org/sites/default/files/documents/2020/regional-consultative-process"
    "-final-report-annex-3.pdf",
    "https://migration-dialogue.example.int/en/news/2020/ministerial-conference/outcome"
    "-declaration?lang=en&version=2",
    "http://www.iom.int/inter-state-consultation-mechanisms-migration/regional-consultative"
    "-processes-migration",
)
"""Long addresses as editors paste them: wider than a large-print line, hyphens in the path."""


def with_addresses(data: Mapping[str, Any], seed: int, share: float) -> dict[str, Any]:
    """The issue with a long address (`ADDRESSES`) at the end of this share of its events'
    summaries or texts, "(see ...)"."""
    rng = random.Random(seed)
    year = copy.deepcopy(data[YEAR_FILE])
    for events in year["events"].values():
        for event in events:
            key = "summary" if "summary" in event else "text"
            if key in event and rng.random() < share:
                event[key] = event[key].rstrip(".") + f" (see {rng.choice(ADDRESSES)})."
    return {**data, YEAR_FILE: year}
