"""Make a redline: two versions of an agreement in one language, as DOCX with tracked changes or as Markdown.

Takes the checked answers of both versions, builds each version's document as ``slagen build``
would, summarizes the changes (:mod:`slagen.redline_summary`), and writes the whole new contract
with every change from the old one (:mod:`slagen.writers.redline`). The DOCX carries the provenance
of both versions (answers digests, library versions, references, versions, dates) as custom
properties, which ``slagen inspect`` prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from slagen import __version__
from slagen.answers import Answers
from slagen.generate import build_documents, document_date
from slagen.library import Library
from slagen.memo import Memo
from slagen.model import Document
from slagen.redline_summary import summarize

REDLINE = "redline"
"""The value of ``slagen.document`` in a redline's properties (a contract has none)."""


def make_redline(
    old: Answers,
    new: Answers,
    library: Library,
    *,
    language: str | None = None,
    fmt: str = "docx",
    reference: bytes | None = None,
    memo: Memo | None = None,
    source_date: dt.date | None = None,
    against_standard: bool = False,
) -> bytes:
    """The changes from ``old`` to ``new`` in one language: DOCX with tracked changes, or Markdown.

    With ``against_standard``, ``old`` is the standard tier of ``new`` and the summary says so.
    """
    from slagen.interview.wording import load_wording

    memo = memo or Memo()
    lang = language or new.values["languages"][0]
    (before,) = build_documents(old, library, [lang], memo=memo, source_date=source_date)
    (after,) = build_documents(new, library, [lang], memo=memo, source_date=source_date)
    compared = None
    if against_standard:
        catalog = library.catalogs[str(new.values["service.catalog"])]
        tier = catalog.tiers[str(new.values["service.tier"])].name
        compared = (after.labels["redline_standard"].format(tier=tier), after.labels["redline_agreed"])
    questions = load_wording(library, lang).questions
    kpis = library.catalogs[str(new.values["service.catalog"])].kpis if "service.catalog" in new.values else {}
    names = {kpi.id: kpi.text[lang]["name"] for kpi in kpis.values()}
    summary = summarize(before, after, old.values, new.values, questions, compared=compared, names=names)
    if fmt == "md":
        from slagen.writers.markdown import write_markdown
        from slagen.writers.redline import write_redline_markdown

        return write_redline_markdown(write_markdown(before), write_markdown(after), summary).encode("utf-8")
    from slagen.writers.redline import write_redline_docx

    stamp = dt.datetime.combine(document_date(new, source_date), dt.time(), tzinfo=dt.UTC)
    properties = redline_properties(before, after, stamp, against_standard=against_standard)
    return write_redline_docx(before, after, summary, properties, timestamp=stamp, reference=reference)


def redline_properties(
    old: Document, new: Document, timestamp: dt.datetime, *, against_standard: bool = False
) -> Mapping[str, str]:
    """The provenance of a redline: what it is, and each version's own provenance, reference, version and date."""
    properties = {
        "slagen.document": REDLINE,
        "slagen.version": __version__,
        "slagen.redline.language": new.language,
        "slagen.redline.date": timestamp.date().isoformat(),
        "slagen.redline.compares": "standard tier → agreed version" if against_standard else "two versions",
    }
    for side, document in (("old", old), ("new", new)):
        facts = {"reference": document.reference, "contract.version": document.version, "date": document.date}
        facts.update(
            {
                "slagen.version" if n == "slagen.version" else n.removeprefix("slagen."): v
                for n, v in document.properties.items()
            }
        )
        properties.update({f"slagen.{side}.{name}": value for name, value in facts.items()})
    return properties
