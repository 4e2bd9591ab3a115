"""EN-S15, DE-S18: the form of notices fits the governing law (labels reworded per law, lint-checked)."""

from __future__ import annotations

from pathlib import Path

from slagen.answers import load_answers
from slagen.generate import build_documents
from slagen.library import Library
from slagen.writers.markdown import write_markdown

from .conftest import EXAMPLES


def _texts(example: Path, library: Library) -> dict[str, str]:
    answers = load_answers(example, library)
    return {d.language: write_markdown(d) for d in build_documents(answers, library, ["de", "en"])}


def test_english_law_says_in_writing_and_defines_it(library: Library) -> None:
    text = _texts(EXAMPLES / "it-service.yaml", library)
    assert "text form" not in text["en"]
    assert "Textform" not in text["de"]
    assert "prior consent in writing" in text["en"]
    assert "“Writing” and “in writing” include e-mail but not other electronic messages" in text["en"]
    assert "Zustimmung des Auftraggebers in schriftlicher Form" in text["de"]
    assert (
        "„In schriftlicher Form“ bedeutet in dieser Vereinbarung „in writing“ im Sinne des englischen Rechts"
        in (text["de"])
    )
    assert "Schriftform" not in text["de"].replace("die Schriftform des § 126 BGB ist nicht gemeint", "")


def test_german_law_keeps_text_form(library: Library) -> None:
    text = _texts(EXAMPLES / "telemarketing.yaml", library)
    assert "in Textform" in text["de"]
    assert "in text form" in text["en"]
    assert "in schriftlicher Form" not in text["de"]
    assert "“Writing” and “in writing”" not in text["en"]
