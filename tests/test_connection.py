"""Checking a database before switching to it: what is there, and why a connection failed."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from stazhirovka import migrations
from stazhirovka.db import is_sqlite, make_engine, open_database, sqlite_path
from stazhirovka.services.connection import check_connection, explain, postgresql_url


def _server_name(backend: str) -> str:
    return "SQLite" if backend == "sqlite" else "PostgreSQL"


def test_an_empty_database_is_usable_and_gets_the_structure(backend, empty_url):
    if is_sqlite(empty_url):
        sqlite_path(empty_url).touch()  # an empty file is an empty SQLite database
    report = check_connection(empty_url)
    assert report.status == "empty"
    assert report.usable
    assert f": {_server_name(backend)} " in report.message
    assert "база пуста — при переключении будет создана структура" in report.message


def test_a_database_of_the_program_is_current(backend, new_url):
    url = new_url(backend, migrated=True)
    report = check_connection(url)
    assert report.status == "current", report.message
    assert report.usable
    assert report.server.startswith(_server_name(backend))
    assert "база программы, версия схемы актуальна (0 педагогов, 0 стажировок)" in report.message


def test_an_older_database_will_be_upgraded(backend, new_url):
    url = new_url(backend, migrated=True)
    engine = make_engine(url)
    with engine.begin() as conn:
        migrations.downgrade(conn, "0002")
    engine.dispose()
    report = check_connection(url)
    assert report.status == "older"
    assert report.usable
    assert "при переключении её схема будет обновлена" in report.message


def test_a_newer_database_is_not_usable(backend, new_url):
    url = new_url(backend, migrated=True)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    report = check_connection(url)
    assert report.status == "newer"
    assert not report.usable
    assert "база более новой версии программы" in report.message


def test_a_foreign_database_is_not_usable(backend, empty_url):
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE accounts (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    report = check_connection(empty_url)
    assert report.status == "foreign"
    assert not report.usable
    assert "это не база программы «Стажировка»" in report.message


def test_the_check_opens_the_database_as_it_is(backend, new_url):
    """Checking leaves the database as the program would find it: nothing created, upgraded."""
    url = new_url(backend, migrated=True)
    engine = make_engine(url)
    with engine.begin() as conn:
        migrations.downgrade(conn, "0002")
    engine.dispose()
    assert check_connection(url).status == "older"
    assert check_connection(url).status == "older"


def test_a_missing_file_is_not_created_by_the_check(tmp_path: Path):
    path = tmp_path / "новая папка" / "база района.db"
    report = check_connection(f"sqlite:///{path}")
    assert report.status == "new_file"
    assert report.usable
    assert "ещё нет — при переключении будет создана новая база" in report.message
    assert not path.exists() and not path.parent.exists()


def test_a_file_that_is_not_a_database(tmp_path: Path):
    path = tmp_path / "отчёт.docx"
    path.write_bytes(b"PK\x03\x04 not a database at all" * 100)
    report = check_connection(f"sqlite:///{path}")
    assert report.status == "error"
    assert not report.usable
    assert report.message == f"Не удалось открыть базу: файл {path} не является базой данных."
    assert path.read_bytes().startswith(b"PK\x03\x04")


def test_a_folder_is_not_a_database_file(tmp_path: Path):
    report = check_connection(f"sqlite:///{tmp_path}")
    assert report.status == "error"
    assert "это папка, а не файл базы данных" in report.message


def test_the_demo_file_reports_its_people(demo_file: str):
    report = check_connection(demo_file)
    assert report.status == "current"
    assert "1\u00a0503 педагога, 100 стажировок" in report.message


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    from stazhirovka.demo import generate

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    db = open_database(url)
    with db.session() as session:
        generate(session, scale="district", seed=1)
    db.close()
    return url


# -- failures --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_refused_port(free_port_url: str):
    report = check_connection(free_port_url)
    assert report.status == "error"
    assert not report.connected
    assert report.message == (
        "Не удалось подключиться: сервер 127.0.0.1 не принимает подключения на порту "
        f"{make_url(free_port_url).port} — проверьте адрес и порт и что PostgreSQL запущен."
    )


@pytest.fixture
def free_port_url() -> str:
    return postgresql_url("127.0.0.1", _free_port(), "stazhirovka", "metodist", "секрет")


def test_an_unknown_host():
    report = check_connection(postgresql_url("no-such-server.invalid", 5432, "db", "user"))
    assert report.message == (
        "Не удалось подключиться: сервер «no-such-server.invalid» не найден — проверьте его имя."
    )


@pytest.fixture
def fake_server() -> Iterator[tuple[socket.socket, list[str]]]:
    """A listening socket on 127.0.0.1; the test decides how the «server» behaves."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    passwords: list[str] = []
    yield sock, passwords
    sock.close()


def _refuse_password(sock: socket.socket, passwords: list[str]) -> None:
    """Speak enough of the PostgreSQL protocol to ask for a password and reject it."""
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        with conn:
            try:
                while True:
                    head = conn.recv(8)
                    if len(head) < 8:
                        break
                    length, code = struct.unpack("!ii", head)
                    if code in (80877103, 80877104):  # SSL / GSS encryption requests
                        conn.sendall(b"N")
                        continue
                    conn.recv(length - 8)  # the startup message
                    conn.sendall(b"R" + struct.pack("!ii", 8, 3))  # cleartext password, please
                    conn.recv(1)
                    size = struct.unpack("!i", conn.recv(4))[0]
                    passwords.append(conn.recv(size - 4).rstrip(b"\0").decode())
                    fields = (
                        b"SFATAL\0VFATAL\0C28P01\0"
                        b'Mpassword authentication failed for user "metodist"\0\0'
                    )
                    conn.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)
                    break
            except OSError:
                pass


def test_a_wrong_password(fake_server):
    sock, passwords = fake_server
    threading.Thread(target=_refuse_password, args=fake_server, daemon=True).start()
    port = sock.getsockname()[1]
    url = postgresql_url("127.0.0.1", port, "stazhirovka", "metodist", "Тайна@1/2:3")
    report = check_connection(url)
    assert passwords and passwords[0] == "Тайна@1/2:3"  # the escaped password arrived intact
    assert report.message == "Не удалось подключиться: неверное имя пользователя или пароль."
    assert "Тайна" not in report.message


def test_a_server_that_does_not_answer(fake_server):
    sock, _ = fake_server  # accepts (the backlog) and never replies
    url = postgresql_url("127.0.0.1", sock.getsockname()[1], "stazhirovka", "metodist")
    report = check_connection(url, timeout=1)
    assert report.message == (
        "Не удалось подключиться: сервер 127.0.0.1 не ответил за отведённое время — "
        "проверьте сеть и адрес сервера."
    )


@pytest.mark.postgres
def test_a_database_missing_on_the_server(pg_server):
    url = pg_server.url("no_such_database_here")
    report = check_connection(url)
    assert report.message == (
        "Не удалось подключиться: такой базы данных на сервере нет — "
        "её создаёт администратор сервера."
    )


def test_unsupported_and_malformed_addresses():
    assert check_connection("mysql://user@host/db").message == (
        "Не удалось подключиться: база данных «mysql» не поддерживается: "
        "укажите SQLite или PostgreSQL."
    )
    assert check_connection("не адрес").message == (
        "Не удалось подключиться: адрес базы данных записан неверно."
    )
    assert check_connection("postgresql+psycopg://user@host").message == (
        "Не удалось подключиться: не указано имя базы данных."
    )


@pytest.mark.parametrize(
    ("server_text", "reason"),
    [
        (
            'ВАЖНО:  пользователь "metodist" не прошёл проверку подлинности (по паролю)',
            "неверное имя пользователя или пароль",
        ),
        ('FATAL:  database "stazh" does not exist', "такой базы данных на сервере нет"),
        ('ВАЖНО:  база данных "stazh" не существует', "такой базы данных на сервере нет"),
        ('FATAL:  role "metodist" does not exist', "такого пользователя на сервере нет"),
        ("fe_sendauth: no password supplied", "сервер требует пароль"),
        (
            'could not translate host name "db.rayon" to address: Name or service not known',
            "сервер «db.rayon» не найден",
        ),
        ('FATAL:  no pg_hba.conf entry for host "10.0.0.5"', "сервер не разрешает подключение"),
        ("something nobody expected", "ошибка подключения (something nobody expected)"),
    ],
)
def test_server_messages_become_plain_reasons(server_text: str, reason: str):
    assert explain(Exception(server_text), "db.rayon", 5432).startswith(reason)


def test_a_postgresql_address_is_escaped_and_keeps_no_empty_password():
    url = postgresql_url("db.rayon.local", 5433, "stazhirovka", "metodist", "p@ss/w:rd")
    parsed = make_url(url)
    assert (parsed.host, parsed.port, parsed.database) == ("db.rayon.local", 5433, "stazhirovka")
    assert (parsed.username, parsed.password) == ("metodist", "p@ss/w:rd")
    assert postgresql_url("db", 5432, "stazhirovka", "metodist", "") == (
        "postgresql+psycopg://metodist@db:5432/stazhirovka"
    )
