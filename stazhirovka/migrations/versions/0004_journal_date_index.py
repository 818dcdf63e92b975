"""An index on the journal's entry date: the journal registry lists the latest entries first.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_journal_entry_entry_date", "journal_entry", ["entry_date"])


def downgrade() -> None:
    op.drop_index("ix_journal_entry_entry_date", table_name="journal_entry")
