"""Service credits: the band the measured value falls in, the monthly cap, then the cap per contract year.

Bands are half-open (``lower <= value < upper``; the last band has no lower edge): a value exactly on an
edge belongs to the band that edge is the lower limit of, so 99.0 with bands "from 99 to below 99.9" and
"below 99" earns the first band's credit, and 99.9 (the target) earns none.
Amounts are rounded to the cent (half up) once, after the percentage is applied.

>>> from slagen.arithmetic import CreditBand, CreditScheme
>>> bands = (CreditBand(Decimal("99.9"), Decimal("99"), Decimal(10)), CreditBand(Decimal("99"), None, Decimal(25)))
>>> c = service_credit("availability", Decimal("99.0"), CreditScheme(bands, Decimal(20)), Decimal(1000), "EUR")
>>> c.band, c.percent, c.amount
('99 ≤ x < 99.9', Decimal('10'), Decimal('100.00'))
>>> c = service_credit("availability", Decimal("98.99"), CreditScheme(bands, Decimal(20)), Decimal(1000), "EUR")
>>> c.band, c.percent, c.percent_capped, c.amount
('x < 99', Decimal('25'), Decimal('20'), Decimal('200.00'))
>>> service_credit("availability", Decimal("99.9"), CreditScheme(bands, Decimal(20)), Decimal(1000), "EUR").amount
Decimal('0.00')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from msgspec.structs import replace

from slagen.arithmetic import CreditBand, CreditScheme
from slagen.report.model import Credit

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def band_text(band: CreditBand) -> str:
    """A band as an inequality: ``99 ≤ x < 99.9`` or ``x < 99``."""
    upper = f"x < {band.upper.normalize():f}"
    return upper if band.lower is None else f"{band.lower.normalize():f} ≤ {upper}"


def service_credit(kpi: str, value: Decimal, scheme: CreditScheme, fee: Decimal | None, currency: str) -> Credit:
    """The credit ``value`` earns under ``scheme``, capped per month, as a share of ``fee``."""
    band = next((b for b in scheme.bands if b.contains(value)), None)
    percent = band.credit if band else Decimal(0)
    capped = min(percent, scheme.cap)
    amount = None if fee is None else (fee * capped / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    text = band_text(band) if band else ""
    return Credit(kpi, value, text, percent, scheme.cap, capped, fee, amount, owed=amount, currency=currency)


def apply_annual_cap(
    credit: Credit, cap_percent: Decimal | None, year_fees: Decimal | None, earlier: Decimal
) -> Credit:
    """``credit`` with the cap per contract year applied: at most ``cap_percent`` % of ``year_fees`` in total.

    ``earlier`` is what earlier periods of the same contract year already credited.

    >>> c = Credit("a", Decimal(99), "x < 99.9", Decimal(10), Decimal(20), Decimal(10), Decimal(1000), Decimal(100))
    >>> apply_annual_cap(c, Decimal(5), Decimal(12000), Decimal(550)).owed
    Decimal('50.00')
    """
    if cap_percent is None or year_fees is None or credit.amount is None:
        return replace(credit, earlier=earlier)
    cap = (year_fees * cap_percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    owed = max(Decimal(0), min(credit.amount, cap - earlier)).quantize(CENT)
    return replace(credit, annual_cap=cap, earlier=earlier, owed=owed)
