"""The three documents of one internship — the growth journal, the effectiveness card and the
individual educational route (ИОМ) — read back by pypdf and pikepdf: names in the right form,
verbs agreeing with the intern's sex, hours with the right plural, totals, landscape pages for
the wide tables, headers repeated, each document of a batch on pages of its own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from stazhirovka.db import Database
from stazhirovka.errors import NotFoundError
from stazhirovka.models import Indicator, Internship, InternshipStatus
from stazhirovka.reports.documents import Options, kind, kinds_for, print_documents
from stazhirovka.reports.pdf.internship_data import load_diagnostics, load_internships
from stazhirovka.services.diagnostics import AssessmentService, deficits, effectiveness
from stazhirovka.services.district import District, Signatory
from stazhirovka.services.internships import (
    InternshipService,
    JournalService,
    RouteService,
    RouteStepService,
)
from tests import factories as f
from tests.reports.pdfcheck import (
    embedded_fonts,
    opens_in_qpdf,
    page_sizes_mm,
    pdf_text,
)

TODAY = date(2026, 11, 22)
PORTRAIT, LANDSCAPE = (210, 297), (297, 210)
DISTRICT = District(
    founder="Управление образования администрации муниципального образования Тимашевский район",
    service_name="МБУ «ЦРО»",
    service_full_name="Муниципальное бюджетное учреждение «Центр развития образования»",
    city="г. Тимашевск",
    signatories=[Signatory("Директор МБУ «ЦРО»", "Кузнецова Анна Викторовна")],
)
OPTIONS = Options(district=DISTRICT, today=TODAY)
# hard names: a surname that declines for a man only, a patronymic with a particle
SHE = ("Ковальчук", "Ирина", "Сергеевна", "F")
HE = ("Мамедов", "Эльдар", "Гасан оглы", "M")


def top_numbers(path: Path) -> list[str]:
    """What each page prints in its top margin (the page number, from page 2 of a document)."""
    numbers = []
    for page in PdfReader(str(path)).pages:
        found: list[str] = []
        top = float(page.mediabox.height) - 18 / 25.4 * 72

        def visit(
            text: str, cm: list, tm: list, _font: object, _size: object, *, top=top, found=found
        ) -> None:
            y = tm[5] * cm[3] + tm[4] * cm[1] + cm[5]
            if text.strip() and y > top:
                found.append(text.strip())

        page.extract_text(visitor_text=visit)
        numbers.append(" ".join(found))
    return numbers


def check_file(path: Path) -> list[str]:
    """The PDF opens in qpdf, embeds PT Serif, and never prints «None»; its pages' text."""
    assert opens_in_qpdf(path) >= 1
    assert any(font.startswith("PTSerif") for font in embedded_fonts(path))
    pages = pdf_text(path)
    assert "None" not in " ".join(pages)
    return pages


def world(s: Session, who: tuple[str, str, str, str] = SHE, **kw: object) -> Internship:
    """An internship of a 24-hour program on a platform with a head, with a mentor."""
    school = f.org(s, "МБОУ СОШ № 12", head_name="Береговой Марк Тарасович")
    host = f.org(s, "МБОУ гимназия № 5")
    head = f.person(s, "Журавлёв", "Григорий", "Олегович", organization_id=host.id)
    plat = f.platform(s, host, head_id=head.id)
    prog = f.program(s, plat, title="Формирующее оценивание на уроках в начальной школе")
    surname, name, patronymic, sex = who
    intern = f.person(
        s,
        surname,
        name,
        patronymic,
        sex=sex,
        organization_id=school.id,
        position_id=f.position(s),
        subject="математика",
        teaching_since=date(2023, 6, 1),
    )
    return f.internship(s, prog, intern, **kw)


def complete(s: Session, internship: Internship, hours: float) -> None:
    InternshipService().move(s, internship.id, InternshipStatus.ACTIVE)
    InternshipService().move(s, internship.id, InternshipStatus.COMPLETED, on=date(2026, 5, 30))
    InternshipService().update(s, internship.id, {"hours_done": hours})


def journal(s: Session, internship: Internship, hours: list[float], **kw: object) -> None:
    for i, h in enumerate(hours):
        JournalService().create(
            s,
            {
                "internship_id": internship.id,
                "entry_date": date(2025, 9, 2 + i % 28),
                "activity": "посещение урока",
                "topic": f"Тема занятия {i + 1}",
                "hours": h,
                "result": "Составлен лист наблюдения",
                "reflection": "Разобрались с критериями",
                "mentor_comment": "Рекомендовано применить на уроке",
                **kw,
            },
        )


def printed(s: Session, key: str, ids: list[int], path: Path) -> list[str]:
    print_documents(s, key, ids, path, OPTIONS)
    return check_file(path)


# -- the registry of kinds ---------------------------------------------------------------------


def test_the_three_kinds_print_internships() -> None:
    titles = {k.key: k.title for k in kinds_for("internships")}
    assert titles["journal"] == "Журнал профессионального роста стажёра"
    assert titles["card"] == "Карта эффективности"
    assert titles["route"] == "Индивидуальный образовательный маршрут педагога"
    assert kind("route").record == "internships"


# -- the journal -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "done", "wrong", "hours", "hours_text"),
    [
        (SHE, "прошла", "прошёл", 36, "36 часов"),
        (HE, "прошёл", "прошла", 21, "21 час"),
    ],
)
def test_the_journal_of_a_completed_internship(
    session: Session,
    tmp_path: Path,
    who: tuple[str, str, str, str],
    done: str,
    wrong: str,
    hours: int,
    hours_text: str,
) -> None:
    internship = world(session, who)
    journal(session, internship, [2, 1.5, 2])
    complete(session, internship, hours)
    path = tmp_path / "journal.pdf"
    pages = printed(session, "journal", [internship.id], path)
    text = " ".join(pages)
    full_name = " ".join(who[:3])
    assert "ЖУРНАЛ ПРОФЕССИОНАЛЬНОГО РОСТА СТАЖЁРА" in pages[0]
    assert f"Стажёр {full_name}" in pages[0]  # the nominative, never declined
    assert "Педагог-мастер Петрова Наталья Андреевна" in pages[0]
    assert "МБОУ гимназия № 5" in pages[0]  # the platform
    assert "Муниципальное бюджетное учреждение «Центр развития образования»" in pages[0]
    assert "«Формирующее оценивание на уроках в начальной школе» (24 часа)" in pages[0]
    assert "с 1 сентября 2025 г. по 30 мая 2026 г." in pages[0]
    assert "учитель математики" in text and "2 года (на начало стажировки)" in text
    # the table on landscape pages, portrait before and after it
    sizes = page_sizes_mm(path)
    table_pages = [i for i, p in enumerate(pages) if "Рекомендации педагога-мастера" in p]
    assert table_pages and all(sizes[i] == LANDSCAPE for i in table_pages)
    assert sizes[0] == PORTRAIT and sizes[-1] == PORTRAIT
    table = pages[table_pages[0]]
    assert "02.09.2025" in table and "04.09.2025" in table and "Тема занятия 3" in table
    assert "Итого 5,5" in table
    assert "Всего по журналу: 3 записи, 5,5 часа." in table
    # the conclusion agrees with the intern's sex and gives the actual hours
    last = pages[-1]
    assert f"{full_name} {done} стажировку" in last
    assert wrong not in text
    assert f"в объёме {hours_text} с 1 сентября 2025 г. по 30 мая 2026 г." in last
    initials = {"F": "И.С. Ковальчук", "M": "Э.Г. Мамедов"}[who[3]]
    assert f"Стажёр {initials}" in last
    assert "Руководитель стажировочной площадки" in last and "Г.О. Журавлёв" in last
    assert "М.П." in last


def test_the_journal_of_a_new_internship_is_a_form_to_fill(
    session: Session, tmp_path: Path
) -> None:
    internship = world(session)  # planned: no journal, no route, no diagnostics
    path = tmp_path / "new.pdf"
    pages = printed(session, "journal", [internship.id], path)
    text = " ".join(pages)
    assert "Индивидуальный образовательный маршрут не составлен." in text
    assert "Записей нет." in text
    assert "Статус стажировки: запланирована." in text
    assert "Отметка о прохождении стажировки ставится после её завершения." in text
    assert "прошла" not in text and "прошёл" not in text
    assert LANDSCAPE in page_sizes_mm(path)
    stem = kind("journal").file_stem(session, internship.id)
    assert stem == f"Журнал стажёра Ковальчук И.С. ({internship.id})"


def test_the_route_is_the_individual_task_of_the_journal(session: Session, tmp_path: Path) -> None:
    internship = world(session)
    RouteService().create(
        session,
        {
            "internship_id": internship.id,
            "goal": "Освоить формирующее оценивание",
            "tasks": "1. Разработать критерии.\n2. Провести открытый урок.",
            "deficits": "— Объективная оценка знаний обучающихся (A/01.6; 1 б.)",
        },
    )
    path = tmp_path / "task.pdf"
    text = " ".join(printed(session, "journal", [internship.id], path))
    assert "Цель: Освоить формирующее оценивание" in text
    assert "1. Разработать критерии. 2. Провести открытый урок." in text
    assert "— Объективная оценка знаний обучающихся (A/01.6; 1 б.)" in text


def test_a_long_journal_repeats_its_header_and_numbers_its_pages(
    session: Session, tmp_path: Path
) -> None:
    internship = world(session)
    journal(session, internship, [2] * 45)
    path = tmp_path / "long.pdf"
    pages = printed(session, "journal", [internship.id], path)
    sizes = page_sizes_mm(path)
    landscape = [i for i, size in enumerate(sizes) if size == LANDSCAPE]
    assert len(landscape) >= 3
    for i in landscape:
        assert "Рекомендации педагога-мастера" in pages[i]
        assert "1 2 3 4 5 6 7 8 9" in pages[i]  # the row of column numbers repeats too
    assert "Итого 90" in pages[landscape[-1]]
    assert "Всего по журналу: 45 записей, 90 часов." in pages[landscape[-1]]
    assert top_numbers(path) == [""] + [str(n) for n in range(2, len(pages) + 1)]


# -- the batch and unknown records -------------------------------------------------------------


@pytest.mark.parametrize("key", ["journal", "card", "route"])
def test_a_batch_puts_each_internship_on_pages_of_its_own(
    session: Session, tmp_path: Path, key: str
) -> None:
    first = world(session, SHE)
    second = f.internship(
        session, first.program, f.person(session, *HE[:3], sex="M"), mentor=first.mentor
    )
    journal(session, first, [2] * 30)
    path = tmp_path / "batch.pdf"
    pages = printed(session, key, [first.id, second.id], path)
    starts = [i for i, p in enumerate(pages) if "Ковальчук Ирина Сергеевна" in p]
    others = [i for i, p in enumerate(pages) if "Мамедов Эльдар Гасан оглы" in p]
    assert starts and others and starts[0] == 0 and max(starts) < min(others)
    numbers = top_numbers(path)
    assert numbers[others[0]] == ""  # the second document starts over: no number on page 1
    assert numbers[: others[0]] == [""] + [str(n) for n in range(2, others[0] + 1)]
    assert numbers[others[0] + 1 :] == [str(n) for n in range(2, len(pages) - others[0] + 1)]
    assert page_sizes_mm(path)[others[0]] == PORTRAIT


@pytest.mark.parametrize("key", ["journal", "card", "route"])
def test_an_unknown_internship_is_named_in_russian_and_leaves_no_file(
    session: Session, tmp_path: Path, key: str
) -> None:
    internship = world(session)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(NotFoundError, match=r"Стажировка № 987654 не найдена\."):
        print_documents(session, key, [internship.id, 987654], folder / "none.pdf", OPTIONS)
    assert list(folder.iterdir()) == []


# -- the effectiveness card --------------------------------------------------------------------


def assess(
    s: Session, internship: Internship, stage: str, on: date, score: dict[int, float]
) -> int:
    instrument = f.default_instrument(s)
    assessment = AssessmentService().create(
        s,
        {
            "internship_id": internship.id,
            "instrument_id": instrument.id,
            "assessed_on": on,
            "stage": stage,
            "assessor": "mentor",
        },
    )
    AssessmentService().set_scores(s, assessment.id, score)
    return assessment.id


def indicators(s: Session) -> list[Indicator]:
    instrument = f.default_instrument(s)
    return list(
        s.scalars(
            select(Indicator)
            .where(Indicator.instrument_id == instrument.id)
            .order_by(Indicator.position)
        )
    )


def test_the_card_compares_entry_and_exit_as_the_service_does(
    session: Session, tmp_path: Path
) -> None:
    internship = world(session)
    items = indicators(session)
    assess(session, internship, "entry", date(2025, 9, 10), {i.id: 1 for i in items})
    exit_id = assess(
        session,
        internship,
        "exit",
        date(2026, 5, 20),
        {i.id: (1 if n == 0 else 3) for n, i in enumerate(items)},
    )
    path = tmp_path / "card.pdf"
    pages = printed(session, "card", [internship.id], path)
    text = " ".join(pages)
    assert "КАРТА ЭФФЕКТИВНОСТИ" in pages[0] and "Ковальчук Ирина Сергеевна" in pages[0]
    assert "Входная диагностика 10.09.2025 (педагог-мастер)" in text
    assert "Итоговая диагностика 20.05.2026 (педагог-мастер)" in text
    growth = effectiveness(session, internship.id)
    assert len(growth) >= 2
    for g in growth:
        entry = f"{g.entry_percent:g}".replace(".", ",")
        exit_ = f"{g.exit_percent:g}".replace(".", ",")
        delta = f"+{g.delta:g}".replace(".", ",")
        assert f"{entry} % низкий {exit_} %" in text, g
        assert f" {delta} " in text, g
    assert "выраженная положительная динамика" in text
    assert "Вывод: выраженная положительная динамика" in text
    # the chart: its legend with both dates and the value axis
    assert (
        "Входная диагностика (10.09.2025)" in text and "Итоговая диагностика (20.05.2026)" in text
    )
    assert "100 %" in text
    # one deficit left at exit, the rest closed
    left = deficits(session, exit_id)
    assert len(left) == 1
    assert f"устранено к итоговой диагностике: {len(items) - 1}" in text
    assert "осталось по итоговой диагностике: 1" in text
    assert left[0].text[:40] in text
    assert all(size == PORTRAIT for size in page_sizes_mm(path))


def test_a_card_without_an_exit_prints_the_entry_and_says_so(
    session: Session, tmp_path: Path
) -> None:
    internship = world(session)
    assess(session, internship, "entry", date(2025, 9, 10), {i.id: 2 for i in indicators(session)})
    text = " ".join(printed(session, "card", [internship.id], tmp_path / "entry.pdf"))
    assert "Итоговая диагностика не проводилась" in text
    assert "66,7 % средний — — —" in text  # entry, its level; no exit, no growth
    assert "Итоговая диагностика (" not in text  # no exit series in the chart legend
    assert "Входная диагностика (10.09.2025)" in text


def test_a_card_without_diagnostics(session: Session, tmp_path: Path) -> None:
    internship = world(session)
    text = " ".join(printed(session, "card", [internship.id], tmp_path / "nothing.pdf"))
    assert "Входная и итоговая диагностика стажёра не проводились." in text
    assert "Диагностика не проводилась, дефициты не определены." in text
    assert "Входная диагностика не проводилась" in text
    assert "Диаграмма" not in text


# -- the route ---------------------------------------------------------------------------------


def route_with_steps(s: Session, internship: Internship) -> int:
    route = RouteService().create(
        s,
        {
            "internship_id": internship.id,
            "goal": "Освоить формирующее оценивание",
            "tasks": "1. Разработать критерии оценивания.",
            "deficits": "— Объективная оценка знаний обучающихся (A/01.6; 1 б.)",
            "approved_on": date(2025, 9, 15),
        },
    )
    module = internship.program.modules[0]
    steps = [
        {
            "kind": "module",
            "module_id": module.id,
            "title": "Формирующее оценивание",
            "deficit": "Объективная оценка знаний обучающихся (A/01.6)",
            "planned_start": date(2025, 10, 1),
            "planned_end": date(2025, 10, 31),
            "hours": 12,
            "expected_result": "Разработаны критерии оценивания к 3 урокам",
            "report_form": "технологическая карта урока",
            "status": "done",
            "done_on": date(2025, 10, 30),
            "mentor_mark": "зачтено",
        },
        {
            "kind": "open_lesson",
            "title": "Открытый урок с самоанализом",
            "planned_start": date(2025, 11, 1),
            "planned_end": date(2025, 12, 15),
            "hours": 10,
            "status": "planned",
        },
        {"kind": "self_study", "title": "Чтение литературы", "hours": 5, "status": "dropped"},
    ]
    for step in steps:
        RouteStepService().create(s, {"route_id": route.id, **step})
    return route.id


@pytest.mark.parametrize(("who", "seen"), [(SHE, "С ИОМ ознакомлена"), (HE, "С ИОМ ознакомлен ")])
def test_the_route_of_an_internship(
    session: Session, tmp_path: Path, who: tuple[str, str, str, str], seen: str
) -> None:
    internship = world(session, who)
    route_with_steps(session, internship)
    path = tmp_path / "route.pdf"
    pages = printed(session, "route", [internship.id], path)
    text = " ".join(pages)
    full_name = " ".join(who[:3])
    title_page = pages[0]
    assert "СОГЛАСОВАНО" in title_page and "УТВЕРЖДАЮ" in title_page
    assert "Педагог-мастер" in title_page and "Н.А. Петрова" in title_page
    assert "Директор МБОУ СОШ № 12" in title_page and "М.Т. Береговой" in title_page
    assert "15.09.2025" in title_page  # the date of approval
    assert "ИНДИВИДУАЛЬНЫЙ ОБРАЗОВАТЕЛЬНЫЙ МАРШРУТ ПЕДАГОГА" in title_page
    assert full_name in title_page
    assert "Период реализации: с 1 сентября 2025 г. по 31 мая 2026 г." in title_page
    assert "г. Тимашевск, 2025" in title_page
    assert "Фамилия, имя, отчество " + full_name in text
    assert "Цель: Освоить формирующее оценивание" in text
    assert "Входная диагностика не проводилась." in text
    assert "— Объективная оценка знаний обучающихся (A/01.6; 1 б.)" in text
    sizes = page_sizes_mm(path)
    plan = [i for i, p in enumerate(pages) if "Форма предъявления результата" in p]
    assert plan and all(sizes[i] == LANDSCAPE for i in plan)
    table = " ".join(pages[i] for i in plan)
    assert "Модуль 1. Формирующее оценивание" in table
    assert "модуль программы" in table and "открытый урок" in table
    assert "01.10.2025 31.10.2025" in table
    assert "выполнен 30.10.2025 зачтено" in table
    assert "просрочен" in table  # planned and past its end on the day of printing
    assert "исключён" in table
    assert "Итого (без исключённых шагов) 22" in table
    assert (
        "Общий объём маршрута: 22 часа. На 22.11.2026 выполнено шагов: 1 из 2 (50 %), "
        "12 часов; просрочено: 1; исключено из маршрута: 1." in table
    )
    last = pages[-1]
    assert sizes[-1] == PORTRAIT
    assert f"{seen}" in last + " "
    assert ("ознакомлена" in text) == (who[3] == "F")
    assert "Руководитель стажировочной площадки" in last and "Г.О. Журавлёв" in last


def test_a_route_without_steps_prints_the_empty_plan(session: Session, tmp_path: Path) -> None:
    internship = world(session)
    RouteService().create(session, {"internship_id": internship.id, "goal": "Цель маршрута"})
    path = tmp_path / "empty.pdf"
    pages = printed(session, "route", [internship.id], path)
    plan = [i for i, p in enumerate(pages) if "Форма предъявления результата" in p]
    assert len(plan) == 1 and page_sizes_mm(path)[plan[0]] == LANDSCAPE
    assert "Шаги маршрута не запланированы." in pages[plan[0]]


def test_an_internship_without_a_route_prints_a_blank_route(
    session: Session, tmp_path: Path
) -> None:
    internship = world(session)
    session.get(Internship, internship.id).person.organization.head_name = ""
    text = " ".join(printed(session, "route", [internship.id], tmp_path / "blank.pdf"))
    assert "Маршрут для этой стажировки ещё не составлен." in text
    assert "Шаги маршрута не запланированы." in text
    # no head of the school: the district's first signatory approves
    assert "Директор МБУ «ЦРО»" in text and "А.В. Кузнецова" in text


# -- what «--all» prints ---------------------------------------------------------------------


def test_all_ids_are_the_internships_with_something_to_print(session: Session) -> None:
    old = world(session, start_date=date(2024, 9, 1), planned_end=date(2025, 5, 31))
    new = f.internship(
        session,
        old.program,
        f.person(session, *HE[:3], sex="M"),
        mentor=old.mentor,
        start_date=date(2025, 10, 1),
    )
    bare = f.internship(
        session, old.program, f.person(session, "Седых", "Анна", "Петровна"), mentor=old.mentor
    )
    journal(session, old, [2])
    journal(session, new, [2], entry_date=date(2025, 10, 2))
    assess(session, old, "entry", date(2024, 9, 10), {indicators(session)[0].id: 2})
    RouteService().create(session, {"internship_id": new.id})
    options = Options(district=DISTRICT, today=TODAY)
    assert kind("journal").all_ids(session, options) == [new.id, old.id]  # newest first
    assert kind("card").all_ids(session, options) == [old.id]
    assert kind("route").all_ids(session, options) == [new.id]
    assert bare.id not in kind("journal").all_ids(session, options)
    in_2024 = Options(district=DISTRICT, today=TODAY, year=2024)
    assert kind("journal").all_ids(session, in_2024) == [old.id]
    assert kind("journal").all_ids(session, Options(today=TODAY, year=2023)) == []


# -- the district demo ---------------------------------------------------------------------------


def test_the_card_reads_the_demo_as_the_diagnostics_service_does(demo_db: Database) -> None:
    with demo_db.session() as s:
        ids = list(s.scalars(select(Internship.id)))
        loaded = load_diagnostics(s, load_internships(s, ids))
        for internship_id in ids:
            assert loaded[internship_id].growth == effectiveness(s, internship_id)
            exit_ = loaded[internship_id].exit
            if exit_ is not None:
                assert exit_.deficits == deficits(s, exit_.assessment_id)


def test_demo_batches_take_a_fixed_number_of_queries(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.session() as s:
        ids = kind("route").all_ids(s, Options(today=TODAY))
        assert len(ids) >= 90
        counts = {}
        for key in ("journal", "card", "route"):
            for n in (1, 6):
                queries: list[object] = []

                def count(*_args: object, queries: list[object] = queries, **_kw: object) -> None:
                    queries.append(1)

                event.listen(s.get_bind(), "before_cursor_execute", count)
                try:
                    path = tmp_path / f"{key}{n}.pdf"
                    print_documents(s, key, ids[:n], path, OPTIONS)
                finally:
                    event.remove(s.get_bind(), "before_cursor_execute", count)
                counts[key, n] = len(queries)
                pages = check_file(path)
                assert top_numbers(path).count("") == n  # n documents, each from page 1
                assert len(pages) >= n * 2
            assert counts[key, 6] == counts[key, 1] <= 10, counts
