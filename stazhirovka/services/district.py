"""The district's document details: who issues documents, who signs them, how certificates
are worded (DOCUMENTS.md §4.2, §4.4). One record, read by every document."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlalchemy.orm import Session

from ..errors import Problem, ValidationError
from ..grammar import initials_name
from ..models import DistrictProfile, Role
from ..text import collapse_spaces
from .access import require
from .crud import audit

WORDINGS = {
    "dative": "«Настоящий сертификат выдан Ивановой Марии Сергеевне … в том, что она прошла …»",
    "nominative": "«Настоящий сертификат подтверждает, что Иванова Мария Сергеевна … прошла …»",
}
SIGNATURE_STYLES = {"initials": "А.В. Кузнецова", "full": "Анна Кузнецова"}


@dataclass
class Signatory:
    """Who signs: «Директор МБУ «ЦРО»» — «Кузнецова Анна Викторовна»."""

    position: str = ""
    name: str = ""


@dataclass
class District:
    """The details printed on documents; a plain copy, safe to pass between threads."""

    founder: str = ""
    service_name: str = ""
    service_full_name: str = ""
    municipality: str = ""
    city: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    signatories: list[Signatory] = field(default_factory=list)
    certificate_wording: str = "dative"
    signature_style: str = "initials"

    @property
    def issuer(self) -> str:
        """The issuing body as the letterhead names it."""
        return self.service_full_name or self.service_name

    def signatory(self, index: int = 0) -> Signatory:
        return self.signatories[index] if len(self.signatories) > index else Signatory()

    def signature_name(self, full_name: str) -> str:
        """The расшифровка of a signature in the chosen style («А.В. Кузнецова»)."""
        return initials_name(full_name, self.signature_style) if full_name else ""


FIELD_LABELS = {
    "founder": "Учредитель",
    "service_name": "Краткое наименование службы",
    "service_full_name": "Полное наименование службы",
    "municipality": "Муниципальное образование",
    "city": "Место выдачи документов",
    "address": "Адрес",
    "phone": "Телефон",
    "email": "Электронная почта",
}
_TEXT_FIELDS = (
    "founder", "service_name", "service_full_name", "municipality", "city", "address",
    "phone", "email",
)  # fmt: skip


def load_district(session: Session) -> District:
    row = session.get(DistrictProfile, 1)
    if row is None:
        return District()
    try:
        signatories = [Signatory(**s) for s in json.loads(row.signatories or "[]")]
    except (ValueError, TypeError):
        signatories = []
    return District(
        **{name: getattr(row, name) for name in _TEXT_FIELDS},
        signatories=signatories,
        certificate_wording=row.certificate_wording,
        signature_style=row.signature_style,
    )


def save_district(session: Session, district: District, actor: str = "") -> None:
    require(session, {Role.ADMIN, Role.METHODOLOGIST}, "изменять сведения о районе")
    problems = []
    if district.certificate_wording not in WORDINGS:
        problems.append(Problem("certificate_wording", "Формулировка сертификата", "неизвестна"))
    if district.signature_style not in SIGNATURE_STYLES:
        problems.append(Problem("signature_style", "Расшифровка подписи", "неизвестна"))
    limits = {c.name: getattr(c.type, "length", None) for c in DistrictProfile.__table__.columns}
    for name in _TEXT_FIELDS:
        value = collapse_spaces(getattr(district, name))
        if limits.get(name) and len(value) > limits[name]:
            problems.append(
                Problem(name, FIELD_LABELS[name], f"не длиннее {limits[name]} символов")
            )
    if problems:
        raise ValidationError(problems)
    row = session.get(DistrictProfile, 1)
    if row is None:
        row = DistrictProfile(id=1)
        session.add(row)
    before = {name: getattr(row, name) for name in (*_TEXT_FIELDS, "signatories")}
    for name in _TEXT_FIELDS:
        setattr(row, name, collapse_spaces(getattr(district, name)))
    row.signatories = json.dumps(
        [
            asdict(Signatory(collapse_spaces(s.position), collapse_spaces(s.name)))
            for s in district.signatories
            if s.position.strip() or s.name.strip()
        ],
        ensure_ascii=False,
    )
    row.certificate_wording = district.certificate_wording
    row.signature_style = district.signature_style
    session.flush()
    changes = {
        name: (old, getattr(row, name)) for name, old in before.items() if old != getattr(row, name)
    }
    if changes:
        audit(session, "update", row, changes, actor)
