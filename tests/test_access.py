"""Roles enforced in the services (DOMAIN.md §2): what a platform head, a coordinator and a
methodologist may see and change, whichever door they come through; logging in."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import stazhirovka.services as services_package
from stazhirovka.db import open_database
from stazhirovka.errors import NotFoundError, UserError, ValidationError
from stazhirovka.models import (
    AuditEntry,
    Event,
    Internship,
    JournalEntry,
    Person,
    Platform,
    Role,
    SigningKey,
    User,
)
from stazhirovka.services.access import AccessError, Principal, narrowing
from stazhirovka.services.crud import EntityService
from stazhirovka.services.internships import InternshipService, JournalService
from stazhirovka.services.people import PersonService
from stazhirovka.services.registry import RegistryQuery, iter_rows, registry_names
from stazhirovka.services.users import UserService

from . import factories as f


def _all_services() -> list[type[EntityService]]:
    for module in pkgutil.walk_packages(services_package.__path__, "stazhirovka.services."):
        importlib.import_module(module.name)
    found, todo = [], list(EntityService.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def test_every_service_states_who_may_change_its_records() -> None:
    """A new service without an ``access`` declaration fails here, not in production."""
    services = _all_services()
    assert len(services) >= 20
    missing = [s.__name__ for s in services if not hasattr(s, "access")]
    assert missing == []


def _two_platforms(s: Session) -> dict[str, int]:
    """Platform A and platform B, each with a master, a program, an intern with a journal
    entry, and an event with a participant."""
    out: dict[str, int] = {}
    for key, school, surname in (
        ("a", "МБОУ СОШ № 5", "Алексеева"),
        ("b", "МБОУ СОШ № 9", "Борисова"),
    ):
        plat = f.platform(s, f.org(s, school))
        prog = f.program(s, plat, title=f"Программа {key.upper()}")
        mentor = f.master(s, plat, f.person(s, f"Мастерова{key}", "Нина", "Петровна"))
        intern = f.person(s, surname, "Анна", "Игоревна")
        it = f.internship(s, prog, intern, mentor=mentor)
        InternshipService().move(s, it.id, "active")
        entry = JournalService().create(
            s, {"internship_id": it.id, "entry_date": date(2026, 10, 1), "hours": 2,
                "activity": "посещение урока", "topic": f"Урок {key}"},
        )  # fmt: skip
        ev = f.event(s, f"Семинар {key}", platform_id=plat.id, held=True)
        out |= {f"{key}_platform": plat.id, f"{key}_internship": it.id, f"{key}_intern": intern.id,
                f"{key}_entry": entry.id, f"{key}_event": ev.id}  # fmt: skip
    s.flush()
    s.expunge_all()  # what the owner loaded must not leak into the next principal's reads
    return out


def _as(s: Session, principal: Principal) -> None:
    s.flush()
    s.expunge_all()
    s.info["principal"] = principal


def test_platform_head_sees_only_own_platform_through_every_registry(session: Session) -> None:
    ids = _two_platforms(session)
    head = Principal("head", Role.PLATFORM_HEAD, frozenset({ids["a_platform"]}))
    _as(session, head)
    assert session.scalars(select(Platform.id)).all() == [ids["a_platform"]]
    assert session.scalars(select(Internship.id)).all() == [ids["a_internship"]]
    surnames = set(session.scalars(select(Person.surname)))
    assert "Алексеева" in surnames and "Борисова" not in surnames and "Мастероваb" not in surnames
    assert session.get(Internship, ids["b_internship"]) is None
    assert session.scalar(select(func.count()).select_from(JournalEntry)) == 1
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert session.scalars(select(SigningKey)).all() == []
    # every registry: no row of platform B's people, events or programs (organizations are
    # the shared catalogue)
    for name in registry_names():
        text = " ".join(
            str(v) for row in iter_rows(session, name, RegistryQuery()) for v in row.values()
        )
        for foreign in ("Борисова", "Мастероваb", "Семинар b", "Программа B"):
            assert foreign not in text, (name, foreign)


def test_platform_head_changes_only_own_records(session: Session) -> None:
    ids = _two_platforms(session)
    _as(session, Principal("head", Role.PLATFORM_HEAD, frozenset({ids["a_platform"]})))
    journal = JournalService()
    entry = {"entry_date": date(2026, 10, 2), "hours": 1, "activity": "консультация",
             "topic": "Консультация"}  # fmt: skip
    journal.create(session, entry | {"internship_id": ids["a_internship"]})
    with pytest.raises(ValidationError, match=r"Стажировка: запись № \d+ не найдена"):
        journal.create(session, entry | {"internship_id": ids["b_internship"]})
    with pytest.raises(NotFoundError):
        journal.update(session, ids["b_entry"], {"hours": 3})
    with pytest.raises(NotFoundError):
        journal.delete(session, ids["b_entry"])
    with pytest.raises(NotFoundError):
        InternshipService().get(session, ids["b_internship"])
    # district records: the methodologist's
    with pytest.raises(AccessError, match="не позволяет изменять записи раздела «стажировки»"):
        InternshipService().update(session, ids["a_internship"], {"cohort": "2026-1"})
    with pytest.raises(AccessError, match="добавлять записи в раздел «педагоги»"):
        PersonService().create(session, {"surname": "Новая", "name": "Вера", "sex": "F"})
    # an event without a platform is the district's
    with pytest.raises(AccessError, match="только для своей площадки"):
        f.event(session, "Районный семинар")
    f.event(session, "Семинар площадки", platform_id=ids["a_platform"])


def test_coordinator_reads_everything_and_changes_nothing(session: Session) -> None:
    ids = _two_platforms(session)
    _as(session, Principal("coord", Role.COORDINATOR))
    assert len(session.scalars(select(Platform.id)).all()) == 2
    assert session.scalars(select(SigningKey)).all() == []
    for attempt in (
        lambda: JournalService().update(session, ids["a_entry"], {"hours": 3}),
        lambda: PersonService().create(session, {"surname": "Новая", "name": "Вера", "sex": "F"}),
        lambda: f.event(session, "Семинар", platform_id=ids["a_platform"]),
        lambda: InternshipService().delete(session, ids["b_internship"]),
    ):
        with pytest.raises(AccessError, match="роль «координатор» не позволяет"):
            attempt()
    assert session.get(Event, ids["a_event"]).title == "Семинар a"


def test_only_an_administrator_manages_accounts(session: Session) -> None:
    _as(session, Principal("metod", Role.METHODOLOGIST))
    with pytest.raises(AccessError, match="учётные записи"):
        UserService().add(session, {"login": "new", "role": "coordinator"}, "пароль-длинный")
    _as(session, Principal("admin", Role.ADMIN))
    with pytest.raises(ValidationError, match="первая учётная запись — администратор"):
        UserService().add(session, {"login": "new", "role": "coordinator"}, "пароль-длинный")
    UserService().add(session, {"login": "admin", "role": "admin"}, "пароль-длинный")
    UserService().add(session, {"login": "new", "role": "coordinator"}, "пароль-длинный")
    UserService().add(session, {"login": "other", "role": "methodologist"}, "пароль-длинный")
    _as(session, Principal("new", Role.COORDINATOR))
    UserService().set_password(session, "new", "другой-пароль")  # one's own
    with pytest.raises(AccessError, match="учётные записи"):
        UserService().set_password(session, "other", "чужой-пароль")
    # the accounts (and their password hashes) are the administrator's to read
    for who in (Principal("new", Role.COORDINATOR), Principal("other", Role.METHODOLOGIST)):
        _as(session, who)
        assert session.scalars(select(User.login)).all() == [who.login]
        where = narrowing(session, User.__table__)
        assert session.execute(select(User.__table__.c.login).where(where)).scalars().all() == [
            who.login
        ]
    _as(session, Principal("admin", Role.ADMIN))
    assert len(session.scalars(select(User.login)).all()) == 3


def test_contacts_leave_unmasked_only_for_the_district() -> None:
    assert Principal("m", Role.METHODOLOGIST).sees_contacts
    assert Principal("a", Role.ADMIN).sees_contacts
    assert Principal().sees_contacts  # the owner of a file without accounts
    assert not Principal("c", Role.COORDINATOR).sees_contacts
    assert not Principal("h", Role.PLATFORM_HEAD, frozenset({1})).sees_contacts


def test_a_database_with_accounts_needs_a_login(new_url, backend) -> None:  # type: ignore[no-untyped-def]
    url = new_url(backend, migrated=True)
    db = open_database(url)
    try:
        assert not db.needs_login
        with db.session() as s:
            UserService().add(s, {"login": "admin", "role": "admin"}, "верный-пароль")
    finally:
        db.close()
    db = open_database(url)
    try:
        # a local file with one account opens as it; a shared server always asks
        assert db.needs_login == (backend != "sqlite")
        if backend == "sqlite":
            assert db.principal.login == "admin"
            with db.session() as s:
                UserService().add(s, {"login": "metod", "role": "methodologist"}, "пароль-два")
            db.close()
            db = open_database(url)
        assert db.needs_login
        with pytest.raises(AccessError, match="Войдите"), db.session() as s:
            s.scalars(select(Person)).all()
        with pytest.raises(UserError, match="Неверный логин или пароль"):
            db.login("admin", "не тот")
        with pytest.raises(UserError, match="Неверный логин или пароль"):
            db.login("nobody", "верный-пароль")
        who = db.login("admin", "верный-пароль")
        assert who.role == Role.ADMIN and not db.needs_login
        with db.session() as s:
            assert "admin" in s.scalars(select(User.login)).all()
        db.logout()  # and nothing is read again until someone logs in
        assert db.needs_login
        with pytest.raises(AccessError, match="Войдите"), db.session() as s:
            s.scalars(select(Person)).all()
    finally:
        db.close()


def test_repeated_wrong_passwords_slow_down_further_tries(new_url, backend) -> None:  # type: ignore[no-untyped-def]
    from stazhirovka.services.users import seconds_to_wait

    url = new_url(backend, migrated=True)
    db = open_database(url)
    try:
        with db.session() as s:
            UserService().add(s, {"login": "admin", "role": "admin"}, "верный-пароль")
        for _ in range(3):
            with pytest.raises(UserError, match="Неверный"):
                db.login("admin", "не тот")
        with db.session() as s:
            user = s.scalar(select(User))
            assert user.failed_logins == 3 and 1 <= seconds_to_wait(user) <= 2
        # even the right password waits now, and the message says how long
        with pytest.raises(UserError, match=r"Повторите через \d+ секунд"):
            db.login("admin", "верный-пароль")
        with db.session() as s:
            user = s.scalar(select(User))
            user.last_failed_at = user.last_failed_at.replace(year=2000)  # the wait is over
        db.login("admin", "верный-пароль")
        with db.session() as s:
            assert s.scalar(select(User)).failed_logins == 0
    finally:
        db.close()


def test_platform_head_cards_documents_and_reports_stay_in_scope(
    session: Session, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from stazhirovka.reports.documents import print_documents
    from stazhirovka.services.cards import internship_card
    from stazhirovka.services.monitoring import build_report

    ids = _two_platforms(session)
    _as(session, Principal("head", Role.PLATFORM_HEAD, frozenset({ids["a_platform"]})))
    assert internship_card(session, ids["a_internship"]).internship.person.surname == "Алексеева"
    with pytest.raises(UserError):
        internship_card(session, ids["b_internship"])
    # «all journals» prints only the platform's own
    out = print_documents(session, "journal", None, tmp_path / "журналы.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Алексеевой" in text or "Алексеева" in text
    assert "Борисов" not in text
    report = build_report(session, date(2025, 9, 1), date(2026, 12, 31))
    assert [pid for pid, _ in report.platforms] == [ids["a_platform"]]


def test_no_query_goes_past_the_narrowing() -> None:
    """Core statements on the session's connection skip the ORM's narrowing of a platform
    head's reads; only the registry layer (which adds it itself) and bulk writes may use them."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "stazhirovka"
    # signing.py reads the public halves of the keys, which are for anybody
    allowed = {"services/registry.py", "services/crud.py", "services/signing.py"}
    found = [
        str(path.relative_to(root))
        for folder in ("services", "reports")
        for path in (root / folder).rglob("*.py")
        if "connection().execute" in path.read_text(encoding="utf-8")
    ]
    assert sorted(set(found) - allowed) == []


def test_platform_head_home_page_shows_only_own_interns(session: Session) -> None:
    from stazhirovka.services import dashboard

    ids = _two_platforms(session)
    on = date(2027, 6, 30)  # both internships are due to end: both interns need attention
    assert "Борисова" in repr(dashboard.attention(session, on))
    _as(session, Principal("head", Role.PLATFORM_HEAD, frozenset({ids["a_platform"]})))
    text = repr(dashboard.attention(session, on))
    assert "Алексеева" in text and "Борисова" not in text
    dashboard.year_chart(session, 2026)
