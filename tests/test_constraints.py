"""What the database itself refuses, on SQLite and PostgreSQL: each constraint has a case."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from stazhirovka.models import (
    Base,
    Certificate,
    CertificateKind,
    Internship,
    JournalEntry,
    Person,
    Product,
    RouteStep,
    Score,
    Sex,
    StepKind,
    StepStatus,
    User,
)
from stazhirovka.services.certificates import CertificateService
from stazhirovka.services.internships import RouteService

from . import factories as f


def refused(session, obj=None, stmt=None):
    """The flush (or statement) fails inside a savepoint; the session stays usable."""
    with pytest.raises((IntegrityError, DBAPIError)), session.begin_nested():
        if obj is not None:
            session.add(obj)
            session.flush()
        else:
            session.execute(stmt)


def test_constraint_names_follow_the_convention(database):
    insp = inspect(database.engine)
    fks = insp.get_foreign_keys("internship")
    assert {fk["name"] for fk in fks} >= {
        "fk_internship_person_id_person",
        "fk_internship_program_id_program",
    }
    uniques = {u["name"] for u in insp.get_unique_constraints("certificate")}
    assert "uq_certificate_number" in uniques


def test_deleting_a_person_with_a_certificate_is_refused_by_the_database(session):
    intern = f.completed_internship(session)
    CertificateService().issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=intern.person_id,
        internship_id=intern.id,
    )
    session.flush()
    refused(session, stmt=text(f"DELETE FROM person WHERE id = {intern.person_id}"))


def test_certificate_numbers_are_unique(session):
    intern = f.completed_internship(session)
    cert = CertificateService().issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=intern.person_id,
        internship_id=intern.id,
    )
    clone = Certificate(
        kind=cert.kind,
        person_id=cert.person_id,
        internship_id=cert.internship_id,
        prefix="СП",
        year=cert.year,
        seq=cert.seq + 1,
        number=cert.number,
        issued_on=cert.issued_on,
        holder_name="x",
        verification_code="other",
    )
    refused(session, clone)


def test_certificate_basis_must_match_its_kind(session):
    p = f.person(session)
    refused(
        session,
        Certificate(
            kind=CertificateKind.INTERNSHIP,
            person_id=p.id,
            prefix="СП",
            year=2026,
            seq=1,
            number="СП-2026-0001",
            issued_on=date(2026, 1, 1),
            holder_name="x",
            verification_code="c1",
        ),
    )


def test_logins_are_unique(session):
    session.add(User(login="metod", password_hash="x", role="methodologist"))
    session.flush()
    refused(session, User(login="metod", password_hash="y", role="admin"))


def test_role_must_be_known(session):
    refused(
        session,
        stmt=text(
            "INSERT INTO app_user (login, password_hash, role, active, version, created_at, updated_at) "
            "VALUES ('x', 'h', 'superuser', true, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
    )


def test_internship_dates_in_order(session):
    intern = f.internship(session)
    refused(
        session,
        stmt=text(f"UPDATE internship SET planned_end = '2020-01-01' WHERE id = {intern.id}"),
    )
    refused(
        session,
        stmt=text(f"UPDATE internship SET actual_end = '2020-01-01' WHERE id = {intern.id}"),
    )


def test_completed_internship_needs_an_end_and_withdrawn_a_reason(session):
    intern = f.internship(session)
    refused(
        session, stmt=text(f"UPDATE internship SET status = 'completed' WHERE id = {intern.id}")
    )
    refused(
        session, stmt=text(f"UPDATE internship SET status = 'withdrawn' WHERE id = {intern.id}")
    )


@pytest.mark.parametrize(
    "table, column",
    [
        ("internship", "hours_done"),
        ("journal_entry", "hours"),
        ("route_step", "hours"),
        ("program_module", "hours_theory"),
        ("program_module", "hours_practice"),
        ("event", "hours"),
    ],
)
def test_hours_are_never_negative(session, table, column):
    intern = f.internship(session)
    route = RouteService().create(session, {"internship_id": intern.id})
    session.add(
        RouteStep(route_id=route.id, position=1, kind=StepKind.SELF_STUDY, title="Чтение", hours=2)
    )
    session.add(
        JournalEntry(
            internship_id=intern.id,
            entry_date=date(2025, 9, 2),
            activity="консультация",
            topic="т",
            hours=1,
        )
    )
    f.event(session)
    session.flush()
    refused(session, stmt=text(f"UPDATE {table} SET {column} = -1"))


def test_done_step_needs_a_date(session):
    intern = f.internship(session)
    route = RouteService().create(session, {"internship_id": intern.id})
    refused(
        session,
        RouteStep(
            route_id=route.id,
            position=1,
            kind=StepKind.SELF_STUDY,
            title="Чтение",
            status=StepStatus.DONE,
        ),
    )


def test_score_must_be_inside_its_instrument_scale(session):
    from stazhirovka.models import Assessment, Stage

    p = f.person(session)
    instrument = f.default_instrument(session)
    assessment = Assessment(
        person_id=p.id, instrument_id=instrument.id, assessed_on=date(2025, 9, 1), stage=Stage.ENTRY
    )
    session.add(assessment)
    session.flush()
    indicator = instrument.indicators[0]
    session.add(
        Score(assessment_id=assessment.id, indicator_id=indicator.id, value=instrument.scale_max)
    )
    session.flush()
    refused(
        session,
        Score(
            assessment_id=assessment.id,
            indicator_id=instrument.indicators[1].id,
            value=instrument.scale_max + 1,
        ),
    )
    refused(
        session, stmt=text(f"UPDATE score SET value = -1 WHERE assessment_id = {assessment.id}")
    )


def test_snils_is_unique_and_sex_is_known(session):
    f.person(session, snils="112-233-445 95")
    refused(
        session,
        Person(surname="Другая", name="Анна", patronymic="", sex=Sex.FEMALE, snils="11223344595"),
    )
    refused(session, stmt=text("UPDATE person SET sex = 'X'"))


def test_product_year_in_range(session):
    refused(session, Product(title="Сборник", kind="сборник", year=1812))


def test_program_modules_go_with_their_program_but_internships_hold_it(session):
    intern = f.internship(session)
    refused(session, stmt=text(f"DELETE FROM program WHERE id = {intern.program_id}"))
    lonely = f.program(
        session, f.platform(session, f.org(session, "МБОУ СОШ № 9")), title="Другая программа"
    )
    module_ids = [m.id for m in lonely.modules]
    session.execute(text(f"DELETE FROM program WHERE id = {lonely.id}"))
    assert not session.scalars(
        select(Internship.id).where(Internship.program_id == lonely.id)
    ).all()
    assert (
        session.execute(
            text(
                f"SELECT count(*) FROM program_module WHERE id IN ({module_ids[0]}, {module_ids[1]})"
            )
        ).scalar()
        == 0
    )


def test_every_table_has_a_primary_key_and_editable_ones_a_version():
    for table in Base.metadata.sorted_tables:
        assert table.primary_key.columns, table.name
    for name in (
        "person",
        "organization",
        "internship",
        "route_step",
        "journal_entry",
        "certificate",
        "event",
        "program",
    ):
        assert "version" in Base.metadata.tables[name].c
        assert "created_at" in Base.metadata.tables[name].c
