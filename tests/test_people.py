"""Persons: sex from the patronymic, experience, young teachers, uniqueness, deletion."""

from __future__ import annotations

from datetime import date

import pytest

from stazhirovka.errors import DeleteRefusedError, ValidationError
from stazhirovka.models import CertificateKind, Sex
from stazhirovka.services.certificates import CertificateService
from stazhirovka.services.people import PersonService, experience_years, guess_sex, is_young

from . import factories as f


@pytest.mark.parametrize(
    "name, patronymic, sex",
    [
        ("Мария", "Петровна", Sex.FEMALE),
        ("Илья", "Ильич", Sex.MALE),
        ("Никита", "Сергеевич", Sex.MALE),
        ("Саша", "Никитична", Sex.FEMALE),
        ("Гасан", "Алиев оглы", Sex.MALE),
        ("Айгюль", "Рашид кызы", Sex.FEMALE),
        ("Мария", "", Sex.FEMALE),
        ("Саша", "", None),
        ("Женя", "", None),
    ],
)
def test_sex_is_guessed_from_the_patronymic(name, patronymic, sex):
    assert guess_sex(name, patronymic) == sex


def test_given_sex_is_never_overwritten(session):
    p = f.person(session, "Ковальчук", "Саша", "Петровна", sex="M")
    assert p.sex == Sex.MALE


def test_sex_is_filled_when_not_given_and_asked_for_when_unknown(session):
    assert f.person(session, "Ковальчук", "Женя", "Ивановна").sex == Sex.FEMALE
    with pytest.raises(ValidationError) as err:
        f.person(session, "Ковальчук", "Женя", "")
    assert err.value.for_field("sex") == ["укажите пол: по отчеству его определить не удалось"]


def test_all_problems_of_a_form_come_together(session):
    with pytest.raises(ValidationError) as err:
        PersonService().create(
            session,
            {
                "surname": "",
                "name": "Анна5",
                "email": "почта",
                "snils": "123",
                "teaching_since": "01.01.2999",
                "organization_id": 999999,
            },
        )
    fields = {p.field for p in err.value.problems}
    assert fields == {
        "surname",
        "name",
        "sex",
        "email",
        "snils",
        "teaching_since",
        "organization_id",
    }
    assert err.value.for_field("surname") == ["обязательное поле"]
    assert err.value.for_field("organization_id") == ["запись № 999999 не найдена"]


def test_snils_duplicates_are_refused_with_the_holder(session):
    first = f.person(session, snils="112-233-445 95")
    with pytest.raises(ValidationError) as err:
        f.person(session, "Петров", "Пётр", "Петрович", snils="11223344595")
    assert err.value.for_field("snils") == [f"уже есть у педагога № {first.id}"]


def test_consent_withdrawal_not_before_consent(session):
    with pytest.raises(ValidationError) as err:
        f.person(session, consent_on="01.09.2025", consent_withdrawn_on="01.08.2025")
    assert err.value.for_field("consent_withdrawn_on") == ["раньше даты согласия"]


def test_experience_and_young_teacher_flag():
    assert experience_years(date(2023, 9, 1), on=date(2026, 8, 31)) == 2
    assert experience_years(date(2023, 9, 1), on=date(2026, 9, 1)) == 3
    assert is_young(date(2023, 11, 22), on=date(2026, 11, 21))
    assert not is_young(date(2023, 11, 21), on=date(2026, 11, 21))
    assert not is_young(None)


def test_yo_is_kept_in_names_and_folded_in_the_search_key(session):
    p = f.person(session, "Королёв", "Пётр", "Семёнович")
    assert p.full_name == "Королёв Пётр Семёнович"
    assert p.search_key == "королев петр семенович"
    assert p.short_name == "Королёв П.С."


def test_update_reports_version_conflicts(session):
    from stazhirovka.errors import ConflictError

    p = f.person(session)
    PersonService().update(session, p.id, {"subject": "математика"}, expected_version=1)
    assert p.version == 2
    with pytest.raises(ConflictError):
        PersonService().update(session, p.id, {"subject": "физика"}, expected_version=1)


def test_deleting_a_person_who_holds_a_certificate_is_refused_with_the_reason(session):
    intern = f.completed_internship(session)
    CertificateService().issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=intern.person_id,
        internship_id=intern.id,
    )
    with pytest.raises(DeleteRefusedError) as err:
        PersonService().delete(session, intern.person_id)
    assert "Нельзя удалить педагога «Сидоров И.И.»" in str(err.value)
    assert "выданные сертификаты (1)" in str(err.value)
    assert "стажировки (1)" in str(err.value)


def test_a_person_without_history_is_deleted_and_audited(session):
    from sqlalchemy import select

    from stazhirovka.models import AuditEntry, Person

    p = f.person(session, snils="112-233-445 95")
    PersonService().delete(session, p.id, actor="metod")
    assert session.get(Person, p.id) is None
    actions = session.execute(
        select(AuditEntry.action, AuditEntry.changes).where(AuditEntry.entity == "person")
    ).all()
    assert [a for a, _ in actions] == ["create", "delete"]
    assert "11223344595" not in actions[0][1]  # СНИЛС is not written to the audit trail


def test_database_errors_do_not_carry_personal_values(session):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    f.person(session, snils="112-233-445 95")
    with pytest.raises(IntegrityError) as err, session.begin_nested():
        session.execute(
            text(
                "INSERT INTO person (surname, name, patronymic, sex, snils, subject, education, phone, email, "
                "dative_override, consent_document, search_key, version, created_at, updated_at) VALUES "
                "(:s, 'Анна', '', 'F', :n, '', '', '', '', '', '', '', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"s": "Секретова", "n": "11223344595"},
        )
    from stazhirovka.logs import redact

    logged = redact(f"{err.value}\n{err.value.orig}")
    assert "Секретова" not in logged and "11223344595" not in logged
