"""The plan-schedule (план-график) of a year: its events by month, planned against held.

The events of a year are those planned in its plan-schedule (``Event.plan_year``), and the
events dated that year outside it: unplanned ones (no plan year) and ones held this year
though planned in another. Each event carries its participants counted in the same query
(registered and attended), so the page costs one statement at any scale.

The summary counts what is shown (after the platform and level filters):

* **planned** — events of the year's plan;
* **held** — those of them marked held, with the share of the planned;
* **unplanned** — events of the year outside its plan (held or still to come);
* **participants** — attendances (participations marked attended) over all shown events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, case, extract, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..models import Event, EventForm, EventLevel, Organization, Participation, Person, Platform


@dataclass(frozen=True)
class PlanEvent:
    """One row of the plan-schedule."""

    id: int
    title: str
    starts_on: date
    ends_on: date | None
    form: str
    level: str
    platform: str  # the short name of the platform's organization, or ""
    venue: str  # the short name of the venue, or ""
    online: bool
    responsible: str  # «Иванова М.П.», or ""
    plan_year: int | None
    held: bool
    registered: int
    attended: int
    in_plan: bool  # planned in the plan-schedule of the year shown


@dataclass(frozen=True)
class PlanMonth:
    """The events of one calendar month, in date order."""

    year: int
    month: int
    events: list[PlanEvent]

    @property
    def planned(self) -> int:
        return sum(1 for e in self.events if e.in_plan)

    @property
    def held(self) -> int:
        return sum(1 for e in self.events if e.held)


@dataclass(frozen=True)
class PlanSummary:
    planned: int = 0
    held: int = 0  # held among the planned
    unplanned: int = 0
    held_unplanned: int = 0
    registered: int = 0
    participants: int = 0  # attendances

    @property
    def percent(self) -> int | None:
        """The share of the plan held, in whole percent; None for an empty plan."""
        return round(100 * self.held / self.planned) if self.planned else None


@dataclass(frozen=True)
class PlanSchedule:
    year: int
    months: list[PlanMonth] = field(default_factory=list)
    summary: PlanSummary = field(default_factory=PlanSummary)

    @property
    def events(self) -> list[PlanEvent]:
        return [e for m in self.months for e in m.events]


def year_condition(year: int) -> Any:
    """The events of a year's plan-schedule (see the module's docstring)."""
    in_year = and_(Event.starts_on >= date(year, 1, 1), Event.starts_on < date(year + 1, 1, 1))
    outside = or_(Event.plan_year.is_(None), Event.held.is_(True))
    return or_(Event.plan_year == year, and_(in_year, outside))


def plan_years(session: Session, today: date) -> list[int]:
    """Years to choose from, newest first: those with planned or dated events, the current
    year and the next one (planned in autumn)."""
    planned = session.scalars(
        select(Event.plan_year).where(Event.plan_year.is_not(None)).distinct()
    )
    dated = session.scalars(select(extract("year", Event.starts_on)).distinct())
    years = {int(y) for y in planned} | {int(y) for y in dated if y is not None}
    years |= {today.year, today.year + 1}
    return sorted(years, reverse=True)


def _short_name(surname: str | None, name: str | None, patronymic: str | None) -> str:
    if not surname:
        return ""
    initials = "".join(f"{p[0]}." for p in (name, patronymic) if p)
    return f"{surname} {initials}".strip()


def plan_schedule(
    session: Session,
    year: int,
    *,
    platform_id: int | None = None,
    level_id: int | None = None,
) -> PlanSchedule:
    """The year's events grouped by month with participant counts, in one query."""
    conditions = [year_condition(year)]
    if platform_id is not None:
        conditions.append(Event.platform_id == platform_id)
    if level_id is not None:
        conditions.append(Event.level_id == level_id)
    year_events = select(Event.id).where(*conditions)
    counts = (
        select(
            Participation.event_id.label("event_id"),
            func.count().label("registered"),
            func.sum(case((Participation.attended.is_(True), 1), else_=0)).label("attended"),
        )
        .where(Participation.event_id.in_(year_events))
        .group_by(Participation.event_id)
        .subquery()
    )
    form, level = aliased(EventForm), aliased(EventLevel)
    platform, platform_org = aliased(Platform), aliased(Organization)
    venue, responsible = aliased(Organization), aliased(Person)
    stmt = (
        select(
            Event.id,
            Event.title,
            Event.starts_on,
            Event.ends_on,
            form.name,
            level.name,
            platform_org.short_name,
            venue.short_name,
            Event.online,
            responsible.surname,
            responsible.name,
            responsible.patronymic,
            Event.plan_year,
            Event.held,
            func.coalesce(counts.c.registered, 0),
            func.coalesce(counts.c.attended, 0),
        )
        .join(form, form.id == Event.form_id)
        .join(level, level.id == Event.level_id)
        .outerjoin(platform, platform.id == Event.platform_id)
        .outerjoin(platform_org, platform_org.id == platform.organization_id)
        .outerjoin(venue, venue.id == Event.venue_id)
        .outerjoin(responsible, responsible.id == Event.responsible_id)
        .outerjoin(counts, counts.c.event_id == Event.id)
        .where(*conditions)
        .order_by(Event.starts_on, Event.search_key, Event.id)
    )
    months: dict[tuple[int, int], list[PlanEvent]] = {}
    planned = held = unplanned = held_unplanned = registered = attended = 0
    # Plain rows through Core: the ORM's per-row machinery would cost more than the query.
    for row in session.execute(stmt):
        in_plan = row[12] == year
        event = PlanEvent(
            id=row[0],
            title=row[1],
            starts_on=row[2],
            ends_on=row[3],
            form=row[4],
            level=row[5],
            platform=row[6] or "",
            venue=row[7] or "",
            online=bool(row[8]),
            responsible=_short_name(row[9], row[10], row[11]),
            plan_year=row[12],
            held=bool(row[13]),
            registered=int(row[14]),
            attended=int(row[15]),
            in_plan=in_plan,
        )
        months.setdefault((event.starts_on.year, event.starts_on.month), []).append(event)
        if in_plan:
            planned += 1
            held += event.held
        else:
            unplanned += 1
            held_unplanned += event.held
        registered += event.registered
        attended += event.attended
    return PlanSchedule(
        year=year,
        months=[PlanMonth(y, m, events) for (y, m), events in months.items()],
        summary=PlanSummary(planned, held, unplanned, held_unplanned, registered, attended),
    )
