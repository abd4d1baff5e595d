"""indexes for the reminder selection's lookups: reminder log by day and step; on PostgreSQL,
covering indexes on child and on the mothers who may be messaged

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 12:30:00

The daily selection checks each pending dose against the reminder log for one posyandu day and
step (``ix_immunization_reminder_day``), then looks its child and the child's mother up by id. On
PostgreSQL the two covering indexes answer those lookups from the index alone, so the planner
joins by index instead of hashing the whole child table; SQLite's rowid lookups need neither.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

NOTIFIABLE_MOTHER = sa.text(
    "role = 'ibu' AND phone IS NOT NULL AND consent_given_at IS NOT NULL "
    "AND consent_withdrawn_at IS NULL AND opted_out_at IS NULL AND erased_at IS NULL"
)


def upgrade() -> None:
    op.create_index(
        "ix_immunization_reminder_day", "immunization_reminder", ["target", "step", "child_id", "vaccine"]
    )
    if op.get_context().dialect.name == "postgresql":
        op.create_index("ix_child_id_mother_name", "child", ["id"], postgresql_include=["mother_id", "name"])
        op.create_index(
            "ix_contact_notifiable_mother",
            "contact",
            ["id"],
            postgresql_include=["phone", "name", "posyandu_id"],
            postgresql_where=NOTIFIABLE_MOTHER,
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.drop_index("ix_contact_notifiable_mother", table_name="contact")
        op.drop_index("ix_child_id_mother_name", table_name="child")
    op.drop_index("ix_immunization_reminder_day", table_name="immunization_reminder")
