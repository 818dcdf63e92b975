"""The home page's data: what needs attention today, and the year's enrolments by month.

Every group is one ``count(*)`` and one ``LIMIT``-ed query for its first items, so the page
costs the same handful of queries at district and at region scale. Each group also names the
registry filters that list exactly its records (:attr:`AttentionGroup.filters`), built from
the same conditions as below, so «Показать все» opens what the count counted.

The rules, by group:

* **Overdue route steps** — active internships whose route has a planned step with its
  planned end before ``on`` (:func:`~.internships.overdue_condition`). Most urgent: the oldest
  overdue step first, then the most overdue steps.
* **Ending this month** — active internships whose planned end falls in the calendar month
  of ``on``, or already passed while the internship is still active (it needs closing).
  Earliest planned end first.
* **Agreements to renew** — network agreements whose ``valid_until`` is within
  :data:`AGREEMENT_SOON_DAYS` days after ``on``, or passed at most
  :data:`AGREEMENT_EXPIRED_DAYS` days ago, unless the same partner has another agreement that
  runs longer (indefinitely, or to a later date): a renewed agreement needs nothing. Earliest
  expiry first.
* **No entry diagnostics** — active internships without an entry-stage assessment linked to
  them. Only linked assessments count: the internship card and the effectiveness card read
  assessments by their internship, so an unlinked one must be linked anyway. Earliest start
  first.
* **No exit diagnostics** — internships that need exit diagnostics by now: active ones whose
  planned end is at most :data:`EXIT_SOON_DAYS` days ahead (or passed), and ones completed in
  the last :data:`EXIT_LOOKBACK_DAYS` days (older history is the archive, not a to-do), without
  an exit-stage assessment linked to them. Earliest (actual, else planned) end first.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, extract, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..models import (
    Assessment,
    Internship,
    InternshipStatus,
    NetworkAgreement,
    Organization,
    Person,
    Program,
    Route,
    RouteStep,
    Stage,
)
from .internships import overdue_condition

AGREEMENT_SOON_DAYS = 60
AGREEMENT_EXPIRED_DAYS = 30
EXIT_SOON_DAYS = 30
EXIT_LOOKBACK_DAYS = 365
PROGRAM_TITLE_CHARS = 40  # a program title in an item's title is shortened to about this

_ACTIVE = InternshipStatus.ACTIVE.value


@dataclass(frozen=True)
class AttentionItem:
    """One record that needs attention: the registry it opens in, its id and two lines."""

    registry: str  # "internships" or "agreements"
    record_id: int
    title: str  # «Иванова М.П. — Формирование методических компетенций…»
    detail: str  # «просрочено шагов: 2», «окончание 28.11.2026», «истекает 01.12.2026»


@dataclass(frozen=True)
class AttentionGroup:
    """A kind of attention: its total, the most urgent items and the registry filters that
    list exactly the same records."""

    key: str
    title: str
    count: int
    items: list[AttentionItem]
    registry: str
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class YearChart:
    """Internships of a calendar year by month (index 0 is January)."""

    year: int
    enrolled: list[int]  # by start date; planned ones are not enrolled yet
    completed: list[int]  # completed ones, by actual end


# -- conditions shared with the registry filters -------------------------------------------


def as_date(value: Any) -> date:
    """A filter value as a date: a date as it is, or its ISO text (saved filters are text)."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def overdue_on(on: date) -> ColumnElement[bool]:
    """The internship's route has a planned step whose planned end is before ``on``."""
    return exists().where(
        Route.internship_id == Internship.id,
        RouteStep.route_id == Route.id,
        overdue_condition(on),
    )


def has_assessment(stage: Stage) -> ColumnElement[bool]:
    """An assessment of ``stage`` is linked to the internship."""
    return exists().where(Assessment.internship_id == Internship.id, Assessment.stage == stage)


def exit_due_on(on: date) -> ColumnElement[bool]:
    """The internship needs exit diagnostics by ``on``: active and ending within
    :data:`EXIT_SOON_DAYS` days (or past its end), or completed within the look-back."""
    return or_(
        and_(
            Internship.status == InternshipStatus.ACTIVE,
            Internship.planned_end <= on + timedelta(days=EXIT_SOON_DAYS),
        ),
        and_(
            Internship.status == InternshipStatus.COMPLETED,
            Internship.actual_end >= on - timedelta(days=EXIT_LOOKBACK_DAYS),
        ),
    )


def agreement_to_renew_on(on: date) -> ColumnElement[bool]:
    """The agreement expires soon after ``on`` or lapsed shortly before it, and the partner
    has no other agreement that runs longer."""
    other = aliased(NetworkAgreement)
    renewed = exists().where(
        other.organization_id == NetworkAgreement.organization_id,
        other.id != NetworkAgreement.id,
        or_(other.valid_until.is_(None), other.valid_until > NetworkAgreement.valid_until),
    )
    return and_(
        NetworkAgreement.valid_until >= on - timedelta(days=AGREEMENT_EXPIRED_DAYS),
        NetworkAgreement.valid_until <= on + timedelta(days=AGREEMENT_SOON_DAYS),
        ~renewed,
    )


def month_end(on: date) -> date:
    return on.replace(day=calendar.monthrange(on.year, on.month)[1])


# -- attention -------------------------------------------------------------------------------


def _dmy(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else "—"


def _short_fio(surname: str, name: str, patronymic: str | None) -> str:
    initials = "".join(f"{p[0]}." for p in (name, patronymic) if p)
    return f"{surname} {initials}".strip()


def _shorten(text: str, limit: int = PROGRAM_TITLE_CHARS) -> str:
    """Cut at a word boundary and mark the cut with «…»."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:—-«")
    return f"{cut or text[:limit]}…"


def _intern_title(surname: str, name: str, patronymic: str | None, program: str) -> str:
    return f"{_short_fio(surname, name, patronymic)} — {_shorten(program)}"


def _count(session: Session, base: Any, *where: ColumnElement[bool]) -> int:
    stmt = select(func.count()).select_from(base).where(*where)
    return int(session.execute(stmt).scalar_one())


def _intern_rows(
    session: Session,
    where: Sequence[ColumnElement[bool]],
    order: Sequence[Any],
    limit: int,
    *extra: Any,
) -> list[Any]:
    """Internships matching ``where``, the most urgent ``limit`` of them, with the intern's
    name parts and the program title (one query, no per-row look-ups)."""
    stmt: Select[Any] = (
        select(
            Internship.id,
            Person.surname,
            Person.name,
            Person.patronymic,
            Program.title,
            *extra,
        )
        .select_from(Internship)
        .join(Person, Person.id == Internship.person_id)
        .join(Program, Program.id == Internship.program_id)
        .where(*where)
        .order_by(*order, Internship.id)
        .limit(limit)
    )
    return list(session.execute(stmt).all())


def _overdue_group(session: Session, on: date, limit: int) -> AttentionGroup:
    where = [Internship.status == InternshipStatus.ACTIVE, overdue_on(on)]
    total = _count(session, Internship, *where)
    oldest = func.min(RouteStep.planned_end)
    steps = func.count(RouteStep.id)
    # Overdue steps of active internships, grouped: the ix_route_step_status_end range.
    stmt = (
        select(
            Internship.id,
            Person.surname,
            Person.name,
            Person.patronymic,
            Program.title,
            steps,
            oldest,
        )
        .select_from(RouteStep)
        .join(Route, Route.id == RouteStep.route_id)
        .join(Internship, Internship.id == Route.internship_id)
        .join(Person, Person.id == Internship.person_id)
        .join(Program, Program.id == Internship.program_id)
        .where(overdue_condition(on), Internship.status == InternshipStatus.ACTIVE)
        .group_by(Internship.id, Person.surname, Person.name, Person.patronymic, Program.title)
        .order_by(oldest, steps.desc(), Internship.id)
        .limit(limit)
    )
    items = [
        AttentionItem(
            "internships",
            row[0],
            _intern_title(row[1], row[2], row[3], row[4]),
            f"просрочено шагов: {row[5]}, с {_dmy(row[6])}",
        )
        for row in session.execute(stmt)
    ]
    return AttentionGroup(
        "overdue_steps",
        "Просроченные шаги маршрутов",
        total,
        items,
        "internships",
        {"status": _ACTIVE, "overdue_on": on},
    )


def _ending_group(session: Session, on: date, limit: int) -> AttentionGroup:
    last = month_end(on)
    where = [Internship.status == InternshipStatus.ACTIVE, Internship.planned_end <= last]
    total = _count(session, Internship, *where)
    rows = _intern_rows(session, where, [Internship.planned_end], limit, Internship.planned_end)
    items = []
    for row in rows:
        end = row[5]
        detail = f"окончание {_dmy(end)}" if end >= on else f"срок окончания прошёл: {_dmy(end)}"
        items.append(AttentionItem("internships", row[0], _intern_title(*row[1:5]), detail))
    return AttentionGroup(
        "ending",
        "Стажировки, которые заканчиваются в этом месяце",
        total,
        items,
        "internships",
        {"status": _ACTIVE, "ending_before": last},
    )


def _agreements_group(session: Session, on: date, limit: int) -> AttentionGroup:
    where = [agreement_to_renew_on(on)]
    total = _count(session, NetworkAgreement, *where)
    stmt = (
        select(
            NetworkAgreement.id,
            Organization.short_name,
            NetworkAgreement.number,
            NetworkAgreement.valid_until,
        )
        .select_from(NetworkAgreement)
        .join(Organization, Organization.id == NetworkAgreement.organization_id)
        .where(*where)
        .order_by(NetworkAgreement.valid_until, NetworkAgreement.id)
        .limit(limit)
    )
    items = []
    for agreement_id, partner, number, until in session.execute(stmt):
        number = (number or "").removeprefix("№").strip()  # «№ 1/СВ-2024» is stored, too
        title = f"{partner}, соглашение № {number}" if number else partner
        detail = f"истекает {_dmy(until)}" if until >= on else f"истекло {_dmy(until)}"
        items.append(AttentionItem("agreements", agreement_id, title, detail))
    return AttentionGroup(
        "agreements",
        "Соглашения, срок которых истекает",
        total,
        items,
        "agreements",
        {"renew_on": on},
    )


def _no_entry_group(session: Session, on: date, limit: int) -> AttentionGroup:
    where = [Internship.status == InternshipStatus.ACTIVE, ~has_assessment(Stage.ENTRY)]
    total = _count(session, Internship, *where)
    rows = _intern_rows(session, where, [Internship.start_date], limit, Internship.start_date)
    items = [
        AttentionItem("internships", row[0], _intern_title(*row[1:5]), f"начало {_dmy(row[5])}")
        for row in rows
    ]
    return AttentionGroup(
        "no_entry_diagnostics",
        "Стажёры без входной диагностики",
        total,
        items,
        "internships",
        {"status": _ACTIVE, "has_entry_diagnostics": False},
    )


def _no_exit_group(session: Session, on: date, limit: int) -> AttentionGroup:
    where = [exit_due_on(on), ~has_assessment(Stage.EXIT)]
    total = _count(session, Internship, *where)
    end = func.coalesce(Internship.actual_end, Internship.planned_end)
    rows = _intern_rows(
        session,
        where,
        [end],
        limit,
        Internship.status,
        Internship.actual_end,
        Internship.planned_end,
    )
    items = []
    for row in rows:
        if row[5] == InternshipStatus.COMPLETED:
            detail = f"завершена {_dmy(row[6])}"
        else:
            detail = f"окончание {_dmy(row[7])}"
        items.append(AttentionItem("internships", row[0], _intern_title(*row[1:5]), detail))
    return AttentionGroup(
        "no_exit_diagnostics",
        "Стажёры без итоговой диагностики",
        total,
        items,
        "internships",
        {"exit_due_on": on, "has_exit_diagnostics": False},
    )


def attention(session: Session, on: date, limit: int = 8) -> list[AttentionGroup]:
    """What needs attention on ``on``: five groups, each with its count and first items
    (see the module's docstring for the rules)."""
    limit = max(limit, 0)
    return [
        _overdue_group(session, on, limit),
        _ending_group(session, on, limit),
        _agreements_group(session, on, limit),
        _no_entry_group(session, on, limit),
        _no_exit_group(session, on, limit),
    ]


# -- the year's chart -----------------------------------------------------------------------


def _by_month(session: Session, column: Any, year: int, *where: ColumnElement[bool]) -> list[int]:
    """Internships per month of ``column`` in ``year`` (a date range the index serves,
    the month extracted in SQL: strftime on SQLite, EXTRACT on PostgreSQL)."""
    month = extract("month", column)
    stmt = (
        select(month, func.count())
        .select_from(Internship)
        .where(column >= date(year, 1, 1), column < date(year + 1, 1, 1), *where)
        .group_by(month)
    )
    counts = [0] * 12
    for m, n in session.execute(stmt):
        counts[int(m) - 1] = int(n)
    return counts


def year_chart(session: Session, year: int) -> YearChart:
    """Enrolled (by start date; every internship but a planned one) and completed (by actual
    end) internships of ``year``, per month."""
    enrolled = _by_month(
        session, Internship.start_date, year, Internship.status != InternshipStatus.PLANNED
    )
    completed = _by_month(
        session, Internship.actual_end, year, Internship.status == InternshipStatus.COMPLETED
    )
    return YearChart(year, enrolled, completed)
