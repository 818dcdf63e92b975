"""Checking a database before the program switches to it: can it be reached, and what is in it.

The settings dialog runs :func:`check_connection` off the UI thread and shows the report's
message. The message is in Russian and never carries the password: the address is described
with :func:`stazhirovka.db.describe`, and the server's error is translated into a plain reason
(wrong password, unknown server, refused, no answer) rather than quoted with the URL.

An SQLite file is looked at read-only: checking a file must not create it, switch it to WAL or
otherwise touch a file that may not even be a database.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from .. import migrations
from ..db import make_engine, sqlite_path
from ..errors import UserError
from ..formats import plural

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5  # seconds

Status = Literal["new_file", "empty", "current", "older", "newer", "foreign", "error"]


@dataclass(frozen=True)
class ConnectionReport:
    """What a check found. ``usable``: the program can open (create or upgrade) the database."""

    status: Status
    message: str
    server: str = ""  # «PostgreSQL 16.4», «SQLite 3.45.1»

    @property
    def connected(self) -> bool:
        return self.status != "error"

    @property
    def usable(self) -> bool:
        return self.status in ("new_file", "empty", "current", "older")


def postgresql_url(
    host: str, port: int | None, database: str, user: str, password: str | None = None
) -> str:
    """The address of a PostgreSQL database, every part escaped (``@``, ``/``, ``:`` in a
    password); without a password when none is given (``~/.pgpass`` or ``PGPASSWORD`` then)."""
    url = URL.create(
        "postgresql+psycopg",
        username=user or None,
        password=password or None,
        host=host or None,
        port=port,
        database=database or None,
    )
    return url.render_as_string(hide_password=False)


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).expanduser()}"


def check_connection(url: str, timeout: int = CONNECT_TIMEOUT) -> ConnectionReport:
    """Connect to ``url`` and say what the program would find there (never raises)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return _error("адрес базы данных записан неверно")
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _check_sqlite(url)
    if backend != "postgresql":
        return _error(f"база данных «{backend}» не поддерживается: укажите SQLite или PostgreSQL")
    if not parsed.database:
        return _error("не указано имя базы данных")
    try:
        engine = make_engine(url, connect_args={"connect_timeout": timeout}, poolclass=NullPool)
    except UserError as exc:  # an unknown driver or a malformed address
        log.info("connection check: %s", type(exc).__name__)
        return _error("адрес базы данных записан неверно")
    try:
        return _inspect(engine, _postgresql_server)
    except DBAPIError as exc:
        return _error(explain(exc, parsed.host or "localhost", parsed.port or 5432))
    except SQLAlchemyError as exc:
        log.info("connection check failed: %s", type(exc).__name__)
        return _error(f"ошибка базы данных ({type(exc).__name__})")
    finally:
        engine.dispose()


def _check_sqlite(url: str) -> ConnectionReport:
    path = sqlite_path(url)
    if path is None:
        return _file_error("база данных в памяти не сохраняется — укажите файл")
    path = path.expanduser()
    if not path.exists():
        if path.parent.exists() and not path.parent.is_dir():
            return _file_error(f"«{path.parent}» — не папка")
        return ConnectionReport(
            "new_file",
            f"Файла {path} ещё нет — при переключении будет создана новая база.",
            f"SQLite {sqlite3.sqlite_version}",
        )
    if path.is_dir():
        return _file_error(f"«{path}» — это папка, а не файл базы данных")
    uri = path.resolve().as_uri() + "?mode=ro"
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        poolclass=NullPool,
    )
    try:
        return _inspect(engine, lambda _conn: f"SQLite {sqlite3.sqlite_version}")
    except DBAPIError as exc:
        reason = str(exc.orig) if exc.orig is not None else ""
        if "not a database" in reason or "malformed" in reason:
            return _file_error(f"файл {path} не является базой данных")
        if "unable to open" in reason:
            return _file_error(f"файл {path} недоступен — проверьте права доступа")
        log.info("sqlite check failed: %s", type(exc.orig).__name__)
        return _file_error(f"файл {path} не читается")
    finally:
        engine.dispose()


def _inspect(engine: Engine, server_of: Any) -> ConnectionReport:
    state = migrations.check_state(engine)
    with engine.connect() as conn:
        server = server_of(conn)
        counts = _counts(conn) if state.status == "current" else None
    opened = "Файл открыт" if server.startswith("SQLite") else "Подключение установлено"
    head = f"{opened}: {server}, "
    if state.status == "empty":
        text = "база пуста — при переключении будет создана структура."
    elif state.status == "current":
        text = "база программы, версия схемы актуальна"
        if counts is not None:
            persons, internships = counts
            text += (
                f" ({_count(persons)} {plural(persons, 'педагог', 'педагога', 'педагогов')}, "
                f"{_count(internships)} {plural(internships, 'стажировка', 'стажировки', 'стажировок')})"
            )
        text += "."
    elif state.status == "older":
        text = "база прежней версии программы — при переключении её схема будет обновлена"
        text += (
            " (файл будет сначала скопирован в папку резервных копий)."
            if server.startswith("SQLite")
            else " (сначала сделайте резервную копию: pg_dump)."
        )
    elif state.status == "newer":
        text = (
            "но это база более новой версии программы — обновите «Стажировку», "
            "чтобы работать с ней."
        )
    else:
        text = "но это не база программы «Стажировка»: в ней уже есть другие таблицы."
    return ConnectionReport(state.status, head + text, server)


def _counts(conn: Any) -> tuple[int, int] | None:
    from ..models import Internship, Person

    try:
        persons = conn.scalar(select(func.count()).select_from(Person)) or 0
        internships = conn.scalar(select(func.count()).select_from(Internship)) or 0
    except SQLAlchemyError:
        return None
    return int(persons), int(internships)


def _postgresql_server(conn: Any) -> str:
    version = conn.dialect.server_version_info or ()
    return "PostgreSQL " + ".".join(str(part) for part in version[:2]) if version else "PostgreSQL"


def _error(reason: str, verb: str = "подключиться") -> ConnectionReport:
    return ConnectionReport("error", f"Не удалось {verb}: {reason}.")


def _file_error(reason: str) -> ConnectionReport:
    return _error(reason, "открыть базу")


def _count(n: int) -> str:
    """1 503 — thousands apart, with a no-break space."""
    return f"{n:,}".replace(",", "\u00a0")


# Connection failures as libpq and psycopg word them, in English and in the Russian of a
# server with lc_messages = ru_RU; the first match decides.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reason)
    for pattern, reason in (
        (
            r"password authentication failed|не прошёл проверку подлинности \(по паролю\)",
            "неверное имя пользователя или пароль",
        ),
        (
            r"no password supplied|password is required|пароль не указан",
            "сервер требует пароль — введите его или запишите в файл .pgpass",
        ),
        (
            r"failed to resolve host|could not translate host name|name or service not known"
            r"|nodename nor servname|getaddrinfo failed|неизвестное имя",
            "сервер «{host}» не найден — проверьте его имя",
        ),
        (
            r"connection refused|отказано в соединении|в подключении отказано",
            "сервер {host} не принимает подключения на порту {port} — проверьте адрес "
            "и порт и что PostgreSQL запущен",
        ),
        (
            r"timeout expired|timed out|тайм-аут|истекло время",
            "сервер {host} не ответил за отведённое время — проверьте сеть и адрес сервера",
        ),
        (
            r"database \S+ does not exist|база данных \S+ не существует",
            "такой базы данных на сервере нет — её создаёт администратор сервера",
        ),
        (
            r"role \S+ does not exist|роль \S+ не существует",
            "такого пользователя на сервере нет",
        ),
        (
            r"no pg_hba\.conf entry|pg_hba\.conf",
            "сервер не разрешает подключение с этого компьютера (настройка pg_hba.conf)",
        ),
        (
            r"permission denied for database|нет доступа к базе данных",
            "у пользователя нет права подключаться к этой базе данных",
        ),
        (
            r"too many (?:clients|connections)|слишком много подключений",
            "на сервере слишком много подключений — повторите позже",
        ),
        (
            r"network is unreachable|no route to host|сеть недоступна",
            "сервер {host} недоступен по сети",
        ),
        (r"ssl", "не удалось установить защищённое соединение (SSL)"),
    )
)


def explain(exc: BaseException, host: str = "", port: int | str = "") -> str:
    """A plain Russian reason for a failed connection; the server's text goes to the log
    only as the error's type (it may name the user or the database)."""
    text = str(getattr(exc, "orig", None) or exc)
    for pattern, reason in _REASONS:
        if pattern.search(text):
            return reason.format(host=host, port=port)
    log.info("connection check failed: %s", type(getattr(exc, "orig", None) or exc).__name__)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"ошибка подключения ({first})"
