"""The inline markup of data text: **bold**, *italic*, [label](url); everything else literal."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from .quote_marks import ENGLISH, QuoteMarks

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

URL_SCHEMES = ("http://", "https://", "mailto:")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Span:
    """A stretch of text with its emphasis and link."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported when first needed: it is slow to load

    parser = MarkdownIt("zero").enable(["emphasis", "link", "escape", "newline"])
    parser.validateLink = lambda url: True  # type: ignore[method-assign]  # checked by check_url, with a located message
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]  # keep the address exactly as the editor wrote it
    return parser


def parse(text: str) -> tuple[Span, ...]:
    """Split marked-up text into spans; line breaks and runs of spaces become one space."""
    text = _SPACES.sub(" ", text).strip()
    if not any(mark in text for mark in "*_[\\"):
        return (Span(text),) if text else ()
    plain = _plain_bold(text)
    if plain is not None:
        return plain
    return _parsed(text)


def _parsed(text: str) -> tuple[Span, ...]:
    """Spans as markdown-it reads the text (whitespace already made single spaces)."""
    tokens = _parser().parseInline(text)
    return _merge(_walk(tokens[0].children or [] if tokens else []))


_BOLD_CLOSES_BEFORE = " .,;:!?)"
"""What may follow a plain closing `**`: nothing else makes it open too."""


def _plain_bold(text: str) -> tuple[Span, ...] | None:
    """The spans of a text whose only markup is **bold** in its plainest form (each `**` opens
    after a space and before a letter or digit, or closes after a letter or digit and before a
    space or a sentence's punctuation), else None: markdown-it then reads it. Most texts of a
    bulletin are so, and they then need no markdown-it (a tenth of `bulletin check`); the
    tests compare the two on every short text and on random ones (tests/test_inline.py)."""
    if any(mark in text for mark in "_[]\\\x00"):
        return None
    pieces = text.split("**")
    if len(pieces) % 2 == 0 or any("*" in piece for piece in pieces):
        return None
    if any(not piece for piece in pieces[1:-1]):
        return None  # '****': one run of four, not two of two
    for k in range(len(pieces) - 1):
        before, after = pieces[k][-1:], pieces[k + 1][:1]
        if k % 2 == 0:  # opens: left-flanking only
            plain = before in ("", " ") and after.isalnum()
        else:  # closes: right-flanking only
            plain = before.isalnum() and (after == "" or after in _BOLD_CLOSES_BEFORE)
        if not plain:
            return None
    spans = [Span(piece, bold=k % 2 == 1) for k, piece in enumerate(pieces)]
    return tuple(span for span in spans if span.text)


def _walk(tokens: list[Token]) -> list[Span]:
    spans: list[Span] = []
    bold = italic = 0
    url: str | None = None
    for token in tokens:
        kind = token.type
        if kind in ("text", "softbreak", "hardbreak"):
            content = token.content if kind == "text" else " "
            spans.append(Span(content, bold > 0, italic > 0, url))
        elif kind in ("strong_open", "strong_close"):
            bold += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind == "em_open" else -1
        elif kind == "link_open":
            url = str(token.attrs.get("href", ""))
        elif kind == "link_close":
            url = None
        else:  # pragma: no cover - the parser enables no other rule
            raise ValueError(f"unexpected inline token {kind}")
    return spans


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in spans:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].url) == (
            span.bold,
            span.italic,
            span.url,
        ):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic, span.url)
        elif span.text:
            merged.append(span)
    return tuple(merged)


def plain(text: str) -> str:
    """The text a reader sees, without markup."""
    return "".join(span.text for span in parse(text))


def links(text: str) -> tuple[str, ...]:
    """The addresses linked from a text (no parsing when there is no link syntax)."""
    if "](" not in text:
        return ()
    return tuple(span.url for span in parse(text) if span.url)


def unclosed(text: str) -> str | None:
    """The markup left open in a text ('**' or '](' printed as is), or None."""
    if "**" not in text and "](" not in text:
        return None
    for span in parse(text):
        for mark in ("**", "]("):
            if mark in span.text:
                return mark
    return None


def check_url(url: str) -> str | None:
    """Why an address cannot be a link, or None if it can."""
    if not url.startswith(URL_SCHEMES):
        return f"'{url[:60]}' is not an http(s) or mailto address"
    if any(c.isspace() for c in url):
        return f"'{url[:60]}' contains a space"
    printable = url.isascii() and url.isprintable()  # the common case: nothing hidden
    hidden = None if printable else next((c for c in url if _is_hidden(c)), None)
    if hidden is not None:
        name = unicodedata.name(hidden, "a format character")
        return f"'{url[:60]}' contains the invisible character U+{ord(hidden):04X} {name}"
    if url.startswith(("http://", "https://")) and len(url.split("/")[2]) == 0:
        return f"'{url[:60]}' has no host"
    if url.startswith("mailto:") and not _has_address(url):
        return f"'{url[:60]}' has no e-mail address"
    return None


def _has_address(url: str) -> bool:
    """Whether a mailto: link names someone: name@domain before any ?subject=..."""
    address = url.removeprefix("mailto:").partition("?")[0]
    local, _, domain = address.partition("@")
    return bool(local and domain)


# -- typographic punctuation ------------------------------------------------------------------

CODE = r"`[^`]*`|\{\{.*?\}\}|\{%.*?%\}"
"""Code between backticks, a template: literal text that may hold spaces."""

LITERAL = re.compile(
    CODE  # code between backticks, a template
    + r"|(?:https?://|mailto:|www\.)\S+"  # an address
    r"|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|\S*[_{}<>=\\|/#$~^]\S*"  # a file name, a template, markup: code-like text
)
"""Text whose characters are literal: typographic punctuation and hyphens never enter it."""

_OPENS_AFTER = " \u00a0\u202f\u2009([{\u2013\u2014-/"
"""Characters after which a straight quote opens a quotation (and the language's opening
quotation marks)."""

APOSTROPHE = "\u2019"
PRIMES = {'"': "\u2033", "'": "\u2032"}

DOUBLE_MARKS = '"\u2033\u201c\u201d\u201e\u201f«»「」'
"""The double quote, its prime, and the quotation marks that stand for it in some language."""
SINGLE_MARKS = "'\u2032\u2018\u2019\u201a\u201b‹›『』"
"""The single quote, its prime, the apostrophe, and the marks that stand for it."""
QUOTE_MARKS = DOUBLE_MARKS + SINGLE_MARKS
"""Every quotation mark, apostrophe and prime `typographic` may set, in any language, and the
straight quotes."""
WORD_PUNCTUATION = ".,;:!?()[]" + QUOTE_MARKS
"""What may stand before or after a word and is no part of it: stripped to find the word."""

_BESIDE_QUOTES = re.compile(rf"\s*([{QUOTE_MARKS}])\s*")


@lru_cache(maxsize=16)
def _folds(marks: QuoteMarks | None) -> dict[int, str]:
    """What `loose_quotes` folds each mark into for a language (None: any language)."""
    if marks is None:
        return str.maketrans(dict.fromkeys(QUOTE_MARKS, '"'))
    double, single = set(marks.primary), {*marks.alternate, "\u2019"}
    if double & single:
        return _folds(None)  # French « » at both levels: one kind of quote
    return str.maketrans(
        {
            **dict.fromkeys(DOUBLE_MARKS, '"'),
            **dict.fromkeys(set(SINGLE_MARKS) - double, "'"),
            **dict.fromkeys(single, "'"),
        }
    )


def loose_quotes(text: str, marks: QuoteMarks | None = None) -> str:
    """A text with its quotation marks, apostrophes and primes folded into the straight quotes
    typed: the same for a text as typed and as `typographic` sets it in the language of
    `marks` (in English “x” is "x" and ‘x’ is 'x', 5′3″ is 5'3", Experts’ is Experts'). A
    space beside a mark is dropped where the language sets one there (French « x » is "x"),
    kept where it does not (in English, Experts’ Forum is not Experts’Forum). Without
    `marks`, for any language: every kind of quote folds into `"`, no space beside it."""
    if marks is None or marks.inside:
        text = _BESIDE_QUOTES.sub(r"\1", text)
    return text.translate(_folds(marks))


def typographic(text: str, before: str = " ", marks: QuoteMarks = ENGLISH) -> str:
    """Plain typing as a typesetter sets it in a language (`marks`): in English "..." becomes
    “...”, 'quoted' becomes ‘quoted’ (in French « ... » and « ... », in German „...“ and
    ‚...‘), Experts' becomes Experts’ in every language, 5'10" becomes 5′10″; addresses,
    e-mail addresses and code-like text are kept as typed (quotes around them are still
    curled), and so is a thousands separator (10'000). `before` is the character that
    precedes the text (from an earlier run)."""
    if "'" not in text and '"' not in text and not (marks.inside and _SPACED.search(text)):
        return text
    pieces, start = [], 0
    open_quotes = {'"': False, "'": False}
    for literal in LITERAL.finditer(text):
        begin = _literal_start(text, literal)
        preceding = (text[:start] or before)[-1:]
        pieces.append(_curl(text[start:begin], preceding, open_quotes, marks))
        end = _literal_end(text, begin, literal.end(), open_quotes)
        pieces.append(text[begin:end])
        start = end
    pieces.append(_curl(text[start:], (before + text[:start])[-1:], open_quotes, marks))
    return "".join(pieces)


_SPACED = re.compile(r"[«»‹›]| [;:!?]")
"""What a language that spaces its punctuation (French) sets a no-break space beside."""
_BEFORE_HIGH = re.compile(r" +(?=[;:!?])")
_TYPED_INSIDE = re.compile(r"(?<=[«‹]) +| +(?=[»›])")


def _spaced(text: str, before: str, marks: QuoteMarks) -> str:
    """A text outside literals with the language's space inside its guillemets: the spaces
    typed there become no-break ones, and one is set where none was typed (a no-break space
    typed there is kept); a space typed before ; : ! or ? becomes a no-break one too (none is
    added where none was typed: “10:30”, “OK!”)."""
    if not _SPACED.search(text):
        return text
    space = marks.inside
    text = _BEFORE_HIGH.sub(space, text)
    text = _TYPED_INSIDE.sub(space, text)
    text = re.sub(r"([«‹])(?!\s)", rf"\1{space}", text)
    text = re.sub(r"(?<=\S)([»›])", rf"{space}\1", text)
    if text[:1] in "»›" and before.strip():
        text = space + text  # after a literal or an earlier run: „https://…»“
    return text


_AROUND = ("\"'([", "\"'.,;:!?)]")
"""What may stand before and after a literal without being part of it: quotes, brackets and
punctuation around an address or a code-like word ("24/7", ("and/or"))."""


def _whole(text: str, begin: int) -> bool:
    """Whether the literal at `begin` is code between backticks or a template, kept whole."""
    return text[begin] == "`" or text.startswith(("{{", "{%"), begin)


def _literal_start(text: str, literal: re.Match[str]) -> int:
    """Where the literal itself starts: an address or code-like word without the quotes and
    brackets before it."""
    begin, end = literal.span()
    if _whole(text, begin):
        return begin
    while begin < end - 1 and text[begin] in _AROUND[0]:
        begin += 1
    return begin


def _literal_end(text: str, begin: int, end: int, open_quotes: dict[str, bool]) -> int:
    """Where the literal that starts at `begin` ends: an address or code-like word without
    the punctuation, brackets and closing quotes after it. The last quote of a quotation open
    around it closes that quotation; another is the address's own when it closes a quote the
    address opened (`?b="y"`, see `_quoted_in`)."""
    if _whole(text, begin):
        return end
    closing = {quote for quote, is_open in open_quotes.items() if is_open}
    while end > begin + 1 and text[end - 1] in _AROUND[1]:
        quote = text[end - 1]
        if quote in closing:
            closing.discard(quote)
        elif quote in open_quotes and _quoted_in(text, begin, end - 1, quote):
            break
        end -= 1
    return end


def _quoted_in(text: str, begin: int, at: int, quote: str) -> bool:
    """Whether the quote at `at` closes one the address that starts at `begin` opened: an odd
    number of them stand before it since the address's last `=` (`?q='x'`, `?b="y"`), or since
    its start where it has none (an apostrophe in its path, `it's/`, is not counted then)."""
    start = text.rfind("=", begin, at) + 1 or begin
    return text.count(quote, start, at) % 2 == 1


_THOUSANDS = re.compile(r"\d{3}(?!\d)")
"""The digits after a thousands separator: a group of three, then no digit."""

_ELIDED = re.compile(r"(?:tis|twas|twere|em|n|til)\b", re.IGNORECASE)
"""Words that start with an elision: ’Tis, ’em, rock ’n’ roll."""


def _curl(text: str, before: str, open_quotes: dict[str, bool], marks: QuoteMarks) -> str:
    """The quotes of a text curled; `open_quotes` says which quotation is open, across the
    literals between the pieces."""
    result: list[str] = []
    previous = before or " "
    for i, char in enumerate(text):
        if char in "'\"":
            char = _curled(char, previous, text[i + 1 : i + 8], open_quotes, marks)
        result.append(char)
        previous = char
    curled = "".join(result)
    return _spaced(curled, before, marks) if marks.inside else curled


def _curled(
    quote: str, previous: str, following: str, open_quotes: dict[str, bool], marks: QuoteMarks
) -> str:
    """One straight quote as set: an opening or closing quotation mark of the language (the
    primary ones for ", the alternate ones for '), an apostrophe or a prime; a thousands
    separator as typed."""
    if quote == "'" and previous.isdigit() and _THOUSANDS.match(following):
        return quote  # 10'000, 1'250'000: Swiss thousands
    if previous.isdigit() and not open_quotes[quote] and not following[:1].isalpha():
        return PRIMES[quote]  # 5′10″, 12″ (but COVID-19’s)
    if quote == "'" and (following[:2].isdigit() or _ELIDED.match(following + " ")):
        return APOSTROPHE  # ’90s, ’Tis
    if quote == "'" and previous == marks.primary[1] and following[:1].isalpha():
        return APOSTROPHE  # “Labour”’s
    if quote == "'" and previous.isalpha() and following[:1].isalpha():
        return APOSTROPHE  # l’homme, don’t: a quotation around it stays open (‘aujourd’hui’)
    opens_after = previous in _OPENS_AFTER or previous in (marks.primary[0], marks.alternate[0])
    opening = (opens_after and not _closes(quote, following, open_quotes)) or (
        not previous.isalnum() and following[:1].isalnum() and not open_quotes[quote]
    )  # …“next”
    if quote == "'" and previous.isalpha():
        opening = False  # don't, Experts'
    was_open, open_quotes[quote] = open_quotes[quote], opening
    start, end = marks.primary if quote == '"' else marks.alternate
    if opening:
        return start
    if quote == "'" and not (was_open and not following[:1].isalpha()):
        return APOSTROPHE  # an apostrophe, whatever the language's marks: l'homme, Experts'
    return end


def _closes(quote: str, following: str, open_quotes: dict[str, bool]) -> bool:
    """Whether a quote after a dash or a space closes the open quotation: nothing, a space or
    closing punctuation follows it (“wait —”, the sign “—”)."""
    return open_quotes[quote] and (not following or following[0] in _CLOSES_BEFORE)


_CLOSES_BEFORE = " \u00a0\u202f\u2009\t\n.,;:!?)]}"
"""What may follow a closing quote."""


_CODE = re.compile(CODE)


def code_unbroken(text: str) -> str:
    """Code between backticks and templates (`{{ year }}`) on one line: their spaces become
    no-break spaces, which no writer breaks a line at (the data keeps the spaces typed)."""
    if "`" not in text and "{" not in text:
        return text
    return _CODE.sub(lambda code: code.group().replace(" ", "\u00a0"), text)


def is_literal(word: str) -> bool:
    """Whether a word (no white space) is an address, an e-mail address or code-like."""
    stripped = word.strip(WORD_PUNCTUATION)
    if stripped.isalpha():  # every kind of literal holds something other than letters
        return False
    return LITERAL.fullmatch(stripped) is not None


IGNORABLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
"""Characters that draw nothing though Unicode files them as letters or marks."""


def _is_hidden(char: str) -> bool:
    """Whether a character of an address draws nothing (soft hyphen, joiners, selectors...):
    a link holding one would lead elsewhere than it reads."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Cc", "Cf", "Cn", "Co", "Cs")
        or code in IGNORABLE
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


SAFE = "/:?#[]@!$&'()*+,;=%~-._"
"""What stays as it is when an address is made ASCII: its reserved characters and escapes."""


def ascii_uri(url: str) -> str:
    """The address in ASCII, as a PDF's link targets must be: the host in IDNA (punycode),
    every other non-ASCII character percent-encoded as UTF-8. ASCII addresses are unchanged."""
    if url.isascii():
        return url
    if url.startswith("mailto:"):
        address, mark, query = url.removeprefix("mailto:").partition("?")
        local, at, domain = address.rpartition("@")
        return f"mailto:{quote(local, SAFE)}{at}{_host(domain)}{mark}{quote(query, SAFE)}"
    parts = urlsplit(url)
    user, at, host = parts.netloc.rpartition("@")
    name, colon, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    netloc = f"{quote(user, SAFE)}{at}{_host(name)}{colon}{port}"
    rest = (quote(part, SAFE) for part in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme, netloc, *rest))


def _host(name: str) -> str:
    """A host name in ASCII: IDNA where Python's codec takes it, else percent-encoded."""
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return quote(name, SAFE)
