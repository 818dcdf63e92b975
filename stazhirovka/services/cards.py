"""Everything one card of the window shows, loaded in a fixed, small number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..errors import NotFoundError
from ..models import Assessment, Internship, JournalEntry, Person, Program, Route, TeacherMaster
from .internships import RouteProgress, route_progress


@dataclass
class InternshipCard:
    internship: Internship
    route: Route | None
    journal: list[JournalEntry]
    assessments: list[Assessment]
    progress: RouteProgress | None


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
        )
    )
    if internship is None:
        raise NotFoundError(f"Стажировка № {internship_id} не найдена.")
    route = session.scalar(
        select(Route).where(Route.internship_id == internship_id).options(selectinload(Route.steps))
    )
    journal = list(
        session.scalars(
            select(JournalEntry)
            .where(JournalEntry.internship_id == internship_id)
            .order_by(JournalEntry.entry_date, JournalEntry.id)
        )
    )
    assessments = list(
        session.scalars(
            select(Assessment)
            .where(Assessment.internship_id == internship_id)
            .order_by(Assessment.assessed_on, Assessment.id)
            .options(selectinload(Assessment.scores))
        )
    )
    progress = route_progress(session, route.id, on) if route else None
    return InternshipCard(internship, route, journal, assessments, progress)
