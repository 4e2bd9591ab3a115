"""Typesetting a contract's text: non-breaking spaces, and typographic quotes for straight ones.

Non-breaking spaces go where German and English typesetting want them. Applied once, by the DOCX writer
to the runs it writes (so templates, catalogs and answers are written with ordinary spaces and straight
quotes, and the Markdown stays plain text for review in version control):

- a reference and its number stay on one line: ``Ziffer 2.2``, ``§ 126b BGB``, ``Art. 32 DSGVO``,
  ``Abs. 2``, ``Nr. 1``, ``clause 8.2``, ``section 7(2)``, ``Schedule 2``;
- a number and its unit: ``24 Stunden``, ``30 minutes``, ``5 %``, ``12.500,00 €``, ``2 Arbeitstage``;
- a date: ``1. Januar 2027``, ``1 December 2027``; a phone number: ``+44 161 555 0140``;
- ``'`` between letters is an apostrophe (``Provider’s``); other straight quotes open and close as the
  language does (German „…“ and ‚…‘, English “…” and ‘…’).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from slagen.model import Inline, Ref, TermUse, Text

NBSP = "\u00a0"

_BEFORE_NUMBER = (
    r"§§?|Art\.|Artt\.|Abs\.|Nr\.|Satz|S\.|lit\.|Ziffer|Ziffern|Anlage|Anlagen|Kapitel|"
    r"clause|clauses|Clause|Clauses|section|sections|Section|Sections|Schedule|Schedules|Annex|Article|Articles|"
    r"paragraph|Part|s\.|ss\.|reg\.|No\.|no\."
)
_UNITS = (
    r"%|€|£|\$|EUR|GBP|USD|CHF|ms|Sekunden?|Minuten?|Min\.|Stunden?|Std\.|Tagen?|Tage|Arbeitstagen?|"
    r"Arbeitstage|Werktagen?|Werktage|Wochen?|Monaten?|Monate|Jahren?|Jahre|Kalendermonaten?|Kalendermonate|"
    r"seconds?|minutes?|hours?|days?|working days?|business days?|weeks?|months?|years?|calendar months?|"
    r"Service Hours?|Mbit/s|Gbit/s|ppm"
)
_LAWS = (
    r"BGB|HGB|ZPO|UWG|DSGVO|BDSG|StGB|UStG|UStAE|TDDDG|TTDSG|TKG|GeschGehG|ProdHaftG|BetrVG|AÜG|EnWG|GWB|"
    r"GDPR|UK GDPR|DPA 2018|UCTA|PECR|Rom I|Rome I|Brüssel Ia|Brussels Ia"
)
_MONTHS = (
    r"Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
    r"January|February|March|May|June|July|October|December"
)

_RULES = (
    re.compile(rf"(?<![\w.])({_BEFORE_NUMBER}) (?=\d)"),  # Ziffer 2.2, § 126b, Art. 32
    re.compile(rf"(\d[\d.,]*[a-z]?)( )(?=(?:{_LAWS})\b)"),  # 126b BGB, 32 DSGVO
    re.compile(rf"(\d[\d.,]*) (?=(?:{_UNITS})(?!\w))"),  # 24 Stunden, 5 %, 30 minutes
    re.compile(rf"(\d{{1,2}}\.?) (?=(?:{_MONTHS})\b)"),  # 1. Januar, 1 December
    re.compile(rf"\b(?:{_MONTHS}) (?=\d{{4}}\b)"),  # Januar 2027, December 2027
    re.compile(r"(?:\+\d{1,3}|\b0\d{1,5})(?:[ -]\d{2,8})+"),  # +44 161 555 0140, 0221 7788-120
)
_ENDS_BEFORE_REF = re.compile(rf"(?:^|[\s(])(?:{_BEFORE_NUMBER}) $")

_QUOTES = {"de": ("„", "“", "‚", "‘"), "en": ("“", "”", "‘", "’")}
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|(?<=s)'(?=\s|$)")


def typeset(text: str, language: str) -> str:
    """``text`` with non-breaking spaces and typographic quotes (see the module's list)."""
    if " " in text:
        for rule in _RULES:
            text = rule.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    if "'" in text or '"' in text:
        text = _quotes(text, language)
    return text


def typeset_runs(runs: Sequence[Inline], language: str) -> list[Inline]:
    """``runs`` typeset, and the space before a cross-reference (``Ziffer `` + ``2.2``) made non-breaking."""
    out: list[Inline] = []
    for index, run in enumerate(runs):
        if isinstance(run, Text):
            text = typeset(run.text, language)
            following = runs[index + 1] if index + 1 < len(runs) else None
            if isinstance(following, Ref) and _ENDS_BEFORE_REF.search(text):
                text = text[:-1] + NBSP
            out.append(run if text == run.text else Text(text, run.bold, run.italic, run.note))
        elif isinstance(run, TermUse):
            text = typeset(run.text, language)
            out.append(run if text == run.text else TermUse(run.term, text, run.defining))
        else:
            out.append(run)
    return out


def _quotes(text: str, language: str) -> str:
    """Straight quotes as the language writes them: apostrophes first, then pairs by position."""
    double_open, double_close, single_open, single_close = _QUOTES.get(language, _QUOTES["en"])
    text = _APOSTROPHE.sub("’", text)
    chars = list(text)
    for index, char in enumerate(chars):
        if char in "\"'":
            before = chars[index - 1] if index else " "
            opening = before.isspace() or before in "([{„“‚‘–—/"
            if char == '"':
                chars[index] = double_open if opening else double_close
            else:
                chars[index] = single_open if opening else single_close
    return "".join(chars)
