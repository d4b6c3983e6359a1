"""Writing into the output folder safely: one build at a time, files committed as one set.

- The folder is opened once and every name is created, renamed and removed relative to it,
  so a folder swapped for a link mid-build cannot redirect anything.
- A build holds an exclusive `flock` on `.bulletin.lock` in the folder; the kernel releases it
  when the build ends, however it ends. A second build into the same folder waits for it (up
  to LOCK_WAIT seconds, saying so), then gives up with exit 1.
- Each output is first written to a new hidden file (O_CREAT|O_EXCL|O_NOFOLLOW) through the
  descriptor that created it; nothing is ever reopened by name, so a temporary file swapped
  for a link cannot make a writer write through the link.
- Holding the lock, any temporary file in the folder was left by a build that was killed:
  it is removed (no process ids are trusted: they are reused, and differ between namespaces).
- The commit moves the files into place one after the other; if one move fails, the files
  already moved are put back as they were (from hard links of the previous set).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import BulletinError, Problem, fail

LOCK_NAME = ".bulletin.lock"
LOCK_WAIT = 120.0
"""Seconds a build waits for another one writing into the same folder."""
LOCK_POLL = 0.1
TEMPORARY = re.compile(r"^\..+\.[0-9a-z_]{8}\.part$")
"""A hidden temporary file of a build: `.NAME.RANDOM.part`."""
NAME_ROOM = 200
"""Characters of the target's name kept in a temporary file's name (names have 255 bytes)."""
CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EIO}

Notice = Callable[[str], None]
STOPS = {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass
class Temporary:
    """A new hidden file in the output folder, written through its descriptor, then moved to
    `target` at the commit."""

    folder: OutputFolder
    target: str
    name: str
    fd: int

    @property
    def path(self) -> Path:
        """The final file's path, as messages name it."""
        return self.folder.path / self.target

    def open(self) -> BinaryIO:
        """A file object on the descriptor (not closing it), named after the final file."""
        stream = open(self.fd, "wb", closefd=False)  # noqa: SIM115 (the caller closes it)
        stream.raw.name = str(self.path)  # type: ignore[attr-defined]
        return stream

    def size(self) -> int:
        return os.fstat(self.fd).st_size


@dataclass
class OutputFolder:
    """The output folder of one build, locked while the build runs (a context manager)."""

    path: Path
    notice: Notice = _stderr
    created: list[Path] = field(default_factory=list)
    fd: int = -1
    lock: int = -1
    temporaries: list[Temporary] = field(default_factory=list)

    def __enter__(self) -> OutputFolder:
        try:
            self._make()
            self.fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            self.lock = self._lock()
        except OSError as error:
            self._close(failed=True)
            raise folder_problem(self.path, error) from None
        except BaseException:
            self._close(failed=True)
            raise
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        self._close(failed=error is not None)

    # -- the folder and its lock ---------------------------------------------------------

    def _make(self) -> None:
        """Make the folder and any missing parents, remembering which (to remove on failure)."""
        missing = []
        folder = self.path
        while not os.path.lexists(folder) and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            try:
                os.mkdir(folder)
            except FileExistsError:
                continue  # made meanwhile by someone else: not ours to remove
            self.created.append(folder)

    def _lock(self) -> int:
        """Hold `.bulletin.lock`, waiting (bounded) for a build that holds it."""
        deadline = time.monotonic() + LOCK_WAIT
        told = False
        while True:
            fd = self._open_lock()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise self._busy() from None
                if not told:
                    self.notice(f"waiting for another build writing into {self.path} ...")
                    told = True
                time.sleep(LOCK_POLL)
                continue
            except OSError:
                os.close(fd)
                raise
            if _same_file(fd, LOCK_NAME, self.fd):
                return fd
            os.close(fd)  # removed by the build that just ended: lock the new one

    def _open_lock(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(LOCK_NAME, flags, 0o644, dir_fd=self.fd)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
                raise self._not_a_file(LOCK_NAME) from None
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise self._not_a_file(LOCK_NAME)
        return fd

    def _busy(self) -> BulletinError:
        return fail(
            str(self.path),
            f"another build has been writing into this folder for over {LOCK_WAIT:.0f} s",
            "wait for it to finish, or build into another folder with --output",
        )

    def _not_a_file(self, name: str) -> BulletinError:
        return fail(
            str(self.path / name),
            "not a plain file (a link, a folder or a device); bulletin will not write through it",
            "remove it",
        )

    # -- before writing ----------------------------------------------------------------

    def prepare(self, targets: Iterable[str]) -> None:
        """Remove what killed builds left, and refuse targets that cannot be files."""
        for entry in os.scandir(self.fd):
            if TEMPORARY.match(entry.name) and not entry.is_dir(follow_symlinks=False):
                _unlink(entry.name, self.fd)
        limit = _name_max(self.fd)
        for target in targets:
            length = len(os.fsencode(target))
            if length > limit:
                raise fail(
                    str(self.path / target),
                    f"the file name is {length} bytes, over the limit of {limit} here",
                    "shorten `file_name` in bulletin.yaml",
                )
            try:
                mode = os.stat(target, dir_fd=self.fd, follow_symlinks=False).st_mode
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(mode):
                raise fail(
                    str(self.path / target),
                    "a folder has the name of an output file",
                    "rename or remove the folder, or choose another --output",
                )

    def temporary(self, target: str) -> Temporary:
        """A new hidden file for `target`, readable as a normal new file would be (umask)."""
        while True:
            name = f".{target[:NAME_ROOM]}.{_token()}.part"
            try:
                fd = os.open(name, CREATE, 0o666, dir_fd=self.fd)
            except FileExistsError:
                continue
            except OSError as error:
                raise folder_problem(self.path, error) from None
            made = Temporary(self, target, name, fd)
            self.temporaries.append(made)
            return made

    # -- the commit --------------------------------------------------------------------

    def commit(self, files: list[Temporary]) -> None:
        """Move every file into place, or (if one move fails) none: the previous set is kept."""
        previous: dict[str, str | None] = {}
        try:
            self._check(files)
            for file in files:
                previous[file.target] = self._keep(file.target)
            self._move(files, previous)
        except OSError as error:
            raise folder_problem(self.path, error) from None
        finally:
            for kept in previous.values():
                if kept:
                    _unlink(kept, self.fd)
        _fsync(self.fd)

    def _check(self, files: list[Temporary]) -> None:
        """Each file on disk, and still the one the build wrote (not replaced meanwhile)."""
        for file in files:
            os.fsync(file.fd)
            if not _same_file(file.fd, file.name, self.fd):
                raise fail(
                    str(file.path),
                    "its temporary file was replaced during the build; nothing was moved",
                    "check who else writes into this folder, then build again",
                )

    def _move(self, files: list[Temporary], previous: dict[str, str | None]) -> None:
        moved: list[Temporary] = []
        try:
            for file in files:
                move(file.name, file.target, self.fd)
                moved.append(file)
        except OSError as error:
            failed = files[len(moved)]
            problem = self._restore(moved, previous)
            raise BulletinError([_move_problem(failed, error), *problem]) from None

    def _keep(self, target: str) -> str | None:
        """A hard link to the previous file of `target` (None if there is none)."""
        try:
            os.stat(target, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        while True:
            name = f".{target[:NAME_ROOM]}.{_token()}.part"
            try:
                os.link(target, name, src_dir_fd=self.fd, dst_dir_fd=self.fd, follow_symlinks=False)
                return name
            except FileExistsError:
                continue
            except OSError:
                return self._copy(target)  # a file system without hard links

    def _copy(self, target: str) -> str:
        """A copy of the previous file of `target`, made through descriptors."""
        source = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=self.fd)
        copy = self.temporary(target)
        self.temporaries.remove(copy)
        try:
            with open(source, "rb") as reading, open(copy.fd, "wb") as writing:
                while chunk := reading.read(1 << 20):
                    writing.write(chunk)
        except BaseException:
            _unlink(copy.name, self.fd)
            raise
        return copy.name

    def _restore(self, moved: list[Temporary], previous: dict[str, str | None]) -> list[Problem]:
        """Put the previous files back where new ones were moved; a problem if that fails."""
        for file in reversed(moved):
            kept = previous[file.target]
            try:
                if kept:
                    move(kept, file.target, self.fd)
                    previous[file.target] = None
                else:
                    os.unlink(file.target, dir_fd=self.fd)
            except OSError as error:
                return [
                    Problem(
                        str(file.path),
                        1,
                        1,
                        "",
                        f"and the previous file could not be put back: {error.strerror}",
                        "build again once the folder can be written",
                    )
                ]
        return []

    # -- the end -----------------------------------------------------------------------

    def _close(self, failed: bool) -> None:
        """Remove the temporary files and the lock; after a failure, the folders made.

        A stop signal waits until this is done (it is delivered right after)."""
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
        try:
            self._clean(failed)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def _clean(self, failed: bool) -> None:
        for file in self.temporaries:
            os.close(file.fd)
            if self.fd >= 0:
                _unlink(file.name, self.fd)
        self.temporaries.clear()
        if self.lock >= 0:
            _unlink(LOCK_NAME, self.fd)  # still held: nobody else can be using it
            os.close(self.lock)
            self.lock = -1
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if failed:
            for folder in reversed(self.created):
                try:
                    folder.rmdir()
                except OSError:
                    break  # not empty (another build's files): keep it and its parents
        self.created.clear()


def move(name: str, target: str, folder: int) -> None:
    """Rename within the folder (replacing the target); a hook for tests."""
    os.replace(name, target, src_dir_fd=folder, dst_dir_fd=folder)


def folder_problem(out_dir: Path, error: OSError) -> BulletinError:
    if error.errno == errno.ENAMETOOLONG:
        return fail(
            str(out_dir),
            "cannot write to the output folder: a name in its path is too long",
            "choose a folder with shorter names with --output",
        )
    return fail(
        str(out_dir),
        f"cannot write to the output folder: {error.strerror or error}",
        "choose another folder with --output, or fix its permissions or free space",
    )


def is_output_error(error: OSError) -> bool:
    """Whether a writer's OSError is about the output (a full disk), not a bug."""
    return error.errno in OUTPUT_ERRORS


def _move_problem(file: Temporary, error: OSError) -> Problem:
    return Problem(
        str(file.path),
        1,
        1,
        "",
        f"cannot replace the file: {error.strerror or error}; the previous files are kept",
        "close the file where it is open (or wait for the share to release it), build again",
    )


def _same_file(fd: int, name: str, folder: int) -> bool:
    """Whether `name` in the folder is still the file open as `fd` (not replaced, not a link)."""
    try:
        named = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _unlink(name: str, folder: int) -> None:
    with contextlib.suppress(OSError):  # already gone, or the folder is: nothing to clean
        os.unlink(name, dir_fd=folder)


def _fsync(fd: int) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot sync a folder
        os.fsync(fd)


def _name_max(fd: int) -> int:
    try:
        return os.fpathconf(fd, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _token() -> str:
    """Eight random hexadecimal digits for a temporary file's name, from the system's source
    of randomness (as `secrets.token_hex(4)`, without `secrets`: it loads hashlib and
    OpenSSL, 10 ms before the renderer has its work)."""
    return os.urandom(4).hex()
