"""Contract arithmetic: allowed downtime and service-credit bands, exact to the last digit.

The numbers a contract states are computed here, never typed by hand, and always with
``Decimal``: a float turns 99.9 % of a 31-day month into 2678.3999999999996 seconds. The
rest of slagen formats what this module computes (``slagen.formatting.format_timespan``)
and validates credit bands with :func:`check_credits`, for the tiers of a catalog and for
the bands an agreement gives.

>>> allowed_downtime(Decimal("99.9"), 30)
Decimal('2592')
>>> split_seconds(allowed_downtime(Decimal("99.9"), 31))
(('minute', Decimal('44')), ('second', Decimal('38.4')))
>>> split_seconds(allowed_downtime(Decimal("99.9"), 365))
(('hour', Decimal('8')), ('minute', Decimal('45')), ('second', Decimal('36')))
"""

from __future__ import annotations

from decimal import Decimal

from msgspec import Struct

SECONDS_PER_DAY = 86_400
_UNITS = (("day", 86_400), ("hour", 3_600), ("minute", 60))
HUNDRED = Decimal(100)


def allowed_downtime(availability: Decimal | int, days: int | Decimal) -> Decimal:
    """Seconds of downtime that ``availability`` (percentage points) allows over ``days`` days.

    >>> allowed_downtime(Decimal("99.99"), 30)
    Decimal('259.2')
    >>> allowed_downtime(Decimal("100"), 31)
    Decimal('0')
    >>> allowed_downtime(Decimal("100.1"), 30)
    Traceback (most recent call last):
    ...
    ValueError: an availability of 100.1 % is not between 0 and 100
    """
    availability = Decimal(availability)
    if not 0 <= availability <= HUNDRED:
        raise ValueError(f"an availability of {availability} % is not between 0 and 100")
    if Decimal(days) <= 0:
        raise ValueError(f"a period of {days} days is not a period")
    return _plain((HUNDRED - availability) * Decimal(days) * SECONDS_PER_DAY / HUNDRED)


def split_seconds(seconds: Decimal | int) -> tuple[tuple[str, Decimal], ...]:
    """``seconds`` as days, hours, minutes and seconds, leaving out the parts that are zero.

    Only the seconds may have a fraction; a span of nothing is ``0`` seconds.

    >>> split_seconds(Decimal("12960"))
    (('hour', Decimal('3')), ('minute', Decimal('36')))
    >>> split_seconds(Decimal("157680"))
    (('day', Decimal('1')), ('hour', Decimal('19')), ('minute', Decimal('48')))
    >>> split_seconds(0)
    (('second', Decimal('0')),)
    """
    rest = Decimal(seconds)
    if rest < 0:
        raise ValueError(f"a span of {rest} seconds is negative")
    parts: list[tuple[str, Decimal]] = []
    for unit, size in _UNITS:
        whole = rest // size
        if whole:
            parts.append((unit, whole))
            rest -= whole * size
    if rest or not parts:
        parts.append(("second", _plain(rest)))
    return tuple(parts)


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (``2592.0`` → ``2592``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


# --- service-credit bands ---------------------------------------------------------------


class CreditBand(Struct, frozen=True):
    """Measured values from ``lower`` (inclusive) to ``upper`` (exclusive) earn ``credit`` % of the fee.

    ``lower`` is ``None`` for the last band: every value below ``upper``.
    """

    upper: Decimal
    lower: Decimal | None
    credit: Decimal

    def contains(self, value: Decimal) -> bool:
        """Whether a measured ``value`` falls into this band (half-open: ``lower <= value < upper``).

        >>> band = CreditBand(Decimal("99.9"), Decimal("99"), Decimal(5))
        >>> band.contains(Decimal("99")), band.contains(Decimal("99.89")), band.contains(Decimal("99.9"))
        (True, True, False)
        """
        return value < self.upper and (self.lower is None or value >= self.lower)


class CreditScheme(Struct, frozen=True):
    """Service-credit bands, from the target downwards, and the cap on all credits of one period.

    What a measured value earns under it (band, capped credit, amount) is computed in one place:
    :func:`slagen.report.credits.service_credit`.
    """

    bands: tuple[CreditBand, ...]
    cap: Decimal


Finding = tuple[tuple[str, ...], str]
"""A problem of a credit scheme: the key path inside it (``("bands", "1", "from")``) and the message."""


def check_credits(scheme: CreditScheme, target: Decimal | None = None, *, show: str = "{}") -> list[Finding]:
    """Every problem of ``scheme``: bands must be contiguous, half-open, monotone, and the cap reach them.

    The first band ends (exclusive) at ``target``, the KPI's agreed value, when it is given; each
    further band ends where the one before begins; only the last band is open downwards; the
    credit grows from band to band; the cap is at least the highest credit. ``show`` formats a
    value in messages (``"{} %"``).

    >>> good = CreditScheme(
    ...     (CreditBand(Decimal("99.9"), Decimal("99"), Decimal(5)), CreditBand(Decimal(99), None, Decimal(20))),
    ...     Decimal(20),
    ... )
    >>> check_credits(good, Decimal("99.9"))
    []
    >>> gap = CreditScheme(
    ...     (CreditBand(Decimal("99.9"), Decimal("99"), Decimal(5)), CreditBand(Decimal("98.99"), None, Decimal(20))),
    ...     Decimal(10),
    ... )
    >>> for where, message in check_credits(gap, Decimal("99.9")):
    ...     print(".".join(where), message)
    bands.1.below band 2 must end where band 1 begins (99): the values from 98.99 to under 99 would earn no credit
    cap the cap (10 %) is below the highest credit (20 %)
    """
    found: list[Finding] = []
    if not scheme.bands:
        return [(("bands",), "at least one band is needed")]
    first = scheme.bands[0]
    if target is not None and first.upper != target:
        if first.upper > target:
            message = (
                f"band 1 must end at the target ({show.format(target)}): values that meet the target earn no credit"
            )
        else:
            message = (
                f"band 1 must end at the target ({show.format(target)}): the values from "
                f"{show.format(first.upper)} to under {show.format(target)} would earn no credit"
            )
        found.append((("bands", "0", "below"), message))
    previous: CreditBand | None = None
    for index, band in enumerate(scheme.bands):
        number = index + 1
        last = index == len(scheme.bands) - 1
        if band.lower is None and not last:
            found.append((("bands", str(index), "from"), f"only the last band may leave out 'from' (band {number})"))
        if band.lower is not None and band.lower >= band.upper:
            message = (
                f"band {number} is empty: 'from' ({show.format(band.lower)}) must be below "
                f"'below' ({show.format(band.upper)}); a band holds the values from 'from' to under 'below'"
            )
            found.append((("bands", str(index), "from"), message))
        if band.lower is not None and last and band.lower > 0:
            message = (
                f"the values under {show.format(band.lower)} would earn no credit: "
                f"leave out 'from' in the last band (band {number})"
            )
            found.append((("bands", str(index), "from"), message))
        if not 0 < band.credit <= HUNDRED:
            found.append(
                (("bands", str(index), "credit"), f"a credit of {band.credit} % is not above 0 and at most 100")
            )
        if previous is not None:
            if previous.lower is not None and band.upper != previous.lower:
                low, high = sorted((band.upper, previous.lower))
                effect = "would earn no credit" if band.upper < previous.lower else "would fall into both bands"
                message = (
                    f"band {number} must end where band {number - 1} begins ({show.format(previous.lower)}): "
                    f"the values from {show.format(low)} to under {show.format(high)} {effect}"
                )
                found.append((("bands", str(index), "below"), message))
            if band.credit <= previous.credit:
                message = (
                    f"the credit must grow as the service gets worse: band {number} gives {band.credit} %, "
                    f"band {number - 1} gives {previous.credit} %"
                )
                found.append((("bands", str(index), "credit"), message))
        previous = band
    highest = max(band.credit for band in scheme.bands)
    if not 0 < scheme.cap <= HUNDRED:
        found.append((("cap",), f"a cap of {scheme.cap} % is not above 0 and at most 100"))
    elif scheme.cap < highest:
        found.append((("cap",), f"the cap ({scheme.cap} %) is below the highest credit ({highest} %)"))
    return found
