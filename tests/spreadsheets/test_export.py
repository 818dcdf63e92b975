"""Registry exports to XLSX, read back with python-calamine: title, header, types, masking,
the query's rows in the screen's order, empty results, cancelling, the command line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from stazhirovka.cli import main
from stazhirovka.cli_spreadsheets import EXPORT_REGISTRIES
from stazhirovka.reports.xlsx.export import (
    EMPTY_NOTE,
    export_registry,
    mask_email,
    mask_phone,
    mask_snils,
)
from stazhirovka.services.registry import RegistryQuery, fetch_ids, fetch_rows, get_registry
from tests import factories as f

TODAY = date(2026, 11, 22)


def read(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def _world(session):
    school = f.org(session, "МБОУ СОШ № 2")
    lyceum = f.org(session, "МАОУ Лицей № 7")
    f.person(
        session,
        "Иванова",
        "Мария",
        "Петровна",
        organization_id=school.id,
        phone="+7 (912) 345-12-34",
        email="ivanova@mail.ru",
        teaching_since=date(2010, 9, 1),
        sex="F",
    )
    f.person(
        session,
        "Петров",
        "Иван",
        "Сергеевич",
        organization_id=lyceum.id,
        email="petrov@ya.ru",
        sex="M",
    )
    f.person(session, "Ёлкина", "Анна", "Ивановна", organization_id=school.id, sex="F")
    session.flush()
    return school, lyceum


def _data(rows: list[list]) -> list[list]:
    return rows[3:]


def test_title_header_types_and_masking(session, tmp_path):
    _world(session)
    out = tmp_path / "persons.xlsx"
    seen = []
    export_registry(
        session,
        "persons",
        out,
        RegistryQuery(),
        masked=True,
        progress=lambda d, t, _x: seen.append((d, t)),
        today=TODAY,
    )
    rows = read(out)
    assert rows[0][0] == "Педагоги — выгрузка от 22.11.2026"
    assert rows[1][0].startswith("Отбор: все записи. 3 записи.")
    assert "маска ПДн" in rows[1][0]
    assert rows[2] == [
        "ФИО",
        "Пол",
        "Организация",
        "Должность",
        "Предмет",
        "Стаж с",
        "Категория",
        "Телефон",
        "Электронная почта",
    ]
    data = _data(rows)
    assert [r[0] for r in data] == [
        "Ёлкина Анна Ивановна",
        "Иванова Мария Петровна",
        "Петров Иван Сергеевич",
    ]
    ivanova = data[1]
    assert ivanova[1] == "женский"
    assert ivanova[2] == "МБОУ СОШ № 2"
    assert isinstance(ivanova[5], date) and ivanova[5] == date(2010, 9, 1)
    assert ivanova[7] == "+7 (***) ***-12-34"
    assert ivanova[8] == "i***@mail.ru"
    assert data[2][8] == "p***@ya.ru"
    assert data[0][7] == "" and data[0][5] == ""  # empty cells stay empty
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


def test_unmasked_export_keeps_contacts(session, tmp_path):
    _world(session)
    out = tmp_path / "persons.xlsx"
    export_registry(session, "persons", out, RegistryQuery(), masked=False, today=TODAY)
    data = _data(read(out))
    assert data[1][7] == "+7 (912) 345-12-34"
    assert data[1][8] == "ivanova@mail.ru"
    assert "маска" not in read(out)[1][0]


def test_search_and_filters_give_the_screens_rows_and_are_described(session, tmp_path):
    school, _ = _world(session)
    query = RegistryQuery(
        search="ива", filters={"organization_id": school.id, "sex": "F"}, sort="fio"
    )
    query.descending = True
    out = tmp_path / "found.xlsx"
    export_registry(session, "persons", out, query, masked=True, today=TODAY)
    rows = read(out)
    note = rows[1][0]
    assert note.startswith("Отбор: поиск «ива»; ")
    assert "Организация: МБОУ СОШ № 2" in note
    assert "Пол: женский" in note
    expected = [
        r["fio"] for r in fetch_rows(session, "persons", fetch_ids(session, "persons", query))
    ]
    assert [r[0] for r in _data(rows)] == expected
    assert expected == ["Иванова Мария Петровна", "Ёлкина Анна Ивановна"]


def test_numbers_and_booleans_are_real(session, tmp_path):
    plat = f.platform(session)
    f.master(session, plat)
    session.flush()
    out = tmp_path / "masters.xlsx"
    export_registry(session, "masters", out, RegistryQuery(), masked=False, today=TODAY)
    rows = read(out)
    header = rows[2]
    row = _data(rows)[0]
    interns = row[header.index("Стажёров сейчас")]
    assert isinstance(interns, (int, float)) and not isinstance(interns, bool)
    assert interns == 0
    assert row[header.index("Действует")] in ("да", "нет")


def test_empty_result_has_the_header_and_a_note(session, tmp_path):
    _world(session)
    out = tmp_path / "none.xlsx"
    export_registry(session, "persons", out, RegistryQuery(search="Щщщщ"), masked=True, today=TODAY)
    rows = read(out)
    assert rows[2][0] == "ФИО"
    assert rows[3][0] == EMPTY_NOTE
    assert "0 записей" in rows[1][0]


class Cancelled(Exception):
    pass


def test_cancel_leaves_no_file(session, tmp_path):
    _world(session)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "cancelled.xlsx"

    def cancel(done, total, _text):
        if done >= 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_registry(session, "persons", out, RegistryQuery(), masked=True, progress=cancel)
    assert list(folder.iterdir()) == []


def test_cancel_midway_keeps_an_older_file(session, tmp_path, monkeypatch):
    import stazhirovka.reports.xlsx.export as export

    _world(session)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "old.xlsx"
    out.write_bytes(b"old")
    monkeypatch.setattr(export, "_PROGRESS_EVERY", 2)

    def cancel(done, total, _text):
        if done == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_registry(session, "persons", out, RegistryQuery(), masked=True, progress=cancel)
    assert [p.name for p in folder.iterdir()] == ["old.xlsx"]
    assert out.read_bytes() == b"old"


def test_masks():
    assert mask_phone("8 912 345 12 34") == "+7 (***) ***-12-34"
    assert mask_phone("12") == "***"
    assert mask_email("Ivanova.M@school.ru") == "I***@school.ru"
    assert mask_email("broken") == "***"
    assert mask_snils("112-233-445 95") == "***-***-*** 95"


@pytest.mark.parametrize(
    "name",
    EXPORT_REGISTRIES,
)
def test_every_cli_registry_exports_from_the_demo(demo_db, tmp_path, name):
    out = tmp_path / f"{name}.xlsx"
    with demo_db.session() as s:
        query = RegistryQuery()
        ids = fetch_ids(s, name, query)
        first = fetch_rows(s, name, ids[:1])[0]
        export_registry(s, name, out, query, masked=True, today=TODAY)
    rows = read(out)
    data = _data(rows)
    assert len(data) == len(ids) > 0
    columns = get_registry(name).columns
    assert rows[2] == [c.label for c in columns]
    key = columns[0]
    if key.kind == "text" and not key.personal and first[key.key]:
        assert data[0][0] == first[key.key]
    checked = 0
    for i, column in enumerate(columns):
        values = [r[i] for r in data if r[i] != ""]
        if column.kind in ("date", "datetime"):
            assert all(isinstance(v, (date, datetime)) for v in values), column.key
            checked += len(values)
        elif column.kind in ("int", "float"):
            assert all(isinstance(v, (int, float)) for v in values), column.key
            checked += len(values)
        elif column.personal:
            assert all("***" in v for v in values), column.key
    assert checked > 0 or not any(c.kind in ("date", "int", "float") for c in columns)


# -- the command line --------------------------------------------------------------------------


@pytest.fixture
def small_db(tmp_path):
    from stazhirovka.db import open_database

    url = f"sqlite:///{tmp_path / 'small.db'}"
    db = open_database(url)
    try:
        with db.session() as s:
            _world(s)
            s.commit()
    finally:
        db.close()
    return url


def test_cli_export_with_search_filter_and_mask(small_db, tmp_path, capsys):
    out = tmp_path / "out" / "persons.xlsx"
    code = main(
        [
            "export",
            "persons",
            str(out),
            "--db",
            small_db,
            "--search",
            "ива",
            "--filter",
            "organization_id=МБОУ СОШ № 2",
            "--filter",
            "sex=жен",
            "--masked",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == f"Педагоги: 2 строки → {out}"
    rows = read(out)
    assert rows[1][0].startswith("Отбор: поиск «ива»; Организация: МБОУ СОШ № 2; Пол: женский.")
    assert [r[0] for r in _data(rows)] == ["Ёлкина Анна Ивановна", "Иванова Мария Петровна"]
    assert _data(rows)[1][7] == "+7 (***) ***-12-34"


def test_cli_export_unmasked_by_default(small_db, tmp_path):
    out = tmp_path / "out" / "all.xlsx"
    assert main(["export", "persons", str(out), "--db", small_db]) == 0
    assert _data(read(out))[1][8] == "ivanova@mail.ru"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "people"], "Неизвестный реестр «people». Можно выгрузить: organizations"),
        (["export", "people"], "certificate-register"),
        (["export", "persons", "--filter", "пол=ж"], "нет фильтра «пол». Фильтры: organization_id"),
        (["export", "persons", "--filter", "sex"], "нужно КЛЮЧ=ЗНАЧЕНИЕ"),
        (["export", "persons", "--filter", "sex=Q"], "значения «Q» нет. Возможны: M (мужской)"),
        (["export", "persons", "--filter", "young=может"], "нужно «да» или «нет»"),
        (["export", "persons", "--filter", "organization_id=Гимназия"], "«Гимназия» не найдено"),
    ],
)
def test_cli_export_errors_are_russian(small_db, tmp_path, capsys, args, message):
    out = tmp_path / "out" / "x.xlsx"
    code = main([*args[:2], str(out), "--db", small_db, *args[2:]])
    assert code == 1
    assert message in capsys.readouterr().err
    assert not out.exists()
