"""Internships with their allowed status moves, routes (ИОМ) with steps, and growth journals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ..errors import Problem, ValidationError
from ..models import (
    Event,
    Internship,
    InternshipStatus,
    JournalEntry,
    Person,
    Program,
    ProgramModule,
    Route,
    RouteStep,
    StepKind,
    StepStatus,
    TeacherMaster,
)
from . import labels
from .access import DISTRICT, platform_work
from .crud import EntityService, next_position, records_by_ids
from .programs import program_hours, renumber
from .validation import Field

S = InternshipStatus
# The only status moves a methodologist can make; anything else is refused with a reason.
ALLOWED_MOVES: dict[InternshipStatus, frozenset[InternshipStatus]] = {
    S.PLANNED: frozenset({S.ACTIVE, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.COMPLETED, S.WITHDRAWN}),
    S.COMPLETED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


def can_move(current: InternshipStatus, new: InternshipStatus) -> bool:
    return new == current or new in ALLOWED_MOVES[current]


class InternshipService(EntityService[Internship]):
    access = DISTRICT
    model = Internship
    title = "стажировка"
    title_accusative = "стажировку"
    fields = (
        Field("person_id", "Стажёр", kind="ref", required=True, ref=Person),
        Field("program_id", "Программа", kind="ref", required=True, ref=Program),
        Field("mentor_id", "Педагог-мастер", kind="ref", ref=TeacherMaster),
        Field("cohort", "Группа (поток)", max_len=100),
        Field("start_date", "Дата начала", kind="date", required=True),
        Field("planned_end", "Плановая дата окончания", kind="date"),
        Field(
            "status",
            "Статус",
            kind="enum",
            enum=InternshipStatus,
            enum_labels=labels.INTERNSHIP_STATUS,
            default=S.PLANNED,
        ),
        Field("withdraw_reason", "Причина прекращения", max_len=500),
        Field("actual_end", "Фактическая дата окончания", kind="date"),
        Field("hours_done", "Часов пройдено", kind="float", min=0, max=10000, default=0),
    )

    def prepare(self, session: Session, values: dict[str, Any], obj: Internship | None) -> None:
        if (
            values["status"] == S.COMPLETED
            and not values["hours_done"]
            and values.get("program_id")
        ):
            values["hours_done"] = program_hours(session, values["program_id"])

    def check(
        self, session: Session, values: dict[str, Any], obj: Internship | None
    ) -> list[Problem]:
        problems = []
        status = values["status"]
        if obj is not None and not can_move(obj.status, status):
            allowed = ", ".join(
                labels.INTERNSHIP_STATUS[s] for s in sorted(ALLOWED_MOVES[obj.status])
            )
            problems.append(
                Problem(
                    "status",
                    "Статус",
                    f"из состояния «{labels.INTERNSHIP_STATUS[obj.status]}» нельзя перейти в "
                    f"«{labels.INTERNSHIP_STATUS[status]}»"
                    + (f"; возможно: {allowed}" if allowed else "; стажировка закрыта"),
                )
            )
        elif obj is None and status not in (S.PLANNED, S.ACTIVE):
            problems.append(
                Problem(
                    "status",
                    "Статус",
                    "новая стажировка может быть только запланированной или идущей",
                )
            )
        start = values.get("start_date")
        for key, label in (
            ("planned_end", "Плановая дата окончания"),
            ("actual_end", "Фактическая дата окончания"),
        ):
            if start and values.get(key) and values[key] < start:
                problems.append(Problem(key, label, "раньше даты начала"))
        if status == S.COMPLETED and not values.get("actual_end"):
            problems.append(
                Problem(
                    "actual_end", "Фактическая дата окончания", "нужна для завершённой стажировки"
                )
            )
        if status == S.WITHDRAWN and not values.get("withdraw_reason"):
            problems.append(
                Problem(
                    "withdraw_reason",
                    "Причина прекращения",
                    "укажите, почему стажировка прекращена",
                )
            )
        mentor_id, program_id = values.get("mentor_id"), values.get("program_id")
        if mentor_id and program_id:
            mentor = session.get(TeacherMaster, mentor_id)
            program = session.get(Program, program_id)
            if mentor and program and mentor.platform_id != program.platform_id:
                problems.append(
                    Problem("mentor_id", "Педагог-мастер", "не работает на площадке этой программы")
                )
            if mentor and mentor.person_id == values.get("person_id"):
                problems.append(
                    Problem("mentor_id", "Педагог-мастер", "стажёр не может быть своим наставником")
                )
        if values.get("person_id") and program_id and status in (S.PLANNED, S.ACTIVE):
            other = self.other_with(
                session,
                obj,
                Internship.person_id == values["person_id"],
                Internship.program_id == program_id,
                Internship.status.in_([S.PLANNED, S.ACTIVE]),
            )
            if other is not None:
                problems.append(
                    Problem(
                        "program_id",
                        "Программа",
                        f"педагог уже проходит эту программу (стажировка № {other})",
                    )
                )
        return problems

    def describe(self, obj: Internship) -> str:
        return f"{obj.person.short_name}, {obj.program.title}" if obj.person else f"№ {obj.id}"

    def move(
        self,
        session: Session,
        internship_id: int,
        status: InternshipStatus,
        *,
        on: date | None = None,
        reason: str = "",
        actor: str = "",
    ) -> Internship:
        """Change the status the way the window's buttons do, filling the dates it implies."""
        data: dict[str, Any] = {"status": status}
        if status == S.COMPLETED:
            data["actual_end"] = on or date.today()
        elif status == S.WITHDRAWN:
            data["actual_end"] = on or date.today()
            data["withdraw_reason"] = reason
        elif status == S.ACTIVE and on:
            data["start_date"] = on
        return self.update(session, internship_id, data, actor=actor)


class RouteService(EntityService[Route]):
    access = DISTRICT
    model = Route
    title = "маршрут"
    title_accusative = "маршрут"
    fields = (
        Field("internship_id", "Стажировка", kind="ref", ref=Internship),
        Field("person_id", "Педагог", kind="ref", ref=Person),
        Field("is_group", "Групповой маршрут", kind="bool", default=False),
        Field("title", "Название", max_len=500),
        Field("deficits", "Выявленные дефициты", kind="text"),
        Field("goal", "Цель", kind="text"),
        Field("tasks", "Задачи", kind="text"),
        Field("approved_on", "Дата утверждения", kind="date"),
    )

    def prepare(self, session: Session, values: dict[str, Any], obj: Route | None) -> None:
        if values.get("internship_id") and not values.get("person_id"):
            internship = session.get(Internship, values["internship_id"])
            if internship is not None:
                values["person_id"] = internship.person_id

    def check(self, session: Session, values: dict[str, Any], obj: Route | None) -> list[Problem]:
        problems = []
        if (
            not values.get("internship_id")
            and not values.get("person_id")
            and not values.get("is_group")
        ):
            problems.append(
                Problem(
                    "person_id",
                    "Педагог",
                    "маршрут должен принадлежать стажировке, педагогу или группе",
                )
            )
        if values.get("internship_id"):
            other = self.other_with(session, obj, Route.internship_id == values["internship_id"])
            if other is not None:
                problems.append(
                    Problem("internship_id", "Стажировка", "у этой стажировки уже есть маршрут")
                )
        return problems

    def describe(self, obj: Route) -> str:
        return obj.title or f"№ {obj.id}"

    def set_members(self, session: Session, route_id: int, person_ids: list[int]) -> None:
        """The members of a group route (групповой маршрут), who share its steps."""
        route = self.get_for_change(session, route_id)
        if not route.is_group:
            raise ValidationError(
                [Problem("members", "Участники", "участники бывают только у группового маршрута")]
            )
        route.members = records_by_ids(session, Person, person_ids, "members", "Участники")
        session.flush()


class RouteStepService(EntityService[RouteStep]):
    access = platform_work("route_id")
    model = RouteStep
    title = "шаг маршрута"
    title_accusative = "шаг маршрута"
    fields = (
        Field("route_id", "Маршрут", kind="ref", required=True, ref=Route),
        Field("position", "Номер", kind="int", min=1, max=10000),
        Field(
            "kind", "Вид", kind="enum", required=True, enum=StepKind, enum_labels=labels.STEP_KIND
        ),
        Field("module_id", "Модуль программы", kind="ref", ref=ProgramModule),
        Field("event_id", "Мероприятие", kind="ref", ref=Event),
        Field("title", "Содержание", required=True, max_len=500),
        Field("deficit", "Дефицит", max_len=500),
        Field("planned_start", "Начало", kind="date"),
        Field("planned_end", "Окончание", kind="date"),
        Field("hours", "Часы", kind="float", min=0, max=1000, default=0),
        Field("expected_result", "Планируемый результат", kind="text"),
        Field("report_form", "Форма отчётности", max_len=255),
        Field(
            "status",
            "Отметка о выполнении",
            kind="enum",
            enum=StepStatus,
            enum_labels=labels.STEP_STATUS,
            default=StepStatus.PLANNED,
        ),
        Field("done_on", "Дата выполнения", kind="date"),
        Field("evidence", "Подтверждение", kind="text"),
        Field("mentor_mark", "Отметка наставника", max_len=255),
    )

    def prepare(self, session: Session, values: dict[str, Any], obj: RouteStep | None) -> None:
        if values.get("position") is None and values.get("route_id"):
            values["position"] = next_position(
                session, RouteStep.position, RouteStep.route_id == values["route_id"]
            )
        if values.get("module_id") and not values.get("title"):
            module = session.get(ProgramModule, values["module_id"])
            if module is not None:
                values["title"] = module.title
                values["hours"] = values["hours"] or module.hours

    def check(
        self, session: Session, values: dict[str, Any], obj: RouteStep | None
    ) -> list[Problem]:
        problems = []
        start, end = values.get("planned_start"), values.get("planned_end")
        if start and end and end < start:
            problems.append(Problem("planned_end", "Окончание", "раньше начала"))
        if values["status"] == StepStatus.DONE and not values.get("done_on"):
            problems.append(Problem("done_on", "Дата выполнения", "нужна для выполненного шага"))
        if values["kind"] == StepKind.MODULE and not values.get("module_id"):
            problems.append(Problem("module_id", "Модуль программы", "выберите модуль"))
        if values["kind"] == StepKind.EVENT and not values.get("event_id"):
            problems.append(Problem("event_id", "Мероприятие", "выберите мероприятие"))
        if values.get("module_id"):
            route = session.get(Route, values["route_id"]) if values.get("route_id") else None
            module = session.get(ProgramModule, values["module_id"])
            if (
                route
                and route.internship
                and module
                and module.program_id != route.internship.program_id
            ):
                problems.append(
                    Problem("module_id", "Модуль программы", "не из программы этой стажировки")
                )
        other = self.other_with(
            session,
            obj,
            RouteStep.route_id == values["route_id"],
            RouteStep.position == values["position"],
        )
        if other is not None:
            problems.append(Problem("position", "Номер", "шаг с таким номером уже есть"))
        return problems

    def describe(self, obj: RouteStep) -> str:
        return obj.title

    def mark_done(
        self, session: Session, step_id: int, on: date, evidence: str = "", actor: str = ""
    ) -> RouteStep:
        return self.update(
            session,
            step_id,
            {"status": StepStatus.DONE, "done_on": on, "evidence": evidence},
            actor=actor,
        )

    def move(self, session: Session, step_id: int, new_position: int) -> None:
        step = self.get_for_change(session, step_id)
        renumber(session, step.route.steps, step, new_position)


class JournalService(EntityService[JournalEntry]):
    access = platform_work("internship_id")
    model = JournalEntry
    title = "запись журнала"
    title_accusative = "запись журнала"
    fields = (
        Field("internship_id", "Стажировка", kind="ref", required=True, ref=Internship),
        Field("entry_date", "Дата", kind="date", required=True),
        Field("activity", "Вид деятельности", required=True, max_len=100),
        Field("topic", "Тема", required=True, max_len=500),
        Field("hours", "Часы", kind="float", min=0, max=24, default=0),
        Field("result", "Результат / продукт", kind="text"),
        Field("reflection", "Рефлексия стажёра", kind="text"),
        Field("mentor_comment", "Комментарий педагога-мастера", kind="text"),
        Field("route_step_id", "Шаг маршрута", kind="ref", ref=RouteStep),
    )

    def check(
        self, session: Session, values: dict[str, Any], obj: JournalEntry | None
    ) -> list[Problem]:
        problems = []
        internship = (
            session.get(Internship, values["internship_id"])
            if values.get("internship_id")
            else None
        )
        if internship and values.get("entry_date") and values["entry_date"] < internship.start_date:
            problems.append(Problem("entry_date", "Дата", "раньше начала стажировки"))
        if values.get("route_step_id"):
            step = session.get(RouteStep, values["route_step_id"])
            if step is None or step.route.internship_id != values["internship_id"]:
                problems.append(
                    Problem("route_step_id", "Шаг маршрута", "не из маршрута этой стажировки")
                )
        return problems

    def after_save(self, session: Session, obj: JournalEntry, created: bool) -> None:
        step = obj.route_step
        if step is not None and step.status != StepStatus.DONE:
            RouteStepService().mark_done(
                session, step.id, obj.entry_date, evidence=obj.result or obj.topic
            )

    def describe(self, obj: JournalEntry) -> str:
        return f"{obj.entry_date:%d.%m.%Y} {obj.topic}"


# -- derived values ------------------------------------------------------------------------


def step_display_status(step: RouteStep, on: date | None = None) -> str:
    """planned / done / dropped, or overdue: planned and past its planned end."""
    on = on or date.today()
    if step.status == StepStatus.PLANNED and step.planned_end and step.planned_end < on:
        return "overdue"
    return step.status.value


def overdue_condition(on: date) -> Any:
    return and_(RouteStep.status == StepStatus.PLANNED, RouteStep.planned_end < on)


@dataclass(frozen=True)
class RouteProgress:
    total: int  # steps not dropped
    done: int
    overdue: int
    hours_planned: float
    hours_done: float

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def route_progress(session: Session, route_id: int, on: date | None = None) -> RouteProgress:
    on = on or date.today()
    row = session.execute(
        select(
            func.count().filter(RouteStep.status != StepStatus.DROPPED),
            func.count().filter(RouteStep.status == StepStatus.DONE),
            func.count().filter(overdue_condition(on)),
            func.coalesce(
                func.sum(case((RouteStep.status != StepStatus.DROPPED, RouteStep.hours), else_=0)),
                0,
            ),
            func.coalesce(
                func.sum(case((RouteStep.status == StepStatus.DONE, RouteStep.hours), else_=0)), 0
            ),
        ).where(RouteStep.route_id == route_id)
    ).one()
    return RouteProgress(int(row[0]), int(row[1]), int(row[2]), float(row[3]), float(row[4]))


def journal_hours(session: Session, internship_id: int) -> float:
    return float(
        session.scalar(
            select(func.coalesce(func.sum(JournalEntry.hours), 0)).where(
                JournalEntry.internship_id == internship_id
            )
        )
        or 0
    )


def proposed_steps(session: Session, internship_id: int) -> list[dict[str, Any]]:
    """Steps a route could take: each program module not yet in the route, and a mentoring
    step for each deficit found by the latest entry diagnostics (DOCUMENTS.md §3.1)."""
    from .diagnostics import deficits_of_latest

    internship = session.get(Internship, internship_id)
    if internship is None:
        raise ValidationError([Problem("internship_id", "Стажировка", "не найдена")])
    route = session.scalar(select(Route).where(Route.internship_id == internship_id))
    taken_modules = {s.module_id for s in route.steps} if route else set()
    taken_deficits = {s.deficit for s in route.steps} if route else set()
    proposals: list[dict[str, Any]] = []
    for module in internship.program.modules:
        if module.id not in taken_modules:
            proposals.append(
                {
                    "kind": StepKind.MODULE,
                    "module_id": module.id,
                    "title": module.title,
                    "hours": module.hours,
                    "expected_result": module.expected_result,
                    "report_form": module.assessment,
                }
            )
    for deficit in deficits_of_latest(session, internship.person_id, internship_id):
        text = f"{deficit.code} {deficit.text}".strip()
        if text not in taken_deficits:
            proposals.append(
                {
                    "kind": StepKind.MENTORING,
                    "title": f"Консультация педагога-мастера: {deficit.text}",
                    "deficit": text,
                    "hours": 2,
                    "report_form": "конспект консультации, самоанализ",
                }
            )
    return proposals
