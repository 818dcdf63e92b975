"""Platforms (площадки) and their teacher-masters (педагоги-мастера)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned, intpk, str_enum
from .organization import Organization
from .person import Person
from .reference import Competency


class PlatformKind(enum.StrEnum):
    INTERNSHIP = "internship"  # стажировочная
    SUPPORT = "support"  # опорная
    MUNICIPAL_INNOVATION = "municipal_innovation"
    REGIONAL_INNOVATION = "regional_innovation"


class PlatformStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


platform_competency = Table(
    "platform_competency",
    Base.metadata,
    Column("platform_id", ForeignKey("platform.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competency.id", ondelete="RESTRICT"), primary_key=True),
)


class Platform(Base, Versioned):
    __tablename__ = "platform"
    __table_args__ = (
        CheckConstraint("active_to IS NULL OR active_to >= active_from", name="active_dates_order"),
    )

    id: Mapped[intpk]
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[PlatformKind] = mapped_column(str_enum(PlatformKind, "platform_kind"))
    theme: Mapped[str] = mapped_column(Text, default="")
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    order_number: Mapped[str] = mapped_column(String(50), default="")
    order_date: Mapped[date | None]
    active_from: Mapped[date]
    active_to: Mapped[date | None]
    status: Mapped[PlatformStatus] = mapped_column(
        str_enum(PlatformStatus, "platform_status"), default=PlatformStatus.ACTIVE, index=True
    )

    organization: Mapped[Organization] = relationship()
    head: Mapped[Person | None] = relationship()
    competencies: Mapped[list[Competency]] = relationship(secondary=platform_competency)


class TeacherMaster(Base, Versioned):
    """A person in a platform's working group, a mentor of interns."""

    __tablename__ = "teacher_master"
    __table_args__ = (UniqueConstraint("platform_id", "person_id"),)

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platform.id", ondelete="RESTRICT"), index=True
    )
    status_on: Mapped[date | None]
    order_number: Mapped[str] = mapped_column(String(50), default="")
    specialization: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    person: Mapped[Person] = relationship()
    platform: Mapped[Platform] = relationship()
