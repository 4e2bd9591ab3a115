"""The sentences the exports write, from ``templates/<lang>/slo.yaml`` (read by the command), and their names.

Operators read the files in English; the warnings about the measuring window are written in
English and, when it is another, in the agreement's first language too: they are what a contract
manager must see before trusting a dashboard.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from slagen.errors import LibraryError, Problem
from slagen.library import Library
from slagen.slo.objectives import Export
from slagen.slo.window import DURATIONS, Window
from slagen.yamlsource import load_yaml

TEXTS_FILE = "slo.yaml"
OPERATOR_LANGUAGE = "en"
WINDOW_TEXTS = ("openslo", "sloth", "prometheus", "partial_first")
PERIOD_WORDS = ("the", "each")
"""Per contract period (``periods.<period>`` of ``slo.yaml``): the words for ``{period}`` and ``{each_period}``."""


def load_texts(library: Library, language: str) -> dict[str, str]:
    """The window sentences of ``templates/<language>/slo.yaml``; a missing file or sentence is a library error."""
    path: Path = library.template_root / language / TEXTS_FILE
    display = f"templates/{language}/{TEXTS_FILE}"
    if not path.is_file():
        raise LibraryError([Problem(f"no {TEXTS_FILE}: the sentences of slagen slo in '{language}'", display)])
    source = load_yaml(path, display=display)
    window: Any = source.data.get("window") if isinstance(source.data, dict) else None
    texts = {}
    for name in WINDOW_TEXTS:
        text = window.get(name) if isinstance(window, dict) else None
        if not isinstance(text, str) or not text.strip():
            line = source.line_of(("window", name))
            raise LibraryError([Problem("expected a sentence", display, line, f"window.{name}")])
        texts[name] = " ".join(text.split())
    periods: Any = source.data.get("periods") if isinstance(source.data, dict) else None
    for period in DURATIONS:
        for word in PERIOD_WORDS:
            entry = periods.get(period) if isinstance(periods, dict) else None
            text = entry.get(word) if isinstance(entry, dict) else None
            if not isinstance(text, str) or not text.strip():
                line = source.line_of(("periods", period, word)) or source.line_of(("periods",))
                raise LibraryError(
                    [Problem("expected the words for this period", display, line, f"periods.{period}.{word}")]
                )
            texts[f"periods.{period}.{word}"] = " ".join(text.split())
    return texts


def warning_languages(languages: Sequence[str], library: Library) -> tuple[str, ...]:
    """The languages of the window warnings: English, then the agreement's first language if it is another."""
    chosen = [OPERATOR_LANGUAGE] if OPERATOR_LANGUAGE in library.labels else []
    first = languages[0] if languages else OPERATOR_LANGUAGE
    if first not in chosen:  # a library without English still warns, in the agreement's language
        chosen.append(first)
    return tuple(chosen)


WindowWarnings = Mapping[Window, list[tuple[str, str]]]
"""Each window of an export → the warning about it as (language, sentence)."""


def window_warnings(export: Export, texts: Mapping[str, Mapping[str, str]], fmt: str) -> WindowWarnings:
    """The warning about ``fmt``'s window for each window of the export, in the languages of ``texts`` (in order)."""
    return {o.window: _warnings(o.window, export, texts, fmt) for o in export.objectives}


def _warnings(
    window: Window, export: Export, texts: Mapping[str, Mapping[str, str]], fmt: str
) -> list[tuple[str, str]]:
    fields = {
        "time_zone": window.time_zone,
        "start": window.start.isoformat(),
        "effective": export.effective.isoformat(),
    }
    warnings = []
    for language, sentences in texts.items():
        words = {word + "_period" if word != "the" else "period": sentences[f"periods.{window.period}.{word}"]
                 for word in PERIOD_WORDS}  # fmt: skip
        text = _fill(_fill(sentences[fmt], words), fields)
        if window.partial_first:
            text += " " + _fill(_fill(sentences["partial_first"], words), fields)
        warnings.append((language, text))
    return warnings


def _fill(text: str, fields: Mapping[str, str]) -> str:
    """``text`` with its placeholders replaced; no ``str.format``, which would read attributes a library names."""
    for name, value in fields.items():
        text = text.replace("{" + name + "}", value)
    return text


def rfc1123(*parts: str) -> str:
    """A name of lowercase letters, digits and '-', at most 63 characters (a hash keeps long ones apart).

    >>> rfc1123("SLA-2027-102", "p1_response")
    'sla-2027-102-p1-response'
    >>> len(rfc1123("x" * 80)), rfc1123("x" * 80)[-9:]
    (63, '-d929cdee')
    """
    name = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-") or "agreement"
    if len(name) <= 63:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return name[:54].rstrip("-") + "-" + digest


def camel(*parts: str) -> str:
    """A Prometheus alert name: the words of ``parts`` capitalised and joined.

    >>> camel("SLA-2027-102", "p1_response")
    'Sla2027102P1Response'
    """
    words = re.split(r"[^A-Za-z0-9]+", " ".join(parts))
    name = "".join(word[:1].upper() + word[1:].lower() for word in words if word)
    return name if name[:1].isalpha() else "Slo" + name


def promql_string(text: str) -> str:
    r"""A PromQL string literal of ``text``: JSON's escapes, which PromQL's (Go's) read the same.

    >>> print(promql_string('SLA "7" \\ x'))
    "SLA \"7\" \\ x"
    """
    return json.dumps(text, ensure_ascii=False)
