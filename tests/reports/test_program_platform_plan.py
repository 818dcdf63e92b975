"""The modular program, the platform report and the plan-schedule as PDF: read back with
pypdf and qpdf, on both databases, and at the district demo's scale."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from stazhirovka.errors import NotFoundError
from stazhirovka.formats import MONTHS_NOMINATIVE
from stazhirovka.models import Competency, Indicator, InternshipStatus, Platform, Program
from stazhirovka.reports.documents import Options, kind, print_documents
from stazhirovka.services.diagnostics import AssessmentService, effectiveness
from stazhirovka.services.district import District, Signatory
from stazhirovka.services.events import ParticipationService
from stazhirovka.services.internships import InternshipService
from stazhirovka.services.platforms import PlatformService
from stazhirovka.services.products import ProductService
from stazhirovka.services.programs import ModuleService, ProgramService
from tests import factories as f
from tests.conftest import TODAY
from tests.reports.pdfcheck import all_text, embedded_fonts, opens_in_qpdf, page_sizes_mm, pdf_text

PORTRAIT, LANDSCAPE = (210, 297), (297, 210)
DISTRICT = District(
    founder="Управление образования администрации муниципального образования Тимашевский район",
    service_name="МБУ «ЦРО»",
    service_full_name="Муниципальное бюджетное учреждение «Центр развития образования»",
    signatories=[Signatory("Директор МБУ «ЦРО»", "Кузнецова Анна Викторовна")],
)


def options(**kw: object) -> Options:
    kw.setdefault("district", DISTRICT)
    kw.setdefault("today", TODAY)
    return Options(**kw)  # type: ignore[arg-type]


def make(session: Session, key: str, ids: list[int] | None, path: Path, **kw: object) -> Path:
    return print_documents(session, key, ids, path, options(**kw))


def check_pdf(path: Path) -> list[str]:
    """The pages' text of a sound PDF with the office font embedded."""
    assert opens_in_qpdf(path) >= 1
    assert any(name.startswith("PTSerif") for name in embedded_fonts(path))
    text = all_text(path)
    assert "None" not in text
    return pdf_text(path)


def page_number(page: str) -> int | None:
    """The number printed at the top of a page (drawn last, so read last)."""
    found = re.search(r" (\d+)$", page)
    return int(found.group(1)) if found else None


# -- the modular program ---------------------------------------------------------------------


def program_with_details(s: Session, **kw: object) -> Program:
    head = f.person(s, "Петрова", "Наталья", "Андреевна")
    plat = f.platform(s, f.org(s, "МБОУ СОШ № 5"), head_id=head.id, theme="Формирующее оценивание")
    prog = f.program(s, plat, hours=((4, 8), (2, 10), (3, 4)))
    values = {
        "audience": "молодые педагоги со стажем работы до 3 лет",
        "duration_months": 2,
        "approved_on": date(2020, 8, 28),
        "approval_order": "№ 598",
        "goals": "Формирование методических компетенций начинающих педагогов",
        "expected_results": "Стажёр проводит открытый урок с самоанализом",
        **kw,
    }
    ProgramService().update(s, prog.id, values)
    codes = s.scalars(select(Competency).where(Competency.code.in_(["METH", "EVAL"]))).all()
    ProgramService().set_competencies(s, prog.id, [c.id for c in codes])
    s.refresh(prog)
    return prog


def test_program_prints_passport_modules_and_totals(session: Session, tmp_path: Path) -> None:
    prog = program_with_details(session)
    pdf = make(session, "program", [prog.id], tmp_path / "program.pdf")
    pages = check_pdf(pdf)
    text = " ".join(pages)
    assert "Модульная программа стажировки" in text
    assert "«Формирование методических компетенций педагогов»" in text
    assert "УТВЕРЖДАЮ Руководитель стажировочной площадки МБОУ СОШ № 5" in text
    assert "Н.А. Петрова 28.08.2020" in text
    assert "Утверждена приказом № 598 от 28.08.2020" in text
    assert "Продолжительность 2 месяца" in text
    assert "Общий объём 31 час" in text  # 4+8 + 2+10 + 3+4
    assert "молодые педагоги со стажем работы до 3 лет" in text
    competencies = session.scalars(select(Competency).where(Competency.code == "METH")).one()
    assert f"METH {competencies.name}" in text
    # the modules: theory, practice and total per row, and the bold total row
    assert "1 Модуль 1 4 8 12" in text and "3 Модуль 3 3 4 7" in text
    assert "Итого 9 22 31" in text
    # the passport on a portrait page, the table of modules on landscape ones
    sizes = page_sizes_mm(pdf)
    assert sizes[0] == PORTRAIT and sizes[-1] == LANDSCAPE
    assert "Учебно-тематический план" in pages[-1]
    # signed by the platform's head, under the end of the table (never alone on a page)
    assert re.search(
        r"Итого 9 22 31 Руководитель стажировочной площадки МБОУ СОШ № 5 "
        r"Н\.А\. Петрова",
        pages[-1],
    )


@pytest.mark.parametrize(
    ("months", "hours", "months_text", "hours_text"),
    [
        (1, ((1, 0),), "1 месяц", "1 час"),
        (5, ((2, 0),), "5 месяцев", "2 часа"),
        (12, ((10, 11),), "12 месяцев", "21 час"),
        (21, ((6, 8),), "21 месяц", "14 часов"),
        (24, ((20, 2),), "24 месяца", "22 часа"),
    ],
)
def test_program_plurals_of_months_and_hours(
    session: Session,
    tmp_path: Path,
    months: int,
    hours: tuple[tuple[int, int], ...],
    months_text: str,
    hours_text: str,
) -> None:
    prog = f.program(session, hours=hours)
    ProgramService().update(session, prog.id, {"duration_months": months})
    text = " ".join(check_pdf(make(session, "program", [prog.id], tmp_path / "p.pdf")))
    assert f"Продолжительность {months_text} " in text
    assert f"Общий объём {hours_text} " in text


def test_program_without_modules_or_details(session: Session, tmp_path: Path) -> None:
    prog = f.program(session, hours=())
    pdf = make(session, "program", [prog.id], tmp_path / "empty.pdf")
    text = " ".join(check_pdf(pdf))
    assert "Модули программы не заданы." in text
    assert "Компетенции не указаны." in text and "Цели не указаны." in text
    assert "Общий объём —" in text and "Продолжительность —" in text
    assert "Итого" not in text
    assert set(page_sizes_mm(pdf)) == {PORTRAIT}  # nothing wide to turn the page for
    # no head of the platform: blank lines to sign by hand
    assert "УТВЕРЖДАЮ Руководитель стажировочной площадки МБОУ СОШ № 5 _____________" in text


def test_program_long_module_contents_wrap_over_pages(session: Session, tmp_path: Path) -> None:
    prog = f.program(session, hours=())
    long = " ".join(f"тема{i} практико-ориентированного занятия" for i in range(150))
    for position in range(1, 4):
        ModuleService().create(
            session,
            {
                "program_id": prog.id,
                "title": f"Модуль {position} «Очень длинное название модуля программы»",
                "hours_theory": 2,
                "hours_practice": 4,
                "content": long if position == 2 else "Короткое содержание",
                "assessment": "Собеседование с педагогом-мастером",
            },
        )
    pdf = make(session, "program", [prog.id], tmp_path / "long.pdf")
    pages = check_pdf(pdf)
    landscape = [p for p, size in zip(pages, page_sizes_mm(pdf), strict=True) if size == LANDSCAPE]
    assert len(landscape) >= 3  # one module longer than a page goes on over pages
    for page in landscape:  # the header repeats on every page of the table
        assert "Теория, ч Практика, ч Всего, ч" in page
    text = " ".join(pages)
    assert "тема0 " in text and "тема149 " in text  # nothing lost
    assert "Итого 6 12 18" in text


def test_unknown_program_is_reported_in_russian_and_writes_nothing(
    session: Session, tmp_path: Path
) -> None:
    prog = f.program(session)
    folder = tmp_path / "out"
    with pytest.raises(NotFoundError, match=r"^Программа № 999999 не найдена\.$"):
        make(session, "program", [prog.id, 999999], folder / "missing.pdf")
    assert not folder.exists() or not list(folder.iterdir())  # not even a partial file


def test_batch_of_two_programs_numbers_each_ones_pages(session: Session, tmp_path: Path) -> None:
    first = f.program(session, title="Первая программа")
    second = f.program(
        session, f.platform(session, f.org(session, "МБОУ СОШ № 7")), title="Вторая программа"
    )
    pdf = make(session, "program", [first.id, second.id], tmp_path / "two.pdf")
    pages = check_pdf(pdf)
    starts = [i for i, p in enumerate(pages) if "Модульная программа стажировки" in p]
    assert len(starts) == 2 and starts[0] == 0
    assert "«Первая программа»" in pages[0] and "«Вторая программа»" in pages[starts[1]]
    assert "«Вторая программа»" not in " ".join(pages[: starts[1]])
    for start, end in ((0, starts[1]), (starts[1], len(pages))):
        assert [page_number(p) for p in pages[start + 1 : end]] == list(range(2, end - start + 1))
        assert page_sizes_mm(pdf)[start] == PORTRAIT


def test_all_programs_by_platform_then_title(session: Session) -> None:
    one, two = f.platform(session), f.platform(session, f.org(session, "МБОУ СОШ № 9"))
    b = f.program(session, two, title="Б-программа")
    a2 = f.program(session, two, title="А-программа")
    c = f.program(session, one, title="В-программа")
    assert kind("program").all_ids(session, options()) == [c.id, a2.id, b.id]
    assert kind("program").record == "programs"


# -- the platform report ---------------------------------------------------------------------


def score_all(session: Session, internship_id: int, stage: str, on: date, value: float) -> None:
    instrument = f.default_instrument(session)
    assessment = AssessmentService().create(
        session,
        {
            "internship_id": internship_id,
            "instrument_id": instrument.id,
            "assessed_on": on,
            "stage": stage,
        },
    )
    indicators = session.scalars(
        select(Indicator.id).where(Indicator.instrument_id == instrument.id)
    ).all()
    AssessmentService().set_scores(session, assessment.id, {i: value for i in indicators})


def busy_platform(s: Session) -> tuple[Platform, dict[str, int]]:
    """A platform with every kind of record of 2026 and some outside the year."""
    head = f.person(s, "Титова", "Дарья", "Романовна")
    plat = f.platform(
        s,
        f.org(s, "МБОУ СОШ № 5"),
        head_id=head.id,
        order_number="712",
        order_date=date(2020, 9, 14),
        theme="Формирующее оценивание",
    )
    mentor = f.master(s, plat)
    prog = f.program(s, plat)  # 24 hours in two modules
    svc = InternshipService()

    def intern(
        surname: str,
        start: date,
        end: date,
        status: str | None,
        on: date | None = None,
        hours: float = 0,
    ) -> int:
        who = f.person(s, surname, "Ольга", "Ивановна")
        it = f.internship(s, prog, who, mentor=mentor, start_date=start, planned_end=end)
        if status:
            svc.move(s, it.id, InternshipStatus.ACTIVE)
        if status in ("completed", "withdrawn"):
            svc.move(s, it.id, InternshipStatus(status), on=on, reason="переезд")
        svc.update(s, it.id, {"hours_done": hours})
        return it.id

    ids = {
        "done": intern(
            "Абрамова", date(2025, 9, 1), date(2026, 5, 31), "completed", date(2026, 5, 30), 24
        ),
        "active": intern("Борисова", date(2026, 9, 1), date(2027, 5, 31), "active", None, 6.5),
        "gone": intern(
            "Власова", date(2026, 1, 15), date(2026, 12, 20), "withdrawn", date(2026, 3, 1), 4
        ),
        "old": intern(
            "Громова", date(2024, 9, 1), date(2025, 5, 31), "completed", date(2025, 5, 30), 24
        ),
        "later": intern("Дёмина", date(2027, 1, 10), date(2027, 6, 30), None),
    }
    score_all(s, ids["done"], "entry", date(2025, 9, 5), 1)
    score_all(s, ids["done"], "exit", date(2026, 5, 25), 2)
    score_all(s, ids["old"], "entry", date(2024, 9, 5), 0)
    score_all(s, ids["old"], "exit", date(2025, 5, 25), 3)
    people = [f.person(s, surname, "Анна", "Ивановна") for surname in ("Жукова", "Зуева", "Ильина")]
    held = f.event(
        s,
        "Семинар «Оценивание»",
        platform_id=plat.id,
        plan_year=2026,
        held=True,
        starts_on=date(2026, 2, 10),
    )
    for person, attended in zip(people, (True, True, False), strict=True):
        ParticipationService().create(
            s, {"event_id": held.id, "person_id": person.id, "attended": attended}
        )
    f.event(
        s,
        "Мастер-класс «Пропущенный»",
        platform_id=plat.id,
        plan_year=2026,
        starts_on=date(2026, 4, 10),
    )
    f.event(
        s,
        "Круглый стол «Впереди»",
        platform_id=plat.id,
        plan_year=2026,
        starts_on=date(2026, 12, 10),
    )
    f.event(s, "Вебинар «Сверх плана»", platform_id=plat.id, held=True, starts_on=date(2026, 6, 1))
    f.event(
        s,
        "Семинар «Прошлогодний»",
        platform_id=plat.id,
        plan_year=2025,
        held=True,
        starts_on=date(2025, 10, 1),
    )
    products = ProductService()
    products.create(
        s,
        {
            "title": "Сборник площадки",
            "kind": "сборник",
            "year": 2026,
            "platform_id": plat.id,
            "published_in": "Тимашевск, 2026",
        },
    )
    authored = products.create(
        s, {"title": "Статья педагога-мастера", "kind": "статья", "year": 2026}
    )
    products.set_authors(s, authored.id, [mentor.person_id])
    products.create(
        s, {"title": "Пособие прошлых лет", "kind": "пособие", "year": 2024, "platform_id": plat.id}
    )
    other = f.platform(s, f.org(s, "МБОУ СОШ № 8"))
    products.create(
        s, {"title": "Чужой сборник", "kind": "сборник", "year": 2026, "platform_id": other.id}
    )
    return plat, ids


def test_platform_report_counts_interns_events_growth_and_products(
    session: Session, tmp_path: Path
) -> None:
    plat, ids = busy_platform(session)
    pdf = make(session, "platform", [plat.id], tmp_path / "platform.pdf", year=2026)
    text = " ".join(check_pdf(pdf))
    assert "Отчёт о деятельности стажировочной площадки МБОУ СОШ № 5 за 2026 год" in text
    assert "Приказ о статусе № 712 от 14.09.2020" in text
    assert "Руководитель площадки Титова Дарья Романовна" in text
    assert "Период деятельности с 01.09.2020" in text
    assert "Петрова Наталья Андреевна" in text  # the teacher-master
    # the programs with their hours and the interns of the period on them
    assert "1 Формирование методических компетенций педагогов 2 24 3" in text
    # the interns overlapping 2026: not the one finished in 2025 nor the one of 2027
    assert "Стажёров за период, всего 3" in text
    assert "зачислено в отчётном периоде 2" in text
    assert "завершили стажировку 1" in text
    assert "продолжают стажировку 1" in text
    assert "прекратили стажировку 1" in text
    assert "Объём обучения (часы стажёров) 34,5 часа" in text
    assert "Абрамова Ольга Ивановна" in text and "Власова Ольга Ивановна" in text
    assert "Громова" not in text and "Дёмина" not in text
    assert "завершена 24" in text and "прекращена 4" in text
    assert "Итого 34,5" in text
    # growth of the one intern with both diagnostics, the card's numbers
    growth = effectiveness(session, ids["done"])
    assert "Стажёров, прошедших входную и итоговую диагностику: 1." in text
    for row in growth:
        entry = f"{row.entry_percent:g}".replace(".", ",")
        out = f"{row.exit_percent:g}".replace(".", ",")
        assert f"1 {entry} {out} +{row.delta:g}".replace(".", ",") in text
    assert "В среднем 1 33,3 66,7 +33,4 выраженная положительная динамика" in text
    # events of 2026: planned 3 (1 held, 1 missed, 1 ahead), 1 held outside the plan
    assert "Запланировано 3" in text
    assert "проведено из запланированных 1 (33 %)" in text
    assert "не проведено в срок 1" in text and "предстоит провести 1" in text
    assert "проведено вне плана 1" in text
    assert "Участников (посещений) 2" in text
    assert "Семинар «Оценивание» семинар муниципальный 10.02.2026 2 проведено" in text
    assert "не проведено" in text and "проведено (вне плана)" in text
    assert "Прошлогодний" not in text
    # products of the platform and of its teacher-master, of 2026 only
    assert "Сборник площадки сборник 2026" in text
    assert "Статья педагога-мастера статья 2026 Петрова Н.А." in text
    assert "Пособие прошлых лет" not in text and "Чужой сборник" not in text
    assert re.search(r"Руководитель стажировочной площадки Д\.Р\. Титова", text)


def test_platform_report_of_another_period(session: Session, tmp_path: Path) -> None:
    plat, _ids = busy_platform(session)
    pdf = make(
        session,
        "platform",
        [plat.id],
        tmp_path / "p.pdf",
        date_from=date(2024, 9, 1),
        date_to=date(2025, 12, 31),
    )
    text = " ".join(check_pdf(pdf))
    assert "за период с 1 сентября 2024 г. по 31 декабря 2025 г." in text
    assert "Громова Ольга Ивановна" in text and "Абрамова Ольга Ивановна" in text
    assert "Власова" not in text
    assert "Стажёров за период, всего 2" in text
    assert "завершили стажировку 1" in text  # Громова; Абрамова finished in 2026
    assert "продолжают стажировку 1" in text
    assert "В среднем 1 0 100 +100" in text  # only Громова's exit falls in the period
    assert "Семинар «Прошлогодний»" in text and "«Оценивание»" not in text
    assert "Пособие прошлых лет пособие 2024" in text and "Сборник площадки" not in text


def test_platform_without_interns_prints_notes(session: Session, tmp_path: Path) -> None:
    plat = f.platform(session)
    pdf = make(session, "platform", [plat.id], tmp_path / "bare.pdf")
    text = " ".join(check_pdf(pdf))
    assert "Педагогов-мастеров нет." in text and "Программ нет." in text
    assert "Стажёров в отчётном периоде не было." in text
    assert "Стажёров с входной и итоговой диагностикой в периоде нет." in text
    assert "Мероприятий в отчётном периоде не было." in text
    assert "Методической продукции в отчётном периоде нет." in text
    assert "Руководитель площадки —" in text
    assert text.rstrip().endswith("Руководитель стажировочной площадки")  # a blank to sign


def test_unknown_platform_is_reported_in_russian(session: Session, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    with pytest.raises(NotFoundError, match=r"^Площадка № 4242 не найдена\.$"):
        make(session, "platform", [4242], target)
    assert not target.exists()


def test_all_platforms_are_the_active_ones_or_every_one(session: Session) -> None:
    one, two = f.platform(session), f.platform(session, f.org(session, "МБОУ СОШ № 9"))
    PlatformService().update(session, two.id, {"status": "closed", "active_to": date(2024, 1, 1)})
    assert kind("platform").all_ids(session, options()) == [one.id]
    PlatformService().update(session, one.id, {"status": "suspended"})
    assert kind("platform").all_ids(session, options()) == [one.id, two.id]


# -- the plan-schedule -----------------------------------------------------------------------


def plan_events(s: Session) -> Platform:
    plat = f.platform(s, f.org(s, "МБОУ СОШ № 5"))
    boss = f.person(s, "Громов", "Пётр", "Ильич")
    f.event(
        s,
        "Семинар «Январский»",
        plan_year=2026,
        held=True,
        starts_on=date(2026, 1, 20),
        responsible_id=boss.id,
        audience="учителя начальных классов",
    )
    f.event(
        s,
        "Мастер-класс «Февральский»",
        plan_year=2026,
        starts_on=date(2026, 2, 13),
        platform_id=plat.id,
    )
    f.event(
        s,
        "Вебинар «Мартовский»",
        held=True,
        starts_on=date(2026, 3, 6),
        ends_on=date(2026, 3, 10),
        online=True,
    )
    f.event(
        s,
        "Круглый стол «Декабрьский»",
        plan_year=2026,
        starts_on=date(2026, 12, 3),
        platform_id=plat.id,
    )
    f.event(s, "Семинар «Прошлогодний»", plan_year=2025, held=True, starts_on=date(2025, 5, 5))
    return plat


def test_plan_of_the_district(session: Session, tmp_path: Path) -> None:
    plan_events(session)
    pdf = make(session, "plan", [0], tmp_path / "plan.pdf", year=2026)
    pages = check_pdf(pdf)
    text = " ".join(pages)
    assert set(page_sizes_mm(pdf)) == {LANDSCAPE}
    assert "УТВЕРЖДАЮ Директор МБУ «ЦРО» _____________ А.В. Кузнецова" in text
    assert "План-график мероприятий на 2026 год" in text
    assert "Январь 1 Семинар «Январский» семинар, муниципальный 20.01.2026" in text
    assert "Громов П.И. учителя начальных классов проведено 20.01.2026" in text
    assert "Февраль 2 Мастер-класс «Февральский»" in text
    assert "площадка МБОУ СОШ № 5" in text
    assert "06.03.2026– 10.03.2026 дистанционно" in text
    assert "проведено 10.03.2026 (вне плана)" in text
    assert "Декабрь 4 Круглый стол «Декабрьский»" in text
    assert re.search(r"«Февральский».* не проведено .*«Декабрьский».* запланировано", text)
    assert "Прошлогодний" not in text
    assert "Выполнение плана-графика на 22.11.2026" in text
    assert "Запланировано мероприятий 3 проведено 1 (33 %)" in text
    assert "не проведено (срок прошёл) 1 предстоит провести 1" in text
    assert "Проведено мероприятий вне плана 1" in text


def test_plan_of_one_platform(session: Session, tmp_path: Path) -> None:
    plat = plan_events(session)
    pdf = make(session, "plan", [plat.id], tmp_path / "plan.pdf", year=2026)
    text = " ".join(check_pdf(pdf))
    assert "План-график мероприятий на 2026 год Стажировочная площадка МБОУ СОШ № 5" in text
    assert "«Февральский»" in text and "«Декабрьский»" in text
    assert "«Январский»" not in text and "«Мартовский»" not in text
    assert "Запланировано мероприятий 2 проведено 0 (0 %)" in text


def test_plan_of_a_year_without_events(session: Session, tmp_path: Path) -> None:
    plan_events(session)
    pdf = make(session, "plan", None, tmp_path / "plan.pdf", year=2031, district=District())
    pages = check_pdf(pdf)
    assert len(pages) == 1 and page_sizes_mm(pdf) == [LANDSCAPE]
    text = pages[0]
    assert "План-график мероприятий на 2031 год Мероприятий на 2031 год нет." in text
    assert "Запланировано мероприятий 0 проведено 0 не проведено" in text
    assert "УТВЕРЖДАЮ Руководитель _____________ «___»" in text  # blank: no district details


def test_plan_of_an_unknown_platform(session: Session, tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    with pytest.raises(NotFoundError, match=r"^Площадка № 77 не найдена\.$"):
        make(session, "plan", [0, 77], target)
    assert not target.exists()


def test_plan_kind() -> None:
    plan = kind("plan")
    assert plan.record == "plan" and plan.all_ids(None, options()) == [0]  # type: ignore[arg-type]


# -- at the district demo's scale ----------------------------------------------------------


MONTH_CAPTION = re.compile(
    rf"(?:{'|'.join(m.capitalize() for m in MONTHS_NOMINATIVE)})"
    r"(?: \d{4} г\.)?$"
)


def test_demo_plans_never_leave_a_month_alone_at_a_page_bottom(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as s:
        for year in range(2021, 2027):
            pages = check_pdf(make(s, "plan", [0], tmp_path / f"{year}.pdf", year=year))
            assert len(pages) >= 3
            for page in pages[:-1]:
                body = re.sub(r" \d+$", "", page)
                assert not MONTH_CAPTION.search(body), (year, body[-80:])
            assert "Выполнение плана-графика" in pages[-1]  # the summary after the table's end
            assert not pages[-1].startswith("Выполнение")  # …with at least its last rows


def count_queries(engine, action) -> int:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def listen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return len(statements)


def test_demo_documents_in_batches(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as s:
        platforms = kind("platform").all_ids(s, options())
        assert len(platforms) >= 5
        one = count_queries(
            demo_db.engine, lambda: make(s, "platform", platforms[:1], tmp_path / "one.pdf")
        )
        every = count_queries(
            demo_db.engine, lambda: make(s, "platform", platforms, tmp_path / "all.pdf")
        )
        assert every == one  # a fixed number of queries, whatever the number of platforms
        pages = check_pdf(tmp_path / "all.pdf")
        starts = [i for i, p in enumerate(pages) if "Отчёт о деятельности" in p]
        assert len(starts) == len(platforms)
        for start, end in zip(starts, [*starts[1:], len(pages)], strict=True):
            numbers = [page_number(p) for p in pages[start + 1 : end]]
            assert numbers == list(range(2, end - start + 1))  # each numbers its own pages
        assert sum("Стажёров за период, всего" in p for p in pages) > 0

        programs = kind("program").all_ids(s, options())
        pdf = make(s, "program", None, tmp_path / "programs.pdf")
        pages = check_pdf(pdf)
        starts = [i for i, p in enumerate(pages) if "Модульная программа стажировки" in p]
        assert len(starts) == len(programs)
        titles = dict(s.execute(select(Program.id, Program.title)).all())
        for start, program_id in zip(starts, programs, strict=True):
            assert f"«{titles[program_id]}»" in pages[start]
            assert page_sizes_mm(pdf)[start] == PORTRAIT
