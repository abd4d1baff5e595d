"""The schema: Alembic migrations build exactly the models, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from db.migrations.env_filters import include_name, include_object_on
from db.models import Base
from db.session import current_revision, make_engine, upgrade


def test_migrations_match_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_name": include_name, "include_object": include_object_on(connection.dialect.name)},
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_is_idempotent_and_reaches_head(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) is not None
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"contact", "child", "inbound_message", "outbox_message", "conversation_state", "event"} <= tables


def test_fresh_sqlite_file_is_created_and_migrated(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'new.db'}")
    upgrade(engine)
    assert "posyandu" in inspect(engine).get_table_names()
    engine.dispose()
