"""Growth monitoring codes of the KMS / Buku KIA: N, T, 2T, O and B, with the minimum weight gain (KBM).

Per calendar month the last weighing counts. Against the last weighing of the month before:
gain ≥ KBM for the age → **N** (naik), less → **T** (tidak naik), and T after a T → **2T**. A month with no
weighing the month before is **O**; the first weighing ever is **B** (DOMAIN.md §3, Buku KIA 2023 p. 54).

Buku KIA reads N also from the curve direction; a chat cannot see a curve, so the KBM decides every time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

N, T, T2, O, B = "N", "T", "2T", "O", "B"  # noqa: E741 - the KMS codes
#: KBM in grams by age in completed months (Buku KIA); from 11 months on 200 g. Month 0 uses month 1's.
#: Unverified: month 3 is 600 g in one local file, and the 7–10 / 11+ boundary comes from merged cells.
KBM_GRAMS = {0: 800, 1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6: 400, 7: 300, 8: 300, 9: 300, 10: 300}
KBM_FROM_11_MONTHS = 200


def kbm_grams(age_months: int) -> int:
    """The minimum weight gain for a month ending at this age (completed months)."""
    return KBM_GRAMS.get(age_months, KBM_FROM_11_MONTHS)


def completed_months(born: dt.date, on: dt.date) -> int:
    """Whole calendar months from birth to ``on``."""
    return (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


@dataclass(frozen=True)
class Weighing:
    on: dt.date
    weight_kg: float


@dataclass(frozen=True)
class Trend:
    """The code of one month's weighing and what it was decided on."""

    code: str
    on: dt.date
    weight_kg: float
    age_months: int
    previous: Weighing | None = None
    gain_g: int | None = None
    kbm_g: int | None = None


def month_trends(born: dt.date, weighings: Iterable[Weighing]) -> dict[int, Trend]:
    """Each calendar month's code (by ``month_index``), from the child's whole weighing history."""
    last_of_month: dict[int, Weighing] = {}
    for weighing in sorted(weighings, key=lambda w: w.on):
        last_of_month[month_index(weighing.on)] = weighing
    trends: dict[int, Trend] = {}
    previous_month: int | None = None
    for month in sorted(last_of_month):
        weighing = last_of_month[month]
        age = completed_months(born, weighing.on)
        if previous_month is None:
            trends[month] = Trend(B, weighing.on, weighing.weight_kg, age)
        elif previous_month != month - 1:
            trends[month] = Trend(O, weighing.on, weighing.weight_kg, age, last_of_month[previous_month])
        else:
            before = last_of_month[previous_month]
            gain = round((weighing.weight_kg - before.weight_kg) * 1000)
            kbm = kbm_grams(age)
            code = N if gain >= kbm else T
            if code == T and trends[previous_month].code in (T, T2):
                code = T2
            trends[month] = Trend(code, weighing.on, weighing.weight_kg, age, before, gain, kbm)
        previous_month = month
    return trends


def trend_of(born: dt.date, weighings: Iterable[Weighing], on: dt.date) -> Trend | None:
    """The code of the month of ``on`` (None when nothing was weighed that month)."""
    return month_trends(born, weighings).get(month_index(on))
