"""The certificate register: consecutive numbers per kind and year, cancel, duplicates."""

from __future__ import annotations

from datetime import date

import pytest

from stazhirovka.errors import UserError, ValidationError
from stazhirovka.models import CertificateKind, CertificateStatus
from stazhirovka.services.certificates import CertificateService, format_number

from . import factories as f


def test_numbers_are_consecutive_per_kind_and_year(session):
    service = CertificateService()
    a, b = f.completed_internship(session), f.completed_internship(session, "Орлов")
    c1 = service.issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=a.person_id,
        internship_id=a.id,
        issued_on=date(2026, 6, 1),
    )
    c2 = service.issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=b.person_id,
        internship_id=b.id,
        issued_on=date(2026, 6, 1),
    )
    event = f.event(session)
    c3 = service.issue(
        session,
        kind=CertificateKind.SPEAKER,
        person_id=a.person_id,
        event_id=event.id,
        issued_on=date(2026, 6, 2),
    )
    c4 = service.issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=a.person_id,
        internship_id=a.id,
        issued_on=date(2027, 1, 10),
    )
    assert [c1.number, c2.number, c3.number, c4.number] == [
        "СП-2026-0001",
        "СП-2026-0002",
        "ВС-2026-0001",
        "СП-2027-0001",
    ]
    assert (
        c1.hours == 24
        and c1.holder_name == "Сидоров Илья Ильич"
        and c1.basis_title == a.program.title
    )
    assert c3.hours == 4


def test_an_unfinished_internship_gets_no_certificate(session):
    intern = f.internship(session)
    with pytest.raises(ValidationError) as err:
        CertificateService().issue(
            session,
            kind=CertificateKind.INTERNSHIP,
            person_id=intern.person_id,
            internship_id=intern.id,
        )
    assert err.value.for_field("internship_id") == ["ещё не завершена"]


def test_cancelled_certificates_keep_their_number_and_are_not_deleted(session):
    a = f.completed_internship(session)
    service = CertificateService()
    cert = service.issue(
        session, kind=CertificateKind.INTERNSHIP, person_id=a.person_id, internship_id=a.id
    )
    with pytest.raises(ValidationError):
        service.cancel(session, cert.id, reason=" ")
    service.cancel(session, cert.id, reason="ошибка в фамилии", on=date(2026, 6, 5))
    assert cert.status == CertificateStatus.CANCELLED and cert.number == "СП-2026-0001"
    with pytest.raises(UserError):
        service.cancel(session, cert.id, reason="ещё раз")
    with pytest.raises(UserError):
        service.delete(session, cert.id)
    nxt = service.issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=a.person_id,
        internship_id=a.id,
        issued_on=date(2026, 6, 6),
    )
    assert nxt.number == "СП-2026-0002"  # the cancelled number is never reused


def test_duplicates_carry_the_mark(session):
    a = f.completed_internship(session)
    service = CertificateService()
    cert = service.issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=a.person_id,
        internship_id=a.id,
        issued_on=date(2026, 6, 1),
    )
    d1 = service.duplicate(session, cert.id)
    d2 = service.duplicate(session, cert.id)
    assert (d1.number, d2.number) == ("СП-2026-0001-Д", "СП-2026-0001-Д2")
    with pytest.raises(UserError):
        service.duplicate(session, d1.id)


def test_number_format():
    assert format_number("СП", 2026, 42) == "СП-2026-0042"
