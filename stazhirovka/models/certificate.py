"""Issued certificates (the register) and the per-kind, per-year number sequences."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Searchable, Versioned, intpk, str_enum
from .event import Event
from .internship import Internship
from .person import Person


class CertificateKind(enum.StrEnum):
    INTERNSHIP = "internship"  # completed internship, with hours
    PARTICIPATION = "participation"  # took part in an event
    SPEAKER = "speaker"  # spoke at an event
    THANKS = "thanks"  # thanks to a teacher-master


class CertificateStatus(enum.StrEnum):
    ISSUED = "issued"
    CANCELLED = "cancelled"


class CertificateSequence(Base):
    """The last number used for a prefix and year. Numbers are taken from here inside the
    issuing transaction, so they are never reused and never skipped."""

    __tablename__ = "certificate_sequence"

    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Certificate(Base, Searchable, Versioned):
    __tablename__ = "certificate"
    __table_args__ = (
        UniqueConstraint("prefix", "year", "seq", "duplicate_no"),
        CheckConstraint("seq > 0", name="seq_positive"),
        CheckConstraint("duplicate_no >= 0", name="duplicate_no_not_negative"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_not_negative"),
        CheckConstraint(
            "(kind = 'internship' AND internship_id IS NOT NULL)"
            " OR (kind IN ('participation', 'speaker') AND event_id IS NOT NULL)"
            " OR kind = 'thanks'",
            name="basis_matches_kind",
        ),
        CheckConstraint(
            "status <> 'cancelled' OR cancelled_on IS NOT NULL", name="cancelled_has_date"
        ),
        Index("ix_certificate_issued_on", "issued_on"),
    )
    __search_fields__ = ("number", "holder_name")

    id: Mapped[intpk]
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind, "certificate_kind"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    internship_id: Mapped[int | None] = mapped_column(
        ForeignKey("internship.id", ondelete="RESTRICT"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="RESTRICT"), index=True
    )
    prefix: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    duplicate_no: Mapped[int] = mapped_column(Integer, default=0)  # 0 = the original
    number: Mapped[str] = mapped_column(String(40), unique=True)  # «СП-2026-0042», «…-Д»
    issued_on: Mapped[date]
    hours: Mapped[float | None] = mapped_column(Float)
    # The holder as printed, kept for the register even if the person is later anonymized.
    holder_name: Mapped[str] = mapped_column(String(300))
    holder_name_dative: Mapped[str] = mapped_column(String(300), default="")
    basis_title: Mapped[str] = mapped_column(String(500), default="")
    signatory: Mapped[str] = mapped_column(String(300), default="")
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[CertificateStatus] = mapped_column(
        str_enum(CertificateStatus, "certificate_status"), default=CertificateStatus.ISSUED
    )
    cancelled_on: Mapped[date | None]
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")

    person: Mapped[Person] = relationship()
    internship: Mapped[Internship | None] = relationship()
    event: Mapped[Event | None] = relationship()
