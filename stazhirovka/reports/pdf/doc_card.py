"""«Карта эффективности» of an internship (DOCUMENTS.md §3): entry against exit diagnostics
per competency (percent, level, growth in percentage points and its wording), the total, a
bar chart of the two, the dates of both assessments and the deficits left at the exit.

The diagnostics of many internships are loaded together by
:func:`.internship_data.load_diagnostics` (the route uses them too).
"""

from __future__ import annotations

import textwrap

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether
from sqlalchemy import exists

from ...formats import number, short_date
from ...models import Assessment, Internship, Stage
from ...services.diagnostics import growth_wording
from ..documents import Options, register
from .blocks import district_letterhead, signatures, signer
from .fonts import SERIF
from .internship_data import (
    DASH,
    Diagnostics,
    Result,
    assessment_line,
    deficit_line,
    delta_text,
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
    markup,
    para,
    space,
    text,
    title,
)
from .tables import Column, data_table, fields
from .wording import head_name, organization_name, platform_head_position

TITLE = "Карта эффективности"
SUBTITLE = "профессиональной деятельности педагога (стажёра)"
ENTRY_FILL = colors.HexColor("#C8C8C8")  # light grey with a black outline
EXIT_FILL = colors.HexColor("#3A3A3A")  # near black: the two differ on a b/w printer too


def thresholds_line(result: Result) -> str:
    low, high = result.low_threshold, result.high_threshold
    return (
        f"Уровень владения компетенцией: низкий — менее {low} %, средний — от {low} до "
        f"{high} %, высокий — {high} % и более."
    )


# -- the chart ---------------------------------------------------------------------------------


def _wrap_label(value: str, width: int = 34, lines: int = 3) -> str:
    wrapped = textwrap.wrap(value, width) or [""]
    if len(wrapped) > lines:
        wrapped = [
            *wrapped[: lines - 1],
            textwrap.shorten(" ".join(wrapped[lines - 1 :]), width, placeholder="…"),
        ]
    return "\n".join(wrapped)


def growth_chart(diagnostics: Diagnostics, width: float) -> Drawing:
    """Grouped horizontal bars, entry (light) and exit (dark) per competency, 0–100 %."""
    growth = diagnostics.growth
    series = []
    if diagnostics.entry is not None:
        series.append(("entry", [g.entry_percent for g in growth]))
    if diagnostics.exit is not None:
        series.append(("exit", [g.exit_percent for g in growth]))
    group = (7 if len(series) > 1 else 4.5) * mm
    label_width, right, bottom = 62 * mm, 16 * mm, 15 * mm  # bottom: axis labels, legend
    plot_height = max(len(growth), 1) * (group + 5 * mm)
    drawing = Drawing(width, plot_height + bottom + 2 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, bottom
    chart.width, chart.height = width - label_width - right, plot_height
    # a horizontal chart stacks a group's bars from the bottom up: the exit goes first so
    # that the entry reads above it, as in the legend and the table
    drawn = series[::-1]
    chart.data = [list(values) for _k, values in drawn]  # None: no bar
    chart.categoryAxis.categoryNames = [
        _wrap_label(diagnostics.labels.get(g.competency, g.competency)) for g in growth
    ]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 8.5
    chart.categoryAxis.labels.leading = 9.5
    chart.categoryAxis.labels.textAnchor = "end"
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.strokeWidth = 0.6
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = lambda v: f"{int(v)} %"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#B0B0B0")
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.gridStrokeDashArray = (1, 2)
    chart.valueAxis.strokeWidth = 0.6
    chart.bars.strokeColor = colors.black
    chart.bars.strokeWidth = 0.5
    for i, (key, _values) in enumerate(drawn):
        chart.bars[i].fillColor = ENTRY_FILL if key == "entry" else EXIT_FILL
    chart.barSpacing = 0.6 * mm
    chart.groupSpacing = 5 * mm
    chart.barLabelFormat = lambda v: f"{number(v)} %"
    chart.barLabels.fontName = SERIF
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    # the legend, drawn by hand and centred under the axis: a swatch and a caption per series
    captions = []
    for key, _values in series:
        result = diagnostics.entry if key == "entry" else diagnostics.exit
        name = "Входная диагностика" if key == "entry" else "Итоговая диагностика"
        captions.append((key, f"{name} ({short_date(result.assessed_on)})" if result else name))
    swatch, gap = 5 * mm, 10 * mm
    widths = [swatch + 2 * mm + stringWidth(c, SERIF, 9) for _k, c in captions]
    x = max(0.0, (width - sum(widths) - gap * (len(widths) - 1)) / 2)
    for (key, caption), item_width in zip(captions, widths, strict=True):
        fill = ENTRY_FILL if key == "entry" else EXIT_FILL
        drawing.add(
            Rect(x, 1 * mm, swatch, 3 * mm, fillColor=fill, strokeColor=colors.black,
                 strokeWidth=0.5)
        )  # fmt: skip
        drawing.add(String(x + swatch + 2 * mm, 1.4 * mm, caption, fontName=SERIF, fontSize=9))
        x += item_width + gap
    return drawing


# -- the document ------------------------------------------------------------------------------

# widths in millimetres of the portrait page (170 mm)
RESULT_COLUMNS = (
    Column("№", 7, "center"),
    Column("Компетенция (трудовая функция)", 49),
    Column("Вход, %", 16, "center"),
    Column("Уровень на входе", 18, "center"),
    Column("Выход, %", 16, "center"),
    Column("Уровень на выходе", 18, "center"),
    Column("Δ, п.п.", 15, "center"),
    Column("Динамика", 31, "center"),
)


def results_table(diagnostics: Diagnostics, width: float) -> Flowable:
    rows = []
    for i, g in enumerate(diagnostics.growth, 1):
        rows.append(
            [
                i,
                diagnostics.labels.get(g.competency, g.competency),
                percent_text(g.entry_percent),
                level_text(g.entry_level),
                percent_text(g.exit_percent),
                level_text(g.exit_level),
                delta_text(g.delta),
                growth_wording(g.delta) if g.delta is not None else DASH,
            ]
        )
    entry, exit_ = diagnostics.entry, diagnostics.exit
    delta = diagnostics.delta
    total = [
        "",
        "Итого по всем показателям",
        percent_text(entry.percent) if entry else DASH,
        level_text(entry.level) if entry else DASH,
        percent_text(exit_.percent) if exit_ else DASH,
        level_text(exit_.level) if exit_ else DASH,
        delta_text(delta),
        growth_wording(delta) if delta is not None else DASH,
    ]
    return data_table(RESULT_COLUMNS, rows, width, total=total)


def summary(diagnostics: Diagnostics) -> list[Flowable]:
    entry, exit_ = diagnostics.entry, diagnostics.exit
    items: list[Flowable] = []
    if entry and exit_:
        delta = diagnostics.delta or 0.0
        items.append(
            markup(
                f"<b>Вывод: {text(growth_wording(delta))}</b> — прирост "
                f"{text(delta_text(delta))} п.п. (с {text(percent_text(entry.percent))} до "
                f"{text(percent_text(exit_.percent))}); общий уровень на входе — "
                f"{text(level_text(entry.level))}, на выходе — {text(level_text(exit_.level))}.",
                "plain",
            )
        )
        items.append(
            para(
                f"Сумма баллов: на входе {points_text(entry)}, на выходе {points_text(exit_)}.",
                "plain",
            )
        )
    elif entry:
        items.append(
            para(
                "Итоговая диагностика не проводилась: приведены результаты входной "
                f"диагностики (сумма баллов {points_text(entry)}). Прирост будет рассчитан после "
                "итоговой диагностики.",
                "plain",
            )
        )
    elif exit_:
        items.append(
            para(
                "Входная диагностика не проводилась: приведены результаты итоговой "
                f"диагностики (сумма баллов {points_text(exit_)}); прирост рассчитать нельзя.",
                "plain",
            )
        )
    result = exit_ or entry
    if result:
        items += [space(1), para(thresholds_line(result), "small")]
    return items


def deficits_section(diagnostics: Diagnostics) -> list[Flowable]:
    entry, exit_ = diagnostics.entry, diagnostics.exit
    if exit_ is None:
        if entry is None:
            return [empty_note("Диагностика не проводилась, дефициты не определены.")]
        items: list[Flowable] = [
            para(
                "Итоговая диагностика не проводилась. Дефициты, выявленные входной "
                f"диагностикой ({len(entry.deficits)}):",
                "plain",
            )
        ]
        if entry.deficits:
            items += bullet_list(deficit_line(d) for d in entry.deficits)
        else:
            items = [para("Входная диагностика дефицитов не выявила.", "plain")]
        return items
    items = []
    remaining = exit_.deficits
    if entry is not None:
        left = {d.indicator_id for d in remaining}
        closed = sum(1 for d in entry.deficits if d.indicator_id not in left)
        items.append(
            para(
                f"Выявлено входной диагностикой: {len(entry.deficits)}; устранено к итоговой "
                f"диагностике: {closed}; осталось по итоговой диагностике: {len(remaining)}.",
                "plain",
            )
        )
        items.append(space(1))
    if remaining:
        items.append(para("Дефициты, оставшиеся по итоговой диагностике:", "label"))
        items += bullet_list(deficit_line(d) for d in remaining)
    else:
        items.append(
            para("По итоговой диагностике профессиональных дефицитов не осталось.", "plain")
        )
    return items


def card_document(internship: Internship, diagnostics: Diagnostics, options: Options) -> Document:
    district = options.district

    def build() -> list[Flowable]:
        width = content_width("portrait")
        program = internship.program
        platform = program.platform
        person = internship.person
        mentor = mentor_name(internship)
        instruments = list(
            dict.fromkeys(r.instrument for r in (diagnostics.entry, diagnostics.exit) if r)
        )
        items: list[Flowable] = [*district_letterhead(district, contacts=False)]
        items += title(TITLE.upper(), SUBTITLE)
        items.append(
            fields(
                [
                    ("Стажёр", person.full_name),
                    ("Образовательная организация", organization_name(person.organization)),
                    ("Должность", position_name(person)),
                    ("Программа стажировки", program_line(program)),
                    ("Стажировочная площадка", organization_name(platform.organization)),
                    ("Педагог-мастер", mentor),
                    ("Период стажировки", internship_period(internship)),
                    ("Методика диагностики", "; ".join(instruments)),
                    ("Входная диагностика", assessment_line(diagnostics.entry)),
                    ("Итоговая диагностика", assessment_line(diagnostics.exit)),
                ],
                width,
            )
        )
        items += keep_with_next(heading("1. Результаты входной и итоговой диагностики"))
        section = 2
        if diagnostics.entry is None and diagnostics.exit is None:
            items.append(empty_note("Входная и итоговая диагностика стажёра не проводились."))
        else:
            items += [results_table(diagnostics, width), space(3), *summary(diagnostics)]
            items.append(
                KeepTogether(
                    [
                        heading(f"{section}. Диаграмма: входная и итоговая диагностика"),
                        growth_chart(diagnostics, width),
                        space(1),
                        para("Доля от максимального балла по каждой компетенции, %.", "small"),
                    ]
                )
            )
            section += 1
        rows = [
            ("Педагог-мастер", signer(district, mentor)),
            (platform_head_position(platform), signer(district, head_name(platform))),
            ("Стажёр", signer(district, person.full_name)),
        ]
        # the last section goes with the signatures: they never stand alone on a page
        items.append(
            KeepTogether(
                [
                    heading(f"{section}. Профессиональные дефициты"),
                    *deficits_section(diagnostics),
                    space(8),
                    signatures(rows, width, blank_date=True),
                ]
            )
        )
        return items

    return Document(build)


register(
    internship_kind(
        "card",
        TITLE,
        "Карта эффективности",
        load_diagnostics,
        card_document,
        # --all: every internship with an entry or exit diagnostics
        exists().where(
            Assessment.internship_id == Internship.id,
            Assessment.stage.in_([Stage.ENTRY, Stage.EXIT]),
        ),
    )
)
