"""Putting messages into the outbox: the one way anything is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models import OutboxMessage, OutboxStatus, utcnow


def enqueue(
    session: Session,
    *,
    to_phone: str,
    key: str,
    body: str | None = None,
    template_name: str | None = None,
    template_variables: dict[str, Any] | None = None,
    media_url: str | None = None,
    contact_id: int | None = None,
    ignore_opt_out: bool = False,
    not_before: dt.datetime | None = None,
    kind: str = "reply",
    ref: str | None = None,
) -> bool:
    """Add one message unless a message with the same idempotency ``key`` exists.

    Returns True when a row was added. Runs inside the caller's transaction, so the message is
    enqueued exactly when the caller's other changes commit.
    """
    if body is None and template_name is None and media_url is None:
        raise ValueError("an outbox message needs a body, a template or a media URL")
    now = utcnow()
    values = {
        "to_phone": to_phone,
        "contact_id": contact_id,
        "body": body,
        "template_name": template_name,
        "template_variables": template_variables,
        "media_url": media_url,
        "idempotency_key": key,
        "kind": kind,
        "ref": ref,
        "ignore_opt_out": ignore_opt_out,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "needs_reconcile": False,
        "next_attempt_at": not_before or now,
        "created_at": now,
        "updated_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OutboxMessage.id)
    )
    # RETURNING, not rowcount: psycopg reports rowcount -1 for this statement through the ORM session.
    return session.execute(statement).first() is not None


def messages_to(session: Session, phone: str) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_phone == phone).order_by(OutboxMessage.id)
        )
    )
