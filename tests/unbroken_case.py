"""An issue whose names of mechanisms, addresses, e-mail addresses, words in capitals, month
names, a place's name inside a sentence and the words of event titles fall where a line would
hyphenate them (the lead-in before them grows by a word
from event to event), for the checks that neither Word nor LibreOffice hyphenates them."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from tests.generated import documents

NAME = "Intergovernmental Consultation Mechanism on Labour Mobility"
EMAIL = "consultation.secretariat@intergovernmental-consultations.example.org"
URL = "https://www.intergovernmental-consultations.example.org/implementation/recommendations"
LINK_LABEL = "www.intergovernmental-consultations.example.org/documentation"
CAPITALS = "REPRESENTATIVES"
MONTHS = ("September", "November", "December")
PLACE = "Ouagadougou"
"""A capitalised word inside a sentence (a proper name no list names)."""
TITLE_WORDS = ("Implementation", "Consultations")
"""Words of the events' titles, which are never hyphenated."""
KEPT_WHOLE = (NAME, EMAIL, URL, LINK_LABEL, CAPITALS, *MONTHS, PLACE, *TITLE_WORDS)
"""What no line may hyphenate, as the issue shows it."""
ORDINARY = ("Delegates", "secretariat", "meeting", "cooperation")
"""Words of the same paragraphs that may be hyphenated and keep the issue's language."""

_FILLERS = ("a", "an", "of", "to", "on", "in", "by", "at", "as", "or", "so", "up", "we")


def _lead(i: int) -> str:
    return " ".join(_FILLERS[(i + j) % len(_FILLERS)] for j in range(i % 12 + 1))


def unbroken_data() -> dict[str, Any]:
    """The documents of the issue (see `tests.generated.write_data`)."""
    data = documents(random.Random(5), [1], presence=0.0)
    (key,) = data["2020.yaml"]["events"]
    data["mechanisms.yaml"] = {key: {"name": NAME}}
    link = f"[{LINK_LABEL}](https://{LINK_LABEL})"
    events: list[dict[str, Any]] = [
        {
            "text": f"Delegates {_lead(i)} {CAPITALS} met the {NAME} secretariat in {PLACE},"
            f" wrote to {EMAIL} and read {URL} before the {link} meeting."
        }
        for i in range(16)
    ]
    events += [
        {
            "title": f"Meeting {_lead(i)} {TITLE_WORDS[0]} {TITLE_WORDS[1]} of the group",
            "dates": f"2020-{month:02d}-01/2020-{month:02d}-04",
            "place": "virtual",
            "summary": "addressed cooperation.",
        }
        for i in range(24)
        for month in [(9, 11, 12)[i % 3]]
    ]
    data["2020.yaml"]["events"][key] = events
    return data


OVERLAPPING = (
    "Bali Process",
    "Bali",
    "Bali Process on People Smuggling",
    "Process Bali",
    "A-B",
    "B C",
    "Abu Dhabi Dialogue",
    "Abu",
    "MIDSA",
    "(Group)",
    "Colombo Process 12",
    "Colombo Process 1",
)
"""Names that overlap, nest and share words, for the name finders' checks."""


def texts_around(names: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """Pieces of a text made of the names, parts of them, look-alikes, white space and
    punctuation, for the checks that names are found as one pattern of every name finds them."""
    pieces = [
        *names,
        *("Bali", "Process", "Balinese", "BALIX", "Colombo", "December", "a.b@example.org"),
        *(" ", "  ", "\u00a0", "\n", ",", ".", "-", "(", ")", "x", "12", "1", "é"),
    ]
    return st.lists(st.sampled_from(pieces), max_size=14)
