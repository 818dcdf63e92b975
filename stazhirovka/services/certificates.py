"""The certificate register: numbers from a gap-free sequence, cancellation, duplicates."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..errors import Problem, UserError, ValidationError
from ..models import (
    Certificate,
    CertificateKind,
    CertificateSequence,
    CertificateStatus,
    Event,
    Internship,
    InternshipStatus,
    Person,
)
from .access import DISTRICT
from .crud import EntityService, audit
from .validation import Field

# Number prefixes per kind (DOCUMENTS.md §4.3): a separate sequence per kind and year.
PREFIXES = {
    CertificateKind.INTERNSHIP: "СП",
    CertificateKind.PARTICIPATION: "УМ",
    CertificateKind.SPEAKER: "ВС",
    CertificateKind.THANKS: "БЛ",
}


def format_number(prefix: str, year: int, seq: int, duplicate_no: int = 0) -> str:
    number = f"{prefix}-{year}-{seq:04d}"
    if duplicate_no == 1:
        return f"{number}-Д"
    if duplicate_no > 1:
        return f"{number}-Д{duplicate_no}"
    return number


def next_number(session: Session, prefix: str, year: int) -> int:
    """Take the next number of a sequence inside the caller's transaction.

    The sequence row is made if missing without failing when another desktop makes it at the
    same moment (INSERT … ON CONFLICT DO NOTHING); the UPDATE then takes the row lock
    (PostgreSQL) or the write lock (SQLite), so desktops issuing at once get consecutive
    numbers, and a rolled-back batch gives its numbers back with the row.
    """
    dialect = session.get_bind().dialect.name
    make = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        make(CertificateSequence)
        .values(prefix=prefix, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    bumped = session.execute(
        update(CertificateSequence)
        .where(CertificateSequence.prefix == prefix, CertificateSequence.year == year)
        .values(last_value=CertificateSequence.last_value + 1)
        .returning(CertificateSequence.last_value)
    ).scalar_one()
    return int(bumped)


class CertificateService(EntityService[Certificate]):
    """Editing of what may change after issue (signatory, dative form); numbers never change."""

    access = DISTRICT

    model = Certificate
    title = "сертификат"
    title_accusative = "сертификат"
    fields = (
        Field("holder_name_dative", "ФИО в дательном падеже", max_len=300),
        Field("signatory", "Подписант", max_len=300),
        Field("basis_title", "Основание", max_len=500),
    )

    def describe(self, obj: Certificate) -> str:
        return obj.number

    def issue(
        self,
        session: Session,
        *,
        kind: CertificateKind,
        person_id: int,
        internship_id: int | None = None,
        event_id: int | None = None,
        issued_on: date | None = None,
        hours: float | None = None,
        signatory: str = "",
        actor: str = "",
    ) -> Certificate:
        """Register a new certificate with the next number of its kind and year."""
        self.authorize(session, "create", {})
        person = session.get(Person, person_id)
        problems: list[Problem] = []
        if person is None:
            problems.append(Problem("person_id", "Получатель", "не найден"))
        basis_title = ""
        if kind == CertificateKind.INTERNSHIP:
            internship = session.get(Internship, internship_id) if internship_id else None
            if internship is None:
                problems.append(Problem("internship_id", "Стажировка", "не выбрана"))
            else:
                if internship.person_id != person_id:
                    problems.append(
                        Problem("internship_id", "Стажировка", "принадлежит другому педагогу")
                    )
                if internship.status != InternshipStatus.COMPLETED:
                    problems.append(Problem("internship_id", "Стажировка", "ещё не завершена"))
                basis_title = internship.program.title
                hours = hours if hours is not None else internship.hours_done
        elif kind in (CertificateKind.PARTICIPATION, CertificateKind.SPEAKER):
            event = session.get(Event, event_id) if event_id else None
            if event is None:
                problems.append(Problem("event_id", "Мероприятие", "не выбрано"))
            else:
                basis_title = event.title
                hours = hours if hours is not None else event.hours
        if problems:
            raise ValidationError(problems)
        assert person is not None
        issued_on = issued_on or date.today()
        prefix = PREFIXES[kind]
        seq = next_number(session, prefix, issued_on.year)
        certificate = Certificate(
            kind=kind,
            person_id=person_id,
            internship_id=internship_id,
            event_id=event_id,
            prefix=prefix,
            year=issued_on.year,
            seq=seq,
            duplicate_no=0,
            number=format_number(prefix, issued_on.year, seq),
            issued_on=issued_on,
            hours=hours,
            holder_name=person.full_name,
            basis_title=basis_title,
            signatory=signatory,
            verification_code=secrets.token_hex(8),
        )
        session.add(certificate)
        self._flush(session)
        audit(session, "issue", certificate, {"number": (None, certificate.number)}, actor)
        return certificate

    def cancel(
        self,
        session: Session,
        certificate_id: int,
        reason: str,
        on: date | None = None,
        actor: str = "",
    ) -> Certificate:
        """Cancel a certificate; it stays in the register with its number, marked cancelled."""
        certificate = self.get_for_change(session, certificate_id)
        if certificate.status == CertificateStatus.CANCELLED:
            raise UserError(f"Сертификат {certificate.number} уже аннулирован.")
        if not reason.strip():
            raise ValidationError(
                [Problem("cancel_reason", "Причина аннулирования", "обязательное поле")]
            )
        certificate.status = CertificateStatus.CANCELLED
        certificate.cancelled_on = on or date.today()
        certificate.cancel_reason = reason.strip()
        self._flush(session)
        audit(session, "cancel", certificate, {"status": ("issued", "cancelled")}, actor)
        return certificate

    def duplicate(
        self, session: Session, certificate_id: int, issued_on: date | None = None, actor: str = ""
    ) -> Certificate:
        """A duplicate: the same number with «-Д» (then «-Д2», …), registered as its own record."""
        original = self.get_for_change(session, certificate_id)
        if original.duplicate_no:
            raise UserError("Дубликат выдаётся по оригиналу, а не по другому дубликату.")
        if original.status == CertificateStatus.CANCELLED:
            raise UserError(f"Сертификат {original.number} аннулирован; дубликат не выдаётся.")
        last = session.scalar(
            select(Certificate.duplicate_no)
            .where(
                Certificate.prefix == original.prefix,
                Certificate.year == original.year,
                Certificate.seq == original.seq,
            )
            .order_by(Certificate.duplicate_no.desc())
            .limit(1)
        )
        dup_no = (last or 0) + 1
        copy: dict[str, Any] = {
            c: getattr(original, c)
            for c in (
                "kind",
                "person_id",
                "internship_id",
                "event_id",
                "prefix",
                "year",
                "seq",
                "hours",
                "holder_name",
                "holder_name_dative",
                "basis_title",
                "signatory",
            )
        }
        duplicate = Certificate(
            **copy,
            duplicate_no=dup_no,
            number=format_number(original.prefix, original.year, original.seq, dup_no),
            issued_on=issued_on or date.today(),
            verification_code=secrets.token_hex(8),
        )
        session.add(duplicate)
        self._flush(session)
        audit(
            session, "duplicate", duplicate, {"number": (original.number, duplicate.number)}, actor
        )
        return duplicate

    def delete(self, session: Session, obj_id: int, *, actor: str = "", source: str = "") -> None:
        raise UserError(
            "Выданный сертификат не удаляется: его номер остаётся в журнале регистрации. Аннулируйте его."
        )
