"""Issue 14, items 7 and 9 (EN-M4, EN-S20, EN-S26, DE-N18): one binding language, and review notes that fit the document.

- The review note shown is the one for the agreement's governing law in the document's language: an
  English-law contract's comments cite no BGB or ZPO, a German document's comments are German.
- ``slagen lint`` refuses a note that says "[unverified]" and a note that is one text for every law.
- The binding version (German law: German; English law: English; internal: the first language listed)
  carries the language clause and the signature table; every other version says on every page that it
  is a convenience translation (DOCX header and cover, a line under the title in Markdown) and has no
  signature table.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from lxml import etree

from slagen.answers import load_answers
from slagen.errors import LibraryError
from slagen.generate import generate
from slagen.library import Library, load_library
from slagen.lint import lint_library

from .conftest import DEMO, EXAMPLES, example_with
from .test_lint import copy, edit  # noqa: F401 - the fixture is used by name

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _outputs(library: Library, example: str, *, review: bool = False) -> dict[str, bytes]:
    answers = load_answers(EXAMPLES / f"{example}.yaml", library)
    return {o.name: o.data for o in generate(answers, library, formats=["md", "docx"], review=review)}


def _markdown(library: Library, example: str) -> dict[str, str]:
    answers = load_answers(EXAMPLES / f"{example}.yaml", library)
    return {o.name: o.data.decode() for o in generate(answers, library, formats=["md"])}


def _part_texts(data: bytes, prefix: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith(prefix) and n.endswith(".xml")]
        return ["".join(etree.fromstring(archive.read(n)).itertext()) for n in sorted(names)]


def _comments(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/comments.xml"))
    texts = ["\n".join("".join(p.itertext()) for p in c.iter(f"{W}p")) for c in root.iter(f"{W}comment")]
    return [text.replace("\u00a0", " ") for text in texts]  # comments are typeset: non-breaking spaces as in the text


def _body(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


# --- review notes fit the law and the language (EN-S20, DE-N18, issue item 9) ---------------------------


def test_english_law_review_comments_cite_no_german_statute(library: Library) -> None:
    outputs = _outputs(library, "it-service", review=True)  # English law, written in English and German
    for name in ("it-service.en.docx", "it-service.de.docx"):
        text = "\n\n".join(_comments(outputs[name]))
        for german in ("BGB", "ZPO", "UWG"):
            assert german not in text, (name, german)
    english = "\n\n".join(_comments(outputs["it-service.en.docx"]))
    assert "Cavendish Square v Makdessi [2015] UKSC 67" in english  # credits
    assert "Rock Advertising v MWB [2018] UKSC 24" in english  # variations
    assert "Hague Convention on Choice of Court Agreements 2005" in english  # jurisdiction
    assert "Triple Point v PTT [2021] UKSC 29" in english
    assert "Drax v Wipro" in english
    assert "s. 13 UCTA 1977" in english  # set-off, the credit time bar
    assert "TUPE 2006" in english  # scope.purpose of a stand-alone contract (EN-S26)
    german = "\n\n".join(_comments(outputs["it-service.de.docx"]))
    assert "Haager Übereinkommen" in german  # the English-law note, in German


def test_german_document_has_german_notes(library: Library, write_answers: Callable[..., Path]) -> None:
    # German law, stand-alone: a schedule leaves out liability and confidentiality, whose notes are checked here
    text = yaml.safe_dump(example_with(DEMO, {"agreement.main_contract": ...}), allow_unicode=True)
    answers = load_answers(write_answers(text, "telemarketing.yaml"), library)
    outputs = {o.name: o.data for o in generate(answers, library, formats=["docx"], review=True)}
    german = "\n\n".join(_comments(outputs["telemarketing.de.docx"]))
    assert "§ 309 Nr. 7 BGB" in german
    assert "Kardinalpflichten" in german
    assert "GeschGehG" in german  # confidentiality (DE-N18)
    assert "KZR 10/01" in german  # severability (DE-N18)
    assert "Art. 3 Abs. 3 Rom-I-Verordnung" in german or "Art. 3 Abs. 3 Rom I" in german  # law (DE-N18)
    assert "VII ZR 209/07" in german  # set-off (DE review section 7)
    assert "Standard terms cannot" not in german
    english = "\n\n".join(_comments(outputs["telemarketing.en.docx"]))
    assert "§ 309 No. 7 BGB" in english  # a German-law note, in English: German terms of art stay


def test_no_note_is_unverified(library: Library) -> None:
    for clause in library.clauses:
        for _, _, text in clause.review:
            assert "[unverified]" not in text.lower(), clause.id


def test_a_law_left_out_means_no_note(library: Library) -> None:
    (clause,) = [c for c in library.clauses if c.id == "legal.liability_ew"]
    assert clause.note("de", "de") == ""
    assert "UCTA" in clause.note("en-gb", "de")


def test_lint_refuses_an_unverified_note(copy: Path) -> None:  # noqa: F811
    path = copy / "clauses/legal/notices.yaml"
    edit(path, 'de: "Textform', 'de: "[unverified] Textform')
    findings = [str(f) for f in lint_library(copy)]
    assert len(findings) == 1, findings
    assert findings[0].startswith("clauses/legal/notices.yaml:")
    assert "review: a note may not say '[unverified]'" in findings[0]


def test_lint_asks_for_notes_per_law_and_language(copy: Path) -> None:  # noqa: F811
    path = copy / "clauses/services/exclusions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"review:\n(  .*\n)+", "review: One note for every law.\n", text), encoding="utf-8")
    edit(copy / "clauses/legal/law.yaml", "  en-gb:\n    de:", "  fr:\n    de:")
    findings = sorted(str(f) for f in lint_library(copy))
    assert any("law.yaml" in f and "unknown governing law 'fr' (one of: de, en-gb)" in f for f in findings)
    assert any(
        "exclusions.yaml" in f and "give the note per governing law and language: {de: {de, en}, en-gb: {de, en}}" in f
        for f in findings
    )


def test_the_loader_refuses_a_note_that_is_no_text(copy: Path) -> None:  # noqa: F811
    edit(copy / "clauses/legal/final.yaml", "  en-gb:\n    de: ", "  en-gb:\n    de: [1]\n    fr: ")
    with pytest.raises(LibraryError) as caught:
        load_library(copy)
    assert "clauses/legal/final.yaml" in str(caught.value)
    assert "review.en-gb.de" in str(caught.value)


# --- one binding language (EN-M4, issue item 7) ----------------------------------------------------------


def test_english_law_binds_the_english_version(library: Library) -> None:
    outputs = _markdown(library, "it-service")
    english, german = outputs["it-service.en.md"], outputs["it-service.de.md"]
    assert "Only the English version is binding, and only that version is signed." in english
    assert "## Signatures" in english
    notice = (
        "Unverbindliche Übersetzung: Verbindlich ist allein die englische Fassung. Nicht zur Unterzeichnung bestimmt."
    )
    assert german.split("\n")[4] == f"**{notice}**"  # under the title and subtitle
    assert "Verbindlich ist allein die englische Fassung; nur sie wird unterzeichnet." in german
    assert "im Sinne der englischen Fassung zu verstehen" in german  # no German-law meaning (Schriftform)
    assert "Unterschriften" not in german
    assert "Convenience translation" not in english


def test_german_law_binds_the_german_version(library: Library) -> None:
    outputs = _outputs(library, "telemarketing")
    german, english = outputs["telemarketing.de.md"].decode(), outputs["telemarketing.en.md"].decode()
    assert "## Unterschriften" in german
    assert "Signatures" not in english
    assert "**Convenience translation: only the German version is binding. Not for signature.**" in english
    assert "the meaning that German law gives to the German term it translates" in english
    # the DOCX: the convenience translation says so in its header (every page after the cover) and on its cover
    header = " ".join(_part_texts(outputs["telemarketing.en.docx"], "word/header"))
    assert "Convenience translation: only the German version is binding. Not for signature." in header
    body = _body(outputs["telemarketing.en.docx"])
    assert body.count("Convenience translation") == 1  # the cover
    assert "Signature Table" not in body
    assert "SignatureTable" not in body
    assert "Convenience" not in " ".join(_part_texts(outputs["telemarketing.de.docx"], "word/header"))
    assert "Signature" in _body(outputs["telemarketing.de.docx"])


def test_an_internal_agreement_binds_its_first_language(library: Library) -> None:
    outputs = _markdown(library, "it-service-internal")  # languages: [de, en]; no law governs it
    assert (
        "Maßgeblich ist allein die deutsche Fassung; nur sie wird unterzeichnet."
        in outputs["it-service-internal.de.md"]
    )
    english = outputs["it-service-internal.en.md"]
    assert "**Translation for information: only the German version is authoritative. Not for signature.**" in english


def test_one_language_only_is_binding_and_signed(library: Library, tmp_path: Path) -> None:
    source = (EXAMPLES / "it-service.yaml").read_text(encoding="utf-8")
    assert "languages: [en, de]" in source
    path = tmp_path / "english-only.yaml"
    path.write_text(source.replace("languages: [en, de]", "languages: [en]"), encoding="utf-8")
    answers = load_answers(path, library)
    (document,) = [o.data.decode() for o in generate(answers, library, formats=["md"])]
    assert "Only the English version of this Agreement is binding." in document
    assert "## Signatures" in document
    assert "Convenience" not in document


def test_no_answer_may_hide_the_binding_language() -> None:
    from slagen.context import CONTEXT_NAMES
    from slagen.library import RESERVED_NAMES

    assert "binding_language" in CONTEXT_NAMES
    assert CONTEXT_NAMES <= RESERVED_NAMES


def test_building_one_language_keeps_the_binding_one(library: Library) -> None:
    """`build --lang en` of a German-law contract gives the translation, marked and unsigned, not a binding copy."""
    answers = load_answers(EXAMPLES / "call-centre.yaml", library)
    (output,) = generate(answers, library, languages=["en"], formats=["md"])
    text = output.data.decode()
    assert "**Convenience translation: only the German version is binding. Not for signature.**" in text
    assert "## Signatures" not in text
