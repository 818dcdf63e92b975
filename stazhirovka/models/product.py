"""Methodical products (пособия, сборники, статьи…) with their authors and attached file."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from .base import Base, Searchable, Versioned, intpk
from .person import Person
from .platform import Platform

product_author = Table(
    "product_author",
    Base.metadata,
    Column("product_id", ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="RESTRICT"), primary_key=True),
)


class Product(Base, Searchable, Versioned):
    __tablename__ = "product"
    __table_args__ = (CheckConstraint("year BETWEEN 1990 AND 2100", name="year_range"),)
    __search_fields__ = ("title",)

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer, index=True)
    platform_id: Mapped[int | None] = mapped_column(
        ForeignKey("platform.id", ondelete="RESTRICT"), index=True
    )
    published_in: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    # The attached file itself; loaded only when asked for.
    file_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    platform: Mapped[Platform | None] = relationship()
    authors: Mapped[list[Person]] = relationship(secondary=product_author)
