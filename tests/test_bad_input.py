"""Any text in any field gives either a saved record or a clear Russian message — never a
crash, and never a half-written record."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from stazhirovka.errors import ValidationError
from stazhirovka.models import Person
from stazhirovka.services.organizations import OrganizationService
from stazhirovka.services.people import PersonService

texts = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "'; DROP TABLE person; --",
            "../../etc/passwd",
            "%",
            "_",
            "\\",
            "Ёжиков",
            "  ",
            "\x00",
            "𝔘𝔫𝔦",
        ]
    ),
)
values = st.one_of(
    texts, st.integers(-(10**12), 10**12), st.floats(allow_nan=True), st.none(), st.booleans()
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.fixed_dictionaries({}, optional={name: values for name in PersonService.field_map()})
)
def test_person_form_never_crashes(session, data):
    before = session.scalar(select(func.count()).select_from(Person))
    savepoint = session.begin_nested()
    try:
        person = PersonService().create(session, data)
    except ValidationError as err:
        assert err.problems and all(p.message for p in err.problems)
        assert session.scalar(select(func.count()).select_from(Person)) == before  # nothing written
    else:
        for key, value in data.items():
            if (
                key in ("surname", "name", "patronymic")
                and isinstance(value, str)
                and value.strip()
            ):
                assert getattr(person, key) == " ".join(value.split())
    finally:
        savepoint.rollback()


@pytest.mark.parametrize(
    "text",
    ["'; DROP TABLE organization; --", "Robert'); DELETE FROM person;--", "C:\\Windows\\system32"],
)
def test_text_that_looks_like_sql_or_a_path_is_stored_as_it_is(session, text):
    org = OrganizationService().create(
        session, {"full_name": text, "short_name": text, "kind": "school"}
    )
    session.expire_all()
    assert OrganizationService().get(session, org.id).full_name == text


def test_control_characters_are_refused_with_a_message(session):
    with pytest.raises(ValidationError) as err:
        PersonService().create(
            session,
            {
                "surname": "Ива\x00нова",
                "name": "Мария",
                "patronymic": "Петровна",
                "subject": "мат\x07ем",
            },
        )
    assert err.value.for_field("surname") == ["содержит недопустимые управляющие символы"]
    assert err.value.for_field("subject") == ["содержит недопустимые управляющие символы"]
