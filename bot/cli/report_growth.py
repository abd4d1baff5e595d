"""``posyandu-bot report growth --posyandu NAME --month YYYY-MM [--csv FILE] [--json]``: the monthly SKDN."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import click

from bot.cli.common import open_runtime, posyandu_named
from flows.growth.report import ChildLine, GrowthMonth, growth_report
from messages_id import _, format_number, pgettext

CSV_COLUMNS = (
    "bulan",
    "nama_anak",
    "jenis_kelamin",
    "tanggal_lahir",
    "umur_bulan",
    "nama_ibu",
    "no_hp_ibu",
    "tanggal_ukur",
    "berat_kg",
    "panjang_cm",
    "kode",
    "zs_bb_u",
    "zs_pb_u",
    "zs_bb_pb",
    "tindak_lanjut",
)


def reason_label(reason: str) -> str:
    return reason if reason in ("T", "2T", "BGM") else pgettext("growth status", reason)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{format_number(value)}%"


def _csv_row(month: GrowthMonth, line: ChildLine) -> list[object]:
    def number(value: float | None) -> str:
        return "" if value is None else f"{value:g}"

    return [
        f"{month.period:%Y-%m}",
        line.name,
        line.sex,
        line.born.isoformat(),
        line.age_months,
        line.mother,
        line.phone,
        line.weighed_on.isoformat() if line.weighed_on else "",
        number(line.weight_kg),
        number(line.length_cm),
        line.code or "",
        number(line.wfa_z),
        number(line.hfa_z),
        number(line.wfh_z),
        "; ".join(line.reasons),
    ]


def write_csv(path: Path, month: GrowthMonth) -> None:
    """One row per child under five of the posyandu (weighed or not), for the district's reporting."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(CSV_COLUMNS)
        for line in month.children:
            writer.writerow(_csv_row(month, line))


@click.command("growth")
@click.option("--posyandu", "posyandu_name", required=True, help="Name of the posyandu.")
@click.option("--month", "month_text", required=True, help="The month, YYYY-MM.")
@click.option(
    "--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write one row per child."
)
@click.option("--json", "as_json", is_flag=True, help="The figures as one JSON object.")
def growth(posyandu_name: str, month_text: str, csv_path: Path | None, as_json: bool) -> None:
    """SKDN (S, K, D, N, T, 2T, O, B, BGM), stunting and wasting counts and prevalence, and the children
    to follow up, for one month of a posyandu."""
    try:
        period = dt.datetime.strptime(month_text, "%Y-%m").date()
    except ValueError as exc:
        raise click.BadParameter(f"{month_text!r} is not a month; use YYYY-MM, e.g. 2026-11") from exc
    runtime = open_runtime()
    try:
        with runtime.sessions() as session:
            posyandu = posyandu_named(session, posyandu_name)
            month = growth_report(session, posyandu.id, period)
    finally:
        runtime.engine.dispose()
    if csv_path is not None:
        write_csv(csv_path, month)
    if as_json:
        click.echo(json.dumps(month.as_json(), ensure_ascii=False))
        return
    codes = month.codes
    click.echo(
        _("Growth report, posyandu {name}, {month}").format(name=posyandu_name, month=f"{period:%Y-%m}")
    )
    click.echo(
        _("S {s}  K {k}  D {d}  (D/S {ds})").format(
            s=month.s, k=month.k, d=month.d, ds=_percent(month.d_over_s)
        )
    )
    click.echo(
        _("N {n}  T {t}  2T {t2}  O {o}  B {b}  BGM {bgm}  (N/D {nd})").format(
            n=codes["N"],
            t=codes["T"],
            t2=codes["2T"],
            o=codes["O"],
            b=codes["B"],
            bgm=month.bgm,
            nd=_percent(month.n_over_d),
        )
    )
    click.echo(
        _(
            "Stunting: {stunted} of {measured} measured for length ({percent}), of which severe {severe}"
        ).format(
            stunted=month.stunted,
            measured=month.measured_length,
            percent=_percent(month.stunting_percent),
            severe=month.severely_stunted,
        )
    )
    click.echo(
        _("Wasting: {wasted} of {measured} ({percent}), of which severe {severe}").format(
            wasted=month.wasted,
            measured=month.measured_wfh,
            percent=_percent(month.wasting_percent),
            severe=month.severely_wasted,
        )
    )
    follow_up = month.follow_up
    if not follow_up:
        click.echo(_("No child needs follow-up this month."))
    else:
        click.echo(_("Children to follow up ({count}):").format(count=len(follow_up)))
        for line in follow_up:
            click.echo(
                f"- {line.name} ("
                + _("{months} months old").format(months=line.age_months)
                + f"), {line.mother} {line.phone}: "
                + ", ".join(reason_label(r) for r in line.reasons)
            )
    if csv_path is not None:
        click.echo(_("CSV written: {path}").format(path=csv_path))
