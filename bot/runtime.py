"""What every process needs at hand: settings, the database and the outbound transport."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from db.session import make_engine, make_session_factory, upgrade


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
