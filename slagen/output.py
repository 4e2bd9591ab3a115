"""Write output files atomically and never overwrite by accident.

Takes finished file contents and a target directory and gives files on disk: every file
is first written to a temporary file beside its target, and only when all of them are
complete and on disk (fsync) are they renamed into place (a batch flushes its files to disk once,
at its end: :func:`flush_to_disk`). An existing output is an error unless ``force``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from slagen.errors import OutputError


def write_outputs(files: dict[Path, bytes], *, force: bool, sync: bool = True) -> list[Path]:
    """Write every file of ``files`` or none of them; return the paths written.

    With ``sync`` (the default) each file is on disk (fsync) before any of them takes its name.
    A batch writes its rows with ``sync=False`` and calls :func:`flush_to_disk` once at its end:
    each file still appears whole or not at all, and fsync per file would cost more than building it.
    """
    if not force:
        existing = [path for path in files if path.exists()]
        if existing:
            names = ", ".join(str(p) for p in existing)
            raise OutputError(f"{names}: already exists (use --force to overwrite)")
    directories = {path.parent for path in files}
    for directory in sorted(directories):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{directory}: cannot create the output directory ({exc.strerror})") from None
    temporary: list[tuple[Path, Path]] = []
    handles: list[int] = []
    try:
        for path, data in files.items():
            temp, handle = _write_temporary(path, data)
            temporary.append((temp, path))
            handles.append(handle)
        for handle in handles if sync else ():  # all written first, then flushed: on disk before taking its name
            os.fsync(handle)
        for temp, path in temporary:
            os.replace(temp, path)
    except OSError as exc:
        for temp, _ in temporary:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise OutputError(f"{exc.filename or 'output'}: cannot write ({exc.strerror})") from None
    finally:
        for handle in handles:
            with contextlib.suppress(OSError):
                os.close(handle)
    return list(files)


def _write_temporary(path: Path, data: bytes) -> tuple[Path, int]:
    """A temporary file beside ``path`` holding ``data`` (not yet on disk), and its open descriptor."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        os.fchmod(handle, 0o644)
    except BaseException:
        os.close(handle)
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp, handle


def flush_to_disk(paths: list[Path]) -> None:
    """Put files written with ``sync=False`` on disk: one ``sync`` of the system where there is one."""
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()
        return
    for path in paths:  # pragma: no cover - systems without sync(2)
        with contextlib.suppress(OSError), open(path, "rb+") as stream:
            os.fsync(stream.fileno())
