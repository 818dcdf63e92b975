"""Run as a child process by tests/test_faults.py, which kills it (SIGKILL) halfway.

    python -m tests.fault_worker import DB_URL WORKBOOK
    python -m tests.fault_worker certificates DB_URL OUT.pdf
    python -m tests.fault_worker migration DB_URL

Each prints «WORKING» (flushed) once it is in the middle of its transaction and then keeps
working, or sleeps there, until it is killed."""

from __future__ import annotations

import sys
import time


def _say(text: str) -> None:
    print(text, flush=True)


def run_import(url: str, workbook: str) -> None:
    from stazhirovka.db import open_database
    from stazhirovka.services.imports import apply_plan, build_plan, map_columns, read_table

    db = open_database(url)
    table = read_table(workbook)
    told = False

    def progress(done: int, total: int, text: str) -> None:
        nonlocal told
        if text == "Запись в базу данных" and not told:
            told = True
            _say("WORKING")  # rows are in the database, the transaction is open
            time.sleep(30)

    with db.session(write=True) as session:
        plan = build_plan(session, table, map_columns(table.headers, "persons"))
        apply_plan(session, plan, progress=progress)


def run_certificates(url: str, out: str) -> None:
    from stazhirovka.db import open_database
    from stazhirovka.reports.certificates import issue_certificates
    from stazhirovka.services.issuing import Selection

    db = open_database(url)
    count = 0

    def progress(done: int, total: int, text: str) -> None:
        nonlocal count
        count += 1
        if count == 3:
            _say("WORKING")  # numbers taken, pages being written
            time.sleep(30)

    issue_certificates(db, Selection(), pdf=out, progress=progress)


def run_migration(url: str) -> None:
    from stazhirovka import migrations
    from stazhirovka.db import open_database

    real = migrations.upgrade

    def upgrade_then_stall(connection, revision="head"):  # type: ignore[no-untyped-def]
        real(connection, revision)
        _say("WORKING")  # the schema is changed inside the transaction, not committed
        time.sleep(30)

    migrations.upgrade = upgrade_then_stall  # type: ignore[assignment]
    open_database(url)


if __name__ == "__main__":
    kind, *rest = sys.argv[1:]
    {"import": run_import, "certificates": run_certificates, "migration": run_migration}[kind](
        *rest
    )
