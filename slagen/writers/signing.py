"""The signature block's cells, one list per row and one cell per party, for the DOCX and Markdown writers.

German practice: the party, place and date, a ruled signing line, then the signatory's name and function.
English practice (English law): "Signed by <name> for and on behalf of <party>", a ruled signing line, name,
title and date, no place. A party represented jointly gets a second signing line with the second signatory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct

if TYPE_CHECKING:
    from collections.abc import Mapping

    from slagen.model import Document


class Cell(Struct, frozen=True):
    """One party's cell of a row: its text, and whether it is bold, a signing line or set apart by space."""

    text: str
    bold: bool = False
    line: bool = False
    space: bool = False


def split_signer(signer: str) -> tuple[str, str]:
    """A signatory's name and function from "Name, Function" (the function is empty if none is given)."""
    name, comma, function = signer.rpartition(", ")
    return (name, function) if comma else (signer, "")


def signature_rows(document: Document) -> list[list[Cell]]:
    """The rows of the signature table of ``document``."""
    labels, parties = document.labels, document.signatories
    jointly = any(p.co_signatory for p in parties)
    rows: list[list[Cell]] = [[Cell(labels["for_party"].format(role=p.role), bold=True) for p in parties]]
    signers = [[p.represented_by for p in parties], *([[p.co_signatory for p in parties]] if jointly else [])]
    english = document.english_execution
    if not english:
        rows.append([Cell(p.name) for p in parties])
        rows.append([Cell(f"{labels['place_date']}: ____________________", space=True) for _ in parties])
    for names in signers:
        if english:
            rows.append(
                [
                    Cell(labels["on_behalf"].format(name=f"{labels['signed_by']} {split_signer(n)[0]}", party=p.name))
                    if n
                    else Cell("")
                    for n, p in zip(names, parties, strict=True)
                ]
            )
        rows.append([Cell("", line=bool(n)) for n in names])
        rows += _name_rows(names, labels)
    if english:
        rows.append([Cell(f"{labels['date_only']}: ____________________", space=True) for _ in parties])
    return rows


def _name_rows(names: list[str], labels: Mapping[str, str]) -> list[list[Cell]]:
    """The "Name: …" and "Funktion: …" rows under a signing line."""
    split = [split_signer(n) if n else ("", "") for n in names]
    return [
        [Cell(f"{labels['name']}: {name}" if name else "") for name, _ in split],
        [Cell(f"{labels['function']}: {function}" if function else "") for _, function in split],
    ]
