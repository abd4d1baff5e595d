"""The scheduler process: APScheduler 3 with a persistent job store in the project's database.

One clock runs per deployment (``posyandu-bot scheduler``, or inside ``posyandu-bot serve`` on the
embedded default). Jobs are stored under stable ids with ``replace_existing``, so a restart never
duplicates them; missed runs are coalesced into one, and a run more than ``MISFIRE_GRACE`` late is
skipped as stale. What a job enqueues carries its own idempotency key, so even a double run adds
nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.models import utcnow
from flows.core.settings import FlowSettings
from scheduler import jobs

JOBSTORE_TABLE = "apscheduler_jobs"
MISFIRE_GRACE = dt.timedelta(hours=1)

#: job id → (function reference, interval in minutes)
INTERVAL_JOBS: dict[str, tuple[str, int]] = {
    "expire-conversations": ("scheduler.jobs:expire_conversations", 15),
    "asi-checkins": ("scheduler.asi:enqueue_asi_checkins", 30),
    "case-desk": ("scheduler.cases:run_case_desk", 1),
    "immunization-reminders": ("scheduler.immunization:enqueue_immunization_reminders", 10),
    "announcements": ("scheduler.announcements:send_due_announcements", 5),
    "development-checks": ("scheduler.development:enqueue_development_checks", 60),
}


def configure(
    scheduler: BaseScheduler,
    engine: Engine,
    sessions: sessionmaker[Session],
    settings: FlowSettings,
    clock: Callable[[], dt.datetime] = utcnow,
) -> BaseScheduler:
    jobs.CONTEXT = jobs.JobContext(sessions=sessions, settings=settings, clock=clock)
    scheduler.configure(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
        },
        timezone="UTC",
    )
    for job_id, (function, minutes) in INTERVAL_JOBS.items():
        scheduler.add_job(function, "interval", minutes=minutes, id=job_id, replace_existing=True)
    return scheduler


def start_background(
    engine: Engine, sessions: sessionmaker[Session], settings: FlowSettings
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler()
    configure(scheduler, engine, sessions, settings)
    scheduler.start()
    return scheduler


def run_blocking(engine: Engine, sessions: sessionmaker[Session], settings: FlowSettings) -> None:
    scheduler = BlockingScheduler()
    configure(scheduler, engine, sessions, settings)
    scheduler.start()
