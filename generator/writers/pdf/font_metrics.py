"""What ReportLab reads from a TrueType font (names, metrics, glyph widths, the character map,
the glyphs' places), remembered between runs in the user's cache folder.

ReportLab reads these value by value in Python, about 10 ms a font; a remembered entry is read
in one to three. The entry is plain data, never code: JSON whose number lists are packed
as little-endian arrays in base64, named by and bound to the SHA-256 of the font file's bytes
and ReportLab's version, and preceded by the SHA-256 of its own text. It is used only if it has
exactly the shape written and agrees with itself and the font (a glyph number below the font's
count, one place per glyph...); anything else (garbled, cut short, another font's, another
ReportLab's, an unreadable folder) is ignored: the font is read again and the entry written
again. The folder is the font cache's (`generator/fontcache.py`): `.../bulletin/metrics`; as
there, the checksum guards against damaged and stale entries, not against whoever can write in
your home folder.
"""

from __future__ import annotations

import binascii
import hashlib
import json
import sys
from array import array
from fnmatch import fnmatch
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import Version, rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from ... import fontcache

FORMAT = 1
KIND = "metrics"
ENTRY_LIMIT = 4 << 20
"""Bytes: a font with every glyph of the format's limit (65,535) is well under this."""

NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")
SCALARS: dict[str, tuple[type, ...]] = {
    "unitsPerEm": (int,),
    "ascent": (int, float),
    "descent": (int, float),
    "capHeight": (int, float),
    "stemV": (int,),
    "italicAngle": (int, float),
    "underlinePosition": (int,),
    "underlineThickness": (int,),
    "flags": (int,),
    "numGlyphs": (int,),
    "defaultWidth": (int, float),
}
ARRAYS = {
    "codes": "I",  # the character map's codes, in ReportLab's order ...
    "glyphs": "I",  # ... and the glyph of each
    "width_codes": "I",  # the codes with a width, in ReportLab's order ...
    "widths": "d",  # ... and each one's width (1/1000 em)
    "char_glyphs": "I",  # the glyphs with characters, in ReportLab's order ...
    "first_codes": "I",  # ... and the first character of each ...
    "more_codes": "I",  # ... and each further one, after its glyph: glyph, code, glyph, code...
    "advances": "H",  # the horizontal metrics: the advances in font units (the first glyphs')
    "scaled_advances": "d",  # ... the others' (ReportLab keeps them scaled, 1/1000 em) ...
    "bearings": "H",  # ... and every glyph's left side bearing
    "places": "I",  # where each glyph starts in the glyf table, and where the last ends
}
FIELDS = {"format", "font", "reportlab", "names", "revision", "bbox", "integer_widths"}
FIELDS |= set(SCALARS) | set(ARRAYS)


SUBSETS_KEPT = 16
"""Subsets kept per face (a file embeds one or two of each face it uses)."""


class RememberedFace(TTFontFace):
    """ReportLab's typeface, its font information read from the cache when it is there."""

    def extractInfo(self, charInfo: int = 1) -> None:
        digest = hashlib.sha256(self._ttf_data).hexdigest()
        entry = _name(digest)
        raw = fontcache.load_blob(entry, ENTRY_LIMIT, KIND)
        if raw is not None and _applied(self, raw, digest):
            return
        super().extractInfo(charInfo)
        packed = _packed(self, digest)
        if packed is not None:
            fontcache.save_blob(entry, packed, KIND)

    def makeSubset(self, subset: list[int]) -> bytes:
        """ReportLab's subset of the font holding these characters (in this order), made once
        per process: a watch's next file mostly embeds the same subsets (a font registered
        anew is a new face)."""
        key = tuple(subset)
        kept = self.__dict__.setdefault("_subsets", {})
        found = kept.get(key)
        if found is None:
            if len(kept) >= SUBSETS_KEPT:
                kept.clear()
            found = kept[key] = super().makeSubset(subset)
        return found


class RememberedFont(TTFont):
    """ReportLab's TrueType font (as `TTFont(name, filename)` makes it) over a RememberedFace."""

    def __init__(self, name: str, filename: str) -> None:
        self.fontName = name
        self.face = RememberedFace(filename)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        """ReportLab's text in the font's subsets (character codes per subset), as drawn: a
        text already drawn in this file is split as before without going over it letter by
        letter (its characters keep the codes they were given: the answer is the same). What
        was split is kept with the font's state for the file, and goes with it."""
        split = getattr(self.state.get(doc), "split_texts", None)
        if split is None:
            found = super().splitString(text, doc, encoding)
            self.state[doc].split_texts = {text: found}
            return found
        found = split.get(text)
        if found is None:
            found = split[text] = super().splitString(text, doc, encoding)
        return found


def _name(digest: str) -> str:
    return f"{digest}-reportlab-{Version}-{FORMAT}.json"


# -- writing -------------------------------------------------------------------------------


def _packed(face: Any, digest: str) -> bytes | None:
    """The entry for a face ReportLab has just read, or None for one that is not plain enough
    to remember (a font in a collection, embedded whole, or with made-up names)."""
    if face.subfontNameX or face._full_font or face.charToGlyph is None:
        return None
    names = [_name_text(getattr(face, attribute)) for attribute in NAMES]
    widths = list(face.charWidths.values())
    integer = all(type(w) is int for w in widths)
    if None in names or not (integer or all(type(w) is float for w in widths)):
        return None
    advances = [advance for advance, _ in face.hmetrics]
    whole = _leading_ints(advances)
    if not all(type(advance) is float for advance in advances[whole:]):
        return None
    try:
        arrays = {
            "codes": list(face.charToGlyph),
            "glyphs": list(face.charToGlyph.values()),
            "width_codes": list(face.charWidths),
            "widths": widths,
            "char_glyphs": list(face.glyphToChar),
            "first_codes": [codes[0] for codes in face.glyphToChar.values()],
            "more_codes": [
                n
                for glyph, codes in face.glyphToChar.items()
                for c in codes[1:]
                for n in (glyph, c)
            ],
            "advances": advances[:whole],
            "scaled_advances": advances[whole:],
            "bearings": [bearing for _, bearing in face.hmetrics],
            "places": face.glyphPos,
        }
        packed = {key: _pack(ARRAYS[key], values) for key, values in arrays.items()}
    except (OverflowError, TypeError):
        return None
    entry = {
        "format": FORMAT,
        "font": digest,
        "reportlab": Version,
        "names": names,
        "revision": list(face.fontRevision),
        "bbox": list(face.bbox),
        "integer_widths": integer,
        **{key: getattr(face, key) for key in SCALARS},
        **packed,
    }
    text = json.dumps(entry, separators=(",", ":")).encode("ascii")
    return hashlib.sha256(text).hexdigest().encode("ascii") + b"\n" + text


def _leading_ints(values: list[Any]) -> int:
    """How many values come first as whole numbers: ReportLab keeps the advances of the
    glyphs after the font's last full metric scaled (as floats), the others in font units."""
    for at, value in enumerate(values):
        if type(value) is not int:
            return at
    return len(values)


def _name_text(value: object) -> list[str] | str | None:
    """A name as remembered: ReportLab's name bytes as [its text], a plain text as it is."""
    if isinstance(value, TTFNameBytes):
        return [value.ustr]
    return value if type(value) is str else None


def _pack(code: str, values: list[Any]) -> str:
    numbers = array(code, values)
    if sys.byteorder != "little":
        numbers.byteswap()
    return binascii.b2a_base64(numbers.tobytes(), newline=False).decode("ascii")


# -- reading -------------------------------------------------------------------------------


def _applied(face: Any, raw: bytes, digest: str) -> bool:
    """Set the face's information from an entry; False (nothing set) unless the entry is
    whole, of this font and this ReportLab, and agrees with itself."""
    check, _, text = raw.partition(b"\n")
    if hashlib.sha256(text).hexdigest().encode("ascii") != check:
        return False
    try:
        entry = json.loads(text.decode("ascii"))
        found = _read_entry(entry, digest, face.table.get("glyf", {}).get("length", 0))
    except (ValueError, TypeError, KeyError, binascii.Error, RecursionError):
        return False
    if found is None:
        return False
    face.__dict__.update(found)
    return True


def _read_entry(entry: Any, digest: str, glyf_length: int) -> dict[str, Any] | None:
    """The face's attributes from an entry, or None where anything is out of shape."""
    if not isinstance(entry, dict) or set(entry) != FIELDS:
        return None
    if (entry["format"], entry["font"], entry["reportlab"]) != (FORMAT, digest, Version):
        return None
    found: dict[str, Any] = {}
    for key, kinds in SCALARS.items():
        if type(entry[key]) not in kinds:
            return None
        found[key] = entry[key]
    names = [_name_value(name) for name in entry["names"]] if _is_list(entry["names"], 5) else []
    revision, bbox = entry["revision"], entry["bbox"]
    if None in names or not names or not _numbers(revision, 2, int) or not _numbers(bbox, 4):
        return None
    found.update(zip(NAMES, names, strict=True))
    found["fontRevision"] = tuple(revision)
    found["bbox"] = bbox
    arrays = {key: _unpack(code, entry[key]).tolist() for key, code in ARRAYS.items()}
    tables = _tables(arrays, found["numGlyphs"], entry["integer_widths"], glyf_length)
    if tables is None:
        return None
    found.update(tables)
    units = found["unitsPerEm"]
    if units <= 0:
        return None
    found["_pdfScale"] = _scale(units)
    found["_full_font"] = False
    return found


def _tables(
    arrays: dict[str, Any], glyph_count: int, integer: object, glyf_length: int
) -> dict[str, Any] | None:
    """The character map, widths, glyph characters, metrics and places, if they agree (the
    places in order, within the font's glyf table)."""
    codes, glyphs = arrays["codes"], arrays["glyphs"]
    width_codes, widths = arrays["width_codes"], arrays["widths"]
    advances = arrays["advances"] + arrays["scaled_advances"]
    bearings, places = arrays["bearings"], arrays["places"]
    if type(integer) is not bool or len(codes) != len(glyphs) or len(width_codes) != len(widths):
        return None
    if len(advances) != glyph_count or len(bearings) != glyph_count:
        return None
    if len(places) != glyph_count + 1 or (glyphs and max(glyphs) >= glyph_count):
        return None
    if places[-1] > glyf_length or places != sorted(places):
        return None
    glyph_chars = _glyph_chars(arrays, glyph_count)
    if glyph_chars is None:
        return None
    return {
        "charToGlyph": dict(zip(codes, glyphs, strict=True)),
        "charWidths": dict(zip(width_codes, map(int, widths) if integer else widths, strict=True)),
        "glyphToChar": glyph_chars,
        "hmetrics": list(zip(advances, bearings, strict=True)),
        "glyphPos": places,
    }


def _glyph_chars(arrays: dict[str, Any], glyph_count: int) -> dict[int, list[int]] | None:
    """Glyph -> its characters, in ReportLab's order."""
    glyphs, firsts, more = arrays["char_glyphs"], arrays["first_codes"], arrays["more_codes"]
    if len(glyphs) != len(firsts) or len(more) % 2 or max(glyphs, default=0) >= glyph_count:
        return None
    found = dict(zip(glyphs, map(list, zip(firsts)), strict=True))
    if len(found) != len(glyphs):
        return None
    for at in range(0, len(more), 2):
        codes = found.get(more[at])
        if codes is None:
            return None
        codes.append(more[at + 1])
    return found


def _unpack(code: str, text: object) -> array[Any]:
    if not isinstance(text, str):
        raise TypeError("not packed numbers")
    numbers = array(code)
    numbers.frombytes(binascii.a2b_base64(text, strict_mode=True))
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers


def _name_value(value: object) -> TTFNameBytes | str | None:
    if type(value) is str:
        return value
    if _is_list(value, 1) and type(value[0]) is str:  # type: ignore[index]
        return TTFNameBytes(value[0].encode("utf-8"))  # type: ignore[index]
    return None


def _is_list(value: object, length: int) -> bool:
    return type(value) is list and len(value) == length


def _numbers(value: object, length: int, kind: type | None = None) -> bool:
    kinds = (kind,) if kind else (int, float)
    return _is_list(value, length) and all(type(v) in kinds for v in value)  # type: ignore[attr-defined]


def _scale(units: int) -> Any:
    """ReportLab's scale from font units to thousandths of an em."""
    if units == 1000:
        return lambda x: x
    factor = 1000 / units
    return lambda x: x * factor
