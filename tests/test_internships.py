"""Internships: status moves, mentors, routes with progress and overdue steps, journals."""

from __future__ import annotations

from datetime import date

import pytest

from stazhirovka.errors import ValidationError
from stazhirovka.models import InternshipStatus, StepKind, StepStatus
from stazhirovka.services.internships import (
    InternshipService,
    JournalService,
    RouteService,
    RouteStepService,
    journal_hours,
    proposed_steps,
    route_progress,
    step_display_status,
)
from stazhirovka.services.programs import ModuleService, program_hours

from . import factories as f

S = InternshipStatus


def test_program_hours_are_the_sum_of_its_modules(session):
    prog = f.program(session, hours=((4, 8), (2, 10), (0, 12)))
    assert program_hours(session, prog.id) == 36
    assert prog.total_hours == 36


def test_a_module_needs_hours_and_a_free_position(session):
    prog = f.program(session)
    with pytest.raises(ValidationError) as err:
        ModuleService().create(session, {"program_id": prog.id, "title": "Пустой", "position": 1})
    assert err.value.for_field("hours_theory") == ["у модуля должны быть часы теории или практики"]
    assert err.value.for_field("position") == ["модуль с таким номером уже есть"]


def test_modules_reorder_without_clashing(session):
    prog = f.program(session, hours=((1, 1), (2, 2), (3, 3)))
    last = prog.modules[-1]
    ModuleService().move(session, last.id, 1)
    session.refresh(prog)
    assert [m.hours for m in prog.modules] == [6, 2, 4]
    assert [m.position for m in prog.modules] == [1, 2, 3]


@pytest.mark.parametrize(
    "path, allowed",
    [
        ([S.ACTIVE, S.COMPLETED], True),
        ([S.WITHDRAWN], True),
        ([S.ACTIVE, S.WITHDRAWN], True),
        ([S.COMPLETED], False),  # planned → completed skips the internship itself
        ([S.ACTIVE, S.COMPLETED, S.ACTIVE], False),  # a completed internship stays closed
        ([S.WITHDRAWN, S.ACTIVE], False),
    ],
)
def test_only_allowed_status_moves(session, path, allowed):
    intern = f.internship(session)
    service = InternshipService()
    try:
        for status in path:
            service.move(session, intern.id, status, on=date(2026, 5, 30), reason="переезд")
    except ValidationError as err:
        assert not allowed
        assert "нельзя перейти" in err.for_field("status")[0]
    else:
        assert allowed


def test_completing_fills_the_end_and_the_program_hours(session):
    intern = f.internship(session)
    InternshipService().move(session, intern.id, S.ACTIVE)
    done = InternshipService().move(session, intern.id, S.COMPLETED, on=date(2026, 5, 30))
    assert done.actual_end == date(2026, 5, 30)
    assert done.hours_done == 24


def test_withdrawal_needs_a_reason(session):
    intern = f.internship(session)
    with pytest.raises(ValidationError) as err:
        InternshipService().move(session, intern.id, S.WITHDRAWN, reason="")
    assert err.value.for_field("withdraw_reason") == ["укажите, почему стажировка прекращена"]


def test_mentor_must_work_on_the_programs_platform(session):
    prog = f.program(session)
    other_platform = f.platform(session, f.org(session, "МБОУ СОШ № 13"))
    stranger = f.master(session, other_platform)
    with pytest.raises(ValidationError) as err:
        f.internship(session, prog, mentor=stranger)
    assert err.value.for_field("mentor_id") == ["не работает на площадке этой программы"]


def test_mentor_is_not_their_own_intern(session):
    prog = f.program(session)
    mentor = f.master(session, prog.platform)
    with pytest.raises(ValidationError) as err:
        f.internship(session, prog, intern=mentor.person, mentor=mentor)
    assert err.value.for_field("mentor_id") == ["стажёр не может быть своим наставником"]


def test_dates_in_order_and_one_open_internship_per_program(session):
    intern = f.internship(session)
    with pytest.raises(ValidationError) as err:
        InternshipService().update(session, intern.id, {"planned_end": "01.01.2025"})
    assert err.value.for_field("planned_end") == ["раньше даты начала"]
    with pytest.raises(ValidationError) as err:
        f.internship(session, intern.program, intern=intern.person, mentor=intern.mentor)
    assert "уже проходит эту программу" in err.value.for_field("program_id")[0]


def test_route_steps_progress_and_overdue(session):
    intern = f.internship(session)
    route = RouteService().create(
        session, {"internship_id": intern.id, "goal": "Освоить формирующее оценивание"}
    )
    steps = RouteStepService()
    module = intern.program.modules[0]
    a = steps.create(
        session,
        {
            "route_id": route.id,
            "kind": "module",
            "module_id": module.id,
            "planned_end": "01.10.2025",
        },
    )
    b = steps.create(
        session,
        {
            "route_id": route.id,
            "kind": "open_lesson",
            "title": "Открытый урок",
            "hours": 2,
            "planned_end": "01.12.2025",
        },
    )
    c = steps.create(
        session,
        {
            "route_id": route.id,
            "kind": "self_study",
            "title": "Литература",
            "hours": 4,
            "status": "dropped",
        },
    )
    assert (a.position, b.position, c.position) == (1, 2, 3)
    assert a.title == module.title and a.hours == module.hours
    steps.mark_done(session, a.id, date(2025, 9, 30), evidence="технологическая карта")
    progress = route_progress(session, route.id, on=date(2025, 12, 15))
    assert (progress.total, progress.done, progress.overdue, progress.percent) == (2, 1, 1, 50)
    assert step_display_status(b, on=date(2025, 12, 15)) == "overdue"
    assert step_display_status(b, on=date(2025, 11, 15)) == "planned"


def test_step_rules(session):
    intern = f.internship(session)
    route = RouteService().create(session, {"internship_id": intern.id})
    foreign_module = f.program(
        session, f.platform(session, f.org(session, "МБОУ СОШ № 2")), title="Чужая"
    ).modules[0]
    with pytest.raises(ValidationError) as err:
        RouteStepService().create(
            session,
            {
                "route_id": route.id,
                "kind": "module",
                "module_id": foreign_module.id,
                "title": "x",
                "planned_start": "10.10.2025",
                "planned_end": "01.10.2025",
                "status": "done",
            },
        )
    assert err.value.for_field("module_id") == ["не из программы этой стажировки"]
    assert err.value.for_field("planned_end") == ["раньше начала"]
    assert err.value.for_field("done_on") == ["нужна для выполненного шага"]
    with pytest.raises(ValidationError) as err:
        RouteStepService().create(
            session, {"route_id": route.id, "kind": "event", "title": "Семинар"}
        )
    assert err.value.for_field("event_id") == ["выберите мероприятие"]


def test_one_route_per_internship(session):
    intern = f.internship(session)
    RouteService().create(session, {"internship_id": intern.id})
    with pytest.raises(ValidationError) as err:
        RouteService().create(session, {"internship_id": intern.id})
    assert err.value.for_field("internship_id") == ["у этой стажировки уже есть маршрут"]


def test_a_journal_entry_marks_its_step_done(session):
    intern = f.internship(session)
    route = RouteService().create(session, {"internship_id": intern.id})
    step = RouteStepService().create(
        session, {"route_id": route.id, "kind": "open_lesson", "title": "Открытый урок"}
    )
    JournalService().create(
        session,
        {
            "internship_id": intern.id,
            "entry_date": "12.11.2025",
            "activity": "проведение урока",
            "topic": "Урок по дробям",
            "hours": "1,5",
            "result": "конспект урока",
            "route_step_id": step.id,
        },
    )
    session.refresh(step)
    assert (
        step.status == StepStatus.DONE
        and step.done_on == date(2025, 11, 12)
        and step.evidence == "конспект урока"
    )
    assert journal_hours(session, intern.id) == 1.5


def test_journal_entry_rules(session):
    intern = f.internship(session)
    other = f.internship(
        session,
        f.program(session, f.platform(session, f.org(session, "МБОУ СОШ № 4")), title="Другая"),
    )
    other_route = RouteService().create(session, {"internship_id": other.id})
    step = RouteStepService().create(
        session, {"route_id": other_route.id, "kind": "mentoring", "title": "Консультация"}
    )
    with pytest.raises(ValidationError) as err:
        JournalService().create(
            session,
            {
                "internship_id": intern.id,
                "entry_date": "01.01.2025",
                "activity": "консультация",
                "topic": "т",
                "hours": 30,
                "route_step_id": step.id,
            },
        )
    assert err.value.for_field("entry_date") == ["раньше начала стажировки"]
    assert err.value.for_field("hours") == ["не больше 24"]
    assert err.value.for_field("route_step_id") == ["не из маршрута этой стажировки"]


def test_proposed_steps_come_from_modules_and_entry_deficits(session):
    from stazhirovka.services.diagnostics import AssessmentService

    intern = f.internship(session)
    instrument = f.default_instrument(session)
    entry = AssessmentService().create(
        session,
        {
            "internship_id": intern.id,
            "instrument_id": instrument.id,
            "assessed_on": "02.09.2025",
            "stage": "entry",
        },
    )
    scores = {i.id: 2 for i in instrument.indicators}
    scores[instrument.indicators[0].id] = 0
    scores[instrument.indicators[5].id] = 1
    AssessmentService().set_scores(session, entry.id, scores)
    proposals = proposed_steps(session, intern.id)
    kinds = [p["kind"] for p in proposals]
    assert kinds.count(StepKind.MODULE) == 2
    assert kinds.count(StepKind.MENTORING) == 2
    assert instrument.indicators[0].text in proposals[2]["title"]


def test_the_internship_card_holds_everything(session):
    from stazhirovka.services.cards import internship_card

    intern = f.internship(session)
    route = RouteService().create(session, {"internship_id": intern.id})
    step = RouteStepService().create(
        session, {"route_id": route.id, "kind": "mentoring", "title": "Консультация"}
    )
    JournalService().create(
        session,
        {
            "internship_id": intern.id,
            "entry_date": "03.09.2025",
            "activity": "консультация",
            "topic": "План",
            "route_step_id": step.id,
        },
    )
    session.expire_all()
    card = internship_card(session, intern.id)
    assert card.internship.person.full_name == "Сидоров Илья Ильич"
    assert len(card.internship.program.modules) == 2
    assert card.internship.mentor.person.surname == "Петрова"
    assert [s.title for s in card.route.steps] == ["Консультация"]
    assert len(card.journal) == 1 and card.journal[0]["topic"] == "План" and card.progress.done == 1
    assert card.progress == route_progress(session, route.id)


def test_group_routes_have_members(session):
    a, b = (
        f.person(session, "Орлова", "Анна", "Викторовна"),
        f.person(session, "Белов", "Олег", "Олегович"),
    )
    group = RouteService().create(
        session, {"is_group": True, "title": "Молодые учителя математики"}
    )
    RouteService().set_members(session, group.id, [a.id, b.id])
    assert {p.surname for p in group.members} == {"Орлова", "Белов"}
    single = RouteService().create(session, {"person_id": a.id, "title": "Самообразование"})
    with pytest.raises(ValidationError):
        RouteService().set_members(session, single.id, [b.id])


def test_remaining_route_and_status_rules(session):
    intern = f.internship(session)
    with pytest.raises(ValidationError) as err:
        f.internship(
            session,
            f.program(session, f.platform(session, f.org(session, "МБОУ СОШ № 8")), title="Д"),
            status="completed",
        )
    assert err.value.for_field("status") == [
        "новая стажировка может быть только запланированной или идущей"
    ]
    with pytest.raises(ValidationError) as err:
        RouteService().create(session, {"title": "Ничей"})
    assert err.value.for_field("person_id") == [
        "маршрут должен принадлежать стажировке, педагогу или группе"
    ]
    route = RouteService().create(session, {"internship_id": intern.id})
    RouteStepService().create(
        session, {"route_id": route.id, "kind": "mentoring", "title": "Первый"}
    )
    with pytest.raises(ValidationError) as err:
        RouteStepService().create(
            session, {"route_id": route.id, "kind": "module", "title": "Модуль", "position": 1}
        )
    assert err.value.for_field("module_id") == ["выберите модуль"]
    assert err.value.for_field("position") == ["шаг с таким номером уже есть"]
