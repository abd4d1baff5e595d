"""Shared fixtures: a real, migrated database per test (SQLite by default, PostgreSQL in CI).

Set ``POSYANDU_TEST_DATABASE_URL=postgresql+psycopg://...`` to run the whole suite on PostgreSQL;
each test then starts from empty tables of a schema migrated once by Alembic.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings, load_settings
from bot.runtime import Runtime, build_runtime
from db.models import Base
from db.session import make_engine, make_session_factory, upgrade

TEST_DATABASE_URL = os.environ.get("POSYANDU_TEST_DATABASE_URL")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-transcripts",
        action="store_true",
        help="write what the bot says now into tests/conversation/transcripts/ instead of comparing",
    )


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's POSYANDU_* or TWILIO_* settings."""
    for name in list(os.environ):
        if name.startswith(("POSYANDU_", "TWILIO_")):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def _migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    if TEST_DATABASE_URL:
        engine = make_engine(TEST_DATABASE_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade(engine)
        engine.dispose()
        return TEST_DATABASE_URL
    template = tmp_path_factory.mktemp("template") / "posyandu.db"
    engine = make_engine(f"sqlite:///{template}")
    upgrade(engine)
    engine.dispose()
    return str(template)


@pytest.fixture
def db_url(_migrated_database: str, tmp_path: Path) -> str:
    """The URL of an empty, fully migrated database for this test."""
    if TEST_DATABASE_URL:
        engine = make_engine(TEST_DATABASE_URL)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return TEST_DATABASE_URL
    path = tmp_path / "posyandu.db"
    shutil.copyfile(_migrated_database, path)
    return f"sqlite:///{path}"


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> dict[str, Any]:
    """Overrides for ``create_app``/``load_settings``: the test database and the log transport."""
    return {
        "DATABASE_URL": db_url,
        "TRANSPORT": "log",
        "LOG_DIR": str(tmp_path / "outbound"),
        "SECRET_KEY": "test-secret",
        "TESTING": True,
    }


@pytest.fixture
def settings(config: dict[str, Any]) -> Settings:
    return load_settings(config, environ={})


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    runtime = build_runtime(settings)
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def sessions(runtime: Runtime) -> sessionmaker[Session]:
    return runtime.sessions


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def raw_sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the test database without building a runtime."""
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()
