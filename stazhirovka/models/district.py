"""The district's own details that every document prints (letterhead, signatories, style) and
the key certificates are signed with. Kept in the database, so every desktop of a shared
server and the command line print the same letterhead."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Versioned, intpk, utcnow


class DistrictProfile(Base, Versioned):
    """One row (id 1): who issues the documents and how they are worded."""

    __tablename__ = "district_profile"

    id: Mapped[intpk]
    founder: Mapped[str] = mapped_column(String(500), default="")  # учредитель, над шапкой
    service_name: Mapped[str] = mapped_column(String(300), default="")  # «МБУ «ЦРО»»
    service_full_name: Mapped[str] = mapped_column(String(500), default="")
    municipality: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(100), default="")  # «г. Тимашевск»
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    # JSON list of {"position": …, "name": …}; the first signs certificates and approvals.
    signatories: Mapped[str] = mapped_column(Text, default="[]")
    certificate_wording: Mapped[str] = mapped_column(String(20), default="dative")
    signature_style: Mapped[str] = mapped_column(String(20), default="initials")


class SigningKey(Base):
    """An Ed25519 key pair: the private half signs certificate codes, the public half alone
    checks them offline. Never deleted: old certificates stay verifiable after a new key."""

    __tablename__ = "signing_key"

    id: Mapped[intpk]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    private_key: Mapped[str] = mapped_column(Text)  # raw 32 bytes, hex
    public_key: Mapped[str] = mapped_column(String(64), unique=True)  # raw 32 bytes, hex
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    key_no: Mapped[int] = mapped_column(Integer, default=1)
