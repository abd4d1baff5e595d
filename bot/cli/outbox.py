"""``posyandu-bot outbox``: what was sent, or is waiting to be sent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click
from sqlalchemy import select

from bot.cli.common import open_runtime, phone_option
from bot.transport import template_text
from db.models import OutboxMessage


@click.group()
def outbox() -> None:
    """Look at the outbox: every message the bot sends goes through it."""


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.replace(tzinfo=dt.UTC).isoformat() if moment is not None else None


def _record(row: OutboxMessage) -> dict[str, Any]:
    body = row.body
    if body is None and row.template_name is not None:
        body = template_text(row.template_name, dict(row.template_variables or {}))
    return {
        "id": row.id,
        "to": row.to_phone,
        "body": body,
        "status": row.status,
        "error_code": row.error_code,
        "created_at": _iso(row.created_at),
        "sent_at": _iso(row.sent_at),
    }


@outbox.command("list")
@click.option("--to", "to_phone", help="Only messages to this phone (E.164, e.g. +6281234567890).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of a table.")
def list_messages(to_phone: str | None, as_json: bool) -> None:
    """List outbox messages, oldest first, with their delivery status.

    Times are UTC. Status: pending (waiting), sending, queued (accepted by Twilio), sent, delivered,
    read, failed or undelivered (with Twilio's error code).
    """
    phone = phone_option(to_phone) if to_phone is not None else None
    runtime = open_runtime()
    try:
        with runtime.sessions() as session:
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            if phone is not None:
                query = query.where(OutboxMessage.to_phone == phone)
            records = [_record(row) for row in session.scalars(query)]
    finally:
        runtime.engine.dispose()
    if as_json:
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    click.echo(f"{'id':>6}  {'to':<16} {'status':<11} {'error':<8} {'created (UTC)':<19}  body")
    for record in records:
        body = (record["body"] or "").replace("\n", " ")
        created = (record["created_at"] or "")[:19].replace("T", " ")
        click.echo(
            f"{record['id']:>6}  {record['to']:<16} {record['status']:<11} "
            f"{record['error_code'] or '':<8} {created:<19}  {body[:60] + ('…' if len(body) > 60 else '')}"
        )
