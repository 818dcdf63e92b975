"""Registry queries: search, filters, sort, paging and counts, all done in SQL.

Every registry of the window and every export goes through :func:`fetch_page`,
:func:`count`, :func:`fetch_ids` / :func:`fetch_rows` or :func:`iter_rows`. Search matches the
stored, folded ``search_key`` columns (lower case, ё→е), folding the user's text the same way,
because SQLite folds no Cyrillic case (MEASURED.md): with ``LIKE '%…%'``, or for persons on
SQLite through a trigram index when that is faster (see :func:`_search_condition`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Column as SAColumn
from sqlalchemy import (
    ColumnElement,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    bindparam,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.util import find_tables

from ..errors import UserError
from ..models import Person
from ..text import fold, like_pattern
from .access import narrowing

_PERSON = Person.__table__

Apply = Callable[[Select[Any], Any], Select[Any]]


@dataclass(frozen=True)
class Column:
    """A shown column: its key, Russian header, SQL expression and how to sort by it."""

    key: str
    label: str
    expr: ColumnElement[Any]
    kind: str = "text"  # text, int, float, date, datetime, bool, enum
    sort: tuple[ColumnElement[Any], ...] = ()
    enum_labels: Mapping[str, str] = field(default_factory=dict)
    personal: bool = False  # a contact detail: masked in exports for roles that need none
    width: int = 20  # a sensible width in characters, for tables and spreadsheets
    # the shown text made from the whole row (the audit trail's readable changes); the window
    # and the export both use it instead of the raw value
    render: Callable[[Mapping[str, Any]], str] | None = None

    def sort_exprs(self) -> tuple[ColumnElement[Any], ...]:
        return self.sort or (self.expr,)


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    kind: str  # ref, enum, bool, int, date, text
    apply: Apply
    ref: str = ""  # the registry a "ref" filter picks from
    choices: Mapping[str, str] = field(default_factory=dict)
    # False: used by links into the registry (the home page's «Показать все»), not offered
    # as a widget in the filter bar
    shown: bool = True


@dataclass(frozen=True)
class J:
    """A join of the registry's base table: an (aliased) model and the ON clause."""

    target: Any
    on: ColumnElement[bool]
    outer: bool = False

    @property
    def selectable(self) -> Any:
        return inspect(self.target).selectable


def LJ(target: Any, on: ColumnElement[bool]) -> J:
    return J(target, on, outer=True)


@dataclass(frozen=True)
class Registry:
    name: str
    title: str
    base: Any  # the model whose rows the registry lists
    joins: tuple[J, ...]
    columns: tuple[Column, ...]
    search: tuple[ColumnElement[str], ...]
    filters: tuple[Filter, ...] = ()
    default_sort: str = ""  # a column key; "-key" sorts descending by default

    @property
    def id_column(self) -> ColumnElement[int]:
        return self.base.id

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise UserError(f"В реестре «{self.title}» нет столбца «{key}».")

    def filter(self, key: str) -> Filter:
        for flt in self.filters:
            if flt.key == key:
                return flt
        raise UserError(f"В реестре «{self.title}» нет фильтра «{key}».")

    def select_from(self, stmt: Select[Any], needed: Sequence[Any] | None = None) -> Select[Any]:
        """FROM the base table with the joins; with ``needed`` only the joins those
        expressions reach (a count or an id page then skips lookups it does not use)."""
        joins = self.joins
        if needed is not None:
            reached = {
                t
                for expr in needed
                for t in find_tables(expr, check_columns=True, include_aliases=True)
            }
            kept: list[J] = []
            for join in reversed(self.joins):
                if join.selectable in reached:
                    kept.append(join)
                    reached.update(find_tables(join.on, check_columns=True, include_aliases=True))
            joins = tuple(reversed(kept))
        stmt = stmt.select_from(self.base)
        for join in joins:
            stmt = stmt.join(join.target, join.on, isouter=join.outer)
        return stmt


@dataclass
class RegistryQuery:
    """What the user asked for: search text, filter values, a sort column and a page."""

    search: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False
    offset: int = 0
    limit: int = 100


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    offset: int
    limit: int


_REGISTRIES: dict[str, Registry] = {}


def register(registry: Registry) -> Registry:
    _REGISTRIES[registry.name] = registry
    return registry


def get_registry(name: str) -> Registry:
    from . import registries  # noqa: F401  (defines and registers every registry)

    try:
        return _REGISTRIES[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRIES))
        raise UserError(f"Неизвестный реестр «{name}». Есть: {known}.") from None


def registry_names() -> list[str]:
    from . import registries  # noqa: F401

    return list(_REGISTRIES)


# The trigram index over persons' search keys that migration 0003 makes on SQLite; a table
# object of its own, outside the models' metadata (Alembic leaves it alone).
_person_fts = Table(
    "person_fts", MetaData(), SAColumn("rowid", Integer), SAColumn("search_key", String)
)
_FTS_MIN = 3  # trigrams: shorter text is searched with LIKE
# Measured at a million persons: the index costs ≈4 µs a match, so up to this many matches it
# beats reading the sorted key index; with more, matches are dense and an ordered LIKE scan
# finds a page of them at once (bench/registry.py).
_FTS_SPARSE = 20_000


def _search_condition(
    column: Any, text: str, session: Session, for_count: bool
) -> ColumnElement[bool]:
    """``column LIKE '%text%'``; for a person's key on SQLite, through the trigram index when
    that is the faster way: always for counts, for pages when the matches are few."""
    table = getattr(getattr(column, "expression", column), "table", None)
    is_person_key = (
        column.key == "search_key"
        and table is not None
        and (table is _PERSON or getattr(table, "element", None) is _PERSON)
    )
    folded = fold(text)
    if is_person_key and len(folded) >= _FTS_MIN and _dialect(session) == "sqlite":
        match = _person_fts.c.search_key.op("MATCH")('"' + folded.replace('"', '""') + '"')
        sparse = for_count or (
            _connection(session)
            .execute(select(func.count()).select_from(_person_fts).where(match))
            .scalar_one()
            <= _FTS_SPARSE
        )
        if sparse:
            return table.c.id.in_(select(_person_fts.c.rowid).where(match))
    return column.like(like_pattern(text), escape="\\")


def _conditions(
    reg: Registry, query: RegistryQuery, session: Session, for_count: bool = False
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the search text and the filters."""
    stmt: Select[Any] = select(reg.id_column)
    text = query.search.strip()
    if text:
        stmt = stmt.where(
            or_(*(_search_condition(col, text, session, for_count) for col in reg.search))
        )
    for key, value in query.filters.items():
        if value is None or value == "":
            continue
        stmt = reg.filter(key).apply(stmt, value)
    return [
        *([stmt.whereclause] if stmt.whereclause is not None else []),
        *_scope(reg, session),
    ]


def _scope(reg: Registry, session: Session) -> list[ColumnElement[bool]]:
    """The user's scope (services/access.py): registries read through Core for speed, so the
    ORM's narrowing does not reach them and is added here."""
    condition = narrowing(session, reg.id_column.table)  # type: ignore[attr-defined]
    return [] if condition is None else [condition]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _order(reg: Registry, query: RegistryQuery) -> list[ColumnElement[Any]]:
    key, descending = query.sort, query.descending
    if not key:
        key = reg.default_sort.lstrip("-")
        descending = reg.default_sort.startswith("-")
    exprs = reg.column(key).sort_exprs() if key else ()
    order = [e.desc() if descending else e.asc() for e in exprs]
    # The id keeps paging stable when sort values repeat.
    order.append(reg.id_column.desc() if descending else reg.id_column.asc())
    return order


def _columns(reg: Registry) -> list[Any]:
    return [reg.id_column.label("id"), *(c.expr.label(c.key) for c in reg.columns)]


def fetch_ids(
    session: Session, name: str, query: RegistryQuery, limit: int | None = None, offset: int = 0
) -> list[int]:
    """Matching ids in order — for a lazily filled table model (ids only, rows on demand)."""
    reg = get_registry(name)
    where, order = _conditions(reg, query, session), _order(reg, query)
    stmt = (
        reg.select_from(select(reg.id_column), needed=[*where, *order])
        .where(*where)
        .order_by(*order)
    )
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(_connection(session).execute(stmt).scalars())


def fetch_rows(session: Session, name: str, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The rows for the given ids, in the order of ``ids``."""
    if not ids:
        return []
    stmt = _rows_statement(name).where(*_scope(get_registry(name), session))
    result = _connection(session).execute(stmt, {"ids": list(ids)})
    keys = list(result.keys())
    by_id = {row[0]: dict(zip(keys, row, strict=True)) for row in result.all()}
    return [by_id[i] for i in ids if i in by_id]


@cache
def _rows_statement(name: str) -> Select[Any]:
    """The shown columns for a list of ids: built once per registry, as it never changes.

    Rows go through Core on the session's connection: they are plain values, so the ORM's
    per-statement machinery would be pure overhead (MEASURED.md: ORM objects cost 6× raw)."""
    reg = get_registry(name)
    return reg.select_from(select(*_columns(reg))).where(
        reg.id_column.in_(bindparam("ids", expanding=True))
    )


def fetch_page(session: Session, name: str, query: RegistryQuery) -> Page:
    """One page of rows (dicts keyed by column key, plus ``id``).

    The page's ids are found first with only the joins the search, filters and sort need;
    the shown columns — lookups and per-row subqueries — are then computed for those rows only.
    """
    ids = fetch_ids(session, name, query, limit=max(query.limit, 0), offset=max(query.offset, 0))
    return Page(fetch_rows(session, name, ids), query.offset, query.limit)


def count(session: Session, name: str, query: RegistryQuery) -> int:
    reg = get_registry(name)
    where = _conditions(reg, query, session, for_count=True)
    # count(*), not count(id): SQLite counts index entries faster without reading a column
    stmt = reg.select_from(select(func.count()), needed=where).where(*where)
    return int(_connection(session).execute(stmt).scalar() or 0)


def _connection(session: Session) -> Any:
    """The session's connection for a Core read, after a flush: Core statements skip the
    ORM's autoflush, and a unit of work must see what it wrote itself (its audit rows too)."""
    session.flush()
    return session.connection()


def iter_rows(
    session: Session, name: str, query: RegistryQuery, batch: int = 2000
) -> Iterator[dict[str, Any]]:
    """Every matching row in order, streamed in batches (exports keep memory flat). A caller
    that may stop early closes the generator (``contextlib.closing``): that closes the result,
    which on PostgreSQL is a server-side cursor."""
    reg = get_registry(name)
    where, order = _conditions(reg, query, session), _order(reg, query)
    stmt = reg.select_from(select(*_columns(reg))).where(*where).order_by(*order)
    with _connection(session).execute(stmt.execution_options(yield_per=batch)) as result:
        keys = list(result.keys())
        for row in result:
            yield dict(zip(keys, row, strict=True))


# -- helpers for registry definitions ---------------------------------------------------------


class folded(FunctionElement[str]):
    """A column folded like the search text (lower case, ё→е) — for small tables and rare
    searches that keep no stored ``search_key``. SQLite's ``lower()`` folds ASCII only, so
    there it calls the Python function every connection registers (db.py)."""

    type = String()
    name = "folded"
    inherit_cache = True


@compiles(folded, "sqlite")
def _folded_sqlite(element: folded, compiler: Any, **kw: Any) -> str:
    return f"stz_fold({compiler.process(element.clauses, **kw)})"


@compiles(folded)
def _folded_default(element: folded, compiler: Any, **kw: Any) -> str:
    return f"translate(lower({compiler.process(element.clauses, **kw)}), 'ё', 'е')"


def eq(column: ColumnElement[Any]) -> Apply:
    return lambda stmt, value: stmt.where(column == value)


def year_of(column: ColumnElement[date]) -> Apply:
    """Rows whose date falls inside a calendar year (a range, so an index can serve it)."""

    def apply(stmt: Select[Any], value: Any) -> Select[Any]:
        year = int(value)
        return stmt.where(column >= date(year, 1, 1), column < date(year + 1, 1, 1))

    return apply


def joined(*parts: ColumnElement[Any]) -> ColumnElement[str]:
    """Parts joined by single spaces, with an empty last part (no patronymic) trimmed away."""
    expr: ColumnElement[str] = func.coalesce(parts[0], "")
    for part in parts[1:]:
        expr = expr + " " + func.coalesce(part, "")
    return func.trim(expr)
