"""``posyandu-bot chat``: talk to the bot in the terminal, through the same flows and database."""

from __future__ import annotations

import json
import sys
import uuid

import click
from sqlalchemy import select

from bot.cli.common import open_runtime, phone_option
from bot.runtime import flow_settings
from db.models import OutboxMessage, utcnow
from flows.conversation.inbox import process_inbound, store_inbound


@click.command()
@click.option("--phone", required=True, help="The phone to chat as, e.g. +6281234567890.")
@click.option("--json", "as_json", is_flag=True, help='One JSON line per input: {"in": ..., "out": [...]}.')
def chat(phone: str, as_json: bool) -> None:
    """Chat with the bot as PHONE: type a message per line, the bot's replies are printed.

    Runs exactly what the WhatsApp webhook runs (store, conversation, outbox). Replies stay in the
    outbox for the worker, which on the embedded default only logs them.
    """
    phone = phone_option(phone)
    runtime = open_runtime()
    settings = flow_settings(runtime)
    interactive = sys.stdin.isatty() and not as_json
    if interactive:
        click.echo("Ketik pesan lalu Enter. Ctrl-D untuk keluar.")
    with runtime.sessions() as session:
        last_id = session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1)) or 0
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line:
            break
        text = line.rstrip("\r\n")
        now = utcnow()
        inbound_id = store_inbound(
            runtime.sessions,
            message_sid=f"SIM{uuid.uuid4().hex}",
            from_phone=phone,
            body=text,
            num_media=0,
            payload={"Body": text, "From": f"whatsapp:{phone}", "simulator": True},
            now=now,
        )
        if inbound_id is not None:
            process_inbound(runtime.sessions, inbound_id, now=now, settings=settings)
        with runtime.sessions() as session:
            rows = list(
                session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.id > last_id, OutboxMessage.to_phone == phone)
                    .order_by(OutboxMessage.id)
                )
            )
            last_id = (
                session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1)) or last_id
            )
        replies = [row.body or "" for row in rows]
        if as_json:
            click.echo(json.dumps({"in": text, "out": replies}, ensure_ascii=False))
        else:
            for reply in replies:
                click.echo(reply)
                click.echo()
    runtime.engine.dispose()
