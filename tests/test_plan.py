"""The plan-schedule of a year: which events belong to it, their months, the counts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from stazhirovka.models import EventLevel, ParticipantRole
from stazhirovka.services.events import ParticipationService
from stazhirovka.services.plan import plan_schedule, plan_years

from . import factories as f


def _participants(session, event, attended: int, absent: int) -> None:
    service = ParticipationService()
    surnames = ("Абрамова", "Белова", "Волкова", "Галкина", "Дроздова", "Ежова", "Жукова")
    for i in range(attended + absent):
        who = f.person(session, surnames[i], "Анна", "Ивановна")
        service.create(
            session,
            {
                "event_id": event.id,
                "person_id": who.id,
                "role": ParticipantRole.LISTENER,
                "attended": i < attended,
            },
        )


def _level(session, name: str) -> int:
    return session.scalar(select(EventLevel.id).where(EventLevel.name == name))


def test_the_year_holds_its_plan_and_what_was_held_outside_it(session) -> None:
    plat = f.platform(session)
    jan = f.event(
        session,
        "Семинар января",
        starts_on=date(2025, 1, 20),
        plan_year=2025,
        held=True,
        platform_id=plat.id,
    )
    mar1 = f.event(session, "Мастер-класс", starts_on=date(2025, 3, 3), plan_year=2025, held=True)
    mar2 = f.event(
        session,
        "Круглый стол",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 2),
        plan_year=2025,
    )
    unplanned = f.event(session, "Вне плана", starts_on=date(2025, 5, 5), held=True)
    # Planned in 2025, moved to January 2026: in the 2025 plan, dated 2026.
    moved = f.event(session, "Перенесённое", starts_on=date(2026, 1, 15), plan_year=2025)
    # Another year's plan, dated and not held this year: not here.
    f.event(session, "План 2024", starts_on=date(2024, 12, 10), plan_year=2024, held=True)
    f.event(session, "План 2026", starts_on=date(2025, 12, 30), plan_year=2026)
    _participants(session, jan, attended=3, absent=1)
    _participants(session, unplanned, attended=2, absent=0)

    plan = plan_schedule(session, 2025)

    assert [(m.year, m.month) for m in plan.months] == [(2025, 1), (2025, 3), (2025, 5), (2026, 1)]
    assert [e.id for e in plan.months[1].events] == [mar2.id, mar1.id]  # by date
    assert [e.id for e in plan.events] == [jan.id, mar2.id, mar1.id, unplanned.id, moved.id]
    first = plan.events[0]
    assert (first.registered, first.attended, first.in_plan, first.held) == (4, 3, True, True)
    assert first.platform == "МБОУ СОШ № 5"
    assert plan.months[1].planned == 2 and plan.months[1].held == 1
    s = plan.summary
    assert (s.planned, s.held, s.unplanned, s.held_unplanned) == (4, 2, 1, 1)
    assert (s.registered, s.participants, s.percent) == (6, 5, 50)
    assert not plan.events[3].in_plan


def test_filters_by_platform_and_level(session) -> None:
    plat = f.platform(session)
    regional = _level(session, "краевой")
    f.event(session, "На площадке", starts_on=date(2025, 2, 1), plan_year=2025, platform_id=plat.id)
    f.event(session, "Краевой", starts_on=date(2025, 2, 2), plan_year=2025, level_id=regional)
    f.event(session, "Прочее", starts_on=date(2025, 2, 3), plan_year=2025)

    assert [e.title for e in plan_schedule(session, 2025, platform_id=plat.id).events] == [
        "На площадке"
    ]
    assert [e.title for e in plan_schedule(session, 2025, level_id=regional).events] == ["Краевой"]
    assert plan_schedule(session, 2025, platform_id=plat.id, level_id=regional).events == []
    assert plan_schedule(session, 2025).summary.planned == 3


def test_an_empty_year(session) -> None:
    plan = plan_schedule(session, 2031)
    assert plan.months == [] and plan.summary.planned == 0 and plan.summary.percent is None


def test_years_to_choose_from(session) -> None:
    f.event(session, "Старое", starts_on=date(2019, 4, 1))
    f.event(session, "План", starts_on=date(2021, 4, 1), plan_year=2021)
    years = plan_years(session, date(2026, 11, 22))
    assert years == [2027, 2026, 2021, 2019]
    assert session.scalar(select(func.count()).select_from(EventLevel)) > 0


def test_one_statement_whatever_the_number_of_events(session) -> None:
    from sqlalchemy import event as sa_event

    for day in range(1, 29):
        ev = f.event(session, f"Семинар {day}", starts_on=date(2025, 2, day), plan_year=2025)
        if day % 7 == 0:
            _participants(session, ev, attended=1, absent=1)
    session.flush()  # pending audit entries are written now, not during the measured call
    engine = session.get_bind()
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        plan = plan_schedule(session, 2025)
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    assert len(plan.events) == 28
    assert len(statements) == 1
    assert plan.summary.registered == 8 and plan.summary.participants == 4
