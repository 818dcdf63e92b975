"""Buffered bulk INSERTs in foreign-key order, with ids assigned on the Python side."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from ..models import (
    Assessment,
    Certificate,
    CertificateSequence,
    Community,
    CommunityMeeting,
    CommunityMember,
    Event,
    Internship,
    JournalEntry,
    Municipality,
    NetworkAgreement,
    Organization,
    Participation,
    Person,
    Platform,
    Product,
    Program,
    ProgramModule,
    Route,
    RouteStep,
    Score,
    TeacherMaster,
    platform_competency,
    product_author,
    program_competency,
    route_member,
)

# Parents before children: a flush writes every buffer in this order, so a row never
# reaches the database before the rows it references (foreign keys are checked at once).
TABLES: list[Table] = [
    Municipality.__table__,
    Organization.__table__,
    Person.__table__,
    Platform.__table__,
    platform_competency,
    TeacherMaster.__table__,
    Program.__table__,
    program_competency,
    ProgramModule.__table__,
    Event.__table__,
    Participation.__table__,
    Internship.__table__,
    Route.__table__,
    route_member,
    RouteStep.__table__,
    JournalEntry.__table__,
    Assessment.__table__,
    Score.__table__,
    Certificate.__table__,
    CertificateSequence.__table__,
    NetworkAgreement.__table__,
    Product.__table__,
    product_author,
    Community.__table__,
    CommunityMember.__table__,
    CommunityMeeting.__table__,
]  # type: ignore[list-item]


class BulkWriter:
    """Collects rows per table and writes them with executemany in chunks.

    Every row of a table must carry the same keys (one compiled statement per chunk).
    ``created_at``/``updated_at``/``version`` are filled here when the table has them, from
    the date the record is about, so that the same seed gives byte-identical databases.
    """

    def __init__(self, session: Session, today: date, chunk: int = 20_000):
        self.session = session
        self.today = today
        self.chunk = chunk
        self._buffers: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
        self._tables = {t.name: t for t in TABLES}
        self._pending = 0
        self.counts: dict[str, int] = {t.name: 0 for t in TABLES}
        self._next_id: dict[str, int] = {}
        self._stamped = {t.name: "created_at" in t.c for t in TABLES}
        self._versioned = {t.name: "version" in t.c for t in TABLES}
        self._stamps: dict[date, datetime] = {}
        self._today_stamp = datetime.combine(today, time(6, 0), tzinfo=UTC)
        for table in TABLES:
            if "id" in table.c:
                last = session.scalar(select(func.max(table.c.id)))
                self._next_id[table.name] = (last or 0) + 1

    def new_id(self, table: Table) -> int:
        value = self._next_id[table.name]
        self._next_id[table.name] = value + 1
        return value

    def stamp(self, on: date | None) -> datetime:
        """A creation time on the day the record is about, never after ``today``."""
        if on is None or on >= self.today:
            return self._today_stamp
        value = self._stamps.get(on)
        if value is None:
            value = datetime.combine(on, time(6, 0), tzinfo=UTC)
            self._stamps[on] = value
        return value

    def add(self, table: Table, row: dict[str, Any], on: date | None = None) -> None:
        name = table.name
        if self._stamped[name]:
            stamp = self.stamp(on)
            row["created_at"] = stamp
            row["updated_at"] = stamp
        if self._versioned[name]:
            row["version"] = 1
        self._buffers[name].append(row)
        self._pending += 1
        if self._pending >= self.chunk:
            self.flush()

    def add_many(self, table: Table, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.add(table, row)

    def flush(self) -> None:
        for name, rows in self._buffers.items():
            if rows:
                self.session.execute(insert(self._tables[name]), rows)
                self.counts[name] += len(rows)
                self._buffers[name] = []
        self._pending = 0
