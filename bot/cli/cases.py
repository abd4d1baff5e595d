"""``posyandu-bot cases``: the case desk's figures (``cases stats``)."""

from __future__ import annotations

import datetime as dt
import json

import click

from bot.cli.common import open_runtime, posyandu_named
from flows.bidan.stats import case_figures
from messages_id import _, format_number


@click.group()
def cases() -> None:
    """Cases handed to the bidan: response figures."""


def _day(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d")
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-01") from exc


def _minutes(value: float | None) -> str:
    return "-" if value is None else format_number(value, decimals=1)


@cases.command("stats")
@click.option("--posyandu", "posyandu_name", help="Only this posyandu.")
@click.option("--from", "first", help="Cases opened on or after this day (UTC), YYYY-MM-DD.")
@click.option("--to", "last", help="Cases opened before this day (UTC), YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per posyandu and per bidan.")
def stats(posyandu_name: str | None, first: str | None, last: str | None, as_json: bool) -> None:
    """Per posyandu and per bidan: cases opened, answered, closed, and the median and 90th percentile
    of the minutes from opening to the first answer (BALAS) of the bidan.

    A case counts for the bidan who took it (AMBIL, her first BALAS or SELESAI); "-" is nobody yet.
    """
    since, until = _day(first), _day(last)
    runtime = open_runtime()
    with runtime.sessions() as session:
        posyandu_id = None
        if posyandu_name is not None:
            posyandu_id = posyandu_named(session, posyandu_name).id
        figures = case_figures(session, posyandu_id=posyandu_id, since=since, until=until)
    runtime.engine.dispose()
    if as_json:
        for row in figures:
            click.echo(json.dumps(row.as_json(), ensure_ascii=False))
        return
    if not figures:
        click.echo(_("No cases yet."))
        return
    for row in figures:
        label = (
            _("Posyandu {name}").format(name=row.name)
            if row.scope == "posyandu"
            else "  " + _("Bidan {name}").format(name=row.name)
        )
        click.echo(
            _(
                "{label}: {opened} opened, {answered} answered, {closed} closed; first answer median "
                "{median} min, p90 {p90} min"
            ).format(
                label=label,
                opened=row.opened,
                answered=row.answered,
                closed=row.closed,
                median=_minutes(row.median_minutes),
                p90=_minutes(row.p90_minutes),
            )
        )
