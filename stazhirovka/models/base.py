"""Declarative base, shared column types and mixins for every model."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import BigInteger, Date, DateTime, Enum, Integer, MetaData, String, Text, event
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from ..text import search_key

# Alembic needs stable constraint names to alter them later (SQLite batch mode included).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
bigpk = Annotated[
    int, mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
]
str20 = Annotated[str, mapped_column(String(20))]
str50 = Annotated[str, mapped_column(String(50))]
str100 = Annotated[str, mapped_column(String(100))]
str255 = Annotated[str, mapped_column(String(255))]
str500 = Annotated[str, mapped_column(String(500))]
text = Annotated[str, mapped_column(Text)]


def utcnow() -> datetime:
    return datetime.now(UTC)


def str_enum(cls: type[enum.StrEnum], name: str) -> Enum:
    """A portable enum: VARCHAR + CHECK on every dialect, stored as the member's value."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in cls),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        date: Date,
    }


class Timestamped:
    """Created/updated times; the updated time moves on every ORM update."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Versioned(Timestamped):
    """A record people edit: timestamps plus a version counter for optimistic locking."""

    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # A stale edit (someone saved the record meanwhile) raises StaleDataError on flush.
        return {"version_id_col": cls.__table__.c.version}


class Searchable:
    """A lower-cased, ё-folded search key kept in step with the listed name fields.

    SQLite folds only ASCII case (MEASURED.md), so registries search this stored key with
    ``LIKE`` instead of applying ``lower()`` at query time. Bulk writers (the demo generator,
    imports) fill it with :func:`stazhirovka.text.search_key` themselves.
    """

    __search_fields__: tuple[str, ...] = ()

    search_key: Mapped[str] = mapped_column(String(700), default="", nullable=False, index=True)

    def refresh_search_key(self) -> None:
        self.search_key = search_key(*(getattr(self, f) for f in self.__search_fields__))


@event.listens_for(Searchable, "before_insert", propagate=True)
@event.listens_for(Searchable, "before_update", propagate=True)
def _refresh_search_key(_mapper: Any, _conn: Any, target: Searchable) -> None:
    target.refresh_search_key()
