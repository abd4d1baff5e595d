"""Breastfeeding of a posyandu's babies, per calendar month: exclusive ASI at 0–5 months, reasons for stopping.

Counts come from ``asi_status`` (one row per baby and month, written by the check-ins), aggregated in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AsiStatus
from flows.knowledge.asi_figures import EXCLUSIVE_MONTHS


@dataclass
class MonthReport:
    period: dt.date
    #: Babies aged 0–5 months with a status this month, and how they were fed.
    babies: int = 0
    exclusive: int = 0
    partial: int = 0
    stopped: int = 0
    #: age in months (0–5) → (babies, exclusive)
    by_age: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: Why babies of any age stopped this month.
    stop_reasons: Counter[str] = field(default_factory=Counter)

    @property
    def exclusive_percent(self) -> float | None:
        return round(100 * self.exclusive / self.babies, 1) if self.babies else None

    def as_json(self) -> dict[str, object]:
        return {
            "month": f"{self.period:%Y-%m}",
            "babies_0_5": self.babies,
            "exclusive": self.exclusive,
            "partial": self.partial,
            "stopped": self.stopped,
            "exclusive_pct": self.exclusive_percent,
            "by_age": {
                str(age): {"babies": n, "exclusive": e} for age, (n, e) in sorted(self.by_age.items())
            },
            "stop_reasons": dict(sorted(self.stop_reasons.items())),
        }


def asi_report(
    session: Session, posyandu_id: int, first: dt.date | None = None, last: dt.date | None = None
) -> list[MonthReport]:
    """One :class:`MonthReport` per month with any record, oldest first (``first``/``last``: month bounds)."""
    query = (
        select(AsiStatus.period, AsiStatus.age_months, AsiStatus.status, AsiStatus.reason, func.count())
        .where(AsiStatus.posyandu_id == posyandu_id)
        .group_by(AsiStatus.period, AsiStatus.age_months, AsiStatus.status, AsiStatus.reason)
    )
    if first is not None:
        query = query.where(AsiStatus.period >= first.replace(day=1))
    if last is not None:
        query = query.where(AsiStatus.period <= last.replace(day=1))
    months: dict[dt.date, MonthReport] = {}
    for period, age, status, reason, count in session.execute(query):
        month = months.setdefault(period, MonthReport(period=period))
        if status == "stopped":
            month.stop_reasons[reason or "other"] += count
        if age >= EXCLUSIVE_MONTHS:
            continue
        month.babies += count
        babies, exclusive = month.by_age.get(age, (0, 0))
        month.by_age[age] = (babies + count, exclusive + (count if status == "exclusive" else 0))
        if status == "exclusive":
            month.exclusive += count
        elif status == "partial":
            month.partial += count
        elif status == "stopped":
            month.stopped += count
    return [months[period] for period in sorted(months)]
