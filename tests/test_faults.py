"""A process killed (SIGKILL) in the middle of an import, a batch of certificates and a
migration: afterwards the database opens, holds none of that work, and no half-written file is
left (issue 6)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from stazhirovka.db import open_database
from stazhirovka.models import Certificate, Organization, Person

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _kill_when_working(*args: str) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.fault_worker", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ) as child:  # fmt: skip
        try:
            line = child.stdout.readline() if child.stdout else ""
            if line.strip() != "WORKING":
                child.kill()
                raise AssertionError((line, child.stderr.read() if child.stderr else ""))
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
    assert child.returncode == -signal.SIGKILL


def _intact(path: Path) -> None:
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_killed_import_leaves_nothing(tmp_path: Path, new_url) -> None:  # type: ignore[no-untyped-def]
    from bench.spreadsheets import persons_import_workbook

    workbook = persons_import_workbook(tmp_path / "педагоги.xlsx", 3000)
    url = new_url("sqlite", migrated=True)
    _kill_when_working("import", url, str(workbook))
    db = open_database(url)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Person)) == 0
            # the file's 300 schools were written first, inside the killed transaction
            assert s.scalar(select(func.count()).select_from(Organization)) == 0
    finally:
        db.close()
    _intact(Path(url.removeprefix("sqlite:///")))


def test_killed_certificate_batch_leaves_no_number_and_no_file(demo_template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    url = f"sqlite:///{path}"
    db = open_database(url)
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(Certificate))
    db.close()
    out = tmp_path / "выдача" / "сертификаты.pdf"
    out.parent.mkdir()
    _kill_when_working("certificates", url, str(out))
    db = open_database(url)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Certificate)) == before
    finally:
        db.close()
    _intact(path)
    # the staged pages are hidden temporary files; the target never appeared
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir() if not p.name.startswith(".")] == []


def test_killed_migration_leaves_the_old_schema(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from stazhirovka import migrations

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations.upgrade(conn, "0005")
    engine.dispose()
    _kill_when_working("migration", f"sqlite:///{path}")
    _intact(path)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0005",)
        columns = [r[1] for r in con.execute("PRAGMA table_info(app_user)")]
        assert "failed_logins" not in columns
    open_database(f"sqlite:///{path}").close()  # and the next start upgrades it
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0006",)
