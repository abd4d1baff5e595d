"""What every process needs at hand: settings, the database and the outbound transport."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from db.session import make_engine, make_session_factory, upgrade
from flows.core.settings import FlowSettings


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    @cached_property
    def transport(self):  # type: ignore[no-untyped-def]
        from bot.transport import make_transport

        return make_transport(self.settings)


def build_runtime(settings: Settings, *, migrate: bool = True) -> Runtime:
    """Connect to the database and bring the schema up to date (created on first use)."""
    engine = make_engine(settings.DATABASE_URL)
    if migrate:
        upgrade(engine)
    return Runtime(settings=settings, engine=engine, sessions=make_session_factory(engine))


def flow_settings(runtime: Runtime) -> FlowSettings:
    """What the flows need of the settings."""
    settings = runtime.settings
    return FlowSettings(
        timezone=settings.TIMEZONE,
        conversation_ttl_minutes=settings.CONVERSATION_TTL_MINUTES,
        max_process_attempts=settings.MAX_PROCESS_ATTEMPTS,
        case_escalation_minutes=settings.CASE_ESCALATION_MINUTES,
        case_reminder_minutes=settings.CASE_REMINDER_MINUTES,
        darurat_checkback_minutes=settings.DARURAT_CHECKBACK_MINUTES,
        daily_recipient_limit=settings.DAILY_RECIPIENT_LIMIT,
        public_url=settings.PUBLIC_URL,
    )
