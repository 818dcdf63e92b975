"""«Отчёт стажировочной площадки» for a period (DOCUMENTS.md §6.2): the platform's details,
its teacher-masters and programs, the interns of the period with their outcomes and hours,
the growth between entry and exit diagnostics, its events planned and held, and the
methodical products of the platform and its people.

A batch of any size (``--all`` over a region's 400 platforms) costs the same dozen queries:
every section is loaded for all the platforms at once and grouped by platform in Python.

The rules:

* an internship belongs to the period when it overlaps it: it started before the period's
  end and did not end before its start (an active one runs at least until today);
* its outcome is its state at the period's end: completed or withdrawn by then, otherwise
  still studying (or, when not yet begun, waiting to start);
* the growth of an intern is the change between the latest entry and the latest exit
  assessment linked to the internship (the effectiveness card's rule), per competency as the
  share of the maximum score; the averages are over the interns whose exit diagnostics fell
  within the period (the latest one by its end), after an entry one;
* the events are those of the platform dated within the period; «planned» means planned in
  a plan-schedule, «held» is the mark of the event;
* the products are those of the platform, and those without a platform whose authors include
  its head or one of its teacher-masters, published in the period's years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reportlab.platypus import Flowable, KeepTogether
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...errors import NotFoundError
from ...formats import number, short_date
from ...grammar import hours_phrase, period_phrase
from ...models import (
    Assessment,
    Competency,
    Event,
    EventForm,
    EventLevel,
    Indicator,
    Instrument,
    Internship,
    InternshipStatus,
    Organization,
    Participation,
    Person,
    Platform,
    PlatformStatus,
    Product,
    Program,
    ProgramModule,
    Score,
    Stage,
    TeacherMaster,
    product_author,
)
from ...services import labels
from ...services.diagnostics import growth_wording
from ..documents import DocumentKind, Options, register
from .blocks import Letterhead, contacts_line, letterhead, signatures
from .layout import Document, content_width, empty_note, heading, keep_with_next, para, space, title
from .tables import Column, TableThenTail, data_table, fields
from .wording import (
    full_fio,
    head_name,
    kind_genitive,
    kind_label,
    nb,
    platform_head_position,
    short_fio,
    signed,
)

COMPLETED, WITHDRAWN = InternshipStatus.COMPLETED, InternshipStatus.WITHDRAWN
ACTIVE, PLANNED = InternshipStatus.ACTIVE, InternshipStatus.PLANNED
YOUNG_YEARS = 3  # a young teacher: under three years of teaching when the internship began


# -- the data of a report --------------------------------------------------------------------


@dataclass(frozen=True)
class MasterRow:
    name: str
    specialization: str
    status_on: date | None
    order_number: str


@dataclass(frozen=True)
class ProgramRow:
    id: int
    title: str
    modules: int
    hours: int


@dataclass(frozen=True)
class InternRow:
    id: int
    name: str
    organization: str
    program_id: int
    program: str
    start: date
    end: date | None  # actual end, else planned end
    status: InternshipStatus
    outcome: str  # completed · withdrawn · studying · waiting (at the period's end)
    enrolled: bool  # started within the period
    young: bool
    hours: float


@dataclass(frozen=True)
class GrowthRow:
    competency: str
    interns: int
    entry: float
    exit: float

    @property
    def delta(self) -> float:
        return round(self.exit - self.entry, 1)


@dataclass(frozen=True)
class Growth:
    interns: int = 0  # assessed at entry and at exit
    entry: float = 0.0
    exit: float = 0.0
    competencies: list[GrowthRow] = field(default_factory=list)

    @property
    def delta(self) -> float:
        return round(self.exit - self.entry, 1)


@dataclass(frozen=True)
class EventRow:
    title: str
    form: str
    level: str
    starts_on: date
    ends_on: date | None
    planned: bool  # in a plan-schedule
    held: bool
    attended: int


@dataclass(frozen=True)
class ProductRow:
    id: int
    title: str
    kind: str
    year: int
    published_in: str


@dataclass
class Report:
    platform: Platform
    period: tuple[date, date]
    masters: list[MasterRow] = field(default_factory=list)
    programs: list[ProgramRow] = field(default_factory=list)
    interns: list[InternRow] = field(default_factory=list)
    growth: Growth = field(default_factory=Growth)
    events: list[EventRow] = field(default_factory=list)
    products: list[ProductRow] = field(default_factory=list)
    authors: dict[int, list[str]] = field(default_factory=dict)


def _internships_query(platform_ids: Sequence[int], period: tuple[date, date]) -> Any:
    """A superset of the period's internships of the platforms, decided in SQL; the exact
    overlap (an active internship runs until today) is decided in Python."""
    start, end = period
    finished = func.coalesce(Internship.actual_end, Internship.planned_end, Internship.start_date)
    return and_(
        Program.platform_id.in_(platform_ids),
        Internship.start_date <= end,
        or_(Internship.status.in_([ACTIVE, PLANNED]), finished >= start),
    )


def _finish(
    status: InternshipStatus, start: date, planned: date | None, actual: date | None, today: date
) -> date:
    if status in (COMPLETED, WITHDRAWN):
        return actual or planned or start
    if status == ACTIVE:
        return max(planned or today, today)
    return planned or start


def _outcome(status: InternshipStatus, actual: date | None, period_end: date) -> str:
    if status == COMPLETED and actual and actual <= period_end:
        return "completed"
    if status == WITHDRAWN and (actual is None or actual <= period_end):
        return "withdrawn"
    if status == PLANNED:
        return "waiting"
    return "studying"


def _load_interns(
    session: Session, reports: dict[int, Report], period: tuple[date, date], today: date
) -> None:
    organization = Organization.__table__.alias("intern_org")
    rows = session.execute(
        select(
            Internship.id,
            Program.platform_id,
            Person.surname,
            Person.name,
            Person.patronymic,
            Person.teaching_since,
            organization.c.short_name,
            Program.id,
            Program.title,
            Internship.start_date,
            Internship.planned_end,
            Internship.actual_end,
            Internship.status,
            Internship.hours_done,
        )
        .join(Program, Program.id == Internship.program_id)
        .join(Person, Person.id == Internship.person_id)
        .outerjoin(organization, organization.c.id == Person.organization_id)
        .where(_internships_query(list(reports), period))
        .order_by(Person.search_key, Internship.start_date, Internship.id)
    ).all()
    start, end = period
    for row in rows:
        iid, platform_id, surname, name, patronymic, since, org = row[:7]
        program_id, program, begun, planned, actual, status, hours = row[7:]
        status = InternshipStatus(status)
        if _finish(status, begun, planned, actual, today) < start:
            continue
        young = since is not None and (begun - since).days < 365.25 * YOUNG_YEARS
        reports[platform_id].interns.append(
            InternRow(
                iid,
                full_fio(surname, name, patronymic),
                org or "",
                program_id,
                program,
                begun,
                actual or planned,
                status,
                _outcome(status, actual, end),
                start <= begun <= end,
                young,
                float(hours or 0),
            )
        )


def _load_growth(session: Session, reports: dict[int, Report], period: tuple[date, date]) -> None:
    """Per intern the latest entry and exit assessment, per competency the share of the
    maximum — one grouped query for every intern of every platform."""
    platform_of = {i.id: r.platform.id for r in reports.values() for i in r.interns}
    if not platform_of:
        return
    internships = (
        select(Internship.id)
        .join(Program, Program.id == Internship.program_id)
        .where(_internships_query(list(reports), period))
    )
    rows = session.execute(
        select(
            Assessment.internship_id,
            Assessment.stage,
            Assessment.assessed_on,
            Assessment.id,
            Competency.name,
            Competency.sort_order,
            func.sum(Score.value - Instrument.scale_min),
            func.count(Score.id) * (Instrument.scale_max - Instrument.scale_min),
        )
        .join(Instrument, Instrument.id == Assessment.instrument_id)
        .join(Score, Score.assessment_id == Assessment.id)
        .join(Indicator, Indicator.id == Score.indicator_id)
        .join(Competency, Competency.id == Indicator.competency_id)
        .where(
            Assessment.internship_id.in_(internships),
            Assessment.stage.in_([Stage.ENTRY, Stage.EXIT]),
            Assessment.assessed_on <= period[1],
        )
        .group_by(
            Assessment.internship_id,
            Assessment.stage,
            Assessment.assessed_on,
            Assessment.id,
            Competency.id,
            Competency.name,
            Competency.sort_order,
            Instrument.scale_min,
            Instrument.scale_max,
        )
    ).all()
    # the latest assessment of each stage of each internship: its sums per competency
    latest: dict[tuple[int, str], tuple[Any, dict[str, tuple[float, float, int]]]] = {}
    for internship_id, stage, on, assessment_id, competency, order, total, maximum in rows:
        if internship_id not in platform_of:
            continue
        if stage == Stage.EXIT and on < period[0]:
            continue  # the intern's growth was reported for an earlier period
        key = (internship_id, str(getattr(stage, "value", stage)))
        mark = (on, assessment_id)
        if key not in latest or latest[key][0] < mark:
            latest[key] = (mark, {})
        if latest[key][0] == mark:
            latest[key][1][competency] = (float(total or 0), float(maximum or 0), order)
    by_platform: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for (internship_id, stage), (_mark, before) in latest.items():
        if stage != Stage.ENTRY.value or (internship_id, Stage.EXIT.value) not in latest:
            continue
        after = latest[(internship_id, Stage.EXIT.value)][1]
        by_platform[platform_of[internship_id]].append((before, after))
    for platform_id, pairs in by_platform.items():
        reports[platform_id].growth = _growth(pairs)


def _percent(total: float, maximum: float) -> float:
    return round(100 * total / maximum, 1) if maximum else 0.0


def _growth(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> Growth:
    overall_in, overall_out = [], []
    per: dict[str, list[tuple[float, float]]] = defaultdict(list)
    order: dict[str, int] = {}
    for before, after in pairs:
        overall_in.append(
            _percent(sum(v[0] for v in before.values()), sum(v[1] for v in before.values()))
        )
        overall_out.append(
            _percent(sum(v[0] for v in after.values()), sum(v[1] for v in after.values()))
        )
        for name in before.keys() & after.keys():
            per[name].append((_percent(*before[name][:2]), _percent(*after[name][:2])))
            order[name] = before[name][2]
    competencies = [
        GrowthRow(
            name,
            len(values),
            round(sum(v[0] for v in values) / len(values), 1),
            round(sum(v[1] for v in values) / len(values), 1),
        )
        for name, values in sorted(per.items(), key=lambda item: (order[item[0]], item[0]))
    ]
    return Growth(
        len(pairs),
        round(sum(overall_in) / len(pairs), 1),
        round(sum(overall_out) / len(pairs), 1),
        competencies,
    )


def _load_masters(session: Session, reports: dict[int, Report], period: tuple[date, date]) -> None:
    """The teacher-masters with the status by the period's end: those still in the working
    group, and those who left it but mentored an intern of the period."""
    mentoring = exists().where(
        Internship.mentor_id == TeacherMaster.id,
        Internship.start_date <= period[1],
        func.coalesce(Internship.actual_end, period[1]) >= period[0],
    )
    rows = session.execute(
        select(
            TeacherMaster.platform_id,
            Person.surname,
            Person.name,
            Person.patronymic,
            TeacherMaster.specialization,
            TeacherMaster.status_on,
            TeacherMaster.order_number,
        )
        .join(Person, Person.id == TeacherMaster.person_id)
        .where(
            TeacherMaster.platform_id.in_(list(reports)),
            or_(TeacherMaster.status_on.is_(None), TeacherMaster.status_on <= period[1]),
            or_(TeacherMaster.active.is_(True), mentoring),
        )
        .order_by(Person.search_key, TeacherMaster.id)
    ).all()
    for platform_id, surname, name, patronymic, specialization, on, order in rows:
        reports[platform_id].masters.append(
            MasterRow(full_fio(surname, name, patronymic), specialization, on, order)
        )


def _load_programs(session: Session, reports: dict[int, Report]) -> None:
    rows = session.execute(
        select(
            Program.platform_id,
            Program.id,
            Program.title,
            func.count(ProgramModule.id),
            func.coalesce(func.sum(ProgramModule.hours_theory + ProgramModule.hours_practice), 0),
        )
        .outerjoin(ProgramModule, ProgramModule.program_id == Program.id)
        .where(Program.platform_id.in_(list(reports)))
        .group_by(Program.platform_id, Program.id, Program.title)
        .order_by(Program.title, Program.id)
    ).all()
    for platform_id, program_id, program_title, modules, hours in rows:
        reports[platform_id].programs.append(
            ProgramRow(program_id, program_title, int(modules), int(hours))
        )


def _load_events(session: Session, reports: dict[int, Report], period: tuple[date, date]) -> None:
    in_period = and_(
        Event.platform_id.in_(list(reports)),
        Event.starts_on >= period[0],
        Event.starts_on <= period[1],
    )
    attended = (
        select(
            Participation.event_id.label("event_id"),
            func.sum(case((Participation.attended.is_(True), 1), else_=0)).label("attended"),
        )
        .where(Participation.event_id.in_(select(Event.id).where(in_period)))
        .group_by(Participation.event_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Event.platform_id,
            Event.title,
            EventForm.name,
            EventLevel.name,
            Event.starts_on,
            Event.ends_on,
            Event.plan_year,
            Event.held,
            func.coalesce(attended.c.attended, 0),
        )
        .join(EventForm, EventForm.id == Event.form_id)
        .join(EventLevel, EventLevel.id == Event.level_id)
        .outerjoin(attended, attended.c.event_id == Event.id)
        .where(in_period)
        .order_by(Event.starts_on, Event.search_key, Event.id)
    ).all()
    for platform_id, event_title, form, level, starts, ends, plan_year, held, count in rows:
        reports[platform_id].events.append(
            EventRow(
                event_title,
                form,
                level,
                starts,
                ends,
                plan_year is not None,
                bool(held),
                int(count or 0),
            )
        )


def _load_products(session: Session, reports: dict[int, Report], period: tuple[date, date]) -> None:
    ids = list(reports)
    years = and_(Product.year >= period[0].year, Product.year <= period[1].year)
    columns = (Product.id, Product.title, Product.kind, Product.year, Product.published_in)
    own = select(Product.platform_id.label("owner"), *columns).where(
        Product.platform_id.in_(ids), years
    )
    people = (
        select(TeacherMaster.platform_id.label("platform_id"), TeacherMaster.person_id)
        .where(TeacherMaster.platform_id.in_(ids))
        .union(
            select(Platform.id, Platform.head_id).where(
                Platform.id.in_(ids), Platform.head_id.is_not(None)
            )
        )
        .subquery()
    )
    authored = (
        select(people.c.platform_id.label("owner"), *columns)
        .join(product_author, product_author.c.product_id == Product.id)
        .join(people, people.c.person_id == product_author.c.person_id)
        .where(Product.platform_id.is_(None), years)
    )
    found = own.union(authored).subquery()
    rows = session.execute(select(found).order_by(found.c.year, found.c.title, found.c.id)).all()
    product_ids = set()
    for owner, product_id, product_title, kind, year, published in rows:
        reports[owner].products.append(ProductRow(product_id, product_title, kind, year, published))
        product_ids.add(product_id)
    if not product_ids:
        return
    authors: dict[int, list[str]] = defaultdict(list)
    for product_id, surname, name, patronymic in session.execute(
        select(product_author.c.product_id, Person.surname, Person.name, Person.patronymic)
        .join(Person, Person.id == product_author.c.person_id)
        .where(product_author.c.product_id.in_(product_ids))
        .order_by(Person.search_key)
    ):
        authors[product_id].append(short_fio(surname, name, patronymic))
    for report in reports.values():
        report.authors = {p.id: authors.get(p.id, []) for p in report.products}


def load_reports(session: Session, ids: Sequence[int], options: Options) -> dict[int, Report]:
    """The reports for the platforms ``ids`` — a fixed number of queries for any number."""
    period = options.period
    platforms = session.scalars(
        select(Platform)
        .where(Platform.id.in_(set(ids)))
        .options(
            joinedload(Platform.organization),
            joinedload(Platform.head),
            selectinload(Platform.competencies),
        )
    ).unique()
    reports = {p.id: Report(p, period) for p in platforms}
    for platform_id in ids:
        if platform_id not in reports:
            raise NotFoundError(f"Площадка № {platform_id} не найдена.")
    _load_masters(session, reports, period)
    _load_programs(session, reports)
    _load_interns(session, reports, period, options.today)
    _load_growth(session, reports, period)
    _load_events(session, reports, period)
    _load_products(session, reports, period)
    return reports


# -- the layout ------------------------------------------------------------------------------


def period_words(period: tuple[date, date]) -> str:
    """«за 2026 год» for a calendar year, else «за период с 1 января по 30 июня 2026 г.»."""
    start, end = period
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return f"за {start.year} год"
    return f"за период {period_phrase(start, end)}"


def _order(platform: Platform) -> str:
    number_ = platform.order_number.strip()
    if number_ and not number_.startswith("№"):
        number_ = f"№ {number_}"
    on = short_date(platform.order_date)
    return " ".join(p for p in (number_, f"от {on}" if on else "") if p)


def _activity(platform: Platform) -> str:
    start = short_date(platform.active_from)
    if platform.active_to:
        return f"с {start} по {short_date(platform.active_to)}"
    return f"с {start}"


def _section(caption: str, *body: Flowable, summary: Flowable | None = None) -> list[Flowable]:
    """A numbered section; its ``summary`` (a few lines of counts) stays with its heading."""
    if summary is not None:
        return [KeepTogether([heading(caption), summary]), *body]
    return [*keep_with_next(heading(caption), space_needed_mm=30), *body]


def _passport(report: Report) -> list[Flowable]:
    platform = report.platform
    organization = platform.organization
    competencies = sorted(platform.competencies, key=lambda c: (c.sort_order, c.name))
    return _section(
        "1. Сведения о площадке",
        fields(
            [
                ("Организация", nb(organization.full_name or organization.short_name)),
                ("Вид площадки", kind_label(platform.kind)),
                ("Тема", platform.theme),
                ("Направления", "; ".join(c.name for c in competencies)),
                ("Приказ о статусе", nb(_order(platform))),
                ("Руководитель площадки", head_name(platform)),
                ("Период деятельности", _activity(platform)),
                ("Статус", labels.PLATFORM_STATUS.get(platform.status.value, "")),
            ],
            content_width(),
        ),
    )


MASTER_COLUMNS = (
    Column("№", 8, "center"),
    Column("ФИО", 55),
    Column("Специализация", 57),
    Column("Статус с", 22, "center"),
    Column("Приказ", 28),
)


def _masters(report: Report) -> list[Flowable]:
    if not report.masters:
        return _section("2. Педагоги-мастера", empty_note("Педагогов-мастеров нет."))
    rows = [
        (i, m.name, m.specialization, short_date(m.status_on), m.order_number)
        for i, m in enumerate(report.masters, 1)
    ]
    return _section(
        "2. Педагоги-мастера",
        para(f"Педагогов-мастеров: {len(report.masters)}.", "plain"),
        space(2),
        data_table(MASTER_COLUMNS, rows, content_width()),
    )


PROGRAM_COLUMNS = (
    Column("№", 8, "center"),
    Column("Программа", 100),
    Column("Модулей", 18, "center"),
    Column("Объём, ч", 20, "center"),
    Column("Стажёров в периоде", 24, "center"),
)


def _programs(report: Report) -> list[Flowable]:
    if not report.programs:
        return _section("3. Программы стажировки", empty_note("Программ нет."))
    interns: dict[int, int] = defaultdict(int)
    for intern in report.interns:
        interns[intern.program_id] += 1
    rows = [
        (i, p.title, p.modules, p.hours, interns[p.id]) for i, p in enumerate(report.programs, 1)
    ]
    return _section("3. Программы стажировки", data_table(PROGRAM_COLUMNS, rows, content_width()))


INTERN_COLUMNS = (
    Column("№", 8, "center"),
    Column("ФИО", 36),
    Column("ОО", 24),
    Column("Программа", 40),
    Column("Период", 24, "center"),
    Column("Статус", 26, "center"),
    Column("Часы", 12, "center"),
)


def _interns(report: Report) -> list[Flowable]:
    interns = report.interns
    caption = "4. Стажёры"
    if not interns:
        return _section(caption, empty_note("Стажёров в отчётном периоде не было."))
    outcomes: dict[str, int] = defaultdict(int)
    for intern in interns:
        outcomes[intern.outcome] += 1
    hours = sum(i.hours for i in interns)
    counts = [
        ("Стажёров за период, всего", str(len(interns))),
        ("из них молодых педагогов (стаж до 3 лет)", str(sum(i.young for i in interns))),
        ("зачислено в отчётном периоде", str(sum(i.enrolled for i in interns))),
        ("завершили стажировку", str(outcomes["completed"])),
        ("продолжают стажировку", str(outcomes["studying"])),
        ("прекратили стажировку", str(outcomes["withdrawn"])),
    ]
    if outcomes["waiting"]:
        counts.append(("ещё не приступили", str(outcomes["waiting"])))
    counts.append(("Объём обучения (часы стажёров)", hours_phrase(hours)))
    rows = [
        (
            n,
            i.name,
            i.organization,
            i.program,
            f"{short_date(i.start)} –\n{short_date(i.end)}" if i.end else short_date(i.start),
            labels.INTERNSHIP_STATUS.get(i.status.value, ""),
            number(i.hours),
        )
        for n, i in enumerate(interns, 1)
    ]
    total = ("", "Итого", "", "", "", "", number(hours))
    table = data_table(INTERN_COLUMNS, rows, content_width(), total=total)
    return _section(
        caption, space(3), table, summary=fields(counts, content_width(), label_share=0.6)
    )


GROWTH_COLUMNS = (
    Column("Компетенция", 43),
    Column("Стажёров", 20, "center"),
    Column("Вход, %", 16, "center"),
    Column("Выход, %", 17, "center"),
    Column("Прирост, п.п.", 20, "center"),
    Column("Динамика", 54),
)


def _growth_section(report: Report) -> list[Flowable]:
    growth = report.growth
    caption = "5. Результаты входной и итоговой диагностики"
    if not growth.interns:
        return _section(
            caption, empty_note("Стажёров с входной и итоговой диагностикой в периоде нет.")
        )
    rows = [
        (
            g.competency,
            g.interns,
            number(g.entry),
            number(g.exit),
            signed(g.delta),
            growth_wording(g.delta),
        )
        for g in growth.competencies
    ]
    average = (
        "В среднем",
        growth.interns,
        number(growth.entry),
        number(growth.exit),
        signed(growth.delta),
        growth_wording(growth.delta),
    )
    table = data_table(GROWTH_COLUMNS, rows, content_width(), numbered=False, total=average)
    summary = (
        f"Стажёров, прошедших входную и итоговую диагностику: {growth.interns}. "
        f"Средний результат на входе — {number(growth.entry)} %, на выходе — "
        f"{number(growth.exit)} %, прирост {signed(growth.delta)} п.п. "
        f"({growth_wording(growth.delta)})."
    )
    return _section(
        caption,
        para(summary),
        space(2),
        table,
    )


EVENT_SIZE = 9
EVENT_COLUMNS = (
    Column("№", 7, "center"),
    Column("Мероприятие", 38),
    Column("Форма", 30),
    Column("Уровень", 27),
    Column("Дата", 18, "center"),
    Column("Участников", 23, "center"),
    Column("Отметка", 27),
)


def _event_mark(event: EventRow, today: date) -> str:
    if event.held:
        mark = "проведено"
    elif (event.ends_on or event.starts_on) < today:
        mark = "не проведено"
    else:
        mark = "запланировано"
    return mark if event.planned else f"{mark} (вне плана)"


def _events(report: Report, today: date) -> list[Flowable]:
    events = report.events
    caption = "6. Мероприятия площадки"
    if not events:
        return _section(caption, empty_note("Мероприятий в отчётном периоде не было."))
    planned = [e for e in events if e.planned]
    held_planned = sum(e.held for e in planned)
    held_unplanned = sum(e.held for e in events if not e.planned)
    missed = sum(1 for e in planned if _event_mark(e, today) == "не проведено")
    share = f" ({round(100 * held_planned / len(planned))} %)" if planned else ""
    summary = [
        ("Запланировано", str(len(planned))),
        ("проведено из запланированных", f"{held_planned}{share}"),
        ("не проведено в срок", str(missed)),
        ("предстоит провести", str(len(planned) - held_planned - missed)),
        ("проведено вне плана", str(held_unplanned)),
        ("Участников (посещений)", str(sum(e.attended for e in events))),
    ]
    rows = [
        (
            n,
            e.title,
            e.form,
            e.level,
            short_date(e.starts_on)
            + (f" – {short_date(e.ends_on)}" if e.ends_on and e.ends_on != e.starts_on else ""),
            e.attended,
            _event_mark(e, today),
        )
        for n, e in enumerate(events, 1)
    ]
    return _section(
        caption,
        space(3),
        data_table(EVENT_COLUMNS, rows, content_width(), size=EVENT_SIZE),
        summary=fields(summary, content_width(), label_share=0.6),
    )


PRODUCT_COLUMNS = (
    Column("№", 7, "center"),
    Column("Название", 52),
    Column("Вид", 27),
    Column("Год", 12, "center"),
    Column("Авторы", 36),
    Column("Где опубликовано", 36),
)


def _products(report: Report, tail: list[Flowable]) -> list[Flowable]:
    caption = "7. Методическая продукция"
    if not report.products:
        note = empty_note("Методической продукции в отчётном периоде нет.")
        return [*_section(caption, note), *tail]
    rows = [
        (n, p.title, p.kind, p.year, ", ".join(report.authors.get(p.id, [])), p.published_in)
        for n, p in enumerate(report.products, 1)
    ]
    table = data_table(PRODUCT_COLUMNS, rows, content_width())
    return _section(caption, TableThenTail(table, tail))


def _build(report: Report, options: Options) -> list[Flowable]:
    platform = report.platform
    organization = platform.organization
    contacts = contacts_line(organization.address, organization.phone, organization.email)
    position = platform_head_position(platform)
    head = options.district.signature_name(head_name(platform))
    tail = [space(10), signatures([(position, head)], content_width())]
    return [
        *letterhead(
            Letterhead(
                issuer=nb(organization.full_name or organization.short_name), contacts=contacts
            )
        ),
        *title(
            f"Отчёт о деятельности {kind_genitive(platform.kind)} площадки",
            f"{nb(organization.short_name)} {period_words(report.period)}",
        ),
        *_passport(report),
        *_masters(report),
        *_programs(report),
        *_interns(report),
        *_growth_section(report),
        *_events(report, options.today),
        *_products(report, tail),
    ]


def platform_documents(session: Session, ids: Sequence[int], options: Options) -> list[Document]:
    reports = load_reports(session, ids, options)
    return [Document(lambda r=reports[i]: _build(r, options)) for i in ids]


def all_platforms(session: Session, _options: Options) -> list[int]:
    """The active platforms; every platform when none is active."""
    active = list(
        session.scalars(
            select(Platform.id)
            .where(Platform.status == PlatformStatus.ACTIVE)
            .order_by(Platform.id)
        )
    )
    return active or list(session.scalars(select(Platform.id).order_by(Platform.id)))


def platform_file_stem(session: Session, platform_id: int) -> str:
    name = session.scalar(
        select(Organization.short_name)
        .join(Platform, Platform.organization_id == Organization.id)
        .where(Platform.id == platform_id)
    )
    return f"Отчёт площадки {name}" if name else f"Отчёт площадки {platform_id}"


register(
    DocumentKind(
        key="platform",
        title="Отчёт стажировочной площадки",
        record="platforms",
        documents=platform_documents,
        all_ids=all_platforms,
        file_stem=platform_file_stem,
    )
)
