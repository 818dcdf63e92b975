"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from stazhirovka.db import Database, make_engine, open_database
from tests.pgserver import PgServer, pg_bindir, root_server

BACKENDS = ["sqlite", "postgresql"]
TODAY = date(2026, 11, 22)  # the day the shared district demo is generated for
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's data folder or database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("STAZHIROVKA_DB", raising=False)


@pytest.fixture(scope="session")
def pg_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PgServer]:
    if os.geteuid() == 0:
        # pytest's temporary folders are private to root; the server needs one of its own.
        workdir = Path(tempfile.mkdtemp(prefix="stazhirovka-pg-"))
        try:
            with root_server(workdir) as server:
                yield server
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    proc = request.getfixturevalue("postgresql_proc")
    yield PgServer(proc.host, proc.port, proc.user, str(proc.version))


def _postgresql_proc_factory() -> object:
    from pytest_postgresql import factories

    try:
        executable = str(pg_bindir() / "pg_ctl")
    except RuntimeError:
        executable = None
    return (
        factories.postgresql_proc(executable=executable)
        if executable
        else factories.postgresql_proc()
    )


postgresql_proc = _postgresql_proc_factory()


@pytest.fixture(scope="session")
def templates(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], str]]:
    """Migrated and seeded template databases, made once per run and copied for each test."""
    made: dict[str, str] = {}

    def get(backend: str) -> str:
        if backend not in made:
            if backend == "sqlite":
                path = tmp_path_factory.mktemp("template") / "template.db"
                open_database(f"sqlite:///{path}").close()
                made[backend] = str(path)
            else:
                from pytest_postgresql.janitor import DatabaseJanitor

                server: PgServer = request.getfixturevalue("pg_server")
                name = f"stz_template_{os.getpid()}"
                janitor = DatabaseJanitor(
                    user=server.user, host=server.host, port=server.port, dbname=name
                )
                janitor.init()
                open_database(server.url(name)).close()
                made[backend] = name
        return made[backend]

    # The templates go with the server at the end of the run; nothing to drop here.
    yield get


@pytest.fixture
def new_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Make URLs of new databases of a backend — empty, or a copy of the migrated template."""
    janitors = []

    def make(backend: str, migrated: bool = False) -> str:
        n = next(_counter)
        if backend == "sqlite":
            path = tmp_path / f"db{n}.db"
            if migrated:
                shutil.copyfile(request.getfixturevalue("templates")("sqlite"), path)
            return f"sqlite:///{path}"
        from pytest_postgresql.janitor import DatabaseJanitor

        server: PgServer = request.getfixturevalue("pg_server")
        template = request.getfixturevalue("templates")("postgresql") if migrated else None
        name = f"stz_test_{os.getpid()}_{n}"
        janitor = DatabaseJanitor(
            user=server.user,
            host=server.host,
            port=server.port,
            dbname=name,
            template_dbname=template,
        )
        janitor.init()
        janitors.append(janitor)
        return server.url(name)

    yield make
    for janitor in janitors:
        janitor.drop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        request.applymarker(pytest.mark.postgres)
    return request.param


@pytest.fixture
def empty_url(backend: str, new_url: Callable[[str], str]) -> str:
    """The URL of a new, empty database (no schema yet) on each backend."""
    return new_url(backend)


@pytest.fixture
def database(backend: str, new_url: Callable[..., str]) -> Iterator[Database]:
    """A migrated and seeded database of its own on each backend."""
    db = open_database(new_url(backend, migrated=True))
    yield db
    db.close()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A session inside a transaction the test never commits."""
    with database.sessions() as s, s.begin():
        yield s
        s.rollback()


@pytest.fixture
def engine_of() -> Callable[[str], Engine]:
    return make_engine


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The district demo, generated once per run and copied for each test that needs it."""
    from stazhirovka.demo import generate

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as session:
            generate(session, scale="district", seed=1, today=TODAY)
        db.analyze()
    finally:
        db.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    db = open_database(f"sqlite:///{path}")
    yield db
    db.close()
