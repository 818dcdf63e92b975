"""Trigram indexes over persons' search keys.

LIKE '%…%' reads every key: 0.3 s at a million persons, for every count of matches and every
search for a rare name. On SQLite an FTS5 trigram table answers the same substring question
from an index (MEASURED.md: 0.4 ms for the first 100 matches, 0.7 ms for a count), kept in step
with ``person`` by triggers; the registry queries it directly. On PostgreSQL a pg_trgm GIN index
serves the registry's plain LIKE as it is — where the server has the extension; elsewhere the
search still works, by reading the keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _postgresql_trigram_index(bind)
        return
    if bind.dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE person_fts USING fts5("
        "search_key, content='person', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER person_fts_insert AFTER INSERT ON person BEGIN "
        "INSERT INTO person_fts(rowid, search_key) VALUES (new.id, new.search_key); END"
    )
    op.execute(
        "CREATE TRIGGER person_fts_delete AFTER DELETE ON person BEGIN "
        "INSERT INTO person_fts(person_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key); END"
    )
    op.execute(
        "CREATE TRIGGER person_fts_update AFTER UPDATE OF search_key ON person BEGIN "
        "INSERT INTO person_fts(person_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
        "INSERT INTO person_fts(rowid, search_key) VALUES (new.id, new.search_key); END"
    )
    op.execute("INSERT INTO person_fts(person_fts) VALUES ('rebuild')")


def _postgresql_trigram_index(bind) -> None:
    available = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    ).scalar()
    if not available:
        return
    try:
        # A refusal (the account may not create extensions) must not abort the migration.
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError:
        return
    op.execute(
        "CREATE INDEX ix_person_search_key_trgm ON person USING gin (search_key gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_person_search_key_trgm")
        return
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS person_fts_{trigger}")
    op.execute("DROP TABLE IF EXISTS person_fts")
