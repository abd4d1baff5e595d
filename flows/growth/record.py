"""Storing a child's measurement: WHO scoring, the checks that refuse mistakes, and the month's code.

A measurement is refused (never stored) when WHO Anthro flags it as implausible, when the child is five
or older, when the length is clearly less than an earlier one, or when the weight moved more than a child
can gain or lose between the two dates. The caller asks again; nothing half-right enters the history.
One measurement per child and day: a second one the same day replaces the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Child, GrowthMeasurement
from flows.knowledge.growth import (
    GrowthInputError,
    GrowthResult,
    ImplausibleMeasurement,
    Measurement,
    Position,
    Sex,
    assess,
    check_plausible,
)
from flows.knowledge.growth_trend import Trend, Weighing, trend_of

#: Length may come out this much shorter than an earlier one (measuring error); more is a mistake.
SHRINK_TOLERANCE_CM = 2.0
#: Largest believable weight gain: this much plus GAIN_PER_DAY_KG per day between the weighings.
GAIN_ALLOWANCE_KG = 0.5
GAIN_PER_DAY_KG = 0.07
#: Largest believable weight loss: this share of the earlier weight (but at least LOSS_MIN_KG).
LOSS_SHARE = 0.15
LOSS_MIN_KG = 0.3

WEIGHT, LENGTH, BOTH = "weight", "length", "both"


@dataclass(frozen=True)
class Reading:
    """What was measured, as typed (length before WHO's lying/standing correction)."""

    measured_on: dt.date
    weight_kg: float | None
    length_cm: float | None
    position: Position | None = None


class Implausible(Exception):
    """A reading refused as a likely mistake: ``field`` is what to measure or type again."""

    def __init__(self, reason: str, field: str, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field
        self.details = details


@dataclass
class Outcome:
    measurement: GrowthMeasurement
    result: GrowthResult
    trend: Trend | None
    history: list[GrowthMeasurement] = field(default_factory=list)


def sex_of(child: Child) -> Sex:
    return Sex.BOY if child.sex == "L" else Sex.GIRL


def position_of(row: GrowthMeasurement) -> Position | None:
    return Position(row.position) if row.position else None


def history(session: Session, child_id: int) -> list[GrowthMeasurement]:
    """The child's measurements, oldest first."""
    return list(
        session.scalars(
            select(GrowthMeasurement)
            .where(GrowthMeasurement.child_id == child_id)
            .order_by(GrowthMeasurement.measured_on)
        )
    )


def measurement_of(child: Child, reading: Reading) -> Measurement:
    return Measurement(
        sex=sex_of(child),
        age_days=(reading.measured_on - child.date_of_birth).days,
        weight_kg=reading.weight_kg,
        length_cm=reading.length_cm,
        position=reading.position,
    )


def _corrected_size(child: Child, row: GrowthMeasurement) -> float | None:
    if row.length_cm is None:
        return None
    reading = Reading(row.measured_on, None, row.length_cm, position_of(row))
    return assess(measurement_of(child, reading)).size_cm


def _field_of_flags(flags: tuple[str, ...]) -> str:
    """What to measure again: an implausible weight-for-age blames the weight, length-for-age the length."""
    if "wfa" in flags:
        return WEIGHT
    if "hfa" in flags:
        return LENGTH
    return BOTH


def check(child: Child, reading: Reading, earlier: list[GrowthMeasurement]) -> GrowthResult:
    """The WHO result of a reading, or ``Implausible`` (``earlier``: the child's other measurements)."""
    if reading.measured_on < child.date_of_birth:
        raise Implausible("before_birth", BOTH)
    try:
        result = check_plausible(measurement_of(child, reading))
    except ImplausibleMeasurement as error:
        age_days = (reading.measured_on - child.date_of_birth).days
        if age_days / 30.4375 >= 60:
            raise Implausible("too_old", BOTH) from error
        flags = assess(measurement_of(child, reading)).flags
        raise Implausible("who_flag", _field_of_flags(flags), flags=flags) from error
    except GrowthInputError as error:
        raise Implausible("not_a_size", BOTH) from error
    others = [row for row in earlier if row.measured_on != reading.measured_on]
    before = [row for row in others if row.measured_on < reading.measured_on]
    after = [row for row in others if row.measured_on > reading.measured_on]
    if result.size_cm is not None:
        for row, later in ((before[-1] if before else None, False), (after[0] if after else None, True)):
            size = _corrected_size(child, row) if row is not None else None
            if row is None or size is None:
                continue
            shorter_by = (result.size_cm - size) if later else (size - result.size_cm)
            if shorter_by > SHRINK_TOLERANCE_CM:
                raise Implausible("length_shrank", LENGTH, other=row.length_cm, on=row.measured_on)
    if reading.weight_kg is not None:
        weighed = [row for row in before if row.weight_kg is not None]
        if weighed:
            last = weighed[-1]
            assert last.weight_kg is not None
            days = (reading.measured_on - last.measured_on).days
            change = reading.weight_kg - last.weight_kg
            if change > GAIN_ALLOWANCE_KG + GAIN_PER_DAY_KG * days:
                raise Implausible("weight_jump", WEIGHT, other=last.weight_kg, on=last.measured_on)
            if -change > max(LOSS_MIN_KG, LOSS_SHARE * last.weight_kg):
                raise Implausible("weight_drop", WEIGHT, other=last.weight_kg, on=last.measured_on)
    return result


def save(
    session: Session,
    child: Child,
    reading: Reading,
    *,
    source: str,
    recorded_by: int | None,
    posyandu_id: int | None,
) -> Outcome:
    """Check, then store (replacing the same day's measurement); raises ``Implausible``."""
    rows = history(session, child.id)
    result = check(child, reading, rows)
    row = next((r for r in rows if r.measured_on == reading.measured_on), None)
    if row is None:
        row = GrowthMeasurement(child_id=child.id, measured_on=reading.measured_on)
        session.add(row)
        rows.append(row)
        rows.sort(key=lambda r: r.measured_on)
    row.weight_kg = reading.weight_kg
    row.length_cm = reading.length_cm
    row.position = reading.position.value if reading.position else None
    row.source = source
    row.recorded_by = recorded_by
    row.posyandu_id = posyandu_id
    row.wfa_z, row.hfa_z, row.wfh_z, row.bmi_z = result.wfa_z, result.hfa_z, result.wfh_z, result.bmi_z
    session.flush()
    trend = None
    if reading.weight_kg is not None:
        trend = trend_of(child.date_of_birth, weighings(rows), reading.measured_on)
    return Outcome(measurement=row, result=result, trend=trend, history=rows)


def weighings(rows: list[GrowthMeasurement]) -> list[Weighing]:
    return [Weighing(row.measured_on, row.weight_kg) for row in rows if row.weight_kg is not None]


def trend_of_row(child: Child, rows: list[GrowthMeasurement], row: GrowthMeasurement) -> Trend | None:
    """The month's code of a stored measurement, from the child's whole history (None without a weight)."""
    if row.weight_kg is None:
        return None
    return trend_of(child.date_of_birth, weighings(rows), row.measured_on)
