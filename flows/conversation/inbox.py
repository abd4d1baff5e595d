"""Inbound messages: stored first, then processed exactly once.

``store_inbound`` commits the raw message in its own transaction before anything else happens, so
nothing is lost if processing fails or the process dies. ``process_inbound`` claims the stored row,
runs the conversation and enqueues every reply in one transaction: either all of it is written, or
none of it is and the row keeps its error for the worker to retry. A Twilio retry of the same
``MessageSid`` finds the row already there and is ignored.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from db.models import Contact, InboundMessage, InboundStatus
from db.outbox import enqueue
from db.session import transaction
from flows.conversation import route
from flows.core.messages import Incoming, split_long
from flows.core.settings import FlowSettings
from messages_id import _

log = logging.getLogger(__name__)

RETRY_DELAYS_SECONDS = (10, 60, 300, 1800, 3600)


def store_inbound(
    sessions: sessionmaker[Session],
    *,
    message_sid: str,
    from_phone: str,
    body: str,
    num_media: int,
    payload: dict[str, Any],
    now: dt.datetime,
) -> int | None:
    """Commit the raw message; returns its id, or None when this ``MessageSid`` was already stored."""
    values = {
        "message_sid": message_sid,
        "from_phone": from_phone,
        "body": body,
        "num_media": num_media,
        "payload": payload,
        "status": InboundStatus.RECEIVED,
        "attempts": 0,
        "received_at": now,
    }
    with transaction(sessions) as session:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = (
            insert(InboundMessage)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["message_sid"])
            .returning(InboundMessage.id)
        )
        return session.execute(statement).scalar_one_or_none()


def _claim(session: Session, inbound_id: int) -> InboundMessage | None:
    """Take the row for this transaction; None when it is already processed (or being processed)."""
    claimed = session.execute(
        update(InboundMessage)
        .where(
            InboundMessage.id == inbound_id,
            InboundMessage.status.in_([InboundStatus.RECEIVED, InboundStatus.FAILED]),
        )
        .values(attempts=InboundMessage.attempts + 1)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return None
    return session.get(InboundMessage, inbound_id)


def find_or_create_contact(session: Session, phone: str, now: dt.datetime) -> Contact:
    contact = session.scalar(select(Contact).where(Contact.phone == phone))
    if contact is None:
        contact = Contact(phone=phone, created_at=now, updated_at=now)
        session.add(contact)
        session.flush()
    return contact


def process_inbound(
    sessions: sessionmaker[Session], inbound_id: int, *, now: dt.datetime, settings: FlowSettings
) -> bool:
    """Run the conversation for one stored message; True when it was processed by this call."""
    try:
        with transaction(sessions) as session:
            inbound = _claim(session, inbound_id)
            if inbound is None:
                return False
            contact = find_or_create_contact(session, inbound.from_phone, now)
            contact.last_inbound_at = inbound.received_at
            incoming = Incoming(
                text=inbound.body, num_media=inbound.num_media, message_sid=inbound.message_sid
            )
            replies = route.handle(session, contact, incoming, now=now, settings=settings)
            counters: dict[str, int] = {}
            for reply in replies:
                to_phone = reply.to_phone or inbound.from_phone
                for part, body in enumerate(split_long(reply.body)):
                    n = counters[reply.tag] = counters.get(reply.tag, 0) + 1
                    enqueue(
                        session,
                        to_phone=to_phone,
                        key=f"{reply.tag}:{inbound.message_sid}:{n}",
                        body=body,
                        contact_id=contact.id if to_phone == inbound.from_phone and contact.phone else None,
                        ignore_opt_out=reply.ignore_opt_out,
                        media_url=reply.media_url if part == 0 else None,
                        not_before=now,  # the caller's clock, not the wall clock
                    )
            inbound.status = InboundStatus.PROCESSED
            inbound.processed_at = now
            inbound.error = None
            return True
    except Exception as exc:
        log.exception("processing inbound message %s failed", inbound_id)
        _record_failure(sessions, inbound_id, exc, now=now, settings=settings)
        return False


def _record_failure(
    sessions: sessionmaker[Session],
    inbound_id: int,
    exc: Exception,
    *,
    now: dt.datetime,
    settings: FlowSettings,
) -> None:
    with transaction(sessions) as session:
        inbound = session.get(InboundMessage, inbound_id)
        if inbound is None or inbound.status == InboundStatus.PROCESSED:
            return
        inbound.attempts += 1
        inbound.error = "".join(traceback.format_exception_only(exc)).strip()[:2000]
        if inbound.attempts >= settings.max_process_attempts:
            inbound.status = InboundStatus.DEAD
            inbound.next_attempt_at = None
        else:
            inbound.status = InboundStatus.FAILED
            delay = RETRY_DELAYS_SECONDS[min(inbound.attempts, len(RETRY_DELAYS_SECONDS)) - 1]
            inbound.next_attempt_at = now + dt.timedelta(seconds=delay)
        contact = session.scalar(select(Contact).where(Contact.phone == inbound.from_phone))
        if contact is None or not contact.is_opted_out:
            enqueue(
                session,
                to_phone=inbound.from_phone,
                key=f"apology:{inbound.message_sid}",
                body=_("Sorry, something went wrong on our side. We will answer your message shortly."),
                not_before=now,
            )


def retry_due(
    sessions: sessionmaker[Session],
    *,
    now: dt.datetime,
    settings: FlowSettings,
    stale_after: dt.timedelta = dt.timedelta(seconds=30),
    limit: int = 100,
) -> int:
    """Process failed messages whose retry time has come, and received ones nobody processed."""
    with sessions() as session:
        ids = list(
            session.scalars(
                select(InboundMessage.id)
                .where(
                    (
                        (InboundMessage.status == InboundStatus.FAILED)
                        & (InboundMessage.next_attempt_at <= now)
                    )
                    | (
                        (InboundMessage.status == InboundStatus.RECEIVED)
                        & (InboundMessage.received_at <= now - stale_after)
                    )
                )
                .order_by(InboundMessage.id)
                .limit(limit)
            )
        )
    return sum(process_inbound(sessions, inbound_id, now=now, settings=settings) for inbound_id in ids)
