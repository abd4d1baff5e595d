"""The national immunization schedule as data: calendar spans, doses, and the loader of the YAML table.

The values live in ``flows/data/immunization_schedule.yaml`` (DOMAIN.md §1); this module only knows
how to read them and how calendar ages are counted:

- "N months" is the same day of the month N months later, or that month's last day when it has no
  such day (born 31 January → 1 month = 28/29 February; born 29 February 2024 → 12 months = 28 February 2025);
- "N weeks" is 7·N days;
- "N months − 1 day" is the day before age N months.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

#: The national (Kemenkes) schedule that ships with the project.
SCHEDULE_PATH = Path(__file__).with_name("data") / "immunization_schedule.yaml"

_DOSE_FIELDS = {
    "id",
    "series",
    "dose",
    "recommended",
    "earliest",
    "min_interval",
    "until",
    "unverified",
    "source",
}
_SPAN_FIELDS = ("months", "weeks", "days")


class ScheduleDataError(ValueError):
    """The schedule file is malformed (a mistake of whoever edited it, not of the user)."""


class UnknownVaccine(ValueError):
    """A vaccine id that the schedule does not have."""

    def __init__(self, vaccine_id: str, known: tuple[str, ...]) -> None:
        super().__init__(f"unknown vaccine id {vaccine_id!r}; known ids: {' '.join(known)}")
        self.vaccine_id = vaccine_id


def add_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later, or the last day of that month if it is shorter."""
    month_index = start.year * 12 + start.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Span:
    """A calendar span: whole months first (calendar-wise), then weeks of 7 days, then days (may be < 0)."""

    months: int = 0
    weeks: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        """The date this span after ``start``: an age when ``start`` is the date of birth."""
        return add_months(start, self.months) + timedelta(days=7 * self.weeks + self.days)

    def __str__(self) -> str:
        """``2 months``, ``6 weeks``, ``59 months - 1 day``."""
        terms = [
            (amount, unit)
            for unit, amount in zip(_SPAN_FIELDS, (self.months, self.weeks, self.days), strict=True)
            if amount
        ]
        if not terms:
            return "0 days"
        text = ""
        for position, (amount, unit) in enumerate(terms):
            word = f"{abs(amount)} {unit if abs(amount) != 1 else unit[:-1]}"
            if position == 0:
                text += ("-" if amount < 0 else "") + word
            else:
                text += (" - " if amount < 0 else " + ") + word
        return text


@dataclass(frozen=True)
class Dose:
    """One dose of the schedule (ages and intervals as calendar spans)."""

    id: str
    series: str
    number: int
    #: Age at which the dose is due.
    recommended: Span
    #: Youngest age at which the dose counts; ``None``: no age limit of its own (the interval applies).
    earliest: Span | None
    #: Shortest span after the previous dose of the series; ``None`` for a first dose.
    min_interval: Span | None
    #: Last age at which the dose may still be given (catch-up limit); ``None``: no limit.
    until: Span | None
    #: Fields whose value has no primary source (DOMAIN.md "unverified"); kept configurable.
    unverified: frozenset[str]
    source: str


@dataclass(frozen=True)
class ImmunizationSchedule:
    """The doses in schedule order; each series' doses appear in order of their number."""

    doses: tuple[Dose, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(dose.id for dose in self.doses)

    def dose(self, vaccine_id: str) -> Dose:
        for dose in self.doses:
            if dose.id == vaccine_id:
                return dose
        raise UnknownVaccine(vaccine_id, self.ids)

    def previous(self, dose: Dose) -> Dose | None:
        """The dose before ``dose`` in its series, or ``None`` for the first dose."""
        for other in self.doses:
            if other.series == dose.series and other.number == dose.number - 1:
                return other
        return None


def _span(value: Any, where: str, *, optional: bool) -> Span | None:
    if value is None:
        if optional:
            return None
        raise ScheduleDataError(f"{where} is required")
    if not isinstance(value, Mapping) or not value or set(value) - set(_SPAN_FIELDS):
        raise ScheduleDataError(f"{where} must be a mapping of months/weeks/days, got {value!r}")
    if not all(isinstance(amount, int) and not isinstance(amount, bool) for amount in value.values()):
        raise ScheduleDataError(f"{where} must use whole numbers, got {value!r}")
    return Span(**{str(key): int(amount) for key, amount in value.items()})


def _dose(entry: Any, position: int) -> Dose:
    if not isinstance(entry, Mapping):
        raise ScheduleDataError(f"dose #{position} must be a mapping")
    name = entry.get("id", f"#{position}")
    extra = set(entry) - _DOSE_FIELDS
    if extra:
        raise ScheduleDataError(f"dose {name}: unknown fields {sorted(extra)}")
    for required in ("id", "series", "dose", "source"):
        if not entry.get(required):
            raise ScheduleDataError(f"dose {name}: {required} is required")
    unverified = frozenset(entry.get("unverified") or ())
    if unverified - _DOSE_FIELDS:
        raise ScheduleDataError(f"dose {name}: unverified names unknown fields {sorted(unverified)}")
    recommended = _span(entry.get("recommended"), f"dose {name}: recommended", optional=False)
    assert recommended is not None
    return Dose(
        id=str(entry["id"]),
        series=str(entry["series"]),
        number=int(entry["dose"]),
        recommended=recommended,
        earliest=_span(entry.get("earliest"), f"dose {name}: earliest", optional=True),
        min_interval=_span(entry.get("min_interval"), f"dose {name}: min_interval", optional=True),
        until=_span(entry.get("until"), f"dose {name}: until", optional=True),
        unverified=unverified,
        source=str(entry["source"]),
    )


def _check_series(doses: tuple[Dose, ...]) -> None:
    seen_ids: set[str] = set()
    last_number: dict[str, int] = {}
    for dose in doses:
        if dose.id in seen_ids:
            raise ScheduleDataError(f"dose {dose.id} appears twice")
        seen_ids.add(dose.id)
        expected = last_number.get(dose.series, 0) + 1
        if dose.number != expected:
            raise ScheduleDataError(f"dose {dose.id}: series {dose.series} expects dose {expected} here")
        last_number[dose.series] = dose.number
        if dose.number == 1 and dose.min_interval is not None:
            raise ScheduleDataError(f"dose {dose.id}: a first dose has no interval after a previous one")


def parse_schedule(document: Any) -> ImmunizationSchedule:
    """Build and check a schedule from the parsed YAML document."""
    if not isinstance(document, Mapping) or not isinstance(document.get("doses"), list):
        raise ScheduleDataError("the schedule must be a mapping with a list under 'doses'")
    doses = tuple(_dose(entry, position) for position, entry in enumerate(document["doses"], start=1))
    _check_series(doses)
    return ImmunizationSchedule(doses)


def load_schedule(path: Path) -> ImmunizationSchedule:
    """Read a schedule file (the YAML format of ``flows/data/immunization_schedule.yaml``)."""
    with path.open(encoding="utf-8") as handle:
        return parse_schedule(yaml.safe_load(handle))


@cache
def national_schedule() -> ImmunizationSchedule:
    """The Kemenkes programme schedule shipped with the project (read once)."""
    return load_schedule(SCHEDULE_PATH)
