"""Consistent backups of an SQLite database in use, and checked restores."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from ..errors import DatabaseError, UserError


def sqlite_backup(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` with SQLite's online backup API (safe while in use).

    The copy is written next to the target and renamed into place, so an interrupted backup
    never leaves a half-written file under the target's name.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".db", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(tmp)
        try:
            with dst:
                src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            dst.close()
            src.close()
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        raise DatabaseError(f"Не удалось сделать резервную копию: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def inspect_backup(path: Path) -> str:
    """Check that ``path`` is an intact Стажировка database; return its schema revision."""
    if not path.is_file():
        raise UserError(f"Файл «{path}» не найден.")
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise UserError(f"Файл «{path}» — не резервная копия базы данных (не SQLite).")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (integrity,) = conn.execute("PRAGMA integrity_check").fetchone()
            if integrity != "ok":
                raise UserError(f"Резервная копия «{path}» повреждена: {integrity}.")
            try:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.OperationalError:
                row = None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"Резервная копия «{path}» не читается: {exc}.") from exc
    if not row:
        raise UserError(f"Файл «{path}» — не база данных «Стажировки».")
    return str(row[0])
