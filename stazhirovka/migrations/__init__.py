"""Alembic migrations shipped inside the package, run programmatically on a shared connection."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("stazhirovka.migrations")))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@dataclass(frozen=True)
class SchemaState:
    status: Literal["empty", "current", "older", "newer", "foreign"]
    current: str | None


def check_state(engine: Engine) -> SchemaState:
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
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)
