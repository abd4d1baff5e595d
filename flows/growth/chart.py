"""A child's growth chart as a PNG: the measurements on the WHO curves (−3 … +3 SD), sized for a phone.

One tall picture with weight-for-age on top and, once a length was measured, length/height-for-age
below, for the child's sex; KMS colours (green band between −2 and +2 SD). Drawn with matplotlib's Agg
canvas (no display, thread-safe: no pyplot). ``render`` also returns where each point landed in the
picture, so the drawing can be checked against the data that drew it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from flows.knowledge.growth import CurveIndex, Sex, sd_curves
from flows.knowledge.growth_tables import DAYS_PER_MONTH
from messages_id import _, format_number, format_short_date

WIDTH_IN, PANEL_HEIGHT_IN, DPI = 6.0, 4.6, 150
POINT_COLOUR = "#1f3a93"
LINE_STYLES = {
    3: ("#222222", 1.6),
    2: ("#d62728", 2.0),
    1: ("#999999", 1.0),
    0: ("#2ca02c", 2.2),
    -1: ("#999999", 1.0),
    -2: ("#d62728", 2.0),
    -3: ("#222222", 1.6),
}
BAND_COLOURS = (((-2, 2), "#e3f4dc"), ((-3, -2), "#fff3c4"), ((2, 3), "#fff3c4"))


@dataclass(frozen=True)
class Point:
    """One measurement: age in days and the value drawn (kg, or cm after WHO's position correction)."""

    age_days: int
    value: float


@dataclass(frozen=True)
class PanelDrawn:
    index: CurveIndex
    #: The points as drawn: (age in months, value), in data coordinates.
    data: tuple[tuple[float, float], ...]
    #: The same points in picture pixels: (column, row) from the top-left corner.
    pixels: tuple[tuple[float, float], ...]
    x_limit_months: float


@dataclass(frozen=True)
class Chart:
    png: bytes
    width: int
    height: int
    panels: tuple[PanelDrawn, ...]


def _x_limit(last_age_days: int) -> float:
    months = last_age_days / DAYS_PER_MONTH
    for limit in (12, 24, 36, 48):
        if months <= limit - 3:
            return float(limit)
    return 60.0


def _panel_text(index: CurveIndex) -> tuple[str, str]:
    if index == "wfa":
        return _("Weight for age"), _("Weight (kg)")
    return _("Length/height for age"), _("Length/height (cm)")


def _draw_panel(
    figure: Figure,
    axes_position: int,
    rows: int,
    index: CurveIndex,
    sex: Sex,
    points: list[Point],
    x_limit: float,
) -> tuple[Axes, list[tuple[float, float]]]:
    axes = figure.add_subplot(rows, 1, axes_position)
    curves = sd_curves(index, sex)
    keep = [i for i, day in enumerate(curves.x) if day / DAYS_PER_MONTH <= x_limit + 0.01]
    months = [curves.x[i] / DAYS_PER_MONTH for i in keep]
    line = {k: [curves.lines[k][i] for i in keep] for k in curves.lines}
    for (low, high), colour in BAND_COLOURS:
        axes.fill_between(months, line[low], line[high], color=colour, linewidth=0, zorder=0)
    for k, (colour, width) in LINE_STYLES.items():
        axes.plot(months, line[k], color=colour, linewidth=width, zorder=1)
        label = "0" if k == 0 else f"{k:+d}".replace("-", "−")
        axes.annotate(
            label,
            (months[-1], line[k][-1]),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=11,
            color=colour,
            annotation_clip=False,
        )
    xs = [p.age_days / DAYS_PER_MONTH for p in points]
    ys = [p.value for p in points]
    axes.plot(xs, ys, color=POINT_COLOUR, linewidth=2.2, marker="o", markersize=8, zorder=3)
    if points:
        unit = "kg" if index == "wfa" else "cm"
        axes.annotate(
            f"{format_number(round(ys[-1], 2))} {unit}",
            (xs[-1], ys[-1]),
            xytext=(-10, 12),
            textcoords="offset points",
            ha="right",
            fontsize=13,
            fontweight="bold",
            color=POINT_COLOUR,
            zorder=4,
        )
    title, y_label = _panel_text(index)
    axes.set_title(title, fontsize=15, fontweight="bold", loc="left")
    axes.set_ylabel(y_label, fontsize=13)
    axes.set_xlabel(_("Age (months)"), fontsize=13)
    step = 3 if x_limit <= 24 else 6
    axes.set_xticks([m for m in range(0, int(x_limit) + 1, step)])
    axes.set_xlim(0, x_limit)
    y_low = min([*line[-3], *ys])
    y_high = max([*line[3], *ys])
    margin = (y_high - y_low) * 0.04
    axes.set_ylim(y_low - margin, y_high + margin)
    axes.tick_params(labelsize=12)
    axes.grid(True, color="#dddddd", linewidth=0.6, zorder=0)
    return axes, list(zip(xs, ys, strict=True))


def render(
    *, name: str, sex: Sex, born: dt.date, weights: list[Point], lengths: list[Point], today: dt.date
) -> Chart:
    """The chart picture of one child (``weights`` in kg, ``lengths`` corrected to WHO's position)."""
    panels: list[tuple[CurveIndex, list[Point]]] = [("wfa", weights)]
    if lengths:
        panels.append(("hfa", lengths))
    last_age = max((p.age_days for p in [*weights, *lengths]), default=0)
    x_limit = _x_limit(last_age)
    figure = Figure(figsize=(WIDTH_IN, PANEL_HEIGHT_IN * len(panels) + 0.9), dpi=DPI)
    canvas = FigureCanvasAgg(figure)
    sex_text = _("boy") if sex == Sex.BOY else _("girl")
    figure.suptitle(
        _("Growth chart of {name} ({sex})").format(name=name, sex=sex_text), fontsize=16, fontweight="bold"
    )
    figure.text(
        0.5,
        0.005,
        _("WHO standard. Green band: -2 to +2 SD. Made {date}.").format(date=format_short_date(today)),
        ha="center",
        va="bottom",
        fontsize=10,
        color="#555555",
    )
    drawn = []
    for position, (index, points) in enumerate(panels, 1):
        drawn.append((index, *_draw_panel(figure, position, len(panels), index, sex, points, x_limit)))
    figure.tight_layout(rect=(0, 0.03, 0.97, 0.97))
    canvas.draw()
    width, height = canvas.get_width_height()
    results = []
    for index, axes, data in drawn:
        pixels = tuple(
            (float(px), float(height - py)) for px, py in (axes.transData.transform(point) for point in data)
        )
        results.append(PanelDrawn(index, tuple(data), pixels, x_limit))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return Chart(png=buffer.getvalue(), width=width, height=height, panels=tuple(results))
