"""A measurement in plain words: the four WHO indices with their Permenkes 2/2020 status, the month's
N / T / 2T / O / B against the KBM, what to do next, and the short technical lines for kader and bidan."""

from __future__ import annotations

import datetime as dt

from db.models import Child, GrowthMeasurement
from flows.knowledge.faq import topic_answer
from flows.knowledge.growth import GrowthResult, Index, Position, hfa_status, wfa_status, wfh_status
from flows.knowledge.growth_trend import T2, B, N, O, T, Trend, completed_months
from messages_id import _, format_number, format_short_date, pgettext

#: The KMS red line: weight-for-age below −3 SD ("bawah garis merah", BGM).
RED_LINE_Z = -3.0
#: Feeding advice (FAQ topics) by the child's situation.
ADVICE_NOT_GAINING, ADVICE_STUNTED = "berat_badan_tidak_naik", "stunting_pencegahan"
ADVICE_UNDER_6, ADVICE_6_TO_11 = "asi_eksklusif", "mpasi_mulai"
#: The order the indices are explained in.
INDICES: tuple[Index, ...] = ("wfa", "hfa", "wfh", "bmi")


def status_of(index: Index, z: float | None) -> str | None:
    """Permenkes 2/2020 category of one index (BMI-for-age under five uses the weight-for-length cut-offs)."""
    if index == "wfa":
        return wfa_status(z)
    if index == "hfa":
        return hfa_status(z)
    return wfh_status(z)


def kg(value: float) -> str:
    return format_number(round(value, 2))


def cm(value: float) -> str:
    return format_number(round(value, 1))


def index_name(index: Index) -> str:
    return pgettext("growth index", index)


def below_red_line(result: GrowthResult) -> bool:
    return result.wfa_z is not None and result.wfa_z < RED_LINE_Z


def size_text(row: GrowthMeasurement) -> str:
    parts = []
    if row.weight_kg is not None:
        parts.append(_("weight {kg} kg").format(kg=kg(row.weight_kg)))
    if row.length_cm is not None:
        if row.position == Position.STANDING:
            parts.append(_("height {cm} cm (standing)").format(cm=cm(row.length_cm)))
        elif row.position == Position.RECUMBENT:
            parts.append(_("length {cm} cm (lying down)").format(cm=cm(row.length_cm)))
        else:
            parts.append(_("length/height {cm} cm").format(cm=cm(row.length_cm)))
    return ", ".join(parts)


def index_lines(result: GrowthResult) -> list[str]:
    """``- Berat menurut umur: sesuai umurnya (berat badan normal)`` for each index WHO scored."""
    lines = []
    for index in INDICES:
        status = status_of(index, result.z(index))
        if status is None:
            continue
        lines.append(
            _("- {index}: {plain} ({status})").format(
                index=index_name(index),
                plain=pgettext("growth plain", f"{index}:{status}"),
                status=pgettext("growth status", status),
            )
        )
    return lines


def all_usual(result: GrowthResult) -> bool:
    usual = {"bb_normal", "normal", "gizi_baik"}
    return all(status_of(i, result.z(i)) in usual for i in INDICES if result.z(i) is not None)


def change_text(grams: int) -> str:
    if grams > 0:
        return _("up {grams} g").format(grams=format_number(grams))
    if grams < 0:
        return _("down {grams} g").format(grams=format_number(-grams))
    return _("the same weight")


def trend_text(name: str, trend: Trend | None) -> str | None:
    """The month's code explained (None without a weight)."""
    if trend is None:
        return None
    if trend.code == B:
        return _(
            "This is the first weighing of {name} on record (B). Next month we will see if the weight rises."
        ).format(name=name)
    if trend.code == O:
        return _(
            "There is no weighing from last month (O), so the rise cannot be judged this time. Weigh {name} every month."
        ).format(name=name)
    assert trend.previous is not None and trend.gain_g is not None and trend.kbm_g is not None
    text = _("Compared with {date}: {change}. The minimum gain at {months} months is {kbm} g.").format(
        date=format_short_date(trend.previous.on),
        change=change_text(trend.gain_g),
        months=trend.age_months,
        kbm=format_number(trend.kbm_g),
    )
    if trend.code == N:
        return text + " " + _("Result: N, the weight rises well.")
    if trend.code == T:
        return text + " " + _("Result: T, the weight did not rise enough this month.")
    return text + " " + _("Result: 2T, the weight did not rise enough two months in a row.")


def result_text(child: Child, row: GrowthMeasurement, result: GrowthResult, trend: Trend | None) -> str:
    """The mother's message after a measurement."""
    lines = [
        _("Result for {name} ({months} months), {date}: {sizes}.").format(
            name=child.name,
            months=completed_months(child.date_of_birth, row.measured_on),
            date=format_short_date(row.measured_on),
            sizes=size_text(row),
        ),
        *index_lines(result),
    ]
    explained = trend_text(child.name, trend)
    if explained:
        lines += ["", explained]
    lines.append("")
    if below_red_line(result):
        lines.append(_("The weight is below the red line of the chart."))
    if all_usual(result) and (trend is None or trend.code not in (T, T2)):
        lines.append(_("{name} is growing well. Keep it up, Bunda!").format(name=child.name))
    else:
        lines.append(
            _(
                "Some results are not where we hope yet. This is not a diagnosis: the bidan will look at it "
                "with you, and there is a lot you can do."
            )
        )
    return "\n".join(lines)


def advice_topic(child: Child, on: dt.date, result: GrowthResult, trend: Trend | None) -> str | None:
    """The FAQ topic with the feeding advice that fits (None: the general advice for toddlers)."""
    if (trend is not None and trend.code in (T, T2)) or below_red_line(result):
        return ADVICE_NOT_GAINING
    if status_of("wfh", result.wfh_z) in ("gizi_kurang", "gizi_buruk"):
        return ADVICE_NOT_GAINING
    if status_of("hfa", result.hfa_z) in ("pendek", "sangat_pendek"):
        return ADVICE_STUNTED
    months = completed_months(child.date_of_birth, on)
    if months < 6:
        return ADVICE_UNDER_6
    if months < 12:
        return ADVICE_6_TO_11
    return None


def advice_text(child: Child, on: dt.date, result: GrowthResult, trend: Trend | None) -> str:
    topic = advice_topic(child, on, result, trend)
    body = (
        topic_answer(topic)
        if topic
        else _(
            "Give family meals 3 to 4 times a day with animal protein every day (egg, fish, chicken, liver), "
            "vegetables and fruit, and keep breastfeeding until 2 years."
        )
    )
    return _("What you can do:") + "\n" + body


def next_weighing(on: dt.date) -> dt.date:
    """The same day next month (the month's last day when it is shorter)."""
    year, month = (on.year + 1, 1) if on.month == 12 else (on.year, on.month + 1)
    for day in range(on.day, 27, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, min(on.day, 28))


def next_weighing_text(on: dt.date) -> str:
    return _("Next weighing: at the posyandu in a month, around {date}. Type MENU for the main menu.").format(
        date=format_short_date(next_weighing(on))
    )


def z_text(z: float | None) -> str:
    return "-" if z is None else f"{z:+.2f}"


def technical_line(row: GrowthMeasurement, trend: Trend | None) -> str:
    """``24/11/26 7,5 kg 68,5 cm WAZ -0.41 HAZ -0.80 WHZ +0.12 N``: one measurement for staff."""
    parts = [row.measured_on.strftime("%d/%m/%y")]
    if row.weight_kg is not None:
        parts.append(f"{kg(row.weight_kg)} kg")
    if row.length_cm is not None:
        parts.append(f"{cm(row.length_cm)} cm")
    parts.append(f"WAZ {z_text(row.wfa_z)} HAZ {z_text(row.hfa_z)} WHZ {z_text(row.wfh_z)}")
    if trend is not None and trend.on == row.measured_on:
        parts.append(trend.code)
    return " ".join(parts)
