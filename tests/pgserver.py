"""A real PostgreSQL server for the tests.

pytest-postgresql starts it when the tests run as an ordinary user. PostgreSQL refuses to run
as root, so under root (CI containers, this workplace) the same binaries are started as the
``postgres`` system user with ``runuser``; either way each test database is made and dropped
by pytest-postgresql's DatabaseJanitor.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    user: str
    version: str

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"


def pg_bindir() -> Path:
    for candidate in (os.environ.get("PG_BINDIR"), shutil.which("pg_config")):
        if candidate and Path(candidate).is_file():  # pg_config
            out = subprocess.run(
                [candidate, "--bindir"], capture_output=True, text=True, check=True
            )
            return Path(out.stdout.strip())
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    raise RuntimeError("PostgreSQL binaries not found: install postgresql (see .ci/run)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def root_server(workdir: Path) -> Iterator[PgServer]:
    """Start PostgreSQL as the ``postgres`` user; used only when the tests run as root."""
    bindir = pg_bindir()
    account = pwd.getpwnam("postgres")
    workdir.mkdir(parents=True, exist_ok=True)
    os.chown(workdir, account.pw_uid, account.pw_gid)
    data = workdir / "data"
    port = _free_port()

    def as_postgres(*args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=True,
            capture_output=True,
            cwd=workdir,
        )

    as_postgres(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-A",
        "trust",
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    as_postgres(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(workdir / "log"),
        "-w",
        "start",
    )
    version = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True
    ).stdout.split()[-1]
    try:
        yield PgServer("127.0.0.1", port, "postgres", version)
    finally:
        as_postgres(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
