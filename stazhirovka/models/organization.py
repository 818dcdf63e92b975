"""Organizations (schools, kindergartens, partners) and network agreements."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Searchable, Versioned, intpk, str255, str_enum
from .reference import Municipality


class OrgKind(enum.StrEnum):
    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"
    ADDITIONAL = "additional"
    COLLEGE = "college"
    UNIVERSITY = "university"
    INSTITUTE = "institute"
    METHODICAL_SERVICE = "methodical_service"
    PARTNER = "partner"


class Organization(Base, Searchable, Versioned):
    __tablename__ = "organization"
    __table_args__ = (
        CheckConstraint("staff_count IS NULL OR staff_count >= 0", name="staff_count_not_negative"),
        Index("ix_organization_short_name", "short_name"),
    )
    __search_fields__ = ("short_name", "full_name")

    id: Mapped[intpk]
    full_name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str255]
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind, "org_kind"))
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="RESTRICT"), index=True
    )
    address: Mapped[str] = mapped_column(String(500), default="")
    head_name: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    staff_count: Mapped[int | None] = mapped_column(Integer)

    municipality: Mapped[Municipality | None] = relationship()


class NetworkAgreement(Base, Searchable, Versioned):
    """An agreement on network cooperation with a partner organization."""

    __tablename__ = "network_agreement"
    __table_args__ = (
        CheckConstraint(
            "valid_until IS NULL OR valid_until >= signed_on", name="valid_after_signed"
        ),
    )
    __search_fields__ = ("number", "subject")

    id: Mapped[intpk]
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[str] = mapped_column(String(50))
    signed_on: Mapped[date]
    valid_until: Mapped[date | None] = mapped_column(index=True)
    subject: Mapped[str] = mapped_column(Text, default="")
    functions: Mapped[str] = mapped_column(Text, default="")
    joint_events: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship()
