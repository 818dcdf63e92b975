"""Two people, one record (issue 6): a stale save is refused and nothing is lost; desktops
issuing certificates at once get unique, consecutive numbers — on SQLite and a real PostgreSQL."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest
from sqlalchemy import select

from stazhirovka.db import open_database
from stazhirovka.errors import ConflictError
from stazhirovka.models import Certificate, Person
from stazhirovka.services.people import PersonService

from . import concurrency_worker
from . import factories as f

PROCESSES, EACH = 8, 25


def test_a_stale_save_is_refused_and_nothing_is_lost(new_url, backend) -> None:  # type: ignore[no-untyped-def]
    db = open_database(new_url(backend, migrated=True))
    try:
        with db.session() as s:
            person_id = f.person(s).id
        service = PersonService()
        # as the window does: the form reads the record, the save comes later in its own session
        with db.session() as form:
            shown_version = service.get(form, person_id).version
        with db.session() as other:  # another desktop saves meanwhile
            service.update(other, person_id, {"phone": "+7 900 111-11-11"}, expected_version=1)
        with (
            pytest.raises(ConflictError, match="уже изменил другой пользователь"),
            db.session() as save,
        ):
            service.update(save, person_id, {"subject": "физика"}, expected_version=shown_version)
        if backend == "postgresql":
            # an object held across the other's commit: the ORM's version check refuses its flush
            # (SQLite cannot even start writing from a snapshot older than a commit)
            with db.session() as first:
                mine = service.get(first, person_id)
                with db.session() as second:
                    service.update(second, person_id, {"subject": "химия"})
                mine.education = "высшее"
                with pytest.raises(ConflictError, match="изменил или удалил другой пользователь"):
                    service._flush(first)
                first.rollback()
        else:
            with db.session() as second:
                service.update(second, person_id, {"subject": "химия"})
        with db.session() as s:
            person = s.get(Person, person_id)
            assert (person.phone, person.subject, person.education) == (
                "+7 900 111-11-11",
                "химия",
                "",
            )
            assert person.version == 3
    finally:
        db.close()


@pytest.mark.slow
def test_eight_desktops_issue_200_certificates_at_once(new_url, backend) -> None:  # type: ignore[no-untyped-def]
    url = new_url(backend, migrated=True)
    db = open_database(url)
    try:
        with db.session() as s:
            event_id = f.event(s, held=True).id
            people = [f.person(s, "Участникова", "Анна", "Петровна").id
                      for _ in range(PROCESSES * EACH)]  # fmt: skip
    finally:
        db.close()
    chunks = [people[i::PROCESSES] for i in range(PROCESSES)]
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        results = pool.starmap(concurrency_worker.issue_for, [(url, event_id, c) for c in chunks])
    issued = [n for numbers in results for n in numbers]
    assert len(issued) == len(set(issued)) == PROCESSES * EACH
    db = open_database(url)
    try:
        with db.session() as s:
            seqs = sorted(s.scalars(select(Certificate.seq)))
            assert seqs == list(range(1, PROCESSES * EACH + 1))  # no gap, no repeat
            assert s.scalar(select(Certificate.year).limit(1)) == date(2026, 11, 20).year
    finally:
        db.close()


def test_sqlite_busy_is_told_in_russian_and_writes_nothing(new_url) -> None:  # type: ignore[no-untyped-def]
    from stazhirovka.errors import DatabaseError

    db = open_database(new_url("sqlite", migrated=True))
    try:
        with db.session() as s:
            person_id = f.person(s).id
        service = PersonService()
        with pytest.raises(DatabaseError, match="База данных занята"), db.session() as late:
            service.get(late, person_id)  # this unit read first…
            with db.session() as other:  # …another desktop committed…
                service.update(other, person_id, {"subject": "химия"})
            service.update(late, person_id, {"phone": "+7 900 000-00-00"})  # …then it writes
        # declared as a writing unit, the same sequence waits for the lock and succeeds
        with db.session(write=True) as unit:
            service.update(unit, person_id, {"phone": "+7 900 000-00-00"})
        with db.session() as s:
            person = s.get(Person, person_id)
            assert (person.subject, person.phone) == ("химия", "+7 900 000-00-00")
    finally:
        db.close()


@pytest.mark.postgres
def test_a_lost_server_connection_is_told_and_the_next_try_reconnects(new_url) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from stazhirovka.errors import DatabaseError

    db = open_database(new_url("postgresql", migrated=True))
    try:
        with db.session() as s:
            person_id = f.person(s).id
        with (
            pytest.raises(DatabaseError, match="Связь с сервером базы данных прервалась"),
            db.session() as s,
        ):
            pid = s.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with db.engine.connect() as admin:  # the network drops this desktop's connection
                admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            PersonService().update(s, person_id, {"subject": "физика"})
        with db.session() as s:  # the next try gets a new connection
            assert s.get(Person, person_id).subject == ""
            PersonService().update(s, person_id, {"subject": "физика"})
    finally:
        db.close()
