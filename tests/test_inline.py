"""generator.inline: **bold**, *italic*, [label](url), escapes; everything else literal."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import inline
from generator.inline import Span, ascii_uri, check_url, links, parse, plain
from generator.kinds.iscm.compose import compose
from generator.kinds.iscm.validate import load_issue
from generator.layout import load_layout
from generator.model import Document, Group, Paragraph

from .conftest import DATA, nb

LITERALS = ["&", "<b>", "<a href=x>", "{{ 7*7 }}", "{% if %}", "&amp;", "<i>", "{{ year }}"]


def test_plain_text_is_one_span() -> None:
    assert parse("addressed COVID-19.") == (Span("addressed COVID-19."),)


def test_bold_and_italic() -> None:
    assert parse("**Thematic meetings** and *Pact on Migration*") == (
        Span("Thematic meetings", bold=True),
        Span(" and "),
        Span("Pact on Migration", italic=True),
    )


def test_bold_italic() -> None:
    assert parse("***both***") == (Span("both", bold=True, italic=True),)


def test_link() -> None:
    text = "see [Research on ISCMs](https://www.iom.int/research-iscms)."
    assert parse(text) == (
        Span("see "),
        Span("Research on ISCMs", url="https://www.iom.int/research-iscms"),
        Span("."),
    )
    assert links(text) == ("https://www.iom.int/research-iscms",)
    assert plain(text) == "see Research on ISCMs."


def test_link_address_is_kept_exactly() -> None:
    url = "https://www.budapestprocess.org/index.php?option=com_attachments&task=download&id=413"
    assert links(f"[report]({url})") == (url,)
    assert links("[sea](https://x.org/Protecting%20Migrants%20at%20Sea.pdf)") == (
        "https://x.org/Protecting%20Migrants%20at%20Sea.pdf",
    )


def test_bold_link() -> None:
    assert parse("[**report**](https://x.org)") == (Span("report", bold=True, url="https://x.org"),)


def test_escapes() -> None:
    assert plain(r"5 \* 3 \_ \[x\] \\") == "5 * 3 _ [x] \\"
    assert parse(r"\*not italic\*") == (Span("*not italic*"),)


@pytest.mark.parametrize(
    "text",
    [
        "A & B",
        "<b>not bold</b>",
        '<a href="x">not a link</a>',
        "{{ 7*7 }}",
        "{% if %}x{% endif %}",
        "&amp; &#42;",
        "`code`",
        "<https://www.iom.int>",
        "# not a heading",
        "1. not a list",
        "> not a quote",
        "~~not struck~~",
        "**unclosed",
        "snake_case_name",
        "Asylum, IDPs, Refugees: 6 (3–4 March)",
    ],
)
def test_everything_else_is_literal(text: str) -> None:
    spans = parse(text)
    assert spans == (Span(text),)


def test_an_image_is_not_an_image() -> None:
    assert plain("![chart](https://x.org/c.png)") == "!chart"


def test_spaces_and_line_breaks_become_one_space() -> None:
    assert parse("two\n  lines\t here ") == (Span("two lines here"),)
    assert plain("**a**\nb") == "a b"


def test_empty_text_has_no_spans() -> None:
    assert parse("") == ()
    assert parse("  \n ") == ()


@pytest.mark.parametrize(
    "url",
    [
        "https://www.iom.int/research-iscms",
        "http://www.iom.int/inter-state-consultation-mechanisms-migration",
        "mailto:grcp@iom.int",
        "mailto:grcp@iom.int?subject=Bulletin",
    ],
)
def test_check_url_accepts(url: str) -> None:
    assert check_url(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "'javascript:alert(1)' is not an http(s) or mailto address"),
        ("file:///etc/passwd", "'file:///etc/passwd' is not an http(s) or mailto address"),
        ("data:text/html,x", "'data:text/html,x' is not an http(s) or mailto address"),
        ("www.iom.int", "'www.iom.int' is not an http(s) or mailto address"),
        ("ftp://iom.int/x", "'ftp://iom.int/x' is not an http(s) or mailto address"),
        ("https://www.iom.int/a b", "'https://www.iom.int/a b' contains a space"),
        ("https:///path", "'https:///path' has no host"),
        ("http://", "'http://' has no host"),
        ("mailto:", "'mailto:' has no e-mail address"),
        ("mailto:?subject=Bulletin", "'mailto:?subject=Bulletin' has no e-mail address"),
        ("mailto:grcp", "'mailto:grcp' has no e-mail address"),
    ],
)
def test_check_url_refuses(url: str, reason: str) -> None:
    assert check_url(url) == reason


def test_check_url_shortens_a_long_address() -> None:
    reason = check_url("javascript:" + "x" * 200)
    assert reason == f"'javascript:{'x' * 49}' is not an http(s) or mailto address"


# -- data text stays literal all the way into the document model ---------------------------


@pytest.fixture(scope="module")
def literal_document(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """The 2020 issue with markup-like text in a title, a summary, a note and a feature."""
    folder = tmp_path_factory.mktemp("data")
    for name in ("bulletin.yaml", "mechanisms.yaml"):
        shutil.copy(DATA / name, folder / name)
    summary = "addressed A & B, <b>x</b>, <a href=x>y</a>, {{ 7*7 }} and {% if %} as typed."
    replacements = {  # the start of a line of data/2020.yaml -> the line that replaces it
        "      summary: addressed shared responsibility": f'      summary: "{summary}"',
        "  OCAM: 30th anniversary of OCAM": '  OCAM: "30th <i>anniversary</i> &amp; {{ year }}"',
        "    - title: 12th GFMD Summit Meeting": '    - title: "{{ title }} & <em>GFMD</em>"',
        "  - title: High-level webinar for ISCMs": '  - title: "Webinar {% raw %}&{% endraw %}"',
    }
    lines = (DATA / "2020.yaml").read_text(encoding="utf-8").splitlines()
    for start, new_line in replacements.items():
        found = [i for i, line in enumerate(lines) if line.startswith(start)]
        assert len(found) == 1, start
        lines[found[0]] = new_line
    (folder / "2020.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return compose(load_issue(folder, "2020"), load_layout("iscm"))


def entry(document: Document, key: str) -> Group:
    events = next(s for s in document.sections if s.key == "events")
    return next(b for b in events.blocks if isinstance(b, Group) and b.key == key)


def test_literal_summary(literal_document: Document) -> None:
    paragraph = entry(literal_document, "5+5").paragraphs[0]
    assert paragraph.text == nb(
        "8th Ministerial Conference on Migration and Development, 1–2 March, "
        "Rabat, Morocco, addressed A & B, <b>x</b>, <a href=x>y</a>, {{~7*7~}} and {%~if~%} "
        "as typed."
    ).replace("~", "\u00a0")  # a template on one line
    for literal in ["&", "<b>", "<a href=x>", "{{ 7*7 }}", "{% if %}"]:
        assert literal in paragraph.text.replace("\u00a0", " ")


def test_literal_note(literal_document: Document) -> None:
    note = entry(literal_document, "OCAM").note
    assert isinstance(note, Paragraph)
    assert note.text == nb("30th <i>anniversary</i> &amp; {{\u00a0year\u00a0}}")


def test_literal_event_title(literal_document: Document) -> None:
    title = entry(literal_document, "GFMD").paragraphs[0].runs[0]
    assert (title.text, title.style) == ("{{\u00a0title\u00a0}} & <em>GFMD</em>", "Event Title")


def test_literal_feature_title(literal_document: Document) -> None:
    feature = next(s for s in literal_document.sections if s.key == "feature")
    assert feature.heading.text == "Webinar {%\u00a0raw\u00a0%}&{%\u00a0endraw\u00a0%}"


def test_literal_text_is_not_a_template_anywhere(literal_document: Document) -> None:
    texts = [
        run.text
        for section in literal_document.sections
        for block in section.blocks
        if isinstance(block, Group)
        for paragraph in (block.note, *block.paragraphs)
        if paragraph is not None
        for run in paragraph.runs
    ]
    joined = "".join(texts).replace("\u00a0", " ")  # a template's spaces never break
    assert "ISCM 2020 Highlights &" not in joined  # {{ title }} was not filled in
    for literal in [*LITERALS, "{{ title }}"]:
        assert literal in joined


@pytest.mark.parametrize(
    "char",
    ["\u00ad", "\u034f", "\u200b", "\u2060", "\ufe0f", "\U000e0101", "\u180e", "\u3164", "\x7f"],
)
@pytest.mark.parametrize("where", ["https://www.iom.int/res{}earch", "mailto:a{}b@iom.int"])
def test_an_address_with_a_character_that_draws_nothing_is_refused(char: str, where: str) -> None:
    reason = check_url(where.format(char))
    assert reason is not None and f"U+{ord(char):04X}" in reason


@pytest.mark.parametrize(
    ("url", "ascii"),
    [
        ("https://example.org/a%20b?q=1#x", "https://example.org/a%20b?q=1#x"),
        (
            "https://münchen.de/straße?q=é#ü",
            "https://xn--mnchen-3ya.de/stra%C3%9Fe?q=%C3%A9#%C3%BC",
        ),
        ("https://user@bücher.de:8080/ü", "https://user@xn--bcher-kva.de:8080/%C3%BC"),
        ("mailto:a@ıom.int", "mailto:a@xn--om-gpa.int"),
        ("mailto:josé@iom.int?subject=Año", "mailto:jos%C3%A9@iom.int?subject=A%C3%B1o"),
    ],
)
def test_a_link_target_is_made_ascii_for_the_pdf(url: str, ascii: str) -> None:
    assert ascii_uri(url) == ascii
    assert ascii_uri(url).isascii()


def _quick_reading_agrees(text: str) -> bool | None:
    """Whether the quick reading of plain **bold** gives markdown-it's spans; None when it
    declines the text."""
    text = inline._SPACES.sub(" ", text).strip()
    quick = inline._plain_bold(text)
    return None if quick is None else quick == inline._parsed(text)


def test_the_quick_reading_of_bold_agrees_with_markdown_it_on_every_short_text() -> None:
    import itertools

    taken = 0
    for alphabet, longest in (("a *.", 8), ("a *()_1", 6), ("é*, !", 6)):
        for length in range(1, longest + 1):
            for letters in itertools.product(alphabet, repeat=length):
                agrees = _quick_reading_agrees("".join(letters))
                if agrees is not None:
                    taken += 1
                    assert agrees, "".join(letters)
    assert taken > 300  # the quick reading is not a path never taken


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["**", "*", "word", "Ünï", "12", " ", ", ", ".", ")", "(", "_", "&amp;", "-", "!", "`"]
        ),
        max_size=14,
    ).map("".join)
)
def test_the_quick_reading_of_bold_agrees_with_markdown_it_on_random_texts(text: str) -> None:
    assert _quick_reading_agrees(text) in (None, True)


def test_the_bulletins_bold_needs_no_markdown_it() -> None:
    text = "Nine **webinars** and two **workshops** addressed COVID-19's impact (all **online**)."
    spans = inline._plain_bold(text)
    assert spans is not None and spans == inline._parsed(text)
    assert [span.text for span in spans if span.bold] == ["webinars", "workshops", "online"]
