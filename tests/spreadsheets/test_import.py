"""Import of persons, organizations and internships from messy district workbooks."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select, text

from stazhirovka.errors import UserError
from stazhirovka.models import AuditEntry, Organization, OrgKind, Person, Sex
from stazhirovka.services.imports import (
    apply_plan,
    build_plan,
    map_columns,
    read_table,
    write_errors,
)
from stazhirovka.services.imports.columns import normalize_header
from stazhirovka.services.imports.normalize import (
    organization_key,
    organization_name,
    split_fio,
    to_date,
)
from tests import factories as f
from tests.spreadsheets import messy


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _plan(session, path: Path, kind: str):
    table = read_table(path)
    return build_plan(session, table, map_columns(table.headers, kind))


# -- pieces ---------------------------------------------------------------------------------


def test_headers_and_values_are_normalized():
    assert normalize_header("Ф.И.О. педагога") == "фио педагога"
    assert normalize_header(" Место работы (ОО) ") == "место работы оо"
    mapping = map_columns(
        ["№ п/п", "Фамилия", "Имя", "Отчество", "Место работы", "Стаж, лет", "СНИЛС"], "persons"
    )
    assert mapping.fields == {
        "surname": 1, "name": 2, "patronymic": 3, "organization": 4, "snils": 6,
    }  # fmt: skip
    assert mapping.unplaced == [(0, "№ п/п"), (5, "Стаж, лет")]
    assert mapping.missing == []
    assert map_columns(["Должность", "Телефон"], "persons").missing == [
        "ФИО (в одном столбце или в трёх)"
    ]
    placed = mapping.assign(5, "subject")
    assert placed.fields["subject"] == 5 and placed.unplaced == [(0, "№ п/п")]
    assert split_fio("  ИВАНОВА  мария   ПЕТРОВНА ") == ("Иванова", "Мария", "Петровна")
    assert split_fio("Мамедов Эльчин Ахмед оглы") == ("Мамедов", "Эльчин", "Ахмед оглы")
    assert organization_name("мбоу  СОШ №2") == "Мбоу СОШ № 2"
    assert organization_key("МБОУ СОШ №2") == organization_key("мбоу сош № 2")
    assert organization_key("«Ёлочка»") == organization_key('"Елочка"')
    assert organization_name("Детский сад «Ёлочка»") == "Детский сад «Ёлочка»"  # ё stored
    assert to_date("01.09.2022 г.") == date(2022, 9, 1)
    assert to_date(44805) == date(2022, 9, 1)
    assert to_date("2010-09-01") == date(2010, 9, 1)
    assert to_date(" ") is None
    with pytest.raises(ValueError):
        to_date("31.02.2020")


def test_the_header_is_found_under_title_rows(tmp_path):
    path = messy.persons_workbook(tmp_path / "реестр.xlsx")
    table = read_table(path)
    assert table.header_row == 4
    assert (table.skipped_blank, table.skipped_totals) == (1, 1)
    assert [r.number for r in table.rows] == [5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17]


def test_a_sheet_without_a_header_is_refused(tmp_path):
    path = messy.workbook(tmp_path / "x.xlsx", ["что-то", "ещё"], [(1, 2)], titles=("Заметки",))
    with pytest.raises(UserError, match="не найдена строка заголовков"):
        read_table(path)
    with pytest.raises(UserError, match="не найден"):
        read_table(tmp_path / "нет.xlsx")


# -- persons --------------------------------------------------------------------------------


def test_persons_preview_counts_and_reasons(session, tmp_path):
    plan = _plan(session, messy.persons_workbook(tmp_path / "p.xlsx"), "persons")
    assert _count(session, Person) == 0  # the preview writes nothing
    assert plan.counts == {
        "rows": 12, "create": 7, "duplicates": 2, "merge": 0, "rejected": 3, "warnings": 3,
    }  # fmt: skip
    assert [(r.number, r.reason) for r in plan.of("rejected")] == [
        (9, "не указаны фамилия и имя"),
        (11, "Дата начала педагогической деятельности: «31.02.2020» — не дата; "
             "ожидается ДД.ММ.ГГГГ"),
        (13, "пол не указан и по отчеству «—» не определяется — добавьте столбец «Пол» (м/ж)"),
    ]  # fmt: skip
    assert [(r.number, r.first_row, r.duplicate_of) for r in plan.of("duplicate")] == [
        (12, 5, "те же ФИО и организация, что в строке 5 файла"),
        (14, 5, "тот же СНИЛС, что в строке 5 файла"),
    ]
    assert plan.row(8).warnings == [
        "СНИЛС «112-233-445 96» неверен (контрольное число не сходится) — не сохранён",
        "адрес электронной почты «kuznetsova@» неверен — не сохранён",
        "должности «завуч по всему» нет в справочнике — не заполнена",
    ]
    assert [r.summary for r in plan.new_organizations.values()] == [
        "МБОУ СОШ № 2", "МБДОУ д/с № 5 «Солнышко»", "МБОУ Гимназия № 1", "МАУ ДО ДДТ",
    ]  # fmt: skip
    assert "Строка 11: отклонена" in plan.describe()


def test_persons_apply_writes_through_the_services(session, tmp_path):
    plan = _plan(session, messy.persons_workbook(tmp_path / "p.xlsx"), "persons")
    result = apply_plan(session, plan, actor="method")
    assert result.as_json() == {"rows": 12, "imported": 7, "duplicates": 2, "rejected": 3}
    assert result.created == {"organizations": 4}
    people = {p.surname: p for p in session.scalars(select(Person))}
    assert sorted(people) == sorted(
        ["Иванова", "Петров", "Семёнова", "Кузнецова", "Мамедов", "Лебедева", "Ёлкина"]
    )
    petrov = people["Петров"]
    assert (petrov.name, petrov.patronymic, petrov.sex) == ("Сергей", "Иванович", Sex.MALE)
    assert petrov.teaching_since == date(2022, 9, 1) and petrov.email == "petrov@mail.ru"
    assert petrov.position.name == "учитель физики" and petrov.category.name == "первая"
    assert petrov.organization_id == people["Иванова"].organization_id
    assert people["Иванова"].snils == "11223344595"
    assert people["Иванова"].category.name == "высшая"
    assert people["Семёнова"].teaching_since == date(2022, 9, 1)
    assert people["Семёнова"].name == "Алёна"  # ё kept
    assert people["Семёнова"].organization.kind == OrgKind.KINDERGARTEN
    assert (people["Кузнецова"].snils, people["Кузнецова"].email) == (None, "")
    assert people["Кузнецова"].position_id is None
    assert people["Мамедов"].sex == Sex.MALE and people["Мамедов"].patronymic == "Ахмед оглы"
    assert people["Лебедева"].organization_id is None
    assert people["Ёлкина"].organization.short_name == "МАУ ДО ДДТ"
    assert _count(session, Organization) == 4
    audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "person")).all()
    assert len(audit) == 7 and {a.source for a in audit} == {"импорт из Excel"}


def test_persons_duplicates_against_the_database_skip_or_merge(session, tmp_path):
    school = f.org(session, "МБОУ СОШ № 2")
    old = f.person(session, "Иванова", "Мария", "Петровна", organization_id=school.id)
    path = messy.persons_workbook(tmp_path / "p.xlsx")
    plan = _plan(session, path, "persons")
    assert plan.counts["create"] == 6 and plan.counts["duplicates"] == 3
    first = plan.row(5)
    assert first.existing_id == old.id
    assert (
        first.duplicate_of == f"те же ФИО и организация, что у записи «педагог № {old.id}» в базе"
    )
    assert "МБОУ СОШ № 2" not in [r.summary for r in plan.new_organizations.values()]
    plan.choose(5, "merge")
    result = apply_plan(session, plan)
    assert (result.imported, result.merged) == (6, 1)
    session.refresh(old)
    assert old.snils == "11223344595" and old.email == "ivanova@school2.ru"
    assert old.teaching_since == date(2015, 9, 1)
    assert _count(session, Person) == 7
    # Imported again: every row is now a duplicate or rejected; skipping writes nothing.
    again = _plan(session, path, "persons")
    assert again.counts["create"] == 0
    assert again.counts["duplicates"] == 9 and again.counts["rejected"] == 3
    before = _count(session, AuditEntry)
    apply_plan(session, again)
    assert _count(session, AuditEntry) == before


def test_a_row_refused_at_writing_leaves_nothing_of_the_import(session, tmp_path):
    """Between the preview and the confirmation someone else stored a teacher with the СНИЛС of
    row 7: the write names that row and nothing of the import is kept."""
    f.org(session, "МБОУ СОШ № 9")
    plan = _plan(session, messy.persons_workbook(tmp_path / "p.xlsx"), "persons")
    assert plan.row(7).action == "create" and plan.row(7).values["snils"] == "11223344696"
    other = f.person(session, "Другая", snils="11223344696")
    with pytest.raises(
        UserError,
        match=r"Импорт не выполнен, ничего не записано\. строка 7: СНИЛС: уже есть у педагога "
        rf"№ {other.id}",
    ):
        apply_plan(session, plan)
    assert _count(session, Person) == 1  # the other teacher only
    assert _count(session, Organization) == 1  # the new schools of the file were not kept


def test_a_reference_gone_since_the_preview_names_the_row(session, tmp_path):
    plan = _plan(session, messy.persons_workbook(tmp_path / "p.xlsx"), "persons")
    position_id = plan.row(5).values["position_id"]
    assert position_id is not None
    session.execute(
        text("UPDATE person SET position_id = NULL WHERE position_id = :p"), {"p": position_id}
    )
    session.execute(text("DELETE FROM position WHERE id = :p"), {"p": position_id})
    with pytest.raises(UserError, match=r"строка 5: Должность: запись № \d+ не найдена"):
        apply_plan(session, plan)
    assert _count(session, Person) == 0


def test_error_workbook_lists_every_rejected_row(session, tmp_path):
    plan = _plan(session, messy.persons_workbook(tmp_path / "p.xlsx"), "persons")
    out = write_errors(plan, tmp_path / "ошибки.xlsx", today=date(2026, 11, 22))
    book = CalamineWorkbook.from_path(str(out))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][0].startswith("Импорт — отклонённые строки от 22.11.2026")
    assert rows[2][:4] == ["Строка", "Причина", "№ п/п", "Ф.И.О. педагога"]
    assert [r[0] for r in rows[3:]] == [9, 11, 13]
    assert all(isinstance(r[0], int | float) for r in rows[3:])
    assert rows[4][1].startswith("Дата начала педагогической деятельности: «31.02.2020»")
    assert rows[4][3] == "Иванова Мария Петровна"
    warnings = book.get_sheet_by_name("Предупреждения").to_python()
    assert [r[0] for r in warnings[3:]] == [8, 8, 8]


# -- the command line -------------------------------------------------------------------------


def test_cli_import_persons_dry_run_then_for_real(tmp_path, capsys, new_url):
    from stazhirovka.cli import main

    url = new_url("sqlite", migrated=True)
    path = messy.persons_workbook(tmp_path / "реестр.xlsx")
    assert main(["import", "persons", str(path), "--db", url, "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry == {"rows": 12, "imported": 0, "duplicates": 2, "rejected": 3, "would_import": 7}
    errors = tmp_path / "ошибки.xlsx"
    args = ["import", "persons", str(path), "--db", url, "--json", "--errors", str(errors)]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == {
        "rows": 12, "imported": 7, "duplicates": 2, "rejected": 3,
    }  # fmt: skip
    rows = CalamineWorkbook.from_path(str(errors)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[3:]] == [9, 11, 13]
    # The same file again: everything is a duplicate now, nothing new is written.
    assert main(["import", "persons", str(path), "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Загружено: 0 из 12; повторов: 9; отклонено: 3." in out
    assert "Строка 5: повтор (тот же СНИЛС, что у записи «педагог № 1» в базе)" in out
    assert "Строка 6: повтор (те же ФИО и организация, что у записи «педагог № 2» в базе)" in out


def test_cli_import_column_option_and_errors(tmp_path, capsys, new_url):
    from stazhirovka.cli import main

    url = new_url("sqlite", migrated=True)
    path = messy.workbook(
        tmp_path / "p.xlsx",
        ["Педагог", "Школа", "Пол"],
        [("Петров Пётр", "МБОУ СОШ № 4", "м"), ("Орлова Ирина", "МБОУ СОШ № 4", "ж")],
    )
    assert main(["import", "persons", str(path), "--db", url, "--json"]) == 1
    assert "не найдены столбцы: ФИО (в одном столбце или в трёх)" in capsys.readouterr().err
    args = ["import", "persons", str(path), "--db", url, "--json", "--column", "1=fio"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 2
    assert main([*args[:-1], "1=возраст"]) == 1
    assert "Поля «возраст» нет" in capsys.readouterr().err


# -- junk never crashes, never writes half an import ----------------------------------------

_JUNK_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
_PLAUSIBLE = st.sampled_from([
    "Иванова Мария Петровна", "ПЕТРОВ  сергей", "Ким", "Семёнова Алёна Викторовна", "оглы",
    "МБОУ СОШ №2", "мбоу сош № 2", "Итого", "31.02.2020", "01.09.2020 г.", "2020-09-01",
    messy.SNILS[0], messy.BAD_SNILS, "a@b.ru", "не почта", "высшая", "учитель", "-", "№",
    "x" * 300,
])  # fmt: skip
_CELL = st.one_of(
    st.none(),
    _PLAUSIBLE,
    _JUNK_TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(st.lists(_CELL, min_size=10, max_size=10), min_size=1, max_size=6),
    fail_at=st.integers(min_value=0, max_value=4),
)
def test_junk_in_cells_never_crashes_nor_writes_half(session, tmp_path_factory, rows, fail_at):
    from stazhirovka.services.crud import EntityService

    path = messy.workbook(
        tmp_path_factory.mktemp("junk") / "junk.xlsx", messy.PERSON_HEADERS, rows,
        titles=("Реестр",),
    )  # fmt: skip
    savepoint = session.begin_nested()
    try:
        before = (_count(session, Person), _count(session, Organization))
        try:
            table = read_table(path)
        except UserError:
            return  # e.g. junk in the header's place: refused with a reason
        plan = build_plan(session, table, map_columns(table.headers, "persons"))
        counts = plan.counts
        assert counts["rows"] == counts["create"] + counts["duplicates"] + counts["rejected"]
        assert all(r.reason for r in plan.of("rejected"))
        assert (_count(session, Person), _count(session, Organization)) == before
        calls = []
        real = EntityService.insert_many

        def failing(self, s, records, **kw):
            calls.append(1)
            if len(calls) == fail_at:
                raise UserError("отказ")
            return real(self, s, records, **kw)

        # the writes: the new organizations in one statement, then the persons in another
        writes = bool(plan.new_organizations) + bool(counts["create"])
        EntityService.insert_many = failing  # type: ignore[method-assign]
        try:
            result = apply_plan(session, plan)
        except UserError:
            assert fail_at and fail_at <= writes
            assert (_count(session, Person), _count(session, Organization)) == before
        else:
            assert not fail_at or fail_at > writes
            assert _count(session, Person) == before[0] + counts["create"]
            assert result.imported == counts["create"]
            assert _count(session, Organization) == before[1] + len(plan.new_organizations)
        finally:
            EntityService.insert_many = real  # type: ignore[method-assign]
    finally:
        savepoint.rollback()


# -- organizations --------------------------------------------------------------------------


def test_organizations_preview_and_apply(session, tmp_path):
    existing = f.org(session, "МБОУ СОШ № 1")
    path = messy.organizations_workbook(tmp_path / "сеть.xlsx")
    table = read_table(path)
    assert (table.header_row, table.skipped_blank, table.skipped_totals) == (3, 0, 1)
    mapping = map_columns(table.headers, "organizations")
    assert mapping.unplaced == [(0, "№")]
    plan = build_plan(session, table, mapping)
    assert plan.counts == {
        "rows": 7, "create": 4, "duplicates": 2, "merge": 0, "rejected": 1, "warnings": 1,
    }  # fmt: skip
    assert [(r.number, r.duplicate_of) for r in plan.of("duplicate")] == [
        (7, "то же наименование, что в строке 4 файла"),
        (8, f"то же наименование, что у записи «организация № {existing.id}» в базе"),
    ]
    assert [(r.number, r.reason) for r in plan.of("rejected")] == [
        (9, "Число педагогических работников: «много» — не число"),
    ]
    assert plan.row(5).warnings == ["адрес электронной почты «not-an-email» неверен — не сохранён"]
    plan.choose(8, "merge")
    result = apply_plan(session, plan)
    assert result.as_json() == {"rows": 7, "imported": 4, "duplicates": 2, "rejected": 1}
    orgs = {o.short_name: o for o in session.scalars(select(Organization))}
    assert sorted(orgs) == sorted(
        ["МБОУ СОШ № 1", "МБОУ СОШ № 2", "МБДОУ д/с № 5", "МАУ ДО ДДТ", "ГБПОУ КТТ"]
    )
    school = orgs["МБОУ СОШ № 2"]
    assert school.full_name.startswith("Муниципальное бюджетное общеобразовательное")
    assert (school.kind, school.staff_count, school.head_name) == (
        OrgKind.SCHOOL, 54, "Петрова Анна Ивановна",
    )  # fmt: skip
    assert orgs["МБДОУ д/с № 5"].kind == OrgKind.KINDERGARTEN
    assert orgs["МБДОУ д/с № 5"].email == ""
    assert orgs["МАУ ДО ДДТ"].kind == OrgKind.ADDITIONAL
    assert (orgs["ГБПОУ КТТ"].kind, orgs["ГБПОУ КТТ"].staff_count) == (OrgKind.COLLEGE, 70)
    session.refresh(existing)
    assert existing.staff_count == 40  # merged: the empty field filled, names kept
    assert existing.full_name == "Учреждение МБОУ СОШ № 1"


def test_cli_import_organizations(tmp_path, capsys, new_url):
    from stazhirovka.cli import main

    url = new_url("sqlite", migrated=True)
    path = messy.organizations_workbook(tmp_path / "сеть.xlsx")
    assert main(["import", "organizations", str(path), "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "rows": 7, "imported": 5, "duplicates": 1, "rejected": 1,
    }  # fmt: skip


# -- internships ----------------------------------------------------------------------------


def _internship_world(session):
    plat = f.platform(session)  # at «МБОУ СОШ № 5»
    prog = f.program(session, plat, title=messy.METHODICAL)
    mentor_person = f.person(session, "Козлова", "Анна", "Викторовна")
    mentor = f.master(session, plat, mentor_person)
    return plat, prog, mentor


def test_internships_preview_lists_what_it_creates(session, tmp_path):
    _internship_world(session)
    before = _count(session, Person)
    plan = _plan(session, messy.internships_workbook(tmp_path / "стажёры.xlsx"), "internships")
    assert _count(session, Person) == before
    assert plan.table.header_row == 3
    assert plan.counts == {
        "rows": 7, "create": 3, "duplicates": 1, "merge": 0, "rejected": 3, "warnings": 0,
    }  # fmt: skip
    assert [(r.number, r.reason) for r in plan.of("rejected")] == [
        (7, "программы «Несуществующая программа» нет, а площадка не указана — создать её нельзя"),
        (8, "Дата начала стажировки: «вчера» — не дата; ожидается ДД.ММ.ГГГГ"),
        (9, "прекращённая стажировка не загружается: в таблице нет причины прекращения — "
            "внесите её в программе вручную"),
    ]  # fmt: skip
    assert plan.row(6).duplicate_of == "тот же стажёр на той же программе, что в строке 4 файла"
    assert [r.summary for r in plan.new_organizations.values()] == [
        "МБОУ СОШ № 2",
        "МБОУ Лицей № 3",
    ]
    assert [r.summary for r in plan.new_persons.values()] == [
        "Иванова Мария Петровна — МБОУ СОШ № 2",
        "Петров Сергей Иванович — МБОУ СОШ № 2",
        "Смирнова Ольга Павловна (наставник)",
        "Новикова Дарья Сергеевна — МБОУ СОШ № 2",
    ]
    assert [r.summary for r in plan.new_platforms.values()] == ["МБОУ Лицей № 3 (стажировочная)"]
    assert [r.summary for r in plan.new_programs.values()] == [
        "«ИКТ-компетенции» — МБОУ Лицей № 3 (стажировочная)"
    ]
    assert [r.summary for r in plan.new_mentors.values()] == ["Смирнова Ольга Павловна"]
    text = plan.describe()
    assert "Новые площадки (1):\n  МБОУ Лицей № 3 (стажировочная)" in text


def test_internships_apply_creates_everything_in_one_go(session, tmp_path):
    from stazhirovka.models import Internship, InternshipStatus, Platform, Program, TeacherMaster

    plat, prog, mentor = _internship_world(session)
    plan = _plan(session, messy.internships_workbook(tmp_path / "стажёры.xlsx"), "internships")
    result = apply_plan(session, plan)
    assert result.as_json() == {"rows": 7, "imported": 3, "duplicates": 1, "rejected": 3}
    assert result.created == {
        "organizations": 2, "persons": 4, "platforms": 1, "programs": 1, "mentors": 1,
    }  # fmt: skip
    got = {i.person.surname: i for i in session.scalars(select(Internship))}
    assert sorted(got) == ["Иванова", "Новикова", "Петров"]
    ivanova = got["Иванова"]
    assert (ivanova.program_id, ivanova.mentor_id) == (prog.id, mentor.id)
    assert ivanova.status == InternshipStatus.ACTIVE
    assert ivanova.planned_end == date(2026, 12, 31)
    petrov = got["Петров"]
    assert petrov.status == InternshipStatus.COMPLETED
    assert (petrov.start_date, petrov.actual_end, petrov.hours_done) == (
        date(2026, 1, 15), date(2026, 5, 15), 36,
    )  # fmt: skip
    lyceum = session.scalars(select(Platform).where(Platform.id != plat.id)).one()
    assert lyceum.organization.short_name == "МБОУ Лицей № 3"
    assert lyceum.active_from == date(2026, 1, 15)  # the earliest start it hosts
    ikt = session.scalars(select(Program).where(Program.title == "ИКТ-компетенции")).one()
    assert ikt.platform_id == lyceum.id
    assert petrov.program_id == ikt.id == got["Новикова"].program_id
    smirnova = session.get(TeacherMaster, petrov.mentor_id)
    assert smirnova.platform_id == lyceum.id and smirnova.person.sex == Sex.FEMALE
    assert smirnova.person.organization_id == lyceum.organization_id
    assert got["Новикова"].mentor_id == smirnova.id
    # Again: every accepted row is now a duplicate of the database's internship.
    again = _plan(session, messy.internships_workbook(tmp_path / "стажёры.xlsx"), "internships")
    assert again.counts["create"] == 0 and again.counts["duplicates"] == 4
    assert not again.new_persons and not again.new_programs and not again.new_mentors


def test_a_failing_internship_leaves_nothing(session, tmp_path, monkeypatch):
    from stazhirovka.services.internships import InternshipService

    _internship_world(session)
    before = {m: _count(session, m) for m in (Person, Organization)}
    plan = _plan(session, messy.internships_workbook(tmp_path / "стажёры.xlsx"), "internships")
    real = InternshipService.create

    def create(self, s, data, **kw):
        if s.get(Person, data["person_id"]).surname == "Новикова":
            raise UserError("отказ")
        return real(self, s, data, **kw)

    monkeypatch.setattr(InternshipService, "create", create)
    with pytest.raises(UserError, match=r"ничего не записано\. строка 10: отказ"):
        apply_plan(session, plan)
    assert {m: _count(session, m) for m in (Person, Organization)} == before


def test_cli_import_internships(tmp_path, capsys, new_url):
    from stazhirovka.cli import main
    from stazhirovka.db import open_database

    url = new_url("sqlite", migrated=True)
    db = open_database(url)
    with db.session() as session:
        _internship_world(session)
    db.close()
    path = messy.internships_workbook(tmp_path / "стажёры.xlsx")
    assert main(["import", "internships", str(path), "--db", url, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Новые программы (1):\n  «ИКТ-компетенции» — МБОУ Лицей № 3 (стажировочная)" in out
    assert "Пробный прогон: в базу ничего не записано." in out
    assert main(["import", "internships", str(path), "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "rows": 7, "imported": 3, "duplicates": 1, "rejected": 3,
    }  # fmt: skip


def test_fio_in_three_columns_and_yo_matched_but_kept(session, tmp_path):
    school = f.org(session, "МБОУ СОШ № 2")
    old = f.person(session, "Семенова", "Алена", "Викторовна", organization_id=school.id)
    path = messy.workbook(
        tmp_path / "три.xlsx",
        ["Фамилия", "Имя", "Отчество", "Пол", "ОО", "Дата начала педагогической деятельности",
         "Предмет"],
        [
            ("Семёнова", "Алёна", "Викторовна", "", "МБОУ СОШ №2", 44805, "химия"),
            ("  ЖУКОВА", "саша", "", "ж", "", "1 сентября", ""),
            ("Жуков", "Саша", "", "Ж.", "", datetime(2021, 9, 1), "физика"),
            ("Белых", "Саша", "", "", "", "", ""),
        ],
    )  # fmt: skip
    plan = _plan(session, path, "persons")
    assert plan.mapping.fields == {
        "surname": 0, "name": 1, "patronymic": 2, "sex": 3, "organization": 4,
        "teaching_since": 5, "subject": 6,
    }  # fmt: skip
    assert [(r.number, r.action) for r in plan.rows] == [
        (2, "duplicate"), (3, "rejected"), (4, "create"), (5, "rejected"),
    ]  # fmt: skip
    assert plan.row(2).existing_id == old.id
    assert plan.row(3).reason == (
        "Дата начала педагогической деятельности: «1 сентября» — не дата; ожидается ДД.ММ.ГГГГ"
    )
    assert plan.row(5).reason.startswith("пол не указан")
    plan.choose(2, "merge")
    apply_plan(session, plan)
    session.refresh(old)
    assert (old.surname, old.name) == ("Семенова", "Алена")  # names are never overwritten
    assert (old.teaching_since, old.subject) == (date(2022, 9, 1), "химия")
    zhukov = session.scalars(select(Person).where(Person.surname == "Жуков")).one()
    assert (zhukov.name, zhukov.sex, zhukov.teaching_since) == (
        "Саша",
        Sex.FEMALE,
        date(2021, 9, 1),
    )


# headers, the service, and the method that writes the rows (organizations are written
# together, a chunk a statement; internships one by one)
_KIND_SETUP = {
    "organizations": (messy.ORG_HEADERS, "OrganizationService", "insert_many"),
    "internships": (messy.INTERNSHIP_HEADERS, "InternshipService", "create"),
}
_PLAUSIBLE_MORE = st.sampled_from([
    messy.METHODICAL, "ИКТ-компетенции", "МБОУ СОШ № 5", "Козлова Анна Викторовна",
    "завершена", "идёт", "отчислена", "15.05.2026", "01.09.2026", 36, "МАУ ДО ДДТ", "много",
])  # fmt: skip


@pytest.mark.parametrize("kind", sorted(_KIND_SETUP))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(
        st.lists(st.one_of(_CELL, _PLAUSIBLE_MORE), min_size=11, max_size=11),
        min_size=1,
        max_size=5,
    ),
    fail_at=st.integers(min_value=0, max_value=3),
)
def test_junk_other_kinds_never_crash_nor_write_half(session, tmp_path_factory, kind, rows,
                                                     fail_at):  # fmt: skip
    from stazhirovka.models import Internship, Platform, Program, TeacherMaster
    from stazhirovka.services import internships, organizations

    headers, service_name, method = _KIND_SETUP[kind]
    module = organizations if kind == "organizations" else internships
    service = getattr(module, service_name)
    path = messy.workbook(
        tmp_path_factory.mktemp("junk") / "junk.xlsx", headers, [r[: len(headers)] for r in rows],
        titles=("Реестр",),
    )  # fmt: skip
    models = (Person, Organization, Platform, Program, TeacherMaster, Internship)
    savepoint = session.begin_nested()
    try:
        if kind == "internships" and not _count(session, Program):
            _internship_world(session)
        before = {m: _count(session, m) for m in models}
        try:
            table = read_table(path)
        except UserError:
            return
        plan = build_plan(session, table, map_columns(table.headers, kind))
        counts = plan.counts
        assert counts["rows"] == counts["create"] + counts["duplicates"] + counts["rejected"]
        assert all(r.reason for r in plan.of("rejected"))
        assert {m: _count(session, m) for m in models} == before
        calls = []
        real = getattr(service, method)

        def failing(self, s, data, **kw):
            calls.append(1)
            if len(calls) == fail_at:
                raise UserError("отказ")
            return real(self, s, data, **kw)

        # how many calls write the rows: one per row, or one per chunk of them
        writes = counts["create"] if method == "create" else min(counts["create"], 1)
        setattr(service, method, failing)
        try:
            result = apply_plan(session, plan)
        except UserError:
            assert 1 <= fail_at <= writes
            assert {m: _count(session, m) for m in models} == before
        else:
            assert not fail_at or fail_at > writes
            assert result.imported == counts["create"]
            main = Organization if kind == "organizations" else Internship
            assert _count(session, main) == before[main] + counts["create"]
        finally:
            setattr(service, method, real)
    finally:
        savepoint.rollback()


def test_progress_is_reported_and_may_cancel(session, tmp_path):
    path = messy.persons_workbook(tmp_path / "p.xlsx")
    table = read_table(path)
    seen = []
    plan = build_plan(
        session, table, map_columns(table.headers, "persons"), lambda *a: seen.append(a)
    )
    assert seen[0] == (0, 12, "Проверка строк") and seen[-1] == (12, 12, "Проверка строк")

    def cancel(done, total, text):
        raise UserError("Отменено пользователем.")

    with pytest.raises(UserError, match="Отменено"):
        build_plan(session, table, map_columns(table.headers, "persons"), cancel)
    steps = []
    apply_plan(session, plan, progress=lambda *a: steps.append(a))
    # written in two statements: the four new organizations, then the seven teachers
    assert steps == [(4, 11, "Запись в базу данных"), (11, 11, "Запись в базу данных")]
    assert _count(session, Person) == 7


def test_rows_keep_their_excel_numbers_below_empty_rows(session, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["C4"] = "Список"
    sheet["C6"], sheet["D6"] = "ФИО", "Место работы"
    sheet["C7"], sheet["D7"] = "Орлова Ирина Сергеевна", "МБОУ СОШ № 2"
    sheet["C9"], sheet["D9"] = "Орлов", "МБОУ СОШ № 2"
    book.save(tmp_path / "сдвиг.xlsx")
    table = read_table(tmp_path / "сдвиг.xlsx")
    assert table.header_row == 6 and [r.number for r in table.rows] == [7, 9]
    plan = build_plan(session, table, map_columns(table.headers, "persons"))
    assert [(r.number, r.action) for r in plan.rows] == [(7, "create"), (9, "rejected")]
    assert plan.row(9).reason == "Имя: не указано"


def test_internships_into_an_empty_database_create_the_whole_network(session, tmp_path):
    plan = _plan(session, messy.internships_workbook(tmp_path / "стажёры.xlsx"), "internships")
    assert plan.counts == {
        "rows": 7, "create": 3, "duplicates": 1, "merge": 0, "rejected": 3, "warnings": 0,
    }  # fmt: skip
    assert plan.row(6).first_row == 4  # the program row 4 creates is found by its title
    assert [r.summary for r in plan.new_programs.values()] == [
        "«Формирование методических компетенций педагогов» — МБОУ СОШ № 5 (стажировочная)",
        "«ИКТ-компетенции» — МБОУ Лицей № 3 (стажировочная)",
    ]
    result = apply_plan(session, plan)
    assert result.created == {
        "organizations": 3, "persons": 5, "platforms": 2, "programs": 2, "mentors": 2,
    }  # fmt: skip


def test_a_merged_file_duplicate_fills_the_first_row(session, tmp_path):
    from stazhirovka.models import Internship

    _internship_world(session)
    path = messy.workbook(
        tmp_path / "повтор.xlsx",
        ["ФИО", "Программа", "Дата начала", "Группа", "Кол-во часов"],
        [
            ("Иванова Мария Петровна", messy.METHODICAL, "01.09.2026", "", ""),
            ("Иванова Мария Петровна", messy.METHODICAL, "01.09.2026", "Поток 2", 12),
        ],
    )
    plan = _plan(session, path, "internships")
    assert [(r.number, r.action) for r in plan.rows] == [(2, "create"), (3, "duplicate")]
    plan.choose(3, "merge")
    result = apply_plan(session, plan)
    assert (result.imported, result.merged) == (1, 1)
    made = session.scalars(select(Internship)).one()
    assert (made.cohort, made.hours_done) == ("Поток 2", 12)
