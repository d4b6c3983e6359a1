"""kinds.iscm.compose: the document model built from the 2020 data with the iscm layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.kinds.iscm.compose import collation_key, compose
from generator.kinds.iscm.validate import Issue, load_issue
from generator.layout import load_layout
from generator.model import (
    PAGE,
    PAGES,
    BarChart,
    Document,
    Group,
    Paragraph,
    Run,
    Section,
    Table,
)

from .conftest import DATA, nb

THIN_DASH = "\u202f–\u202f"

HEADINGS = [
    "5+5 Dialogue on Migration in the Western Mediterranean",
    "Abu Dhabi Dialogue (ADD)",
    "Almaty Process",
    "Arab Regional Consultative Process on Migration (ARCP)",
    "AU HoA Initiative (AU HoAI)",
    "Bali Process",
    "Budapest Process",
    "Caribbean Migration Consultations (CMC)",
    "Central American Commission of Migration Directors (OCAM)",
    "Global Forum on Migration and Development (GFMD)",
    "Ibero-American Network of Migration Authorities (RIAM)",
    "Intergovernmental Consultations on Migration, Asylum and Refugees (IGC)",
    "Khartoum Process",
    "Migration Dialogue for the Intergovernmental Authority on Development Region (MID-IGAD)",
    "Migration Dialogue for West Africa (MIDWA)",
    "Prague Process",
    "Quito Process",
    "Rabat Process",
    "Regional Conference on Migration (RCM)",
    "South American Conference on Migration (SACM)",
]


NBSP = "\u00a0"


def spaced(text: str) -> str:
    """A heading with its no-break spaces read as spaces (the words, not the line breaks)."""
    return text.replace(NBSP, " ")


def section(document: Document, key: str) -> Section:
    return next(s for s in document.sections if s.key == key)


def entries(document: Document) -> list[Group]:
    blocks = section(document, "events").blocks
    assert all(isinstance(b, Group) for b in blocks)
    return list(blocks)  # type: ignore[arg-type]


def entry(document: Document, key: str) -> Group:
    return next(e for e in entries(document) if e.key == key)


# -- collation -----------------------------------------------------------------------------


def by_collation(names: list[str]) -> list[str]:
    return sorted(names, key=collation_key)


def test_collation_ignores_case() -> None:
    names = ["Arab Regional Consultative Process on Migration", "AU HoA Initiative", "Abu Dhabi"]
    assert by_collation(names) == [
        "Abu Dhabi",
        "Arab Regional Consultative Process on Migration",
        "AU HoA Initiative",
    ]
    assert sorted(names) != by_collation(names)  # code points put "AU" before "Abu"


def test_collation_puts_digits_first() -> None:
    assert by_collation(["Abu Dhabi", "5+5 Dialogue", "Zeta"])[0] == "5+5 Dialogue"


def test_collation_sorts_accents_next_to_plain_letters() -> None:
    names = ["Zambia", "Élan", "Elan", "Eland", "Ecuador", "Égypte"]
    ordered = by_collation(names)
    assert ordered[-1] == "Zambia"
    assert ordered.index("Ecuador") < ordered.index("Égypte") < ordered.index("Elan")
    assert abs(ordered.index("Élan") - ordered.index("Elan")) == 1
    assert ordered.index("Élan") < ordered.index("Eland")
    assert sorted(names)[-2:] == ["Égypte", "Élan"]  # code points put them after "Z"


def test_collation_sorts_letters_with_strokes_by_their_letter() -> None:
    names = [
        "Zagreb Process",
        "Prague Process",
        "Øresund Forum",
        "Mali Forum",
        "Łódź Dialogue",
        "Lima Group",
        "Æsir Group",
        "Bali Process",
    ]
    assert by_collation(names) == [
        "Æsir Group",
        "Bali Process",
        "Lima Group",
        "Łódź Dialogue",
        "Mali Forum",
        "Øresund Forum",
        "Prague Process",
        "Zagreb Process",
    ]


def test_collation_folds_letters_to_the_letters_they_are_filed_under() -> None:
    assert by_collation(["Ea", "Đakovo", "Da"]) == ["Da", "Đakovo", "Ea"]
    assert by_collation(["Tu", "Þingvellir", "Ta"]) == ["Ta", "Þingvellir", "Tu"]
    assert by_collation(["Oeb", "Œa", "Oed"]) == ["Œa", "Oeb", "Oed"]
    assert by_collation(["Straße B", "Strasse A"]) == ["Strasse A", "Straße B"]
    assert by_collation(["æble", "Aeble"]) == ["Aeble", "æble"]  # equal letters: then the rest


# -- the whole document --------------------------------------------------------------------


def test_sections_in_order(document_2020: Document) -> None:
    assert [s.key for s in document_2020.sections] == [
        "events",
        "feature",
        "themes",
        "chart",
        "publications",
        "closing",
    ]


def test_section_settings_come_from_the_layout(document_2020: Document) -> None:
    assert section(document_2020, "events").columns == 2
    assert section(document_2020, "feature").frame == "Feature Box"
    assert section(document_2020, "closing").heading is None
    continued = section(document_2020, "events").continued
    expected = f"Main events in 2020{NBSP}(continued)"
    assert continued == Paragraph("Heading 1 Continued", (Run(expected),))
    events_heading = section(document_2020, "events").heading
    assert events_heading is not None
    assert events_heading.text == (
        f"Inter-State Consultation Mechanisms on Migration: main events in{NBSP}2020"
    )
    publications = section(document_2020, "publications").heading
    assert publications is not None and publications.text == nb("2020 Publications")


def test_masthead(document_2020: Document) -> None:
    masthead = document_2020.masthead
    assert masthead.period.text == nb(f"January{THIN_DASH}December 2020")
    assert masthead.issue.text == nb("Issue VI")
    assert masthead.title.text == f"ISCM 2020{NBSP}Highlights"
    assert [p.text for p in masthead.publisher] == [
        "International Organization for Migration",
        "Department of International Cooperation and Partnerships",
        "International Partnerships Division",
        "E-mail: grcp@iom.int",
    ]
    mail = masthead.publisher[-1].runs[-1]
    assert (mail.text, mail.url) == ("grcp@iom.int", "mailto:grcp@iom.int")


def test_document_info(document_2020: Document) -> None:
    info = document_2020.info
    assert info.title == "ISCM 2020 Highlights"
    assert info.author == "International Organization for Migration"
    assert info.subject == (
        "Main events of the Inter-State Consultation Mechanisms on Migration in 2020"
    )
    assert info.language == "en-GB"
    assert "ISCM" in info.keywords


def test_the_document_gives_its_languages_month_names(document_2020: Document) -> None:
    """Which the writers keep whole, with no locale data of their own (a build's renderer
    never loads babel)."""
    assert document_2020.months is not None and len(document_2020.months) == 12
    assert {"January", "September", "December"} <= document_2020.months


def test_footer(document_2020: Document) -> None:
    footer = document_2020.footer
    assert footer.text == nb("ISCM 2020 Highlights · Issue VI")
    assert footer.page_label == ("page ", PAGE, " of ", PAGES)
    assert "{page}" in footer.page_label and "{pages}" in footer.page_label


# -- main events ---------------------------------------------------------------------------


def test_mechanism_headings_in_order(document_2020: Document) -> None:
    headings = [spaced(e.heading.text) for e in entries(document_2020)]
    assert headings == HEADINGS
    assert headings == by_collation(headings)
    assert all(e.heading.style == "Mechanism" for e in entries(document_2020))


def test_no_heading_leaves_its_last_word_alone(document_2020: Document) -> None:
    """A no-break space before each heading's last word: a line break can come before the
    last two words, never leave the last one on a line of its own."""
    headings = [s.heading.text for s in document_2020.sections if s.heading]
    headings += [e.heading.text for e in entries(document_2020)]
    headings += [document_2020.masthead.title.text]
    assert f"main events in{NBSP}2020" in headings[0]
    assert "Abu Dhabi Dialogue\u00a0(ADD)" in headings
    assert "Bali Process" in headings  # two words: free to break
    for heading in headings:
        if len(heading.split()) >= 3:
            assert NBSP in heading.split(" ")[-1], heading


def test_mechanism_continued_wording(document_2020: Document) -> None:
    assert entry(document_2020, "Bali").continued.text == f"Bali Process{NBSP}(continued)"


def test_event_text_and_title_style(document_2020: Document) -> None:
    paragraph = entry(document_2020, "5+5").paragraphs[0]
    assert paragraph.style == "Event"
    assert paragraph.text == nb(
        "8th Ministerial Conference on Migration and Development, 1–2 March, "
        "Rabat, Morocco, addressed shared responsibility and partnership on migration and "
        "concluded with the adoption of a Consensual Declaration, focusing cooperation, "
        "migration and development, legal migration, migrant integration and irregular "
        "migration."
    )
    title, *rest = paragraph.runs
    assert (title.text, title.style) == (
        "8th Ministerial Conference on Migration and Development",
        "Event Title",
    )
    assert all(run.style != "Event Title" for run in rest)


def test_dates_of_a_list_are_chronological(document_2020: Document) -> None:
    igc = entry(document_2020, "IGC").paragraphs[0]
    assert igc.text.startswith(
        nb("SOM, 29 October, 30 November and 10 December, virtual, discussed")
    )


def test_event_without_place(document_2020: Document) -> None:
    bali = entry(document_2020, "Bali").paragraphs[1]
    assert bali.text == nb(
        "GFMD-Bali Process Consultations, 15 and 29 June and 1 July, addressed technology, "
        "migrant protection and irregular migration in Bali Process Region."
    )


def test_event_with_sessions(document_2020: Document) -> None:
    rabat = entry(document_2020, "Rabat").paragraphs[0]
    assert rabat.text == nb(
        "Two Rabat Process Steering Committee meetings, 18 February, Brussels, Belgium; "
        "28 October, virtual, discussed ongoing governance matters."
    )


def test_free_text_event(document_2020: Document) -> None:
    event = entry(document_2020, "Budapest").paragraphs[3]
    assert event.text == nb(
        "Two webinars discussed COVID-19 and migration, and a third — migration narratives."
    )
    assert [(r.text, r.style) for r in event.runs] == [
        ("Two ", None),
        ("webinars", "Event Title"),
        (" discussed COVID-19 and migration, and a third — migration narratives.", None),
    ]


def test_events_keep_their_order_in_the_data(document_2020: Document) -> None:
    rcm = entry(document_2020, "RCM").paragraphs
    assert [p.text.split(",")[0] for p in rcm] == [
        "25th Regional Conference on Migration",
        "Six webinar circles and three virtual workshops addressed different thematic priorities.",
        "GFMD-RCM Consultations",
    ]


def test_notes(document_2020: Document) -> None:
    ocam = entry(document_2020, "OCAM").note
    assert ocam is not None
    assert (ocam.text, ocam.style) == ("30th anniversary of OCAM", "Mechanism Note")
    assert entry(document_2020, "Bali").note is None


def test_every_event_has_its_origin(document_2020: Document, issue_2020: Issue) -> None:
    lines = (DATA / "2020.yaml").read_text(encoding="utf-8").splitlines()
    checked = 0
    for mechanism in entries(document_2020):
        events = issue_2020.year.events[mechanism.key]
        assert len(mechanism.paragraphs) == len(events)
        for i, (paragraph, event) in enumerate(zip(mechanism.paragraphs, events, strict=True)):
            origin = paragraph.origin
            assert origin is not None
            assert Path(origin.file).resolve() == (DATA / "2020.yaml").resolve()
            assert origin.path == f"events.{mechanism.key}[{i + 1}]"
            line = lines[origin.line - 1]
            if event.title is not None:
                assert line.strip() == f"- title: {event.title}", (origin, line)
            else:
                assert event.text is not None
                assert line.strip().startswith("- text: "), (origin, line)
                assert event.text[:40] in line, (origin, line)
            assert line[origin.column - 1 :].startswith(("title:", "text:"))
            checked += 1
    assert checked == 44


def test_note_origin(document_2020: Document) -> None:
    note = entry(document_2020, "OCAM").note
    assert note is not None and note.origin is not None
    lines = (DATA / "2020.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[note.origin.line - 1] == "  OCAM: 30th anniversary of OCAM"
    assert note.origin.path == "notes.OCAM"


# -- features, themes, chart ---------------------------------------------------------------


def test_feature(document_2020: Document) -> None:
    feature = section(document_2020, "feature")
    assert feature.heading is not None
    assert feature.heading.text == f"High-level webinar for{NBSP}ISCMs"
    assert len(feature.blocks) == 3
    second = feature.blocks[1]
    assert isinstance(second, Paragraph)
    assert second.text == nb(
        "22 ISCMs participated. 10 ISCMs had a speaking role or contributed to the discussion "
        "from the floor."
    )
    assert second.style == "Feature Text"


def test_theme_tables(document_2020: Document) -> None:
    initiatives, areas = section(document_2020, "themes").blocks
    assert isinstance(initiatives, Table) and isinstance(areas, Table)
    assert initiatives.header == ("Global initiative", "ISCMs")
    assert areas.header == ("Thematic area", "ISCMs")
    assert initiatives.caption is not None and initiatives.caption.text == nb("Global Initiatives")
    assert (len(initiatives.rows), len(areas.rows)) == (3, 18)
    first = [cell.text for cell in initiatives.rows[0].cells]
    assert first == ["Global Compact on Migration", "Bali Process, Colombo Process, ARCP, GFMD"]
    covid = next(r for r in areas.rows if r.cells[0].text == nb("COVID-19"))
    assert covid.cells[1].text == nb(
        "Budapest Process, CMC, GFMD, IGC, Khartoum Process, OCAM, Prague Process, RCM, RIAM, SACM"
    )
    assert sum(initiatives.widths) == pytest.approx(1)


def test_chart_counts_the_thematic_areas(document_2020: Document) -> None:
    layout = load_layout("iscm")
    (chart,) = section(document_2020, "chart").blocks
    assert isinstance(chart, BarChart)
    assert len(chart.categories) == len(chart.values) == layout.spec.chart.max_bars == 10
    assert (chart.categories[0], chart.values[0]) == ("COVID-19", 10)
    assert list(chart.values) == sorted(chart.values, reverse=True)
    # counted by hand from thematic_areas in data/2020.yaml; ties in alphabetical order
    assert list(zip(chart.categories, chart.values, strict=True)) == [
        ("COVID-19", 10),
        ("Irregular migration", 9),
        ("Return, readmission, reintegration", 7),
        ("Asylum, IDPs, Refugees", 6),
        ("Border management", 6),
        ("Combatting human trafficking", 6),
        ("Counter migrant smuggling", 6),
        ("Labour migration", 6),
        ("Migration policy and governance", 5),
        ("Migrant health", 4),
    ]
    assert chart.alt_text.startswith(
        "Horizontal bar chart of the 10 thematic areas addressed by the most ISCMs in 2020: "
        "COVID-19: 10; Irregular migration: 9;"
    )


# -- publications, closing, links ----------------------------------------------------------


def test_publications(document_2020: Document, issue_2020: Issue) -> None:
    blocks = section(document_2020, "publications").blocks
    assert len(blocks) == 8
    first, second = blocks[0], blocks[1]
    assert isinstance(first, Paragraph) and isinstance(second, Paragraph)
    assert first.text == nb(
        "Summary Report of the High-level webinar on ISCMs and the GCM regional reviews (IOM)"
    )
    assert second.text.endswith(" (Bali Process)")
    assert second.runs[0].url == issue_2020.year.publications[1].url
    assert second.runs[0].style == "Hyperlink"


def test_every_url_is_listed(document_2020: Document, issue_2020: Issue) -> None:
    urls = set(document_2020.urls)
    for publication in issue_2020.year.publications:
        assert publication.url in urls
    for line in issue_2020.year.closing:
        for link in line.links:
            assert link.url in urls
    assert "mailto:grcp@iom.int" in urls
    assert "https://www.iom.int/research-iscms" in urls


def test_closing(document_2020: Document) -> None:
    first, second = section(document_2020, "closing").blocks
    assert isinstance(first, Paragraph) and isinstance(second, Paragraph)
    assert first.text == nb(
        "More ISCM publications: Online Repository of ISCM Materials and Research on ISCMs"
    )
    assert [(r.text, r.style, r.url) for r in first.runs] == [
        ("More ISCM publications: ", "Strong", None),
        (
            "Online Repository of ISCM Materials",
            "Hyperlink",
            "http://www.iom.int/inter-state-consultation-mechanisms-migration",
        ),
        (" and ", None, None),
        ("Research on ISCMs", "Hyperlink", "https://www.iom.int/research-iscms"),
    ]
    assert second.text == nb(
        "Forthcoming ISCM events: Inter-State Consultation Mechanisms on Migration"
    )


# -- a small issue: what the 2020 data does not show ---------------------------------------

SMALL = """\
year: 2021
issue: 7
period: 2021-01-01/2021-06-30
events:
  Bali:
    - title: Meeting without summary
      dates: 2021-02-03
      place: virtual
    - title: Meeting
      dates: 2021-03-04
      summary: ended without a full stop
  PIDC:
    - title: "**Annual** meeting"
      dates: [2021-05-05/2021-05-06, 2021-05-20]
      summary: "discussed [data](https://www.pidc.org.ws/data) and *visas*?"
"""


@pytest.fixture(scope="module")
def small_document(tmp_path_factory: pytest.TempPathFactory) -> Document:
    folder = tmp_path_factory.mktemp("data")
    for name in ("bulletin.yaml", "mechanisms.yaml"):
        shutil.copy(DATA / name, folder / name)
    (folder / "2021.yaml").write_text(SMALL, encoding="utf-8")
    return compose(load_issue(folder, "2021"), load_layout("iscm"))


def test_small_issue_has_only_the_sections_it_has_data_for(small_document: Document) -> None:
    assert [s.key for s in small_document.sections] == ["events"]
    assert small_document.masthead.issue.text == nb("Issue VII")
    assert small_document.masthead.period.text == nb(f"January{THIN_DASH}June 2021")
    assert small_document.masthead.title.text == f"ISCM 2021{NBSP}Highlights"


def test_event_without_summary_ends_with_a_full_stop(small_document: Document) -> None:
    first, second = entry(small_document, "Bali").paragraphs
    assert first.text == nb("Meeting without summary, 3 February, virtual.")
    assert second.text == nb("Meeting, 4 March, ended without a full stop.")


def test_event_title_markup_is_dropped_and_summary_markup_kept(small_document: Document) -> None:
    (event,) = entry(small_document, "PIDC").paragraphs
    assert event.text == nb("Annual meeting, 5–6 May and 20 May, discussed data and visas?")
    merged: list[tuple] = []  # adjacent runs of one look and one value read as one
    for run in event.runs:
        if merged and merged[-1][1:] == (run.style, run.url, run.data):
            merged[-1] = (merged[-1][0] + run.text, *merged[-1][1:])
        else:
            merged.append((run.text, run.style, run.url, run.data))
    assert merged == [
        ("Annual meeting", "Event Title", None, ("events", "PIDC", 0, "title")),
        (", ", None, None, None),
        (nb("5–6 May and 20 May"), None, None, ("events", "PIDC", 0, "dates")),
        (", ", None, None, None),
        ("discussed ", None, None, ("events", "PIDC", 0, "summary")),
        ("data", "Hyperlink", "https://www.pidc.org.ws/data", ("events", "PIDC", 0, "summary")),
        (" and ", None, None, ("events", "PIDC", 0, "summary")),
        ("visas", "Emphasis", None, ("events", "PIDC", 0, "summary")),
        ("?", None, None, ("events", "PIDC", 0, "summary")),
    ]
    assert "https://www.pidc.org.ws/data" in small_document.urls


def test_compose_with_large_print_uses_its_sections(issue_2020: Issue) -> None:
    document = compose(issue_2020, load_layout("large-print"))
    assert section(document, "events").columns == 1
    assert [spaced(e.heading.text) for e in entries(document)] == HEADINGS


def test_compose_from_a_reloaded_issue_is_the_same(document_2020: Document) -> None:
    again = compose(load_issue(DATA, "2020"), load_layout("iscm"))
    assert again == document_2020


def test_sessions_are_in_date_order_and_a_summary_in_quotes_gets_no_second_stop(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    year = (data / "2020.yaml").read_text()
    old = '        - {dates: 2020-02-18, place: "Brussels, Belgium"}\n'
    assert old in year
    year = year.replace(old, "").replace(
        "        - {dates: 2020-10-28, place: virtual}\n",
        "        - {dates: 2020-10-28, place: virtual}\n" + old,
    )
    year = year.replace(
        "summary: discussed ongoing governance matters.",
        "summary: 'discussed \"ongoing governance matters.\"'",
    )
    (data / "2020.yaml").write_text(year)
    document = compose(load_issue(data, "2020"), load_layout("iscm"))
    assert entry(document, "Rabat").paragraphs[0].text == nb(
        "Two Rabat Process Steering Committee meetings, 18 February, Brussels, Belgium; "
        "28 October, virtual, discussed “ongoing governance matters.”"  # typographic quotes
    )


def test_a_link_in_an_event_title_stays_a_link(tmp_path: Path) -> None:
    for name in ("bulletin.yaml", "mechanisms.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    year = (DATA / "2020.yaml").read_text(encoding="utf-8")
    old = "title: 8th Ministerial Conference on Migration and Development"
    assert old in year
    new = 'title: "8th [Ministerial Conference](https://example.org/mc8) on Migration"'
    (tmp_path / "2020.yaml").write_text(year.replace(old, new), encoding="utf-8")
    document = compose(load_issue(tmp_path, "2020"), load_layout("iscm"))
    runs = [
        run
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Group)
        for paragraph in block.paragraphs
        for run in paragraph.runs
    ]
    link = next(run for run in runs if run.url == "https://example.org/mc8")
    assert (link.text, link.style) == ("Ministerial Conference", "Hyperlink")
    assert any(run.text == "8th " and run.style == "Event Title" for run in runs)
    assert "https://example.org/mc8" in document.urls


def test_a_mechanism_named_with_quotes_is_set_alike_in_its_continued_heading(
    tmp_path: Path,
) -> None:
    """The heading curled its quotes; the column's "(continued)" heading printed them straight."""
    for name in ("bulletin.yaml", "2020.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    registry = (DATA / "mechanisms.yaml").read_text(encoding="utf-8")
    named = registry.replace("  name: Bali Process", '  name: Dialogue on "Children\'s" Mobility')
    (tmp_path / "mechanisms.yaml").write_text(named, encoding="utf-8")
    bali = entry(compose(load_issue(tmp_path, "2020"), load_layout("iscm")), "Bali")
    assert bali.heading.text == f"Dialogue on “Children’s”{NBSP}Mobility"
    assert bali.continued.text == f"Dialogue on “Children’s” Mobility{NBSP}(continued)"
