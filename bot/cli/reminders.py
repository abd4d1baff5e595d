"""``posyandu-bot reminders due --date``: the immunization reminders of a local date, as a dry run."""

from __future__ import annotations

import json

import click

from bot.cli.common import open_runtime
from bot.cli.schedule import parse_iso_date
from flows.immunization.reminders import public_kind, select_due
from flows.services.immunization_plans import refresh_children, stale_children


@click.group()
def reminders() -> None:
    """Immunization reminders."""


@reminders.command("due")
@click.option("--date", "on", required=True, help="Local date, YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines {to, child, vaccine, kind}.")
def due(on: str, as_json: bool) -> None:
    """What the scheduler would send on the local date DATE (nothing is enqueued or changed).

    One line per child and dose: kind h-7 (a week before the posyandu day), h-1 (the day before),
    h0 (the morning of the day) or overdue (a follow-up when a dose is still not recorded).
    """
    day = parse_iso_date(on, "--date")
    runtime = open_runtime()
    with runtime.sessions() as session:
        try:
            # Children registered since the scheduler last ran are planned as it would plan them,
            # then everything is rolled back: a dry run changes nothing.
            refresh_children(session, stale_children(session, limit=None), day)
            rows = select_due(session, day, default_timezone=runtime.settings.TIMEZONE)
        finally:
            session.rollback()
    rows.sort(key=lambda row: (row.phone, row.child, row.target, row.vaccine))
    for row in rows:
        if as_json:
            record = {
                "to": row.phone,
                "child": row.child,
                "vaccine": row.vaccine,
                "kind": public_kind(row.step),
            }
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(
                f"{row.phone}  {row.child}  {row.vaccine:<12} {public_kind(row.step):<8} {row.target.isoformat()}"
            )
    runtime.engine.dispose()
