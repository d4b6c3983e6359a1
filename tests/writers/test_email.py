"""The e-mail writer: the .eml as a mail client reads it (Python's email package, default
policy) and its HTML as a browser parses it (lxml.html)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import re
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import lxml.html
import pytest

from generator import model
from generator.layout import load_layout
from generator.model import Document
from generator.writers.email import Attachment, EmailWriter, MailOptions, message
from generator.writers.email.digest import event_title, wording
from generator.writers.email.html import HtmlWriter
from generator.writers.email.text import TextWriter

PDF = Attachment("iscm-highlights-2020.pdf", b"%PDF-1.4 not really a PDF \x00\xff\x10 bytes")
WHEN = dt.datetime(2021, 3, 1, 9, 30, tzinfo=dt.UTC)


def options(**changes: object) -> MailOptions:
    base = MailOptions(
        sender=Address("IOM International Partnerships Division", addr_spec="grcp@iom.int"),
        date=WHEN,
        message_id="<1.2.3@iom.int>",
        reply_to=Address(addr_spec="replies@iom.int"),
        attachment=PDF,
        unsubscribe="leave@iom.int",
    )
    return dataclasses.replace(base, **changes)


def parsed(document: Document, tmp_path: Path, **changes: object) -> EmailMessage:
    target = tmp_path / "issue.eml"
    EmailWriter().write(document, load_layout("iscm"), target, options(**changes))
    return email.message_from_bytes(target.read_bytes(), policy=policy.default)


def html_of(mail: EmailMessage) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(mail.get_body(("html",)).get_content())


def text_of(mail: EmailMessage) -> str:
    return mail.get_body(("plain",)).get_content()


def test_the_writer_has_the_contract_shape() -> None:
    writer = EmailWriter()
    assert (writer.key, writer.suffix) == ("email", ".eml")
    assert writer.description


def test_headers_of_the_draft(document_2020: Document, tmp_path: Path) -> None:
    mail = parsed(document_2020, tmp_path)
    assert mail["Subject"] == "ISCM 2020 Highlights, Issue VI"
    assert mail["From"].addresses[0].addr_spec == "grcp@iom.int"
    assert mail["From"].addresses[0].display_name == "IOM International Partnerships Division"
    assert str(mail["Reply-To"]) == "replies@iom.int"
    assert parsedate_to_datetime(mail["Date"]) == WHEN
    assert mail["Message-ID"] == "<1.2.3@iom.int>"
    assert mail["List-Unsubscribe"] == "<mailto:leave@iom.int?subject=unsubscribe>"
    assert mail["To"] is None and mail["X-Unsent"] == "1"  # Outlook: a draft to address
    assert mail.defects == []


def test_a_recipient_is_the_only_address(document_2020: Document, tmp_path: Path) -> None:
    to = Address("Ann Ødegård", addr_spec="ann@example.org")
    mail = parsed(document_2020, tmp_path, to=to, greeting_name="Ann Ødegård")
    assert [a.addr_spec for a in mail["To"].addresses] == ["ann@example.org"]
    assert mail["To"].addresses[0].display_name == "Ann Ødegård"
    assert mail["Cc"] is None and mail["Bcc"] is None and mail["X-Unsent"] is None
    assert "Dear Ann Ødegård," in text_of(mail)
    assert "Dear Ann Ødegård," in html_of(mail).text_content()


def test_parts_and_the_attachment(document_2020: Document, tmp_path: Path) -> None:
    mail = parsed(document_2020, tmp_path)
    assert mail.get_content_type() == "multipart/mixed"
    kinds = [part.get_content_type() for part in mail.walk()]
    assert kinds == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "application/pdf",
    ]
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == "iscm-highlights-2020.pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content() == PDF.data
    assert "iscm-highlights-2020.pdf" in text_of(mail)


def test_the_message_is_seven_bit(document_2020: Document, tmp_path: Path) -> None:
    """Any server takes it: no 8-bit bytes, no line over 998 characters."""
    data = message(document_2020, load_layout("iscm"), options()).as_bytes()
    assert data.isascii()
    assert max(len(line) for line in data.splitlines()) <= 998


def test_a_link_instead_of_the_attachment(document_2020: Document, tmp_path: Path) -> None:
    url = "https://www.iom.int/iscm-highlights-2020.pdf"
    mail = parsed(document_2020, tmp_path, attachment=None, link=url)
    assert list(mail.iter_attachments()) == []
    assert mail.get_content_type() == "multipart/alternative"
    assert url in text_of(mail)
    links = html_of(mail).xpath("//a[@href=$url]", url=url)
    assert [a.text_content() for a in links] == ["Read the full issue online"]


def test_the_digest_in_both_parts(document_2020: Document, tmp_path: Path) -> None:
    """The masthead, every mechanism with its events' titles, the feature's title, every
    publication with its link, and the closing links."""
    mail = parsed(document_2020, tmp_path)
    text = text_of(mail)
    flat = " ".join(text.split())
    page = html_of(mail)
    shown = " ".join(page.text_content().split())
    hrefs = {a.get("href") for a in page.iter("a")}
    events = next(s for s in document_2020.sections if s.key == "events")
    expected = ["International Organization for Migration", "January", "Issue VI"]
    for entry in events.blocks:
        assert isinstance(entry, model.Group)
        expected.append(entry.heading.text)
        expected += ["".join(r.text for r in event_title(e)) for e in entry.paragraphs]
    feature = next(s for s in document_2020.sections if s.key == "feature")
    expected.append(feature.heading.text)
    for key in ("publications", "closing"):
        section = next(s for s in document_2020.sections if s.key == key)
        for paragraph in section.blocks:
            for run in paragraph.runs:
                if run.url:
                    expected.append(run.text.strip())
                    assert run.url in hrefs
                    assert run.url in text
    for item in expected:
        words = " ".join(item.split())
        assert words in shown, words
        assert words.upper() in flat.upper(), words  # headings may be in capitals in text


def test_events_titles_in_reading_order(document_2020: Document, tmp_path: Path) -> None:
    text = " ".join(text_of(parsed(document_2020, tmp_path)).split())
    events = next(s for s in document_2020.sections if s.key == "events")
    names = [entry.heading.text for entry in events.blocks]  # type: ignore[union-attr]
    positions = [text.index(" ".join(name.split())) for name in names]
    assert positions == sorted(positions)


def test_plain_text_reads_on_its_own(document_2020: Document, tmp_path: Path) -> None:
    text = text_of(parsed(document_2020, tmp_path))
    for line in text.splitlines():
        if len(line) > 72:  # only an address too long to break may pass the width
            assert re.fullmatch(r"\s*<?(https?|mailto):\S+>?\S*", line), line
    assert "<p" not in text and "&amp;" not in text
    assert "\n\n\n" not in text
    assert text.startswith("International Organization for Migration")
    title = document_2020.masthead.title.text
    assert " ".join(title.split()) == "ISCM 2020 Highlights"
    assert f"\n\n{title}\n{'=' * len(title)}\n" in text
    assert "\n-- \nTo stop receiving this bulletin, write to leave@iom.int.\n" in text


def test_html_is_inline_styled_and_self_contained(document_2020: Document, tmp_path: Path) -> None:
    mail = parsed(document_2020, tmp_path)
    html = mail.get_body(("html",)).get_content()
    assert len(html.encode()) < 102_000  # Gmail clips a message's HTML beyond 102 KB
    page = html_of(mail)
    assert page.xpath("//style | //script | //link | //iframe | //form | //img") == []
    assert page.xpath("//*[@class or @id]") == []
    schemes = page.xpath("//meta[@name='color-scheme']/@content")
    assert schemes == ["light dark"]
    (message_table,) = page.xpath("//body/table/tr/td/table")
    assert message_table.get("width") == "600"
    assert "max-width:600px" in message_table.get("style")
    assert page.get("lang") == "en-GB"


def test_every_coloured_text_has_its_own_background(
    document_2020: Document, tmp_path: Path
) -> None:
    """Dark mode: no text colour relies on the client's default background, nor on the body's
    (which some clients drop): the text or its table cell gives the background."""
    page = html_of(parsed(document_2020, tmp_path))
    coloured = [e for e in page.iter() if "color:" in (e.get("style") or "").replace("-color", "")]
    assert len(coloured) > 100
    for element in coloured:
        chain = [element]
        for ancestor in element.iterancestors():
            chain.append(ancestor)
            if ancestor.tag == "td":
                break
        assert chain[-1].tag == "td" or chain[0].tag == "td", element.tag
        assert any("background-color:" in (e.get("style") or "") for e in chain), element.tag


def test_colours_come_from_the_layout(document_2020: Document, tmp_path: Path) -> None:
    layout = load_layout("iscm")
    page = html_of(parsed(document_2020, tmp_path))
    used = set(re.findall(r"#[0-9A-F]{6}", lxml.html.tostring(page).decode()))
    assert used <= {colour.rgb for colour in layout.spec.colours.values()}
    big = load_layout("large-print")
    html = message(document_2020, big, options()).get_body(("html",)).get_content()
    assert "font-size:21px" in html  # 14 pt x 1.5 px/pt: the large-print body size


def test_data_text_is_never_markup(document_2020: Document, tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> R&D <b>bold?</b> {{ year }}'
    events = next(s for s in document_2020.sections if s.key == "events")
    entry = events.blocks[0]
    assert isinstance(entry, model.Group)
    title = model.Run(hostile, "Event Title")
    changed_event = dataclasses.replace(entry.paragraphs[0], runs=(title, model.Run(", 1 May.")))
    changed_entry = dataclasses.replace(entry, paragraphs=(changed_event, *entry.paragraphs[1:]))
    changed = dataclasses.replace(events, blocks=(changed_entry, *events.blocks[1:]))
    sections = tuple(changed if s is events else s for s in document_2020.sections)
    document = dataclasses.replace(document_2020, sections=sections)
    mail = parsed(document, tmp_path)
    page = html_of(mail)
    assert page.xpath("//script | //b") == []
    assert hostile in page.text_content()
    assert hostile in text_of(mail)


def test_an_unknown_node_is_an_error(document_2020: Document) -> None:
    layout = load_layout("iscm")
    words = wording(document_2020, layout, None, None, None)
    for writer in (HtmlWriter, TextWriter):
        with pytest.raises(NotImplementedError, match="no visit for str"):
            writer(document_2020, layout, words).visit("a node of no known type")


def test_no_unsubscribe_address_no_header(document_2020: Document, tmp_path: Path) -> None:
    mail = parsed(document_2020, tmp_path, unsubscribe=None, reply_to=None)
    assert mail["List-Unsubscribe"] is None and mail["Reply-To"] is None
    assert "To stop receiving" not in text_of(mail)
    assert "To stop receiving" not in html_of(mail).text_content()


def test_dates_never_break_across_lines(document_2020: Document, tmp_path: Path) -> None:
    mail = parsed(document_2020, tmp_path)
    period = document_2020.masthead.period.text
    assert "\u202f" in period
    assert period in text_of(mail)  # the text part keeps no-break spaces (no line break there)
    page = html_of(mail)
    held = page.xpath("//span[@style='white-space:nowrap']")
    assert period in [span.text_content().rstrip(",.") for span in held]
    for element in page.iter():
        assert "\u202f" not in (element.tail or ""), element.tail
        if "\u202f" in (element.text or ""):
            assert element.get("style") == "white-space:nowrap", element.text
