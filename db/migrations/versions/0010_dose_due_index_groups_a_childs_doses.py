"""merge heads; dose_due target index groups a child's doses

Revision ID: 0010
Revises: 0005, 0007
Create Date: 2026-11-25 11:10:00

The daily reminder selection seeks ``ix_dose_due_target`` by posyandu day. With ``child_id`` right
after ``target`` (instead of after ``until``) the doses of one child on one day come one after the
other, so the lookups into child, contact and the reminder log for a child's second, third, fourth
dose hit pages just read instead of pages evicted meanwhile, and children are visited in id order.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = ("0005", "0007")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_dose_due_target", table_name="dose_due")
    op.create_index("ix_dose_due_target", "dose_due", ["target", "child_id", "vaccine", "until", "due"])


def downgrade() -> None:
    op.drop_index("ix_dose_due_target", table_name="dose_due")
    op.create_index("ix_dose_due_target", "dose_due", ["target", "until", "child_id", "vaccine", "due"])
