"""Everything the internship card shows, read in one session into plain values.

The card never touches ORM objects after the session closed (a lazy attribute of a detached
record would fail); :func:`load_card` copies what the tabs need — a handful of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Event, InternshipStatus, Stage, StepStatus
from ...services.cards import default_instrument_id, internship_card
from ...services.diagnostics import Growth, Sheet, effectiveness, instrument_sheet
from ...services.internships import RouteProgress, step_display_status
from ...services.people import experience_years, is_young


@dataclass(frozen=True)
class ModuleRow:
    id: int
    position: int
    title: str
    hours: int

    @property
    def label(self) -> str:
        return f"{self.position}. {self.title}"


@dataclass(frozen=True)
class StepRow:
    id: int
    position: int
    kind: str
    title: str
    deficit: str
    planned_start: date | None
    planned_end: date | None
    hours: float
    status: str  # planned / done / dropped
    shown_status: str  # … or overdue
    done_on: date | None
    evidence: str
    mentor_mark: str
    module_id: int | None
    event_id: int | None
    event_title: str


@dataclass(frozen=True)
class RouteInfo:
    id: int
    person_id: int | None
    is_group: bool
    title: str
    deficits: str
    goal: str
    tasks: str
    approved_on: date | None


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    stage: str
    assessed_on: date
    assessor: str
    instrument_id: int
    comment: str
    scores: dict[int, float]


@dataclass
class CardData:
    id: int
    version: int
    status: InternshipStatus
    person_id: int
    full_name: str
    short_name: str
    organization: str
    position: str
    category: str
    teaching_since: date | None
    experience: int | None
    young: bool
    program_id: int
    program_title: str
    platform: str
    mentor: str
    cohort: str
    start_date: date
    planned_end: date | None
    actual_end: date | None
    withdraw_reason: str
    hours_done: float
    modules: list[ModuleRow]
    route: RouteInfo | None
    steps: list[StepRow]
    progress: RouteProgress | None
    journal: list[dict[str, Any]]
    assessments: list[AssessmentRow]
    sheets: dict[int, Sheet]
    growth: list[Growth]
    default_instrument_id: int | None
    today: date
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def journal_hours(self) -> float:
        return float(sum(row["hours"] or 0 for row in self.journal))

    @property
    def live_steps(self) -> list[StepRow]:
        return [s for s in self.steps if s.status != StepStatus.DROPPED]

    def has_stage(self, stage: Stage) -> bool:
        return any(a.stage == stage for a in self.assessments)


def load_card(session: Session, internship_id: int, today: date) -> CardData:
    card = internship_card(session, internship_id, today)
    it = card.internship
    person = it.person
    program = it.program
    platform = program.platform
    route = card.route
    steps = list(route.steps) if route else []
    event_ids = {s.event_id for s in steps if s.event_id}
    events = (
        dict(session.execute(select(Event.id, Event.title).where(Event.id.in_(event_ids))).all())
        if event_ids
        else {}
    )
    sheets: dict[int, Sheet] = {}
    for instrument_id in {a.instrument_id for a in card.assessments}:
        sheet = instrument_sheet(session, instrument_id)
        if sheet is not None:
            sheets[instrument_id] = sheet
    return CardData(
        id=it.id,
        version=it.version,
        status=it.status,
        person_id=person.id,
        full_name=person.full_name,
        short_name=person.short_name,
        organization=person.organization.short_name if person.organization else "",
        position=person.position.name if person.position else "",
        category=person.category.name if person.category else "",
        teaching_since=person.teaching_since,
        experience=experience_years(person.teaching_since, today),
        young=is_young(person.teaching_since, today),
        program_id=program.id,
        program_title=program.title,
        platform=platform.organization.short_name if platform and platform.organization else "",
        mentor=it.mentor.person.full_name if it.mentor else "",
        cohort=it.cohort,
        start_date=it.start_date,
        planned_end=it.planned_end,
        actual_end=it.actual_end,
        withdraw_reason=it.withdraw_reason,
        hours_done=it.hours_done,
        modules=[ModuleRow(m.id, m.position, m.title, m.hours) for m in program.modules],
        route=RouteInfo(
            route.id,
            route.person_id,
            route.is_group,
            route.title,
            route.deficits,
            route.goal,
            route.tasks,
            route.approved_on,
        )
        if route
        else None,
        steps=[
            StepRow(
                s.id,
                s.position,
                s.kind.value,
                s.title,
                s.deficit,
                s.planned_start,
                s.planned_end,
                float(s.hours or 0),
                s.status.value,
                step_display_status(s, today),
                s.done_on,
                s.evidence,
                s.mentor_mark,
                s.module_id,
                s.event_id,
                events.get(s.event_id, "") if s.event_id else "",
            )
            for s in steps
        ],
        progress=card.progress,
        journal=card.journal,
        assessments=[
            AssessmentRow(
                a.id,
                a.stage.value,
                a.assessed_on,
                a.assessor.value,
                a.instrument_id,
                a.comment,
                dict(card.scores.get(a.id, {})),
            )
            for a in card.assessments
        ],
        sheets=sheets,
        growth=effectiveness(session, internship_id),
        default_instrument_id=default_instrument_id(session, internship_id),
        today=today,
    )
