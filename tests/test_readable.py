"""The audit trail reads alike in the window and in its export: Russian field labels, dates as
ДД.ММ.ГГГГ, enum labels, identifiers never shown — checked in the exported file by calamine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session

from stazhirovka.models import Role
from stazhirovka.services.access import Principal
from stazhirovka.services.internships import RouteStepService
from stazhirovka.services.labels import TABLE_DEPENDENTS
from stazhirovka.services.people import PersonService
from stazhirovka.services.readable import changes_text, entity_services, label_of, value_text
from stazhirovka.services.registry import RegistryQuery

from . import factories as f


def test_changes_read_with_russian_labels() -> None:
    stored = (
        '{"subject": ["", "химия"], "consent_on": [null, "2026-03-01"], "snils": ["***", "***"]}'
    )
    assert changes_text("person", stored) == (
        "Предмет: — → химия; Дата согласия на обработку ПДн: — → 01.03.2026; СНИЛС: изменено"
    )
    assert changes_text("route_step", '{"status": ["planned", "done"]}') == (
        "Отметка о выполнении: запланирован → выполнен"
    )
    assert changes_text("person", "") == ""
    assert changes_text("unknown", "not json") == "not json"
    export = '{"строк": [null, 25], "маска ПДн": [null, true]}'
    assert changes_text("person", export) == "строк: 25; маска ПДн: да"
    assert changes_text("district_profile", '{"city": ["", "Тимашевск"]}') == (
        "Место выдачи документов: — → Тимашевск"
    )
    assert value_text(2.5) == "2,5" and value_text(36.0) == "36"


def test_every_audited_table_has_a_section_name_and_labels() -> None:
    """A new record service without a section name would show its table's name in the trail."""
    services = entity_services()
    assert len(services) >= 20
    for table, service in services.items():
        assert table in TABLE_DEPENDENTS, table
        for spec in service.fields:
            assert label_of(table, spec.name) == spec.label
    assert "district_profile" in TABLE_DEPENDENTS


def test_the_trail_export_is_readable(session: Session, tmp_path: Path) -> None:
    from stazhirovka.reports.xlsx.export import export_registry

    who = f.person(session, subject="")
    PersonService().update(session, who.id, {"subject": "химия"}, actor="metod")
    route = f.internship(session)
    step = RouteStepService().create(
        session, {"route_id": _route_of(session, route.id), "kind": "self_study", "title": "Урок"}
    )
    RouteStepService().update(
        session, step.id, {"status": "done", "done_on": date(2026, 11, 2)}, actor="metod"
    )
    session.info["principal"] = Principal("metod", Role.METHODOLOGIST)
    out = export_registry(session, "audit", tmp_path / "журнал.xlsx", RegistryQuery(), masked=True)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    text = [" | ".join(str(v) for v in r) for r in rows]
    assert any("Предмет: — → химия" in line and "педагоги" in line for line in text)
    assert any("Отметка о выполнении: запланирован → выполнен" in line for line in text)
    assert any("Дата выполнения: — → 02.11.2026" in line for line in text)
    assert not any('["' in line for line in text)  # no stored JSON leaks into the sheet


def _route_of(session: Session, internship_id: int) -> int:
    from stazhirovka.services.internships import RouteService

    return RouteService().create(session, {"internship_id": internship_id}).id
