"""Persons (педагоги): the people every other record is about. Personal data (152-ФЗ)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Searchable, Versioned, intpk, str_enum
from .organization import Organization
from .reference import Position, QualificationCategory


class Sex(enum.StrEnum):
    MALE = "M"
    FEMALE = "F"


class Person(Base, Searchable, Versioned):
    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("length(surname) > 0", name="surname_not_empty"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )
    __search_fields__ = ("surname", "name", "patronymic")

    id: Mapped[intpk]
    surname: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str] = mapped_column(String(100), default="")
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "sex"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    position_id: Mapped[int | None] = mapped_column(
        ForeignKey("position.id", ondelete="RESTRICT"), index=True
    )
    subject: Mapped[str] = mapped_column(String(255), default="")
    teaching_since: Mapped[date | None] = mapped_column(index=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("qualification_category.id", ondelete="RESTRICT"), index=True
    )
    education: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    # СНИЛС as 11 digits; unique when present, used to find duplicates, never exported unmasked.
    snils: Mapped[str | None] = mapped_column(String(11), unique=True)
    # A dative ФИО the user corrected by hand («Ивановой Марии Петровне»); kept for the person.
    dative_override: Mapped[str] = mapped_column(String(300), default="")
    consent_on: Mapped[date | None]
    consent_document: Mapped[str] = mapped_column(String(255), default="")
    consent_withdrawn_on: Mapped[date | None]

    organization: Mapped[Organization | None] = relationship()
    position: Mapped[Position | None] = relationship()
    category: Mapped[QualificationCategory | None] = relationship()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """«Иванова М.П.» — the form for tables and masked lists."""
        initials = "".join(f"{p[0]}." for p in (self.name, self.patronymic) if p)
        return f"{self.surname} {initials}".strip()
