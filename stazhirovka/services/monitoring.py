"""The monitoring form for the regional institute (DOCUMENTS.md §6.1): the indicators as
aggregates for a period and, optionally, one municipality — per platform and in total — and the
plan-vs-fact of events. Aggregates only: nothing here carries a name of a person.

The list of indicators is data (the ``monitoring_indicator`` reference list, editable); this
module maps each known code to a computation. A code with no computation, or one the data of the
program cannot give, is reported as «нет данных» with the reason, never invented.

Ratios are kept as numerator and denominator, so a regional consolidation can recompute them
from the districts' sums instead of averaging percentages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, distinct, func, or_, select, union_all
from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import (
    Assessment,
    Certificate,
    CertificateKind,
    CertificateStatus,
    DistrictProfile,
    Event,
    EventLevel,
    Internship,
    InternshipStatus,
    MonitoringIndicator,
    Municipality,
    Organization,
    Participation,
    Platform,
    Product,
    Program,
    ProgramModule,
    Route,
    RouteStep,
    StepKind,
    StepStatus,
    TeacherMaster,
)
from ..models.diagnostics import Indicator, Instrument, Score, Stage
from ..text import fold
from .diagnostics import CompetencyResult, competency_result, level_of
from .monitoring_breakdowns import BreakdownRow, breakdowns

NO_DATA = "нет данных"


@dataclass(frozen=True)
class Cell:
    """One value of the form: a count or sum, or a ratio kept as numerator/denominator."""

    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    scale: float = 100  # 100 for a share in %, 1 for a mean (sum of values / their number)

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    @staticmethod
    def ratio(numerator: float, denominator: float, scale: float = 100) -> Cell:
        value = round(scale * numerator / denominator, 1) if denominator else None
        return Cell(value, numerator, denominator, scale)


@dataclass
class IndicatorValues:
    code: str
    name: str
    unit: str
    per_platform: dict[int, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)
    missing: str = ""  # the reason there is no value («нет данных: …»)


@dataclass(frozen=True)
class PlanFactRow:
    level: str
    planned: int
    held_of_planned: int
    held_unplanned: int
    participants: int

    @property
    def fulfilment(self) -> float | None:
        return round(100 * self.held_of_planned / self.planned, 1) if self.planned else None


@dataclass
class MonitoringReport:
    date_from: date
    date_to: date
    municipality: str  # "" — the whole district
    district: str
    platforms: list[tuple[int, str]]  # (id, label) in column order
    indicators: list[IndicatorValues]
    plan_fact: list[PlanFactRow]
    breakdowns: list[BreakdownRow] = field(default_factory=list)  # «разрезы», by indicator


@dataclass
class Scope:
    session: Session
    date_from: date
    date_to: date
    platform_ids: list[int]
    diagnostics: dict[str, Ratio] | None = None

    def internships(self):  # type: ignore[no-untyped-def]
        """Internships running at some time within the period, of the platforms in scope."""
        return (
            select(
                Internship.id.label("internship_id"),
                Internship.person_id.label("person_id"),
                Internship.program_id.label("program_id"),
                Program.platform_id.label("platform_id"),
            )
            .join(Program, Program.id == Internship.program_id)
            .where(
                Program.platform_id.in_(self.platform_ids),
                Internship.status != InternshipStatus.PLANNED,
                Internship.start_date <= self.date_to,
                or_(Internship.actual_end.is_(None), Internship.actual_end >= self.date_from),
            )
            .subquery()
        )


Counts = tuple[dict[int, float], float]
Ratio = tuple[dict[int, float], float, dict[int, float], float]


def _grouped(session: Session, stmt) -> dict[int, float]:  # type: ignore[no-untyped-def]
    return {pid: float(n or 0) for pid, n in session.execute(stmt)}


def _distinct_people(scope: Scope, sub, where=None) -> Counts:  # type: ignore[no-untyped-def]
    """Distinct persons of a subquery with platform_id/person_id, per platform and in total."""
    per = select(sub.c.platform_id, func.count(distinct(sub.c.person_id))).group_by(
        sub.c.platform_id
    )
    total = select(func.count(distinct(sub.c.person_id)))
    if where is not None:
        per, total = per.where(where), total.where(where)
    return _grouped(scope.session, per), float(scope.session.scalar(total) or 0)


def _p1(scope: Scope) -> Counts:
    return {pid: 1.0 for pid in scope.platform_ids}, float(len(scope.platform_ids))


def _p2(scope: Scope) -> Counts:
    sub = (
        select(TeacherMaster.platform_id, TeacherMaster.person_id)
        .where(TeacherMaster.platform_id.in_(scope.platform_ids), TeacherMaster.active)
        .subquery()
    )
    return _distinct_people(scope, sub)


def _running_programs(scope: Scope):  # type: ignore[no-untyped-def]
    sub = scope.internships()
    return select(sub.c.program_id, sub.c.platform_id).distinct().subquery()


def _p3(scope: Scope) -> Counts:
    progs = _running_programs(scope)
    per = _grouped(
        scope.session,
        select(progs.c.platform_id, func.count(progs.c.program_id)).group_by(progs.c.platform_id),
    )
    return per, sum(per.values())


def _program_hours():  # type: ignore[no-untyped-def]
    return (
        select(
            ProgramModule.program_id,
            func.sum(ProgramModule.hours_theory + ProgramModule.hours_practice).label("hours"),
        )
        .group_by(ProgramModule.program_id)
        .subquery()
    )


def _p4(scope: Scope) -> Counts:
    progs, hours = _running_programs(scope), _program_hours()
    per = _grouped(
        scope.session,
        select(progs.c.platform_id, func.sum(hours.c.hours))
        .join(hours, hours.c.program_id == progs.c.program_id)
        .group_by(progs.c.platform_id),
    )
    return per, sum(per.values())


def _p5(scope: Scope) -> Counts:
    return _distinct_people(scope, scope.internships())


def _p6(scope: Scope) -> Counts:
    sub = scope.internships()
    certified = (
        select(Certificate.id)
        .where(
            Certificate.internship_id == sub.c.internship_id,
            Certificate.kind == CertificateKind.INTERNSHIP,
            Certificate.status == CertificateStatus.ISSUED,
            Certificate.issued_on.between(scope.date_from, scope.date_to),
        )
        .exists()
    )
    return _distinct_people(scope, sub, certified)


def _ratio(numerator: Counts, denominator: Counts) -> Ratio:
    return numerator[0], numerator[1], denominator[0], denominator[1]


def _p7(scope: Scope) -> Ratio:
    return _ratio(_p6(scope), _p5(scope))


def _p8(scope: Scope) -> Counts:
    sub, hours = scope.internships(), _program_hours()
    per = _grouped(
        scope.session,
        select(sub.c.platform_id, func.sum(hours.c.hours))
        .join(hours, hours.c.program_id == sub.c.program_id)
        .group_by(sub.c.platform_id),
    )
    return per, sum(per.values())


def _p9(scope: Scope) -> Ratio:
    sub = scope.internships()
    approved = (
        select(Route.id)
        .where(
            Route.internship_id == sub.c.internship_id,
            Route.approved_on.is_not(None),
            Route.approved_on <= scope.date_to,
        )
        .exists()
    )
    return _ratio(_distinct_people(scope, sub, approved), _p5(scope))


def _p10(scope: Scope) -> Ratio:
    sub = scope.internships()

    return _ratio(_distinct_people(scope, sub, _both_stages(sub.c.internship_id)), _p5(scope))


def _both_stages(internship_id):  # type: ignore[no-untyped-def]
    def stage(which: Stage):  # type: ignore[no-untyped-def]
        return (
            select(Assessment.id)
            .where(Assessment.internship_id == internship_id, Assessment.stage == which)
            .exists()
        )

    return and_(stage(Stage.ENTRY), stage(Stage.EXIT))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _p15(scope: Scope) -> Ratio:
    """Masters and interns of the platforms with a «курсы ПК» step of their route done in the
    three years up to the end of the period, of all masters and interns."""
    sub = scope.internships()
    people = union_all(
        select(TeacherMaster.platform_id, TeacherMaster.person_id).where(
            TeacherMaster.platform_id.in_(scope.platform_ids), TeacherMaster.active
        ),
        select(sub.c.platform_id, sub.c.person_id),
    ).subquery()
    owner = func.coalesce(Route.person_id, Internship.person_id)
    trained = (
        select(owner)
        .select_from(RouteStep)
        .join(Route, Route.id == RouteStep.route_id)
        .outerjoin(Internship, Internship.id == Route.internship_id)
        .where(
            RouteStep.kind == StepKind.COURSE,
            RouteStep.status == StepStatus.DONE,
            RouteStep.done_on.between(_years_before(scope.date_to, 3), scope.date_to),
        )
    )
    return _ratio(
        _distinct_people(scope, people, people.c.person_id.in_(trained)),
        _distinct_people(scope, people),
    )


def held_events(scope: Scope):  # type: ignore[no-untyped-def]
    return and_(
        Event.platform_id.in_(scope.platform_ids),
        Event.held,
        Event.starts_on.between(scope.date_from, scope.date_to),
    )


def _p14(scope: Scope) -> Counts:
    per = _grouped(
        scope.session,
        select(Event.platform_id, func.count(Event.id))
        .where(held_events(scope))
        .group_by(Event.platform_id),
    )
    return per, sum(per.values())


def _products(scope: Scope, kind_contains: str = "") -> Counts:
    rows = scope.session.execute(
        select(Product.platform_id, Product.kind).where(
            Product.platform_id.in_(scope.platform_ids),
            Product.year.between(scope.date_from.year, scope.date_to.year),
        )
    )
    per: dict[int, float] = {}
    for pid, kind in rows:
        if kind_contains in fold(kind):
            per[pid] = per.get(pid, 0) + 1
    return per, sum(per.values())


def _p16(scope: Scope) -> Counts:
    return _products(scope, "стать")


def _p18(scope: Scope) -> Counts:
    return _products(scope)


_RANK = {"low": 0, "medium": 1, "high": 2}


def _diagnostics(scope: Scope) -> dict[str, Ratio]:
    """П11–П13 from the latest entry and exit diagnostics of each internship in scope, computed
    once and set-wise (a few queries, whatever the number of interns):
    П11 — the mean over interns of their mean change (exit % − entry %) per competency;
    П12 — interns whose overall level rose, of those with both diagnostics;
    П13 — entry deficits scored above the deficit mark at exit, of the entry deficits."""
    if scope.diagnostics is not None:
        return scope.diagnostics
    s = scope.session
    sub = scope.internships()
    platform_of = dict(
        s.execute(
            select(sub.c.internship_id, sub.c.platform_id).where(_both_stages(sub.c.internship_id))
        ).all()
    )
    # the latest entry and exit of each internship (as latest_assessment chooses them)
    latest: dict[tuple[int, Stage], tuple[int, int]] = {}  # → (assessment, instrument)
    for aid, iid, stage, inst in s.execute(
        select(Assessment.id, Assessment.internship_id, Assessment.stage, Assessment.instrument_id)
        .where(
            Assessment.internship_id.in_(select(sub.c.internship_id)),
            Assessment.stage.in_((Stage.ENTRY, Stage.EXIT)),
        )
        .order_by(Assessment.assessed_on, Assessment.id)
    ):
        if iid in platform_of:
            latest[(iid, stage)] = (aid, inst)
    chosen = {aid for aid, _ in latest.values()}
    instruments = {i.id: i for i in s.scalars(select(Instrument))}
    by_competency: dict[int, dict[int, tuple[float, int]]] = {}
    for aid, comp, total, count in s.execute(
        select(Score.assessment_id, Indicator.competency_id, func.sum(Score.value), func.count())
        .join(Indicator, Indicator.id == Score.indicator_id)
        .join(Assessment, Assessment.id == Score.assessment_id)
        .where(
            Assessment.internship_id.in_(select(sub.c.internship_id)),
            Assessment.stage.in_((Stage.ENTRY, Stage.EXIT)),
        )
        .group_by(Score.assessment_id, Indicator.competency_id)
    ):
        if aid in chosen:
            by_competency.setdefault(aid, {})[comp] = (float(total), int(count))
    entry_deficits: dict[int, set[int]] = {}
    exit_scores: dict[int, dict[int, float]] = {}
    for aid, stage, indicator, value in s.execute(
        select(Score.assessment_id, Assessment.stage, Score.indicator_id, Score.value)
        .join(Assessment, Assessment.id == Score.assessment_id)
        .join(Instrument, Instrument.id == Assessment.instrument_id)
        .where(
            Assessment.internship_id.in_(select(sub.c.internship_id)),
            or_(
                Assessment.stage == Stage.EXIT,
                and_(Assessment.stage == Stage.ENTRY, Score.value <= Instrument.deficit_max_score),
            ),
        )
    ):
        if aid not in chosen:
            continue
        if stage == Stage.ENTRY:
            entry_deficits.setdefault(aid, set()).add(indicator)
        else:
            exit_scores.setdefault(aid, {})[indicator] = value

    def results(aid: int, inst_id: int) -> dict[int, CompetencyResult]:
        inst = instruments[inst_id]
        span, low = inst.scale_max - inst.scale_min, inst.scale_min
        return {
            comp: competency_result(comp, "", total - low * count, count, span, inst)
            for comp, (total, count) in by_competency.get(aid, {}).items()
        }

    def overall(found: dict[int, CompetencyResult], inst_id: int) -> str | None:
        maximum = sum(r.maximum for r in found.values())
        if not maximum:
            return None
        inst = instruments[inst_id]
        percent = round(100 * sum(r.score for r in found.values()) / maximum, 1)
        return level_of(percent, inst.low_threshold, inst.high_threshold)

    acc: dict[str, tuple[dict[int, float], dict[int, float]]] = {
        code: ({}, {}) for code in ("П11", "П12", "П13")
    }

    def add(code: str, pid: int, num: float, den: float) -> None:
        nums, dens = acc[code]
        nums[pid] = nums.get(pid, 0.0) + num
        dens[pid] = dens.get(pid, 0.0) + den

    for iid, pid in platform_of.items():
        if (iid, Stage.ENTRY) not in latest or (iid, Stage.EXIT) not in latest:
            continue
        (entry, entry_inst), (exit_, exit_inst) = (
            latest[(iid, Stage.ENTRY)],
            latest[(iid, Stage.EXIT)],
        )
        before, after = results(entry, entry_inst), results(exit_, exit_inst)
        deltas = [after[c].percent - r.percent for c, r in before.items() if c in after]
        if deltas:
            add("П11", pid, sum(deltas) / len(deltas), 1)
        was, now = overall(before, entry_inst), overall(after, exit_inst)
        if was is not None and now is not None:
            add("П12", pid, 1 if _RANK[now] > _RANK[was] else 0, 1)
        found = entry_deficits.get(entry, set())
        if found and entry_inst == exit_inst:
            mark = instruments[entry_inst].deficit_max_score
            scores = exit_scores.get(exit_, {})
            closed = sum(1 for i in found if i in scores and scores[i] > mark)
            add("П13", pid, closed, len(found))
    scope.diagnostics = {
        code: (nums, sum(nums.values()), dens, sum(dens.values()))
        for code, (nums, dens) in acc.items()
    }
    return scope.diagnostics


COUNTS: dict[str, Callable[[Scope], Counts]] = {
    "П1": _p1,
    "П2": _p2,
    "П3": _p3,
    "П4": _p4,
    "П5": _p5,
    "П6": _p6,
    "П8": _p8,
    "П14": _p14,
    "П16": _p16,
    "П18": _p18,
}
RATIOS: dict[str, Callable[[Scope], Ratio]] = {
    "П7": _p7,
    "П9": _p9,
    "П10": _p10,
    "П11": lambda scope: _diagnostics(scope)["П11"],
    "П12": lambda scope: _diagnostics(scope)["П12"],
    "П13": lambda scope: _diagnostics(scope)["П13"],
    "П15": _p15,
}
MEANS = {"П11"}  # kept as sum and number, shown as their quotient (not ×100)

# Why the data of the program cannot give an indicator (yet).
NOT_AVAILABLE: dict[str, str] = {
    "П17": "участие в конкурсах в программе не ведётся",
    "П19": "анкеты обратной связи стажёров в программе не ведутся",
    "П20": "отметка о закреплении в профессии в программе не ведётся",
    "П21": "даты аттестации на категорию в программе не ведутся",
}
UNKNOWN_REASON = "для этого кода нет правила расчёта"


def _municipality_id(session: Session, name: str) -> int:
    wanted = fold(name)
    rows = session.execute(select(Municipality.id, Municipality.name)).all()
    for mid, mname in rows:
        if fold(mname) == wanted:
            return mid
    known = ", ".join(sorted(n for _, n in rows)) or "справочник пуст"
    raise UserError(f"Муниципальное образование «{name}» не найдено (известны: {known}).")


def _platforms(
    session: Session, date_from: date, date_to: date, municipality_id: int | None
) -> list[tuple[int, str]]:
    stmt = (
        select(Platform.id, Organization.short_name)
        .join(Organization, Organization.id == Platform.organization_id)
        .where(
            Platform.active_from <= date_to,
            or_(Platform.active_to.is_(None), Platform.active_to >= date_from),
        )
        .order_by(Organization.short_name, Platform.id)
    )
    if municipality_id is not None:
        stmt = stmt.where(Organization.municipality_id == municipality_id)
    rows = session.execute(stmt).all()
    # two platforms of one organization get their number to tell the columns apart
    names = [name for _, name in rows]
    return [(pid, f"{name} (№ {pid})" if names.count(name) > 1 else name) for pid, name in rows]


def _plan_fact(session: Session, scope: Scope) -> list[PlanFactRow]:
    levels = session.execute(
        select(EventLevel.id, EventLevel.name).order_by(EventLevel.rank, EventLevel.name)
    ).all()
    in_scope = and_(
        Event.platform_id.in_(scope.platform_ids),
        Event.starts_on.between(scope.date_from, scope.date_to),
    )
    stats: dict[int, list[int]] = {lid: [0, 0, 0, 0] for lid, _ in levels}
    for lid, planned, held in session.execute(
        select(Event.level_id, Event.plan_year.is_not(None), Event.held).where(in_scope)
    ):
        row = stats.setdefault(lid, [0, 0, 0, 0])
        if planned:
            row[0] += 1
            row[1] += 1 if held else 0
        elif held:
            row[2] += 1
    for lid, n in session.execute(
        select(Event.level_id, func.count(Participation.id))
        .join(Participation, Participation.event_id == Event.id)
        .where(in_scope, Event.held, Participation.attended)
        .group_by(Event.level_id)
    ):
        stats[lid][3] = int(n)
    return [PlanFactRow(name, *stats[lid]) for lid, name in levels]


def build_report(
    session: Session, date_from: date, date_to: date, municipality: str | None = None
) -> MonitoringReport:
    if date_to < date_from:
        raise UserError(
            f"Период задан неверно: дата окончания {date_to:%d.%m.%Y} раньше даты начала "
            f"{date_from:%d.%m.%Y}."
        )
    mid = _municipality_id(session, municipality) if municipality else None
    if mid is not None:
        municipality = session.get(Municipality, mid).name  # type: ignore[union-attr]
    platforms = _platforms(session, date_from, date_to, mid)
    scope = Scope(session, date_from, date_to, [pid for pid, _ in platforms])
    profile = session.get(DistrictProfile, 1)
    district = (profile.municipality or profile.service_name) if profile else ""

    indicators: list[IndicatorValues] = []
    for code, name, unit in session.execute(
        select(MonitoringIndicator.code, MonitoringIndicator.name, MonitoringIndicator.unit)
        .where(MonitoringIndicator.active)
        .order_by(MonitoringIndicator.sort_order, MonitoringIndicator.id)
    ):
        item = IndicatorValues(code, name, unit)
        key = code.strip().upper()
        if key in COUNTS:
            per, total = COUNTS[key](scope)
            item.per_platform = {pid: Cell(per.get(pid, 0.0)) for pid in scope.platform_ids}
            item.total = Cell(total)
        elif key in RATIOS:
            nums, num, dens, den = RATIOS[key](scope)
            scale = 1 if key in MEANS else 100
            item.per_platform = {
                pid: Cell.ratio(nums.get(pid, 0.0), dens.get(pid, 0.0), scale)
                for pid in scope.platform_ids
            }
            item.total = Cell.ratio(num, den, scale)
        else:
            item.missing = NOT_AVAILABLE.get(key) or UNKNOWN_REASON
        indicators.append(item)
    return MonitoringReport(
        date_from,
        date_to,
        municipality or "",
        district,
        platforms,
        indicators,
        _plan_fact(session, scope),
        breakdowns(scope, [i.code for i in indicators if not i.missing]),
    )
