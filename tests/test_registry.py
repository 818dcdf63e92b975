"""Registry queries: search ignoring case and ё, filters, sort, paging and counts in SQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stazhirovka.errors import UserError
from stazhirovka.services.registry import (
    RegistryQuery,
    count,
    fetch_ids,
    fetch_page,
    fetch_rows,
    iter_rows,
    registry_names,
)

from . import factories as f


@pytest.fixture
def people(session):
    school = f.org(session, "МБОУ СОШ № 1")
    other = f.org(session, "МБДОУ д/с № 7", kind="kindergarten")
    young = (date.today() - timedelta(days=400)).strftime("%d.%m.%Y")
    rows = [
        ("Кудрявцева", "Алёна", "Петровна", school, young),
        ("Кудрявцев", "Пётр", "Ильич", school, "01.09.2001"),
        ("Ёлкина", "Мария", "Сергеевна", other, "01.09.2010"),
        ("Елкин", "Семён", "Семёнович", other, young),
        ("Абрамова", "Ольга", "", school, None),
    ]
    for surname, name, patronymic, org, since in rows:
        f.person(
            session,
            surname,
            name,
            patronymic,
            organization_id=org.id,
            teaching_since=since,
            sex="F" if surname.endswith("а") else "M",
        )
    return school, other


def test_search_ignores_case_and_yo_over_any_part_of_the_name(session, people):
    def found(text):
        return [r["fio"] for r in fetch_page(session, "persons", RegistryQuery(search=text)).rows]

    assert found("КУДРЯВ") == ["Кудрявцев Пётр Ильич", "Кудрявцева Алёна Петровна"]
    assert found("алена") == ["Кудрявцева Алёна Петровна"]
    assert found("ёлк") == ["Елкин Семён Семёнович", "Ёлкина Мария Сергеевна"]
    assert found("семенович") == ["Елкин Семён Семёнович"]
    assert found("кудрявцева алена") == ["Кудрявцева Алёна Петровна"]
    assert found("%") == [] and found("_") == []  # wildcards are plain characters
    assert found('"кудр') == [] and found("ва а") == ["Кудрявцева Алёна Петровна"]  # quotes, spaces


def test_the_search_index_follows_edits_and_deletions(session, people):
    from stazhirovka.services.people import PersonService

    def found(text):
        return [r["fio"] for r in fetch_page(session, "persons", RegistryQuery(search=text)).rows]

    abramova = fetch_page(session, "persons", RegistryQuery(search="абрамова")).rows[0]
    PersonService().update(session, abramova["id"], {"surname": "Соловьёва"})
    assert found("абрамова") == [] and found("соловьев") == ["Соловьёва Ольга"]
    PersonService().delete(session, abramova["id"])
    assert found("соловьев") == []
    assert count(session, "persons", RegistryQuery(search="кудрявц")) == 2


def test_filters_and_counts(session, people):
    school, other = people
    assert count(session, "persons", RegistryQuery(filters={"organization_id": school.id})) == 3
    assert count(session, "persons", RegistryQuery(filters={"young": True})) == 2
    assert count(session, "persons", RegistryQuery(filters={"young": False})) == 3
    assert (
        count(
            session,
            "persons",
            RegistryQuery(search="елк", filters={"young": True, "organization_id": other.id}),
        )
        == 1
    )
    assert count(session, "persons", RegistryQuery(filters={"sex": "F"})) == 3


def test_sort_by_any_column_and_page(session, people):
    q = RegistryQuery(sort="organization", descending=True, limit=2)
    first = fetch_page(session, "persons", q).rows
    assert [r["organization"] for r in first] == ["МБОУ СОШ № 1", "МБОУ СОШ № 1"]
    q.offset = 2
    second = fetch_page(session, "persons", q).rows
    q.offset = 4
    third = fetch_page(session, "persons", q).rows
    ids = [r["id"] for r in first + second + third]
    assert len(ids) == len(set(ids)) == 5
    by_start = fetch_page(session, "persons", RegistryQuery(sort="teaching_since")).rows
    dates = [r["teaching_since"] for r in by_start if r["teaching_since"]]
    assert dates == sorted(dates)


def test_ids_then_rows_on_demand(session, people):
    ids = fetch_ids(session, "persons", RegistryQuery())
    assert len(ids) == 5
    rows = fetch_rows(session, "persons", [ids[3], ids[0]])
    assert [r["id"] for r in rows] == [ids[3], ids[0]]
    assert [r["id"] for r in iter_rows(session, "persons", RegistryQuery(), batch=2)] == ids


def test_every_registry_answers_every_sort(session):
    intern = f.internship(session)
    f.event(session)
    for name in registry_names():
        from stazhirovka.services.registry import get_registry

        reg = get_registry(name)
        for column in reg.columns:
            page = fetch_page(session, name, RegistryQuery(sort=column.key, search="а", limit=5))
            assert isinstance(page.rows, list)
        assert count(session, name, RegistryQuery()) >= 0
    rows = fetch_page(
        session, "internships", RegistryQuery(filters={"platform_id": intern.program.platform_id})
    ).rows
    assert rows[0]["intern"] == "Сидоров Илья Ильич" and rows[0]["program"] == intern.program.title


def test_internship_filters(session):
    from stazhirovka.services.internships import RouteService, RouteStepService

    intern = f.internship(session)
    route = RouteService().create(session, {"internship_id": intern.id})
    RouteStepService().create(
        session,
        {"route_id": route.id, "kind": "open_lesson", "title": "Урок", "planned_end": "01.10.2025"},
    )
    assert count(session, "internships", RegistryQuery(filters={"overdue": True})) == 1
    assert (
        count(session, "internships", RegistryQuery(filters={"year": 2025, "status": "planned"}))
        == 1
    )
    assert count(session, "internships", RegistryQuery(filters={"year": 2024})) == 0
    assert fetch_page(session, "internships", RegistryQuery()).rows[0]["overdue_steps"] == 1


def test_unknown_names_are_explained(session):
    with pytest.raises(UserError, match="Неизвестный реестр"):
        count(session, "nothing", RegistryQuery())
    with pytest.raises(UserError, match="нет фильтра"):
        count(session, "persons", RegistryQuery(filters={"shoe_size": 42}))


def test_counts_and_id_pages_join_only_what_they_use(session):
    from sqlalchemy import select

    from stazhirovka.services.registry import _conditions, _order, get_registry

    reg = get_registry("internships")
    q = RegistryQuery(filters={"status": "active"})
    where = _conditions(reg, q, session)
    sql = str(reg.select_from(select(reg.id_column), needed=where).where(*where))
    assert "JOIN" not in sql
    q = RegistryQuery(search="иван", sort="mentor")
    where, order = _conditions(reg, q, session), _order(reg, q)
    sql = str(reg.select_from(select(reg.id_column), needed=[*where, *order]))
    assert sql.count("JOIN") == 3  # the intern, the mentor and the mentor's person


@pytest.mark.parametrize("sparse_limit", [0, 10**9])
def test_index_and_scan_find_the_same_rows(session, people, monkeypatch, sparse_limit):
    from stazhirovka.services import registry

    monkeypatch.setattr(registry, "_FTS_SPARSE", sparse_limit)  # force the scan, or the index
    rows = fetch_page(session, "persons", RegistryQuery(search="кудрявц")).rows
    assert [r["fio"] for r in rows] == ["Кудрявцев Пётр Ильич", "Кудрявцева Алёна Петровна"]
    assert count(session, "persons", RegistryQuery(search="ёлк")) == 2


def test_small_lists_search_cyrillic_in_any_case_and_with_yo(session) -> None:
    """Reference lists keep no search key: the column is folded in SQL on both backends."""
    from stazhirovka.services.reference import EventFormService

    EventFormService().create(session, {"name": "Ёлочный Сбор"})
    for text in ("ёлочный", "ЕЛОЧНЫЙ", "сБОР"):
        rows = fetch_page(session, "event_forms", RegistryQuery(search=text)).rows
        assert [r["name"] for r in rows] == ["Ёлочный Сбор"], text
