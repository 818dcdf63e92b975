"""The bank of diagnostic instruments, their indicators, and assessments with scores."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
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
from .person import Person
from .reference import Competency


class InstrumentKind(enum.StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    QUESTIONNAIRE = "questionnaire"
    OBSERVATION = "observation"


class Instrument(Base, Searchable, Versioned):
    """A questionnaire, self-assessment or observation sheet with its scale and level bands."""

    __tablename__ = "instrument"
    __table_args__ = (
        CheckConstraint("scale_max > scale_min", name="scale_order"),
        CheckConstraint(
            "low_threshold > 0 AND low_threshold < high_threshold AND high_threshold <= 100",
            name="thresholds_order",
        ),
    )
    __search_fields__ = ("title",)

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[InstrumentKind] = mapped_column(str_enum(InstrumentKind, "instrument_kind"))
    description: Mapped[str] = mapped_column(Text, default="")
    scale_min: Mapped[int] = mapped_column(Integer, default=0)
    scale_max: Mapped[int] = mapped_column(Integer, default=3)
    # Scale labels, one per point, separated by "|" («не владею|владею частично|…»).
    scale_labels: Mapped[str] = mapped_column(String(1000), default="")
    # A competency level is "low" below low_threshold % of the maximum, "high" from high_threshold %.
    low_threshold: Mapped[int] = mapped_column(Integer, default=50)
    high_threshold: Mapped[int] = mapped_column(Integer, default=80)
    # Items scored at or below this value count as a professional deficit (DOCUMENTS.md §3.1).
    deficit_max_score: Mapped[int] = mapped_column(Integer, default=1)

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="instrument",
        order_by="Indicator.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Indicator(Base, Versioned):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("instrument_id", "position"),)

    id: Mapped[intpk]
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competency.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20), default="")  # e.g. a labour function "A/01.6"
    text: Mapped[str] = mapped_column(String(1000))

    instrument: Mapped[Instrument] = relationship(back_populates="indicators")
    competency: Mapped[Competency] = relationship()


class Stage(enum.StrEnum):
    ENTRY = "entry"
    INTERIM = "interim"
    EXIT = "exit"


class Assessor(enum.StrEnum):
    SELF = "self"
    MENTOR = "mentor"
    EXPERT = "expert"


class Assessment(Base, Versioned):
    __tablename__ = "assessment"
    __table_args__ = (Index("ix_assessment_person_stage", "person_id", "stage"),)

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    internship_id: Mapped[int | None] = mapped_column(
        ForeignKey("internship.id", ondelete="RESTRICT"), index=True
    )
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instrument.id", ondelete="RESTRICT"), index=True
    )
    assessed_on: Mapped[date]
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, "assessment_stage"))
    assessor: Mapped[Assessor] = mapped_column(
        str_enum(Assessor, "assessor"), default=Assessor.SELF
    )
    comment: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship()
    instrument: Mapped[Instrument] = relationship()
    scores: Mapped[list[Score]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )


class Score(Base):
    """A score for one indicator. The database refuses a value outside the instrument's scale
    (a trigger created by the first migration; see ``migrations/versions``)."""

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("assessment_id", "indicator_id"),)

    id: Mapped[intpk]
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="RESTRICT"), index=True
    )
    value: Mapped[float] = mapped_column(Float)

    assessment: Mapped[Assessment] = relationship(back_populates="scores")
    indicator: Mapped[Indicator] = relationship()
