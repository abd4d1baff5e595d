"""``posyandu-bot import register FILE.csv --posyandu NAME``: load a posyandu's register."""

from __future__ import annotations

import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from bot.cli.common import open_runtime, posyandu_named
from db.models import utcnow
from flows.core.localtime import local_today
from flows.registration.register_import import RegisterFormatError, import_register


@click.group("import")
def import_group() -> None:
    """Bulk-load data kept on paper or in spreadsheets."""


@import_group.command("register")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--posyandu", "posyandu_name", required=True, help="Name of the posyandu the register belongs to."
)
def register(file: Path, posyandu_name: str) -> None:
    """Load FILE (CSV: nama_ibu, no_hp, nama_anak, jenis_kelamin, tanggal_lahir, persetujuan, and one
    column per vaccine id with the date given). Each row is checked; rejected rows are listed with the
    reason and the others still load (exit code 1 when any row was rejected). Loading the same file
    again adds nothing. Only rows with persetujuan = ya (signed consent form) are loaded.
    """
    runtime = open_runtime()
    try:
        with runtime.sessions() as session, session.begin():
            posyandu = posyandu_named(session, posyandu_name)
            now = utcnow()
            today = local_today(now, ZoneInfo(posyandu.timezone or runtime.settings.TIMEZONE))
            with file.open(encoding="utf-8-sig", newline="") as handle:
                try:
                    report = import_register(
                        session, handle, posyandu, now, today, source=f"register:{file.name}"
                    )
                except RegisterFormatError as error:
                    raise click.UsageError(f"{file}: {error}") from error
    finally:
        runtime.engine.dispose()
    for line, reason in report.rejected:
        click.echo(f"line {line}: rejected: {reason}")
    for line, note in report.notes:
        click.echo(f"line {line}: note: {note}")
    click.echo(
        f"rows loaded: {report.loaded}, unchanged: {report.unchanged}, rejected: {len(report.rejected)}"
    )
    if report.rejected:
        sys.exit(1)


from bot.cli.import_measurements import measurements  # noqa: E402  (its own module, one job each)

import_group.add_command(measurements)
