"""Reference lists: editable data seeded on creation (DOCUMENTS.md §0.3)."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Searchable, Timestamped, intpk, str100, str255


class RefItem(Timestamped):
    """Common shape of a short editable list: a name, an order and an "in use" flag."""

    id: Mapped[intpk]
    name: Mapped[str255] = mapped_column(unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Municipality(Base, Timestamped):
    """A municipality (муниципальное образование) of a region."""

    __tablename__ = "municipality"
    __table_args__ = (UniqueConstraint("region", "name"),)

    id: Mapped[intpk]
    name: Mapped[str255]
    region: Mapped[str255]


class Competency(Base, RefItem):
    """A competency direction (методические, оценочные, …)."""

    __tablename__ = "competency"

    code: Mapped[str] = mapped_column(String(20), unique=True)


class Position(Base, RefItem):
    """A job title with its dative form for certificates («учителю математики»)."""

    __tablename__ = "position"

    name_dative: Mapped[str255]


class QualificationCategory(Base, RefItem):
    __tablename__ = "qualification_category"


class EventForm(Base, RefItem):
    __tablename__ = "event_form"


class EventLevel(Base, RefItem):
    """Level of an event; ``rank`` orders them from the school up to the federal level."""

    __tablename__ = "event_level"

    rank: Mapped[int] = mapped_column(Integer, default=0)


class MonitoringIndicator(Base, Searchable, RefItem):
    """An indicator of the report to the regional institute (DOCUMENTS.md §6.1)."""

    __tablename__ = "monitoring_indicator"
    __table_args__ = (CheckConstraint("length(code) > 0", name="code_not_empty"),)
    __search_fields__ = ("code", "name")

    code: Mapped[str] = mapped_column(String(20), unique=True)
    unit: Mapped[str100]
    formula: Mapped[str] = mapped_column(String(1000), default="")
    breakdown: Mapped[str] = mapped_column(String(1000), default="")
