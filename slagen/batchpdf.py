"""The layout pass of a batch: many rows' DOCX laid out (and made PDF) by one LibreOffice process.

Starting LibreOffice costs more than converting a contract, so the rows' DOCX are not converted
one by one as they are built (:func:`slagen.batch.build_row` holds them back as
:attr:`~slagen.batch.RowResult.pending`): here they go to LibreOffice in groups of whole rows, about
:data:`PER_PROCESS` documents to one process, ``workers`` processes at a time (each with its own
profile). A row's files are written once all of them are ready; a group LibreOffice fails on fails
its rows, with LibreOffice's message, and writes none of their files.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterator

from slagen.batch import RowResult, Write, write_row
from slagen.errors import Problem, SlagenError
from slagen.generate import Output

PER_PROCESS = 24
"""Documents (DOCX) handed to one LibreOffice process."""


def lay_out_rows(
    results: list[RowResult],
    table: str,
    write: Write,
    *,
    workers: int = 1,
    per_process: int = PER_PROCESS,
    progress: Callable[[RowResult], None] | None = None,
) -> None:
    """Lay out the pending DOCX of every built row, make their PDFs if asked, and write the rows' files.

    A pending ``.docx`` whose row asked for no DOCX (only PDF) is converted and not written.
    """
    groups = list(_groups([result for result in results if result.ok and result.pending], per_process))

    def run(group: list[RowResult]) -> None:
        from slagen.writers.layout import lay_out

        documents = {out.name: out.data for result in group for out in result.pending if out.name.endswith(".docx")}
        pdf = any("pdf" in result.formats for result in group)
        try:
            numbered, pdfs = lay_out(documents, pdf=pdf)
        except SlagenError as exc:
            for result in group:
                where = f"{table}:{result.label or result.row}"
                result.problems = [str(Problem(str(problem), where)) for problem in exc.problems]
                result.pending = []
            return
        for result in group:
            outputs = []
            for out in result.pending:
                if out.name.endswith(".docx"):
                    pdf_name = out.name[: -len(".docx")] + ".pdf"
                    if "docx" in result.formats:
                        outputs.append(Output(out.name, numbered[out.name]))
                    if "pdf" in result.formats:
                        outputs.append(Output(pdf_name, pdfs[pdf_name]))
                else:
                    outputs.append(out)
            result.pending = []
            write_row(table, result, outputs, write)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        running = {pool.submit(run, group): group for group in groups}
        for done in concurrent.futures.as_completed(running):
            done.result()  # a bug in laying out is raised here
            for result in running[done]:
                if progress is not None:
                    progress(result)


def _groups(results: list[RowResult], per_process: int) -> Iterator[list[RowResult]]:
    """Consecutive whole rows, about ``per_process`` DOCX to a group."""
    group: list[RowResult] = []
    count = 0
    for result in results:
        group.append(result)
        count += sum(out.name.endswith(".docx") for out in result.pending)
        if count >= per_process:
            yield group
            group, count = [], 0
    if group:
        yield group
