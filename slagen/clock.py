"""The clocks time limits run on: service hours, working days, around the clock (issue 17, item 5).

A :class:`ServiceCalendar` says when the clock runs: on which days (the tier term ``service_days``), from
when to when on each of them (``service_from``, ``service_to``; ``24:00`` is the end of the day), in which
time zone (``service.time_zone``), and which public holidays stop it (``service.holidays``). Every time is
wall-clock time in that zone; the clock counts the time that really passes while it runs, so a night in
which the clocks change counts an hour less (spring) or more (autumn) around the clock.

:func:`due` gives the moment a time limit ends, :func:`elapsed` the time on the clock between two moments
(less paused intervals); both are exact to the microsecond (``timedelta``), :func:`as_hours` gives hours as a
``Decimal``. :func:`calendar_for` builds the calendar an agreement defines and refuses one it does not define.

The rules, in a silver tier (Monday to Friday, 07:00 to 19:00, public holidays in North Rhine-Westphalia):

>>> import datetime as dt
>>> from zoneinfo import ZoneInfo
>>> berlin = ZoneInfo("Europe/Berlin")
>>> silver = ServiceCalendar("Europe/Berlin", "weekdays", "07:00", "19:00", "DE-NW")

A limit that does not fit into the rest of the day goes on at the next service day's start:

>>> due(dt.datetime(2027, 5, 12, 17, 30, tzinfo=berlin), dt.timedelta(hours=2), silver).isoformat()
'2027-05-13T07:30:00+02:00'

Friday evening before Whit Monday: the weekend and the public holiday do not count.

>>> due(dt.datetime(2027, 5, 14, 17, 30, tzinfo=berlin), dt.timedelta(hours=8), silver).isoformat()
'2027-05-18T13:30:00+02:00'

A limit that ends when the service hours end is due then, not the next morning; one that starts outside them
starts when they begin:

>>> due(dt.datetime(2027, 5, 12, 15, 0, tzinfo=berlin), dt.timedelta(hours=4), silver).isoformat()
'2027-05-12T19:00:00+02:00'
>>> due(dt.datetime(2027, 5, 12, 22, 0, tzinfo=berlin), dt.timedelta(minutes=90), silver).isoformat()
'2027-05-13T08:30:00+02:00'

Around the clock, the night the clocks go forward has 23 hours (4 hours from 23:30 CET end at 04:30 CEST):

>>> clock = around_the_clock("Europe/Berlin")
>>> due(dt.datetime(2027, 3, 27, 23, 30, tzinfo=berlin), dt.timedelta(hours=4), clock).isoformat()
'2027-03-28T04:30:00+02:00'

The time on the clock, in hours, less a pause waiting for the customer:

>>> start = dt.datetime(2027, 5, 14, 17, 30, tzinfo=berlin)
>>> end = dt.datetime(2027, 5, 18, 9, 15, tzinfo=berlin)
>>> as_hours(elapsed(start, end, silver))
Decimal('3.75')
>>> pause = (dt.datetime(2027, 5, 18, 8, 0, tzinfo=berlin), dt.datetime(2027, 5, 18, 8, 45, tzinfo=berlin))
>>> as_hours(elapsed(start, end, silver, paused=[pause]))
Decimal('3')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from msgspec import Struct

from slagen.errors import InputError, Problem
from slagen.intervals import Interval, aware, merged, minus
from slagen.timezone import time_zone_for

HolidayTest = Callable[[dt.date], bool]
"""Whether a day is a public holiday of a calendar (:meth:`ServiceCalendar.holiday_test`)."""

SERVICE_DAYS: dict[str, frozenset[int]] = {
    "weekdays": frozenset(range(5)),
    "weekdays_saturday": frozenset(range(6)),
    "all_days": frozenset(range(7)),
}
"""The tier term ``service_days``: the weekdays (Monday = 0) of the service hours."""

HOLIDAY_CODES: dict[str, tuple[str, str, str]] = {
    **{
        f"DE-{state}": ("DE", state, "Europe/Berlin")
        for state in ("BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")
    },
    "GB-EAW": ("GB", "ENG", "Europe/London"),
}
"""``service.holidays`` → country and subdivision of the ``holidays`` package, and the zone of its dates.

England and Wales share their bank holidays (Banking and Financial Dealings Act 1971, Schedule 1); the
package keeps them under ``ENG`` (and the same under ``WLS``). A German state's are its statutory public
holidays (the package's ``public`` category), without those of single municipalities."""

_DAY = dt.timedelta(days=1)
_MAX_DAYS = 366 * 200
"""A time limit that does not end within two hundred years of service days is an error, not a loop."""


class ServiceCalendar(Struct, frozen=True):
    """When a clock runs: days, hours (``HH:MM``, ``24:00`` the end of the day), zone and public holidays.

    ``holidays`` is a code of :data:`HOLIDAY_CODES` whose public holidays stop the clock, or empty when
    none do (around the clock, service every day).
    """

    time_zone: str
    service_days: str
    service_from: str
    service_to: str
    holidays: str = ""

    def __post_init__(self) -> None:
        if self.service_days not in SERVICE_DAYS:
            raise ValueError(f"service days must be one of {', '.join(SERVICE_DAYS)}, not '{self.service_days}'")
        if self.holidays and self.holidays not in HOLIDAY_CODES:
            raise ValueError(f"unknown public-holiday calendar '{self.holidays}'")
        if _minutes(self.service_from) >= _minutes(self.service_to):
            raise ValueError(f"service hours from {self.service_from} to {self.service_to} are empty")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown time zone '{self.time_zone}'") from err

    @property
    def zone(self) -> ZoneInfo:
        """The time zone as ``zoneinfo`` has it."""
        return ZoneInfo(self.time_zone)

    @property
    def around_the_clock(self) -> bool:
        """Whether the clock never stops (every day, 00:00 to 24:00, no holidays)."""
        return (
            self.service_days == "all_days"
            and (self.service_from, self.service_to) == ("00:00", "24:00")
            and not self.holidays
        )

    def holiday_test(self) -> Callable[[dt.date], bool]:
        """A test for the public holidays of this calendar (made once per computation, not kept)."""
        if not self.holidays:
            return lambda day: False
        import holidays as holidays_package  # only the commands that compute dates need it

        country, subdivision, _zone = HOLIDAY_CODES[self.holidays]
        table = holidays_package.country_holidays(country, subdiv=subdivision)
        return lambda day: day in table

    def hours_of(self, day: dt.date) -> Interval:
        """The service hours of ``day`` as aware datetimes (whether or not it is a service day)."""
        return _at(day, self.service_from, self.zone), _at(day, self.service_to, self.zone)

    def is_service_day(self, day: dt.date, is_holiday: Callable[[dt.date], bool] | None = None) -> bool:
        """Whether the clock runs on ``day`` at all."""
        if day.weekday() not in SERVICE_DAYS[self.service_days]:
            return False
        test = is_holiday if is_holiday is not None else self.holiday_test()
        return not test(day)


def around_the_clock(time_zone: str) -> ServiceCalendar:
    """The calendar clock: every day, around the clock, public holidays included.

    >>> around_the_clock("Europe/London").around_the_clock
    True
    """
    return ServiceCalendar(time_zone, "all_days", "00:00", "24:00")


def working_days(holidays: str, time_zone: str = "") -> ServiceCalendar:
    """The contracts' *Working Day* (*Arbeitstag*): Monday to Friday other than the public holidays of ``holidays``.

    The definitions clause defines it so (``templates/*/scope/definitions.md.j2``); its zone is the one
    of the holidays' country unless ``time_zone`` names another.

    >>> days = working_days("DE-RP")
    >>> days.time_zone, days.service_days, days.service_from, days.service_to, days.holidays
    ('Europe/Berlin', 'weekdays', '00:00', '24:00', 'DE-RP')
    """
    return ServiceCalendar(time_zone or HOLIDAY_CODES[holidays][2], "weekdays", "00:00", "24:00", holidays)


def add_service_days(
    day: dt.date, count: int, calendar: ServiceCalendar, *, is_holiday: HolidayTest | None = None
) -> dt.date:
    """The ``count``-th service day after ``day``, before it if negative (:func:`nth_day` on ``calendar``).

    Three Working Days after Friday 14 May 2027 in North Rhine-Westphalia (Whit Monday is a holiday), two before:
    >>> add_service_days(dt.date(2027, 5, 14), 3, working_days("DE-NW"))
    datetime.date(2027, 5, 20)
    >>> add_service_days(dt.date(2027, 5, 18), -2, working_days("DE-NW"))
    datetime.date(2027, 5, 13)
    """
    is_holiday = is_holiday if is_holiday is not None else calendar.holiday_test()
    return nth_day(day, count, lambda other: calendar.is_service_day(other, is_holiday))


def nth_day(day: dt.date, count: int, counts: Callable[[dt.date], bool]) -> dt.date:
    """The ``count``-th day after ``day`` (before it if negative) for which ``counts`` holds; 0 gives ``day``.

    slagen's one walk over days: service days here, working days in reports and measurement conditions.
    """
    step = _DAY if count >= 0 else -_DAY
    for _ in range(abs(count)):
        day += step
        while not counts(day):
            day += step
    return day


def due(
    start: dt.datetime,
    duration: dt.timedelta,
    calendar: ServiceCalendar,
    paused: Iterable[Interval] = (),
    *,
    is_holiday: HolidayTest | None = None,
) -> dt.datetime:
    """The moment a time limit of ``duration`` on ``calendar``'s clock ends, counted from ``start``.

    Paused intervals (waiting for the customer) do not count. The result is in the calendar's zone; a
    limit of zero ends at ``start``. ``is_holiday`` (:meth:`ServiceCalendar.holiday_test`, made once for
    many calls) saves building the holiday table each time.
    """
    aware(start, "start")
    if duration < dt.timedelta(0):
        raise ValueError("a time limit cannot be negative")
    remaining = duration
    if not remaining:
        return start.astimezone(calendar.zone)
    for begin, end in minus(_running(calendar, start, is_holiday), merged(paused)):
        if remaining <= end - begin:
            return (begin + remaining).astimezone(calendar.zone)
        remaining -= end - begin
    raise ValueError(f"the time limit of {duration} does not end within {_MAX_DAYS} days")  # pragma: no cover


def elapsed(
    start: dt.datetime,
    end: dt.datetime,
    calendar: ServiceCalendar,
    paused: Iterable[Interval] = (),
    *,
    is_holiday: HolidayTest | None = None,
) -> dt.timedelta:
    """The time on ``calendar``'s clock from ``start`` to ``end``, less the ``paused`` intervals.

    ``is_holiday``: as for :func:`due`.

    >>> import datetime as dt
    >>> london = around_the_clock("Europe/London")
    >>> autumn = dt.datetime(2027, 10, 30, 12, 0, tzinfo=london.zone)
    >>> as_hours(elapsed(autumn, autumn + dt.timedelta(days=1), london))
    Decimal('25')
    """
    aware(start, "start")
    aware(end, "end")
    if end < start:
        raise ValueError(f"the end {end.isoformat()} is before the start {start.isoformat()}")
    total = dt.timedelta(0)
    for begin, stop in minus(_running(calendar, start, is_holiday), merged(paused)):
        if begin >= end:
            break
        total += min(stop, end) - begin
    return total


def time_limit(duration: Any, calendar: ServiceCalendar) -> dt.timedelta:
    """A KPI target (``slagen.params.values.Duration``) as the ``timedelta`` :func:`due` counts on ``calendar``.

    Seconds, minutes and hours are exact. Days and weeks only on a clock that never stops: during service
    hours "2 days" could mean 48 hours of service or two service days, so such a target is an error, not a
    guess; months have no fixed length.

    >>> from slagen.params.values import Duration
    >>> time_limit(Duration.parse("90min"), around_the_clock("Europe/Berlin"))
    datetime.timedelta(seconds=5400)
    >>> time_limit(Duration.parse("2d"), around_the_clock("Europe/Berlin"))
    datetime.timedelta(days=2)
    """
    unit, amount = str(duration.unit), Decimal(duration.amount)
    if unit == "month" or (unit in ("day", "week") and not calendar.around_the_clock):
        raise ValueError(f"a time limit of {amount} {unit}(s) has no exact length on this clock; state it in hours")
    micro = Decimal(duration.seconds) * 1_000_000
    if micro != micro.to_integral_value():
        raise ValueError(f"a time limit of {amount} {unit}(s) is not a whole number of microseconds")
    return dt.timedelta(microseconds=int(micro))


def as_hours(delta: dt.timedelta) -> Decimal:
    """A time on the clock in hours, exact (``Decimal``), trailing zeros dropped.

    >>> as_hours(dt.timedelta(hours=7, minutes=20))
    Decimal('7.333333333333333333333333333')
    >>> as_hours(dt.timedelta(minutes=90))
    Decimal('1.5')
    """
    micro = Decimal((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds)
    value = micro / Decimal(3_600_000_000)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def calendar_for(answers: Any, tier_terms: Mapping[str, Any], priority: str = "") -> ServiceCalendar:
    """The clock an agreement defines for time limits during its service hours (or for ``priority``).

    ``answers`` are validated answers (:class:`slagen.answers.Answers`) or their typed values by key;
    ``tier_terms`` the terms of the applicable tier (``service_days``, ``service_from``, ``service_to``,
    ``calendar_clock``). A priority the tier runs on the calendar clock (``calendar_clock``) gets
    :func:`around_the_clock`. Raises :class:`InputError` naming the answer key when the agreement leaves
    the calendar undefined: no time zone, no service hours in the tier, or service days that exclude public
    holidays without ``service.holidays`` (the contract then means the holidays at the provider's
    registered office, which slagen cannot know).
    """
    values = _values(answers)
    zone = time_zone_for(answers)
    if priority and priority in (tier_terms.get("calendar_clock") or ()):
        return around_the_clock(str(zone))
    days, start, stop = (tier_terms.get(name) for name in ("service_days", "service_from", "service_to"))
    if not days or not start or not stop:
        tier = values.get("service.tier") or "?"
        message = f"tier '{tier}' states no service hours (service_days, service_from, service_to)"
        raise _undefined(answers, "service.tier", message)
    holidays = "" if days == "all_days" else str(values.get("service.holidays") or "")
    if days != "all_days" and not holidays:
        message = (
            "the service hours exclude public holidays, but the agreement names none (the holidays at the "
            "provider's registered office cannot be computed); state e.g. DE-NW or GB-EAW"
        )
        raise _undefined(answers, "service.holidays", message)
    if holidays not in HOLIDAY_CODES and holidays:
        raise _undefined(answers, "service.holidays", unknown_holidays(holidays))
    try:
        return ServiceCalendar(str(zone), str(days), str(start), str(stop), holidays)
    except ValueError as err:
        raise _undefined(answers, "service.tier", str(err)) from err


def working_days_for(answers: Any) -> ServiceCalendar:
    """The agreement's Working Days; an :class:`InputError` naming ``service.holidays`` when it names none."""
    values = _values(answers)
    holidays = str(values.get("service.holidays") or "")
    if not holidays:
        message = (
            "Working Days are undefined: the agreement names no public holidays, and those at the provider's "
            "registered office cannot be computed; state them, e.g. DE-NW or GB-EAW"
        )
        raise _undefined(answers, "service.holidays", message)
    if holidays not in HOLIDAY_CODES:
        raise _undefined(answers, "service.holidays", unknown_holidays(holidays))
    return working_days(holidays, str(values.get("service.time_zone") or ""))


def unknown_holidays(code: str) -> str:
    """The message for a ``service.holidays`` code slagen has no holidays for."""
    return f"no public holidays are known for '{code}'; use one of {', '.join(HOLIDAY_CODES)}"


def _values(answers: Any) -> Mapping[str, Any]:
    values = answers if isinstance(answers, Mapping) else answers.values
    assert isinstance(values, Mapping)
    return values


def _undefined(answers: Any, key: str, message: str) -> InputError:
    source = getattr(answers, "source", None)
    if source is None:
        return InputError([Problem(message, key=key)])
    line = source.line_of(tuple(key.split(".")))
    return InputError([Problem(message, str(source.path), line, key)])


def _minutes(text: str) -> int:
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit()):
        raise ValueError(f"'{text}' is not a time of day (HH:MM)")
    value = int(hours) * 60 + int(minutes)
    if value > 24 * 60 or int(minutes) >= 60:
        raise ValueError(f"'{text}' is not a time of day (00:00 to 24:00)")
    return value


def _at(day: dt.date, text: str, zone: ZoneInfo) -> dt.datetime:
    """``day`` at wall time ``text`` in ``zone`` (``24:00``: the next day's 00:00), in UTC.

    A wall time the spring change skips counts as the moment after the gap (02:30 → 03:30 CEST); one the
    autumn change repeats, as its first occurrence (summer time).
    """
    wall = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(minutes=_minutes(text))
    return wall.replace(tzinfo=zone).astimezone(dt.UTC)


def _running(calendar: ServiceCalendar, start: dt.datetime, test: HolidayTest | None) -> Iterator[Interval]:
    """The intervals in which the clock runs, from ``start`` on, in UTC."""
    zone = calendar.zone
    moment = start.astimezone(dt.UTC)
    is_holiday = test if test is not None else calendar.holiday_test()
    day = start.astimezone(zone).date() - _DAY
    for _ in range(_MAX_DAYS):
        if calendar.is_service_day(day, is_holiday):
            begin, end = calendar.hours_of(day)
            if end > moment:
                yield max(begin, moment), end
        day += _DAY
