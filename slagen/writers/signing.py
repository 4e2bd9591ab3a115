"""The signature block's cells, one list per row and one cell per party, for the DOCX writer.

German practice: the party, place and date, a signature line and the signatory's name and function.
English practice (English law): "Signed by <name>, <function>, for and on behalf of <party>", a signature line
and a date, no place. A party represented jointly gets a second signature line with the second signatory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slagen.model import Document

Cell = tuple[str, bool]
"""A cell's text and whether it is bold."""
_LINE = "\n\n______________________________"


def signature_rows(document: Document) -> list[list[Cell]]:
    """The rows of the signature table of ``document``."""
    labels, parties = document.labels, document.signatories
    jointly = any(p.co_signatory for p in parties)
    rows: list[list[Cell]] = [[(labels["for_party"].format(role=p.role), True) for p in parties]]
    if document.english_execution:
        signers = [[p.represented_by for p in parties], *([[p.co_signatory for p in parties]] if jointly else [])]
        for names in signers:
            rows.append(
                [
                    (
                        labels["on_behalf"].format(name=f"{labels['signed_by']} {name}", party=p.name) if name else "",
                        False,
                    )
                    for name, p in zip(names, parties, strict=True)
                ]
            )
            rows.append([(_LINE if name else "", False) for name in names])
        rows.append([(f"{labels['date_only']}: ____________________", False) for _ in parties])
        return rows
    rows.append([(p.name, False) for p in parties])
    rows.append([("", False) for _ in parties])
    rows.append([(f"{labels['place_date']}: ____________________", False) for _ in parties])
    for names in [[p.represented_by for p in parties], *([[p.co_signatory for p in parties]] if jointly else [])]:
        rows.append([(_LINE if name else "", False) for name in names])
        rows.append([(name, False) for name in names])
    return rows
