"""Is a certificate genuine? By its number or register code (looked up in the register), or
by the signed code of its QR (checked with the public key alone, offline; and, when the
register is at hand, also looked up there to see whether it was cancelled since)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..formats import number, short_date
from ..models import Certificate, CertificateStatus
from ..text import collapse_spaces
from . import labels
from .signing import check_code, is_signed_code, public_keys


@dataclass
class Verdict:
    genuine: bool
    cancelled: bool = False
    lines: list[str] = field(default_factory=list)  # what the user is told, in Russian

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _normalized(code: str) -> str:
    return collapse_spaces(code).replace(" ", "").upper()


def _describe(cert: Certificate) -> list[str]:
    lines = [
        f"Номер: {cert.number} ({labels.CERTIFICATE_KIND.get(cert.kind.value, cert.kind.value)})",
        f"Выдан: {cert.holder_name}",
        f"Дата выдачи: {short_date(cert.issued_on)}",
    ]
    if cert.basis_title:
        lines.append(f"Основание: {cert.basis_title}")
    if cert.hours:
        lines.append(f"Объём: {number(cert.hours)} ч")
    if cert.status == CertificateStatus.CANCELLED:
        reason = f": {cert.cancel_reason}" if cert.cancel_reason else ""
        lines.append(f"АННУЛИРОВАН {short_date(cert.cancelled_on)}{reason}")
    return lines


def find_certificate(session: Session, code: str) -> Certificate | None:
    """A certificate by its number («СП-2026-0042», any case) or by its register code
    («3FA2-9C1B-…», with or without the dashes)."""
    wanted = _normalized(code)
    token = wanted.replace("-", "").lower()
    return session.scalar(
        select(Certificate).where(
            or_(
                func.upper(Certificate.number) == wanted,
                Certificate.number == collapse_spaces(code),
                Certificate.verification_code == token,
                Certificate.verification_code == collapse_spaces(code),
            )
        )
    )


def verify(session: Session | None, code: str, keys: dict[int, str] | None = None) -> Verdict:
    """Check a number, register code or signed code. ``session`` may be None (offline:
    only a signed code can be checked, with ``keys``)."""
    code = code.strip()
    if not code:
        raise UserError("Введите номер сертификата или код проверки.")
    if is_signed_code(code):
        if keys is None:
            if session is None:
                raise UserError("Для проверки без базы нужен файл открытых ключей.")
            keys = public_keys(session)
        try:
            facts = check_code(code, keys)
        except UserError as exc:
            return Verdict(False, lines=[f"Сертификат НЕ подтверждён. {exc}"])
        lines = [
            "Подпись кода верна: сертификат выдан этой методической службой.",
            f"Номер: {facts.number}",
            f"Выдан: {facts.holder}",
            f"Дата выдачи: {short_date(facts.issued_on)}",
        ]
        if facts.hours:
            lines.append(f"Объём: {facts.hours} ч")
        cancelled = False
        if session is not None:
            cert = find_certificate(session, facts.number)
            if cert is None:
                lines.append("В журнале регистрации этой базы номер не найден.")
            else:
                if cert.basis_title:
                    lines.append(f"Основание: {cert.basis_title}")
                if cert.status == CertificateStatus.CANCELLED:
                    cancelled = True
                    lines.append(
                        f"АННУЛИРОВАН {short_date(cert.cancelled_on)}: {cert.cancel_reason}"
                    )
        return Verdict(not cancelled, cancelled, lines)
    if session is None:
        raise UserError("Номер сертификата проверяется по журналу регистрации: укажите базу.")
    cert = find_certificate(session, code)
    if cert is None:
        return Verdict(False, lines=[f"Сертификат «{code[:40]}» в журнале регистрации не найден."])
    cancelled = cert.status == CertificateStatus.CANCELLED
    head = (
        "Сертификат найден в журнале регистрации, но аннулирован."
        if cancelled
        else "Сертификат подлинный: он есть в журнале регистрации."
    )
    return Verdict(not cancelled, cancelled, [head, *_describe(cert)])
