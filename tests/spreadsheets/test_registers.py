"""Registers as spreadsheets, read back with python-calamine: the certificate register of a
period and the plan-schedule with its fulfilment."""

from __future__ import annotations

from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from stazhirovka.cli import main
from stazhirovka.errors import UserError
from stazhirovka.models import CertificateKind
from stazhirovka.reports.xlsx.registers import export_certificate_register, export_plan
from stazhirovka.services.certificates import CertificateService
from stazhirovka.services.plan import plan_schedule
from tests import factories as f

TODAY = date(2026, 11, 22)


def sheet(path, index=0):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(index).to_python()


def _certificates(session):
    service = CertificateService()
    a, b = f.completed_internship(session), f.completed_internship(session, "Орлов")
    first = service.issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=a.person_id,
        internship_id=a.id,
        issued_on=date(2026, 6, 1),
    )
    second = service.issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=b.person_id,
        internship_id=b.id,
        issued_on=date(2026, 6, 2),
    )
    service.duplicate(session, first.id)
    service.cancel(session, second.id, reason="ошибка в фамилии", on=date(2026, 6, 5))
    service.issue(  # outside the period
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=a.person_id,
        internship_id=a.id,
        issued_on=date(2027, 1, 10),
    )
    session.flush()


def test_certificate_register_of_a_period(session, tmp_path):
    _certificates(session)
    out = tmp_path / "register.xlsx"
    export_certificate_register(session, out, date(2026, 1, 1), date(2026, 12, 31), today=TODAY)
    rows = sheet(out)
    assert rows[0][0] == "Журнал регистрации выданных сертификатов — выгрузка от 22.11.2026"
    assert rows[1][0] == "За период с 01.01.2026 по 31.12.2026."
    assert rows[2] == [
        "Рег. №",
        "Дата выдачи",
        "Вид документа",
        "ФИО (им. п.)",
        "ОО, должность",
        "Программа / мероприятие",
        "Часы",
        "Статус",
    ]
    data = [r for r in rows[3:] if r[0].startswith("СП-")]
    assert [r[0] for r in data] == ["СП-2026-0001", "СП-2026-0001-Д", "СП-2026-0002"]
    assert [r[7] for r in data] == [
        "выдан",
        "дубликат",
        "аннулирован 05.06.2026 (ошибка в фамилии)",
    ]
    assert data[0][1] == date(2026, 6, 1)
    assert data[0][2] == "сертификат о прохождении стажировки"
    assert data[0][3].startswith("Сидоров Илья")
    assert isinstance(data[0][6], float) and data[0][6] > 0
    assert rows[-1][0] == "Всего записей: 3; выдано: 1, дубликатов: 1, аннулировано: 1."


def test_empty_register_and_a_reversed_period(session, tmp_path):
    out = tmp_path / "empty.xlsx"
    export_certificate_register(session, out, date(2020, 1, 1), date(2020, 12, 31), today=TODAY)
    rows = sheet(out)
    assert rows[2][0] == "Рег. №" and rows[3][0] == "нет записей"
    with pytest.raises(UserError, match="Начало периода"):
        export_certificate_register(
            session, tmp_path / "x.xlsx", date(2021, 1, 1), date(2020, 1, 1)
        )
    assert not (tmp_path / "x.xlsx").exists()


def _plan(session):
    f.event(session, "Семинар января", starts_on=date(2025, 1, 20), plan_year=2025, held=True)
    f.event(session, "Мастер-класс", starts_on=date(2025, 3, 3), plan_year=2025, held=True)
    f.event(
        session,
        "Круглый стол",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 2),
        plan_year=2025,
    )
    f.event(session, "Вне плана", starts_on=date(2025, 5, 5), held=True)
    f.event(session, "Перенесённое", starts_on=date(2026, 1, 15), plan_year=2025)
    session.flush()


def test_plan_schedule_with_fulfilment(session, tmp_path):
    _plan(session)
    out = tmp_path / "plan.xlsx"
    export_plan(session, out, 2025, today=TODAY)
    events = sheet(out, 0)
    assert events[0][0] == "План-график мероприятий на 2025 год — выгрузка от 22.11.2026"
    assert events[1][0].startswith("Запланировано: 4, проведено: 2 (50 %); вне плана: 1")
    assert events[2][:4] == ["Месяц", "Дата начала", "Дата окончания", "Мероприятие"]
    data = events[3:]
    assert [r[3] for r in data] == [
        "Семинар января",
        "Круглый стол",
        "Мастер-класс",
        "Вне плана",
        "Перенесённое",
    ]
    assert [r[0] for r in data] == ["январь", "март", "март", "май", "январь 2026"]
    assert data[1][1] == date(2025, 3, 1) and data[1][2] == date(2025, 3, 2)
    assert [(r[9], r[10]) for r in data] == [
        ("да", "да"),
        ("да", "нет"),
        ("да", "да"),
        ("нет", "да"),
        ("да", "нет"),
    ]
    assert all(isinstance(r[11], float) and isinstance(r[12], float) for r in data)

    months = sheet(out, 1)
    assert months[2][:4] == ["Месяц", "Запланировано", "Проведено из плана", "Выполнение плана"]
    by_name = {r[0]: r for r in months[3:]}
    assert len(by_name) == 14  # twelve months, «январь 2026», the total
    assert by_name["март"][1:4] == [2.0, 1.0, 0.5]
    assert by_name["февраль"][1:4] == [0.0, 0.0, ""]
    summary = plan_schedule(session, 2025).summary
    total = by_name["Итого за год"]
    assert total[1:7] == [
        summary.planned,
        summary.held,
        summary.held / summary.planned,
        summary.unplanned,
        summary.held_unplanned,
        summary.participants,
    ]


def test_cli_registers(tmp_path, capsys):
    from stazhirovka.db import open_database

    url = f"sqlite:///{tmp_path / 'small.db'}"
    db = open_database(url)
    try:
        with db.session() as s:
            _certificates(s)
            _plan(s)
            s.commit()
    finally:
        db.close()
    out = tmp_path / "out"
    assert main(["export", "certificate-register", str(out / "r.xlsx"), "--db", url,
                 "--from", "01.01.2026", "--to", "2026-12-31"]) == 0  # fmt: skip
    assert "3 записи" in capsys.readouterr().out
    assert [r[0] for r in sheet(out / "r.xlsx")[3:6]] == [
        "СП-2026-0001",
        "СП-2026-0001-Д",
        "СП-2026-0002",
    ]
    assert main(["export", "plan", str(out / "p.xlsx"), "--db", url, "--year", "2025"]) == 0
    assert "2025" in capsys.readouterr().out
    assert sheet(out / "p.xlsx")[3][3] == "Семинар января"
    assert main(["export", "certificate-register", str(out / "x.xlsx"), "--db", url]) == 1
    assert "укажите период: --from и --to" in capsys.readouterr().err
