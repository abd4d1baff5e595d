"""Response figures of the case desk: per posyandu and per bidan, how many cases were opened,
answered (a ``BALAS`` reached the mother) and closed, and the median and 90th percentile of the time
from opening to the first answer.

A case counts for the posyandu it belongs to and for the bidan who took it (``AMBIL``, her first
``BALAS`` or ``SELESAI``); cases nobody took are shown under "-". Percentiles are nearest-rank (the
smallest time that at least that share of answered cases did not exceed), so every figure is a real
case's time.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.models import Case, Contact, Posyandu


@dataclass
class Figures:
    scope: str  # "posyandu" or "bidan"
    name: str
    posyandu: str
    opened: int = 0
    answered: int = 0
    closed: int = 0
    minutes_to_answer: list[float] = field(default_factory=list)

    @property
    def median_minutes(self) -> float | None:
        return round(statistics.median(self.minutes_to_answer), 1) if self.minutes_to_answer else None

    @property
    def p90_minutes(self) -> float | None:
        return percentile(self.minutes_to_answer, 90)

    def as_json(self) -> dict[str, object]:
        return {
            "scope": self.scope,
            "name": self.name,
            "posyandu": self.posyandu,
            "opened": self.opened,
            "answered": self.answered,
            "closed": self.closed,
            "median_minutes": self.median_minutes,
            "p90_minutes": self.p90_minutes,
        }


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the value at rank ceil(share/100 * n) of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return round(ordered[rank - 1], 1)


def case_figures(
    session: Session,
    *,
    posyandu_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[Figures]:
    """Figures for cases opened in ``[since, until)``: each posyandu, then each of its bidan."""
    bidan = aliased(Contact)
    query = (
        select(Case, Posyandu.name, bidan.name, bidan.phone)
        .outerjoin(Posyandu, Case.posyandu_id == Posyandu.id)
        .outerjoin(bidan, Case.bidan_id == bidan.id)
        .order_by(Case.id)
    )
    if posyandu_id is not None:
        query = query.where(Case.posyandu_id == posyandu_id)
    if since is not None:
        query = query.where(Case.opened_at >= since)
    if until is not None:
        query = query.where(Case.opened_at < until)
    figures: dict[tuple[str, str, str], Figures] = {}
    for case, posyandu_name, bidan_name, bidan_phone in session.execute(query):
        post = posyandu_name or "-"
        who = "-" if case.bidan_id is None else (bidan_name or bidan_phone or str(case.bidan_id))
        for key, name in ((("posyandu", post, post), post), (("bidan", str(case.bidan_id), post), who)):
            row = figures.setdefault(key, Figures(scope=key[0], name=name, posyandu=post))
            row.opened += 1
            row.closed += case.status == "closed"
            if case.first_answered_at is not None:
                row.answered += 1
                row.minutes_to_answer.append((case.first_answered_at - case.opened_at).total_seconds() / 60)
    return sorted(figures.values(), key=lambda f: (f.posyandu, f.scope != "posyandu", f.name == "-", f.name))
