"""The WHO Child Growth Standards 2006 LMS tables and the LMS arithmetic on them.

The tables ship as package data in ``flows/data/who/`` (byte-identical to WHO's ``anthro`` package data;
attribution and terms in its SOURCE.md). They are parsed once, on first use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum, IntEnum
from functools import cache
from pathlib import Path

#: Where the WHO tables ship (a plain path: works for source trees, wheels and editable installs alike).
WHO_DATA_DIR = Path(__file__).with_name("data") / "who"
#: Days per month used by WHO Anthro to convert between months and days.
DAYS_PER_MONTH = 30.4375
#: The last tabulated (and scored) day of age: 60 months exclusive.
LAST_AGE_DAY = 1826


class Sex(IntEnum):
    """Sex as coded in the WHO tables (1 = boy, 2 = girl)."""

    BOY = 1
    GIRL = 2


class Table(Enum):
    """One WHO table: its file and whether it is indexed by age (days) or by size (cm)."""

    LENGTH_FOR_AGE = ("lenanthro.txt", "age")
    WEIGHT_FOR_AGE = ("weianthro.txt", "age")
    BMI_FOR_AGE = ("bmianthro.txt", "age")
    WEIGHT_FOR_LENGTH = ("wflanthro.txt", "size")
    WEIGHT_FOR_HEIGHT = ("wfhanthro.txt", "size")

    @property
    def file_name(self) -> str:
        return self.value[0]

    @property
    def by_size(self) -> bool:
        return self.value[1] == "size"


@dataclass(frozen=True)
class Lms:
    """Box-Cox power (L), median (M) and coefficient of variation (S) at one point of a table."""

    l: float  # noqa: E741 - the LMS method's own name
    m: float
    s: float

    def z(self, y: float) -> float:
        """The plain LMS z-score of measurement ``y``."""
        if self.l == 0:
            return math.log(y / self.m) / self.s
        return ((y / self.m) ** self.l - 1) / (self.s * self.l)

    def value_at(self, z: float) -> float:
        """The measurement lying exactly ``z`` standard deviations from the median (an SD curve point)."""
        if self.l == 0:
            return self.m * math.exp(self.s * z)
        return self.m * (1 + self.l * self.s * z) ** (1 / self.l)

    def z_restricted(self, y: float) -> float:
        """WHO's restricted z-score: beyond ±3 SD, distances are measured in units of the 2–3 SD gap."""
        z = self.z(y)
        if z > 3:
            sd3 = self.value_at(3)
            return 3 + (y - sd3) / (sd3 - self.value_at(2))
        if z < -3:
            sd3 = self.value_at(-3)
            return -3 + (y - sd3) / (self.value_at(-2) - sd3)
        return z


@dataclass(frozen=True)
class LmsTable:
    """The rows of one table for one sex, keyed by day of age or by size in tenths of a cm."""

    table: Table
    sex: Sex
    rows: dict[int, Lms]

    @property
    def keys(self) -> list[int]:
        return sorted(self.rows)

    def at_age(self, age_days: int) -> Lms | None:
        """The row of that (whole) day of age, or None outside the table."""
        return self.rows.get(age_days)

    def at_size(self, size_cm: float) -> Lms | None:
        """L, M and S at a length/height, interpolated linearly between the 0.1 cm rows.

        Exactly as WHO's ``anthro`` does it, in binary floating point: lower row trunc(10x)/10, upper row
        trunc(10x + 1)/10, fraction (x − lower)/0.1; no interpolation when the fraction is 0.
        """
        lower_key = math.trunc(size_cm * 10)
        upper_key = math.trunc(size_cm * 10 + 1)
        fraction = (size_cm - lower_key / 10) / 0.1
        lower = self.rows.get(lower_key)
        if lower is None:
            return None
        if not fraction > 0:
            return lower
        upper = self.rows.get(upper_key)
        if upper is None:
            return None
        return Lms(
            l=lower.l + fraction * (upper.l - lower.l),
            m=lower.m + fraction * (upper.m - lower.m),
            s=lower.s + fraction * (upper.s - lower.s),
        )


def _read_rows(table: Table) -> dict[Sex, dict[int, Lms]]:
    text = (WHO_DATA_DIR / table.file_name).read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[0].split("\t")
    key_column = 1  # age, length or height
    columns = {name: header.index(name) for name in ("sex", "l", "m", "s")}
    rows: dict[Sex, dict[int, Lms]] = {Sex.BOY: {}, Sex.GIRL: {}}
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = line.split("\t")
        key_value = float(cells[key_column])
        key = round(key_value * 10) if table.by_size else int(key_value)
        rows[Sex(int(cells[columns["sex"]]))][key] = Lms(
            l=float(cells[columns["l"]]), m=float(cells[columns["m"]]), s=float(cells[columns["s"]])
        )
    return rows


@cache
def _all_rows(table: Table) -> dict[Sex, dict[int, Lms]]:
    return _read_rows(table)


def lms_table(table: Table, sex: Sex) -> LmsTable:
    """One table for one sex (loaded once per process)."""
    return LmsTable(table=table, sex=sex, rows=_all_rows(table)[sex])
