"""A child's growth chart from the stored measurements, kept behind an expiring link for WhatsApp."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from db.models import Child, GrowthMeasurement
from flows.core import media
from flows.growth.chart import Chart, Point, render
from flows.growth.record import Reading, measurement_of, position_of, sex_of
from flows.knowledge.growth import assess
from messages_id import _


def chart_of(child: Child, rows: list[GrowthMeasurement], today: dt.date) -> Chart:
    """The chart of these measurements (lengths as WHO scores them: corrected for lying/standing)."""
    weights, lengths = [], []
    for row in rows:
        age = (row.measured_on - child.date_of_birth).days
        if row.weight_kg is not None:
            weights.append(Point(age, row.weight_kg))
        if row.length_cm is not None:
            reading = Reading(row.measured_on, None, row.length_cm, position_of(row))
            size = assess(measurement_of(child, reading)).size_cm
            if size is not None:
                lengths.append(Point(age, size))
    return render(
        name=child.name,
        sex=sex_of(child),
        born=child.date_of_birth,
        weights=weights,
        lengths=lengths,
        today=today,
    )


def chart_link(
    session: Session,
    child: Child,
    rows: list[GrowthMeasurement],
    *,
    today: dt.date,
    now: dt.datetime,
    public_url: str | None,
) -> str:
    """Draw, store and return the media URL of the child's chart."""
    chart = chart_of(child, rows, today)
    token = media.store(session, chart.png, now=now, child_id=child.id)
    return media.url(token, public_url)


def caption(child: Child) -> str:
    return _(
        "Growth chart of {name}: the blue dots are the measurements; the green band is the usual range."
    ).format(name=child.name)
