"""The redline is the whole contract (issue 16, B1): accept all gives the new contract, reject all the old one.

Also: a change of the parties shows, the summary, both versions' provenance, DOCX inputs and their
messages, unique ids, track changes on, the grouping of changed words (m4), valid OOXML.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from slagen.answers import Answers, load_answers
from slagen.cli import main
from slagen.comparison import make_redline
from slagen.generate import build_documents, standard_answers
from slagen.library import Library
from slagen.redline import modified_paragraph
from slagen.writers.docx import write_docx
from slagen.writers.tracked import parse_body, serialize

from .conftest import DEMO, EXAMPLES
from .docx_dump import dump_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
CUSTOM = EXAMPLES / "telemarketing-custom.yaml"
STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def _moved(text: str) -> str:
    """The demo with the customer's representative and street changed."""
    changed = text.replace("represented_by: Dr. Felix Hansen", "represented_by: Dr. Maren Voss").replace(
        "address: [Hafenstraße 3, 20457 Hamburg]", "address: [Großer Burstah 31, 20457 Hamburg]"
    )
    assert changed.count("Maren Voss") == 1
    assert "Burstah" in changed
    return changed


def _stand_alone(text: str) -> str:
    text = re.sub(r"  main_contract:.*\n(    .*\n)+", "", text, count=1)
    return re.sub(r"  # no jurisdiction:.*\n", "  jurisdiction: Mannheim\n", text, count=1)


def _not_merchant(text: str) -> str:
    return _stand_alone(text).replace("    merchant: true\n\nservice:", "    merchant: false\n\nservice:")


@pytest.fixture
def versions(write_answers: Callable[..., Path]) -> tuple[Path, Path]:
    text = DEMO.read_text(encoding="utf-8")
    return write_answers(text, "old.yaml"), write_answers(_moved(text), "new.yaml")


def _contract(answers: Answers, library: Library, lang: str) -> bytes:
    (document,) = build_documents(answers, library, [lang])
    return write_docx(document, timestamp=STAMP)


def _with_body(docx: bytes, transform: Callable[[etree._Element], None]) -> bytes:
    """``docx`` with ``transform`` applied to its document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                transform(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, data)
    return out.getvalue()


def _resolve(root: etree._Element, keep: str) -> None:
    """Accept (``keep="ins"``) or reject (``keep="del"``) every tracked change, as Word does."""
    drop = "del" if keep == "ins" else "ins"
    for summary in root.iter(f"{W}sdt"):  # the summary is no part of the contract
        summary.getparent().remove(summary)
    for row in list(root.iter(f"{W}tr")):
        if row.find(f"{W}trPr/{W}{drop}") is not None:
            row.getparent().remove(row)
    for table in list(root.iter(f"{W}tbl")):
        if table.find(f"{W}tr") is None:  # a table whose rows all went goes too
            table.getparent().remove(table)
    for paragraph in list(root.iter(f"{W}p")):
        mark = paragraph.find(f"{W}pPr/{W}rPr/{W}{drop}")
        if mark is None:
            continue
        # a bookmark around nothing but removed content goes with it, as in Word
        inside = {e.get(f"{W}id") for e in paragraph.iter(f"{W}bookmarkStart")}
        inside &= {e.get(f"{W}id") for e in paragraph.iter(f"{W}bookmarkEnd")}
        removed = (f"{W}pPr", f"{W}{drop}")
        content = [
            child
            for child in paragraph
            if child.tag not in removed
            and not (child.tag in (f"{W}bookmarkStart", f"{W}bookmarkEnd") and child.get(f"{W}id") in inside)
        ]
        following = paragraph.getnext()
        assert not content or following is not None, "a paragraph mark gone with content left and no paragraph after"
        for child in reversed(content):  # what is left of it joins the next paragraph
            properties = following.find(f"{W}pPr")
            (properties.addnext if properties is not None else lambda e, f=following: f.insert(0, e))(child)
        paragraph.getparent().remove(paragraph)
    for element in list(root.iter(f"{W}{drop}")):
        element.getparent().remove(element)
    for element in list(root.iter(f"{W}{keep}")):
        parent = element.getparent()
        if parent.tag in (f"{W}rPr", f"{W}trPr"):
            parent.remove(element)
            continue
        for child in element:
            element.addprevious(child)
        parent.remove(element)
    for node in root.iter(f"{W}delText", f"{W}delInstrText"):
        node.tag = f"{W}t" if node.tag == f"{W}delText" else f"{W}instrText"


def _accept(root: etree._Element) -> None:
    _resolve(root, "ins")


def _reject(root: etree._Element) -> None:
    _resolve(root, "del")


CASES = {
    "parties, German": (lambda t: t, _moved, "de", False),
    "parties, English": (lambda t: t, _moved, "en", False),
    "a clause removed": (_stand_alone, _not_merchant, "de", False),
    "a clause added": (_not_merchant, _stand_alone, "en", False),
    "against the standard tier": (None, None, "de", True),
    "against the standard tier, English": (None, None, "en", True),
    "another agreement altogether": (None, None, "de", False),
}


def _without_header(dump: str) -> str:
    """A dump from its footer on: the redline has the new version's header (docs/redline.md)."""
    return dump[dump.index("[footer]") :]


@pytest.mark.parametrize("case", list(CASES))
def test_accept_all_gives_the_new_contract_and_reject_all_the_old(
    case: str, library: Library, write_answers: Callable[..., Path]
) -> None:
    make_old, make_new, lang, against = CASES[case]
    if against:
        new = load_answers(CUSTOM, library)
        old = standard_answers(new, library)
    elif make_old is None:
        old, new = load_answers(DEMO, library), load_answers(EXAMPLES / "it-service.yaml", library)
    else:
        assert make_old is not None
        assert make_new is not None
        text = DEMO.read_text(encoding="utf-8")
        old = load_answers(write_answers(make_old(text), "old.yaml"), library)
        new = load_answers(write_answers(make_new(text), "new.yaml"), library)
    redline = make_redline(old, new, library, language=lang, against_standard=against)
    assert b"<w:ins " in zipfile.ZipFile(io.BytesIO(redline)).read("word/document.xml")
    accepted, rejected = dump_docx(_with_body(redline, _accept)), dump_docx(_with_body(redline, _reject))
    assert accepted == dump_docx(_contract(new, library, lang))
    assert _without_header(rejected) == _without_header(dump_docx(_contract(old, library, lang)))
    assert accepted != rejected


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode()


def _redline(tmp_path: Path, *args: str, name: str = "r.docx") -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["redline", *args, "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    return out


def _tracked(xml: str, kind: str) -> list[str]:
    bodies = re.findall(rf"<w:{kind} [^>]*>(.*?)</w:{kind}>", xml, flags=re.S)
    return ["".join(re.findall(r"<w:(?:t|delText)[^>]*>([^<]*)</w:(?:t|delText)>", body)) for body in bodies]


def test_a_new_representative_and_address_show_in_the_parties_and_the_signatures(
    tmp_path: Path, versions: tuple[Path, Path]
) -> None:
    xml = _document_xml(_redline(tmp_path, *map(str, versions), "--lang", "de"))
    contract = xml[xml.index("</w:sdt>") :]
    assert _tracked(contract, "del") == ["Hafenstraße 3", "Felix Hansen", "Felix Hansen"]
    assert _tracked(contract, "ins") == ["Großer Burstah 31", "Maren Voss", "Maren Voss"]
    parties = re.search(r'<w:pStyle w:val="Parties"/>(?:(?!</w:p>).)*Burstah.*?</w:p>', contract, flags=re.S)
    assert parties is not None
    assert "Hafenstraße 3" in parties.group(0)
    signatures = contract[contract.rindex("<w:tbl>") :]  # the signature table, last in the document
    assert "Felix Hansen" in signatures
    assert "Maren Voss" in signatures
    assert contract.index("Burstah") < contract.index('<w:pStyle w:val="Heading1"/>')  # the parties, before clause 1


def test_the_summary_says_what_changed_in_words(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["redline", *map(str, versions), "--lang", "de"])
    assert result.exit_code == 0, result.output
    summary = result.stdout[: result.stdout.index("<!-- /slagen-redline-summary -->")]
    assert "## Zusammenfassung der Änderungen" in summary
    assert "nicht Bestandteil des Vertrags; sie endet mit der Linie vor dem Titel" in summary
    assert "{--" not in summary
    assert "Verglichen werden: SLA-2027-014, Version 1.0 (1. Januar 2027) → SLA-2027-014" in summary
    assert "### Hinzugefügte Klauseln\n\nkeine" in summary
    assert "- Vertragsparteien, Vertretung und Unterschriften" in summary
    assert (
        "- Wer unterschreibt für den Auftraggeber? (parties.customer.represented_by): "
        "„Dr. Felix Hansen“ → „Dr. Maren Voss“" in summary
    )
    assert "- Anschrift des Auftraggebers, Zeile 1 (parties.customer.address[1]): „Hafenstraße 3“ → „Großer" in summary
    assert "Zeile 2" not in summary  # the unchanged line is not listed
    english = CliRunner().invoke(main, ["redline", *map(str, versions), "--lang", "en"]).stdout
    assert "## Summary of changes" in english
    assert "### Clauses added\n\nnone" in english


def test_the_summary_lists_clauses_by_number_and_heading(write_answers: Callable[..., Path]) -> None:
    text = DEMO.read_text(encoding="utf-8")
    old, new = write_answers(_stand_alone(text), "old.yaml"), write_answers(_not_merchant(text), "new.yaml")
    result = CliRunner().invoke(main, ["redline", str(old), str(new), "--lang", "de"])
    summary = result.stdout[: result.stdout.index("<!-- /slagen-redline-summary -->")]
    assert "### Entfallene Klauseln\n\n- 7.10 Gerichtsstand\n" in summary
    assert "- Ist der Auftraggeber Kaufmann im Sinne des HGB? (parties.customer.merchant): ja → nein" in summary
    # a clause whose references were only renumbered has not changed
    assert "7.11 Erklärungen" not in summary
    assert "7.10 Erklärungen" not in summary
    standard = CliRunner().invoke(main, ["redline", "--against-standard", str(CUSTOM), "--lang", "de"]).stdout
    assert "Verglichen werden: Standard-Leistungsstufe Professional → vereinbarte Fassung" in standard
    assert "### Hinzugefügte Klauseln\n\n- Anlage 3 – Abweichungen von der Leistungsstufe" in standard
    assert "- 2.2 Leistungsparameter" in standard
    # a KPI by its name, and the deviation as the review comments say it
    assert (
        "- Angenommene Anrufe je Agent und Einsatztag (service.overrides.calls_per_agent_day): (keine Angabe) → 120"
        in standard
    )
    assert "- 2.2: Abweichung von der Leistungsstufe Professional: 24 Stunden → 36 Stunden (zulasten" in standard


def test_the_markdown_redline_shows_the_parties_and_signatures(versions: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["redline", *map(str, versions), "--lang", "de"])
    contract = result.stdout[result.stdout.index("<!-- /slagen-redline-summary -->") :]
    assert (
        "{--Hafenstraße 3--}{++Großer Burstah 31++}, 20457 Hamburg, vertreten durch Dr. {--Felix Hansen--}"
        "{++Maren Voss++} (Geschäftsführer)\n" in contract
    )
    assert "| Name: Jana Berger | Name: Dr. {--Felix Hansen--}{++Maren Voss++} |" in contract
    assert contract.count("{--") == 3


def test_the_docx_summary_is_a_content_control_before_the_cover(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    xml = _document_xml(_redline(tmp_path, *map(str, versions), "--lang", "en"))
    body = xml[xml.index("<w:body>") + len("<w:body>") :]
    assert body.startswith(
        '<w:sdt><w:sdtPr><w:alias w:val="Summary of changes"/><w:tag w:val="slagen-redline-summary"/>'
    )
    summary = body[: body.index("</w:sdt>")]
    assert "<w:ins " not in summary
    assert "<w:del " not in summary
    # it ends with a section break without header or footer: the cover after it stays bare
    section = re.search(r"<w:sectPr>.*?</w:sectPr>", summary)
    assert section is not None
    assert "headerReference" not in section.group(0)
    assert "The Customer is represented" not in summary
    assert body.index("</w:sdt>") < body.index("Service Level Agreement for Outbound Telemarketing")


def test_the_redline_carries_the_provenance_of_both_versions(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    out = _redline(tmp_path, *map(str, versions), "--lang", "de")
    result = CliRunner().invoke(main, ["inspect", str(out)])
    assert result.exit_code == 0, result.output
    shown = dict(re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in result.stdout.splitlines())
    for side, path in zip(("old", "new"), versions, strict=True):
        digest = hashlib.sha256(path.read_text(encoding="utf-8").encode()).hexdigest()[:16]
        assert shown[f"slagen.{side}.answers.digest"] == digest
        assert shown[f"slagen.{side}.answers.file"] == path.name
        assert shown[f"slagen.{side}.reference"] == "SLA-2027-014"
        assert shown[f"slagen.{side}.date"] == "1. Januar 2027"
        assert shown[f"slagen.{side}.library.version"] == shown["slagen.new.library.version"]
    assert shown["slagen.document"] == "redline"
    assert shown["slagen.redline.date"] == "2027-01-01"
    assert shown["slagen.old.answers.digest"] != shown["slagen.new.answers.digest"]
    answers = CliRunner().invoke(main, ["inspect", "--answers", str(out)])
    assert answers.exit_code == 2
    assert "this is a redline written by slagen, which stores no answers" in answers.stderr


def test_the_same_versions_give_the_same_bytes(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    first = _redline(tmp_path, *map(str, versions), name="a.docx").read_bytes()
    assert _redline(tmp_path, *map(str, versions), name="b.docx").read_bytes() == first


def test_two_slagen_contracts_give_the_same_redline_as_their_answers(
    tmp_path: Path, versions: tuple[Path, Path]
) -> None:
    runner = CliRunner()
    for path in versions:
        assert runner.invoke(main, ["build", str(path), "-o", str(tmp_path), "--format", "docx"]).exit_code == 0
    contracts = [str(tmp_path / f"{path.stem}.de.docx") for path in versions]
    from_contracts = _document_xml(_redline(tmp_path, *contracts, "--lang", "de", name="a.docx"))
    from_answers = _document_xml(_redline(tmp_path, *map(str, versions), "--lang", "de", name="b.docx"))
    assert from_contracts == from_answers
    # without --lang, the contracts' own language
    english = [str(tmp_path / f"{path.stem}.en.docx") for path in versions]
    summary = CliRunner().invoke(main, ["redline", *english]).stdout
    assert "## Summary of changes" in summary


def test_a_docx_that_cannot_be_compared_says_what_it_is(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    import docx

    runner = CliRunner()
    foreign = tmp_path / "foreign.docx"
    docx.Document().save(str(foreign))
    old, new = versions
    assert runner.invoke(main, ["build", str(old), "-o", str(tmp_path / "bare"), "--no-answers"]).exit_code == 0
    bare = tmp_path / "bare" / "old.de.docx"
    redline = _redline(tmp_path, str(old), str(new))
    cases = {
        foreign: "not a contract written by slagen (the DOCX has no slagen properties), so it holds no answers to "
        "compare; give the answers files instead (slagen redline OLD.yaml NEW.yaml)",
        bare: "the answers are not in this document: this contract written by slagen was built with --no-answers",
        redline: "a redline written by slagen, not a contract: compare the two contracts or answers files it was "
        "made from (slagen inspect names them)",
    }
    renamed = tmp_path / "renamed.docx"  # not a zip at all
    renamed.write_text("slagen: 1\n", encoding="utf-8")
    cases[renamed] = "not a DOCX file (cannot be opened as a zip package)"
    for path, message in cases.items():
        result = runner.invoke(main, ["redline", str(path), str(new)])
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: {path}: {message}")
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.output


def test_every_id_is_unique_and_track_changes_is_on(tmp_path: Path, write_answers: Callable[..., Path]) -> None:
    text = DEMO.read_text(encoding="utf-8")
    old, new = write_answers(_stand_alone(text), "old.yaml"), write_answers(_not_merchant(_moved(text)), "new.yaml")
    out = _redline(tmp_path, str(old), str(new), "--lang", "de")
    revisions: list[str] = []
    with zipfile.ZipFile(out) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name.endswith(".xml")}
    for name, data in parts.items():
        root = etree.fromstring(data)
        revisions += [e.get(f"{W}id") for e in root.iter(f"{W}ins", f"{W}del")]
        starts = [e.get(f"{W}id") for e in root.iter(f"{W}bookmarkStart")]
        ends = [e.get(f"{W}id") for e in root.iter(f"{W}bookmarkEnd")]
        names = [e.get(f"{W}name") for e in root.iter(f"{W}bookmarkStart")]
        assert len(set(starts)) == len(starts), name
        assert sorted(starts) == sorted(ends), name
        assert len(set(names)) == len(names), name
        assert not set(starts) & set(revisions), name
        comments = [e.get(f"{W}id") for e in root.iter(f"{W}comment")]
        assert not set(comments) & set(revisions), name
    assert len(revisions) > 20
    assert len(set(revisions)) == len(revisions)
    # the deleted clause's heading kept its bookmark: the deleted references to it still point somewhere
    xml = parts["word/document.xml"].decode()
    deleted_heading = re.search(r'<w:bookmarkStart w:id="\d+" w:name="_Ref_legal_jurisdiction"/>', xml)
    assert deleted_heading is not None
    assert b"<w:trackRevisions/>" in parts["word/settings.xml"]


def _paragraph(text: str) -> etree._Element:
    (paragraph,) = parse_body(f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')
    return paragraph


def _critic(paragraph: etree._Element) -> str:
    """A compared paragraph as [-deleted-]{+inserted+} text."""
    out = []
    for element in paragraph:
        text = "".join(element.itertext())
        out.append({f"{W}del": f"[-{text}-]", f"{W}ins": f"{{+{text}+}}"}.get(element.tag, text))
    return "".join(out)


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        ("within 24 hours of the report", "within 36 hours of the report", "within [-24-]{+36+} hours of the report"),
        # a lone unchanged word between two changes goes with them (m4): one change, not a mosaic
        (
            "the parameters of the tier Levels apply to every call",
            "the parameters of the tier Level Professional apply to every call",
            "the parameters of the tier [-Levels-]{+Level Professional+} apply to every call",
        ),
        (
            "Die Leistungsparameter des Service Levels sind einzuhalten: soweit vereinbart.",
            "Die Leistungsparameter einzuhalten. Sie beruhen auf dem Service Level Professional; soweit",
            "Die Leistungsparameter [-des Service Levels sind einzuhalten: soweit vereinbart.-]"
            "{+einzuhalten. Sie beruhen auf dem Service Level Professional; soweit+}",
        ),
        ("a b c d e f", "a x c y e f", "a [-b c d-]{+x c y+} e f"),
        # most of it changed, in three places: the old paragraph deleted, the new inserted
        (
            "aa bb cccccccc dd ee ffffffff gg hh iiiiiiii",
            "aa bb xxxxxxxxxxxxxxxx dd ee yyyyyyyyyyyyyyyy gg hh zzzzzzzzzzzzzzzz",
            "[-aa bb cccccccc dd ee ffffffff gg hh iiiiiiii-]"
            "{+aa bb xxxxxxxxxxxxxxxx dd ee yyyyyyyyyyyyyyyy gg hh zzzzzzzzzzzzzzzz+}",
        ),
        # half of it kept in two places: still word by word
        (
            "Die Tabelle für die Stufe Professional bestimmt die Zielwerte:",
            "Die Tabelle bestimmt die Zielwerte. Sie beruhen auf der Stufe Professional.",
            "Die Tabelle[- für die Stufe Professional-] bestimmt die Zielwerte[-:-]"
            "{+. Sie beruhen auf der Stufe Professional.+}",
        ),
        ("ganz alt", "völlig neu und anders", "[-ganz alt-]{+völlig neu und anders+}"),
    ],
)
def test_changed_words_are_grouped_as_a_reader_wants(old: str, new: str, shown: str) -> None:
    compared = modified_paragraph(_paragraph(old), _paragraph(new))
    assert _critic(compared) == shown
    serialize([copy.deepcopy(compared)])  # still a paragraph the body can hold


VALIDATOR = os.environ.get("OOXML_VALIDATOR") or shutil.which("ooxml-validator")


@pytest.mark.skipif(VALIDATOR is None and os.environ.get("CI") != "true", reason="the OOXML validator is not installed")
def test_the_redline_is_valid_ooxml(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    assert VALIDATOR is not None, "CI=true but the OOXML validator is missing (set OOXML_VALIDATOR)"
    text = DEMO.read_text(encoding="utf-8")
    removed = (tmp_path / "sa.yaml", tmp_path / "nm.yaml")
    removed[0].write_text(_stand_alone(text), encoding="utf-8")
    removed[1].write_text(_not_merchant(text), encoding="utf-8")
    outputs = [
        _redline(tmp_path, *map(str, versions), "--lang", "de", name="parties.docx"),
        _redline(tmp_path, *map(str, removed), "--lang", "en", name="removed.docx"),
        _redline(tmp_path, *map(str, reversed(removed)), "--lang", "de", name="added.docx"),
        _redline(tmp_path, "--against-standard", str(CUSTOM), "--lang", "en", name="standard.docx"),
    ]
    for out in outputs:
        result = subprocess.run([VALIDATOR, str(out)], capture_output=True, text=True, timeout=300, check=False)
        assert '"ok": true' in result.stdout, result.stdout
