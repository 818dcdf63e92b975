"""«Журнал профессионального роста стажёра» (DOCUMENTS.md §2.1, §2.2): the title part, the
intern's details, the individual task from the route, the dated journal on landscape pages
with its total of hours, the mentor's conclusion and the signatures.

The loaders here (:func:`load_internships` and the small text helpers) are shared with the
effectiveness card and the route of the same internship (``doc_card``, ``doc_route``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, joinedload

from ...errors import NotFoundError
from ...formats import number, plural, short_date
from ...grammar import agreement, hours_phrase, period_phrase
from ...models import (
    Internship,
    InternshipStatus,
    JournalEntry,
    Person,
    Platform,
    Program,
    ProgramModule,
    Route,
    RouteStep,
    TeacherMaster,
)
from ...services import labels
from ...services.district import District
from ...services.people import experience_years
from ..documents import DocumentKind, Options, register
from .blocks import Letterhead, letterhead, signatures
from .layout import (
    STYLES,
    Document,
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
from .tables import Column, data_table, fields

TITLE = "Журнал профессионального роста стажёра"
BLANK = "_" * 36  # a line to fill in by hand where a detail is unknown
BLANK_NAME = "_" * 16
BLANK_DATE = "«___» ____________ 20___ г."
CHUNK = 900  # ids per IN (…) list: far below any database's limit on parameters

# «Руководитель стажировочной площадки»: the platform kind (labels.PLATFORM_KIND) in the genitive
PLATFORM_GENITIVE = {
    "internship": "стажировочной",
    "support": "опорной",
    "municipal_innovation": "муниципальной инновационной",
    "regional_innovation": "краевой инновационной",
}


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
    initials = "".join(f"{p[0]}." for p in (row.name, row.patronymic) if p)
    return f"{what} {row.surname} {initials} ({record_id})"


# -- wording shared by the internship documents ----------------------------------------------


def or_blank(value: str | None, blank: str = BLANK) -> str:
    return value if value else blank


def signer(district: District, full_name: str | None) -> str:
    """The расшифровка of a signature («А.В. Кузнецова»), or a line to write it in."""
    return district.signature_name(full_name) if full_name else BLANK_NAME


def organization_name(organization: Any) -> str:
    """The full name with the short one in brackets, when they differ."""
    if organization is None:
        return ""
    full, short = organization.full_name or "", organization.short_name or ""
    if full and short and full != short:
        return f"{full} ({short})"
    return full or short


def platform_head_position(platform: Platform) -> str:
    kind = getattr(platform.kind, "value", platform.kind)
    return f"Руководитель {PLATFORM_GENITIVE.get(kind, 'стажировочной')} площадки"


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


def intern_pairs(internship: Internship) -> list[tuple[str, Any]]:
    """Сведения о стажёре: ОО, должность, предмет, стаж, категория (DOCUMENTS.md §2.1)."""
    person = internship.person
    years = experience(person, internship.start_date)
    return [
        ("Образовательная организация", organization_name(person.organization)),
        ("Должность", person.position.name if person.position else ""),
        ("Преподаваемый предмет", person.subject),
        (
            "Педагогический стаж",
            f"{years} (на начало стажировки)" if years else "",
        ),
        ("Квалификационная категория", person.category.name if person.category else ""),
    ]


def text_lines(value: str) -> list[str]:
    """The non-empty lines of a free text, list dashes dropped («— Формирование …»)."""
    lines = []
    for line in (value or "").splitlines():
        line = line.strip().lstrip("—–-•").strip()
        if line:
            lines.append(line)
    return lines


def bullet_list(lines: Iterable[str], style: str = "plain") -> list[Flowable]:
    return [markup(f"—&nbsp;{text(line)}", style) for line in lines]


def blank_lines(count: int, width: float) -> Table:
    """Ruled lines to write on by hand."""
    table = Table([[""] for _ in range(count)], colWidths=[width], rowHeights=[8 * mm] * count)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def keep_signatures(block: Flowable, *after: Flowable) -> KeepTogether:
    """The signature block of ``layout.signatures`` kept on one page with what follows it.
    (A KeepTogether nested in another one makes reportlab break the page even when all fits,
    so the block's own content is taken out of it.)"""
    content = list(getattr(block, "_content", [block]))
    return KeepTogether([*content, *after])


def district_head(district: District) -> list[Flowable]:
    return letterhead(Letterhead(district.founder, district.issuer))


def with_total(table: Table) -> Table:
    """A table whose total row never goes to the next page without the last row above it."""
    table.setStyle(TableStyle([("NOSPLIT", (0, -2), (-1, -1))]))
    return table


def cell(markup_text: str, style: str = "cell") -> Paragraph:
    """A table cell of ready markup that may break a long word at its own hyphen
    («Проектно-/исследовательские»), not in the middle of a syllable."""
    return Paragraph(markup_text, _hyphenating(style))


def hcell(value: Any, style: str = "cell") -> Paragraph:
    """A table cell of plain text (escaped), breaking long words at their hyphens."""
    return cell(text(value), style)


@cache
def _hyphenating(style: str) -> ParagraphStyle:
    return ParagraphStyle(f"{style}-hyphens", parent=STYLES[style], embeddedHyphenation=1)


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


def load_entries(session: Session, ids: Sequence[int]) -> dict[int, list[Entry]]:
    """The journal entries of all the internships, with the program module of a route step."""
    entries: dict[int, list[Entry]] = defaultdict(list)
    for part in chunks(list(dict.fromkeys(ids))):
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
    return cell("<br/>".join(parts))


def journal_table(entries: Sequence[Entry], width: float) -> list[Flowable]:
    total = sum(e.hours or 0 for e in entries)
    rows = [
        [
            str(i),
            short_date(e.entry_date),
            _topic_cell(e),
            hcell(e.activity),
            hcell(e.result),
            number(e.hours),
            hcell(e.reflection),
            hcell(e.mentor_comment),
            "",
        ]
        for i, e in enumerate(entries, 1)
    ]
    if not rows:
        table = data_table(JOURNAL_COLUMNS, [], width)
        return [table, space(2), empty_note("Записей нет.")]
    summary = ["", "", "Итого", "", "", number(total), "", "", ""]
    return [
        with_total(data_table(JOURNAL_COLUMNS, rows, width, total=summary)),
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
    mentor = internship.mentor.person.full_name if internship.mentor else ""
    items: list[Flowable] = [*district_head(district), *title(TITLE.upper())]
    items.append(
        fields(
            [
                ("Стажировочная площадка", organization_name(platform.organization)),
                ("Территориальная методическая служба", or_blank(district.issuer)),
                ("Программа стажировки", program_line(program)),
                ("Период стажировки", internship_period(internship)),
                ("Стажёр", internship.person.full_name),
                ("Педагог-мастер", or_blank(mentor)),
                (
                    platform_head_position(platform),
                    or_blank(platform.head and platform.head.full_name),
                ),
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
    items: list[Flowable] = []
    if route.goal:
        items.append(markup(f"<b>Цель:</b> {text(route.goal)}", "plain"))
        items.append(space(2))
    tasks = text_lines(route.tasks)
    if tasks:
        items.append(para("Задачи:", "label"))
        items += [para(t, "plain") for t in tasks]
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
    mentor = internship.mentor.person.full_name if internship.mentor else ""
    platform = internship.program.platform
    head = platform.head.full_name if platform.head else ""
    items: list[Flowable] = [
        heading("4. Заключение педагога-мастера"),
        *conclusion(internship),
        space(3),
        para("Отзыв педагога-мастера о работе стажёра:", "plain"),
        blank_lines(4, width),
        space(6),
    ]
    sign = signatures(
        [
            ("Стажёр", signer(district, internship.person.full_name)),
            ("Педагог-мастер", signer(district, mentor)),
            (platform_head_position(platform), signer(district, head)),
        ],
        width,
        stamp=True,
    )
    items.append(keep_signatures(sign, space(4), para(BLANK_DATE, "plain")))
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


def documents(session: Session, ids: Sequence[int], options: Options) -> list[Document]:
    internships = load_internships(session, ids)
    entries = load_entries(session, ids)
    return [journal_document(internships[i], entries.get(i, []), options) for i in ids]


def all_ids(session: Session, options: Options) -> list[int]:
    """Every internship with a journal entry."""
    return internship_ids(
        session, options, exists().where(JournalEntry.internship_id == Internship.id)
    )


register(
    DocumentKind(
        key="journal",
        title=TITLE,
        record="internships",
        documents=documents,
        all_ids=all_ids,
        file_stem=lambda session, record_id: stem(session, record_id, "Журнал стажёра"),
    )
)
