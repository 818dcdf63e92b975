"""Everything one card of the window shows, loaded in a fixed, small number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..errors import NotFoundError
from ..models import (
    Assessment,
    Instrument,
    Internship,
    JournalEntry,
    Person,
    Program,
    Route,
    Score,
    StepStatus,
    TeacherMaster,
)
from .internships import RouteProgress

JOURNAL_COLUMNS = (
    JournalEntry.id,
    JournalEntry.entry_date,
    JournalEntry.activity,
    JournalEntry.topic,
    JournalEntry.hours,
    JournalEntry.result,
    JournalEntry.reflection,
    JournalEntry.mentor_comment,
    JournalEntry.route_step_id,
)


@dataclass
class InternshipCard:
    """The records are ORM objects where the card edits them in place; the journal and the
    scores, which the card lists, are plain rows (an entry opens in a form by its id)."""

    internship: Internship
    route: Route | None
    journal: list[dict[str, Any]]
    assessments: list[Assessment]
    scores: dict[int, dict[int, float]] = field(
        default_factory=dict
    )  # assessment → indicator → value
    progress: RouteProgress | None = None


def _progress(route: Route, on: date) -> RouteProgress:
    """Route progress from the loaded steps, by the same rules as ``route_progress``."""
    live = [s for s in route.steps if s.status != StepStatus.DROPPED]
    done = [s for s in live if s.status == StepStatus.DONE]
    overdue = [
        s for s in live if s.status == StepStatus.PLANNED and s.planned_end and s.planned_end < on
    ]
    return RouteProgress(
        len(live),
        len(done),
        len(overdue),
        float(sum(s.hours for s in live)),
        float(sum(s.hours for s in done)),
    )


def internship_card(session: Session, internship_id: int, on: date | None = None) -> InternshipCard:
    """The intern, program with modules, mentor, route with steps, journal and diagnostics."""
    internship = session.scalar(
        select(Internship)
        .where(Internship.id == internship_id)
        .options(
            joinedload(Internship.person).joinedload(Person.organization),
            joinedload(Internship.person).joinedload(Person.position),
            joinedload(Internship.person).joinedload(Person.category),
            joinedload(Internship.program).joinedload(Program.platform),
            joinedload(Internship.program).selectinload(Program.modules),
            joinedload(Internship.mentor).joinedload(TeacherMaster.person),
            joinedload(Internship.route).selectinload(Route.steps),
        )
    )
    if internship is None:
        raise NotFoundError(f"Стажировка № {internship_id} не найдена.")
    conn = session.connection()
    result = conn.execute(
        select(*JOURNAL_COLUMNS)
        .where(JournalEntry.internship_id == internship_id)
        .order_by(JournalEntry.entry_date, JournalEntry.id)
    )
    keys = list(result.keys())
    journal = [dict(zip(keys, row, strict=True)) for row in result]
    assessments = list(
        session.scalars(
            select(Assessment)
            .where(Assessment.internship_id == internship_id)
            .order_by(Assessment.assessed_on, Assessment.id)
        )
    )
    scores: dict[int, dict[int, float]] = defaultdict(dict)
    if assessments:
        rows = conn.execute(
            select(Score.assessment_id, Score.indicator_id, Score.value).where(
                Score.assessment_id.in_([a.id for a in assessments])
            )
        )
        for assessment_id, indicator_id, value in rows:
            scores[assessment_id][indicator_id] = value
    route = internship.route
    progress = _progress(route, on or date.today()) if route else None
    return InternshipCard(internship, route, journal, assessments, dict(scores), progress)


def default_instrument_id(session: Session, internship_id: int) -> int | None:
    """The instrument a new diagnostics of an internship starts with: the one its latest
    assessment used (entry and exit must be comparable), else the first of the bank."""
    used = session.scalar(
        select(Assessment.instrument_id)
        .where(Assessment.internship_id == internship_id)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(1)
    )
    if used is not None:
        return int(used)
    first = session.scalar(select(Instrument.id).order_by(Instrument.id).limit(1))
    return int(first) if first is not None else None
