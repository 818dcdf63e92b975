"""«Карта эффективности» of an internship (DOCUMENTS.md §3): entry against exit diagnostics
per competency (percent, level, growth in percentage points and its wording), the total, a
bar chart of the two, the dates of both assessments and the deficits left at the exit.

The diagnostics of many internships are loaded together (:func:`load_diagnostics`) by the
rules of ``services.diagnostics`` (``effectiveness``, ``competency_results``, ``deficits``):
the latest entry and exit assessment of the internship, per competency the sum of points
above the scale minimum against the possible maximum. The route (``doc_route``) uses them too.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from ...formats import number, short_date
from ...models import Assessment, Competency, Indicator, Internship, Score, Stage
from ...services import labels
from ...services.diagnostics import (
    CompetencyResult,
    Deficit,
    Growth,
    growth_wording,
    level_of,
)
from ..documents import DocumentKind, Options, register
from .blocks import signatures
from .doc_journal import (
    BLANK_DATE,
    bullet_list,
    chunks,
    district_head,
    hcell,
    internship_ids,
    internship_period,
    keep_signatures,
    load_internships,
    organization_name,
    platform_head_position,
    program_line,
    signer,
    stem,
    with_total,
)
from .fonts import SERIF
from .layout import (
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
)
from .tables import Column, data_table, fields

TITLE = "Карта эффективности"
SUBTITLE = "профессиональной деятельности педагога (стажёра)"
ENTRY_FILL = colors.HexColor("#C8C8C8")  # light grey with a black outline
EXIT_FILL = colors.HexColor("#3A3A3A")  # near black: the two differ on a b/w printer too
DASH = "—"


# -- loading -----------------------------------------------------------------------------------


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
    competencies = []
    for comp_id, (_order, name, total, count) in sorted(totals.items(), key=lambda t: t[1][0]):
        maximum = float(span * count)
        percent = round(100 * total / maximum, 1) if maximum else 0.0
        competencies.append(
            CompetencyResult(
                comp_id,
                name,
                total,
                maximum,
                percent,
                level_of(percent, inst.low_threshold, inst.high_threshold),
            )
        )
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


def percent_text(value: float | None) -> str:
    return DASH if value is None else f"{number(value)} %"


def delta_text(value: float | None) -> str:
    """«+12,3», «−4», «0» — percentage points with a sign."""
    if value is None:
        return DASH
    if value > 0:
        return f"+{number(value)}"
    if value < 0:
        return f"−{number(-value)}"
    return "0"


def level_text(level: str | None) -> str:
    return labels.LEVEL.get(level, DASH) if level else DASH


def assessment_line(result: Result | None) -> str:
    if result is None:
        return "не проводилась"
    return (
        f"{short_date(result.assessed_on)} ({result.assessor})"
        if result.assessor
        else (short_date(result.assessed_on))
    )


def deficit_line(deficit: Deficit) -> str:
    """«Формирование мотивации к обучению (A/02.6; 1 б.)» — as the route lists them."""
    mark = f"{number(deficit.score)} б."
    return (
        f"{deficit.text} ({deficit.code}; {mark})" if deficit.code else f"{deficit.text} ({mark})"
    )


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
                str(i),
                hcell(diagnostics.labels.get(g.competency, g.competency)),
                percent_text(g.entry_percent),
                level_text(g.entry_level),
                percent_text(g.exit_percent),
                level_text(g.exit_level),
                delta_text(g.delta),
                hcell(growth_wording(g.delta) if g.delta is not None else DASH, "cell_center"),
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
    return with_total(data_table(RESULT_COLUMNS, rows, width, total=total))


def _points(result: Result) -> str:
    return f"{number(round(result.score, 1))} из {number(round(result.maximum, 1))}"


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
            para(f"Сумма баллов: на входе {_points(entry)}, на выходе {_points(exit_)}.", "plain")
        )
    elif entry:
        items.append(
            para(
                "Итоговая диагностика не проводилась: приведены результаты входной "
                f"диагностики (сумма баллов {_points(entry)}). Прирост будет рассчитан после "
                "итоговой диагностики.",
                "plain",
            )
        )
    elif exit_:
        items.append(
            para(
                "Входная диагностика не проводилась: приведены результаты итоговой "
                f"диагностики (сумма баллов {_points(exit_)}); прирост рассчитать нельзя.",
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
        mentor = internship.mentor.person.full_name if internship.mentor else ""
        instruments = list(
            dict.fromkeys(r.instrument for r in (diagnostics.entry, diagnostics.exit) if r)
        )
        items: list[Flowable] = [*district_head(district), *title(TITLE.upper(), SUBTITLE)]
        items.append(
            fields(
                [
                    ("Стажёр", person.full_name),
                    ("Образовательная организация", organization_name(person.organization)),
                    ("Должность", person.position.name if person.position else ""),
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
        items += keep_with_next(
            heading(f"{section}. Профессиональные дефициты"), space_needed_mm=30
        )
        items += deficits_section(diagnostics)
        items.append(space(8))
        sign = signatures(
            [
                ("Педагог-мастер", signer(district, mentor)),
                (
                    platform_head_position(platform),
                    signer(district, platform.head.full_name if platform.head else ""),
                ),
                ("Стажёр", signer(district, person.full_name)),
            ],
            width,
        )
        items.append(keep_signatures(sign, space(4), para(BLANK_DATE, "plain")))
        return items

    return Document(build)


def documents(session: Session, ids: Sequence[int], options: Options) -> list[Document]:
    internships = load_internships(session, ids)
    diagnostics = load_diagnostics(session, internships)
    return [card_document(internships[i], diagnostics[i], options) for i in ids]


def all_ids(session: Session, options: Options) -> list[int]:
    """Every internship with an entry or exit diagnostics."""
    return internship_ids(
        session,
        options,
        exists().where(
            Assessment.internship_id == Internship.id,
            Assessment.stage.in_([Stage.ENTRY, Stage.EXIT]),
        ),
    )


register(
    DocumentKind(
        key="card",
        title=TITLE,
        record="internships",
        documents=documents,
        all_ids=all_ids,
        file_stem=lambda session, record_id: stem(session, record_id, "Карта эффективности"),
    )
)
