"""Save a python-docx package reproducibly.

python-docx's own writer stamps each zip entry with the current time, so two saves of the
same document differ. :func:`save_package` writes the same parts in the same order through
python-docx's PackageWriter, but with a fixed date on every entry, without unzipping and
zipping again.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any, cast

from docx.document import Document as DocxDocument
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""The date of every zip entry slagen writes (the earliest a zip can hold)."""


class _FixedDateZip:
    """The physical writer PackageWriter expects, with :data:`ZIP_DATE` on every entry."""

    def __init__(self, stream: io.BytesIO) -> None:
        self.archive = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, ZIP_DATE)
        self.archive.writestr(entry, blob, zipfile.ZIP_DEFLATED)

    def close(self) -> None:
        self.archive.close()


def save_package(target: DocxDocument) -> bytes:
    """The document's bytes, written as ``OpcPackage.save`` does but with fixed entry dates."""
    package = target.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    buffer = io.BytesIO()
    writer = _FixedDateZip(buffer)
    physical = cast(PhysPkgWriter, writer)
    PackageWriter._write_content_types_stream(physical, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(physical, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(physical, parts)
    writer.close()
    return buffer.getvalue()


def zip_folder(folder: Any) -> bytes:
    """A zip of every file below ``folder`` (a Path), sorted, with fixed entry dates."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                entry = zipfile.ZipInfo(path.relative_to(folder).as_posix(), ZIP_DATE)
                archive.writestr(entry, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
