"""Accounts, their roles and platforms in scope, and the audit trail."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned, bigpk, intpk, str_enum, utcnow
from .platform import Platform


class Role(enum.StrEnum):
    ADMIN = "admin"
    METHODOLOGIST = "methodologist"
    PLATFORM_HEAD = "platform-head"
    COORDINATOR = "coordinator"


user_platform = Table(
    "user_platform",
    Base.metadata,
    Column("user_id", ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    Column("platform_id", ForeignKey("platform.id", ondelete="RESTRICT"), primary_key=True),
)


class User(Base, Versioned):
    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint("length(login) > 0", name="login_not_empty"),)

    id: Mapped[intpk]
    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True
    )
    # Wrong passwords in a row and the last one's time: further tries wait longer and longer.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failed_at: Mapped[datetime | None]

    platforms: Mapped[list[Platform]] = relationship(secondary=user_platform)


class AuditEntry(Base):
    """Who changed what, when: old and new values as JSON (personal identifiers masked)."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)

    id: Mapped[bigpk]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_login: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(20))  # create / update / delete / …
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(100), default="")  # window, cli, import, package
