"""A posyandu's meeting days: a monthly rule plus exceptions (a day cancelled or moved).

Rules a kader can set (typed in Indonesian or English):

- the Nth weekday of each month: ``selasa minggu ke-2``, ``selasa kedua``, ``2nd tuesday``,
  ``kamis terakhir`` / ``last thursday``;
- a fixed day of each month: ``tanggal 15``, ``tgl 15``, ``day 15`` (the month's last day when the month
  is shorter).

Exceptions name a regular meeting day: cancelled, or moved to another day. Everything here is pure.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from flows.core.choices import simplify
from flows.knowledge.immunization_schedule import add_months
from messages_id import _, format_date

WEEKDAYS = {
    "senin": 0, "sen": 0, "monday": 0, "mon": 0,
    "selasa": 1, "sel": 1, "tuesday": 1, "tue": 1,
    "rabu": 2, "rab": 2, "wednesday": 2, "wed": 2,
    "kamis": 3, "kam": 3, "thursday": 3, "thu": 3,
    "jumat": 4, "jum": 4, "jumaat": 4, "friday": 4, "fri": 4,
    "sabtu": 5, "sab": 5, "saturday": 5, "sat": 5,
    "minggu": 6, "ahad": 6, "sunday": 6, "sun": 6,
}  # fmt: skip
ORDINALS = {
    "pertama": 1, "kesatu": 1, "satu": 1, "1": 1, "1st": 1, "first": 1,
    "kedua": 2, "dua": 2, "2": 2, "2nd": 2, "second": 2,
    "ketiga": 3, "tiga": 3, "3": 3, "3rd": 3, "third": 3,
    "keempat": 4, "empat": 4, "4": 4, "4th": 4, "fourth": 4,
    "kelima": 5, "lima": 5, "5": 5, "5th": 5, "fifth": 5,
    "terakhir": -1, "last": -1,
}  # fmt: skip
MONTHDAY_WORDS = ("tanggal", "tgl", "tg", "day", "date")
#: How far ahead a meeting is looked for (a dose due at 59 months, plus a margin).
SEARCH_MONTHS = 72


class RuleError(ValueError):
    """Text that is not a meeting rule."""


@dataclass(frozen=True)
class MeetingRule:
    """``weekday`` + ``week`` (Nth weekday, -1 = last) or ``monthday`` (a fixed day of each month)."""

    weekday: int | None = None
    week: int | None = None
    monthday: int | None = None

    def __post_init__(self) -> None:
        by_weekday = self.weekday is not None and self.week is not None
        if by_weekday == (self.monthday is not None):
            raise RuleError("a rule is either a weekday with its week, or a day of the month")
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise RuleError("weekday must be 0-6")
        if self.week is not None and self.week not in (1, 2, 3, 4, 5, -1):
            raise RuleError("week must be 1-5 or -1 (last)")
        if self.monthday is not None and not 1 <= self.monthday <= 31:
            raise RuleError("day of the month must be 1-31")

    def in_month(self, year: int, month: int) -> dt.date | None:
        """This rule's day in a month (``None``: no 5th such weekday that month)."""
        days = calendar.monthrange(year, month)[1]
        if self.monthday is not None:
            return dt.date(year, month, min(self.monthday, days))
        assert self.weekday is not None and self.week is not None
        matching = [day for day in range(1, days + 1) if dt.date(year, month, day).weekday() == self.weekday]
        if self.week == -1:
            return dt.date(year, month, matching[-1])
        return dt.date(year, month, matching[self.week - 1]) if self.week <= len(matching) else None

    def describe(self) -> str:
        """In Indonesian: ``every second Tuesday of the month`` / ``every 15th of the month``."""
        if self.monthday is not None:
            return _("every month on day {day}").format(day=self.monthday)
        assert self.weekday is not None and self.week is not None
        weekday = format_date(dt.date(2024, 1, 1) + dt.timedelta(days=self.weekday), "EEEE")
        if self.week == -1:
            return _("the last {weekday} of every month").format(weekday=weekday)
        return _("{weekday} of week {week} of every month").format(weekday=weekday, week=self.week)


def parse_rule(text: str) -> MeetingRule:
    """``selasa minggu ke-2`` → MeetingRule(weekday=1, week=2); raises :class:`RuleError`."""
    words = simplify(text.replace("-", " ")).split()
    words = [word for word in words if word not in {"setiap", "tiap", "every", "of", "the", "month", "bulan"}]
    for position, word in enumerate(words):
        if word in MONTHDAY_WORDS and position + 1 < len(words) and words[position + 1].isdigit():
            return MeetingRule(monthday=int(words[position + 1]))
    weekday = next((WEEKDAYS[word] for word in words if word in WEEKDAYS and word != "minggu"), None)
    if weekday is None and "minggu" in words:
        # "minggu" is both Sunday and "week": it is Sunday unless another weekday is named.
        first = words.index("minggu")
        weekday = 6 if first + 1 >= len(words) or words[first + 1] not in {"ke", *ORDINALS} else None
        if weekday is None and (words.count("minggu") > 1 or (first > 0 and words[first - 1] == "hari")):
            weekday = 6
    week = None
    for position, word in enumerate(words):
        if word == "ke" and position + 1 < len(words) and words[position + 1] in ORDINALS:
            week = ORDINALS[words[position + 1]]
        elif word in ORDINALS and not (word.isdigit() and position > 0 and words[position - 1] != "ke"):
            week = ORDINALS[word] if week is None else week
    if weekday is None or week is None:
        raise RuleError(text)
    return MeetingRule(weekday=weekday, week=week)


@dataclass(frozen=True)
class PosyanduDays:
    """A posyandu's rule and its exceptions: regular day → moved day (``None`` = cancelled)."""

    rule: MeetingRule | None
    exceptions: Mapping[dt.date, dt.date | None] = field(default_factory=dict)

    def _regular(self, start: dt.date, months: int) -> Iterator[dt.date]:
        if self.rule is None:
            return
        first = dt.date(start.year, start.month, 1)
        for offset in range(months + 1):
            month = add_months(first, offset)
            day = self.rule.in_month(month.year, month.month)
            if day is not None:
                yield day

    def between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Meeting days from ``start`` to ``end`` (inclusive), exceptions applied."""
        months = (end.year - start.year) * 12 + end.month - start.month + 2
        days = {day for day in self._regular(add_months(start, -1), months) if day not in self.exceptions}
        days |= {moved for moved in self.exceptions.values() if moved is not None}
        return sorted(day for day in days if start <= day <= end)

    def next_meeting(self, on_or_after: dt.date, until: dt.date | None = None) -> dt.date | None:
        """The first meeting day on or after ``on_or_after`` (and not after ``until``)."""
        end = add_months(on_or_after, SEARCH_MONTHS)
        if until is not None:
            end = min(end, until)
        if end < on_or_after:
            return None
        window = on_or_after
        while window <= end:
            chunk_end = min(add_months(window, 3), end)
            days = self.between(window, chunk_end)
            if days:
                return days[0]
            window = chunk_end + dt.timedelta(days=1)
        return None

    def is_meeting(self, day: dt.date) -> bool:
        return day in self.between(day, day)

    @property
    def known(self) -> bool:
        return self.rule is not None or any(moved for moved in self.exceptions.values())


NO_CALENDAR = PosyanduDays(rule=None)

_DATE_PAIR = re.compile(r"^(?P<first>.+?)\s+(?:ke|to|jadi|menjadi)\s+(?P<second>.+)$")


def split_move(text: str) -> tuple[str, str] | None:
    """``12-3-2026 ke 14-3-2026`` → the two dates' texts."""
    match = _DATE_PAIR.match(" ".join(text.split()))
    return (match["first"], match["second"]) if match else None
