"""Certificates already issued, printed again, and the register of issued certificates
(«журнал регистрации выданных сертификатов», DOCUMENTS.md §4.3) as a PDF."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...formats import number, short_date
from ...models import Certificate, CertificateStatus, Organization, Person, Position
from ...services import labels
from ..documents import DocumentKind, Options, register
from ..output import ProgressFn
from .blocks import district_letterhead
from .layout import Document, content_width, empty_note, title
from .tables import Column, data_table


def _reprint(
    session: Session, ids: Sequence[int], path: Path, _options: Options, progress: ProgressFn
) -> Path:
    from ..certificates import print_certificates

    print_certificates(session, ids, pdf=path, progress=progress)
    return path


def _all_certificates(session: Session, options: Options) -> list[int]:
    start, end = options.period
    return list(
        session.scalars(
            select(Certificate.id)
            .where(
                Certificate.issued_on.between(start, end),
                Certificate.status == CertificateStatus.ISSUED,
            )
            .order_by(Certificate.issued_on, Certificate.prefix, Certificate.seq)
        )
    )


register(
    DocumentKind(
        key="certificate",
        title="Сертификаты",
        record="certificates",
        documents=lambda *_: [],
        all_ids=_all_certificates,
        render=_reprint,
    )
)

REGISTER_COLUMNS = (
    Column("Рег. №", 2.0),
    Column("Дата выдачи", 1.1, "center"),
    Column("Вид документа", 1.5),
    Column("ФИО (им. п.)", 2.2),
    Column("ОО, должность", 2.2),
    Column("Программа / мероприятие", 2.9),
    Column("Часы", 0.7, "right"),
    Column("Статус", 1.5),
    Column("Подпись получателя", 1.3),
)


def _register_rows(session: Session, options: Options) -> list[list[str]]:
    start, end = options.period
    rows = []
    result = session.execute(
        select(Certificate, Organization.short_name, Position.name)
        .join(Person, Person.id == Certificate.person_id)
        .outerjoin(Organization, Organization.id == Person.organization_id)
        .outerjoin(Position, Position.id == Person.position_id)
        .where(Certificate.issued_on.between(start, end))
        .order_by(Certificate.prefix, Certificate.year, Certificate.seq, Certificate.duplicate_no)
    )
    for cert, org, position in result:
        if cert.status == CertificateStatus.CANCELLED:
            status = f"аннулирован {short_date(cert.cancelled_on)}"
            if cert.cancel_reason:
                status += f" ({cert.cancel_reason})"
        elif cert.duplicate_no:
            status = "дубликат"
        else:
            status = "выдан"
        rows.append(
            [
                cert.number,
                short_date(cert.issued_on),
                labels.CERTIFICATE_KIND.get(cert.kind.value, cert.kind.value),
                cert.holder_name,
                ", ".join(p for p in (org, position) if p),
                cert.basis_title,
                number(cert.hours) if cert.hours is not None else "",
                status,
                "",
            ]
        )
    return rows


def _register(session: Session, _ids: Sequence[int], options: Options) -> list[Document]:
    start, end = options.period
    rows = _register_rows(session, options)
    district = options.district

    def build() -> list:
        width = content_width("landscape")
        issued = sum(1 for r in rows if r[7] == "выдан")
        cancelled = sum(1 for r in rows if r[7].startswith("аннулирован"))
        duplicates = sum(1 for r in rows if r[7] == "дубликат")
        items = [
            *district_letterhead(district, contacts=False),
            *title(
                "Журнал регистрации выданных сертификатов",
                f"за период с {short_date(start)} по {short_date(end)}",
            ),
        ]
        if rows:
            items.append(data_table(REGISTER_COLUMNS, rows, width, size=9))
            items.append(
                empty_note(
                    f"Всего записей: {len(rows)}; выдано: {issued}, дубликатов: {duplicates}, "
                    f"аннулировано: {cancelled}."
                )
            )
        else:
            items.append(empty_note("За этот период сертификаты не выдавались."))
        return items

    return [Document(build, "landscape")]


register(
    DocumentKind(
        key="register",
        title="Журнал регистрации выданных сертификатов",
        record="register",
        documents=_register,
        all_ids=lambda _s, _o: [0],
    )
)
