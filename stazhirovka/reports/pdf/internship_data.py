"""What the internship documents (the journal, the effectiveness card and the route) share:
the batch loaders of the internships and of their entry and exit diagnostics, the wording
of their details, and the registration of a document kind printed by internship id.

The diagnostics are loaded (:func:`load_diagnostics`) by the rules of
``services.diagnostics`` (``effectiveness``, ``competency_results``, ``deficits``): the
latest entry and exit assessment of the internship, per competency the sum of points above
the scale minimum against the possible maximum.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from reportlab.platypus import Flowable
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ...errors import NotFoundError
from ...formats import number, plural, short_date
from ...grammar import hours_phrase, period_phrase
from ...models import (
    Assessment,
    Competency,
    Indicator,
    Internship,
    Person,
    Platform,
    Program,
    Route,
    RouteStep,
    Score,
    Stage,
    TeacherMaster,
)
from ...services import labels
from ...services.diagnostics import CompetencyResult, Deficit, Growth, competency_result, level_of
from ...services.people import experience_years
from ..documents import DocumentKind, Options
from .layout import Document, markup, para, space, text
from .wording import short_fio, signed, text_lines

CHUNK = 900  # ids per IN (…) list: far below any database's limit on parameters
DASH = "—"

# -- loading -----------------------------------------------------------------------------------


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def load_internships(session: Session, ids: Sequence[int]) -> dict[int, Internship]:
    """The internships with everything their documents print (intern, organization, program
    with modules, platform with its organization and head, mentor, route with steps), in a
    fixed number of queries per chunk of ids; an unknown id raises NotFoundError."""
    found: dict[int, Internship] = {}
    for part in chunks(list(dict.fromkeys(ids))):
        rows = session.scalars(
            select(Internship)
            .where(Internship.id.in_(part))
            # what the database holds now, not what the session loaded before an edit
            .execution_options(populate_existing=True)
            .options(
                joinedload(Internship.person).joinedload(Person.organization),
                joinedload(Internship.person).joinedload(Person.position),
                joinedload(Internship.person).joinedload(Person.category),
                joinedload(Internship.program)
                .joinedload(Program.platform)
                .joinedload(Platform.organization),
                joinedload(Internship.program)
                .joinedload(Program.platform)
                .joinedload(Platform.head),
                joinedload(Internship.program).selectinload(Program.modules),
                joinedload(Internship.mentor).joinedload(TeacherMaster.person),
                joinedload(Internship.route).selectinload(Route.steps).joinedload(RouteStep.module),
            )
        ).unique()
        found.update((i.id, i) for i in rows)
    for record_id in ids:
        if record_id not in found:
            raise NotFoundError(f"Стажировка № {record_id} не найдена.")
    return found


def internship_ids(session: Session, options: Options, *conditions: Any) -> list[int]:
    """Internships matching ``conditions``, newest first; with ``options.year``, those that
    started or ended in that year."""
    query = select(Internship.id).where(*conditions)
    if options.year:
        first, last = date(options.year, 1, 1), date(options.year, 12, 31)
        query = query.where(
            or_(
                Internship.start_date.between(first, last),
                Internship.actual_end.between(first, last),
            )
        )
    query = query.order_by(Internship.start_date.desc(), Internship.id.desc())
    return list(session.scalars(query))


def stem(session: Session, record_id: int, what: str) -> str:
    """A readable file name: «Журнал стажёра Иванова М.П. (12)»."""
    row = session.execute(
        select(Person.surname, Person.name, Person.patronymic)
        .join(Internship, Internship.person_id == Person.id)
        .where(Internship.id == record_id)
    ).first()
    if row is None:
        return f"{what} {record_id}"
    return f"{what} {short_fio(row.surname, row.name, row.patronymic)} ({record_id})"


@dataclass(frozen=True)
class Result:
    """One assessment: per competency results, the ТФ codes of each, deficits and the total."""

    assessment_id: int
    assessed_on: date
    assessor: str
    instrument: str
    low_threshold: int
    high_threshold: int
    competencies: list[CompetencyResult]
    codes: dict[int, tuple[str, ...]]
    deficits: list[Deficit]
    score: float
    maximum: float

    @property
    def percent(self) -> float:
        return round(100 * self.score / self.maximum, 1) if self.maximum else 0.0

    @property
    def level(self) -> str:
        return level_of(self.percent, self.low_threshold, self.high_threshold)


@dataclass(frozen=True)
class Diagnostics:
    entry: Result | None = None
    exit: Result | None = None
    labels: dict[str, str] = field(default_factory=dict)  # competency → «name (A/01.6)»

    @property
    def growth(self) -> list[Growth]:
        """As ``services.diagnostics.effectiveness``: the competencies of the entry, then
        those only the exit has."""
        before = {r.competency: r for r in self.entry.competencies} if self.entry else {}
        after = {r.competency: r for r in self.exit.competencies} if self.exit else {}
        return [
            Growth(
                name,
                before[name].percent if name in before else None,
                after[name].percent if name in after else None,
                before[name].level if name in before else None,
                after[name].level if name in after else None,
            )
            for name in dict.fromkeys([*before, *after])
        ]

    @property
    def delta(self) -> float | None:
        if self.entry is None or self.exit is None:
            return None
        return round(self.exit.percent - self.entry.percent, 1)


def _latest(assessments: Sequence[Assessment]) -> Assessment | None:
    return max(assessments, key=lambda a: (a.assessed_on, a.id), default=None)


def load_diagnostics(
    session: Session, internships: dict[int, Internship]
) -> dict[int, Diagnostics]:
    """The latest entry and exit assessment of each internship with their results: two
    queries per chunk of ids, whatever the number of internships."""
    chosen: dict[int, dict[Stage, Assessment]] = defaultdict(dict)
    for part in chunks(list(internships)):
        found: dict[tuple[int, Stage], list[Assessment]] = defaultdict(list)
        for a in session.scalars(
            select(Assessment)
            .where(
                Assessment.internship_id.in_(part),
                Assessment.stage.in_([Stage.ENTRY, Stage.EXIT]),
            )
            .options(joinedload(Assessment.instrument))
        ):
            if a.person_id == internships[a.internship_id].person_id:
                found[(a.internship_id, Stage(a.stage))].append(a)
        for (internship_id, stage), items in found.items():
            latest = _latest(items)
            if latest is not None:
                chosen[internship_id][stage] = latest
    by_id = {a.id: a for stages in chosen.values() for a in stages.values()}
    scores: dict[int, list[Any]] = defaultdict(list)
    for part in chunks(list(by_id)):
        for row in session.execute(
            select(
                Score.assessment_id,
                Score.value,
                Indicator.id,
                Indicator.position,
                Indicator.code,
                Indicator.text,
                Competency.id,
                Competency.name,
                Competency.sort_order,
            )
            .join(Indicator, Indicator.id == Score.indicator_id)
            .join(Competency, Competency.id == Indicator.competency_id)
            .where(Score.assessment_id.in_(part))
        ):
            scores[row[0]].append(row)
    results = {a_id: _result(a, scores.get(a_id, [])) for a_id, a in by_id.items()}
    diagnostics = {}
    for internship_id in internships:
        stages = chosen.get(internship_id, {})
        entry = results[stages[Stage.ENTRY].id] if Stage.ENTRY in stages else None
        exit_ = results[stages[Stage.EXIT].id] if Stage.EXIT in stages else None
        names: dict[str, str] = {}
        for result in (entry, exit_):
            if result is None:
                continue
            for r in result.competencies:
                codes = result.codes.get(r.competency_id, ())
                names.setdefault(
                    r.competency, f"{r.competency} ({', '.join(codes)})" if codes else r.competency
                )
        diagnostics[internship_id] = Diagnostics(entry, exit_, names)
    return diagnostics


def _result(assessment: Assessment, rows: Sequence[Any]) -> Result:
    inst = assessment.instrument
    span = inst.scale_max - inst.scale_min
    totals: dict[int, list[Any]] = {}
    codes: dict[int, set[str]] = defaultdict(set)
    deficits = []
    for _a, value, ind_id, position, code, ind_text, comp_id, comp_name, sort_order in rows:
        entry = totals.setdefault(comp_id, [(sort_order, comp_id), comp_name, 0.0, 0])
        entry[2] += float(value) - inst.scale_min
        entry[3] += 1
        if code:
            codes[comp_id].add(code)
        if value <= inst.deficit_max_score:
            deficits.append((position, Deficit(ind_id, code, ind_text, comp_name, value)))
    competencies = [
        competency_result(comp_id, name, total, count, span, inst)
        for comp_id, (_order, name, total, count) in sorted(totals.items(), key=lambda t: t[1][0])
    ]
    return Result(
        assessment.id,
        assessment.assessed_on,
        labels.ASSESSOR.get(getattr(assessment.assessor, "value", assessment.assessor), ""),
        inst.title,
        inst.low_threshold,
        inst.high_threshold,
        competencies,
        {k: tuple(sorted(v)) for k, v in codes.items()},
        [d for _p, d in sorted(deficits, key=lambda t: t[0])],
        sum(c.score for c in competencies),
        sum(c.maximum for c in competencies),
    )


# -- wording -----------------------------------------------------------------------------------


def mentor_name(internship: Internship) -> str:
    return internship.mentor.person.full_name if internship.mentor else ""


def position_name(person: Person) -> str:
    return person.position.name if person.position else ""


def category_name(person: Person) -> str:
    return person.category.name if person.category else ""


def program_line(program: Program) -> str:
    """«Формирование методических компетенций педагогов» (24 часа)."""
    hours = program.total_hours
    return f"«{program.title}»" + (f" ({hours_phrase(hours)})" if hours else "")


def internship_end(internship: Internship) -> date | None:
    return internship.actual_end or internship.planned_end


def internship_period(internship: Internship) -> str:
    return period_phrase(internship.start_date, internship_end(internship))


def experience(person: Person, on: date) -> str:
    years = experience_years(person.teaching_since, on)
    if years is None:
        return ""
    if years == 0:
        return "менее года"
    return f"{years} {plural(years, 'год', 'года', 'лет')}"


def experience_line(internship: Internship) -> str:
    """«5 лет (на начало стажировки)»; "" when the start of teaching is unknown."""
    years = experience(internship.person, internship.start_date)
    return f"{years} (на начало стажировки)" if years else ""


def percent_text(value: float | None) -> str:
    return DASH if value is None else f"{number(value)} %"


def delta_text(value: float | None) -> str:
    """«+12,3», «−4», «0» — percentage points with a sign."""
    return DASH if value is None else signed(value)


def level_text(level: str | None) -> str:
    return labels.LEVEL.get(level, DASH) if level else DASH


def points_text(result: Result | CompetencyResult) -> str:
    """«18 из 24» — the points scored of the possible."""
    return f"{number(round(result.score, 1))} из {number(round(result.maximum, 1))}"


def assessment_line(result: Result | None) -> str:
    """«14.09.2026 (педагог-мастер)»: the date of an assessment and who assessed."""
    if result is None:
        return "не проводилась"
    on = short_date(result.assessed_on)
    return f"{on} ({result.assessor})" if result.assessor else on


def deficit_line(deficit: Deficit) -> str:
    """«Формирование мотивации к обучению (A/02.6; 1 б.)» — as the route lists them."""
    mark = f"{number(deficit.score)} б."
    return (
        f"{deficit.text} ({deficit.code}; {mark})" if deficit.code else f"{deficit.text} ({mark})"
    )


def goal_and_tasks(route: Route) -> list[Flowable]:
    """«Цель: …» and the list of tasks of a route, as much as it states."""
    items: list[Flowable] = []
    if route.goal:
        items.append(markup(f"<b>Цель:</b> {text(route.goal)}", "plain"))
        items.append(space(2))
    tasks = text_lines(route.tasks)
    if tasks:
        items.append(para("Задачи:", "label"))
        items += [para(t, "plain") for t in tasks]
    return items


# -- the document kinds ------------------------------------------------------------------------

T = TypeVar("T")


def internship_kind(
    key: str,
    title: str,
    file_word: str,
    load: Callable[[Session, dict[int, Internship]], Mapping[int, T]],
    document: Callable[[Internship, T, Options], Document],
    condition: Any,
) -> DocumentKind:
    """A document printed by internship id: the internships of a batch and what ``load``
    adds for them (a fixed number of queries), one ``document`` each in the order of the
    ids; ``--all`` prints the internships matching ``condition``."""

    def documents(session: Session, ids: Sequence[int], options: Options) -> list[Document]:
        internships = load_internships(session, ids)
        extra = load(session, internships)
        return [document(internships[i], extra[i], options) for i in ids]

    return DocumentKind(
        key=key,
        title=title,
        record="internships",
        documents=documents,
        all_ids=lambda session, options: internship_ids(session, options, condition),
        file_stem=lambda session, record_id: stem(session, record_id, file_word),
    )
