"""The immunization reminder job: bring stale child plans up to date, then enqueue what is due.

Runs every few minutes; each run only selects and enqueues (``flows.immunization.reminders``), in one
transaction. A second run, a restart or two clocks racing add nothing twice: every reminder step is
logged under a unique (child, vaccine, step, posyandu day) and every outbox row has its own key.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.session import transaction
from flows.core.localtime import local_today
from flows.immunization.reminders import enqueue_due
from flows.services.immunization_plans import refresh_children, stale_children
from scheduler.jobs import context

log = logging.getLogger(__name__)


def sync_plans(session: Session, now: dt.datetime, default_timezone: str) -> int:
    """Children registered or changed elsewhere (registration, DATA SAYA) get their ``dose_due`` rows."""
    ids = stale_children(session)
    if not ids:
        return 0
    # One day either way does not change a target: targets only use "today" for doses already late.
    today = local_today(now, ZoneInfo(default_timezone))
    return refresh_children(session, ids, today)


def run(session: Session, now: dt.datetime, default_timezone: str) -> dict[str, int]:
    synced = sync_plans(session, now, default_timezone)
    counts = enqueue_due(session, now, default_timezone)
    return {"plans": synced, **counts}


def enqueue_immunization_reminders() -> dict[str, int]:
    """The scheduler job."""
    ctx = context()
    try:
        with transaction(ctx.sessions) as session:
            counts = run(session, ctx.clock(), ctx.settings.timezone)
    except IntegrityError:
        log.warning("immunization reminders: another run enqueued the same reminders first; skipped")
        return {}
    if any(counts.values()):
        log.info("immunization reminders: %s", counts)
    return counts
