"""The monitoring form: indicators as aggregates checked against hand-built data on both
backends, read back with python-calamine; no name of a person anywhere in the workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session

from stazhirovka.errors import UserError
from stazhirovka.models import (
    Certificate,
    CertificateKind,
    InternshipStatus,
    Municipality,
    Participation,
)
from stazhirovka.reports.xlsx.monitoring import write_monitoring
from stazhirovka.services.internships import InternshipService
from stazhirovka.services.monitoring import build_report
from tests import factories as f

FROM, TO = date(2025, 9, 1), date(2026, 8, 31)
SURNAMES = ("Петрова", "Смирнов", "Сидоров", "Кузнецова", "Орлов", "Белова", "Зайцева")


def _world(s: Session) -> dict[str, object]:
    """Two platforms; A: program of 24 h, two interns (one completed with a certificate);
    B (in the municipality «Кореновский район»): program of 20 h, one active intern and one
    still planned (not counted)."""
    muni = Municipality(name="Кореновский район", region="Краснодарский край")
    s.add(muni)
    s.flush()
    plat_a = f.platform(s, f.org(s, "МБОУ СОШ № 5"))
    plat_b = f.platform(s, f.org(s, "МБОУ СОШ № 9", municipality_id=muni.id))
    prog_a = f.program(s, plat_a)
    prog_b = f.program(s, plat_b, title="Наставничество", hours=((10, 10),))
    m_a = f.master(s, plat_a)
    m_b = f.master(s, plat_b, f.person(s, "Смирнов", "Олег", "Ильич"))
    service = InternshipService()

    def intern(prog, mentor, surname, status):  # type: ignore[no-untyped-def]
        who = f.person(s, surname, "Анна", "Игоревна")
        it = f.internship(s, prog, who, mentor=mentor)
        if status != InternshipStatus.PLANNED:
            service.move(s, it.id, InternshipStatus.ACTIVE)
        if status == InternshipStatus.COMPLETED:
            service.move(s, it.id, InternshipStatus.COMPLETED, on=date(2026, 5, 30))
        return it

    intern(prog_a, m_a, "Сидоров", InternshipStatus.ACTIVE)
    done = intern(prog_a, m_a, "Кузнецова", InternshipStatus.COMPLETED)
    intern(prog_b, m_b, "Орлов", InternshipStatus.ACTIVE)
    intern(prog_b, m_b, "Белова", InternshipStatus.PLANNED)
    s.add(
        Certificate(
            kind=CertificateKind.INTERNSHIP,
            person_id=done.person_id,
            internship_id=done.id,
            prefix="СП",
            year=2026,
            seq=1,
            number="СП-2026-0001",
            issued_on=date(2026, 6, 1),
            holder_name="Кузнецова Анна Игоревна",
            verification_code="code-1",
        )
    )
    held = f.event(s, platform_id=plat_a.id, plan_year=2025, held=True)
    f.event(s, "Круглый стол", platform_id=plat_b.id, plan_year=2025, held=False)
    f.event(s, "Мастер-класс вне плана", platform_id=plat_a.id, held=True)
    f.event(s, "Давний семинар", platform_id=plat_a.id, held=True, starts_on=date(2024, 10, 1))
    for who in (f.person(s, "Зайцева", "Ольга", "Павловна"), m_b.person):
        s.add(Participation(event_id=held.id, person_id=who.id))
    s.flush()
    return {"a": plat_a.id, "b": plat_b.id}


def _values(report, code):  # type: ignore[no-untyped-def]
    return next(i for i in report.indicators if i.code == code)


def _cells(path: Path) -> list[object]:
    book = CalamineWorkbook.from_path(str(path))
    return [
        value
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for value in row
    ]


def test_indicators_by_hand(session: Session) -> None:
    ids = _world(session)
    report = build_report(session, FROM, TO)
    a, b = ids["a"], ids["b"]
    expect = {  # code: (A, B, total)
        "П1": (1, 1, 2),
        "П2": (1, 1, 2),
        "П3": (1, 1, 2),
        "П4": (24, 20, 44),
        "П5": (2, 1, 3),
        "П6": (1, 0, 1),
        "П8": (48, 20, 68),
        "П14": (2, 0, 2),
    }
    for code, (va, vb, total) in expect.items():
        item = _values(report, code)
        got = (item.per_platform[a].value, item.per_platform[b].value, item.total.value)
        assert got == (va, vb, total), code
    p7 = _values(report, "П7")
    assert (p7.total.numerator, p7.total.denominator, p7.total.value) == (1, 3, 33.3)
    assert p7.per_platform[a].value == 50.0 and p7.per_platform[b].value == 0.0
    p17 = _values(report, "П17")
    assert p17.missing and p17.total.value is None
    municipal = next(r for r in report.plan_fact if r.level == "муниципальный")
    assert (municipal.planned, municipal.held_of_planned, municipal.held_unplanned) == (2, 1, 1)
    assert (municipal.participants, municipal.fulfilment) == (2, 50.0)


def test_one_municipality(session: Session) -> None:
    ids = _world(session)
    report = build_report(session, FROM, TO, "кореновский  район")
    assert report.municipality == "Кореновский район"
    assert [pid for pid, _ in report.platforms] == [ids["b"]]
    assert _values(report, "П5").total.value == 1
    with pytest.raises(UserError, match="«Нет такого» не найдено"):
        build_report(session, FROM, TO, "Нет такого")


def test_workbook_read_back_without_names(session: Session, tmp_path: Path) -> None:
    _world(session)
    report = build_report(session, FROM, TO)
    path = write_monitoring(report, tmp_path / "m.xlsx", today=date(2026, 11, 22))
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Показатели", "Разрезы", "План-факт мероприятий", "Служебный"]
    rows = book.get_sheet_by_name("Показатели").to_python()
    assert rows[0][0].startswith("Мониторинг стажировочных площадок")
    assert rows[2][:3] == ["Код", "Показатель", "Ед."]
    assert rows[2][3:5] == ["МБОУ СОШ № 5", "МБОУ СОШ № 9"]
    by_code = {r[0]: r for r in rows[3:]}
    assert by_code["П5"][3:6] == [2, 1, 3] and isinstance(by_code["П5"][5], float)
    assert by_code["П7"][5] == 33.3 and by_code["П7"][6] == "1 из 3"
    assert by_code["П17"][5] == "нет данных" and by_code["П17"][6]
    plan = book.get_sheet_by_name("План-факт мероприятий").to_python()
    assert plan[-1][:6] == ["Всего", 2, 1, 50.0, 1, 2]
    service = book.get_sheet_by_name("Служебный").to_python()
    assert service[0][:2] == ["Форма", "stazhirovka-monitoring"]
    assert service[2][1] == FROM and isinstance(service[2][1], date)
    text = " ".join(str(v) for v in _cells(path))
    for surname in SURNAMES:
        assert surname not in text


def _run(*argv: str) -> int:
    import argparse

    from stazhirovka import cli_spreadsheets
    from stazhirovka.cli import _db_option

    parser = argparse.ArgumentParser()
    cli_spreadsheets.add_parsers(parser.add_subparsers(dest="command"), _db_option)
    args = parser.parse_args(argv)
    return cli_spreadsheets.COMMANDS[args.command](args)


def test_cli_monitoring_on_demo(demo_db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "форма.xlsx"
    code = _run(
        "monitoring", "--db", str(demo_db.url), "--from", "2025-09-01", "--to", "31.08.2026",
        str(out),
    )  # fmt: skip
    assert code == 0 and "Форма мониторинга записана" in capsys.readouterr().out
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Показатели").to_python()
    by_code = {r[0]: r for r in rows[3:]}
    total = rows[2].index("Всего")
    assert by_code["П1"][total] == len(rows[2]) - 5  # one column per platform
    p5, p7 = by_code["П5"][total], by_code["П7"][total]
    assert p5 > 0 and 0 <= p7 <= 100
    assert by_code["П6"][total] == pytest.approx(round(p7 * p5 / 100))


# --- consolidation ----------------------------------------------------------------------------


def _report(district: str, p5: int, p6: int, planned: int, held: int):  # type: ignore[no-untyped-def]
    from stazhirovka.services.monitoring import Cell, IndicatorValues, MonitoringReport, PlanFactRow

    def item(code, name, unit, cell, missing=""):  # type: ignore[no-untyped-def]
        return IndicatorValues(code, name, unit, {1: cell}, cell, missing)

    return MonitoringReport(
        FROM,
        TO,
        "",
        district,
        [(1, "МБОУ СОШ № 1")],
        [
            item("П5", "Число стажёров, всего", "чел.", Cell(p5)),
            item("П6", "Завершили", "чел.", Cell(p6)),
            item("П7", "Доля завершивших", "%", Cell.ratio(p6, p5)),
            item("П11", "Средний прирост", "п.п.", Cell.ratio(p6 * 30, p5, 1)),
            item("П17", "Конкурсы", "чел.", Cell(), "участие в конкурсах не ведётся"),
        ],
        [PlanFactRow("муниципальный", planned, held, 1, 10)],
    )


def test_consolidation_sums_and_recomputes_ratios(tmp_path: Path) -> None:
    from stazhirovka.reports.xlsx.consolidate import consolidate_files

    a = write_monitoring(_report("Тимашевский район", 2, 1, 4, 3), tmp_path / "a.xlsx")
    b = write_monitoring(_report("Кореновский район", 8, 1, 2, 1), tmp_path / "b.xlsx")
    out = tmp_path / "регион.xlsx"
    consolidate_files(out, [a, b], today=date(2026, 11, 22))
    book = CalamineWorkbook.from_path(str(out))
    rows = book.get_sheet_by_name("Показатели").to_python()
    assert rows[0][0].startswith("Сводный мониторинг стажировочных площадок: 2 района")
    assert rows[2][3:6] == ["Тимашевский район", "Кореновский район", "Всего"]
    by_code = {r[0]: r for r in rows[3:]}
    assert by_code["П5"][3:6] == [2, 8, 10]
    assert by_code["П6"][5] == 2
    # 50 % and 12.5 % — the region is 2 of 10 = 20 %, not their average 31.25 %
    assert by_code["П7"][3:6] == [50.0, 12.5, 20.0]
    assert by_code["П7"][6] == "2 из 10"
    # a mean is recomputed from the sums too: (30 + 30) / (2 + 8) = 6.0, not (15 + 3.8) / 2
    assert by_code["П11"][3:7] == [15.0, 3.8, 6.0, "среднее по 10"]
    assert by_code["П17"][5] == "нет данных"
    plan = book.get_sheet_by_name("План-факт мероприятий").to_python()
    assert plan[3][:6] == ["муниципальный", 6, 4, pytest.approx(66.7), 2, 20]
    # the regional file is itself a monitoring file of the same form
    service = book.get_sheet_by_name("Служебный").to_python()
    assert service[1][1] == "1" and service[5][1] == "сводка по 2 районам"


def test_consolidation_from_database(session: Session, tmp_path: Path) -> None:
    from stazhirovka.reports.xlsx.consolidate import consolidate_files

    _world(session)
    whole = write_monitoring(build_report(session, FROM, TO), tmp_path / "весь.xlsx")
    one = write_monitoring(
        build_report(session, FROM, TO, "Кореновский район"), tmp_path / "один.xlsx"
    )
    report = consolidate_files(tmp_path / "свод.xlsx", [whole, one])
    p7 = next(i for i in report.indicators if i.code == "П7")
    assert (p7.total.numerator, p7.total.denominator, p7.total.value) == (1, 4, 25.0)


def test_consolidation_refuses_other_version_and_other_files(tmp_path: Path) -> None:
    import openpyxl
    import xlsxwriter

    from stazhirovka.reports.xlsx.consolidate import consolidate_files

    good = write_monitoring(_report("Тимашевский район", 2, 1, 4, 3), tmp_path / "good.xlsx")
    old = write_monitoring(_report("Кореновский район", 8, 1, 2, 1), tmp_path / "old.xlsx")
    book = openpyxl.load_workbook(old)
    book["Служебный"]["B2"] = "0"
    book.save(old)
    out = tmp_path / "out.xlsx"
    with pytest.raises(UserError, match=r"Файл «old\.xlsx» сделан по другой версии формы"):
        consolidate_files(out, [good, old])
    plain = xlsxwriter.Workbook(str(tmp_path / "реестр.xlsx"))
    plain.add_worksheet("Лист1").write(0, 0, "ФИО")
    plain.close()
    with pytest.raises(UserError, match=r"Файл «реестр\.xlsx» — не файл мониторинга"):
        consolidate_files(out, [good, tmp_path / "реестр.xlsx"])
    other = _report("Кореновский район", 8, 1, 2, 1)
    other.date_to = date(2026, 12, 31)
    write_monitoring(other, tmp_path / "year.xlsx")
    with pytest.raises(UserError, match=r"«year\.xlsx» — за период с 01\.09\.2025 по 31\.12\.2026"):
        consolidate_files(out, [good, tmp_path / "year.xlsx"])
    with pytest.raises(UserError, match="от одного района"):
        consolidate_files(out, [good, good])
    assert not out.exists()


def test_cli_consolidate(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a = write_monitoring(_report("Тимашевский район", 2, 1, 4, 3), tmp_path / "a.xlsx")
    b = write_monitoring(_report("Кореновский район", 8, 1, 2, 1), tmp_path / "b.xlsx")
    assert _run("consolidate", str(tmp_path / "r.xlsx"), str(a), str(b)) == 0
    assert "Сводный файл записан" in capsys.readouterr().out
    assert (tmp_path / "r.xlsx").exists()


# --- a coordinator's own template -------------------------------------------------------------


def _template(path: Path, mapping: list[tuple[str, str, str, str]] | None) -> Path:
    import openpyxl
    from openpyxl.styles import Border, Font, PatternFill, Side

    book = openpyxl.Workbook()
    form = book.active
    form.title = "Форма"
    form.merge_cells("A1:F1")
    form["A1"] = "Отчёт стажировочной площадки (форма ИРО)"
    form["A1"].font = Font(bold=True, size=14)
    form["A3"], form["A5"], form["A6"], form["A7"] = "Период:", "Стажёров", "Доля", "Конкурсы"
    thin = Side(style="thin")
    form["E5"].border = Border(left=thin, right=thin, top=thin, bottom=thin)
    form["E5"].fill = PatternFill("solid", fgColor="FFFF00")
    form["B10"], form["E10"] = "Площадка", "Стажёров"
    form["F12"] = "конец формы"
    form.column_dimensions["B"].width = 33
    if mapping is not None:
        sheet = book.create_sheet("Соответствие")
        sheet.append(["Соответствие показателей ячейкам"])
        sheet.append(["Показатель", "Лист", "Ячейка", "Площадка"])
        for row in mapping:
            sheet.append(list(row))
    book.save(path)
    return path


GOOD_MAPPING = [
    ("Период", "Форма", "B3", ""),
    ("П5", "Форма", "E5", ""),
    ("П7", "Форма", "E6", "всего"),
    ("П17", "Форма", "E7", ""),
    ("Площадки", "Форма", "B11", "по строкам"),
    ("П5", "Форма", "E11", "по строкам"),
    ("П5", "Форма", "F5", "МБОУ СОШ № 9"),
    ("Дата начала", "Форма", "C3", ""),
]


def test_own_template_filled_keeping_its_look(session: Session, tmp_path: Path) -> None:
    import openpyxl

    from stazhirovka.reports.xlsx.template import fill_template, preflight

    _world(session)
    report = build_report(session, FROM, TO)
    template = _template(tmp_path / "шаблон.xlsx", GOOD_MAPPING)
    check = preflight(report, template)
    assert check.ok and len(check.missing) == 1 and "П17" in check.missing[0]
    out = tmp_path / "заполнено.xlsx"
    fill_template(report, template, out)
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Форма"]  # the mapping is not sent to the institute
    rows = book.get_sheet_by_name("Форма").to_python()
    assert rows[2][1] == "с 01.09.2025 по 31.08.2026" and rows[2][2] == FROM
    assert rows[4][4:6] == [3, 1] and isinstance(rows[4][4], float)
    assert rows[5][4] == 33.3 and rows[6][4] == "нет данных"
    assert [r[1] for r in rows[10:12]] == ["МБОУ СОШ № 5", "МБОУ СОШ № 9"]
    assert [r[4] for r in rows[10:12]] == [2, 1]
    look = openpyxl.load_workbook(out)["Форма"]
    assert "A1:F1" in {str(r) for r in look.merged_cells.ranges}
    assert look["A1"].font.bold and look["E5"].fill.fgColor.rgb.endswith("FFFF00")
    assert look["E5"].border.left.style == "thin"
    assert look.column_dimensions["B"].width == 33
    assert look["C3"].number_format == "DD.MM.YYYY"
    text = " ".join(str(v) for v in _cells(out))
    for surname in SURNAMES:
        assert surname not in text


def test_preflight_lists_every_problem_and_writes_nothing(session: Session, tmp_path: Path) -> None:
    from stazhirovka.reports.xlsx.template import fill_template, preflight

    _world(session)
    report = build_report(session, FROM, TO)
    bad = [
        ("П99", "Форма", "E5", ""),
        ("П5", "Лист2", "E5", ""),
        ("П5", "Форма", "Z999", ""),
        ("П5", "Форма", "E", ""),
        ("П5", "Форма", "B1", ""),
        ("П5", "Форма", "E6", "МБОУ СОШ № 77"),
        ("П19", "Форма", "E7", ""),
    ]
    template = _template(tmp_path / "t.xlsx", bad)
    check = preflight(report, template)
    assert len(check.errors) == 6, check.errors
    text = check.text()
    for expected in (
        "строка 3, «П99»: неизвестный показатель",
        "в шаблоне нет листа «Лист2»",
        "ячейка Z999 вне листа «Форма» (форма занимает A1:F12)",
        "«E» — не адрес ячейки",
        "ячейка B1 на листе «Форма» — часть объединённой",
        "площадки «МБОУ СОШ № 77» нет в отчёте",
    ):
        assert expected in text
    assert len(check.missing) == 1 and "анкеты обратной связи" in check.missing[0]
    out = tmp_path / "out.xlsx"
    with pytest.raises(UserError, match="Шаблон нельзя заполнить"):
        fill_template(report, template, out)
    assert not out.exists()


def test_template_with_toml_mapping_and_without_any(session: Session, tmp_path: Path) -> None:
    from stazhirovka.reports.xlsx.template import fill_template

    _world(session)
    report = build_report(session, FROM, TO)
    template = _template(tmp_path / "ирo.xlsx", None)
    with pytest.raises(UserError, match="нет соответствия показателей ячейкам"):
        fill_template(report, template, tmp_path / "x.xlsx")
    template.with_suffix(".toml").write_text(
        '[[cell]]\nindicator = "П14"\nsheet = "Форма"\ncell = "C5"\n\n'
        '[[cell]]\nindicator = "П14"\nsheet = "Форма"\ncell = "C10"\nplatform = "по столбцам"\n',
        "utf-8",
    )
    out = tmp_path / "x.xlsx"
    fill_template(report, template, out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Форма").to_python()
    assert rows[4][2] == 2 and rows[9][2:4] == [2, 0]


def test_cli_monitoring_with_template(demo_db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    template = _template(tmp_path / "t.xlsx", GOOD_MAPPING[:4])
    out = tmp_path / "o.xlsx"
    code = _run(
        "monitoring", "--db", str(demo_db.url), "--from", "2025-09-01", "--to", "2026-08-31",
        "--template", str(template), str(out),
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0 and "Шаблон «t.xlsx» заполнен" in captured.out
    assert "П17" in captured.err
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Форма").to_python()
    assert rows[4][4] > 0 and rows[6][4] == "нет данных"


def test_diagnostics_indicators_by_hand(session: Session) -> None:
    """П11–П13 from entry and exit diagnostics of three interns."""
    from sqlalchemy import select

    from stazhirovka.models import Internship, Person
    from stazhirovka.services.diagnostics import AssessmentService

    ids = _world(session)
    inst = f.default_instrument(session)
    assert (inst.scale_min, inst.scale_max, inst.deficit_max_score) == (0, 3, 1)
    assert (inst.low_threshold, inst.high_threshold) == (50, 80)
    indicators = [i.id for i in inst.indicators]
    n = len(indicators)

    def diagnose(surname: str, entry: dict[int, int], exit_: dict[int, int]) -> None:
        it = session.scalar(
            select(Internship)
            .join(Person, Person.id == Internship.person_id)
            .where(Person.surname == surname)
        )
        for stage, on, scores in (
            ("entry", date(2025, 9, 5), entry),
            ("exit", date(2026, 5, 20), exit_),
        ):
            a = AssessmentService().create(
                session,
                {"internship_id": it.id, "person_id": it.person_id, "instrument_id": inst.id,
                 "assessed_on": on, "stage": stage},
            )  # fmt: skip
            AssessmentService().set_scores(session, a.id, scores)

    every = dict.fromkeys(indicators)
    # low (33.3 %) → medium (66.7 %): +33.4 п.п. in every competency, every deficit closed
    diagnose("Кузнецова", dict.fromkeys(every, 1), dict.fromkeys(every, 2))
    # medium → medium, no change, no deficits
    diagnose("Сидоров", dict.fromkeys(every, 2), dict.fromkeys(every, 2))
    # one deficit (0 → 0) not closed, nothing changes
    same = {**dict.fromkeys(every, 3), indicators[0]: 0}
    diagnose("Орлов", same, same)

    report = build_report(session, FROM, TO)
    a, b = ids["a"], ids["b"]

    def got(code: str) -> tuple:
        item = _values(report, code)
        return (
            item.per_platform[a].value,
            item.per_platform[b].value,
            item.total.value,
            item.total.numerator,
            item.total.denominator,
        )

    p11 = got("П11")
    assert p11[:3] == (16.7, 0.0, 11.1) and p11[4] == 3
    assert got("П12") == (50.0, 0.0, 33.3, 1, 3)
    assert got("П13")[2:] == (round(100 * n / (n + 1), 1), n, n + 1)
    assert got("П13")[:2] == (100.0, 0.0)
    assert got("П10")[2] == 100.0


def test_refresher_courses_of_masters_and_interns(session: Session) -> None:
    """П15: a «курсы ПК» step done within three years of the end of the period."""
    from sqlalchemy import select

    from stazhirovka.models import Internship, Person, Route, RouteStep, StepKind, StepStatus

    ids = _world(session)

    def course(done_on: date, *, surname: str, own: bool = False) -> None:
        person = session.scalar(select(Person).where(Person.surname == surname))
        it = session.scalar(select(Internship).where(Internship.person_id == person.id))
        route = Route(person_id=person.id) if own else Route(internship_id=it.id)
        route.steps.append(
            RouteStep(position=1, kind=StepKind.COURSE, title="Курсы ПК", hours=36,
                      status=StepStatus.DONE, done_on=done_on)
        )  # fmt: skip
        session.add(route)
        session.flush()

    course(date(2024, 3, 1), surname="Сидоров")  # counted
    course(date(2023, 8, 30), surname="Петрова", own=True)  # a day too early
    course(date(2026, 9, 1), surname="Орлов")  # after the period
    report = build_report(session, FROM, TO)
    p15 = _values(report, "П15")
    # people: A — Петрова (master), Сидоров, Кузнецова; B — Смирнов (master), Орлов
    assert p15.per_platform[ids["a"]].value == 33.3
    assert p15.per_platform[ids["b"]].value == 0.0
    assert (p15.total.numerator, p15.total.denominator, p15.total.value) == (1, 5, 20.0)


def test_indicator_list_is_data(session: Session) -> None:
    """A code the institute adds is reported «нет данных» with the reason; a switched-off one
    leaves the form; the order is the list's."""
    from sqlalchemy import select

    from stazhirovka.models import MonitoringIndicator

    _world(session)
    session.add(
        MonitoringIndicator(code="П22", name="Число сетевых договоров", unit="ед.", sort_order=0)
    )
    session.scalar(
        select(MonitoringIndicator).where(MonitoringIndicator.code == "П2")
    ).active = False
    session.flush()
    report = build_report(session, FROM, TO)
    codes = [i.code for i in report.indicators]
    assert codes[:3] == ["П22", "П1", "П3"] and "П2" not in codes
    assert report.indicators[0].missing == "для этого кода нет правила расчёта"


# -- breakdowns («разрезы») ------------------------------------------------------------------


def _breakdowns(report) -> dict[tuple[str, str], tuple[float, ...]]:  # type: ignore[no-untyped-def]
    """(code, group) → (per platform in column order…, total)."""
    return {
        (b.code, b.group): (*(b.per_platform[pid] for pid, _ in report.platforms), b.total)
        for b in report.breakdowns
    }


def _interns_placed(session: Session) -> None:
    """Сидоров (platform A) works at another school of no known municipality; Орлов (platform B,
    Кореновский район) at a school of another municipality; Кузнецова at platform A's own school
    and is a young teacher (since 01.09.2024, under three years on 31.08.2026)."""
    from sqlalchemy import select

    from stazhirovka.models import Organization, Person

    def person(surname: str) -> Person:
        return session.scalar(select(Person).where(Person.surname == surname))

    other_muni = Municipality(name="Тимашевский район", region="Краснодарский край")
    session.add(other_muni)
    session.flush()
    person("Сидоров").organization_id = f.org(session, "МБОУ СОШ № 12").id
    person("Орлов").organization_id = f.org(
        session, "МБОУ СОШ № 1", municipality_id=other_muni.id
    ).id
    own = session.scalar(select(Organization).where(Organization.short_name == "МБОУ СОШ № 5"))
    person("Кузнецова").organization_id = own.id
    person("Кузнецова").teaching_since = date(2024, 9, 1)
    person("Белова").teaching_since = date(2025, 9, 1)  # planned: not counted at all
    session.flush()


def test_breakdowns_by_hand(session: Session) -> None:
    _world(session)
    _interns_placed(session)
    report = build_report(session, FROM, TO)
    got = _breakdowns(report)
    assert got[("П1", "общеобразовательная организация")] == (1, 1, 2)
    assert got[("П1", "дошкольная образовательная организация")] == (0, 0, 0)
    assert got[("П2", "без категории")] == (1, 1, 2)  # the masters have no category recorded
    assert got[("П2", "высшая")] == (0, 0, 0)
    assert got[("П5", "молодые педагоги (стаж менее 3 лет)")] == (1, 0, 1)
    assert got[("П5", "из других ОО")] == (1, 1, 2)
    assert got[("П5", "из других муниципальных образований")] == (0, 1, 1)
    assert got[("П14", "муниципальный")] == (2, 0, 2)
    assert got[("П14", "краевой")] == (0, 0, 0)
    assert got[("П14", "семинар")] == (2, 0, 2)
    # each breakdown of the events adds up to the indicator itself
    p14 = _values(report, "П14").total.value
    for dimension in ("уровень", "форма"):
        assert sum(b.total for b in report.breakdowns if b.dimension == dimension) == p14
    # a breakdown follows its indicator: none for an indicator switched off
    from stazhirovka.models import MonitoringIndicator

    session.query(MonitoringIndicator).filter_by(code="П14").update({"active": False})
    assert not [b for b in build_report(session, FROM, TO).breakdowns if b.code == "П14"]


def test_breakdowns_sheet_read_back_and_consolidated(session: Session, tmp_path: Path) -> None:
    from stazhirovka.reports.xlsx.consolidate import consolidate_files

    _world(session)
    _interns_placed(session)
    whole = write_monitoring(build_report(session, FROM, TO), tmp_path / "весь.xlsx")
    book = CalamineWorkbook.from_path(str(whole))
    assert book.sheet_names == ["Показатели", "Разрезы", "План-факт мероприятий", "Служебный"]
    rows = book.get_sheet_by_name("Разрезы").to_python()
    assert rows[0][0] == "Показатели в разрезах за период с 01.09.2025 по 31.08.2026"
    assert rows[2] == ["Код", "Разрез", "Группа", "МБОУ СОШ № 5", "МБОУ СОШ № 9", "Всего"]
    by_group = {(r[0], r[2]): r for r in rows[3:]}
    assert by_group[("П5", "из других ОО")][1:] == ["в том числе", "из других ОО", 1, 1, 2]
    assert isinstance(by_group[("П5", "из других ОО")][5], float)
    one = write_monitoring(
        build_report(session, FROM, TO, "Кореновский район"), tmp_path / "один.xlsx"
    )
    out = tmp_path / "свод.xlsx"
    consolidate_files(out, [whole, one])
    merged = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Разрезы").to_python()
    assert merged[2][5] == "Всего"
    by_group = {(r[0], r[2]): r[3:] for r in merged[3:]}
    assert by_group[("П5", "из других муниципальных образований")] == [1, 1, 2]
    assert by_group[("П1", "общеобразовательная организация")] == [2, 1, 3]
    text = " ".join(str(v) for v in _cells(whole))
    for surname in SURNAMES:
        assert surname not in text


def test_template_names_breakdown_rows(session: Session, tmp_path: Path) -> None:
    from stazhirovka.reports.xlsx.template import fill_template, preflight

    _world(session)
    _interns_placed(session)
    report = build_report(session, FROM, TO)
    mapping = [
        ("П5: из других ОО", "Форма", "E5", ""),
        ("п5 :  МОЛОДЫЕ педагоги (стаж менее 3 лет)", "Форма", "E6", "МБОУ СОШ № 5"),
        ("П14: всероссийский", "Форма", "E7", ""),
        ("П2: химия", "Форма", "E10", ""),  # no such subject this year: a zero, and said so
    ]
    template = _template(tmp_path / "шаблон.xlsx", mapping)
    check = preflight(report, template)
    assert check.ok and len(check.zeros) == 1 and "П2: химия" in check.zeros[0]
    assert "Будет записан 0" in check.text()
    out = tmp_path / "заполнено.xlsx"
    fill_template(report, template, out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Форма").to_python()
    assert [rows[4][4], rows[5][4], rows[6][4], rows[9][4]] == [2, 1, 0, 0]
    bad = _template(tmp_path / "плохой.xlsx", [("П7: молодые", "Форма", "E5", "")])
    problem = preflight(report, bad)
    assert not problem.ok and "у показателя «П7» нет разрезов" in problem.errors[0]
