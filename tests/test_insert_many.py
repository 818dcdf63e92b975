"""Creating many checked records at once (imports): the same rules as one by one, set-wise."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from stazhirovka.errors import BatchRowError, UserError, ValidationError
from stazhirovka.models import AuditEntry, Person, Sex
from stazhirovka.services.crud import KnownIds
from stazhirovka.services.internships import JournalService
from stazhirovka.services.people import PersonService

from . import factories as f


def _checked(session, known, **values):
    data = {"surname": "Иванова", "name": "Мария", "patronymic": "Петровна"} | values
    return PersonService().validate(session, data, known=known)


def test_records_come_back_in_order_with_search_keys_and_audit(session):
    known = KnownIds(session)
    org = f.org(session, "МБОУ СОШ № 2")
    records = [
        _checked(session, known, surname="Ёлкина", organization_id=org.id, snils="11223344595"),
        _checked(session, known, surname="Петров", name="Сергей", patronymic="Иванович"),
    ]
    ids = PersonService().insert_many(session, records, known=known, actor="мет", source="тест")
    people = [session.get(Person, i) for i in ids]
    assert [p.surname for p in people] == ["Ёлкина", "Петров"]
    assert people[1].sex == Sex.MALE and people[0].organization_id == org.id
    assert people[0].search_key == "елкина мария петровна" and people[0].version == 1
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "person").order_by(AuditEntry.entity_id)
    ).all()
    assert [e.entity_id for e in entries] == ids
    assert {e.action for e in entries} == {"create"} and entries[0].user_login == "мет"
    changes = json.loads(entries[0].changes)
    assert changes["surname"] == [None, "Ёлкина"] and changes["snils"] == ["***", "***"]
    # a later edit through the service sees an ordinary record
    PersonService().update(session, ids[0], {"phone": "+7 900 000-00-00"}, expected_version=1)
    assert session.get(Person, ids[0]).version == 2


def test_what_changed_since_validation_is_refused_with_the_index(session):
    known = KnownIds(session)
    org = f.org(session, "МБОУ СОШ № 2")
    records = [
        _checked(session, known, surname="Первая"),
        _checked(session, known, surname="Вторая", snils="11223344595"),
        _checked(session, known, surname="Третья", organization_id=org.id),
    ]
    f.person(session, "Другая", snils="11223344595")  # meanwhile, someone took the СНИЛС
    with pytest.raises(BatchRowError) as caught:
        PersonService().insert_many(session, records, known=known)
    assert caught.value.index == 1
    assert isinstance(caught.value.error, ValidationError)
    assert str(caught.value.error).startswith("СНИЛС: уже есть у педагога №")

    gone = KnownIds(session)  # read after the organization disappeared
    gone._of(type(org)).discard(org.id)
    with pytest.raises(BatchRowError) as caught:
        PersonService().insert_many(session, records[:1] + records[2:], known=gone)
    assert caught.value.index == 1 and "Организация: запись №" in str(caught.value)
    assert session.scalar(select(func.count()).select_from(Person)) == 1  # only «Другая»


def test_a_value_repeated_in_the_batch_is_refused(session):
    known = KnownIds(session)
    records = [
        _checked(session, known, surname="Первая", snils="11223344595"),
        _checked(session, known, surname="Вторая"),
        _checked(session, known, surname="Третья", snils="11223344595"),
    ]
    with pytest.raises(BatchRowError) as caught:
        PersonService().insert_many(session, records, known=known)
    assert caught.value.index == 2 and "повторяется в записи 1" in str(caught.value)
    assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_services_with_side_effects_refuse_the_batch(session):
    with pytest.raises(TypeError):
        JournalService().insert_many(session, [{"x": 1}], known=KnownIds(session))


def test_known_ids_answer_like_the_database(session):
    known = KnownIds(session)
    org = f.org(session, "МБОУ СОШ № 7")
    data = {"surname": "Иванова", "name": "Мария", "organization_id": org.id + 1000}
    with pytest.raises(UserError, match=r"Организация: запись № \d+ не найдена"):
        PersonService().validate(session, data, known=known)
    with pytest.raises(UserError, match=r"Организация: запись № \d+ не найдена"):
        PersonService().validate(session, data)
    assert PersonService().validate(session, data | {"organization_id": org.id}, known=known)


def test_order_holds_across_statements(session):
    """More records than one multi-row statement takes: ids still follow the input order."""
    letters = "абвгдежзиклмнопрстуфхцчшщэюя"
    known = KnownIds(session)
    surnames = [
        "Я" + letters[i // len(letters) ** 2 % len(letters)] + letters[i // len(letters) % len(letters)]
        + letters[i % len(letters)]
        for i in range(2500)
    ]  # fmt: skip
    records = [_checked(session, known, surname=s) for s in surnames]
    ids = PersonService().insert_many(session, records, known=known)
    stored = dict(
        session.execute(select(Person.id, Person.surname).where(Person.id.in_(ids))).all()
    )
    assert [stored[i] for i in ids] == surnames
