"""The Word package: a clean base document, its properties and settings, a reproducible zip.

python-docx's default template carries parts Word may "repair" (stylesWithEffects.xml, a
thumbnail, sample custom XML); they are dropped. The zip is written here, not by python-docx,
so that entry order, dates and compression are fixed: two builds give identical bytes.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from ...model import DocumentInfo
from ...xml_text import escape
from .ooxml import element

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
LEFTOVERS = (RT.CUSTOM_XML, RT.NUMBERING, RT.WEB_SETTINGS, STYLES_WITH_EFFECTS)
"""Parts of the default template that the bulletin does not use."""

CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DEFAULT_TYPES = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML, "xlsx": CT.SML_SHEET}
FONT_LEVEL = 9
"""Deflate level for embedded fonts the package does not ship a stream for (a project's own):
zlib's best (7% smaller than its fastest), at no cost once a font is deflated (each font's
stream is kept in the user's cache, see `deflated`)."""
SHIPPED_STREAMS = Path(__file__).resolve().parent / "packed"
"""Raw deflate streams of the built-in fonts' faces as a Word file embeds them (obfuscated),
each named by the SHA-256 of the bytes it inflates to, then its own (`stream_name`): made
ahead by zopfli (`make packed-fonts`, see tests/pack_fonts.py), 5% smaller than zlib's best,
which the fonts take seconds to reach: the embedded fonts are most of a Word file."""
SHIPPED_SUFFIX = ".deflate"
PART_LEVEL = 9
"""Deflate level for the other parts: the text (document.xml, with a bookmark around each
value) is 8% smaller than at zlib's default, in about 60 ms more at 50 times the 2020 data."""


def clean_document() -> WordDocument:
    """python-docx's default document without the parts the bulletin does not use."""
    document = docx.Document()
    package = document.part.package
    _drop(package.rels, (RT.THUMBNAIL,))
    _drop(document.part.rels, LEFTOVERS)
    return document


def _drop(rels: dict[str, Any], reltypes: tuple[str, ...]) -> None:
    for rid in [rid for rid, rel in rels.items() if rel.reltype in reltypes]:
        del rels[rid]


def new_part(package: OpcPackage, name: str, content_type: str, blob: bytes) -> Part:
    """A new part of the package; it is written once something relates to it."""
    return Part(PackURI(name), content_type, blob, package)  # type: ignore[arg-type]


def replace_part(source: Part | OpcPackage, reltype: str, part: Part) -> None:
    """Point the relationship of a type at another part, keeping its id."""
    rels = source.rels
    rid = next(rid for rid, rel in rels.items() if rel.reltype == reltype)
    del rels[rid]
    rels.add_relationship(reltype, part, rid)


def set_properties(document: WordDocument, info: DocumentInfo, epoch: int, pages: int) -> None:
    """Core properties from the document info, dated by the build; fresh app properties."""
    when = datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)
    core = document.core_properties
    core.title, core.subject, core.author = info.title, info.subject, info.author
    core.keywords = "; ".join(info.keywords)
    core.language = info.language
    core.last_modified_by = info.author
    core.comments = core.category = ""
    core.created = core.modified = when
    core.revision = 1
    package = document.part.package
    app = new_part(package, "/docProps/app.xml", CT.OFC_EXTENDED_PROPERTIES, _app_xml(info, pages))
    replace_part(package, RT.EXTENDED_PROPERTIES, app)


def _app_xml(info: DocumentInfo, pages: int) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>bulletin</Application>'
        f"<Pages>{pages}</Pages><DocSecurity>0</DocSecurity>"
        f"<Company>{escape(info.author)}</Company></Properties>"
    ).encode()


CONSECUTIVE_HYPHENS = 2
"""The most lines in a row that Word may end with a hyphen (as the PDF writer)."""


def set_settings(document: WordDocument, language: str, hyphenate: bool = False) -> None:
    """Settings: embedded TrueType fonts, automatic hyphenation (when a style asks for it; at
    most two hyphens in a row, never in a word in capitals), Word 2013+ layout, the proofing
    language."""
    settings = document.settings.element
    for child in list(settings):
        settings.remove(child)
    compat = element(
        "w:compatSetting",
        name="compatibilityMode",
        uri="http://schemas.microsoft.com/office/word",
        val="15",
    )
    hyphenation = [
        element("w:autoHyphenation"),
        element("w:consecutiveHyphenLimit", val=str(CONSECUTIVE_HYPHENS)),
        element("w:doNotHyphenateCaps"),
    ]
    settings.extend(
        [
            element("w:zoom", percent="100"),
            element("w:embedTrueTypeFonts"),
            *(hyphenation if hyphenate else []),
            element("w:characterSpacingControl", val="doNotCompress"),
            element("w:compat", [compat]),
            element("w:themeFontLang", val=language),
        ]
    )


def write_package(document: WordDocument, target: Path | BinaryIO, epoch: int) -> None:
    """Write the package as a zip with sorted entries, all dated by the build."""
    package = document.part.package
    parts = list(package.iter_parts())
    members = {"[Content_Types].xml": _content_types(parts), "_rels/.rels": _rels(package.rels)}
    for part in parts:
        part.before_marshal()
        members[part.partname.membername] = part.blob
        if part.rels:
            members[part.partname.rels_uri.membername] = _rels(part.rels)
    stamp = _zip_time(epoch)
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(members):
            entry = zipfile.ZipInfo(name, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            if name.endswith(".odttf"):
                _write_packed(archive, entry, members[name], deflated(members[name]))
            else:
                _write_packed(archive, entry, members[name], _part_stream(name, members[name]))


def _write_packed(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, data: bytes, stream: tuple[int, bytes]
) -> None:
    """Add a member from its CRC and raw deflate stream (`stream`, made once per process:
    a watch rewrites the same fonts, styles and theme each time); the bytes are those
    `writestr` would write."""
    crc, packed = stream
    entry.file_size, entry.compress_size, entry.CRC = len(data), len(packed), crc
    entry.external_attr = 0o600 << 16  # as zipfile sets it
    assert archive.fp is not None
    entry.header_offset = archive.fp.tell()
    archive.fp.write(entry.FileHeader(zip64=False))
    archive.fp.write(packed)
    archive.start_dir = archive.fp.tell()
    archive.filelist.append(entry)
    archive.NameToInfo[entry.filename] = entry
    archive._didModify = True  # type: ignore[attr-defined]  # zipfile's own flag


def _part_stream(name: str, data: bytes) -> tuple[int, bytes]:
    """A part's CRC and raw deflate stream at PART_LEVEL, as zipfile makes it; the last one
    of each part name is kept (a watch's next file mostly has the same styles, theme,
    settings, chart...), so no more than one file's parts are kept."""
    last = _last_parts.get(name)
    if last is not None and last[0] == data:
        return last[1]
    packer = zlib.compressobj(PART_LEVEL, zlib.DEFLATED, -15)
    stream = zlib.crc32(data), packer.compress(data) + packer.flush()
    _last_parts[name] = (data, stream)
    return stream


_last_parts: dict[str, tuple[bytes, tuple[int, bytes]]] = {}
"""Each part name's last content, with its CRC and deflate stream (see `_part_stream`)."""


@lru_cache(maxsize=16)
def deflated(data: bytes) -> tuple[int, bytes]:
    """A font's CRC and raw deflate stream: the package's own stream of a built-in face (see
    SHIPPED_STREAMS), else one at FONT_LEVEL as zipfile makes it, deflated once per machine
    (kept in the user's cache by the font's hash, the level and zlib's version). A stream
    kept is used only if it inflates to the font's very bytes."""
    digest = hashlib.sha256(data).hexdigest()
    packed = shipped_stream(digest)
    if packed is None:
        packed = _level_stream(digest, data)
    return zlib.crc32(data), packed


def shipped_stream(digest: str) -> bytes | None:
    """The package's stream of the font with this hash, if it ships one whole; else None (a
    font replaced without `make packed-fonts`, a damaged install).

    Whole: its bytes have the SHA-256 its name gives (`stream_name`); `make packed-fonts`
    wrote them from the font, and a test checks that each stream shipped inflates to its
    face. Checking the hash takes a millisecond; inflating the four faces, 25 ms a build."""
    for path in SHIPPED_STREAMS.glob(f"{digest}.*{SHIPPED_SUFFIX}"):
        try:
            packed = path.read_bytes()
        except OSError:
            continue
        if path.name == stream_name(digest, packed):
            return packed
    return None


def stream_name(digest: str, packed: bytes) -> str:
    """The file name of a shipped stream: the SHA-256 of the font it inflates to (`digest`),
    then its own."""
    return f"{digest}.{hashlib.sha256(packed).hexdigest()}{SHIPPED_SUFFIX}"


def _level_stream(digest: str, data: bytes) -> bytes:
    """A font's stream at FONT_LEVEL, from the user's cache or made (and kept there)."""
    from ... import fontcache

    name = f"{digest}-{FONT_LEVEL}-{zlib.ZLIB_RUNTIME_VERSION}"
    packed = fontcache.load_blob(name, len(data) + len(data) // 8 + 1024)
    if packed is None or not _inflates_to(packed, data):
        packer = zlib.compressobj(FONT_LEVEL, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        fontcache.save_blob(name, packed)
    return packed


def _inflates_to(packed: bytes, data: bytes) -> bool:
    """Whether a raw deflate stream is whole and inflates to exactly `data`."""
    inflater = zlib.decompressobj(-15)
    try:
        found = inflater.decompress(packed, len(data) + 1)
    except zlib.error:
        return False
    return found == data and inflater.eof and not inflater.unused_data


def _rels(rels: Any) -> bytes:
    return rels.xml if isinstance(rels.xml, bytes) else rels.xml.encode()


def _content_types(parts: list[Part]) -> bytes:
    """[Content_Types].xml: defaults by extension, an override for every other part."""
    lines = [
        f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in DEFAULT_TYPES.items()
    ]
    for part in sorted(parts, key=lambda p: str(p.partname)):
        if DEFAULT_TYPES.get(part.partname.ext) != part.content_type:
            lines.append(
                f'<Override PartName="{part.partname}" ContentType="{part.content_type}"/>'
            )
    body = "".join(lines)
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Types xmlns="{CONTENT_TYPES_NS}">{body}</Types>'
    ).encode()


def _zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The build's time as a zip entry date (zip dates start in 1980)."""
    when = datetime.fromtimestamp(max(epoch, 315_532_800), UTC)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)
