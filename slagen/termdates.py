"""The end of a contract term, counted as German and English contracts count months.

A term of months that starts with a day (the day counts, § 187 (2) BGB) ends with the day before the day
of the last month that bears the starting day's number (§ 188 (2) BGB); where the last month has no such
day, with that month's last day (§ 188 (3) BGB). English practice counts a term "from and including" its
first day the same way (1 January for 12 months ends on 31 December).
"""

from __future__ import annotations

import calendar
import datetime as dt


def term_end(start: dt.date, months: int) -> dt.date:
    """The last day of a term of ``months`` that starts on ``start``.

    >>> term_end(dt.date(2027, 1, 1), 12)
    datetime.date(2027, 12, 31)
    >>> term_end(dt.date(2027, 3, 15), 24)
    datetime.date(2029, 3, 14)
    >>> term_end(dt.date(2027, 1, 31), 1)
    datetime.date(2027, 2, 28)
    """
    if not isinstance(start, dt.date) or isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise TypeError("term_end takes a date and a whole number of months")
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)
