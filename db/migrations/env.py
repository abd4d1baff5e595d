"""Alembic environment: the engine is handed in by ``db.session.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from db.migrations.env_filters import include_name, include_object_on
from db.models import Base
from db.session import make_engine

config = context.config
engine: Engine = config.attributes.get("engine") or make_engine(config.get_main_option("sqlalchemy.url"))

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
        include_object=include_object_on(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()
