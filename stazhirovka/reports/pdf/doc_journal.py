"""«Журнал профессионального роста стажёра» (DOCUMENTS.md §2.1, §2.2): the title part, the
intern's details, the individual task from the route, the dated journal on landscape pages
with its total of hours, the mentor's conclusion and the signatures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ...formats import number, plural, short_date
from ...grammar import agreement, hours_phrase
from ...models import (
    Internship,
    InternshipStatus,
    JournalEntry,
    Program,
    ProgramModule,
    Route,
    RouteStep,
)
from ...services import labels
from ...services.district import District
from ..documents import Options, register
from .blocks import district_letterhead, signatures, signer
from .internship_data import (
    category_name,
    chunks,
    experience_line,
    goal_and_tasks,
    internship_kind,
    internship_period,
    mentor_name,
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
    markup,
    para,
    space,
    text,
    title,
    to_landscape,
    to_portrait,
)
from .tables import Column, blank_lines, data_table, fields, markup_cell
from .wording import head_name, organization_name, platform_head_position, text_lines

TITLE = "Журнал профессионального роста стажёра"
BLANK = "_" * 36  # a line to fill in by hand where a detail is unknown


def or_blank(value: str | None, blank: str = BLANK) -> str:
    return value if value else blank


def intern_pairs(internship: Internship) -> list[tuple[str, Any]]:
    """Сведения о стажёре: ОО, должность, предмет, стаж, категория (DOCUMENTS.md §2.1)."""
    person = internship.person
    return [
        ("Образовательная организация", organization_name(person.organization)),
        ("Должность", position_name(person)),
        ("Преподаваемый предмет", person.subject),
        ("Педагогический стаж", experience_line(internship)),
        ("Квалификационная категория", category_name(person)),
    ]


# -- the journal -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    entry_date: date
    activity: str
    topic: str
    hours: float
    result: str
    reflection: str
    mentor_comment: str
    module_position: int | None
    module_title: str | None


def load_entries(session: Session, internships: dict[int, Internship]) -> dict[int, list[Entry]]:
    """The journal entries of all the internships, with the program module of a route step
    (none: an empty list)."""
    entries: dict[int, list[Entry]] = defaultdict(list)
    for part in chunks(list(internships)):
        rows = session.execute(
            select(
                JournalEntry.internship_id,
                JournalEntry.entry_date,
                JournalEntry.activity,
                JournalEntry.topic,
                JournalEntry.hours,
                JournalEntry.result,
                JournalEntry.reflection,
                JournalEntry.mentor_comment,
                ProgramModule.position,
                ProgramModule.title,
            )
            .outerjoin(RouteStep, RouteStep.id == JournalEntry.route_step_id)
            .outerjoin(ProgramModule, ProgramModule.id == RouteStep.module_id)
            .where(JournalEntry.internship_id.in_(part))
            .order_by(JournalEntry.internship_id, JournalEntry.entry_date, JournalEntry.id)
        )
        for internship_id, *values in rows:
            entries[internship_id].append(Entry(*values))
    return entries


# widths in millimetres of the landscape page (257 mm): the longest words fit unbroken
JOURNAL_COLUMNS = (
    Column("№", 8, "center"),
    Column("Дата", 19.5, "center"),
    Column("Модуль / тема программы", 40),
    Column("Вид деятельности", 30.5),
    Column("Содержание, результат (продукт)", 38),
    Column("Часы", 12, "center"),
    Column("Затруднения, выводы (рефлексия)", 43),
    Column("Рекомендации педагога-мастера", 40),
    Column("Подпись педагога-\nмастера", 26),
)


def _topic_cell(entry: Entry) -> Paragraph:
    parts = []
    if entry.module_title:
        label = f"Модуль {entry.module_position}. " if entry.module_position else ""
        parts.append(f"<i>{text(label + entry.module_title)}</i>")
    if entry.topic:
        parts.append(text(entry.topic))
    return markup_cell("<br/>".join(parts))


def journal_table(entries: Sequence[Entry], width: float) -> list[Flowable]:
    total = sum(e.hours or 0 for e in entries)
    rows = [
        [
            i,
            short_date(e.entry_date),
            _topic_cell(e),
            e.activity,
            e.result,
            number(e.hours),
            e.reflection,
            e.mentor_comment,
            "",
        ]
        for i, e in enumerate(entries, 1)
    ]
    if not rows:
        table = data_table(JOURNAL_COLUMNS, [], width)
        return [table, space(2), empty_note("Записей нет.")]
    summary = ["", "", "Итого", "", "", number(total), "", "", ""]
    return [
        data_table(JOURNAL_COLUMNS, rows, width, total=summary),
        space(3),
        para(
            f"Всего по журналу: {len(entries)} {plural(len(entries), 'запись', 'записи', 'записей')}"
            f", {hours_phrase(total)}.",
            "plain",
        ),
    ]


def _title_part(internship: Internship, district: District, width: float) -> list[Flowable]:
    program = internship.program
    platform = program.platform
    items: list[Flowable] = [*district_letterhead(district, contacts=False)]
    items += title(TITLE.upper())
    items.append(
        fields(
            [
                ("Стажировочная площадка", organization_name(platform.organization)),
                ("Территориальная методическая служба", or_blank(district.issuer)),
                ("Программа стажировки", program_line(program)),
                ("Период стажировки", internship_period(internship)),
                ("Стажёр", internship.person.full_name),
                ("Педагог-мастер", or_blank(mentor_name(internship))),
                (platform_head_position(platform), or_blank(head_name(platform))),
            ],
            width,
            label_share=0.36,
        )
    )
    modules = program.modules
    if modules:
        rows = [
            [
                str(m.position),
                m.title,
                number(m.hours_theory),
                number(m.hours_practice),
                number(m.hours),
            ]
            for m in modules
        ]
        items += keep_with_next(
            space(3),
            para("Модули программы", "label"),
            space(1),
            data_table(
                (
                    Column("№", 0.5, "center"),
                    Column("Модуль", 4.6),
                    Column("Теория, ч", 1.1, "center"),
                    Column("Практика, ч", 1.2, "center"),
                    Column("Всего, ч", 1.1, "center"),
                ),
                rows,
                width,
                numbered=False,
                total=[
                    "",
                    "Итого",
                    number(sum(m.hours_theory for m in modules)),
                    number(sum(m.hours_practice for m in modules)),
                    number(program.total_hours),
                ],
            ),
            space_needed_mm=35,
        )
    return items


def task_section(route: Route | None) -> list[Flowable]:
    """Индивидуальное задание: the route's goal, tasks and deficits."""
    if route is None:
        return [empty_note("Индивидуальный образовательный маршрут не составлен.")]
    items = goal_and_tasks(route)
    if text_lines(route.tasks):
        items.append(space(2))
    deficits = text_lines(route.deficits)
    if deficits:
        items.append(para("Выявленные профессиональные дефициты:", "label"))
        items += bullet_list(deficits)
    if not items:
        items.append(empty_note("Цель, задачи и дефициты в маршруте не указаны."))
    return items


def conclusion(internship: Internship) -> list[Flowable]:
    """The mark «стажировку прошёл / прошла» with the actual hours, or the status."""
    person = internship.person
    status = getattr(internship.status, "value", internship.status)
    if status == InternshipStatus.COMPLETED.value:
        verb = agreement(person.sex).completed
        line = (
            f"Стажёр {text(person.full_name)} <b>{verb} стажировку</b> по программе "
            f"{text(program_line_short(internship.program))} в объёме "
            f"<b>{text(hours_phrase(internship.hours_done))}</b> "
            f"{text(internship_period(internship))}"
        )
        return [markup(line.rstrip() + ("" if line.endswith(".") else "."), "plain")]
    label = labels.INTERNSHIP_STATUS.get(status, status)
    items = [markup(f"Статус стажировки: <b>{text(label)}</b>.", "plain")]
    if status == InternshipStatus.WITHDRAWN.value and internship.withdraw_reason:
        items.append(para(f"Причина прекращения: {internship.withdraw_reason}", "plain"))
    if status in (InternshipStatus.PLANNED.value, InternshipStatus.ACTIVE.value):
        items.append(
            para("Отметка о прохождении стажировки ставится после её завершения.", "plain")
        )
    return items


def program_line_short(program: Program) -> str:
    return f"«{program.title}»"


def _final_part(internship: Internship, district: District, width: float) -> list[Flowable]:
    platform = internship.program.platform
    items: list[Flowable] = [
        heading("4. Заключение педагога-мастера"),
        *conclusion(internship),
        space(3),
        para("Отзыв педагога-мастера о работе стажёра:", "plain"),
        blank_lines(4, width),
        space(6),
    ]
    rows = [
        ("Стажёр", signer(district, internship.person.full_name)),
        ("Педагог-мастер", signer(district, mentor_name(internship))),
        (platform_head_position(platform), signer(district, head_name(platform))),
    ]
    items.append(signatures(rows, width, stamp=True, blank_date=True))
    return items


def journal_document(
    internship: Internship, entries: Sequence[Entry], options: Options
) -> Document:
    district = options.district

    def build() -> list[Flowable]:
        width = content_width("portrait")
        wide = content_width("landscape")
        items = _title_part(internship, district, width)
        items.append(
            KeepTogether(
                [heading("1. Сведения о стажёре"), fields(intern_pairs(internship), width)]
            )
        )
        items += keep_with_next(heading("2. Индивидуальное задание на стажировку"))
        items += task_section(internship.route)
        items += to_landscape()
        items.append(heading("3. Журнал записей"))
        items += journal_table(entries, wide)
        items += to_portrait()
        items += _final_part(internship, district, width)
        return items

    return Document(build)


register(
    internship_kind(
        "journal",
        TITLE,
        "Журнал стажёра",
        load_entries,
        journal_document,
        # --all: every internship with a journal entry
        exists().where(JournalEntry.internship_id == Internship.id),
    )
)
