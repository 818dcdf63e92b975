"""Modular programs (модульные программы) and their ordered modules."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Searchable, Versioned, intpk
from .platform import Platform
from .reference import Competency

program_competency = Table(
    "program_competency",
    Base.metadata,
    Column("program_id", ForeignKey("program.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competency.id", ondelete="RESTRICT"), primary_key=True),
)


class Program(Base, Searchable, Versioned):
    __tablename__ = "program"
    __table_args__ = (
        CheckConstraint("duration_months IS NULL OR duration_months > 0", name="duration_positive"),
    )
    __search_fields__ = ("title",)

    id: Mapped[intpk]
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platform.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    audience: Mapped[str] = mapped_column(String(500), default="")
    duration_months: Mapped[int | None] = mapped_column(Integer)
    approved_on: Mapped[date | None]
    approval_order: Mapped[str] = mapped_column(String(100), default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    expected_results: Mapped[str] = mapped_column(Text, default="")

    platform: Mapped[Platform] = relationship()
    competencies: Mapped[list[Competency]] = relationship(secondary=program_competency)
    modules: Mapped[list[ProgramModule]] = relationship(
        back_populates="program",
        order_by="ProgramModule.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def total_hours(self) -> int:
        return sum(m.hours for m in self.modules)


class ProgramModule(Base, Versioned):
    __tablename__ = "program_module"
    __table_args__ = (
        UniqueConstraint("program_id", "position"),
        CheckConstraint("hours_theory >= 0", name="hours_theory_not_negative"),
        CheckConstraint("hours_practice >= 0", name="hours_practice_not_negative"),
    )

    id: Mapped[intpk]
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    hours_theory: Mapped[int] = mapped_column(Integer, default=0)
    hours_practice: Mapped[int] = mapped_column(Integer, default=0)
    form: Mapped[str] = mapped_column(String(100), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    expected_result: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")

    program: Mapped[Program] = relationship(back_populates="modules")

    @property
    def hours(self) -> int:
        return self.hours_theory + self.hours_practice
