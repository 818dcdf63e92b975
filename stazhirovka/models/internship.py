"""Internships (enrolments), individual educational routes (ИОМ) and growth journals."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned, intpk, str_enum
from .event import Event
from .person import Person
from .platform import TeacherMaster
from .program import Program, ProgramModule

Hours = Float()


class InternshipStatus(enum.StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class Internship(Base, Versioned):
    __tablename__ = "internship"
    __table_args__ = (
        CheckConstraint(
            "planned_end IS NULL OR planned_end >= start_date", name="planned_end_after_start"
        ),
        CheckConstraint(
            "actual_end IS NULL OR actual_end >= start_date", name="actual_end_after_start"
        ),
        CheckConstraint("hours_done >= 0", name="hours_done_not_negative"),
        CheckConstraint(
            "status <> 'completed' OR actual_end IS NOT NULL", name="completed_has_end"
        ),
        CheckConstraint(
            "status <> 'withdrawn' OR length(withdraw_reason) > 0", name="withdrawn_has_reason"
        ),
        Index("ix_internship_status_start", "status", "start_date"),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("program.id", ondelete="RESTRICT"), index=True
    )
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("teacher_master.id", ondelete="RESTRICT"), index=True
    )
    cohort: Mapped[str] = mapped_column(String(100), default="")
    start_date: Mapped[date] = mapped_column(index=True)
    planned_end: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[InternshipStatus] = mapped_column(
        str_enum(InternshipStatus, "internship_status"), default=InternshipStatus.PLANNED
    )
    withdraw_reason: Mapped[str] = mapped_column(String(500), default="")
    actual_end: Mapped[date | None]
    hours_done: Mapped[float] = mapped_column(Hours, default=0)

    person: Mapped[Person] = relationship()
    program: Mapped[Program] = relationship()
    mentor: Mapped[TeacherMaster | None] = relationship()
    route: Mapped[Route | None] = relationship(back_populates="internship")


route_member = Table(
    "route_member",
    Base.metadata,
    Column("route_id", ForeignKey("route.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="RESTRICT"), primary_key=True),
)


class Route(Base, Versioned):
    """An individual (or group) educational route; an internship has at most one."""

    __tablename__ = "route"

    id: Mapped[intpk]
    internship_id: Mapped[int | None] = mapped_column(
        ForeignKey("internship.id", ondelete="RESTRICT"), unique=True
    )
    # The owner of a self-education route that stands without an internship.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(500), default="")
    deficits: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    approved_on: Mapped[date | None]

    internship: Mapped[Internship | None] = relationship(back_populates="route")
    person: Mapped[Person | None] = relationship()
    members: Mapped[list[Person]] = relationship(secondary=route_member)
    steps: Mapped[list[RouteStep]] = relationship(
        back_populates="route",
        order_by="RouteStep.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class StepKind(enum.StrEnum):
    MODULE = "module"  # модуль программы стажировки
    SELF_STUDY = "self_study"
    EVENT = "event"
    OPEN_LESSON = "open_lesson"
    MENTORING = "mentoring"
    PRODUCT = "product"
    COURSE = "course"  # курсы ПК


class StepStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    DROPPED = "dropped"
    # "overdue" is derived (planned and past its planned end), never stored.


class RouteStep(Base, Versioned):
    __tablename__ = "route_step"
    __table_args__ = (
        UniqueConstraint("route_id", "position"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        CheckConstraint(
            "planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start",
            name="planned_dates_order",
        ),
        CheckConstraint("status <> 'done' OR done_on IS NOT NULL", name="done_has_date"),
        Index("ix_route_step_status_end", "status", "planned_end"),  # overdue steps, all routes
        Index("ix_route_step_route_status", "route_id", "status", "planned_end"),  # one route
    )

    id: Mapped[intpk]
    route_id: Mapped[int] = mapped_column(ForeignKey("route.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StepKind] = mapped_column(str_enum(StepKind, "step_kind"))
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_module.id", ondelete="RESTRICT"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    deficit: Mapped[str] = mapped_column(String(500), default="")
    planned_start: Mapped[date | None]
    planned_end: Mapped[date | None]
    hours: Mapped[float] = mapped_column(Hours, default=0)
    expected_result: Mapped[str] = mapped_column(Text, default="")
    report_form: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[StepStatus] = mapped_column(
        str_enum(StepStatus, "step_status"), default=StepStatus.PLANNED
    )
    done_on: Mapped[date | None]
    evidence: Mapped[str] = mapped_column(Text, default="")
    mentor_mark: Mapped[str] = mapped_column(String(255), default="")

    route: Mapped[Route] = relationship(back_populates="steps")
    module: Mapped[ProgramModule | None] = relationship()
    event: Mapped[Event | None] = relationship()


class JournalEntry(Base, Versioned):
    """One dated record of the growth journal of an internship."""

    __tablename__ = "journal_entry"
    __table_args__ = (
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        Index("ix_journal_entry_internship_date", "internship_id", "entry_date"),
        # the journal registry lists the latest entries of every internship first
        Index("ix_journal_entry_entry_date", "entry_date"),
    )

    id: Mapped[intpk]
    internship_id: Mapped[int] = mapped_column(ForeignKey("internship.id", ondelete="RESTRICT"))
    entry_date: Mapped[date]
    activity: Mapped[str] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(500))
    hours: Mapped[float] = mapped_column(Hours, default=0)
    result: Mapped[str] = mapped_column(Text, default="")
    reflection: Mapped[str] = mapped_column(Text, default="")
    mentor_comment: Mapped[str] = mapped_column(Text, default="")
    route_step_id: Mapped[int | None] = mapped_column(
        ForeignKey("route_step.id", ondelete="RESTRICT"), index=True
    )

    internship: Mapped[Internship] = relationship()
    route_step: Mapped[RouteStep | None] = relationship()
