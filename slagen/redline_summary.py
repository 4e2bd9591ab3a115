"""What a redline says first: which versions it compares, which clauses came, went or changed, which values changed.

Takes the two versions as documents and as answers and gives a :class:`Summary`, in the
documents' language: the versions compared, the clauses added, removed and changed (by number
and heading) and each changed answer as its question, the key and old → new value written as
the contract writes it (dates in words, yes or no, the text of the document's language). Clauses
are compared by what they say, cross-references by their target: a clause that only moved or
whose references were renumbered is not changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from msgspec import Struct

from slagen.model import Clause, Document, Text, iter_inlines, plain_text
from slagen.params import Duration

SUMMARY_TAG = "slagen-redline-summary"
"""The tag of the content control that holds the summary in the redline DOCX (outside the contract's text)."""


class Summary(Struct, frozen=True):
    """The summary's lines: (``note``, ``heading``, ``text`` or ``item``, text), in order."""

    title: str
    lines: tuple[tuple[str, str], ...]
    markdown_note: str = ""
    """What the first line (``note``) says in the Markdown redline, which has no content control."""


def summarize(
    old: Document,
    new: Document,
    old_values: Mapping[str, Any],
    new_values: Mapping[str, Any],
    questions: Mapping[str, str],
    *,
    compared: tuple[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> Summary:
    """The summary of the changes from ``old`` to ``new``; ``compared`` names the two versions (else their facts).

    ``questions`` gives the words of an answer key (``templates/<lang>/questions.yaml``), ``names`` those of
    the keys inside a mapping answer (the KPIs of ``service.overrides``).
    """
    labels = new.labels
    before, after = compared or (_version(old), _version(new))
    lines: list[tuple[str, str]] = [
        ("note", labels["redline_note"]),
        ("text", labels["redline_compared"].format(old=before, new=after)),
    ]
    old_clauses = {clause.id: clause for clause in old.clauses()}
    new_clauses = {clause.id: clause for clause in new.clauses()}
    added = [_heading(c, new) for c in new_clauses.values() if c.id not in old_clauses]
    removed = [_heading(c, old) for c in old_clauses.values() if c.id not in new_clauses]
    changed = [
        _heading(c, new)
        for c in new_clauses.values()
        if c.id in old_clauses and (c.title, c.blocks) != (old_clauses[c.id].title, old_clauses[c.id].blocks)
    ]
    if (old.front, old.signatories) != (new.front, new.signatories):
        changed.insert(0, labels["redline_parties"])
    values = value_changes(old_values, new_values, questions, new, names or {})
    values += [f"{number}: {note}" for number, note in _notes(new) if (number, note) not in _notes(old)]
    for heading, items in (
        ("redline_added", added),
        ("redline_removed", removed),
        ("redline_changed", changed),
        ("redline_values", values),
    ):
        lines.append(("heading", labels[heading]))
        lines += [("item", item) for item in items] or [("text", labels["redline_none"])]
    return Summary(labels["redline_summary"], tuple(lines), labels["redline_note_markdown"])


def _version(document: Document) -> str:
    labels = document.labels
    return f"{document.reference}, {labels['version']} {document.version} ({document.date})"


def _heading(clause: Clause, document: Document) -> str:
    title = plain_text(clause.title, document.numbers)
    if any(section.annex and clause in section.clauses for section in document.sections):
        return f"{document.numbers[clause.id]} – {title}"  # "Anlage 3 – Abweichungen …"
    return f"{clause.number} {title}"


def _notes(document: Document) -> list[tuple[str, str]]:
    """The notes on values of each clause (a deviation from the standard tier, old → new and for whom)."""
    return [
        (clause.number, run.note)
        for clause in document.clauses()
        for run in iter_inlines(clause.blocks)
        if isinstance(run, Text) and run.note
    ]


def value_changes(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    questions: Mapping[str, str],
    document: Document,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """One line per changed answer: question (key): old → new. List entries, record and mapping fields one by one."""
    lines = []
    keys = [*new, *(key for key in old if key not in new)]
    for key in keys:
        if key == "slagen":
            continue
        for item, question, before, after in _pieces(key, old.get(key), new.get(key), questions, names or {}):
            if before != after:
                shown = f"{_value(before, document)} → {_value(after, document)}"
                lines.append(f"{question} ({item}): {shown}")
    return lines


def _pieces(
    key: str, old: Any, new: Any, questions: Mapping[str, str], names: Mapping[str, str]
) -> list[tuple[str, str, Any, Any]]:
    """The comparable pieces of an answer: itself, or each list entry, each field of each record, each mapping key."""
    if _mapping(old) or _mapping(new):
        record_a, record_b = old or {}, new or {}
        fields = [*record_b, *(n for n in record_a if n not in record_b)]
        return [
            (f"{key}.{n}", names.get(n) or f"{questions.get(key, key)}: {n}", record_a.get(n), record_b.get(n))
            for n in fields
        ]
    if not isinstance(old, list) and not isinstance(new, list):
        return [(key, questions.get(key, key), old, new)]
    old_list, new_list = list(old or []), list(new or [])
    pieces = []
    for index in range(max(len(old_list), len(new_list))):
        a = old_list[index] if index < len(old_list) else None
        b = new_list[index] if index < len(new_list) else None
        if isinstance(a, dict) or isinstance(b, dict):
            record_a, record_b = a or {}, b or {}
            for name in [*record_b, *(n for n in record_a if n not in record_b)]:
                question = questions.get(f"{key}[].{name}", f"{key}[].{name}").replace("{n}", str(index + 1))
                pieces.append((f"{key}[{index + 1}].{name}", question, record_a.get(name), record_b.get(name)))
            continue
        question = questions.get(key, key).replace("{n}", str(index + 1))
        pieces.append((f"{key}[{index + 1}]", question, a, b))
    return pieces


def _mapping(value: Any) -> bool:
    """A mapping answer compared key by key (not a text given per language, ``{de: …, en: …}``)."""
    return isinstance(value, dict) and not (value and all(len(k) == 2 and k.islower() for k in value))


def _value(value: Any, document: Document) -> str:
    """A value as the contract writes it: dates in words, yes or no, a text in the document's language."""
    from slagen.formatting import format_date, format_duration, format_number

    labels, locale = document.labels, document.locale
    if value is None or value == "" or value == []:
        return labels["redline_no_value"]
    if isinstance(value, bool):
        return labels["redline_yes"] if value else labels["redline_no"]
    if isinstance(value, dict) and document.language in value:
        value = value[document.language]
    if isinstance(value, dt.date):
        return format_date(value, locale)
    if isinstance(value, Duration):
        return format_duration(value, locale)
    if isinstance(value, (int, Decimal)):
        return format_number(value, locale)
    if isinstance(value, list):
        return "; ".join(_value(item, document) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{name}: {_value(item, document)}" for name, item in value.items())
    return f"{labels['quote_open']}{value}{labels['quote_close']}"
