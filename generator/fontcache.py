"""Fonts' character maps (and the Word writer's deflated fonts) remembered between runs, in
the user's cache folder.

The cache is an optimisation only: each entry is named by, and bound to, the SHA-256 of the
font file's content; it is read only if it is a small plain file holding exactly the expected
shape; anything else (a link, a FIFO, a folder, nested or truncated JSON, an entry of another
font, codes out of range, a checksum that does not match) is ignored and written again.
A second entry, one a font file (named by its absolute path) and bound to its stamp (its
device, inode, size, modification and change times: writing the file, even keeping its
modification time, changes its change time), finds the codes without reading the font at
all (`load_stamped`), under the same rules, sealed with a checksum (`sealed`); a font
written again writes over its entry.
Entries are written through a descriptor opened with O_EXCL|O_NOFOLLOW in the cache folder
and renamed into place, never by following a link.

The folder is `$XDG_CACHE_HOME/bulletin/cmaps` when that variable is an absolute path, else
`$HOME/.cache/bulletin/cmaps` (deflated fonts: `.../bulletin/deflated`, see `load_blob`; what
the PDF writer reads from fonts: `.../bulletin/metrics`);
with no usable home (empty, relative, `/`), there is no cache.
Whoever can write in your home folder can change what `check` accepts (as they can change
anything you run); the checksum guards against corruption and stale entries, not against
them.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import zlib
from pathlib import Path

FORMAT = 1
ENTRY_LIMIT = 1 << 20
"""Bytes: a cmap of all of Unicode, written as ranges, is far smaller."""
LAST_CODE = 0x10FFFF
READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
BLOBS = "deflated"
"""The folder of blobs (`load_blob`, `save_blob`) unless a caller names its own."""
CMAPS = "cmaps"
"""The folder of fonts' character maps."""

Ranges = list[list[int]]


Stamp = tuple[int, ...]
"""What tells a file's content has changed without reading it (see `file_stamp`)."""


def file_stamp(path: str | Path) -> Stamp:
    """A plain file's device, inode, size, modification and change times (writing the file,
    even keeping its modification time, changes its change time): a font whose bytes are
    replaced under the same name (during a watch, a reinstall) gets another stamp; () if it
    is missing or not a plain file. What is kept of a font file, in this process or between
    runs (`load_stamped`), is keyed by its path and stamp."""
    try:
        found = os.stat(path)
    except OSError:
        return ()
    if not stat.S_ISREG(found.st_mode):
        return ()
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def font_hash(font_file: str) -> str | None:
    """The SHA-256 of a font file's content; None if it is not a plain readable file."""
    try:
        fd = os.open(font_file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    import hashlib  # a check whose fonts are found by their stamp never loads it

    with open(fd, "rb") as font:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return hashlib.file_digest(font, "sha256").hexdigest()


def cache_root() -> Path | None:
    """The user's cache folder, or None when the environment gives no usable one."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg)
    home = os.environ.get("HOME")
    if home is None:
        home = os.path.expanduser("~")  # no HOME at all: the account's home, as POSIX says
    if not os.path.isabs(home) or Path(home) == Path("/"):
        return None
    return Path(home) / ".cache"


def load(digest: str) -> set[int] | None:
    """The codes remembered for the font with this content hash, or None."""
    raw = load_blob(f"{digest}.json", ENTRY_LIMIT, CMAPS)
    if raw is None:
        return None
    try:
        return _entry_codes(raw, digest)
    except (ValueError, TypeError, RecursionError):
        return None


def save(digest: str, codes: set[int]) -> None:
    """Remember a font's codes; any failure only means the next run reads the font again."""
    save_blob(f"{digest}.json", json.dumps(_entry(digest, codes)).encode("ascii"), CMAPS)


def load_stamped(font_file: str, stamp: Stamp) -> set[int] | None:
    """The codes remembered for a font file with this stamp (`file_stamp`, taken now),
    without reading the font; None if none are."""
    if not stamp:
        return None
    raw = load_blob(_stamped_name(font_file), ENTRY_LIMIT + 9, CMAPS)
    data = unsealed(raw) if raw is not None else None
    if data is None:
        return None
    try:
        return _stamped_codes(data, stamp)
    except (ValueError, TypeError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None


def save_stamped(font_file: str, stamp: Stamp, codes: set[int]) -> None:
    """Remember a font's codes by its stamp, taken before its content was read (`stamp`):
    only if the file still has that stamp (it was not written meanwhile). The entry is
    named by the font's path, so a font written again replaces it."""
    if not stamp or file_stamp(font_file) != stamp:
        return
    body = {"format": FORMAT, "stamp": list(stamp), "ranges": _ranges(codes)}
    save_blob(_stamped_name(font_file), sealed(json.dumps(body).encode("ascii")), CMAPS)


def sealed(data: bytes) -> bytes:
    """Bytes to keep, led by a line with their checksum (see `unsealed`)."""
    return b"%08x\n" % zlib.crc32(data) + data


def unsealed(raw: bytes) -> bytes | None:
    """The bytes `sealed` kept, if their checksum matches; else None."""
    check, newline, data = raw.partition(b"\n")
    if len(check) != 8 or not newline or not check.isalnum():
        return None
    try:
        matches = int(check, 16) == zlib.crc32(data)
    except ValueError:
        return None
    return data if matches else None


def load_blob(name: str, limit: int, kind: str = BLOBS) -> bytes | None:
    """The bytes kept under `name` in the folder of blobs `kind` (at most `limit` of them), or
    None. The caller checks them: a blob is only a guess at what it would compute."""
    folder = _folder(create=False, kind=kind)
    if folder is None:
        return None
    try:
        return _read(name, folder, limit)
    except (OSError, ValueError):
        return None
    finally:
        os.close(folder)


def save_blob(name: str, data: bytes, kind: str = BLOBS) -> None:
    """Keep bytes under `name` (in the folder `kind`); any failure only means the next run
    computes them again."""
    folder = _folder(create=True, kind=kind)
    if folder is None:
        return
    try:
        _write(name, data, folder)
    except OSError:
        pass
    finally:
        os.close(folder)


# -- entries ------------------------------------------------------------------------------


def _entry(digest: str, codes: set[int]) -> dict[str, object]:
    ranges = _ranges(codes)
    return {"format": FORMAT, "font": digest, "ranges": ranges, "check": _check(digest, ranges)}


def _entry_codes(raw: bytes, digest: str) -> set[int] | None:
    """The codes of an entry, if it has exactly the shape written and belongs to the font."""
    entry = json.loads(raw.decode("ascii"))
    if not isinstance(entry, dict) or set(entry) != {"format", "font", "ranges", "check"}:
        return None
    if entry["format"] != FORMAT or entry["font"] != digest:
        return None
    ranges = entry["ranges"]
    if not _valid_ranges(ranges) or entry["check"] != _check(digest, ranges):
        return None
    return {code for start, end in ranges for code in range(start, end + 1)}


def _stamped_name(font_file: str) -> str:
    """The entry of a font file by its absolute path (one entry a file, whatever its stamp)."""
    path = os.path.abspath(font_file).encode("utf-8", "surrogateescape")
    return f"stamp-{zlib.crc32(path):08x}{zlib.adler32(path):08x}.json"


def _stamped_codes(data: bytes, stamp: Stamp) -> set[int] | None:
    """The codes of an entry by stamp, if it has exactly the shape written, for this stamp."""
    entry = json.loads(data.decode("ascii"))
    if not isinstance(entry, dict) or set(entry) != {"format", "stamp", "ranges"}:
        return None
    if entry["format"] != FORMAT or entry["stamp"] != list(stamp):
        return None
    ranges = entry["ranges"]
    if not _valid_ranges(ranges):
        return None
    return {code for start, end in ranges for code in range(start, end + 1)}


def _valid_ranges(ranges: object) -> bool:
    """Sorted, separate [start, end] pairs of whole numbers within Unicode."""
    if not isinstance(ranges, list) or not ranges:
        return False
    last = -2
    for pair in ranges:
        if not (isinstance(pair, list) and len(pair) == 2):
            return False
        start, end = pair
        if type(start) is not int or type(end) is not int:
            return False
        if not last + 1 < start <= end <= LAST_CODE:
            return False
        last = end
    return True


def _ranges(codes: set[int]) -> Ranges:
    ranges: Ranges = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


def _check(digest: str, ranges: Ranges) -> str:
    import hashlib

    return hashlib.sha256(f"{FORMAT}|{digest}|{ranges}".encode()).hexdigest()


# -- files --------------------------------------------------------------------------------


def _folder(create: bool, kind: str) -> int | None:
    """A descriptor of <root>/bulletin/<kind> (made if `create`), reached without following a
    link below the root, owned by this user; else None."""
    root = cache_root()
    if root is None:
        return None
    try:
        if create:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    for name in ("bulletin", kind):
        try:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, 0o700, dir_fd=fd)
            inner = os.open(name, FOLDER, dir_fd=fd)
        except OSError:
            os.close(fd)
            return None
        os.close(fd)
        fd = inner
        if os.fstat(fd).st_uid != os.getuid():
            os.close(fd)
            return None
    return fd


def _read(name: str, folder: int, limit: int = ENTRY_LIMIT) -> bytes:
    """An entry's bytes, if it is a small plain file (a FIFO or device is never read)."""
    fd = os.open(name, READ, dir_fd=folder)
    with open(fd, "rb") as entry:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise ValueError("not a cache entry")
        return entry.read(limit + 1)


def _write(name: str, data: bytes, folder: int) -> None:
    """Write a new file through its descriptor, then rename it over `name`."""
    import secrets  # only when a font's entry is written: `bulletin check` reads the cache

    partial = f".{name}.{secrets.token_hex(4)}.part"
    fd = os.open(
        partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=folder
    )
    try:
        with open(fd, "wb") as entry:
            entry.write(data)
        os.replace(partial, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial, dir_fd=folder)
        raise
