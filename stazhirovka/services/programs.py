"""Modular programs and their modules; a program's hours are the sum of its modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Problem
from ..models import Competency, Platform, Program, ProgramModule
from .access import DISTRICT
from .crud import EntityService, next_position, records_by_ids
from .validation import Field

MODULE_FORMS = (
    "лекция",
    "практикум",
    "мастер-класс",
    "педагогическая мастерская",
    "деловая игра",
    "открытый урок",
    "семинар",
    "консультация",
)


def program_hours_expr() -> Any:
    """A correlated SQL expression: total hours of a program (for registries and reports)."""
    return (
        select(
            func.coalesce(func.sum(ProgramModule.hours_theory + ProgramModule.hours_practice), 0)
        )
        .where(ProgramModule.program_id == Program.id)
        .correlate(Program)
        .scalar_subquery()
    )


def program_hours(session: Session, program_id: int) -> int:
    return int(
        session.scalar(
            select(
                func.coalesce(
                    func.sum(ProgramModule.hours_theory + ProgramModule.hours_practice), 0
                )
            ).where(ProgramModule.program_id == program_id)
        )
        or 0
    )


class ProgramService(EntityService[Program]):
    access = DISTRICT
    model = Program
    title = "программа"
    title_accusative = "программу"
    fields = (
        Field("platform_id", "Площадка", kind="ref", required=True, ref=Platform),
        Field("title", "Название", required=True, max_len=500),
        Field("audience", "Категория слушателей", max_len=500),
        Field("duration_months", "Срок освоения, мес.", kind="int", min=1, max=60),
        Field("approved_on", "Дата утверждения", kind="date"),
        Field("approval_order", "Приказ об утверждении", max_len=100),
        Field("goals", "Цели и задачи", kind="text"),
        Field("expected_results", "Планируемые результаты", kind="text"),
    )

    def describe(self, obj: Program) -> str:
        return obj.title

    def set_competencies(
        self, session: Session, program_id: int, competency_ids: list[int]
    ) -> None:
        program = self.get_for_change(session, program_id)
        program.competencies = records_by_ids(
            session, Competency, competency_ids, "competencies", "Направления"
        )
        session.flush()


class ModuleService(EntityService[ProgramModule]):
    access = DISTRICT
    model = ProgramModule
    title = "модуль"
    title_accusative = "модуль"
    fields = (
        Field("program_id", "Программа", kind="ref", required=True, ref=Program),
        Field("position", "Номер модуля", kind="int", min=1, max=1000),
        Field("title", "Название модуля", required=True, max_len=500),
        Field("hours_theory", "Часы теории", kind="int", min=0, max=1000, default=0),
        Field("hours_practice", "Часы практики", kind="int", min=0, max=1000, default=0),
        Field("form", "Форма проведения", max_len=100),
        Field("content", "Содержание", kind="text"),
        Field("expected_result", "Планируемый результат", kind="text"),
        Field("assessment", "Форма контроля", kind="text"),
    )

    def prepare(self, session: Session, values: dict[str, Any], obj: ProgramModule | None) -> None:
        if values.get("position") is None and values.get("program_id"):
            values["position"] = next_position(
                session, ProgramModule.position, ProgramModule.program_id == values["program_id"]
            )

    def check(
        self, session: Session, values: dict[str, Any], obj: ProgramModule | None
    ) -> list[Problem]:
        problems = []
        if (values["hours_theory"] or 0) + (values["hours_practice"] or 0) <= 0:
            problems.append(
                Problem(
                    "hours_theory", "Часы теории", "у модуля должны быть часы теории или практики"
                )
            )
        other = self.other_with(
            session,
            obj,
            ProgramModule.program_id == values["program_id"],
            ProgramModule.position == values["position"],
        )
        if other is not None:
            problems.append(Problem("position", "Номер модуля", "модуль с таким номером уже есть"))
        return problems

    def move(self, session: Session, module_id: int, new_position: int) -> None:
        """Put a module at ``new_position`` (1-based), shifting the others."""
        module = self.get_for_change(session, module_id)
        renumber(session, module.program.modules, module, new_position)


def renumber(session: Session, items: list[Any], moved: Any, new_position: int) -> None:
    """Reorder an ordered child list in two passes, so the unique (parent, position) never clashes."""
    order = [i for i in items if i is not moved]
    new_position = max(1, min(new_position, len(order) + 1))
    order.insert(new_position - 1, moved)
    offset = len(order) + 1000
    for item in order:
        item.position += offset
    session.flush()
    for index, item in enumerate(order, 1):
        item.position = index
    session.flush()


def close_gaps(session: Session, items: list[Any]) -> None:
    """Number an ordered child list 1, 2, 3… again (after a deletion left a gap)."""
    if items and [i.position for i in items] != list(range(1, len(items) + 1)):
        renumber(session, items, items[0], 1)
