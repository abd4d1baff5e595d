"""The posyandu's monthly growth report: SKDN (with N, T, 2T, O, B and BGM), stunting and wasting, and the
children to follow up, from the growth records.

- **S** children under five whose mother belongs to the posyandu (born by the month's end, under 60
  months at its start); **K** those with a growth record (the bot's record stands in for the KMS/Buku KIA
  card, which it cannot see); **D** those weighed in the month (posyandu, kader, import or the mother);
  **N / T / 2T / O / B** the month's codes (``flows.knowledge.growth_trend``); **BGM** weighed below −3 SD
  weight-for-age.
- Stunting: the month's last length/height with length/height-for-age < −2 SD (severe < −3), over the
  children measured for length that month; wasting likewise on weight-for-length/height.
- Follow-up: T, 2T, BGM, stunted or wasted this month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Child, Contact, GrowthMeasurement
from flows.growth.words import RED_LINE_Z
from flows.knowledge.growth_trend import (
    T2,
    B,
    N,
    O,
    T,
    Trend,
    Weighing,
    completed_months,
    month_index,
    month_trends,
)

MAX_MONTHS = 60


@dataclass
class ChildLine:
    """One child's line in the month (the CSV row)."""

    child_id: int
    name: str
    sex: str
    born: dt.date
    age_months: int
    mother: str
    phone: str
    weighed_on: dt.date | None = None
    weight_kg: float | None = None
    length_cm: float | None = None
    code: str | None = None
    wfa_z: float | None = None
    hfa_z: float | None = None
    wfh_z: float | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def follow_up(self) -> bool:
        return bool(self.reasons)


@dataclass
class GrowthMonth:
    period: dt.date
    s: int = 0
    k: int = 0
    d: int = 0
    codes: dict[str, int] = field(default_factory=lambda: {N: 0, T: 0, T2: 0, O: 0, B: 0})
    bgm: int = 0
    measured_length: int = 0
    stunted: int = 0
    severely_stunted: int = 0
    measured_wfh: int = 0
    wasted: int = 0
    severely_wasted: int = 0
    children: list[ChildLine] = field(default_factory=list)

    @staticmethod
    def _percent(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def stunting_percent(self) -> float | None:
        return self._percent(self.stunted, self.measured_length)

    @property
    def wasting_percent(self) -> float | None:
        return self._percent(self.wasted, self.measured_wfh)

    @property
    def d_over_s(self) -> float | None:
        return self._percent(self.d, self.s)

    @property
    def n_over_d(self) -> float | None:
        return self._percent(self.codes[N], self.d)

    @property
    def follow_up(self) -> list[ChildLine]:
        return [line for line in self.children if line.follow_up]

    def as_json(self) -> dict[str, Any]:
        return {
            "month": f"{self.period:%Y-%m}",
            "S": self.s,
            "K": self.k,
            "D": self.d,
            **{code: count for code, count in self.codes.items()},
            "BGM": self.bgm,
            "D/S %": self.d_over_s,
            "N/D %": self.n_over_d,
            "measured_length": self.measured_length,
            "stunted": self.stunted,
            "severely_stunted": self.severely_stunted,
            "stunting %": self.stunting_percent,
            "measured_wfh": self.measured_wfh,
            "wasted": self.wasted,
            "severely_wasted": self.severely_wasted,
            "wasting %": self.wasting_percent,
            "follow_up": [
                {"child": line.name, "mother": line.mother, "phone": line.phone, "reasons": line.reasons}
                for line in self.follow_up
            ],
        }


def _month_end(period: dt.date) -> dt.date:
    following = dt.date(period.year + (period.month == 12), period.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def growth_report(session: Session, posyandu_id: int, period: dt.date) -> GrowthMonth:
    """The report of one calendar month (``period`` = any day of it)."""
    start = period.replace(day=1)
    end = _month_end(start)
    report = GrowthMonth(period=start)
    children = [
        (child, mother)
        for child, mother in session.execute(
            select(Child, Contact)
            .join(Contact, Child.mother_id == Contact.id)
            .where(
                Contact.posyandu_id == posyandu_id,
                Contact.erased_at.is_(None),
                Child.date_of_birth <= end,
            )
            .order_by(Child.name, Child.id)
        ).all()
        if completed_months(child.date_of_birth, start) < MAX_MONTHS
    ]
    ids = [child.id for child, _ in children]
    rows_of: dict[int, list[GrowthMeasurement]] = defaultdict(list)
    if ids:
        for row in session.scalars(
            select(GrowthMeasurement)
            .where(GrowthMeasurement.child_id.in_(ids), GrowthMeasurement.measured_on <= end)
            .order_by(GrowthMeasurement.child_id, GrowthMeasurement.measured_on)
        ):
            rows_of[row.child_id].append(row)
    this_month = month_index(start)
    for child, mother in children:
        rows = rows_of.get(child.id, [])
        line = ChildLine(
            child_id=child.id,
            name=child.name,
            sex=child.sex,
            born=child.date_of_birth,
            age_months=max(0, completed_months(child.date_of_birth, end)),
            mother=mother.name or "",
            phone=mother.phone or "",
        )
        report.children.append(line)
        report.s += 1
        if rows:
            report.k += 1
        _month_figures(report, line, child, rows, this_month, start)
    return report


def _month_figures(
    report: GrowthMonth,
    line: ChildLine,
    child: Child,
    rows: list[GrowthMeasurement],
    this_month: int,
    start: dt.date,
) -> None:
    in_month = [row for row in rows if row.measured_on >= start]
    if not in_month:
        return
    weighed = [row for row in in_month if row.weight_kg is not None]
    measured = [row for row in in_month if row.hfa_z is not None]
    with_wfh = [row for row in in_month if row.wfh_z is not None]
    last = in_month[-1]
    line.weighed_on, line.length_cm = last.measured_on, last.length_cm
    trend: Trend | None = None
    if weighed:
        report.d += 1
        weighing = weighed[-1]
        line.weighed_on, line.weight_kg, line.wfa_z = weighing.measured_on, weighing.weight_kg, weighing.wfa_z
        history = [Weighing(r.measured_on, r.weight_kg) for r in rows if r.weight_kg is not None]
        trend = month_trends(child.date_of_birth, history).get(this_month)
        if trend is not None:
            line.code = trend.code
            report.codes[trend.code] += 1
            if trend.code in (T, T2):
                line.reasons.append(trend.code)
        if weighing.wfa_z is not None and weighing.wfa_z < RED_LINE_Z:
            report.bgm += 1
            line.reasons.append("BGM")
    if measured:
        report.measured_length += 1
        z = measured[-1].hfa_z
        line.hfa_z, line.length_cm = z, measured[-1].length_cm
        if z is not None and z < -2:
            report.stunted += 1
            report.severely_stunted += z < -3
            line.reasons.append("sangat_pendek" if z < -3 else "pendek")
    if with_wfh:
        report.measured_wfh += 1
        z = with_wfh[-1].wfh_z
        line.wfh_z = z
        if z is not None and z < -2:
            report.wasted += 1
            report.severely_wasted += z < -3
            line.reasons.append("gizi_buruk" if z < -3 else "gizi_kurang")
