"""Events of the plan-schedule (семинары, мастер-классы…) and who took part."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Searchable, Versioned, intpk, str_enum
from .organization import Organization
from .person import Person
from .platform import Platform
from .reference import EventForm, EventLevel


class Event(Base, Searchable, Versioned):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_order"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        CheckConstraint(
            "plan_year IS NULL OR plan_year BETWEEN 2000 AND 2100", name="plan_year_range"
        ),
        Index("ix_event_plan_year_starts_on", "plan_year", "starts_on"),
    )
    __search_fields__ = ("title",)

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(500))
    form_id: Mapped[int] = mapped_column(
        ForeignKey("event_form.id", ondelete="RESTRICT"), index=True
    )
    level_id: Mapped[int] = mapped_column(
        ForeignKey("event_level.id", ondelete="RESTRICT"), index=True
    )
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date | None]
    platform_id: Mapped[int | None] = mapped_column(
        ForeignKey("platform.id", ondelete="RESTRICT"), index=True
    )
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    audience: Mapped[str] = mapped_column(String(500), default="")
    hours: Mapped[float] = mapped_column(Float, default=0)
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    # The year of the plan-schedule the event was planned in; NULL for an unplanned event.
    plan_year: Mapped[int | None] = mapped_column(Integer)
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[str] = mapped_column(Text, default="")

    form: Mapped[EventForm] = relationship()
    level: Mapped[EventLevel] = relationship()
    platform: Mapped[Platform | None] = relationship()
    venue: Mapped[Organization | None] = relationship()
    responsible: Mapped[Person | None] = relationship()
    participations: Mapped[list[Participation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )


class ParticipantRole(enum.StrEnum):
    LISTENER = "listener"
    SPEAKER = "speaker"
    HOST = "host"
    ORGANIZER = "organizer"


class Participation(Base, Versioned):
    __tablename__ = "participation"
    __table_args__ = (UniqueConstraint("event_id", "person_id", "role"),)

    id: Mapped[intpk]
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    role: Mapped[ParticipantRole] = mapped_column(
        str_enum(ParticipantRole, "participant_role"), default=ParticipantRole.LISTENER
    )
    attended: Mapped[bool] = mapped_column(Boolean, default=True)

    event: Mapped[Event] = relationship(back_populates="participations")
    person: Mapped[Person] = relationship()
