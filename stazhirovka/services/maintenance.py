"""Backup and restore of a whole database, as the CLI and the window's settings do them."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime
from pathlib import Path

from .. import migrations, paths
from ..db import describe, is_sqlite, sqlite_path
from ..errors import UserError
from .backup import inspect_backup, sqlite_backup

log = logging.getLogger(__name__)

PG_DUMP_HINT = (
    "Для PostgreSQL резервную копию делает pg_dump на сервере: "
    "pg_dump -Fc -f stazhirovka.dump ИМЯ_БАЗЫ (см. README, раздел «Резервные копии»)."
)


def backup_database(url: str, target: Path) -> Path:
    """A consistent copy of the database in use, written to ``target``."""
    if not is_sqlite(url):
        raise UserError(PG_DUMP_HINT)
    source = sqlite_path(url)
    if source is None or not source.is_file():
        raise UserError(f"Файл базы данных не найден ({describe(url)}).")
    if target.resolve() == source.resolve():
        raise UserError("Резервную копию нельзя записать поверх самой базы данных.")
    sqlite_backup(source, target)
    inspect_backup(target)  # read back what was written
    log.info("Backup written to %s", target)
    return target


DAILY_KEEP = 10  # daily copies kept per database file
_DAILY = "-daily-"


def daily_backup(
    url: str, folder: Path | None = None, today: date | None = None, keep: int = DAILY_KEEP
) -> Path | None:
    """Once a day, a checked copy of an SQLite database in ``folder`` (the user's backup folder),
    keeping the last ``keep`` of them. None when today's copy exists, for PostgreSQL (pg_dump
    on the server, README) and for a database in memory."""
    source = sqlite_path(url) if is_sqlite(url) else None
    if source is None or not source.is_file():
        return None
    folder = folder or paths.backup_dir()
    today = today or date.today()
    prefix = f"{source.stem}{_DAILY}"
    target = folder / f"{prefix}{today:%Y-%m-%d}.db"
    if target.exists():
        return None
    backup_database(url, target)
    # ISO dates sort by time; older copies beyond ``keep`` go
    for old in sorted(folder.glob(f"{prefix}????-??-??.db"))[:-keep]:
        old.unlink(missing_ok=True)
        log.info("Old daily backup removed: %s", old.name)
    return target


def restore_database(url: str, source: Path) -> Path | None:
    """Replace the database at ``url`` with the backup ``source``, after checking it.

    The backup must be intact, a Стажировка database, and not newer than this program. The
    current database is first copied aside, so a restore can itself be undone.
    """
    if not is_sqlite(url):
        raise UserError("Восстановление из файла возможно только для базы SQLite. " + PG_DUMP_HINT)
    target = sqlite_path(url)
    if target is None:
        raise UserError("Нельзя восстановить базу данных в памяти.")
    revision = inspect_backup(source)
    known = migrations.known_revisions()
    if revision not in known:
        raise UserError(
            f"Резервная копия сделана более новой версией программы (версия схемы {revision}). "
            "Обновите «Стажировку», чтобы восстановить её."
        )
    safety: Path | None = None
    if target.is_file():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        safety = paths.backup_dir() / f"{target.stem}-before-restore-{stamp}.db"
        sqlite_backup(target, safety)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        # The backup API writes the whole copy in one step, through the target's own locks
        # and journal, so readers never see half a database.
        src.backup(dst)
    except sqlite3.Error as exc:
        raise UserError(f"Не удалось восстановить базу данных: {exc}.") from exc
    finally:
        dst.close()
        src.close()
    log.info("Database restored from %s (schema %s)", source, revision)
    return safety
