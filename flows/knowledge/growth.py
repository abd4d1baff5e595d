"""WHO growth z-scores for children under five, computed exactly as WHO Anthro, with Permenkes 2/2020 statuses.

``assess(Measurement(...))`` gives weight-for-age (WAZ), length/height-for-age (HAZ), weight-for-length/height
(WHZ) and BMI-for-age (BAZ) z-scores, rounded to 2 decimals as WHO Anthro reports them, with plausibility
flags and operator warnings. The rules follow WHO's ``anthro`` R package (see DOMAIN.md §3):

- age in days rounded half up; nothing is scored from 60 months (day 1827) on;
- a standing measurement under 9 months is ignored as a position; otherwise length + 0.7 cm when a child
  under 731 days stood, height − 0.7 cm when a child of 731 days or more lay down;
- HAZ is plain LMS; WAZ, WHZ and BAZ use WHO's restricted formula beyond ±3 SD;
- WHZ is weight-for-length under 731 days and weight-for-height from 731 days, on the corrected size,
  only inside the table (45–110 cm, 65–120 cm); oedema leaves the weight-based z-scores empty.

Statuses are decided on the rounded z-score, the number an operator sees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from flows.knowledge.growth_tables import DAYS_PER_MONTH, LAST_AGE_DAY, Lms, Sex, Table, lms_table

__all__ = [
    "CurveIndex",
    "GrowthInputError",
    "GrowthResult",
    "ImplausibleMeasurement",
    "Index",
    "Measurement",
    "Position",
    "SdCurves",
    "Sex",
    "age_in_days",
    "assess",
    "check_plausible",
    "hfa_status",
    "sd_curves",
    "wfa_status",
    "wfh_status",
]

Index = Literal["wfa", "hfa", "wfh", "bmi"]
CurveIndex = Literal["wfa", "hfa", "bmi", "wfl", "wfh"]

#: Children under this age (in days) are measured lying down; from it on, standing.
HEIGHT_FROM_DAY = 731
#: A standing measurement below this age in months is not accepted as a position (WHO Anthro).
STANDING_FROM_MONTHS = 9
#: Correction between recumbent length and standing height.
POSITION_CORRECTION_CM = 0.7
#: Sizes covered by the weight-for-length and weight-for-height tables.
WFL_RANGE_CM = (45.0, 110.0)
WFH_RANGE_CM = (65.0, 120.0)

_INDEX_NAMES: dict[Index, str] = {
    "wfa": "weight-for-age",
    "hfa": "length/height-for-age",
    "wfh": "weight-for-length/height",
    "bmi": "BMI-for-age",
}
#: WHO Anthro's plausibility limits on the (rounded) z-score: (lowest, highest) plausible value.
_PLAUSIBLE_Z: dict[Index, tuple[float, float]] = {
    "wfa": (-6.0, 5.0),
    "hfa": (-6.0, 6.0),
    "wfh": (-5.0, 5.0),
    "bmi": (-5.0, 5.0),
}


class GrowthInputError(ValueError):
    """A measurement that cannot be scored; the message says what is wrong, in plain words."""


class ImplausibleMeasurement(GrowthInputError):
    """A measurement that can be scored but is almost certainly a measuring or typing mistake."""


class Position(StrEnum):
    """How the child was measured."""

    RECUMBENT = "recumbent"
    STANDING = "standing"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Measurement:
    """One visit's measurement of one child. Weight or length may be missing (their indices stay empty)."""

    sex: Sex
    age_days: float
    weight_kg: float | None = None
    length_cm: float | None = None
    position: Position | None = None
    oedema: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.sex, Sex):
            raise GrowthInputError(f"sex must be boy or girl, got {self.sex!r}")
        if not _is_number(self.age_days):
            raise GrowthInputError(f"age in days must be a number, got {self.age_days!r}")
        if self.age_days < 0:
            raise GrowthInputError(f"age cannot be negative, got {self.age_days} days")
        for name, value, unit in (("weight", self.weight_kg, "kg"), ("length", self.length_cm, "cm")):
            if value is None:
                continue
            if not _is_number(value):
                raise GrowthInputError(f"{name} must be a number in {unit}, got {value!r}")
            if value <= 0:
                raise GrowthInputError(f"{name} must be more than 0 {unit}, got {value}")
        if self.position is not None and not isinstance(self.position, Position):
            raise GrowthInputError(f"position must be recumbent or standing, got {self.position!r}")
        if not isinstance(self.oedema, bool):
            raise GrowthInputError(f"oedema must be true or false, got {self.oedema!r}")


@dataclass(frozen=True)
class GrowthResult:
    """The z-scores (rounded to 2 decimals; None where WHO gives none), flags and warnings of one measurement."""

    age_days: int
    size_cm: float | None
    bmi: float | None
    wfa_z: float | None
    hfa_z: float | None
    wfh_z: float | None
    bmi_z: float | None
    flags: tuple[Index, ...] = ()
    warnings: tuple[str, ...] = ()

    def z(self, index: Index) -> float | None:
        """The z-score of one index by its short name."""
        return {"wfa": self.wfa_z, "hfa": self.hfa_z, "wfh": self.wfh_z, "bmi": self.bmi_z}[index]

    @property
    def wfa_status(self) -> str | None:
        return wfa_status(self.wfa_z)

    @property
    def hfa_status(self) -> str | None:
        return hfa_status(self.hfa_z)

    @property
    def wfh_status(self) -> str | None:
        return wfh_status(self.wfh_z)


def hfa_status(z: float | None) -> str | None:
    """Length/height-for-age category (Permenkes 2/2020)."""
    if z is None:
        return None
    if z < -3:
        return "sangat_pendek"
    if z < -2:
        return "pendek"
    if z <= 3:
        return "normal"
    return "tinggi"


def wfa_status(z: float | None) -> str | None:
    """Weight-for-age category (Permenkes 2/2020)."""
    if z is None:
        return None
    if z < -3:
        return "bb_sangat_kurang"
    if z < -2:
        return "bb_kurang"
    if z <= 1:
        return "bb_normal"
    return "risiko_bb_lebih"


def wfh_status(z: float | None) -> str | None:
    """Weight-for-length/height category (Permenkes 2/2020)."""
    if z is None:
        return None
    if z < -3:
        return "gizi_buruk"
    if z < -2:
        return "gizi_kurang"
    if z <= 1:
        return "gizi_baik"
    if z <= 2:
        return "berisiko_gizi_lebih"
    if z <= 3:
        return "gizi_lebih"
    return "obesitas"


def age_in_days(born: date, measured: date) -> int:
    """Whole days from birth to the measurement date."""
    if measured < born:
        raise GrowthInputError(f"measurement date {measured.isoformat()} is before birth {born.isoformat()}")
    return (measured - born).days


def _round_half_up(value: float) -> int:
    whole = math.floor(value)
    return whole + 1 if value - whole >= 0.5 else whole


def _round_z(z: float | None) -> float | None:
    if z is None or not math.isfinite(z):
        return None
    return round(z, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _corrected_size(age_days: int, position: Position | None, length_cm: float) -> float:
    if position is Position.STANDING and age_days < HEIGHT_FROM_DAY:
        return length_cm + POSITION_CORRECTION_CM
    if position is Position.RECUMBENT and age_days >= HEIGHT_FROM_DAY:
        return length_cm - POSITION_CORRECTION_CM
    return length_cm


def _age_z(table: Table, sex: Sex, age_days: int, value: float, *, restricted: bool) -> float | None:
    lms = lms_table(table, sex).at_age(age_days)
    if lms is None:
        return None
    return lms.z_restricted(value) if restricted else lms.z(value)


def _wfh_z(sex: Sex, age_days: int, size_cm: float, weight_kg: float, warnings: list[str]) -> float | None:
    lying = age_days < HEIGHT_FROM_DAY
    table = Table.WEIGHT_FOR_LENGTH if lying else Table.WEIGHT_FOR_HEIGHT
    low, high = WFL_RANGE_CM if lying else WFH_RANGE_CM
    what = "length" if lying else "height"
    lms: Lms | None = None
    if low <= size_cm <= high:
        lms = lms_table(table, sex).at_size(size_cm)
    if lms is None:
        warnings.append(
            f"The {what} used, {size_cm:.1f} cm, is outside the weight-for-{what} table "
            f"({low:g} to {high:g} cm): no weight-for-{what} z-score."
        )
        return None
    return lms.z_restricted(weight_kg)


def _flags(scores: dict[Index, float | None], warnings: list[str]) -> tuple[Index, ...]:
    flagged: list[Index] = []
    for index, z in scores.items():
        low, high = _PLAUSIBLE_Z[index]
        if z is not None and not low <= z <= high:
            flagged.append(index)
            warnings.append(
                f"{_INDEX_NAMES[index]} z-score {z:+.2f} is beyond WHO's plausibility limits "
                f"({low:+g} to {high:+g}): check the data and re-measure the child."
            )
    return tuple(flagged)


def assess(measurement: Measurement) -> GrowthResult:
    """The WHO z-scores, flags and warnings of one measurement (see the module docstring for the rules)."""
    sex = measurement.sex
    age_days = _round_half_up(measurement.age_days)
    age_months = measurement.age_days / DAYS_PER_MONTH  # unrounded, as WHO Anthro
    warnings: list[str] = []

    position = measurement.position
    if position is Position.STANDING and age_months < STANDING_FROM_MONTHS:
        position = None
        warnings.append(
            "Measured standing under 9 months: the position is ignored and the length is used as measured; "
            "children this young should be measured lying down."
        )
    size_cm = None
    if measurement.length_cm is not None:
        size_cm = _corrected_size(age_days, position, measurement.length_cm)
    weight = measurement.weight_kg
    bmi = weight / ((size_cm / 100) ** 2) if weight is not None and size_cm is not None else None

    scores: dict[Index, float | None] = {"wfa": None, "hfa": None, "wfh": None, "bmi": None}
    if not (age_months < 60 and age_days <= LAST_AGE_DAY):
        warnings.append(
            f"Age {measurement.age_days:g} days is 60 months or more: the WHO Child Growth Standards score "
            "children under 60 months only, so no z-score is given."
        )
        return GrowthResult(age_days, size_cm, bmi, None, None, None, None, (), tuple(warnings))

    if size_cm is not None:
        scores["hfa"] = _age_z(Table.LENGTH_FOR_AGE, sex, age_days, size_cm, restricted=False)
    if measurement.oedema:
        if weight is not None:
            warnings.append(
                "Bilateral oedema: weight-for-age, weight-for-length/height and BMI-for-age are not scored "
                "(as in WHO Anthro); the child needs a health worker's assessment today."
            )
    elif weight is not None:
        scores["wfa"] = _age_z(Table.WEIGHT_FOR_AGE, sex, age_days, weight, restricted=True)
        if size_cm is not None and bmi is not None:
            scores["wfh"] = _wfh_z(sex, age_days, size_cm, weight, warnings)
            scores["bmi"] = _age_z(Table.BMI_FOR_AGE, sex, age_days, bmi, restricted=True)

    rounded: dict[Index, float | None] = {index: _round_z(z) for index, z in scores.items()}
    flags = _flags(rounded, warnings)
    return GrowthResult(
        age_days=age_days,
        size_cm=size_cm,
        bmi=bmi,
        wfa_z=rounded["wfa"],
        hfa_z=rounded["hfa"],
        wfh_z=rounded["wfh"],
        bmi_z=rounded["bmi"],
        flags=flags,
        warnings=tuple(warnings),
    )


def check_plausible(measurement: Measurement) -> GrowthResult:
    """Assess a measurement a chat flow is about to store, refusing what is surely a mistake.

    Raises ``ImplausibleMeasurement`` for a child of 60 months or more (the standards stop there) and for
    any z-score beyond WHO's plausibility limits (e.g. 20 cm at one year); ``GrowthInputError`` (from
    ``Measurement``) already covers a weight or length of 0 or less and a negative age.
    """
    if measurement.age_days / DAYS_PER_MONTH >= 60:
        raise ImplausibleMeasurement(
            f"age {measurement.age_days:g} days is 60 months or more: growth is scored for children under five"
        )
    result = assess(measurement)
    if result.flags:
        problems = ", ".join(
            f"{_INDEX_NAMES[index]} z-score {result.z(index):+.2f}" for index in result.flags
        )
        sizes = [
            f"{label} {value:g} {unit}"
            for label, value, unit in (
                ("weight", measurement.weight_kg, "kg"),
                ("length", measurement.length_cm, "cm"),
            )
            if value is not None
        ]
        raise ImplausibleMeasurement(
            f"{' and '.join(sizes)} at {result.age_days} days is not plausible ({problems}); "
            "check the numbers and re-measure"
        )
    return result


@dataclass(frozen=True)
class SdCurves:
    """The -3..+3 SD lines of one index for one sex, for drawing a growth chart.

    ``x`` is age in days (wfa, hfa, bmi) or length/height in cm (wfl, wfh); ``lines[k][i]`` is the
    measurement k SD from the median at ``x[i]`` (kg, cm, or kg/m²).
    """

    index: CurveIndex
    sex: Sex
    x_unit: Literal["days", "cm"]
    x: tuple[float, ...]
    lines: dict[int, tuple[float, ...]]


_CURVE_TABLES: dict[CurveIndex, Table] = {
    "wfa": Table.WEIGHT_FOR_AGE,
    "hfa": Table.LENGTH_FOR_AGE,
    "bmi": Table.BMI_FOR_AGE,
    "wfl": Table.WEIGHT_FOR_LENGTH,
    "wfh": Table.WEIGHT_FOR_HEIGHT,
}


def sd_curves(index: CurveIndex, sex: Sex) -> SdCurves:
    """The SD lines -3..+3 of an index over its whole table (days 0–1826, or 45–110 / 65–120 cm)."""
    table = lms_table(_CURVE_TABLES[index], sex)
    keys = table.keys
    rows = [table.rows[key] for key in keys]
    by_size = table.table.by_size
    x = tuple(key / 10 if by_size else float(key) for key in keys)
    lines = {k: tuple(lms.value_at(k) for lms in rows) for k in range(-3, 4)}
    return SdCurves(index=index, sex=sex, x_unit="cm" if by_size else "days", x=x, lines=lines)
