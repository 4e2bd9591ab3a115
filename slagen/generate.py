"""The whole pipeline, from an answers file to finished documents.

Reads like the program: load the answers and validate them, select the clauses, resolve the
service levels; then for each language build the template context, render and parse the clauses,
number the document; then write each format. Every stage is a pure function; the caller's
:class:`~slagen.memo.Memo` is the only thing kept from one contract to the next. Gives file
contents in memory; :mod:`slagen.output` puts them on disk.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from msgspec import Struct
from msgspec.structs import replace

from slagen import __version__
from slagen.answers import Answers, check_answers_of, read_answers
from slagen.citations import check_citations
from slagen.context import make_context, service_view
from slagen.errors import InputError, Problem
from slagen.library import Library
from slagen.memo import Memo
from slagen.model import Document
from slagen.numbering import number_document
from slagen.render import render_document
from slagen.resolve import ServiceLevels, resolve_service, service_key
from slagen.select import select_clauses
from slagen.yamlsource import YamlSource, load_yaml

FORMATS = ("docx", "md", "pdf")
DEFAULT_FORMATS = ("docx", "md")


class Output(Struct, frozen=True):
    """One generated file: its name (``telemarketing.de.docx``) and contents."""

    name: str
    data: bytes


def check_answers(path: Path, library: Library, memo: Memo | None = None) -> Answers:
    """Load ``path`` and validate it against ``library``; raise InputError listing every problem."""
    return validate(load_yaml(path), library, memo or Memo())


def validate(source: YamlSource, library: Library, memo: Memo) -> Answers:
    """Validate the answers of ``source``: type them, select the clauses, check what those clauses need."""
    typed = read_answers(source, library)
    clauses = select_clauses(library, memo.compiled(library).conditions, typed.tree, strict=typed.ok)
    return check_answers_of(typed, clauses)


def build_documents(
    answers: Answers,
    library: Library,
    languages: Iterable[str],
    *,
    memo: Memo | None = None,
    source_date: dt.date | None = None,
) -> list[Document]:
    """Resolve the service levels; then in each language build the context, render, parse and number."""
    memo = memo or Memo()
    langs = list(languages)
    _check_languages(answers, library, langs)
    key, service = memo.service(service_key(answers, library), lambda: resolve_service(answers, library))
    today = document_date(answers, source_date)
    env = memo.compiled(library).environment
    kind = str(answers.values.get("agreement.kind") or "external")
    law = str(answers.values.get("agreement.governing_law") or "")
    provenance = _provenance(answers, library, service)
    documents = []
    for lang in langs:
        labels = memo.labels(library, lang, kind, law)
        view = memo.service_view(
            None if key is None else (key, lang, kind, law), functools.partial(service_view, service, lang, labels)
        )
        context = make_context(answers.tree, library, lang, labels=labels, service=view, today=today)
        rendered = render_document(answers.clauses, context, env, memo)
        check_citations(rendered, {clause.id for clause in answers.clauses}, library, answers.source, memo.marks)
        document = number_document(rendered, memo.marks, functools.partial(memo.written, "numbered paragraphs"))
        properties = {**provenance, "slagen.language": lang}
        documents.append(replace(document, properties=properties, answers_text=answers.source.text))
    return documents


def generate(
    answers: Answers,
    library: Library,
    *,
    memo: Memo | None = None,
    languages: Iterable[str] | None = None,
    formats: Iterable[str] = DEFAULT_FORMATS,
    review: bool = False,
    reference: bytes | None = None,
    source_date: dt.date | None = None,
    embed_answers: bool = True,
    layout: bool = False,
    draft: bool = False,
) -> list[Output]:
    """Every requested language × format of ``answers`` as file contents.

    ``review`` adds review comments to the DOCX; ``reference`` is a reference document whose
    styles, page setup, header and footer the DOCX takes (see :mod:`slagen.writers.reference`). PDF
    is the DOCX converted by LibreOffice. ``source_date`` replaces the effective date as the
    documents' date (the CLI reads it from ``SOURCE_DATE_EPOCH``). ``embed_answers`` stores the answers
    file, comments included, inside the DOCX for ``slagen inspect --answers`` and ``redline``; a contract that
    leaves the house may go without it. ``layout`` gives the DOCX the page numbers of its contents from a layout
    pass through LibreOffice (:mod:`slagen.writers.layout`), which a PDF always has; without it Word fills them
    when it opens the DOCX. ``draft`` marks every page and the cover as a draft and records it in
    the provenance (``slagen.draft``).
    """
    memo = memo or Memo()
    langs = list(languages or answers.values["languages"])
    wanted = list(formats)
    stamp = dt.datetime.combine(document_date(answers, source_date), dt.time(), tzinfo=dt.UTC)
    # Writers are imported when asked for: python-docx and lxml are a third of the start-up time.
    from slagen.writers.docx import docx_frame, frame_kind, write_docx
    from slagen.writers.markdown import write_markdown

    if "pdf" in wanted or layout:
        from slagen.writers.pdf import find_converter  # LibreOffice's modules only when it is used

        find_converter()  # fail before the work if LibreOffice is missing
    outputs = []
    laid: dict[str, bytes] = {}  # DOCX for the layout pass, by name
    reference_key = hashlib.sha256(reference).hexdigest() if reference else ""
    for document in build_documents(answers, library, langs, memo=memo, source_date=source_date):
        if not embed_answers:
            document = replace(document, answers_text=None)
        if draft:
            document = replace(document, draft=True, properties={**document.properties, "slagen.draft": "true"})
        stem = f"{answers.name}.{document.language}"
        if "docx" in wanted or "pdf" in wanted:
            frame = memo.kept(  # what python-docx makes around the body: the same for every document of a kind
                ("docx frame", reference_key, frame_kind(document, review=review)),
                functools.partial(docx_frame, document, reference=reference, review=review),
            )
            data = write_docx(document, timestamp=stamp, review=review, reference=reference, frame=frame, memo=memo)
            if "pdf" in wanted or layout:
                laid[f"{stem}.docx"] = data
            if "docx" in wanted:
                outputs.append(Output(f"{stem}.docx", data))  # given its pages below when laid out
        if "md" in wanted:
            outputs.append(Output(f"{stem}.md", write_markdown(document, memo).encode("utf-8")))
    if laid:
        from slagen.writers.layout import lay_out

        numbered, pdfs = lay_out(laid, pdf="pdf" in wanted, notes=review)
        outputs = [Output(out.name, numbered.get(out.name, out.data)) for out in outputs]
        outputs += [Output(name, data) for name, data in pdfs.items()]
    return outputs


def _provenance(answers: Answers, library: Library, service: ServiceLevels) -> Mapping[str, str]:
    """Where the documents of ``answers`` come from (the same in every language)."""
    provenance = {
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
    return provenance


def _check_languages(answers: Answers, library: Library, languages: list[str]) -> None:
    """Each language must be the library's, and each text given per language must have it."""
    problems = []
    for lang in languages:
        if lang not in library.labels:
            message = f"the library has no language '{lang}' (it has: {', '.join(sorted(library.labels))})"
            problems.append(Problem(message, answers.source.path, None, "languages"))
            continue
        for path in library.localized_keys:
            value = answers.values.get(".".join(path))
            if isinstance(value, dict) and lang not in value:
                message = f"no text in '{lang}' (the documents are asked for in {', '.join(languages)})"
                problems.append(Problem(message, answers.source.path, answers.source.line_of(path), ".".join(path)))
    if problems:
        raise InputError(problems)


def document_date(answers: Answers, source_date: dt.date | None = None) -> dt.date:
    """The date a document carries: ``source_date`` when given, else the agreement's effective date."""
    if source_date is not None:
        return source_date
    effective: dt.date = answers.values["agreement.effective_date"]
    return effective


def source_date_of(epoch: str | None) -> dt.date | None:
    """The date of a ``SOURCE_DATE_EPOCH`` value (seconds since 1970), None if it is not one.

    >>> source_date_of("1800000000")
    datetime.date(2027, 1, 15)
    """
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return None


def standard_answers(answers: Answers, library: Library, memo: Memo | None = None) -> Answers:
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
    return validate(source, library, memo or Memo())
