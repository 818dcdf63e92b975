"""A restored backup equals the original (issue 6): every row of every table, after the
database was changed in between — SQLite through ``backup``/``restore``, PostgreSQL through the
README's pg_dump / pg_restore recipe."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, inspect, make_url, select, text, update

from stazhirovka.cli import main
from stazhirovka.db import open_database
from stazhirovka.models import JournalEntry, Person

from . import factories as f
from .pgserver import pg_bindir


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            return {
                t: [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t}" ORDER BY 1'))]
                for t in tables
            }
    finally:
        engine.dispose()


def _damage(url: str) -> None:
    db = open_database(url)
    try:
        with db.session() as s:
            s.execute(delete(JournalEntry))
            s.execute(update(Person).values(phone="+7 900 000-00-00"))
            f.person(s, "Новикова", "Вера", "Ильинична")
    finally:
        db.close()


def test_sqlite_restore_gives_back_every_row(demo_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "район.db"
    shutil.copyfile(demo_template, path)
    url = f"sqlite:///{path}"
    before = _rows(url)
    assert len(before["journal_entry"]) > 100
    assert main(["backup", str(tmp_path / "копия.db"), "--db", url]) == 0
    _damage(url)
    assert _rows(url) != before
    assert main(["restore", str(tmp_path / "копия.db"), "--db", url]) == 0
    assert _rows(url) == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_postgresql_dump_and_restore_give_back_every_row(new_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = new_url("postgresql", migrated=True)
    db = open_database(url)
    try:
        with db.session() as s:
            f.completed_internship(s, on=date(2026, 5, 30))
            f.event(s)
    finally:
        db.close()
    before = _rows(url)
    assert before["internship"] and before["audit_entry"]
    u = make_url(url)
    libpq = f"postgresql://{u.username}@{u.host}:{u.port}/{u.database}"
    dump = tmp_path / "stazhirovka.dump"
    bindir = pg_bindir()
    subprocess.run([bindir / "pg_dump", "-Fc", "-f", dump, libpq], check=True)
    _damage(url)
    assert _rows(url) != before
    subprocess.run(
        [bindir / "pg_restore", "--clean", "--if-exists", "-d", libpq, dump],
        check=True,
        capture_output=True,
    )
    assert _rows(url) == before
    db = open_database(url)  # and the program opens it and goes on numbering where it was
    try:
        with db.session() as s:
            made = f.person(s, "Орлова", "Анна", "Сергеевна")
            assert made.id > max(p for p in s.scalars(select(Person.id)) if p != made.id)
    finally:
        db.close()
