"""``posyandu-bot announce``: an announcement to a posyandu's mothers from the command line, and the list.

posyandu-bot announce --posyandu Melati --audience all --at now --text-file pengumuman.txt
posyandu-bot announce --posyandu Melati --audience pregnant --at "2026-12-01 09:00" --text-file -
posyandu-bot announce --posyandu Melati --audience under2 --at monthly:3@16:00 --text-file f.txt
posyandu-bot announce list [--posyandu Melati] [--json]
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import IO, Any

import click
from sqlalchemy import select

from bot.cli.common import open_runtime, posyandu_named
from bot.runtime import flow_settings
from db.models import Announcement, Posyandu, utcnow
from flows.announcements import broadcast as announcements
from flows.announcements import report as announcement_report
from flows.core.localtime import to_utc
from flows.core.notify import DAY_ENDS, DAY_STARTS

MONTHLY = re.compile(r"^monthly:(\d{1,2})(?:@(\d{1,2}):(\d{2}))?$")


def _parse_at(value: str) -> tuple[str, dt.datetime | None, int | None, dt.time | None]:
    """``now`` · ``YYYY-MM-DD HH:MM`` (local) · ``monthly:N[@HH:MM]`` → (repeat, local moment, days, time)."""
    value = value.strip()
    if value == "now":
        return "now", None, None, None
    if match := MONTHLY.match(value):
        days = int(match[1])
        at = dt.time(int(match[2]), int(match[3])) if match[2] else announcements.DEFAULT_TIME
        if days > 14:
            raise click.BadParameter(
                "monthly announcements go 0 to 14 days before the posyandu day", param_hint="--at"
            )
        return announcements.MONTHLY, None, days, at
    try:
        moment = dt.datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError as error:
        raise click.BadParameter(
            "use now, 'YYYY-MM-DD HH:MM' (the posyandu's local time) or monthly:N[@HH:MM]", param_hint="--at"
        ) from error
    return announcements.ONCE, moment, None, moment.time()


@click.group(invoke_without_command=True)
@click.option("--posyandu", "posyandu_name", help="Name of the posyandu.")
@click.option("--audience", type=click.Choice(announcements.AUDIENCES), help="Who receives it.")
@click.option(
    "--at",
    "at",
    default="now",
    show_default=True,
    help="now; a local date and hour 'YYYY-MM-DD HH:MM'; or monthly:N[@HH:MM] = N days before each posyandu day.",
)
@click.option("--text-file", type=click.File("r", encoding="utf-8"), help="The text (UTF-8); - for stdin.")
@click.option("--json", "as_json", is_flag=True, help="One JSON line instead of a sentence.")
@click.pass_context
def announce(
    ctx: click.Context,
    posyandu_name: str | None,
    audience: str | None,
    at: str,
    text_file: IO[str] | None,
    as_json: bool,
) -> None:
    """Send an announcement to the mothers of a posyandu now, at a local date and hour, or monthly.

    Only mothers who agreed to messages and did not type STOP receive it; messages go between 07:00
    and 20:00 local time, at the configured rate, and beyond the sender number's daily limit
    (POSYANDU_DAILY_RECIPIENT_LIMIT) the rest goes on the next days. Subcommand: list.
    """
    if ctx.invoked_subcommand is not None:
        return
    missing = [
        name
        for name, value in (
            ("--posyandu", posyandu_name),
            ("--audience", audience),
            ("--text-file", text_file),
        )
        if value is None
    ]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)}")
    assert posyandu_name is not None and audience is not None and text_file is not None
    text = text_file.read().strip()
    if not text or len(text) > announcements.MAX_TEXT:
        raise click.UsageError(
            f"the text must have 1 to {announcements.MAX_TEXT} characters (it has {len(text)})"
        )
    repeat, local_moment, days_before, send_time = _parse_at(at)
    if send_time is not None and not DAY_STARTS <= send_time < DAY_ENDS:
        raise click.BadParameter("messages go out only between 07:00 and 20:00", param_hint="--at")
    runtime = open_runtime()
    settings = flow_settings(runtime)
    now = utcnow()
    with runtime.sessions() as session, session.begin():
        posyandu = posyandu_named(session, posyandu_name)
        zone = announcements.zone_of(posyandu, settings.timezone)
        send_at = None
        if local_moment is not None:
            send_at = to_utc(local_moment.date(), local_moment.time(), zone)
            if send_at <= now:
                raise click.BadParameter("that time has passed", param_hint="--at")
        announcement = announcements.create(
            session,
            posyandu,
            text=text,
            audience=audience,
            repeat=announcements.MONTHLY if repeat == announcements.MONTHLY else announcements.ONCE,
            now=now,
            created_by=None,
            send_at=send_at if send_at is not None else now,
            days_before=days_before,
            send_time=send_time,
        )
        record: dict[str, Any] = {"id": announcement.id, "posyandu": posyandu.name, "audience": audience}
        if repeat == "now":
            result = announcements.send_now(session, announcement, now, settings)
            record |= {
                "status": announcement.status,
                "recipients": result.recipients,
                "enqueued": result.added,
                "deferred": result.deferred,
            }
            sentence = f"announcement {announcement.id}: {result.added} messages enqueued"
            if result.deferred:
                sentence += f", {result.deferred} of them on the next days (daily limit {settings.daily_recipient_limit})"
        else:
            when = announcements.describe_when(session, announcement, now, settings.timezone)
            record |= {"status": announcement.status, "when": when}
            sentence = f"announcement {announcement.id} scheduled: {when}"
    click.echo(json.dumps(record, ensure_ascii=False) if as_json else sentence)
    runtime.engine.dispose()


@announce.command("list")
@click.option("--posyandu", "posyandu_name", help="Only this posyandu.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines.")
def list_announcements(posyandu_name: str | None, as_json: bool) -> None:
    """The announcements, newest first, with their delivery counts."""
    runtime = open_runtime()
    settings = flow_settings(runtime)
    now = utcnow()
    with runtime.sessions() as session:
        query = select(Announcement).join(Posyandu).order_by(Announcement.id.desc())
        if posyandu_name:
            query = query.where(Posyandu.name == posyandu_name)
        rows = session.scalars(query).all()
        counts = announcement_report.deliveries(session, [row.id for row in rows])
        for row in rows:
            delivery = counts[row.id]
            record = {
                "id": row.id,
                "posyandu": row.posyandu.name,
                "audience": row.audience,
                "repeat": row.repeat,
                "status": row.status,
                "when": announcements.describe_when(session, row, now, settings.timezone),
                "text": row.text,
                "waiting": delivery.waiting,
                "queued": delivery.queued,
                "sent": delivery.sent,
                "delivered": delivery.delivered,
                "read": delivery.read,
                "failed": delivery.failed,
                "failures": {code or "unknown": n for code, n in delivery.reasons.items()},
            }
            if as_json:
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                click.echo(
                    f"#{row.id} {row.posyandu.name} {row.audience} {row.status} {record['when']}: "
                    f"waiting {delivery.waiting}, queued {delivery.queued}, sent {delivery.sent}, "
                    f"delivered {delivery.delivered}, read {delivery.read}, failed {delivery.failed}"
                )
    runtime.engine.dispose()
