"""Network pedagogical communities (сетевые сообщества, ПОС), their members and meetings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Searchable, Versioned, intpk
from .person import Person


class Community(Base, Searchable, Versioned):
    __tablename__ = "community"
    __table_args__ = (CheckConstraint("stage BETWEEN 1 AND 4", name="stage_range"),)
    __search_fields__ = ("name",)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(500), unique=True)
    focus: Mapped[str] = mapped_column(Text, default="")
    # 1 выявление проблем → 2 совместное планирование → 3 совместная работа → 4 оценка
    stage: Mapped[int] = mapped_column(Integer, default=1)
    founded_on: Mapped[date | None]

    members: Mapped[list[CommunityMember]] = relationship(
        back_populates="community", cascade="all, delete-orphan", passive_deletes=True
    )
    meetings: Mapped[list[CommunityMeeting]] = relationship(
        back_populates="community",
        order_by="CommunityMeeting.held_on",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class CommunityMember(Base):
    __tablename__ = "community_member"
    __table_args__ = (UniqueConstraint("community_id", "person_id"),)

    id: Mapped[intpk]
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    is_moderator: Mapped[bool] = mapped_column(Boolean, default=False)

    community: Mapped[Community] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()


class CommunityMeeting(Base, Versioned):
    __tablename__ = "community_meeting"

    id: Mapped[intpk]
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    topic: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")

    community: Mapped[Community] = relationship(back_populates="meetings")
