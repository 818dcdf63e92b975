"""Write a new migration from the difference between the models and the current head.

    .venv/bin/python -m stazhirovka.migrations.make "what changed"

It upgrades a scratch SQLite database to head and lets Alembic compare; review the generated
file (PostgreSQL-only details such as triggers are written by hand, as in 0002), and move
``HEAD`` in ``migrations/__init__.py`` to the new revision (a test checks it).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from stazhirovka import migrations
from stazhirovka.db import make_engine


def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        with engine.begin() as conn:
            migrations.upgrade(conn)
            number = len(migrations.known_revisions()) + 1
            command.revision(
                migrations.alembic_config(conn),
                message=message,
                autogenerate=True,
                rev_id=f"{number:04d}",
            )
        engine.dispose()
    print(f'Set HEAD = "{number:04d}" in stazhirovka/migrations/__init__.py.')


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "schema change")
