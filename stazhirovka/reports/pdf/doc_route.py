"""«Индивидуальный образовательный маршрут педагога» (ИОМ; DOCUMENTS.md §1.2, §1.3) of an
internship: the title page with «СОГЛАСОВАНО» and «УТВЕРЖДАЮ», the teacher's passport, the
entry diagnostics with the deficits found, the goal and tasks, the plan table on landscape
pages with its total of hours, the planned results and the signatures with «С ИОМ
ознакомлен(а)». Printed by the id of the internship that owns the route.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Table, TableStyle
from sqlalchemy import select

from ...formats import number, short_date
from ...grammar import hours_phrase
from ...models import Internship, Route, RouteStep, Sex, StepStatus
from ...services import labels
from ...services.internships import step_display_status
from ..documents import Options, register
from .blocks import BLANK_NAME, Letterhead, agreed, approval, letterhead, signatures, signer
from .internship_data import (
    Diagnostics,
    assessment_line,
    category_name,
    deficit_line,
    experience_line,
    goal_and_tasks,
    internship_kind,
    internship_period,
    level_text,
    load_diagnostics,
    mentor_name,
    percent_text,
    points_text,
    position_name,
    program_line,
)
from .layout import (
    Document,
    bullet_list,
    content_width,
    empty_note,
    heading,
    keep_with_next,
    para,
    space,
    text,
    title,
    to_landscape,
    to_portrait,
)
from .tables import Column, cell, data_table, fields, markup_cell
from .wording import head_name, organization_name, platform_head_position, text_lines

TITLE = "Индивидуальный образовательный маршрут педагога"
NO_STEPS = "Шаги маршрута не запланированы."

# The head of an organization by its kind, for «УТВЕРЖДАЮ» (the job title keeps its
# masculine form whoever holds it, as in official documents).
HEAD_TITLE = {
    "school": "Директор",
    "additional": "Директор",
    "college": "Директор",
    "kindergarten": "Заведующий",
    "university": "Ректор",
}


class FillPage(Flowable):
    """Takes the free height of the page but ``reserve``: what follows goes to its foot."""

    def __init__(self, reserve: float) -> None:
        super().__init__()
        self.reserve = reserve

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, max(available_height - self.reserve, 0)

    def draw(self) -> None:
        pass


def acquainted(sex: Any) -> str:
    """«С ИОМ ознакомлен» / «С ИОМ ознакомлена» by the teacher's sex."""
    female = getattr(sex, "value", sex) == Sex.FEMALE.value
    return "С ИОМ ознакомлена" if female else "С ИОМ ознакомлен"


def approver(internship: Internship, options: Options) -> tuple[str, str]:
    """Who approves the route: the head of the teacher's organization, else the district's
    first signatory, else a blank to fill in by hand."""
    organization = internship.person.organization
    if organization is not None and organization.head_name:
        kind = getattr(organization.kind, "value", organization.kind)
        position = f"{HEAD_TITLE.get(kind, 'Руководитель')} {organization.short_name}".strip()
        return position, options.district.signature_name(organization.head_name)
    first = options.district.signatory(0)
    if first.position or first.name:
        return first.position, options.district.signature_name(first.name)
    return "", ""


def title_page(internship: Internship, route: Route | None, options: Options) -> list[Flowable]:
    district = options.district
    person = internship.person
    width = content_width("portrait")
    organization = person.organization
    head = Letterhead(district.founder, organization.full_name if organization else district.issuer)
    position, name = approver(internship, options)
    half = width / 2
    grifs = Table(
        [
            [
                agreed("Педагог-мастер", signer(district, mentor_name(internship)), half - 8 * mm),
                approval(position, name, route.approved_on if route else None, 75 * mm),
            ]
        ],
        colWidths=[half, half],
    )
    grifs.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    subtitle = ", ".join(
        p
        for p in (
            position_name(person),
            organization.short_name if organization else "",
        )
        if p
    )
    year = (route.approved_on if route and route.approved_on else internship.start_date).year
    place = ", ".join(p for p in (district.city, str(year)) if p)  # the city as «г. Тимашевск»
    items: list[Flowable] = [
        *letterhead(head),
        grifs,
        space(45),
        *title(TITLE.upper()),
        space(6),
        para(person.full_name, "title"),
    ]
    if subtitle:
        items.append(para(subtitle, "center"))
    if route is not None and route.is_group:
        items.append(para("(групповой маршрут)", "center"))
    items += [
        space(8),
        para(f"Программа стажировки {program_line(internship.program)}", "center"),
        space(2),
        para(f"Период реализации: {internship_period(internship)}", "center"),
        FillPage(12 * mm),
        para(place, "center"),
        PageBreak(),
    ]
    return items


def passport(internship: Internship, width: float) -> Flowable:
    person = internship.person
    platform = internship.program.platform
    return fields(
        [
            ("Фамилия, имя, отчество", person.full_name),
            ("Должность", position_name(person)),
            ("Образовательная организация", organization_name(person.organization)),
            ("Преподаваемый предмет", person.subject),
            ("Образование", person.education),
            ("Педагогический стаж", experience_line(internship)),
            ("Квалификационная категория", category_name(person)),
            ("Педагог-мастер (наставник)", mentor_name(internship)),
            ("Стажировочная площадка", organization_name(platform.organization)),
            ("Программа стажировки", program_line(internship.program)),
            ("Период реализации", internship_period(internship)),
        ],
        width,
    )


DIAGNOSTICS_COLUMNS = (
    Column("№", 7, "center"),
    Column("Компетенция (трудовая функция)", 95),
    Column("Балл", 26, "center"),
    Column("%", 18, "center"),
    Column("Уровень", 24, "center"),
)


def diagnostics_section(route: Route | None, diagnostics: Diagnostics, width: float) -> list:
    entry = diagnostics.entry
    items: list[Flowable] = []
    if entry is None:
        items.append(empty_note("Входная диагностика не проводилась."))
    else:
        items.append(
            para(
                f"Входная диагностика {assessment_line(entry)}, методика «{entry.instrument}».",
                "plain",
            )
        )
        items.append(space(2))
        rows = [
            [
                i,
                diagnostics.labels.get(r.competency, r.competency),
                points_text(r),
                percent_text(r.percent),
                level_text(r.level),
            ]
            for i, r in enumerate(entry.competencies, 1)
        ]
        total = [
            "",
            "Итого по всем показателям",
            points_text(entry),
            percent_text(entry.percent),
            level_text(entry.level),
        ]
        items.append(data_table(DIAGNOSTICS_COLUMNS, rows, width, numbered=False, total=total))
    found = text_lines(route.deficits) if route is not None else []
    if not found and entry is not None:
        found = [deficit_line(d) for d in entry.deficits]
    items.append(space(3))
    if found:
        items.append(para("Выявленные профессиональные дефициты:", "label"))
        items += bullet_list(found)
    else:
        items.append(empty_note("Профессиональные дефициты не выявлены."))
    return items


def goal_section(route: Route | None) -> list[Flowable]:
    if route is None:
        return [empty_note("Маршрут для этой стажировки ещё не составлен.")]
    items = goal_and_tasks(route)
    if not items:
        items.append(empty_note("Цель и задачи маршрута не указаны."))
    return items


# widths in millimetres of the landscape page (257 mm): the longest words of the labels and
# of the demo's texts («самообразование» 31, «профессионального» 35, «коммуникационными» 39)
# fit unbroken at 10 pt
PLAN_COLUMNS = (
    Column("№ п/п", 9, "center"),
    Column("Выявленный профессиональный дефицит", 43),
    Column("Содержание деятельности / мероприятие", 40),
    Column("Форма работы", 32),
    Column("Сроки", 20, "center"),
    Column("Объём, ч", 16, "center"),
    Column("Планируемый результат", 34),
    Column("Форма предъявления результата", 36),
    Column("Отметка о выполнении", 29),
)


def _terms(step: RouteStep) -> str:
    start, end = step.planned_start, step.planned_end
    if start and end:
        return f"{short_date(start)}\n{short_date(end)}"  # start over end: a date range
    if start:
        return f"с {short_date(start)}"
    if end:
        return f"до {short_date(end)}"
    return ""


def _content(step: RouteStep) -> Flowable:
    module = step.module
    if module is not None:
        prefix = f"<i>Модуль {module.position}.</i> "
        return markup_cell(prefix + text(step.title))
    return cell(step.title)


def _mark(step: RouteStep, options: Options) -> Flowable:
    status = step_display_status(step, options.today)
    mark = labels.STEP_STATUS.get(status, status)
    if status == StepStatus.DONE.value and step.done_on:
        mark += f" {short_date(step.done_on)}"
    parts = [text(mark)]
    if step.mentor_mark:
        parts.append(f"<i>{text(step.mentor_mark)}</i>")
    return markup_cell("<br/>".join(parts))


def plan_section(route: Route | None, options: Options, width: float) -> list[Flowable]:
    steps = list(route.steps) if route is not None else []
    if not steps:
        return [data_table(PLAN_COLUMNS, [], width), space(2), empty_note(NO_STEPS)]
    rows = [
        [
            i,
            step.deficit,
            _content(step),
            labels.STEP_KIND.get(step.kind.value, step.kind.value),
            _terms(step),
            number(step.hours),
            step.expected_result,
            step.report_form,
            _mark(step, options),
        ]
        for i, step in enumerate(steps, 1)
    ]
    live = [s for s in steps if s.status != StepStatus.DROPPED]
    done = [s for s in live if s.status == StepStatus.DONE]
    overdue = [s for s in live if step_display_status(s, options.today) == "overdue"]
    hours = sum(s.hours or 0 for s in live)
    dropped = len(steps) - len(live)
    label = "Итого (без исключённых шагов)" if dropped else "Итого"
    total = ["", label, "", "", "", number(hours), "", "", ""]
    percent = round(100 * len(done) / len(live)) if live else 0
    progress = (
        f"Общий объём маршрута: {hours_phrase(hours)}. На {short_date(options.today)} "
        f"выполнено шагов: {len(done)} из {len(live)} ({percent} %), "
        f"{hours_phrase(sum(s.hours or 0 for s in done))}"
    )
    if overdue:
        progress += f"; просрочено: {len(overdue)}"
    if dropped:
        progress += f"; исключено из маршрута: {dropped}"
    return [
        data_table(PLAN_COLUMNS, rows, width, total=total),
        space(3),
        para(progress + ".", "plain"),
    ]


def results_section(internship: Internship, route: Route | None) -> list[Flowable]:
    """Планируемые результаты: the program's expected results and the products the route's
    steps are to be reported with."""
    items: list[Flowable] = []
    expected = text_lines(internship.program.expected_results)
    if expected:
        items += [para(line, "plain") for line in expected]
    products = list(
        dict.fromkeys(
            s.expected_result.strip()
            for s in (route.steps if route is not None else [])
            if s.status != StepStatus.DROPPED and s.expected_result.strip()
        )
    )
    if products:
        items.append(space(2))
        items.append(para("Результаты шагов маршрута:", "label"))
        items += bullet_list(products)
    items.append(space(2))
    items.append(
        para(
            "Устранение выявленных дефицитов подтверждается итоговой диагностикой "
            "(карта эффективности).",
            "plain",
        )
    )
    return items


def route_signatures(internship: Internship, options: Options, width: float) -> list[Flowable]:
    district = options.district
    person = internship.person
    platform = internship.program.platform
    position, name = approver(internship, options)
    rows = [
        ("Педагог", signer(district, person.full_name)),
        ("Педагог-мастер", signer(district, mentor_name(internship))),
        (platform_head_position(platform), signer(district, head_name(platform))),
        (position or "Руководитель образовательной организации", name or BLANK_NAME),
    ]
    acquaintance = [(acquainted(person.sex), signer(district, person.full_name))]
    return [
        KeepTogether(
            [
                signatures(rows, width),
                space(8),
                signatures(acquaintance, width, blank_date=True),
            ]
        )
    ]


def route_document(internship: Internship, diagnostics: Diagnostics, options: Options) -> Document:
    route = internship.route

    def build() -> list[Flowable]:
        width = content_width("portrait")
        items = title_page(internship, route, options)
        items += [heading("1. Сведения о педагоге (паспорт ИОМ)"), passport(internship, width)]
        items += keep_with_next(heading("2. Результаты диагностики"))
        items += diagnostics_section(route, diagnostics, width)
        items += keep_with_next(heading("3. Цель и задачи"))
        items += goal_section(route)
        items += to_landscape()
        items.append(heading("4. План реализации маршрута"))
        items += plan_section(route, options, content_width("landscape"))
        items += to_portrait()
        items.append(heading("5. Планируемые результаты"))
        items += results_section(internship, route)
        items += keep_with_next(heading("6. Подписи"), space_needed_mm=70)
        items += route_signatures(internship, options, width)
        return items

    return Document(build)


register(
    internship_kind(
        "route",
        TITLE,
        "ИОМ",
        load_diagnostics,
        route_document,
        # --all: every internship that has a route
        Internship.id.in_(select(Route.internship_id).where(Route.internship_id.is_not(None))),
    )
)
