"""Scheduled jobs. Each one only reads and enqueues (or tidies up); nothing here sends a message.

Jobs are referenced by name in the persistent job store, so their arguments stay plain; the
database and settings come from :data:`CONTEXT`, set by the clock when it starts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from db.models import ConversationState, utcnow
from db.session import transaction
from flows.core.settings import FlowSettings

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    sessions: sessionmaker[Session]
    settings: FlowSettings
    #: Naive UTC "now"; tests move it instead of sleeping.
    clock: Callable[[], dt.datetime] = utcnow


CONTEXT: JobContext | None = None


def context() -> JobContext:
    if CONTEXT is None:
        raise RuntimeError("the scheduler context is not set; start the clock with scheduler.clock")
    return CONTEXT


def enqueue_counted(work: Callable[[Session, dt.datetime, str], int], done: str) -> int:
    """Run ``work(session, now, default timezone)`` in one transaction; log ``done % count`` when any."""
    ctx = context()
    with transaction(ctx.sessions) as session:
        count = work(session, ctx.clock(), ctx.settings.timezone)
    if count:
        log.info(done, count)
    return count


def expire_conversations() -> int:
    """Drop conversation state that has been idle past its expiry (the mother is told next time)."""
    ctx = context()
    with transaction(ctx.sessions) as session:
        result = session.execute(delete(ConversationState).where(ConversationState.expires_at <= ctx.clock()))
        removed = int(getattr(result, "rowcount", 0) or 0)
    if removed:
        log.info("expired %d idle conversations", removed)
    return removed
