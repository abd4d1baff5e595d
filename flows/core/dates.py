"""Dates typed the way Indonesians type them: ``12-3-2024``, ``12/03/24``, ``12 Maret 2024``, ``12 mar 24``.

Why not a general date parser: a mother who types ``31-02-2024`` must hear *why* it is wrong (February
has no 31st), and a two-digit year must be echoed back for confirmation; general parsers answer
"nothing" or silently guess. The forms here are the ones DOMAIN.md §8 lists, all day-month-year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "januari": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "febuari": 2, "febr": 2,
    "maret": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4, "aprl": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agst": 8, "aug": 8, "agus": 8,
    "september": 9, "sep": 9, "sept": 9, "sepember": 9,
    "oktober": 10, "okt": 10, "oct": 10, "oktb": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "desemb": 12,
}  # fmt: skip

RELATIVE_DAYS = {
    "hari ini": 0,
    "tadi": 0,
    "td": 0,
    "kemarin": -1,
    "kemaren": -1,
    "kmrn": -1,
    "kmarin": -1,
    "kemarin lusa": -2,
    "besok": 1,
    "bsk": 1,
    "lusa": 2,
}

FILLER_WORDS = re.compile(r"\b(tanggal|tgl|tg|lahir|lahirnya|pada|tahun|thn|th|bulan|bln|hari|hr)\b\.?")
NUMERIC = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2}|\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
WITH_MONTH_NAME = re.compile(r"^(\d{1,2})\s*[-/. ]?\s*([a-z]+)\.?\s*[-/. ]?\s*(\d{2}|\d{4})?$")


class DateError(ValueError):
    """A typed date that cannot be used; ``reason`` says why (for a precise reply)."""

    UNREADABLE = "unreadable"
    NO_SUCH_DAY = "no_such_day"
    NO_SUCH_MONTH = "no_such_month"
    IN_FUTURE = "in_future"
    IN_PAST = "in_past"

    def __init__(self, reason: str, *, year: int | None = None, month: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.year = year
        self.month = month

    @property
    def days_in_month(self) -> int | None:
        if self.year is None or self.month is None:
            return None
        return calendar.monthrange(self.year, self.month)[1]


@dataclass(frozen=True)
class ParsedDate:
    value: dt.date
    #: The year was typed with two digits or left out: confirm it with the user.
    year_guessed: bool = False
    #: No year was typed at all (``12 maret``): this year was assumed.
    year_missing: bool = False


def _expand_year(two_digits: int, today: dt.date) -> int:
    """``24`` → 2024; a year more than one year ahead of today is taken as last century."""
    year = 2000 + two_digits
    return year if year <= today.year + 1 else year - 100


def _build(day: int, month: int, year: int) -> dt.date:
    if not 1 <= month <= 12:
        raise DateError(DateError.NO_SUCH_MONTH)
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise DateError(DateError.NO_SUCH_DAY, year=year, month=month)
    return dt.date(year, month, day)


def _month_from_word(word: str) -> int | None:
    if word in MONTHS:
        return MONTHS[word]
    # A typo in a long month name ("nopembe", "desmber"): the unique name sharing its first 3 letters.
    candidates = {number for name, number in MONTHS.items() if len(name) > 4 and name[:3] == word[:3]}
    return candidates.pop() if len(word) >= 4 and len(candidates) == 1 else None


def parse_date(text: str, today: dt.date) -> ParsedDate:
    """Read one date; raises :class:`DateError` with the reason when it cannot."""
    words = " ".join(re.sub(r"[,!?]", " ", text.lower()).split()).strip(" .")
    if words in RELATIVE_DAYS:
        return ParsedDate(today + dt.timedelta(days=RELATIVE_DAYS[words]))
    cleaned = " ".join(FILLER_WORDS.sub(" ", words).split()).strip(" .")
    if match := ISO.match(cleaned):
        year, month, day = (int(g) for g in match.groups())
        return ParsedDate(_build(day, month, year))
    if match := NUMERIC.match(cleaned):
        day, month, year_text = int(match[1]), int(match[2]), match[3]
        year = int(year_text) if len(year_text) == 4 else _expand_year(int(year_text), today)
        return ParsedDate(_build(day, month, year), year_guessed=len(year_text) == 2)
    if match := WITH_MONTH_NAME.match(cleaned):
        month_number = _month_from_word(match[2])
        if month_number is None:
            raise DateError(DateError.UNREADABLE)
        day, year_text = int(match[1]), match[3]
        if year_text is None:
            return ParsedDate(_build(day, month_number, today.year), year_guessed=True, year_missing=True)
        year = int(year_text) if len(year_text) == 4 else _expand_year(int(year_text), today)
        return ParsedDate(_build(day, month_number, year), year_guessed=len(year_text) == 2)
    raise DateError(DateError.UNREADABLE)


def parse_past_date(text: str, today: dt.date, *, oldest: dt.date | None = None) -> ParsedDate:
    """A date that has already happened (a birthday, a dose given); a missing year means the last one."""
    parsed = parse_date(text, today)
    value = parsed.value
    if value > today and parsed.year_missing and not (value.month == 2 and value.day == 29):
        value = value.replace(year=value.year - 1)
    if value > today:
        raise DateError(DateError.IN_FUTURE)
    if oldest is not None and value < oldest:
        raise DateError(DateError.IN_PAST)
    return ParsedDate(value, parsed.year_guessed, parsed.year_missing)
