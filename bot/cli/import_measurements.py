"""``posyandu-bot import measurements FILE.csv --posyandu NAME``: load a posyandu's weighing book."""

from __future__ import annotations

import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from bot.cli.common import open_runtime, posyandu_named
from bot.runtime import flow_settings
from db.models import utcnow
from flows.core.localtime import local_today
from flows.growth.measurement_import import MeasurementFileError, import_measurements


@click.command("measurements")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--posyandu", "posyandu_name", required=True, help="Name of the posyandu the children belong to."
)
def measurements(file: Path, posyandu_name: str) -> None:
    """Load FILE (CSV: nama_anak and/or no_hp_ibu, tanggal, berat_kg and/or panjang_cm, optional posisi
    berbaring/berdiri and tanggal_lahir; decimal commas welcome). Every row gets the chat's checks:
    implausible or unknown rows are listed with the reason and the others still load (exit code 1 when
    any row was rejected). Loading the same file again changes nothing. Alarms in the last 35 days open
    cases for the bidan.
    """
    runtime = open_runtime()
    try:
        with runtime.sessions() as session, session.begin():
            posyandu = posyandu_named(session, posyandu_name)
            now = utcnow()
            zone = ZoneInfo(posyandu.timezone or runtime.settings.TIMEZONE)
            today = local_today(now, zone)
            with file.open(encoding="utf-8-sig", newline="") as handle:
                try:
                    report = import_measurements(
                        session, handle, posyandu, now=now, today=today, settings=flow_settings(runtime)
                    )
                except MeasurementFileError as error:
                    raise click.UsageError(f"{file}: {error}") from error
    finally:
        runtime.engine.dispose()
    for line, reason in report.rejected:
        click.echo(f"line {line}: rejected: {reason}")
    click.echo(
        f"measurements stored: {report.stored}, unchanged: {report.unchanged}, rejected: {len(report.rejected)}, "
        f"cases opened: {len(report.cases)}"
    )
    if report.rejected:
        sys.exit(1)
