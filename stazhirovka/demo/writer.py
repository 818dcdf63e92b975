"""Buffered bulk INSERTs in foreign-key order, with ids assigned on the Python side."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, func, insert, select, text
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

# Write to SQLite through the driver directly (see BulkWriter); tests switch it off to check
# that both paths store the same bytes.
RAW_SQLITE = True
CACHE_KIB = 262_144  # 256 MiB of SQLite page cache while generating


class BulkWriter:
    """Collects rows per table and writes them with executemany in chunks.

    Every row of a table must carry all its columns. ``created_at``/``updated_at``/``version``
    are filled here, from the date the record is about, so that the same seed gives
    byte-identical databases.

    On SQLite the rows go straight to the driver's ``executemany`` as tuples, each value
    converted by the column type's own SQLAlchemy bind processor (memoized: dates, enums and
    flags repeat), so the stored bytes are those Core would write; this skips Core's per-row
    parameter handling, which costs more than the INSERT itself (MEASURED.md: Core is 2.5×
    raw). Other dialects use Core ``insert()`` executemany.
    """

    def __init__(self, session: Session, today: date, chunk: int = 20_000, raw: bool | None = None):
        self.session = session
        self.today = today
        self.chunk = chunk
        dialect = session.get_bind().dialect
        self.raw = (dialect.name == "sqlite" and RAW_SQLITE) if raw is None else raw
        self._tables = {t.name: t for t in TABLES}
        self._buffers: dict[str, list[Any]] = {t.name: [] for t in TABLES}
        self._pending = 0
        self.counts: dict[str, int] = {t.name: 0 for t in TABLES}
        self._next_id: dict[str, int] = {}
        self._columns = {t.name: [c.name for c in t.c] for t in TABLES}
        self._getters = {t.name: itemgetter(*self._columns[t.name]) for t in TABLES}
        self._stamped = {t.name: "created_at" in t.c for t in TABLES}
        self._versioned = {t.name: "version" in t.c for t in TABLES}
        self._sql = {
            t.name: f'INSERT INTO "{t.name}" ({", ".join(self._columns[t.name])}) '
            f"VALUES ({', '.join('?' for _ in t.c)})"
            for t in TABLES
        }
        # Per table: (position, bind processor, memo) for each column the dialect converts.
        self._procs: dict[str, list[tuple[int, Any, dict[Any, Any]]]] = {}
        for t in TABLES:
            procs = []
            for i, column in enumerate(t.c):
                proc = column.type.dialect_impl(dialect).bind_processor(dialect)
                if proc is not None:
                    procs.append((i, proc, {}))
            self._procs[t.name] = procs
        self._cache_size: int | None = None
        if dialect.name == "sqlite":
            # A bigger page cache keeps the growing indexes in memory while rows pour in;
            # the connection's own setting is restored by close().
            self._cache_size = session.scalar(text("PRAGMA cache_size"))
            session.execute(text(f"PRAGMA cache_size = -{CACHE_KIB}"))
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
        if self.raw:
            values = self._getters[name](row)
            procs = self._procs[name]
            if len(self._columns[name]) == 1:
                values = (values,)
            if procs:
                values = list(values)
                for i, proc, memo in procs:
                    value = values[i]
                    try:
                        values[i] = memo[value]
                    except KeyError:
                        values[i] = memo[value] = proc(value)
                    except TypeError:  # unhashable: never memoized
                        values[i] = proc(value)
            self._buffers[name].append(values)
        else:
            missing = set(self._columns[name]).difference(row)
            if missing:
                raise KeyError(f"{name}: {sorted(missing)}")
            self._buffers[name].append(row)
        self._pending += 1
        if self._pending >= self.chunk:
            self.flush()

    def add_values(self, table: Table, values: tuple[Any, ...]) -> None:
        """A row as a tuple in column order, already in storage form (ints, floats, text).

        The fast lane for the largest tables without dates (scores)."""
        if self.raw:
            self._buffers[table.name].append(values)
        else:
            self._buffers[table.name].append(
                dict(zip(self._columns[table.name], values, strict=True))
            )
        self._pending += 1
        if self._pending >= self.chunk:
            self.flush()

    def close(self) -> None:
        """Write what is left and give the connection its page cache size back."""
        self.flush()
        if self.session.get_bind().dialect.name == "postgresql":
            # The ids were given here, so the tables' sequences never moved: move them past
            # the rows, or the next record made through the program collides with one of them.
            for table in TABLES:
                if "id" in table.c and self.counts[table.name]:
                    self.session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'(SELECT max(id) FROM "{table.name}"))'
                        )
                    )
        if self._cache_size is not None:
            self.session.execute(text(f"PRAGMA cache_size = {int(self._cache_size)}"))
            self._cache_size = None

    def flush(self) -> None:
        cursor = None
        if self.raw and self._pending:
            cursor = self.session.connection().connection.driver_connection.cursor()
        for name, rows in self._buffers.items():
            if not rows:
                continue
            if cursor is not None:
                cursor.executemany(self._sql[name], rows)
            else:
                self.session.execute(insert(self._tables[name]), rows)
            self.counts[name] += len(rows)
            self._buffers[name] = []
        if cursor is not None:
            cursor.close()
        self._pending = 0
