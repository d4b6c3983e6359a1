"""Where the PDF splits an event over columns, how many of its words come before the rest
(`_words_before`): the Word file breaks its column before the next word (column_splits)."""

import io

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from generator.writers.pdf.flowables import Paragraph, _words_before

STYLE = ParagraphStyle("event", fontName="Helvetica", fontSize=10, leading=12)


def _split(text: str, width: float, style: ParagraphStyle = STYLE) -> tuple[str, int]:
    """The first part's last line and the words before the rest, split after two lines."""
    event = Paragraph(text, style)
    event.opening = ("ADD", 1)
    canvas = Canvas(io.BytesIO())
    event.wrapOn(canvas, width, 1000)
    first, _rest = event.splitOn(canvas, width, 26)
    last = "".join(getattr(f, "text", "") for f in first.blPara.lines[-1].words)
    found = _words_before(event, first)
    assert found is not None and found[:2] == ("ADD", 1)
    return last.strip(), found[2]


def test_a_spaced_dash_ending_the_column_stays_before() -> None:
    last, before = _split("<b>Meeting</b> held in Geneva - 24 delegates from many states", 60)
    assert last == "in Geneva -"
    assert before == 5  # Meeting held in Geneva -


@pytest.mark.parametrize("width", [60, 64])
def test_a_long_word_cut_over_lines_goes_on_whole(width: float) -> None:
    text = "<b>Meeting</b> at Supercalifragilisticexpialidociousnessandmore and more"
    last, before = _split(text, width)
    assert last and last in "Supercalifragilisticexpialidociousnessandmore"
    assert before == 2  # Meeting at


HYPHENATED = ParagraphStyle("hyphenated", STYLE, hyphenationLang="en_GB", alignment=4)


@pytest.mark.parametrize(
    ("width", "words"),
    [
        (60, "Meeting on the"),
        (84, "Meeting on the reintegration of"),
        (92, "Meeting on the reintegration of returning"),
    ],
)
def test_hyphenated_words_count_once(width: float, words: str) -> None:
    """A word hyphenated at the last line's end goes on whole; one hyphenated at an earlier
    line's end is one word, not two."""
    text = "<b>Meeting</b> on the reintegration of returning migrants and communities"
    _last, before = _split(text, width, HYPHENATED)
    assert before == len(words.split(" "))


LONG = (
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzab",
    "klmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefg",
    "qrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk",
)


@pytest.mark.parametrize(
    ("lines", "rest", "words"),
    [
        (5, "stuvwxyzab", 5),
        (6, "klmnopqrstuvwxyz-", 6),
        (10, "qrstuvwxyzabcde-", 7),
        (13, "fghijk", 7),
    ],
)
def test_long_words_cut_over_lines_count_once_each(lines: int, rest: str, words: int) -> None:
    """Words longer than the column, cut over lines: a line may end with an empty first
    piece of the next one, which begins on the next line (ReportLab's), not inside it. The
    rest begins inside the first long word (5 words before), at the second (6: Meeting held
    at Rabat, addressed and the first), at the third, inside the third (goes on whole). Each
    empty piece counted as a cut word made the count short (the Word file's column broke
    words early, and LibreOffice ran two pages more)."""
    text = (
        f"<b>Meeting</b> held at Rabat, addressed {' '.join(LONG)} Zurich and more words after it"
    )
    event = Paragraph(text, HYPHENATED)
    event.opening = ("ADD", 1)
    canvas = Canvas(io.BytesIO())
    event.wrapOn(canvas, 90, 1000)
    first, second = event.splitOn(canvas, 90, 12 * lines + 1)
    shown = "".join(part[1] for f in second.frags[:3] for part in f[1:] if isinstance(part, tuple))
    assert shown.startswith(rest)
    found = _words_before(event, first)
    assert found is not None and found[2] == words


def _columns(monkeypatch: pytest.MonkeyPatch) -> tuple:
    """A page of RecordedColumns whose columns hold events (key, height in the PDF, height
    LibreOffice needs more, height the Word file's closer lines save)."""
    from types import SimpleNamespace

    from generator.writers.pdf import flowables

    monkeypatch.setattr(flowables, "height_gained_in_word", lambda f, whole_parts: f.gain)
    monkeypatch.setattr(flowables, "_listWrapOn", lambda c, w, canv: (w, sum(f.h for f in c)))
    monkeypatch.setattr(flowables, "_closer", lambda f, leadings: f.saves)
    monkeypatch.setattr(flowables, "_begun", lambda content: [f.key for f in content])
    monkeypatch.setattr(flowables, "column_start", lambda f: f.key)
    monkeypatch.setattr(flowables, "column_split", lambda f: None)
    columns = flowables.RecordedColumns.__new__(flowables.RecordedColumns)
    columns.starts, columns.splits, columns.flowing = set(), set(), set()
    columns.carried, columns.word_leadings, columns.canv = 0.0, {}, None
    return columns, lambda *events: SimpleNamespace(
        _content=[SimpleNamespace(key=k, h=h, gain=g, saves=s) for k, h, g, s in events],
        maxWidth=100,
    )


def test_a_column_whose_longer_lines_fit_the_room_keeps_closer_lines(monkeypatch) -> None:
    columns, frame = _columns(monkeypatch)
    first = frame((("A", 1), 100, 30, 15))  # room: 20 at the foot + 15 closer >= 30
    second = frame((("A", 2), 100, 0, 15))
    assert columns._flow([first, second], 120) == 0
    assert columns.starts == {("A", 2)} and columns.flowing == set()


def test_the_events_of_a_column_that_overflows_keep_the_pdfs_leading(monkeypatch) -> None:
    """LibreOffice's lines of the first column do not fit even its closer lines' room: they
    move on all the same, so its events keep the PDF's leading (closer lines there would
    only carry less into the next column, and what follows would fit sooner than in the
    PDF); no later column breaks."""
    columns, frame = _columns(monkeypatch)
    first = frame((("A", 1), 100, 40, 15))  # 40 needed, 20 at the foot (+15 closer)
    second = frame((("A", 2), 100, 0, 15))
    assert columns._flow([first, second], 120) > 0  # lines carried into the next column
    assert columns.flowing == {("A", 1), ("A", 2)}
    assert columns.starts == set()


def test_the_columns_last_page_before_a_last_page_that_holds_little_keeps_the_pdfs_leading() -> (
    None
):
    """`ends_apart`: the events of each columns' last page before the PDF's last page, where
    that page holds little (FEW); none where it holds more, nor of a last page's own."""
    from types import SimpleNamespace

    from generator.writers.pdf.writer import FEW, ends_apart

    writer = SimpleNamespace(column_ends=[(2, {("A", 1), ("A", 0)}), (3, {("B", 1)})])

    def pdf(fill: float) -> SimpleNamespace:
        return SimpleNamespace(page=3, last_page_fill=lambda: fill)

    assert ends_apart(writer, pdf(FEW / 2)) == {("A", 1), ("A", 0)}
    assert ends_apart(writer, pdf(FEW * 2)) == set()
