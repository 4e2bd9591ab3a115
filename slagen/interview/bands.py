"""Service-credit bands as a person types them: one band a line, ended by an empty line, then the cap.

A band is written as the interview's language words it (``words.band_line`` of questions.yaml):
``ab 99,5 % unter 99,9 %: 10 %`` or ``from 99.5% below 99.9%: 10%``; the last band leaves out its
lower end (``words.band_open``: ``unter 99 %: 25 %``). An empty line ends the bands; where a line
has a default (the resumed file's band), Enter keeps it and ``words.band_end`` (``-``) ends the
bands. Numbers take the German and English forms of :mod:`slagen.params.forms`. The answer is
written as the answers file holds it (``{bands: [{from: 99.5%, below: 99.9%, credit: 10%}], cap: 25%}``);
a problem that the checks find in one band asks that band again, a problem with the cap the cap.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from slagen.interview.wording import Question, Wording
from slagen.params import MISSING
from slagen.params.forms import read_number
from slagen.params.values import ParamError

Ask = Callable[[Question], str]
Problems = Callable[[Any], list[tuple[str, str]]]
"""The problems the checks find with a scheme: (key within it, message), ``bands.0.below`` or ``cap``."""


class BandReader:
    """Reads and writes one band line in the words of one language."""

    def __init__(self, wording: Wording) -> None:
        self.wording = wording
        self.forms = [_pattern(str(wording.words[name])) for name in ("band_line", "band_open")]

    def read(self, line: str) -> dict[str, str]:
        """One band from a typed line, as the answers file writes it; ``ParamError`` if the line is no band."""
        for pattern in self.forms:
            found = pattern.fullmatch(" ".join(line.split()))
            if found:
                return {name: _percent(text) for name, text in found.groupdict().items()}
        raise ParamError(str(self.wording.words["band_form"]).format(example=self.wording.words["band_example"]))

    def line(self, band: dict[str, Any]) -> str:
        """A band of an answers file as it is typed, in this language (a default to keep with Enter)."""
        shown = {name: self.number(value) for name, value in band.items()}
        form = "band_line" if "from" in band else "band_open"
        return str(self.wording.words[form]).format(**shown)

    def number(self, value: Any) -> str:
        """A percentage as this language writes it (``99,5 %``)."""
        text = str(value).strip().removesuffix("%").strip()
        try:
            number = Decimal(text)
        except ArithmeticError:
            return str(value)
        shown = format_decimal(number, locale=self.wording.locale or "en", group_separator=False)
        return str(self.wording.words["percent"]).format(number=shown)


def _pattern(form: str) -> re.Pattern[str]:
    """``ab {from} unter {below}: {credit}`` as a pattern: any spacing, any case, a number with or without ``%``."""
    pattern = []
    for i, part in enumerate(re.split(r"\{(\w+)\}", form)):
        if i % 2:
            pattern.append(f"(?P<{part}>[-+]?[\\d.,]+\\s*%?)")
        else:
            pattern.append(r"\s*" + r"\s*".join(re.escape(word) for word in part.split()) + r"\s*")
    return re.compile("".join(pattern), re.IGNORECASE)


def _percent(text: str) -> str:
    """A typed percentage (``99,5 %``, ``99.5%``) as the answers file writes it (``99.5%``)."""
    try:
        number = read_number(text.strip().removesuffix("%").strip())
    except ValueError as exc:
        raise ParamError(str(exc)) from None
    if number is None:
        raise ParamError(f"'{text.strip()}' is not a number")
    return f"{format(number.normalize(), 'f')}%"


def ask_scheme(ask: Ask, reader: BandReader, key: str, default: dict[str, Any] | None, problems: Problems) -> Any:
    """The bands line by line (an empty line ends them), then the cap; each part asked again while wrong."""
    words = reader.wording.words
    lines = [reader.line(band) for band in (default or {}).get("bands") or []]
    bands: list[dict[str, str]] = []
    help_text = str(words["bands"]).format(example=words["band_example"])
    n = 0
    while True:
        given = lines[n] if n < len(lines) else None
        band = _ask_band(ask, reader, key, n, help_text if n == 0 else "", given, None)
        if band is None:
            break
        bands.append(band)
        n += 1
    if not bands:
        return MISSING
    cap = (default or {}).get("cap")
    cap = _ask_cap(ask, reader, key, None if cap is None else reader.number(cap), None)
    for _ in range(len(bands) + 2):
        scheme = {"bands": bands, "cap": cap}
        found = problems(scheme)
        if not found:
            return scheme
        where, message = found[0]
        parts = where.split(".")
        if parts[0] == "bands" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(bands):
            i = int(parts[1])
            bands[i] = _ask_band(ask, reader, key, i, "", reader.line(bands[i]), message, required=True) or bands[i]
        else:
            cap = _ask_cap(ask, reader, key, reader.number(cap), message)
    return {"bands": bands, "cap": cap}  # what is still wrong, the session's check says


def _ask_band(
    ask: Ask,
    reader: BandReader,
    key: str,
    n: int,
    help_text: str,
    default: str | None,
    error: str | None,
    *,
    required: bool = False,
) -> dict[str, str] | None:
    text = str(reader.wording.words["band"]).format(n=n + 1)
    while True:
        raw = ask(Question(f"{key}.bands[{n}]", text, help_text, default, (), error)).strip()
        if raw == str(reader.wording.words["band_end"]) and not required:
            return None
        if not raw:
            if default is not None:
                raw = default
            elif not required:
                return None
            else:
                error = str(reader.wording.words["required"])
                continue
        try:
            return reader.read(raw)
        except ParamError as exc:
            error = reader.wording.translated(str(exc))


def _ask_cap(ask: Ask, reader: BandReader, key: str, default: str | None, error: str | None) -> str:
    text = str(reader.wording.words["band_cap"])
    while True:
        raw = ask(Question(f"{key}.cap", text, "", default, (), error)).strip() or (default or "")
        if not raw:
            error = str(reader.wording.words["required"])
            continue
        try:
            return _percent(raw)
        except ParamError as exc:
            error = reader.wording.translated(str(exc))
