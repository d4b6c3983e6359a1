"""Bold, italic and links as an editor left them in Word, written back as the data's markup."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from . import inline
from .writers.docx.reader import Piece

Look = tuple[bool, bool, str | None]
MARKUP_SIGNS = re.compile(r"([\\*_\[\]])")
UNSAFE_IN_URL = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')
MARKED_UP_KEYS = ("summary", "text", "name")
"""The last keys of values whose bold, italic and links are the data's (not the writer's)."""


def carries_markup(path: tuple) -> bool:
    """Whether a value's look in Word is its own markup (a title's bold is the layout's)."""
    return path[-1] in MARKED_UP_KEYS or path[0] == "notes" or "paragraphs" in path


def carries_links(path: tuple) -> bool:
    """Whether a value's links are its own markup, but not its bold and italic (an event's
    title: the layout makes it bold)."""
    return path[0] == "events" and path[-1] == "title"


def link_looks(looks: list[Look]) -> list[Look]:
    """Looks with bold and italic left out (for a text that carries only links)."""
    found: list[Look] = []
    for look in ((False, False, url) for _, _, url in looks):
        if not found or found[-1] != look:
            found.append(look)
    return found


def links_only(pieces: list[Piece]) -> list[Piece]:
    """The pieces without bold and italic (the layout's, in a text that carries only links)."""
    return [Piece(p.text, False, False, p.url) for p in pieces]


def looks_of_data(value: str) -> list[Look]:
    """The looks of a data text, one per stretch that is not only spaces, in order."""
    return _looks([Piece(s.text, s.bold, s.italic, s.url) for s in inline.parse(value)])


def looks_of_pieces(pieces: list[Piece]) -> list[Look]:
    return _looks(pieces)


def _looks(pieces: list[Piece]) -> list[Look]:
    found: list[Look] = []
    for piece in merged(pieces):
        look = _shown_look(piece)
        if piece.text.strip() and (not found or found[-1] != look):
            found.append(look)
    return found


def _shown_look(piece: Piece) -> Look:
    """The look a piece can have in the bulletin: a link, else bold, else italic (compose
    gives a run one character style, so bold italic shows as bold)."""
    if piece.url:
        return (False, False, unquote(piece.url))
    return (piece.bold, piece.italic and not piece.bold, None)


def merged(pieces: list[Piece]) -> list[Piece]:
    """Pieces with the same look joined; spaces take the look of what they stand beside."""
    result: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if result and (not piece.text.strip() or _same(result[-1], piece)):
            last = result[-1]
            result[-1] = Piece(last.text + piece.text, last.bold, last.italic, last.url)
        else:
            result.append(Piece(piece.text, piece.bold, piece.italic, piece.url))
    return result


def _same(a: Piece, b: Piece) -> bool:
    return (a.bold, a.italic, a.url) == (b.bold, b.italic, b.url)


def markup(pieces: list[Piece]) -> str:
    """Data text for pieces: **bold**, *italic*, [label](url); signs of markup escaped."""
    out = []
    for piece in merged(pieces):
        text = MARKUP_SIGNS.sub(r"\\\1", piece.text)
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        if core:
            if piece.italic:
                core = f"*{core}*"
            if piece.bold:
                core = f"**{core}**"
            if piece.url:
                core = f"[{core}]({written_url(piece.url)})"
        out.append(f"{lead}{core}{trail}")
    return "".join(out)


def same_url(a: str, b: str) -> bool:
    """Whether two web addresses are the same but for percent-escapes (LibreOffice writes
    `%20` back as a space)."""
    return unquote(a) == unquote(b)


def written_url(url: str) -> str:
    """A web address as the data writes it: spaces and the other characters a link cannot
    hold escaped again (what is already escaped, and letters of any script, stay); brackets
    too when they do not pair, as `(x)` (else the `)` would end the link's markup)."""
    written = UNSAFE_IN_URL.sub(lambda m: quote(m.group()), url)
    if not _paired(written):
        written = written.replace("(", "%28").replace(")", "%29")
    return written


def _paired(url: str) -> bool:
    depth = 0
    for sign in url:
        depth += {"(": 1, ")": -1}.get(sign, 0)
        if depth < 0:
            return False
    return depth == 0
