"""The forms in which people type dates and numbers, German and English, read once for files and the interview.

An answers file and the interview take the same forms: a date as ``2027-03-01``, ``01.03.2027``,
``1.3.2027``, ``01/03/2027`` (day first, as in Germany and the United Kingdom), ``1 March 2027`` or
``1. März 2027``; a number as ``12500``, ``12500.50``, ``12.500,50`` or ``12,500.50``. A number whose
one separator is followed by exactly three digits (``12.500``, ``12,500``) is a thousands separator in one
language and a decimal point in the other: it is refused as ambiguous rather than guessed. A currency
sign or code in an amount is refused too: the currency is the agreement's (``price.currency``), and a
sign that disagreed with it would put a wrong amount into a contract. Durations (``4 Stunden``,
``30 Min.``) are :class:`slagen.params.values.Duration`'s.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

MONTHS = {
    **dict.fromkeys(("januar", "january", "jan", "jänner"), 1),
    **dict.fromkeys(("februar", "february", "feb"), 2),
    **dict.fromkeys(("märz", "maerz", "march", "mär", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("dezember", "december", "dez", "dec"), 12),
}
"""Month names and their abbreviations, German and English (lower case)."""

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4})$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_CURRENCY = re.compile(r"[€£$¥]|\b(?:EUR|GBP|USD|CHF|Euro|euro)\b")
_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_GROUPED = {
    ".": re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$"),  # 12.500,50 (German)
    ",": re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"),  # 12,500.50 (English)
}


def read_date(text: str) -> dt.date | None:
    """The date ``text`` names in one of the forms above; ``None`` if it is none of them.

    Raises ``ValueError`` for a form that names no day (``31.02.2027``).
    """
    text = _SPACES.sub(" ", text.strip())
    match = _ISO.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    match = _WORDS.match(text)
    if match and match.group(2).lower() in MONTHS:
        return dt.date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    return None


def read_number(text: str) -> Decimal | None:
    """The number ``text`` writes, German or English; ``None`` if it writes none.

    Raises ``ValueError`` with the reason for an amount with a currency and for an ambiguous separator.
    """
    if _CURRENCY.search(text):
        raise ValueError("write the amount without its currency: the agreement's currency is price.currency")
    compact = _SPACES.sub("", text.strip())
    if _PLAIN.match(compact) and not re.match(r"^[+-]?\d{1,3}\.\d{3}$", compact):
        return Decimal(compact)
    for thousands, pattern in _GROUPED.items():
        if pattern.match(compact):
            decimal_mark = "," if thousands == "." else "."
            groups = compact.count(thousands)
            if groups == 1 and decimal_mark not in compact:
                raise ValueError(
                    f"'{text.strip()}' could be {compact.replace(thousands, '')} or "
                    f"{Decimal(compact.replace(thousands, '.')).normalize()}: write it without the separator, "
                    "or with both "
                    "(12.500,00 or 12,500.00)"
                )
            return Decimal(compact.replace(thousands, "").replace(decimal_mark, "."))
    if re.match(r"^[+-]?\d+,\d+$", compact):  # a decimal comma: 1,5
        return Decimal(compact.replace(",", "."))
    try:
        return Decimal(compact)
    except InvalidOperation:
        return None
