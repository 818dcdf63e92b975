"""Alembic migrations shipped inside the package, run programmatically on a shared connection.

Alembic itself is imported only when a schema has to be created, upgraded or examined: a
database already at :data:`HEAD` is recognised by one query (importing Alembic costs about a
third of a second of every start).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in versions/ (a test keeps it equal to Alembic's head).
HEAD = "0006"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("stazhirovka.migrations")))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@dataclass(frozen=True)
class SchemaState:
    status: Literal["empty", "current", "older", "newer", "foreign"]
    current: str | None


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, or None (no table, no row, unreadable)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def check_state(engine: Engine) -> SchemaState:
    if stored_revision(engine) == HEAD:
        return SchemaState("current", HEAD)
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    if current is None:
        return SchemaState("empty" if not tables - {"alembic_version"} else "foreign", None)
    if current == script.get_current_head():
        return SchemaState("current", current)
    return SchemaState("older" if current in known_revisions() else "newer", current)


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Upgrade inside the caller's transaction (committed or rolled back by the caller)."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), revision)
