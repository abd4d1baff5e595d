"""A child's immunization schedule: for every dose its due date, limit and status on a given day.

The schedule values are data (:mod:`flows.knowledge.immunization_schedule`); the rules here are DOMAIN.md §1:

- a dose is due at the later of its recommended age and the previous dose of its series + the minimum
  interval; while the previous dose is not given, its due date stands in for it, so a late dose pushes
  the rest of its series back;
- a dose recorded before it may count (younger than its earliest age, or sooner than the minimum interval
  after the previous dose) is flagged :class:`TooEarly` and treated as not given;
- ``given`` (counted) · ``due`` (due today or within 7 days) · ``upcoming`` (due later) · ``overdue``
  (past due, still allowed) · ``expired`` (no longer given: past its limit, due only after its limit, or
  an earlier dose of its series expired without being given, as rotavirus after 5 months).

Everything is pure: the same dates in give the same answer out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from flows.knowledge.immunization_schedule import (
    Dose,
    ImmunizationSchedule,
    Span,
    UnknownVaccine,
    add_months,
    national_schedule,
)
from messages_id import pgettext

__all__ = [
    "DUE_SOON_DAYS",
    "DoseStatus",
    "ScheduleInputError",
    "Span",
    "Status",
    "TooEarly",
    "TooEarlyReason",
    "UnknownVaccine",
    "add_months",
    "child_schedule",
    "next_due",
    "vaccine_name",
]

#: A dose due within this many days from today is ``due`` (not yet ``upcoming``).
DUE_SOON_DAYS = 7


class Status(StrEnum):
    GIVEN = "given"
    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"
    EXPIRED = "expired"


class TooEarlyReason(StrEnum):
    #: The child was younger than the dose's earliest age.
    BEFORE_EARLIEST_AGE = "before_earliest_age"
    #: Sooner than the minimum interval after the previous dose of the series.
    BEFORE_MIN_INTERVAL = "before_min_interval"


class ScheduleInputError(ValueError):
    """Dates that cannot describe a real child (a dose before birth, a birth after today, ...)."""


@dataclass(frozen=True)
class TooEarly:
    """Why a recorded dose does not count, and the first day it would have counted."""

    reason: TooEarlyReason
    counts_from: date


@dataclass(frozen=True)
class DoseStatus:
    """One dose of a child's schedule on a given day."""

    dose: Dose
    due: date
    #: The last day the dose may still be given; ``None``: no limit.
    until: date | None
    status: Status
    #: The date of the dose that counts (``None`` unless ``status`` is ``given``).
    given_on: date | None
    #: The date recorded for this dose, also when it was too early to count.
    recorded_on: date | None = None
    #: Set when the recorded dose was given too early and does not count: it must be given again.
    too_early: TooEarly | None = None

    @property
    def vaccine(self) -> str:
        return self.dose.id

    @property
    def given_after_limit(self) -> bool:
        """Counted, but given after its limit (recorded as the mother reports it)."""
        return self.given_on is not None and self.until is not None and self.given_on > self.until


def _check_inputs(
    dob: date, given: Mapping[str, date], today: date, schedule: ImmunizationSchedule
) -> dict[str, date]:
    if dob > today:
        raise ScheduleInputError(f"date of birth {dob.isoformat()} is after today ({today.isoformat()})")
    checked: dict[str, date] = {}
    for vaccine_id, given_on in given.items():
        schedule.dose(vaccine_id)  # raises UnknownVaccine
        if given_on < dob:
            raise ScheduleInputError(
                f"{vaccine_id} given on {given_on.isoformat()}, before the date of birth {dob.isoformat()}"
            )
        if given_on > today:
            raise ScheduleInputError(
                f"{vaccine_id} given on {given_on.isoformat()}, after today ({today.isoformat()})"
            )
        checked[vaccine_id] = given_on
    return checked


def _status(due: date, until: date | None, today: date) -> Status:
    if until is not None and (today > until or due > until):
        return Status.EXPIRED
    if due < today:
        return Status.OVERDUE
    if due <= today + timedelta(days=DUE_SOON_DAYS):
        return Status.DUE
    return Status.UPCOMING


def _later(first: date, second: date | None) -> date:
    return first if second is None or first >= second else second


def child_schedule(
    dob: date,
    given: Mapping[str, date],
    today: date,
    schedule: ImmunizationSchedule | None = None,
) -> list[DoseStatus]:
    """Every dose of the schedule for a child born on ``dob``, sorted by due date (ties: schedule order).

    ``given`` maps vaccine ids to the date each dose was given. Raises :class:`UnknownVaccine` for an id
    the schedule does not have and :class:`ScheduleInputError` for impossible dates.
    """
    schedule = schedule or national_schedule()
    recorded = _check_inputs(dob, given, today, schedule)
    # Per dose id: the date the next dose of the series counts from (given date, or due date standing in),
    # and the first day the dose itself could count (for judging a later dose of a series with gaps).
    anchors: dict[str, date] = {}
    first_valid: dict[str, date] = {}
    counted: dict[str, date] = {}
    lapsed: set[str] = set()  # doses expired without being given
    results: list[DoseStatus] = []
    for dose in schedule.doses:
        previous = schedule.previous(dose)
        interval_after = None
        interval_floor = None
        if previous is not None and dose.min_interval is not None:
            interval_after = dose.min_interval.after(anchors[previous.id])
            previous_reference = counted.get(previous.id, first_valid[previous.id])
            interval_floor = dose.min_interval.after(previous_reference)
        due = _later(dose.recommended.after(dob), interval_after)
        age_floor = dose.earliest.after(dob) if dose.earliest is not None else dob
        first_valid[dose.id] = _later(age_floor, interval_floor)
        until = dose.until.after(dob) if dose.until is not None else None

        recorded_on = recorded.get(dose.id)
        too_early = None
        if recorded_on is not None and recorded_on < first_valid[dose.id]:
            reason = (
                TooEarlyReason.BEFORE_EARLIEST_AGE
                if recorded_on < age_floor
                else TooEarlyReason.BEFORE_MIN_INTERVAL
            )
            too_early = TooEarly(reason, first_valid[dose.id])
        elif recorded_on is not None:
            counted[dose.id] = recorded_on

        given_on = counted.get(dose.id)
        anchors[dose.id] = given_on or due
        if given_on is not None:
            status = Status.GIVEN
        elif previous is not None and previous.id in lapsed:
            status = Status.EXPIRED  # a series does not go on once an earlier dose can no longer be given
        else:
            status = _status(due, until, today)
        if status is Status.EXPIRED:
            lapsed.add(dose.id)
        results.append(
            DoseStatus(
                dose=dose,
                due=due,
                until=until,
                status=status,
                given_on=given_on,
                recorded_on=recorded_on,
                too_early=too_early,
            )
        )
    order = {dose.id: position for position, dose in enumerate(schedule.doses)}
    return sorted(results, key=lambda result: (result.due, order[result.vaccine]))


def next_due(
    dob: date,
    given: Mapping[str, date],
    on: date,
    schedule: ImmunizationSchedule | None = None,
) -> list[DoseStatus]:
    """The doses to remind about on ``on``: ``due`` (within the next 7 days) or ``overdue``, by due date.

    ``result.due - on`` tells how many days are left (0 = today, negative = overdue).
    """
    return [
        result
        for result in child_schedule(dob, given, on, schedule)
        if result.status in (Status.DUE, Status.OVERDUE)
    ]


def vaccine_name(vaccine_id: str) -> str:
    """The Indonesian name parents know the dose by (``Polio tetes 1``); raises UnknownVaccine."""
    national_schedule().dose(vaccine_id)
    return pgettext("vaccine", vaccine_id)
