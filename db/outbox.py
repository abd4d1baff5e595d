"""Putting messages into the outbox: the one way anything is sent."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import BigInteger, DateTime, String, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
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


def enqueue_many(session: Session, messages: Sequence[Mapping[str, Any]]) -> set[str]:
    """Add many messages in one statement (the driver batches the rows); returns the keys newly added.

    Each message has ``to_phone``, ``key`` and optionally the other arguments of :func:`enqueue`;
    a key that already exists adds nothing, as in :func:`enqueue`.
    """
    if not messages:
        return set()
    now = utcnow()
    rows = []
    for message in messages:
        if message.get("body") is None and message.get("template_name") is None:
            raise ValueError("an outbox message needs a body or a template")
        rows.append(
            {
                "to_phone": message["to_phone"],
                "contact_id": message.get("contact_id"),
                "body": message.get("body"),
                "template_name": message.get("template_name"),
                "template_variables": message.get("template_variables"),
                "media_url": None,
                "idempotency_key": message["key"],
                "kind": message.get("kind", "reply"),
                "ref": message.get("ref"),
                "ignore_opt_out": False,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "needs_reconcile": False,
                "next_attempt_at": message.get("not_before") or now,
                "created_at": now,
                "updated_at": now,
            }
        )
    if session.get_bind().dialect.name == "postgresql":
        return _insert_unnest(session, rows, now)
    statement = (
        sqlite_insert(OutboxMessage)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OutboxMessage.idempotency_key)
    )
    return set(session.connection().execute(statement, rows).scalars())


#: PostgreSQL: one INSERT ... SELECT over arrays (a many-row VALUES list costs psycopg seconds to convert).
_UNNEST_INSERT = text(
    """
    INSERT INTO outbox_message (
        to_phone, contact_id, body, template_name, template_variables, media_url, idempotency_key, kind,
        ref, ignore_opt_out, status, attempts, needs_reconcile, next_attempt_at, created_at, updated_at)
    SELECT r.to_phone, r.contact_id, r.body, r.template_name, CAST(r.variables AS JSON), NULL, r.key,
        r.kind, r.ref, false, :status, 0, false, r.next_attempt_at, :now, :now
    FROM unnest(:to_phone, :contact_id, :body, :template_name, :variables, :key, :kind, :ref,
                :next_attempt_at)
        AS r(to_phone, contact_id, body, template_name, variables, key, kind, ref, next_attempt_at)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING idempotency_key
    """
).bindparams(
    *(bindparam(name, type_=ARRAY(String)) for name in ("to_phone", "body", "template_name", "variables")),
    *(bindparam(name, type_=ARRAY(String)) for name in ("key", "kind", "ref")),
    bindparam("contact_id", type_=ARRAY(BigInteger)),
    bindparam("next_attempt_at", type_=ARRAY(DateTime)),
)


def _insert_unnest(session: Session, rows: list[dict[str, Any]], now: dt.datetime) -> set[str]:
    def column(name: str) -> list[Any]:
        return [row[name] for row in rows]

    variables = [
        None
        if row["template_variables"] is None
        else json.dumps(row["template_variables"], ensure_ascii=False)
        for row in rows
    ]
    parameters = {
        "to_phone": column("to_phone"),
        "contact_id": column("contact_id"),
        "body": column("body"),
        "template_name": column("template_name"),
        "variables": variables,
        "key": column("idempotency_key"),
        "kind": column("kind"),
        "ref": column("ref"),
        "next_attempt_at": column("next_attempt_at"),
        "status": OutboxStatus.PENDING,
        "now": now,
    }
    return set(session.execute(_UNNEST_INSERT, parameters).scalars())
