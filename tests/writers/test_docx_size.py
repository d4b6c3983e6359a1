"""The Word file's size: the built-in fonts (most of the file) are embedded from the streams
the package ships (deflated by zopfli ahead, see tests/pack_fonts.py), checked against the
fonts' bytes; other fonts at zlib's best, as before."""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import build
from generator.writers.docx import package
from generator.writers.docx.fonts import embedded_font
from tests.conftest import DATA
from tests.pack_fonts import built_in_faces, inflates_to

LOCAL_HEADER = struct.Struct("<4s5H3L2H")
"""A zip entry's local header (APPNOTE 4.3.7): its last two fields are the lengths of the
name and of the extra field that follow it."""


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of our own, and no font stream remembered in this process."""
    root = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root))
    package.deflated.cache_clear()
    yield root / "bulletin" / "deflated"
    package.deflated.cache_clear()


def zlib_best(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def stored_streams(path: Path) -> dict[str, bytes]:
    """Each member of a zip file as its bytes stand in the file (compressed)."""
    found = {}
    with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
        for info in archive.infolist():
            raw.seek(info.header_offset)
            fields = LOCAL_HEADER.unpack(raw.read(LOCAL_HEADER.size))
            raw.seek(fields[-2] + fields[-1], 1)
            found[info.filename] = raw.read(info.compress_size)
    return found


def test_each_built_in_face_has_its_stream_smaller_than_zlibs_best() -> None:
    faces = built_in_faces()
    assert len(faces) == 4
    for face in faces:
        data = embedded_font(face)[1]
        stream = package.shipped_stream(hashlib.sha256(data).hexdigest())
        assert stream is not None, f"{face.name} changed: run `make packed-fonts`"
        assert inflates_to(stream, data), f"{face.name}: its stream is not the face's"
        assert len(stream) < 0.96 * len(zlib_best(data)), face.name


def test_a_word_file_embeds_the_shipped_streams_without_deflating_or_caching(
    fresh: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_deflating(*args: object) -> None:
        raise AssertionError("a built-in font was deflated")

    monkeypatch.setattr(package, "_level_stream", no_deflating)
    (written,) = build(DATA, "2020", "iscm", tmp_path / "out", ("docx",), lambda line: None)
    with zipfile.ZipFile(written.path) as archive:
        fonts = {n: archive.read(n) for n in archive.namelist() if n.endswith(".odttf")}
    stored = stored_streams(written.path)
    assert len(fonts) == 4
    for name, data in fonts.items():
        digest = hashlib.sha256(data).hexdigest()
        assert stored[name] == package.shipped_stream(digest), name
    assert not fresh.exists() or not any(fresh.iterdir()), "nothing cached"


@pytest.mark.parametrize(
    "planted",
    [
        lambda right, other: right[: len(right) // 2],  # cut short
        lambda right, other: right + b"\0trailing",
        lambda right, other: other,  # another face's stream
        lambda right, other: b"not a deflate stream",
    ],
)
def test_a_damaged_shipped_stream_is_not_used(
    fresh: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planted
) -> None:
    """A stream whose bytes are not those its name gives (a damaged install: cut short,
    grown, another face's, not a stream at all) gives way to zlib's best: the file stays
    right. (A font replaced without `make packed-fonts` has no stream of its name at all,
    see test_fontcache; that each stream shipped inflates to its face is checked above.)"""
    regular, bold = (embedded_font(face)[1] for face in built_in_faces()[:2])
    right, other = (package.deflated(data)[1] for data in (regular, bold))
    package.deflated.cache_clear()
    folder = tmp_path / "packed"
    folder.mkdir()
    digest = hashlib.sha256(regular).hexdigest()
    (folder / package.stream_name(digest, right)).write_bytes(planted(right, other))
    monkeypatch.setattr(package, "SHIPPED_STREAMS", folder)
    crc, stream = package.deflated(regular)
    assert stream == zlib_best(regular)
    assert crc == zlib.crc32(regular)
