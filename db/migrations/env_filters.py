"""Which database objects Alembic compares with the models (shared by env.py and the tests)."""

from __future__ import annotations

from collections.abc import Callable

#: Tables that belong to libraries (APScheduler's job store), not to our models.
FOREIGN_TABLES = {"apscheduler_jobs"}


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (type_ == "table" and name in FOREIGN_TABLES)


def include_object_on(dialect: str) -> Callable[[object, str | None, str, bool, object], bool]:
    """Leave out the model's indexes built on another database only (``info["only_on"]``)."""

    def include_object(
        obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
    ) -> bool:
        only_on = getattr(obj, "info", {}).get("only_on") if not reflected else None
        return only_on in (None, dialect)

    return include_object
