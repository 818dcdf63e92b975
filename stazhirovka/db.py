"""Opening a database: URL resolution, engine set-up, migrations, the session factory."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from . import paths
from .errors import DatabaseError, UserError
from .services import access
from .services.access import ANONYMOUS, OWNER, Principal
from .text import fold

log = logging.getLogger(__name__)

ENV_VAR = "STAZHIROVKA_DB"


def resolve_url(explicit: str | None = None) -> str:
    """``--db`` wins, then ``STAZHIROVKA_DB``, then the SQLite file in the user's data folder."""
    url = explicit or os.environ.get(ENV_VAR)
    if url:
        return url
    return f"sqlite:///{paths.default_db_path()}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def describe(url: str) -> str:
    """The database for a status bar or a message, without any password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        return f"SQLite: {path}" if path else "SQLite в памяти"
    return f"PostgreSQL: {parsed.host or 'localhost'}/{parsed.database}"


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # pysqlite would commit implicitly before DDL; take transaction control ourselves so a
    # migration or a batch is all-or-nothing (SQLAlchemy docs, "Serializable isolation").
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # SQLite's lower() folds ASCII only; searches over small tables fold through Python.
    dbapi_conn.create_function("stz_fold", 1, _fold_or_none, deterministic=True)


def _fold_or_none(value: Any) -> str | None:
    return None if value is None else fold(str(value))


def _sqlite_begin(conn: Any) -> None:
    # A unit of work that will write takes the write lock at once: a deferred transaction that
    # read before another desktop's commit cannot start writing later (SQLITE_BUSY at once,
    # whatever the busy timeout), while an immediate one waits its turn.
    immediate = conn.get_execution_options().get(IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


IMMEDIATE = "stazhirovka_write"
LOST_MESSAGE = (
    "Связь с сервером базы данных прервалась; последние изменения не сохранены. Проверьте "
    "сеть и повторите — программа подключится заново."
)
BUSY_MESSAGE = (
    "База данных занята: её сейчас изменяет другой пользователь. Повторите через несколько "
    "секунд; ваши изменения не сохранены."
)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with foreign keys and WAL on SQLite; psycopg 3 for PostgreSQL URLs."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"Не удалось разобрать адрес базы данных «{url}».") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"База данных «{parsed.get_backend_name()}» не поддерживается: укажите SQLite или PostgreSQL."
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    # Error messages and logs never carry the bound values: they are personal data (ФИО, СНИЛС).
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(parsed, pool_pre_ping=True, **kwargs)


@dataclass
class Database:
    """An opened, up-to-date database and its session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    # Who works with this database (services/access.py): the owner of a file without
    # accounts, nobody until :meth:`login` on one with accounts.
    principal: Principal = field(default_factory=lambda: OWNER)

    def __post_init__(self) -> None:
        access.install(self.sessions)

    @contextmanager
    def session(
        self, principal: Principal | None = None, *, write: bool = False
    ) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error. Its reads and
        changes are those :attr:`principal` (or ``principal``) may make. ``write``: the unit
        reads and then writes (issuing, an import) — on SQLite it waits for the write lock
        first, so another desktop's commit in between cannot refuse it halfway."""
        try:
            with self.sessions.begin() as session:
                session.info["principal"] = principal or self.principal
                if write:
                    session.connection(execution_options={IMMEDIATE: True})
                yield session
        except DBAPIError as exc:
            if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
                raise DatabaseError(BUSY_MESSAGE) from exc
            if exc.connection_invalidated:  # the server went away; the pool reconnects next time
                log.warning("Database connection lost: %s", type(exc.orig).__name__)
                raise DatabaseError(LOST_MESSAGE) from exc
            raise

    @property
    def needs_login(self) -> bool:
        return self.principal.anonymous

    def login(self, login: str, password: str) -> Principal:
        """Log in as ``login``; a wrong password is counted even though the login fails."""
        from .services.users import UserService, principal_for

        failure: UserError | None = None
        with self.session(OWNER) as session:
            try:
                who = principal_for(UserService().authenticate(session, login, password))
            except UserError as exc:
                failure = exc
        if failure is not None:
            raise failure
        self.principal = who
        return who

    def logout(self) -> None:
        """Forget who logged in: nothing is read again until someone logs in."""
        self.principal = ANONYMOUS

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a bulk load: the demo, an import)."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    def close(self) -> None:
        if self.engine.dialect.name == "sqlite":
            # SQLite's advice: let it refresh statistics that drifted, as a connection closes.
            try:
                with self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA optimize")
            except DBAPIError:
                log.debug("PRAGMA optimize skipped", exc_info=True)
        self.engine.dispose()


def open_database(
    url: str | None = None, *, upgrade: bool = True, **engine_kwargs: Any
) -> Database:
    """Open (creating or upgrading as needed) the database at ``url``."""
    from . import migrations

    resolved = resolve_url(url)
    engine = make_engine(resolved, **engine_kwargs)
    try:
        state = migrations.check_state(engine)
        if state.status == "newer":
            raise DatabaseError(
                "База данных создана более новой версией программы "
                f"(версия схемы {state.current}). Обновите «Стажировку», чтобы открыть её."
            )
        if state.status == "foreign":
            raise DatabaseError(
                "В этой базе данных уже есть таблицы, но это не база «Стажировки». "
                "Укажите пустую базу или файл, созданный программой."
            )
        if state.status in ("empty", "older"):
            if not upgrade:
                raise DatabaseError("Схема базы данных устарела; её нужно обновить.")
            if state.status == "older":
                backup_before_upgrade(resolved, engine, state.current or "")
            # Schema and reference lists in one transaction: a crash leaves no half-made database.
            with engine.begin() as conn:
                migrations.upgrade(conn)
                if state.status == "empty":
                    from .services.reference_data import seed_reference_data

                    seed_reference_data(Session(bind=conn))
    except DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseError(
            f"Не удалось открыть базу данных ({describe(resolved)}): {reason}"
        ) from exc
    except Exception:
        engine.dispose()
        raise
    db = Database(resolved, engine, sessionmaker(engine, expire_on_commit=False))
    from .services.users import has_accounts, principal_for, sole_account

    with db.session(OWNER) as session:
        if has_accounts(session):
            # A local file with one account opens as that account: a password would guard
            # nothing the file itself does not give away. Several accounts, or a shared
            # server, mean several people: then everyone logs in.
            sole = sole_account(session) if is_sqlite(resolved) else None
            db.principal = principal_for(sole) if sole is not None else ANONYMOUS
    return db


def backup_before_upgrade(url: str, engine: Engine, revision: str) -> Path | None:
    """Copy an SQLite file aside before its schema changes; PostgreSQL relies on pg_dump."""
    if not is_sqlite(url):
        log.warning(
            "Upgrading a PostgreSQL schema from %s: take a pg_dump first (README)", revision
        )
        return None
    path = sqlite_path(url)
    if path is None:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = paths.backup_dir() / f"{path.stem}-before-upgrade-{revision}-{stamp}.db"
    from .services.backup import sqlite_backup

    sqlite_backup(path, target)
    log.info("Backup before schema upgrade written to %s", target)
    return target
