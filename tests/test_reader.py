"""A real reader: LibreOffice converts every generated DOCX to PDF, and the PDF says what it should.

Locally these tests skip when LibreOffice or pdftotext is missing; under ``CI=true`` they must run.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess

import pytest

from slagen.answers import load_answers
from slagen.generate import build_documents, generate
from slagen.library import Library

from .conftest import EXAMPLES

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

if not (SOFFICE and PDFTOTEXT):
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but LibreOffice (soffice) or pdftotext is missing", pytrace=False)
    pytest.skip("LibreOffice (soffice) or poppler's pdftotext is not installed", allow_module_level=True)

pytestmark = pytest.mark.reader

EXPECTED = {
    "de": [
        "Service Level Agreement Telefonakquise",
        "1.1 Gegenstand und Zweck",
        "2.2 Leistungsparameter",
        "mindestens 100",
        "mindestens 5 %",
        "höchstens 24 Stunden",
        "1. Januar 2027",
        "Ziffer 2.2",
        "Für den Auftragnehmer",
        "Seite 2 von",
    ],
    "en": [
        "Service Level Agreement for Outbound",
        "1.1 Subject matter and purpose",
        "2.2 Service Levels",
        "at least 100",
        "at least 5%",
        "at most 24 hours",
        "1 January 2027",
        "clause 2.2",
        "Convenience translation: only the German version is binding",  # not signed (issue 14, item 7)
        "Page 2 of",
    ],
}


@pytest.fixture(scope="module")
def pdf_texts(library: Library, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("reader")
    docx_files = []
    for example in sorted(EXAMPLES.glob("*.yaml")):
        for output in generate(load_answers(example, library), library, formats=["docx"]):
            path = folder / output.name
            path.write_bytes(output.data)
            docx_files.append(path)
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
         *map(str, docx_files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    texts = {}
    for path in docx_files:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists(), f"LibreOffice did not convert {path.name}"
        result = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
        texts[path.name] = " ".join(result.stdout.replace("\xa0", " ").split())
    return texts


@pytest.mark.parametrize("language", ["de", "en"])
def test_demo_pdf_shows_headings_and_numbers(pdf_texts: dict[str, str], language: str) -> None:
    text = pdf_texts[f"telemarketing.{language}.docx"]
    missing = [phrase for phrase in EXPECTED[language] if phrase not in text]
    assert missing == []


def test_every_example_converts(pdf_texts: dict[str, str]) -> None:
    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert len(pdf_texts) == 2 * len(examples)
    assert all(len(text) > 1000 for text in pdf_texts.values())


PANDOC = shutil.which("pandoc")


def _words(text: str) -> collections.Counter[str]:
    return collections.Counter(w.strip(".,;:()„“”\"'’") for w in text.split() if any(c.isalnum() for c in w))


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end) if end else None]


@pytest.mark.skipif(PANDOC is None and os.environ.get("CI") != "true", reason="pandoc is not installed")
@pytest.mark.parametrize(
    ("language", "start", "end"),
    [("de", "Zwischen", "Unterschriften"), ("en", "This agreement", "")],  # en: a translation, not signed
)
def test_docx_and_markdown_say_the_same(library: Library, language: str, start: str, end: str) -> None:
    """pandoc reads the DOCX back: the same words and numbers as the Markdown, but the heading numbers,
    which Word draws from the list bound to the heading styles rather than from the text."""
    assert PANDOC is not None, "CI=true but pandoc is missing"
    answers = load_answers(EXAMPLES / "telemarketing.yaml", library)
    outputs = {o.name: o.data for o in generate(answers, library, languages=[language])}

    def plain(data: bytes, source: str) -> str:
        result = subprocess.run(
            [PANDOC, "-f", source, "-t", "plain", "--wrap=none"], input=data, capture_output=True, check=True
        )
        return result.stdout.decode("utf-8").replace("\xa0", " ").replace("\xad", "")  # soft hyphens: invisible

    docx_words = _words(_between(plain(outputs[f"telemarketing.{language}.docx"], "docx"), start, end))
    md_words = _words(_between(plain(outputs[f"telemarketing.{language}.md"], "commonmark"), start, end))
    (document,) = build_documents(answers, library, [language])
    numbered = [s for s in document.sections if not s.annex]  # annexes are named in their headings' text
    heading_numbers = collections.Counter(
        [s.number for s in numbered] + [c.number for s in numbered for c in s.clauses]
    )
    assert docx_words - md_words == collections.Counter()
    assert md_words - docx_words == heading_numbers
