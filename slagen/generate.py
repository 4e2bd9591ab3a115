"""The whole pipeline, from an answers file to finished documents.

Reads like the program: load the library and the answers, resolve the service levels,
then for each language render, number and write each format. Gives file contents in
memory; :mod:`slagen.output` puts them on disk.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from slagen import __version__, reuse
from slagen.answers import Answers, load_answers, validate_answers
from slagen.errors import InputError
from slagen.kept import Kept
from slagen.library import Library, load_library
from slagen.model import Document
from slagen.numbering import number_document
from slagen.render import render_document
from slagen.resolve import resolve_service
from slagen.yamlsource import YamlSource

FORMATS = ("docx", "md", "pdf")
DEFAULT_FORMATS = ("docx", "md")


@dataclass(frozen=True, slots=True)
class Output:
    """One generated file: its name (``telemarketing.de.docx``) and contents."""

    name: str
    data: bytes


def check_answers(path: Path, *, library_dir: Path | None = None) -> Answers:
    """Validate ``path`` against the library; raise InputError listing every problem."""
    return load_answers(path, load_library(library_dir))


def build_documents(answers: Answers, library: Library, languages: Iterable[str]) -> list[Document]:
    """Render, number and resolve the agreement in each language, with its provenance."""
    service = resolve_service(answers, library)
    today = document_date(answers)
    provenance = {  # the same for every language
        "slagen.version": __version__,
        "slagen.library.version": library.version,
        "slagen.library.hash": library.digest,
        "slagen.answers.digest": hashlib.sha256(answers.source.text.encode("utf-8")).hexdigest()[:16],
        "slagen.answers.file": Path(answers.source.path).name,
        "slagen.catalog": service.catalog.id,
        "slagen.tier": service.tier.id if service.tier else "",
        "slagen.model": str(answers.values["agreement.model"]),
    }
    if service.multi_level:
        provenance["slagen.tiers"] = ",".join(tier.id for tier in service.offered)
    documents = []
    shared: Kept[tuple[int, reuse.Path], str] = Kept(reuse.MAX_ENTRIES)  # one agreement's languages
    for lang in languages:
        document = number_document(render_document(answers, service, library, lang, today=today, shared=shared))
        document.properties = {**provenance, "slagen.language": lang}
        document.answers_text = answers.source.text
        documents.append(document)
    return documents


def generate(
    answers: Answers,
    library: Library,
    *,
    languages: Iterable[str] | None = None,
    formats: Iterable[str] = DEFAULT_FORMATS,
    review: bool = False,
    reference: bytes | None = None,
) -> list[Output]:
    """Every requested language × format of ``answers`` as file contents.

    ``review`` adds review comments to the DOCX; ``reference`` is a reference document whose
    styles, page setup, header and footer the DOCX takes (see :mod:`slagen.reference`). PDF
    is the DOCX converted by LibreOffice.
    """
    langs = list(languages or answers.values["languages"])
    wanted = list(formats)
    stamp = dt.datetime.combine(document_date(answers), dt.time(), tzinfo=dt.UTC)
    # Writers are imported when asked for: python-docx and lxml are a third of the start-up time.
    from slagen.writers.docx import write_docx
    from slagen.writers.markdown import write_markdown
    from slagen.writers.pdf import convert_to_pdf, find_converter

    if "pdf" in wanted:
        find_converter()  # fail before the work if LibreOffice is missing
    outputs = []
    for_pdf: dict[str, bytes] = {}
    for document in build_documents(answers, library, langs):
        stem = f"{answers.name}.{document.language}"
        if "docx" in wanted or "pdf" in wanted:
            data = write_docx(document, timestamp=stamp, review=review, reference=reference)
            if "docx" in wanted:
                outputs.append(Output(f"{stem}.docx", data))
            if "pdf" in wanted:
                for_pdf[f"{stem}.docx"] = data
        if "md" in wanted:
            outputs.append(Output(f"{stem}.md", write_markdown(document).encode("utf-8")))
    if for_pdf:
        outputs += [Output(name, data) for name, data in convert_to_pdf(for_pdf).items()]
    return outputs


def document_date(answers: Answers) -> dt.date:
    """The date a document carries: ``SOURCE_DATE_EPOCH`` when set, else the agreement's effective date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    effective: dt.date = answers.values["agreement.effective_date"]
    return effective


def standard_answers(answers: Answers, library: Library) -> Answers:
    """The same agreement as a standard one: the tier as published, without ``service.overrides``.

    A multi-level agreement has no one standard tier to compare with: that is an :class:`InputError`.
    """
    if answers.values.get("agreement.model") == "multi-level":
        source = answers.source
        raise InputError.single(
            "a multi-level agreement sets out its tiers as published; only a customer-specific agreement "
            "deviates from a standard tier",
            file=source.path,
            line=source.line_of(("agreement", "model")),
            key="agreement.model",
        )
    data = copy.deepcopy(answers.source.data)
    data.setdefault("agreement", {})["model"] = "standard"
    data.get("service", {}).pop("overrides", None)
    source = YamlSource(answers.source.path, data, dict(answers.source.lines), answers.source.text)
    return validate_answers(source, library)


def generate_redline(
    old: Answers,
    new: Answers,
    library: Library,
    *,
    language: str | None = None,
    fmt: str = "docx",
    reference: bytes | None = None,
) -> bytes:
    """The changes from ``old`` to ``new`` in one language: DOCX with tracked changes, or Markdown."""
    from slagen.redline import compare_documents
    from slagen.writers.redline import write_redline_docx, write_redline_markdown

    lang = language or new.values["languages"][0]
    (before,) = build_documents(old, library, [lang])
    (after,) = build_documents(new, library, [lang])
    changes = compare_documents(before, after)
    if fmt == "md":
        return write_redline_markdown(before, after, changes).encode("utf-8")
    stamp = dt.datetime.combine(document_date(new), dt.time(), tzinfo=dt.UTC)
    return write_redline_docx(before, after, changes, timestamp=stamp, reference=reference)
