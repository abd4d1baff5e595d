"""The clock: jobs persist across restarts without doubling, and run on injected time."""

from __future__ import annotations

import datetime as dt

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from bot.runtime import Runtime
from db.models import ConversationState
from flows.core.settings import FlowSettings
from scheduler import clock, jobs
from tests.chat import Chat


def _start(runtime: Runtime, now: dt.datetime) -> BackgroundScheduler:
    scheduler = BackgroundScheduler()
    clock.configure(scheduler, runtime.engine, runtime.sessions, FlowSettings(), clock=lambda: now)
    scheduler.start(paused=True)
    return scheduler


def test_restarting_the_clock_never_doubles_a_job(runtime: Runtime) -> None:
    now = dt.datetime(2026, 11, 24, 3, 0)
    for _restart in range(3):
        scheduler = _start(runtime, now)
        ids = sorted(job.id for job in scheduler.get_jobs())
        scheduler.shutdown(wait=False)
    assert ids == sorted(clock.INTERVAL_JOBS)


def test_idle_conversations_expire_on_the_moved_clock(runtime: Runtime) -> None:
    chat = Chat(runtime.sessions, "+6281234500009")
    chat.say("halo", "1")
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ConversationState)) == 1
    scheduler = _start(runtime, chat.now + dt.timedelta(hours=1))
    assert jobs.expire_conversations() == 0
    scheduler.shutdown(wait=False)
    scheduler = _start(runtime, chat.now + dt.timedelta(days=2))
    assert jobs.expire_conversations() == 1
    scheduler.shutdown(wait=False)
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ConversationState)) == 0
