"""The font cache is an optimisation only: whatever is found in it (or instead of it), the
glyph check answers from the font itself, never hangs, never writes outside the cache."""

from __future__ import annotations

import json
import os
import shutil
import signal
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import fontcache, glyphs
from generator.cli import main
from generator.layout_spec import FONTS
from tests.conftest import DATA

REGULAR = FONTS / "Lato-Regular.ttf"
BOLD = FONTS / "Lato-Bold.ttf"
AIN = 0x0639  # ARABIC LETTER AIN: not in Lato


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of our own, and no character map remembered in this process."""
    root = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(root))
    forget()
    yield root / "bulletin" / "cmaps"
    forget()


def forget() -> None:
    """No character map remembered in this process, nor by a font's stamp: the entries by
    the font's content are read (see the tests of the entries by stamp below)."""
    glyphs._font_characters.cache_clear()
    root = fontcache.cache_root()
    if root is not None:
        for stamped in (root / "bulletin" / "cmaps").glob("stamp-*.json"):
            if not stamped.is_dir():
                stamped.unlink()


def entry(folder: Path, font: Path) -> Path:
    digest = fontcache.font_hash(str(font))
    assert digest
    return folder / f"{digest}.json"


def truth(font: Path) -> frozenset[str]:
    return frozenset(map(chr, glyphs._read_cmap(str(font))))


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail (instead of hanging the run) if the test takes over 20 seconds."""

    def late(number: int, frame: object) -> None:
        raise TimeoutError("the glyph check hangs")

    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def valid(folder: Path, font: Path) -> dict:
    """The entry the cache writes for `font` (written, then read back)."""
    forget()
    glyphs.font_characters(str(font))
    return json.loads(entry(folder, font).read_text(encoding="ascii"))


def with_ain(data: dict) -> dict:
    """An entry edited to claim the font draws U+0639 (its checksum left as it was)."""
    return {**data, "ranges": sorted([*data["ranges"], [AIN, AIN]])}


def recomputed(data: dict, ranges: list) -> dict:
    """An entry with other ranges and a checksum made for them."""
    return {**data, "ranges": ranges, "check": fontcache._check(data["font"], ranges)}


Plant = Callable[[Path, dict], None]


def text(content: str | bytes) -> Plant:
    def plant(path: Path, data: dict) -> None:
        path.unlink()
        path.write_bytes(content if isinstance(content, bytes) else content.encode())

    return plant


def edited(change: Callable[[dict], dict]) -> Plant:
    def plant(path: Path, data: dict) -> None:
        path.write_text(json.dumps(change(data)), encoding="ascii")

    return plant


def fifo(path: Path, data: dict) -> None:
    path.unlink()
    os.mkfifo(path)


def folder(path: Path, data: dict) -> None:
    path.unlink()
    path.mkdir()
    (path / "x").write_text("[]", encoding="ascii")


def other_font(path: Path, data: dict) -> None:
    """The entry of another font (Bold) copied to this font's name."""
    forget()
    glyphs.font_characters(str(BOLD))
    shutil.copy(entry(path.parent, BOLD), path)


def huge(path: Path, data: dict) -> None:
    path.write_text(json.dumps(with_ain(data)) + " " * (2 << 20), encoding="ascii")


def truncated(path: Path, data: dict) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


PLANTS: dict[str, Plant] = {
    "fifo": fifo,
    "folder": folder,
    "deep-json": text("[" * 200_000 + "]" * 200_000),
    "empty-list": text("[]"),
    "empty-object": text("{}"),
    "empty-file": text(""),
    "binary": text(b"\xff\xfe\x00garbage\x80"),
    "truncated": truncated,
    "old-format": text(json.dumps(sorted(range(32, 0x3000)))),
    "poisoned": edited(with_ain),
    "other-font": other_font,
    "wrong-format": edited(lambda d: {**d, "format": 2}),
    "extra-key": edited(lambda d: {**d, "more": 1}),
    "out-of-range": edited(lambda d: recomputed(d, [*d["ranges"], [0x110000, 0x110001]])),
    "overlapping": edited(lambda d: recomputed(d, [[32, 200], [100, 0x700]])),
    "booleans": edited(lambda d: recomputed(d, [[True, 200]])),
    "floats": edited(lambda d: recomputed(d, [[32.0, 200.0]])),
    "huge": huge,
}


@pytest.mark.parametrize("name", PLANTS)
def test_an_odd_cache_entry_is_ignored_and_written_again(
    cache: Path, no_hang: None, name: str
) -> None:
    data = valid(cache, REGULAR)
    path = entry(cache, REGULAR)
    PLANTS[name](path, data)
    forget()
    drawn = glyphs.font_characters(str(REGULAR))
    assert drawn == truth(REGULAR)
    assert chr(AIN) not in drawn
    if name != "folder":  # a folder in its place cannot be replaced; it is ignored each time
        assert json.loads(path.read_text(encoding="ascii")) == data, "written again, whole"


def test_a_poisoned_cache_does_not_make_check_accept_a_character(
    cache: Path, tmp_path: Path
) -> None:
    for font in FONTS.glob("Lato-*.ttf"):
        path = entry(cache, font)
        edited(with_ain)(path, valid(cache, font))
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    year = data / "2020.yaml"
    year.write_text(
        year.read_text(encoding="utf-8").replace("Bali Process", "Bali Process \u0639", 1),
        encoding="utf-8",
    )
    forget()
    result = CliRunner().invoke(main, ["check", "2020", "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert "U+0639 ARABIC LETTER AIN" in result.output


def test_a_font_changed_in_place_is_read_again(cache: Path, tmp_path: Path) -> None:
    """Same path, size and modification time, other content: the content decides."""
    font = tmp_path / "face.ttf"
    shutil.copy(REGULAR, font)
    first = glyphs.font_characters(str(font))
    stamp = font.stat()
    other = FONTS / "Lato-Italic.ttf"
    font.write_bytes(other.read_bytes()[: stamp.st_size].ljust(stamp.st_size, b"\0"))
    os.utime(font, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    if font.read_bytes() == REGULAR.read_bytes():
        pytest.skip("the two faces are identical")
    forget()
    assert fontcache.load(fontcache.font_hash(str(font)) or "") is None
    again = glyphs.font_characters(str(font))
    assert again == truth(font)
    assert again != first or truth(font) == truth(REGULAR)


def test_an_entry_that_is_a_link_is_neither_read_nor_written_through(
    cache: Path, tmp_path: Path
) -> None:
    data = valid(cache, REGULAR)
    victim = tmp_path / "victim.json"
    victim.write_text(json.dumps(with_ain(data)), encoding="ascii")
    path = entry(cache, REGULAR)
    path.unlink()
    path.symlink_to(victim)
    forget()
    assert chr(AIN) not in glyphs.font_characters(str(REGULAR))
    assert json.loads(victim.read_text(encoding="ascii")) == with_ain(data), "victim unchanged"
    assert not path.is_symlink()


def test_a_cache_folder_that_is_a_link_is_not_used(cache: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache.parent.parent.mkdir(parents=True)
    cache.parent.symlink_to(elsewhere)
    assert glyphs.font_characters(str(REGULAR)) == truth(REGULAR)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(
    ("home", "xdg", "expected"),
    [
        ("", None, None),
        ("/", None, None),
        ("relative/home", None, None),
        ("", "relative/cache", None),
        ("HOME", "relative/cache", "HOME/.cache"),
        ("HOME", "", "HOME/.cache"),
        ("", "XDG", "XDG"),
    ],
    ids=[
        "empty-home",
        "root-home",
        "relative-home",
        "both-relative",
        "relative-xdg",
        "empty-xdg",
        "xdg",
    ],
)
def test_the_cache_is_only_where_the_environment_gives_an_absolute_place(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    home: str,
    xdg: str | None,
    expected: str | None,
) -> None:
    def real(value: str) -> str:
        return value.replace("HOME", str(tmp_path / "home")).replace("XDG", str(tmp_path / "x"))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", real(home))
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", real(xdg))
    assert fontcache.cache_root() == (Path(real(expected)) if expected else None)
    forget()
    assert glyphs.font_characters(str(REGULAR)) == truth(REGULAR)
    glyphs._font_characters.cache_clear()
    made = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.json"))
    if expected:
        place = str(Path(real(expected)).relative_to(tmp_path) / "bulletin" / "cmaps")
        assert len(made) == 2, "by content and by stamp"
        assert all(path.startswith(place) for path in made)
    else:
        assert made == [], "nothing written in the working folder"


# -- entries by stamp ----------------------------------------------------------------------


def stamped_entry(folder: Path, font: Path) -> Path:
    return folder / fontcache._stamped_name(str(font))


def signed(body: object) -> bytes:
    return fontcache.sealed(json.dumps(body).encode("ascii"))


def test_a_font_is_found_by_its_stamp_without_being_read(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = truth(REGULAR)
    assert glyphs.font_characters(str(REGULAR)) == expected
    assert stamped_entry(cache, REGULAR).is_file()
    glyphs._font_characters.cache_clear()

    def unread(*args: object) -> None:
        raise AssertionError("the font was read")

    monkeypatch.setattr(fontcache, "font_hash", unread)
    monkeypatch.setattr(glyphs, "_read_cmap", unread)
    assert glyphs.font_characters(str(REGULAR)) == expected


STAMPED_PLANTS: dict[str, Callable[[Path, bytes], None]] = {
    "garbage": lambda path, right: path.write_bytes(b"\xff\x00garbage"),
    "empty": lambda path, right: path.write_bytes(b""),
    "truncated": lambda path, right: path.write_bytes(right[:-20]),
    "unsigned-edit": lambda path, right: path.write_bytes(
        right.partition(b"\n")[0] + signed(with_ain(json.loads(right.partition(b"\n")[2])))[8:]
    ),
    "other-stamp": lambda path, right: path.write_bytes(
        signed({**json.loads(right.partition(b"\n")[2]), "stamp": [1, 2, 3, 4, 5]})
    ),
    "extra-key": lambda path, right: path.write_bytes(
        signed({**json.loads(right.partition(b"\n")[2]), "more": 1})
    ),
    "stamp-as-text": lambda path, right: path.write_bytes(
        signed({**json.loads(right.partition(b"\n")[2]), "stamp": "1-2-3-4-5"})
    ),
    "out-of-range": lambda path, right: path.write_bytes(
        signed({**json.loads(right.partition(b"\n")[2]), "ranges": [[32, 0x110000]]})
    ),
    "deep-json": lambda path, right: path.write_bytes(signed([[[[]]]]) + b"[" * 100_000),
    "fifo": lambda path, right: (path.unlink(), os.mkfifo(path)),
    "folder": lambda path, right: (path.unlink(), path.mkdir()),
}


@pytest.mark.parametrize("name", STAMPED_PLANTS)
def test_an_odd_entry_by_stamp_is_ignored_and_written_again(
    cache: Path, no_hang: None, name: str
) -> None:
    glyphs.font_characters(str(REGULAR))
    path = stamped_entry(cache, REGULAR)
    right = path.read_bytes()
    STAMPED_PLANTS[name](path, right)
    glyphs._font_characters.cache_clear()
    drawn = glyphs.font_characters(str(REGULAR))
    assert drawn == truth(REGULAR)
    assert chr(AIN) not in drawn
    if name != "folder":  # a folder in its place cannot be replaced; it is ignored each time
        assert path.read_bytes() == right, "written again, whole"


def test_a_signed_entry_by_stamp_is_taken_as_it_says(cache: Path) -> None:
    """The checksum guards against damage, not against whoever writes in the cache folder
    (see fontcache): a well-formed entry with its checksum made for it is believed."""
    glyphs.font_characters(str(REGULAR))
    path = stamped_entry(cache, REGULAR)
    body = json.loads(path.read_bytes().partition(b"\n")[2])
    path.write_bytes(signed({**body, "ranges": sorted([*body["ranges"], [AIN, AIN]])}))
    glyphs._font_characters.cache_clear()
    assert chr(AIN) in glyphs.font_characters(str(REGULAR))


def test_a_font_written_again_is_not_found_by_its_old_stamp(cache: Path, tmp_path: Path) -> None:
    """Same path, size and modification time, other content: the change time differs."""
    font = tmp_path / "face.ttf"
    shutil.copy(REGULAR, font)
    glyphs.font_characters(str(font))
    before = fontcache.file_stamp(str(font))
    stamp = font.stat()
    other = FONTS / "Lato-Italic.ttf"
    font.write_bytes(other.read_bytes()[: stamp.st_size].ljust(stamp.st_size, b"\0"))
    os.utime(font, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert fontcache.file_stamp(str(font)) != before
    glyphs._font_characters.cache_clear()
    assert fontcache.load_stamped(str(font), fontcache.file_stamp(str(font))) is None
    assert glyphs.font_characters(str(font)) == truth(font)


def test_a_font_written_again_leaves_one_entry_by_stamp(cache: Path, tmp_path: Path) -> None:
    """A font reinstalled (or checked out again) gets another stamp: its entry is written
    over, not left beside the old one, and the next run finds it by its new stamp."""
    font = tmp_path / "face.ttf"
    for face in ("Lato-Regular.ttf", "Lato-Italic.ttf", "Lato-Regular.ttf"):
        font.unlink(missing_ok=True)
        shutil.copy(FONTS / face, font)
        glyphs._font_characters.cache_clear()
        assert glyphs.font_characters(str(font)) == truth(font)
        stamped = [path.name for path in cache.iterdir() if path.name.startswith("stamp-")]
        assert stamped == [stamped_entry(cache, font).name]
        assert fontcache.load_stamped(str(font), fontcache.file_stamp(font)) == {
            ord(char) for char in truth(font)
        }


# -- the Word writer's compressed fonts ---------------------------------------------------


def packed_font(data: bytes) -> bytes:
    """The font's raw deflate stream as the Word writer embeds it (this process's memory of
    it forgotten, so the cache is asked)."""
    from generator.writers.docx import package

    package.deflated.cache_clear()
    try:
        return package.deflated(data)[1]
    finally:
        package.deflated.cache_clear()


def inflated(stream: bytes) -> bytes:

    return zlib.decompressobj(-15).decompress(stream)


@pytest.mark.parametrize(
    "planted",
    [
        lambda right, other: b"not a deflate stream",
        lambda right, other: right[: len(right) // 2],  # cut short
        lambda right, other: right + b"\0trailing",
        lambda right, other: other,  # another font's stream
    ],
)
def test_a_compressed_font_that_does_not_unpack_to_the_font_is_made_again(
    cache: Path, planted: Callable[[bytes, bytes], bytes]
) -> None:
    """The cache holds a font compressed at the best level; an entry used only if it
    unpacks to the font's very bytes, else made again and written over."""
    data, other = REGULAR.read_bytes(), BOLD.read_bytes()
    right = packed_font(data)
    assert inflated(right) == data
    folder = cache.parent / fontcache.BLOBS
    (entry_file,) = folder.iterdir()
    assert entry_file.read_bytes() == right
    entry_file.write_bytes(planted(right, packed_font(other)))
    assert packed_font(data) == right
    assert entry_file.read_bytes() == right


def test_a_word_file_is_the_same_with_the_cache_warm_or_cold(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fonts the package ships no stream for (here: none shipped) are kept in the cache."""
    from generator.build import build
    from generator.writers.docx import package

    monkeypatch.setattr(package, "SHIPPED_STREAMS", tmp_path / "none shipped")

    def word_file(name: str) -> bytes:
        package.deflated.cache_clear()
        written = build(DATA, "2020", "iscm", tmp_path / name, ("docx",), lambda line: None)
        return written[0].path.read_bytes()

    try:
        cold = word_file("cold")
        assert len(list((cache.parent / fontcache.BLOBS).iterdir())) == 4
        assert word_file("warm") == cold
    finally:
        package.deflated.cache_clear()  # its streams are not the shipped ones
