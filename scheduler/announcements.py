"""The announcement job: fire the kader's scheduled and monthly announcements whose local time has come.

Each run only selects and enqueues (``flows.announcements.broadcast.fire_due``) in one transaction. A run fires
an announcement at most once per run date (``announcement_run`` is unique, outbox keys too), so a
double run, a restart or two clocks racing add nothing twice.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from db.session import transaction
from flows.announcements.broadcast import fire_due
from scheduler.jobs import context

log = logging.getLogger(__name__)


def send_due_announcements() -> int:
    """The scheduler job; returns how many announcements fired."""
    ctx = context()
    try:
        with transaction(ctx.sessions) as session:
            fired = fire_due(session, ctx.clock(), ctx.settings)
            summary = [(item.announcement.id, item.run_date.isoformat(), item.result.added) for item in fired]
    except IntegrityError:
        log.warning("announcements: another run fired the same announcement first; skipped")
        return 0
    for number, run_date, added in summary:
        log.info("announcement %s (%s): %s messages enqueued", number, run_date, added)
    return len(summary)
