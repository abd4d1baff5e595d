"""``posyandu-bot posyandu schedule NAME``: a posyandu's meeting days (rule, cancelled and moved days)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import click

from bot.cli.common import open_runtime, posyandu_named
from bot.cli.schedule import parse_iso_date
from db.models import utcnow
from flows.core.localtime import local_today
from flows.services.immunization_plans import refresh_posyandu
from flows.services.posyandu_calendar import RuleError, parse_rule
from flows.services.posyandu_days import clear_exception, describe, load_days, save_exception, save_rule

TIMEZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


@click.command("schedule")
@click.argument("name")
@click.option("--rule", help='"selasa minggu ke-2", "2nd tuesday", "kamis terakhir", "tanggal 15"...')
@click.option("--cancel", "cancels", multiple=True, help="A meeting day that is cancelled, YYYY-MM-DD.")
@click.option("--move", "moves", multiple=True, help="A meeting day moved: YYYY-MM-DD=YYYY-MM-DD.")
@click.option("--restore", "restores", multiple=True, help="Undo the change of a day, YYYY-MM-DD.")
@click.option("--timezone", type=click.Choice([*TIMEZONES, *TIMEZONES.values()]), help="WIB, WITA or WIT.")
def schedule(
    name: str,
    rule: str | None,
    cancels: tuple[str, ...],
    moves: tuple[str, ...],
    restores: tuple[str, ...],
    timezone: str | None,
) -> None:
    """Show or set the meeting days of the posyandu NAME; reminders follow every change."""
    try:
        meeting_rule = parse_rule(rule) if rule else None
    except RuleError as error:
        raise click.BadParameter(f"{rule!r} is not a meeting rule", param_hint="--rule") from error
    moved = []
    for value in moves:
        day, sep, new = value.partition("=")
        if not sep:
            raise click.BadParameter(f"{value!r} must be YYYY-MM-DD=YYYY-MM-DD", param_hint="--move")
        moved.append((parse_iso_date(day, "--move"), parse_iso_date(new, "--move")))
    cancelled = [parse_iso_date(day, "--cancel") for day in cancels]
    restored = [parse_iso_date(day, "--restore") for day in restores]
    runtime = open_runtime()
    try:
        with runtime.sessions() as session, session.begin():
            post = posyandu_named(session, name)
            if timezone:
                post.timezone = TIMEZONES.get(timezone, timezone)
            if meeting_rule is not None:
                save_rule(session, post.id, meeting_rule, by=None)
            for day in cancelled:
                save_exception(session, post.id, day, None, by=None)
            for day, new in moved:
                save_exception(session, post.id, day, new, by=None)
            for day in restored:
                clear_exception(session, post.id, day)
            zone = ZoneInfo(post.timezone or runtime.settings.TIMEZONE)
            today = local_today(utcnow(), zone)
            if meeting_rule or cancelled or moved or restored or timezone:
                refresh_posyandu(session, post.id, today)
            click.echo(describe(load_days(session, post.id), post, today))
    finally:
        runtime.engine.dispose()
