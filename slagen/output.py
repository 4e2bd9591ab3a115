"""Write output files: every file of a set or none, atomically, never over a file by accident.

Takes finished file contents and gives files on disk, in three steps:

1. each file is written to a temporary file beside its target (and put on disk, fsync);
2. the temporaries take their names. Without ``force`` by a hard link, which the file system refuses
   when the name exists, so two builds racing for one name cannot both succeed (the check before
   the writes only lets the message name every existing file at once). With ``force`` by rename,
   after a hard link has kept each file being replaced under a hidden name;
3. if anything fails or the process is interrupted (Ctrl-C, or SIGTERM as the command line turns
   it into ``SystemExit``), every name that already holds a new file gets its old file back, or is
   removed if it had none. Temporaries and kept files are removed either way; then the directories
   are put on disk.

A message names the file the user asked for, never a temporary.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

from msgspec import Struct

from slagen.errors import OutputError

_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}
"""What ``link`` gives where a file system has no hard links (FAT, some network shares)."""
_LINK_ITSELF = {"follow_symlinks": False} if os.link in os.supports_follow_symlinks else {}
"""A second name for a symbolic link itself, not for the file it points to (where the system can tell)."""


class _Move(Struct):
    """One file's way from its temporary to its name, and what it takes to undo it."""

    path: Path
    temp: Path
    new: os.stat_result
    handle: int
    claimed: os.stat_result | None = None  # an empty file holding the name (no hard links)
    kept: Path | None = None  # the file being replaced, under a hidden name (force)
    started: bool = False


def write_outputs(files: dict[Path, bytes], *, force: bool, sync: bool = True) -> list[Path]:
    """Write every file of ``files`` or none of them; return the paths written.

    With ``sync`` (the default) each file is on disk (fsync) before any of them takes its name, and
    the directories after. A batch writes its rows with ``sync=False`` and calls :func:`flush_to_disk`
    once at its end: each row still appears whole or not at all.
    """
    if not force:
        existing = [path for path in files if os.path.lexists(path)]  # a dangling symbolic link too
        if existing:
            raise _exists(*existing)
    for directory in sorted({path.parent for path in files}):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{directory}: cannot create the output directory ({exc.strerror})") from None
    moves: list[_Move] = []
    made: list[Path] = []  # every hidden name this call may have created
    done = False
    try:
        for path, data in files.items():
            with _naming(path):
                moves.append(_write_temporary(path, data, made))
        for move in moves if sync else ():  # all written first, then flushed: on disk before taking its name
            with _naming(move.path):
                os.fsync(move.handle)
        if force:
            for move in moves:
                with _naming(move.path):
                    _keep(move, made)
        for move in moves:
            move.started = True  # before the call: an interruption may come just after it
            with _naming(move.path):
                _take_name(move, force=force)
        done = True
    except BaseException:
        with _uninterrupted():
            _undo(moves)
        raise
    finally:
        with _uninterrupted():
            _clean_up(moves, made, done=done)
    if sync:
        for directory in sorted({path.parent for path in files}):
            _fsync_directory(directory)
    return list(files)


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """SIGTERM and SIGINT held back while files are put back or temporaries removed (delivered just after).

    A stop arriving in the middle of the clean-up would otherwise end it half done and leave a temporary.
    """
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - Windows
        yield
        return
    held = mask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, held)


def _exists(*paths: Path) -> OutputError:
    return OutputError(f"{', '.join(str(p) for p in paths)}: already exists (use --force to overwrite)")


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Turn a failure of the operating system into an error naming ``path``, whatever file it was about."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _write_temporary(path: Path, data: bytes, made: list[Path]) -> _Move:
    """A temporary file beside ``path`` holding ``data`` (not yet on disk), with its open descriptor.

    Its name goes into ``made`` before the file exists, so that an interruption at any moment
    leaves nothing the clean-up does not know of.
    """
    while True:
        temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
        made.append(temp)
        try:
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            break
        except FileExistsError:  # somebody else's: not ours to remove
            made.remove(temp)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        os.fchmod(handle, 0o644)  # whatever the umask, as a file written by hand
        return _Move(path, temp, os.fstat(handle), handle)
    except BaseException:
        os.close(handle)
        raise


def _keep(move: _Move, made: list[Path]) -> None:
    """A second name for the file being replaced (hidden, beside it), so that it can be put back."""
    try:
        found = os.lstat(move.path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(found.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(move.path))
    while True:
        kept = move.kept = move.path.with_name(f".{move.path.name}.{uuid.uuid4().hex[:12]}.old")
        made.append(kept)
        try:
            os.link(move.path, kept, **_LINK_ITSELF)
            return
        except FileExistsError:  # somebody else's: not ours to remove
            made.remove(kept)
        except FileNotFoundError:  # gone meanwhile: nothing to put back
            move.kept = None
            return
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            shutil.copy2(move.path, kept, follow_symlinks=False)  # no hard links here: a copy (of a link, the link)
            return


def _take_name(move: _Move, *, force: bool) -> None:
    if force:
        os.replace(move.temp, move.path)
        return
    try:
        os.link(move.temp, move.path)  # fails if the name exists, whatever it is (a dangling link too)
        return
    except FileExistsError:
        raise _exists(move.path) from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
    try:  # no hard links here: an empty file claims the name, then the temporary replaces it
        claim = os.open(move.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise _exists(move.path) from None
    move.claimed = os.fstat(claim)
    os.close(claim)
    os.replace(move.temp, move.path)


def _undo(moves: list[_Move]) -> None:
    """Put back what the names that already hold a new file had before (nothing where they had nothing)."""
    for move in reversed(moves):
        if not move.started:
            continue
        try:
            now = os.lstat(move.path)
        except OSError:
            continue
        if not (_same(now, move.new) or (move.claimed is not None and _same(now, move.claimed))):
            continue  # not ours: the name was never taken, or somebody else has written it since
        with contextlib.suppress(OSError):
            if move.kept is not None:
                os.replace(move.kept, move.path)
                move.kept = None
            else:
                os.unlink(move.path)


def _same(one: os.stat_result, other: os.stat_result) -> bool:
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def _clean_up(moves: list[_Move], made: list[Path], *, done: bool) -> None:
    """Close the temporaries and remove the hidden names, but a kept file whose old content is not back."""
    for move in moves:
        with contextlib.suppress(OSError):
            os.close(move.handle)
    needed = {move.kept for move in moves if not done and move.started and _ours(move)}
    for name in made:
        if name not in needed:
            with contextlib.suppress(FileNotFoundError):
                name.unlink()


def _ours(move: _Move) -> bool:
    """Whether the name of ``move`` holds the new file still (then its kept old file is all that is left of it)."""
    try:
        return _same(os.lstat(move.path), move.new)
    except OSError:
        return False


def _fsync_directory(directory: Path) -> None:
    """Put a directory's entries on disk, so that the names just given survive a power failure."""
    try:
        handle = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - systems that cannot open a directory (Windows)
        return
    try:
        os.fsync(handle)
    except OSError as exc:
        if exc.errno not in {errno.EINVAL, errno.EBADF}:  # directories that cannot be synced: nothing to do
            raise OutputError(f"{directory}: cannot write ({exc.strerror})") from None
    finally:
        os.close(handle)


_SYNCING = 8
"""Files put on disk at once by :func:`flush_to_disk`: the file system commits their journal together."""


def flush_to_disk(paths: list[Path]) -> None:
    """Put files written with ``sync=False`` on disk (fsync each), and then their directories.

    Only slagen's own files: the rest of the machine's unwritten data is not slagen's to flush.
    """

    def fsync(path: Path) -> None:
        with _naming(path):
            handle = os.open(path, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)

    if paths:
        from concurrent.futures import ThreadPoolExecutor  # only here: not at every start-up

        with ThreadPoolExecutor(max_workers=_SYNCING) as pool:
            list(pool.map(fsync, paths))
    for directory in sorted({path.parent for path in paths}):
        _fsync_directory(directory)
