"""Zip the parts of a DOCX reproducibly.

python-docx's own writer stamps each zip entry with the current time, so two saves of the
same document differ. :func:`package_parts` gives the parts of a python-docx package in the
order ``OpcPackage.save`` writes them (through python-docx's PackageWriter, without saving),
and :func:`zip_parts` zips parts in one pass with a fixed date on every entry.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import Any, cast

from docx.document import Document as DocxDocument
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""The date of every zip entry slagen writes (the earliest a zip can hold)."""
ZIP_LEVEL = 1
"""zlib level of every entry. Level 1 packs the demo's document.xml (94 KB) in 0.5 ms instead of
1.8 ms at zlib's default level 6, into 16 instead of 13 KB."""


class _Recorder:
    """The physical writer PackageWriter expects, keeping each entry's name and bytes in order."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.parts.append((pack_uri.membername, blob))


def package_parts(target: DocxDocument) -> list[tuple[str, bytes]]:
    """Every entry of the document's package, named and ordered as ``OpcPackage.save`` writes them."""
    package = target.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    recorder = _Recorder()
    physical = cast(PhysPkgWriter, recorder)
    PackageWriter._write_content_types_stream(physical, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(physical, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(physical, parts)
    return recorder.parts


def zip_parts(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``parts`` (name, bytes) in their order, every entry dated :data:`ZIP_DATE`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        for name, data in parts:
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED, ZIP_LEVEL)
    return buffer.getvalue()


def save_package(target: DocxDocument) -> bytes:
    """The document's bytes, written as ``OpcPackage.save`` does but with fixed entry dates."""
    return zip_parts(package_parts(target))


def zip_folder(folder: Any) -> bytes:
    """A zip of every file below ``folder`` (a Path), sorted, with fixed entry dates."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return zip_parts((path.relative_to(folder).as_posix(), path.read_bytes()) for path in files)
