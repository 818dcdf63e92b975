"""«Модульная программа стажировки»: one program with its passport, goals, competencies and the
table of modules with hours (DOMAIN.md §4.5).

The programs of a batch are loaded in a fixed number of queries (the programs with their
platform, organization and head; their competencies; their modules), whatever their number.
The wide table of modules goes on landscape pages so that the content of a module wraps in
a column of a readable width.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Table
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...errors import NotFoundError
from ...formats import number, plural, short_date
from ...grammar import hours_phrase
from ...models import Platform, Program
from ..documents import DocumentKind, Options, register
from .blocks import APPROVAL_WIDTH, approval, district_letterhead, signatures
from .layout import (
    LANDSCAPE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    Document,
    content_width,
    empty_note,
    heading,
    keep_with_next,
    para,
    space,
    title,
    to_landscape,
)
from .tables import Column, TableThenTail, data_table, fields
from .wording import head_name, kind_label, nb, platform_caption, platform_head_position


def under_approval(value: str) -> Table:
    """A line under the «УТВЕРЖДАЮ» block, in its column at the right."""
    table = Table([[para(nb(value), "plain")]], colWidths=[APPROVAL_WIDTH], hAlign="RIGHT")
    table.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 2)])
    return table


def approval_order_line(program: Program) -> str:
    """«Утверждена приказом … от 28.08.2020 № 598»; the order as typed when it already says
    the kind of act and its date; "" when nothing is known."""
    order = program.approval_order.strip()
    on = short_date(program.approved_on)
    if not order:
        return f"Утверждена {on}" if on else ""
    if order.lower().startswith("приказ ") or order.lower() == "приказ":
        order = "приказом" + order[len("приказ") :]
    elif not order.lower().startswith("приказом"):
        order = f"приказом {order if order.startswith('№') else '№ ' + order}"
    if on and on not in order:
        order = f"{order} от {on}"
    return f"Утверждена {order}"


def _load(session: Session, ids: Sequence[int]) -> dict[int, Program]:
    programs = session.scalars(
        select(Program)
        .where(Program.id.in_(set(ids)))
        .options(
            joinedload(Program.platform).joinedload(Platform.organization),
            joinedload(Program.platform).joinedload(Platform.head),
            selectinload(Program.competencies),
            selectinload(Program.modules),
        )
    ).unique()
    found = {p.id: p for p in programs}
    for program_id in ids:
        if program_id not in found:
            raise NotFoundError(f"Программа № {program_id} не найдена.")
    return found


def _passport(program: Program, hours: int) -> list[Flowable]:
    platform = program.platform
    organization = platform.organization
    months = program.duration_months
    return [
        heading("1. Общие сведения"),
        fields(
            [
                ("Площадка", nb(organization.full_name or organization.short_name)),
                ("Вид площадки", kind_label(platform.kind)),
                ("Тема площадки", platform.theme),
                ("Целевая аудитория", program.audience),
                (
                    "Продолжительность",
                    f"{months} {plural(months, 'месяц', 'месяца', 'месяцев')}" if months else "",
                ),
                ("Общий объём", hours_phrase(hours) if program.modules else ""),
            ],
            content_width(),
        ),
    ]


def _text_section(caption: str, value: str, missing: str) -> list[Flowable]:
    paragraphs = [p.strip() for p in value.splitlines() if p.strip()]
    body: list[Flowable] = [para(p) for p in paragraphs] or [empty_note(missing)]
    # a short section moves to the next page whole rather than leave a line or two behind
    return [CondPageBreak(18 * mm), KeepTogether([heading(caption), *body])]


def _competencies(program: Program) -> list[Flowable]:
    items = sorted(program.competencies, key=lambda c: (c.sort_order, c.name))
    table: Flowable
    if items:
        table = data_table(
            [Column("№", 0.5, "center"), Column("Код", 1.2, "center"), Column("Компетенция", 7)],
            [(i, c.code, c.name) for i, c in enumerate(items, 1)],
            content_width(),
            numbered=False,
        )
    else:
        table = empty_note("Компетенции не указаны.")
    return [*keep_with_next(heading("2. Формируемые компетенции"), space_needed_mm=25), table]


# Widths in millimetres of the landscape page (257 mm): the hours fit their headers, a form
# («педагогическая мастерская») its longest word.
MODULE_COLUMNS = (
    Column("№", 8, "center"),
    Column("Модуль", 40),
    Column("Теория, ч", 17, "center"),
    Column("Практика, ч", 21, "center"),
    Column("Всего, ч", 15, "center"),
    Column("Форма", 29),
    Column("Содержание", 50),
    Column("Планируемый результат", 40),
    Column("Форма контроля", 37),
)


def _modules(program: Program, tail: list[Flowable]) -> list[Flowable]:
    """The modules on landscape pages, ``tail`` (the signatures) kept with the table's end."""
    modules = program.modules
    caption = "5. Учебно-тематический план"
    if not modules:
        return [
            *keep_with_next(heading(caption), space_needed_mm=30),
            empty_note("Модули программы не заданы."),
            *tail,
        ]
    rows = [
        (
            m.position,
            m.title,
            number(m.hours_theory),
            number(m.hours_practice),
            number(m.hours),
            m.form,
            m.content,
            m.expected_result,
            m.assessment,
        )
        for m in modules
    ]
    theory = sum(m.hours_theory for m in modules)
    practice = sum(m.hours_practice for m in modules)
    total = ["", "Итого", number(theory), number(practice), number(theory + practice)]
    table = data_table(
        MODULE_COLUMNS, rows, content_width("landscape"), total=[*total, "", "", "", ""]
    )
    page = LANDSCAPE[1] - MARGIN_TOP - MARGIN_BOTTOM
    return [*to_landscape(), heading(caption), TableThenTail(table, tail, 2, page)]


def _build(program: Program, options: Options) -> list[Flowable]:
    district = options.district
    platform = program.platform
    head = district.signature_name(head_name(platform))
    position = platform_head_position(platform, with_organization=True)
    story: list[Flowable] = [*district_letterhead(district)]
    story.append(approval(position, head, program.approved_on, width=APPROVAL_WIDTH))
    order_line = approval_order_line(program)
    if order_line:
        story.append(under_approval(order_line))
    width = content_width("landscape" if program.modules else "portrait")
    story += [
        space(10),
        *title("Модульная программа стажировки"),
        para(f"«{program.title}»", "title"),
        para(platform_caption(platform), "subtitle"),
        *_passport(program, program.total_hours),
        *_competencies(program),
        *_text_section("3. Цели программы", program.goals, "Цели не указаны."),
        *_text_section(
            "4. Планируемые результаты", program.expected_results, "Результаты не указаны."
        ),
        *_modules(program, [space(10), signatures([(position, head)], width)]),
    ]
    return story


def program_documents(session: Session, ids: Sequence[int], options: Options) -> list[Document]:
    programs = _load(session, ids)
    return [Document(lambda p=programs[program_id]: _build(p, options)) for program_id in ids]


def all_programs(session: Session, _options: Options) -> list[int]:
    return list(session.scalars(select(Program.id).order_by(Program.platform_id, Program.title)))


def program_file_stem(session: Session, program_id: int) -> str:
    found = session.scalar(select(Program.title).where(Program.id == program_id))
    return f"Программа {found}"[:100] if found else f"Программа {program_id}"


register(
    DocumentKind(
        key="program",
        title="Модульная программа стажировки",
        record="programs",
        documents=program_documents,
        all_ids=all_programs,
        file_stem=program_file_stem,
    )
)
