"""Several desktops on one database: throughput and the slowest operation.

    .venv/bin/python bench/concurrency.py [--desktops 8] [--seconds 20] [--pg URL] [--no-pg]

Each desktop is a process repeating what a methodologist does most: search the persons
registry by three letters, open an internship card, add a journal entry (a writing unit). It
runs against a copy of the district demo in an SQLite file, and against PostgreSQL: ``--pg``
names an empty database; without it, as root, a throw-away server is started from the
machine's PostgreSQL binaries (tests/pgserver.py) and the demo generated in it. The same work
by one desktop in the same run is the baseline: the ratio says what sharing costs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, demo_database

OPS = ("search", "card", "journal")
SEARCHES = ("ива", "пет", "сид", "смир", "нов", "кузн", "ова", "ель", "анн")


def desktop(url: str, seconds: float, seed: int, start_at: float) -> dict[str, list[float]]:
    """One desktop's loop; returns each operation's durations in seconds."""
    from sqlalchemy import select

    from stazhirovka.db import open_database
    from stazhirovka.models import Internship, InternshipStatus
    from stazhirovka.services.cards import internship_card
    from stazhirovka.services.internships import JournalService
    from stazhirovka.services.registry import RegistryQuery, fetch_page

    rng = random.Random(seed)
    db = open_database(url)
    times: dict[str, list[float]] = {op: [] for op in OPS}
    try:
        with db.session() as s:
            internships = list(s.scalars(select(Internship.id)))
            active = (
                list(
                    s.scalars(
                        select(Internship.id).where(Internship.status == InternshipStatus.ACTIVE)
                    )
                )
                or internships
            )
        while time.time() < start_at:  # every desktop starts together
            time.sleep(0.005)
        end = time.time() + seconds
        while time.time() < end:
            op = rng.choice(OPS)
            started = time.perf_counter()
            if op == "search":
                with db.session() as s:
                    fetch_page(s, "persons", RegistryQuery(search=rng.choice(SEARCHES), limit=50))
            elif op == "card":
                with db.session() as s:
                    internship_card(s, rng.choice(internships))
            else:
                with db.session(write=True) as s:
                    JournalService().create(
                        s,
                        {"internship_id": rng.choice(active), "entry_date": date(2026, 11, 20),
                         "activity": "консультация", "topic": "Замер одновременной работы",
                         "hours": 1},
                    )  # fmt: skip
            times[op].append(time.perf_counter() - started)
    finally:
        db.close()
    return times


def run(url: str, desktops: int, seconds: float) -> dict[str, list[float]]:
    start_at = time.time() + 3.0  # time for the processes to start and open the database
    with multiprocessing.get_context("spawn").Pool(desktops) as pool:
        results = pool.starmap(
            desktop, [(url, seconds, seed, start_at) for seed in range(desktops)]
        )
    merged: dict[str, list[float]] = {op: [] for op in OPS}
    for r in results:
        for op in OPS:
            merged[op] += r[op]
    return merged


def report(name: str, one: dict[str, list[float]], many: dict[str, list[float]],
           desktops: int, seconds: float) -> None:  # fmt: skip
    n1, nn = sum(map(len, one.values())), sum(map(len, many.values()))
    print(f"{name}: 1 desktop {n1 / seconds:6.1f} ops/s; {desktops} desktops {nn / seconds:6.1f}"
          f" ops/s ({nn / max(n1, 1):.2f}× the work of one)")  # fmt: skip
    for op in OPS:
        a, b = sorted(one[op]) or [0.0], sorted(many[op]) or [0.0]
        print(
            f"  {op:8} median {statistics.median(a) * 1000:7.1f} → {statistics.median(b) * 1000:7.1f}"
            f" ms   p95 {a[int(len(a) * 0.95)] * 1000:7.1f} → {b[int(len(b) * 0.95)] * 1000:7.1f} ms"
            f"   slowest {a[-1] * 1000:7.1f} → {b[-1] * 1000:7.1f} ms"
        )


def _pg_url(stack: ExitStack, args: argparse.Namespace, work: Path) -> str | None:
    if args.no_pg:
        return None
    if args.pg:
        return args.pg
    if os.geteuid() != 0:
        print("PostgreSQL skipped: give --pg URL of an empty database (or run as root)")
        return None
    from tests.pgserver import root_server

    server = stack.enter_context(root_server(work / "pg"))
    import psycopg

    with psycopg.connect(host=server.host, port=server.port, user=server.user,
                         dbname="postgres", autocommit=True) as conn:  # fmt: skip
        conn.execute("CREATE DATABASE bench")
    return server.url("bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktops", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--pg", metavar="URL")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="stazhirovka-bench-"))
    work.chmod(0o755)  # the throw-away server runs as the postgres user
    try:
        with ExitStack() as stack:
            source = demo_database("district", OUT / "district.db")
            db_path = work / "district.db"
            shutil.copyfile(source, db_path)
            targets = [("SQLite file", f"sqlite:///{db_path}")]
            pg = _pg_url(stack, args, work)
            if pg:
                from stazhirovka.db import open_database
                from stazhirovka.demo import generate

                db = open_database(pg)
                try:
                    with db.session() as s:
                        generate(s, scale="district", seed=1)
                    db.analyze()
                finally:
                    db.close()
                targets.append(("PostgreSQL", pg))
            for name, url in targets:
                one = run(url, 1, args.seconds)
                many = run(url, args.desktops, args.seconds)
                report(name, one, many, args.desktops, args.seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
