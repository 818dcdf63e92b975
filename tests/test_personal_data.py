"""Personal data (DOCUMENTS.md §7): consent withdrawn anonymizes a person but keeps the
certificate register and the statistics; exports are masked by role and logged; the audit
trail is a registry; daily backups keep the last ten."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from stazhirovka.errors import UserError
from stazhirovka.models import AuditEntry, Certificate, CertificateKind, Person, Role
from stazhirovka.services.access import AccessError, Principal
from stazhirovka.services.monitoring import build_report
from stazhirovka.services.people import PersonService
from stazhirovka.services.personal_data import withdraw_consent
from stazhirovka.services.registry import RegistryQuery, fetch_page

from . import factories as f


def _certified(s: Session) -> tuple[int, int]:
    it = f.completed_internship(s)
    PersonService().update(
        s, it.person_id,
        {"phone": "+7 918 000-00-01", "email": "sidorov@school.ru", "snils": "11223344595",
         "consent_on": date(2025, 9, 1)},
    )  # fmt: skip
    s.add(
        Certificate(kind=CertificateKind.INTERNSHIP, person_id=it.person_id, internship_id=it.id,
                    prefix="СП", year=2026, seq=1, number="СП-2026-0001",
                    issued_on=date(2026, 6, 1), holder_name="Сидоров Илья Ильич",
                    verification_code="code-1")
    )  # fmt: skip
    s.flush()
    return it.person_id, it.id


def test_withdrawal_anonymizes_and_keeps_register_and_statistics(session: Session) -> None:
    person_id, _ = _certified(session)
    before = build_report(session, date(2025, 9, 1), date(2026, 8, 31))
    withdraw_consent(session, person_id, date(2026, 11, 1), actor="metod")
    person = session.get(Person, person_id)
    assert (person.surname, person.name, person.patronymic) == ("Обезличено", "Обезличено", "")
    assert (person.phone, person.email, person.snils) == ("", "", None)
    assert person.consent_withdrawn_on == date(2026, 11, 1) and "сидоров" not in person.search_key
    # the register keeps the certificate as issued (an archival record)
    cert = session.scalar(select(Certificate))
    assert (cert.number, cert.holder_name) == ("СП-2026-0001", "Сидоров Илья Ильич")
    # the statistics of earlier periods are unchanged
    after = build_report(session, date(2025, 9, 1), date(2026, 8, 31))
    assert [i.total for i in after.indicators] == [i.total for i in before.indicators]
    # nothing of the name is left in the person's audit trail; the withdrawal is recorded
    trail = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "person", AuditEntry.entity_id == person_id)
    ).all()
    assert trail and all("Сидоров" not in e.changes and "918" not in e.changes for e in trail)
    assert trail[-1].action == "anonymize" and trail[-1].user_login == "metod"
    with pytest.raises(UserError, match=r"уже отозвано 01\.11\.2026"):
        withdraw_consent(session, person_id)


def test_withdrawal_checks_dates_and_roles(session: Session) -> None:
    person_id, _ = _certified(session)
    with pytest.raises(UserError, match="раньше даты согласия"):
        withdraw_consent(session, person_id, date(2025, 1, 1))
    with pytest.raises(UserError, match="в будущем"):
        withdraw_consent(session, person_id, date(2999, 1, 1))
    session.info["principal"] = Principal("coord", Role.COORDINATOR)
    with pytest.raises(AccessError):
        withdraw_consent(session, person_id)


def test_exports_are_masked_by_role_and_logged(session: Session, tmp_path: Path) -> None:
    from stazhirovka.reports.xlsx.export import export_registry

    person_id, _ = _certified(session)
    session.info["principal"] = Principal("coord", Role.COORDINATOR)
    out = export_registry(session, "persons", tmp_path / "п.xlsx", RegistryQuery(), masked=False)
    text = " ".join(
        str(v) for r in CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
        for v in r
    )  # fmt: skip
    assert "sidorov@school.ru" not in text and "000-00-01" not in text
    assert "Контактные данные скрыты" in text
    logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert len(logged) == 1 and logged[0].user_login == "coord" and logged[0].entity == "person"
    assert '"маска ПДн": [null, true]' in logged[0].changes and "п.xlsx" in logged[0].changes
    # the trail itself is a registry with the district's filters
    session.info["principal"] = Principal("metod", Role.METHODOLOGIST)
    page = fetch_page(session, "audit", RegistryQuery(filters={"action": "export"}))
    assert [r["user_login"] for r in page.rows] == ["coord"]
    page = fetch_page(session, "audit", RegistryQuery(filters={"entity_id": person_id}))
    assert {r["action"] for r in page.rows} >= {"create", "update"}


def test_daily_backup_once_a_day_keeping_ten(tmp_path: Path) -> None:
    from stazhirovka.db import open_database
    from stazhirovka.services.maintenance import daily_backup

    url = f"sqlite:///{tmp_path / 'база.db'}"
    open_database(url).close()
    folder = tmp_path / "копии"
    folder.mkdir()
    made = [daily_backup(url, folder, date(2026, 11, d)) for d in range(1, 13)]
    assert all(p is not None for p in made)
    assert daily_backup(url, folder, date(2026, 11, 12)) is None  # today's exists
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 10 and kept[0] == "база-daily-2026-11-03.db"
    assert daily_backup("postgresql+psycopg://x@localhost/db", folder) is None
