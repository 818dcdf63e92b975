"""«Модульная программа стажировки»: one program with its passport, goals, competencies and the
table of modules with hours (DOMAIN.md §4.5).

The programs of a batch are loaded in a fixed number of queries (the programs with their
platform, organization and head; their competencies; their modules), whatever their number.
The wide table of modules goes on landscape pages so that the content of a module wraps in
a column of a readable width.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Table
from reportlab.platypus.paragraph import cleanBlockQuotedText
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...errors import NotFoundError
from ...formats import number, plural, short_date
from ...grammar import hours_phrase
from ...models import Platform, Program
from ...services import labels
from ...services.district import District
from ..documents import DocumentKind, Options, register
from .fonts import SERIF
from .layout import (
    LANDSCAPE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    STYLES,
    TABLE_SIZE,
    Column,
    Document,
    Letterhead,
    approval,
    content_width,
    data_table,
    empty_note,
    fields,
    heading,
    keep_with_next,
    letterhead,
    para,
    signatures,
    space,
    text,
    title,
    to_landscape,
)

NBSP = "\u00a0"


def nb(value: Any) -> str:
    """«№ 18» never split over two lines."""
    return "" if value is None else str(value).replace("№ ", f"№{NBSP}")


@cache
def cell_style(
    align: str = "left", bold: bool = False, size: int = TABLE_SIZE, hyphens: bool = True
) -> ParagraphStyle:
    """A table cell's style. With ``hyphens`` a word too long for the rest of a line breaks
    at its own hyphen, on the next line if need be («предметно-|развивающей»); without, it
    breaks where the line ends («предм|етно-развивающей»), as the shared cell style does."""
    parent = STYLES[{"left": "cell", "center": "cell_center", "right": "cell_right"}[align]]
    return ParagraphStyle(
        f"{parent.name}_{size}{'_bold' if bold else ''}{'_hyphens' if hyphens else ''}",
        parent=parent,
        fontSize=size,
        leading=round(size * 1.2, 1),
        fontName=f"{SERIF}-Bold" if bold else parent.fontName,
        embeddedHyphenation=2 if hyphens else 0,
    )


OVERFLOW_LIMIT = 2.0  # points a line may run into the cell's padding (3 pt)


class Cell(Paragraph):
    """A table cell's paragraph that never runs out of its column: when a part of a word
    after its hyphen is still wider than the column («практико-|ориентированный»), which
    breaking at hyphens leaves as it is, the text is laid out again breaking words anywhere."""

    fallback: ParagraphStyle | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        size = super().wrap(avail_width, avail_height)
        if self.fallback is not None and isinstance(self.text, str) and self._overflows():
            self._setup(self.text, self.fallback, self.bulletText, None, cleanBlockQuotedText)
            self.fallback = None
            size = super().wrap(avail_width, avail_height)
        return size

    def _overflows(self) -> bool:
        for line in self.blPara.lines:
            slack = line[0] if isinstance(line, tuple) else getattr(line, "extraSpace", 0)
            if slack < -OVERFLOW_LIMIT:
                return True
        return False


def cell(value: Any, align: str = "left", bold: bool = False, size: int = TABLE_SIZE) -> Paragraph:
    paragraph = Cell(text(nb(value)), cell_style(align, bold, size))
    paragraph.fallback = cell_style(align, bold, size, hyphens=False)
    return paragraph


def cells(
    columns: Sequence[Column], values: Sequence[Any], bold: bool = False, size: int = TABLE_SIZE
) -> list[Paragraph]:
    """A row of a :func:`data_table`; a bold one is a total aligned like its column."""
    return [cell(v, c.align, bold, size) for c, v in zip(columns, values, strict=True)]


class TableThenTail(Flowable):
    """A table followed by a short tail (a signature block) that never starts a page alone:
    when the tail does not fit under the end of the table, the table's last ``rows`` rows go
    over to the next page with it (under the repeated header). A row taller than a whole
    page (``page_height``) is split inside; other rows move to the next page whole."""

    def __init__(
        self, table: Table, tail: Sequence[Flowable], rows: int = 1, page_height: float = 0
    ) -> None:
        super().__init__()
        self.table = table
        self.tail: list[Flowable] = []
        for item in tail:  # a KeepTogether is flattened: this flowable keeps them together
            is_group = isinstance(item, KeepTogether)
            self.tail += list(getattr(item, "_content", [item])) if is_group else [item]
        self.rows = rows
        self.page_height = page_height
        self._table_height = 0.0
        self._tail_heights: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, self._table_height = self.table.wrap(avail_width, avail_height)
        self._tail_heights = [
            f.getSpaceBefore() + f.wrap(avail_width, avail_height)[1] + f.getSpaceAfter()
            for f in self.tail
        ]
        self.width = avail_width
        self.height = self._table_height + sum(self._tail_heights)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height:
            return [self]
        heights = self.table._rowHeights
        header = sum(heights[: self.table.repeatRows])
        tall = bool(self.page_height) and any(
            h > self.page_height - header for h in heights[self.table.repeatRows :]
        )
        self.table.splitInRow = 1 if tall else 0
        carry = self._table_height <= avail_height  # the table fits here, its tail does not
        limit = sum(heights[: max(len(heights) - self.rows, 0)]) - 0.01 if carry else avail_height
        parts = self.table.split(avail_width, limit)
        if len(parts) < 2:
            return []  # nothing fits here: all of it on the next page
        # The rest starts on the next page: left in this one's remaining space, a tall row
        # would be split there under a second copy of the header.
        rest = TableThenTail(parts[1], self.tail, self.rows, self.page_height)
        return [parts[0], PageBreak(), rest]

    def draw(self) -> None:
        y = self.height - self._table_height
        self.table.drawOn(self.canv, 0, y)
        for item, height in zip(self.tail, self._tail_heights, strict=True):
            y -= height
            item.drawOn(self.canv, 0, y + item.getSpaceAfter())


def district_letterhead(district: District) -> list[Flowable]:
    """The district's letterhead; nothing when the district details are not filled in."""
    contacts = ", ".join(
        part
        for part in (
            district.address,
            f"тел. {district.phone}" if district.phone else "",
            f"e-mail: {district.email}" if district.email else "",
        )
        if part
    )
    return letterhead(Letterhead(district.founder, district.issuer, contacts))


def kind_genitive(kind: Any) -> str:
    """«стажировочной», «краевой инновационной» — the platform's kind agreeing with
    «площадки» (every kind's label is an adjective phrase in «-ая»)."""
    label = labels.PLATFORM_KIND.get(getattr(kind, "value", kind), "")
    return " ".join(w[:-2] + "ой" if w.endswith("ая") else w for w in label.split())


def platform_head_position(platform: Platform) -> str:
    """«Руководитель стажировочной площадки МБОУ СОШ № 5»."""
    return f"Руководитель {kind_genitive(platform.kind)} площадки {nb(platform.organization.short_name)}"


APPROVAL_WIDTH = 80 * mm  # the width of the «УТВЕРЖДАЮ» block (ГОСТ: at most 8 cm)


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
                ("Вид площадки", labels.PLATFORM_KIND.get(platform.kind.value, "")),
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
    return [*keep_with_next(heading(caption), space_needed_mm=18), *body]


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
        cells(
            MODULE_COLUMNS,
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
            ),
        )
        for m in modules
    ]
    theory = sum(m.hours_theory for m in modules)
    practice = sum(m.hours_practice for m in modules)
    total = ["", "Итого", number(theory), number(practice), number(theory + practice)]
    rows.append(cells(MODULE_COLUMNS, [*total, "", "", "", ""], bold=True))
    table = data_table(MODULE_COLUMNS, rows, content_width("landscape"))
    table.setStyle([("NOSPLIT", (0, -2), (-1, -1))])  # the total under its last module
    page = LANDSCAPE[1] - MARGIN_TOP - MARGIN_BOTTOM
    return [*to_landscape(), heading(caption), TableThenTail(table, tail, 2, page)]


def _build(program: Program, options: Options) -> list[Flowable]:
    district = options.district
    platform = program.platform
    head = platform.head
    head_name = district.signature_name(head.full_name) if head else ""
    position = platform_head_position(platform)
    story: list[Flowable] = [*district_letterhead(district)]
    story.append(approval(position, head_name, program.approved_on, width=APPROVAL_WIDTH))
    order_line = approval_order_line(program)
    if order_line:
        story.append(under_approval(order_line))
    width = content_width("landscape" if program.modules else "portrait")
    story += [
        space(10),
        *title("Модульная программа стажировки"),
        para(f"«{program.title}»", "title"),
        para(
            f"{labels.PLATFORM_KIND.get(platform.kind.value, '').capitalize()} площадка "
            f"{nb(platform.organization.short_name)}",
            "subtitle",
        ),
        *_passport(program, program.total_hours),
        *_competencies(program),
        *_text_section("3. Цели программы", program.goals, "Цели не указаны."),
        *_text_section(
            "4. Планируемые результаты", program.expected_results, "Результаты не указаны."
        ),
        *_modules(program, [space(10), signatures([(position, head_name)], width)]),
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
