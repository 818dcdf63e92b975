"""Alembic environment: runs on the engine handed over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from stazhirovka.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # the alembic command line: use the program's own engine set-up
        from stazhirovka.db import make_engine, resolve_url

        engine = make_engine(config.get_main_option("sqlalchemy.url") or resolve_url())
        with engine.begin() as conn:
            _run(conn)
    else:
        _run(connection)


def _include_name(name: str | None, type_: str, _parent: object) -> bool:
    # Trigram indexes live beside the models, made by migrations alone (see 0003).
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("person_fts")
    if type_ == "index":
        return not name.endswith("_trgm")
    return True


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=_include_name,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported.")
run_migrations_online()
