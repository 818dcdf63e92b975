"""Registry queries at region (or nation) scale beside raw sqlite3 doing the same work.

    .venv/bin/python bench/registry.py [--scale region|nation|district] [--db FILE] [--repeat N]

The database is generated once with the demo generator (bench/out/<scale>.db) and reused.
Every query is timed in the same run as a hand-written raw ``sqlite3`` query returning the same
rows; the table prints medians in milliseconds and the ratio ours / raw. Goals (issue 2):
ratio ≤ 1.5 and every query under 100 ms at region scale.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import demo_database
from stazhirovka.db import open_database
from stazhirovka.services.cards import internship_card
from stazhirovka.services.people import young_since
from stazhirovka.services.registry import RegistryQuery, count, fetch_page
from stazhirovka.text import fold, like_pattern

PERSON_SQL = """
SELECT p.id, trim(coalesce(p.surname, '') || ' ' || coalesce(p.name, '') || ' ' || coalesce(p.patronymic, '')),
       p.sex, o.short_name, pos.name, p.subject, p.teaching_since, c.name, p.phone, p.email
FROM person p
LEFT JOIN organization o ON o.id = p.organization_id
LEFT JOIN position pos ON pos.id = p.position_id
LEFT JOIN qualification_category c ON c.id = p.category_id
{where}
ORDER BY p.search_key, p.id LIMIT 100
"""

INTERNSHIP_IDS_SQL = """
SELECT i.id FROM internship i {join} {where} ORDER BY i.start_date DESC, i.id DESC LIMIT 100
"""

INTERNSHIP_ROWS_SQL = """
SELECT i.id, trim(pe.surname || ' ' || pe.name || ' ' || pe.patronymic), o.short_name, pr.title, po.short_name,
       trim(coalesce(mp.surname, '') || ' ' || coalesce(mp.name, '') || ' ' || coalesce(mp.patronymic, '')),
       i.cohort, i.start_date, i.planned_end, i.actual_end, i.status, i.hours_done,
       (SELECT count(s.id) FROM route_step s JOIN route r ON r.id = s.route_id
        WHERE r.internship_id = i.id AND s.status = 'planned' AND s.planned_end < CURRENT_DATE)
FROM internship i
JOIN person pe ON pe.id = i.person_id
LEFT JOIN organization o ON o.id = pe.organization_id
JOIN program pr ON pr.id = i.program_id
JOIN platform pl ON pl.id = pr.platform_id
JOIN organization po ON po.id = pl.organization_id
LEFT JOIN teacher_master m ON m.id = i.mentor_id
LEFT JOIN person mp ON mp.id = m.person_id
WHERE i.id IN ({ids})
"""


def raw_person_match(
    conn: sqlite3.Connection, key: str, text: str, for_count: bool = False
) -> tuple[str, tuple]:
    """The same choice the registry makes: the trigram index for few matches, else LIKE."""
    folded = fold(text)
    if len(folded) >= 3:
        phrase = '"' + folded.replace('"', '""') + '"'
        n = conn.execute(
            "SELECT count(*) FROM person_fts WHERE search_key MATCH ?", (phrase,)
        ).fetchone()[0]
        if for_count or n <= 20_000:
            return f"{key}.id IN (SELECT rowid FROM person_fts WHERE search_key MATCH ?)", (phrase,)
    return f"{key}.search_key LIKE ? ESCAPE '\\'", (like_pattern(text),)


def raw_internship_page(conn: sqlite3.Connection, text: str) -> list[int]:
    """The best plain-SQL shape: the page's ids first, then the shown columns for them."""
    if text:
        condition, params = raw_person_match(conn, "pe", text)
        ids = [
            r[0]
            for r in conn.execute(
                INTERNSHIP_IDS_SQL.format(
                    join="JOIN person pe ON pe.id = i.person_id", where="WHERE " + condition
                ),
                params,
            )
        ]
    else:
        ids = [r[0] for r in conn.execute(INTERNSHIP_IDS_SQL.format(join="", where=""))]
    rows = (
        {
            r[0]: r
            for r in conn.execute(INTERNSHIP_ROWS_SQL.format(ids=",".join("?" * len(ids))), ids)
        }
        if ids
        else {}
    )
    return [rows[i][0] for i in ids]


def raw_card(conn: sqlite3.Connection, internship_id: int) -> int:
    """The same records the card loads, with plain SQL."""
    cur = conn.cursor()
    row = cur.execute(
        "SELECT i.*, p.*, o.*, pos.*, c.*, pr.*, pl.*, m.*, mp.*, r.* FROM internship i "
        "JOIN person p ON p.id = i.person_id LEFT JOIN organization o ON o.id = p.organization_id "
        "LEFT JOIN position pos ON pos.id = p.position_id LEFT JOIN qualification_category c ON c.id = p.category_id "
        "JOIN program pr ON pr.id = i.program_id JOIN platform pl ON pl.id = pr.platform_id "
        "LEFT JOIN teacher_master m ON m.id = i.mentor_id LEFT JOIN person mp ON mp.id = m.person_id "
        "LEFT JOIN route r ON r.internship_id = i.id WHERE i.id = ?",
        (internship_id,),
    ).fetchone()
    modules = cur.execute(
        "SELECT * FROM program_module WHERE program_id = ? ORDER BY position", (row[2],)
    ).fetchall()
    steps = cur.execute(
        "SELECT s.* FROM route_step s JOIN route r ON r.id = s.route_id WHERE r.internship_id = ? ORDER BY s.position",
        (internship_id,),
    ).fetchall()
    journal = cur.execute(
        "SELECT id, entry_date, activity, topic, hours, result, reflection, mentor_comment, route_step_id "
        "FROM journal_entry WHERE internship_id = ? ORDER BY entry_date, id",
        (internship_id,),
    ).fetchall()
    assessments = cur.execute(
        "SELECT * FROM assessment WHERE internship_id = ? ORDER BY assessed_on, id",
        (internship_id,),
    ).fetchall()
    scores = cur.execute(
        f"SELECT assessment_id, indicator_id, value FROM score WHERE assessment_id IN ({','.join('?' * len(assessments))})",
        [a[0] for a in assessments],
    ).fetchall()
    return len(modules) + len(steps) + len(journal) + len(scores)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    fn()  # warm the caches the same way for both sides
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="region", choices=["district", "region", "nation"])
    parser.add_argument("--db", type=Path, help="an existing database file to use")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    path = demo_database(args.scale, args.db)
    db = open_database(f"sqlite:///{path}")

    conn = sqlite3.connect(path)
    session = db.sessions()
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("person", "internship", "journal_entry")
    }
    print(f"database: {path.name}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    surname = conn.execute(
        "SELECT surname FROM person GROUP BY surname ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    rare = conn.execute(
        "SELECT surname FROM person GROUP BY surname ORDER BY count(*), surname LIMIT 1"
    ).fetchone()[0]
    intern_surname = conn.execute(
        "SELECT p.surname FROM internship i JOIN person p ON p.id = i.person_id GROUP BY p.surname ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    card_id = conn.execute(
        "SELECT internship_id FROM journal_entry GROUP BY internship_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    young = young_since(date.today()).isoformat()
    three = "кол"
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = []

    def raw_page(sql: str, text: str) -> list[int]:
        if not text:
            return [r[0] for r in conn.execute(sql.format(where=""))]
        condition, params = raw_person_match(conn, "p", text)
        return [r[0] for r in conn.execute(sql.format(where="WHERE " + condition), params)]

    def raw_count(text: str) -> int:
        condition, params = raw_person_match(conn, "p", text, for_count=True)
        return conn.execute("SELECT count(*) FROM person p WHERE " + condition, params).fetchone()[
            0
        ]

    def page(registry: str, sql: str, text: str = "") -> None:
        label = f"{registry}: " + (f"search «{text}»" if text else "first page")
        cases.append(
            (
                label,
                lambda: [
                    r["id"] for r in fetch_page(session, registry, RegistryQuery(search=text)).rows
                ],
                lambda: raw_page(sql, text),
            )
        )

    page("persons", PERSON_SQL)
    page("persons", PERSON_SQL, three)
    page("persons", PERSON_SQL, surname)
    page("persons", PERSON_SQL, rare)
    cases.append(
        (
            f"persons: count matching «{three}»",
            lambda: count(session, "persons", RegistryQuery(search=three)),
            lambda: raw_count(three),
        )
    )
    cases.append(
        (
            "persons: count of young teachers",
            lambda: count(session, "persons", RegistryQuery(filters={"young": True})),
            lambda: conn.execute(
                "SELECT count(*) FROM person WHERE teaching_since > ?", (young,)
            ).fetchone()[0],
        )
    )
    for text in ("", three, intern_surname):
        cases.append(
            (
                "internships: " + (f"search «{text}»" if text else "first page"),
                lambda text=text: [
                    r["id"]
                    for r in fetch_page(session, "internships", RegistryQuery(search=text)).rows
                ],
                lambda text=text: raw_internship_page(conn, text),
            )
        )
    cases.append(
        (
            "internships: count active",
            lambda: count(session, "internships", RegistryQuery(filters={"status": "active"})),
            lambda: conn.execute(
                "SELECT count(*) FROM internship WHERE status = 'active'"
            ).fetchone()[0],
        )
    )

    def ours_card() -> int:
        session.expunge_all()
        card = internship_card(session, card_id)
        return len(card.journal)

    cases.append(
        ("internship card (everything related)", ours_card, lambda: raw_card(conn, card_id))
    )

    print(f"\n{'query':<44}{'ours, ms':>10}{'raw, ms':>10}{'ratio':>8}")
    worst = 0.0
    for label, ours, raw in cases:
        ours_ms, ours_result = timed(ours, args.repeat)
        raw_ms, raw_result = timed(raw, args.repeat)
        if isinstance(ours_result, list) and ours_result != raw_result:
            print(f"  !! {label}: results differ ({len(ours_result)} vs {len(raw_result)})")
        ratio = ours_ms / raw_ms if raw_ms else float("inf")
        worst = max(worst, ours_ms)
        print(f"{label:<44}{ours_ms:>10.2f}{raw_ms:>10.2f}{ratio:>8.2f}")
    print(f"\nslowest of ours: {worst:.1f} ms")
    session.close()
    conn.close()
    db.close()


if __name__ == "__main__":
    main()
