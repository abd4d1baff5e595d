"""Which database objects Alembic compares with the models (shared by env.py and the tests)."""

from __future__ import annotations

#: Tables that belong to libraries (APScheduler's job store), not to our models.
FOREIGN_TABLES = {"apscheduler_jobs"}


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (type_ == "table" and name in FOREIGN_TABLES)
