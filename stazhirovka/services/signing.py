"""Certificates verifiable offline: a code that carries the number, holder, hours and date,
signed with the district's Ed25519 key, so the public key alone tells a genuine one.

The code is the text of the QR code: ``STZ1.<key>.<payload>.<signature>``, where the payload
is the number, holder, hours and date joined by «|» in UTF-8, and both parts are unpadded
base64url (ASCII only: every QR reader decodes it alike). Ed25519 signs deterministically, so
a reprint of the same certificate carries the same code. The basis (program, event) is left
out to keep the code small enough to scan from a 30 mm square; ``verify`` names it from the
register when it can.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import Certificate, Role, SigningKey

PREFIX = "STZ1"
_FIELDS = ("number", "holder", "hours", "issued_on")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SignedFacts:
    """What a signed code states about its certificate."""

    number: str
    holder: str
    hours: str
    issued_on: date
    key_no: int

    def payload(self) -> bytes:
        fields = (self.number, self.holder, self.hours, self.issued_on.isoformat())
        return "|".join(f.replace("|", "/") for f in fields).encode()


def facts_of(certificate: Certificate, key_no: int) -> SignedFacts:
    from ..formats import number

    return SignedFacts(
        certificate.number,
        certificate.holder_name,
        number(certificate.hours) if certificate.hours is not None else "",
        certificate.issued_on,
        key_no,
    )


@dataclass(frozen=True)
class Signer:
    key_no: int
    private_hex: str

    def code(self, facts: SignedFacts) -> str:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(self.private_hex))
        payload = facts.payload()
        return f"{PREFIX}.{self.key_no}.{_b64(payload)}.{_b64(key.sign(payload))}"


def signer(session: Session) -> Signer:
    """The district's active key, created on first use (inside the caller's transaction)."""
    row = session.scalar(
        select(SigningKey).where(SigningKey.active.is_(True)).order_by(SigningKey.id.desc())
    )
    if row is None:
        row = _new_key(session)
    return Signer(row.key_no, row.private_key)


def _new_key(session: Session) -> SigningKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = Ed25519PrivateKey.generate()
    last = session.scalar(select(func.max(SigningKey.key_no))) or 0
    row = SigningKey(
        key_no=last + 1,
        private_key=key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()).hex(),
        public_key=key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex(),
        active=True,
    )
    session.add(row)
    session.flush()
    return row


def rotate_key(session: Session, actor: str = "") -> int:
    """Sign from now on with a new key (after a copy of the database went astray, or by the
    district's rules); the old keys stay, so certificates issued before still verify. The
    administrator's action; returns the new key's number."""
    from .access import require
    from .crud import audit

    require(session, {Role.ADMIN}, "заменять ключ подписи сертификатов")
    old = session.scalars(select(SigningKey).where(SigningKey.active.is_(True))).all()
    for row in old:
        row.active = False
    new = _new_key(session)
    was = max((r.key_no for r in old), default=None)
    audit(session, "rotate_key", new, {"key_no": (was, new.key_no)}, actor)
    return new.key_no


def public_keys(session: Session) -> dict[int, str]:
    """Every key's public half by number (hex), for checking codes and for publishing. Read
    from the table, past the narrowing that hides the private halves from coordinators and
    platform heads: the public ones are for anybody to check a certificate with."""
    table = SigningKey.__table__
    return dict(session.connection().execute(select(table.c.key_no, table.c.public_key)).all())


def public_key_text(keys: dict[int, str]) -> str:
    """The public keys as a small text file a checker can keep: «номер ключа: hex»."""
    lines = ["# Открытые ключи проверки сертификатов (Ed25519): номер ключа и ключ"]
    lines += [f"{n}: {k}" for n, k in sorted(keys.items())]
    return "\n".join(lines) + "\n"


def read_public_keys(text: str) -> dict[int, str]:
    keys = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        number, _, value = line.partition(":")
        try:
            keys[int(number)] = bytes.fromhex(value.strip()).hex()
        except ValueError as exc:
            raise UserError(f"Файл ключей: строка «{line[:40]}» не читается.") from exc
    return keys


def is_signed_code(text: str) -> bool:
    return text.strip().startswith(PREFIX + ".")


def check_code(code: str, keys: dict[int, str]) -> SignedFacts:
    """The facts of a genuine code; :class:`UserError` saying why a code is not genuine."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    parts = code.strip().split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise UserError("Это не код проверки сертификата: он должен начинаться с «STZ1.».")
    try:
        key_no = int(parts[1])
        payload, signature = _unb64(parts[2]), _unb64(parts[3])
    except ValueError as exc:
        raise UserError("Код проверки повреждён: его части не читаются.") from exc
    if key_no not in keys:
        raise UserError(f"Ключ № {key_no}, которым подписан код, неизвестен этой базе.")
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(keys[key_no])).verify(signature, payload)
    except (InvalidSignature, ValueError) as exc:
        raise UserError(
            "Подпись кода не сходится: сертификат подделан или код переписан с ошибкой."
        ) from exc
    fields = payload.decode("utf-8", errors="replace").split("|")
    if len(fields) != len(_FIELDS):
        raise UserError("Код проверки повреждён: неверное число полей.")
    number, holder, hours, issued_on = fields
    try:
        issued = date.fromisoformat(issued_on)
    except ValueError as exc:
        raise UserError("Код проверки повреждён: дата не читается.") from exc
    return SignedFacts(number, holder, hours, issued, key_no)
