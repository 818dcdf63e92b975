"""Diagnostic instruments, assessments with scores, competency levels and deficits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Problem, ValidationError
from ..models import (
    Assessment,
    Assessor,
    Competency,
    Indicator,
    Instrument,
    InstrumentKind,
    Internship,
    Person,
    Score,
    Stage,
)
from . import labels
from .access import DISTRICT, platform_work
from .crud import EntityService, audit, next_position
from .validation import Field


def level_of(percent: float, low_threshold: int, high_threshold: int) -> str:
    """low below the low threshold, high from the high threshold, medium between."""
    if percent < low_threshold:
        return "low"
    if percent >= high_threshold:
        return "high"
    return "medium"


class InstrumentService(EntityService[Instrument]):
    access = DISTRICT
    model = Instrument
    title = "методика"
    title_accusative = "методику"
    fields = (
        Field("title", "Название", required=True, max_len=500),
        Field(
            "kind",
            "Вид",
            kind="enum",
            required=True,
            enum=InstrumentKind,
            enum_labels=labels.INSTRUMENT_KIND,
        ),
        Field("description", "Описание", kind="text"),
        Field("scale_min", "Минимальный балл", kind="int", min=0, max=100, default=0),
        Field("scale_max", "Максимальный балл", kind="int", min=1, max=100, default=3),
        Field("scale_labels", "Подписи баллов", max_len=1000),
        Field("low_threshold", "Граница низкого уровня, %", kind="int", min=1, max=99, default=50),
        Field(
            "high_threshold", "Граница высокого уровня, %", kind="int", min=2, max=100, default=80
        ),
        Field(
            "deficit_max_score", "Дефицит при оценке не выше", kind="int", min=0, max=100, default=1
        ),
    )

    def check(
        self, session: Session, values: dict[str, Any], obj: Instrument | None
    ) -> list[Problem]:
        problems = []
        if values["scale_max"] <= values["scale_min"]:
            problems.append(
                Problem("scale_max", "Максимальный балл", "должен быть больше минимального")
            )
        if values["low_threshold"] >= values["high_threshold"]:
            problems.append(
                Problem(
                    "high_threshold",
                    "Граница высокого уровня, %",
                    "должна быть выше границы низкого",
                )
            )
        other = self.other_with(session, obj, Instrument.title == values["title"])
        if other is not None:
            problems.append(Problem("title", "Название", "методика с таким названием уже есть"))
        if obj is not None and not problems:
            outside = session.scalar(
                select(func.count())
                .select_from(Score)
                .join(Indicator)
                .where(Indicator.instrument_id == obj.id)
                .where((Score.value < values["scale_min"]) | (Score.value > values["scale_max"]))
            )
            if outside:
                problems.append(
                    Problem(
                        "scale_max",
                        "Максимальный балл",
                        f"{outside} уже выставленных оценок выйдут за новую шкалу",
                    )
                )
        return problems

    def describe(self, obj: Instrument) -> str:
        return obj.title


class IndicatorService(EntityService[Indicator]):
    access = DISTRICT
    model = Indicator
    title = "показатель"
    title_accusative = "показатель"
    fields = (
        Field("instrument_id", "Методика", kind="ref", required=True, ref=Instrument),
        Field("competency_id", "Компетенция", kind="ref", required=True, ref=Competency),
        Field("position", "Номер", kind="int", min=1, max=10000),
        Field("code", "Код трудовой функции", max_len=20),
        Field("text", "Формулировка", required=True, max_len=1000),
    )

    def prepare(self, session: Session, values: dict[str, Any], obj: Indicator | None) -> None:
        if values.get("position") is None and values.get("instrument_id"):
            values["position"] = next_position(
                session, Indicator.position, Indicator.instrument_id == values["instrument_id"]
            )

    def describe(self, obj: Indicator) -> str:
        return obj.text


class AssessmentService(EntityService[Assessment]):
    access = platform_work("person_id")
    model = Assessment
    title = "диагностика"
    title_accusative = "диагностику"
    fields = (
        Field("person_id", "Педагог", kind="ref", required=True, ref=Person),
        Field("internship_id", "Стажировка", kind="ref", ref=Internship),
        Field("instrument_id", "Методика", kind="ref", required=True, ref=Instrument),
        Field("assessed_on", "Дата", kind="date", required=True),
        Field("stage", "Этап", kind="enum", required=True, enum=Stage, enum_labels=labels.STAGE),
        Field(
            "assessor",
            "Кто оценивает",
            kind="enum",
            enum=Assessor,
            enum_labels=labels.ASSESSOR,
            default=Assessor.SELF,
        ),
        Field("comment", "Комментарий", kind="text"),
    )

    def prepare(self, session: Session, values: dict[str, Any], obj: Assessment | None) -> None:
        if values.get("internship_id") and not values.get("person_id"):
            internship = session.get(Internship, values["internship_id"])
            if internship is not None:
                values["person_id"] = internship.person_id

    def check(
        self, session: Session, values: dict[str, Any], obj: Assessment | None
    ) -> list[Problem]:
        if values.get("internship_id"):
            internship = session.get(Internship, values["internship_id"])
            if internship and internship.person_id != values["person_id"]:
                return [Problem("internship_id", "Стажировка", "принадлежит другому педагогу")]
        return []

    def describe(self, obj: Assessment) -> str:
        return f"{labels.STAGE[obj.stage]} диагностика от {obj.assessed_on:%d.%m.%Y}"

    def set_scores(
        self, session: Session, assessment_id: int, scores: Mapping[int, Any], *, actor: str = ""
    ) -> None:
        """Replace the given indicators' scores; every bad value is reported with its indicator."""
        from .validation import _number  # one number parser for the whole program

        assessment = self.get_for_change(session, assessment_id)
        instrument = assessment.instrument
        indicators = {i.id: i for i in instrument.indicators}
        problems: list[Problem] = []
        clean: dict[int, float] = {}
        for indicator_id, raw in scores.items():
            indicator = indicators.get(indicator_id)
            label = (
                f"Показатель {indicator.position}" if indicator else f"Показатель № {indicator_id}"
            )
            if indicator is None:
                problems.append(Problem(f"score:{indicator_id}", label, "не из этой методики"))
                continue
            if raw is None or raw == "":
                continue
            try:
                value = float(_number(raw, integer=False))
            except ValueError as exc:
                problems.append(Problem(f"score:{indicator_id}", label, str(exc)))
                continue
            if not instrument.scale_min <= value <= instrument.scale_max:
                problems.append(
                    Problem(
                        f"score:{indicator_id}",
                        label,
                        f"оценка {value:g} вне шкалы {instrument.scale_min}–{instrument.scale_max}",
                    )
                )
                continue
            clean[indicator_id] = value
        if problems:
            raise ValidationError(problems)
        existing = {s.indicator_id: s for s in assessment.scores}
        for indicator_id, value in clean.items():
            if indicator_id in existing:
                existing[indicator_id].value = value
            else:
                assessment.scores.append(Score(indicator_id=indicator_id, value=value))
        for indicator_id in [i for i, raw in scores.items() if raw in (None, "") and i in existing]:
            assessment.scores.remove(existing[indicator_id])
        self._flush(session)
        audit(
            session,
            "scores",
            assessment,
            {"scores": (None, {str(k): v for k, v in clean.items()})},
            actor,
        )


@dataclass(frozen=True)
class CompetencyResult:
    competency_id: int
    competency: str
    score: float
    maximum: float
    percent: float
    level: str  # low / medium / high


def competency_result(
    competency_id: int, name: str, total: float, count: int, span: float, thresholds: Any
) -> CompetencyResult:
    """One competency's result from its points above the scale minimum over ``count``
    indicators; ``thresholds`` has ``low_threshold`` and ``high_threshold`` (an instrument)."""
    maximum = float(span * count)
    percent = round(100 * total / maximum, 1) if maximum else 0.0
    level = level_of(percent, thresholds.low_threshold, thresholds.high_threshold)
    return CompetencyResult(competency_id, name, total, maximum, percent, level)


def competency_results(session: Session, assessment_id: int) -> list[CompetencyResult]:
    """Per competency: the sum of scores, the possible maximum, the share and the level."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        return []
    inst = assessment.instrument
    span = inst.scale_max - inst.scale_min
    rows = session.execute(
        select(Competency.id, Competency.name, func.sum(Score.value - inst.scale_min), func.count())
        .select_from(Score)
        .join(Indicator, Indicator.id == Score.indicator_id)
        .join(Competency, Competency.id == Indicator.competency_id)
        .where(Score.assessment_id == assessment_id)
        .group_by(Competency.id, Competency.name, Competency.sort_order)
        .order_by(Competency.sort_order)
    ).all()
    return [
        competency_result(comp_id, name, float(total), count, span, inst)
        for comp_id, name, total, count in rows
    ]


@dataclass(frozen=True)
class Deficit:
    indicator_id: int
    code: str
    text: str
    competency: str
    score: float


def deficits(session: Session, assessment_id: int) -> list[Deficit]:
    """Indicators scored at or below the instrument's deficit mark."""
    rows = session.execute(
        select(Indicator.id, Indicator.code, Indicator.text, Competency.name, Score.value)
        .select_from(Score)
        .join(Indicator, Indicator.id == Score.indicator_id)
        .join(Competency, Competency.id == Indicator.competency_id)
        .join(Assessment, Assessment.id == Score.assessment_id)
        .join(Instrument, Instrument.id == Assessment.instrument_id)
        .where(Score.assessment_id == assessment_id, Score.value <= Instrument.deficit_max_score)
        .order_by(Indicator.position)
    ).all()
    return [Deficit(*row) for row in rows]


def latest_assessment(
    session: Session, person_id: int, stage: Stage, internship_id: int | None = None
) -> Assessment | None:
    query = select(Assessment).where(Assessment.person_id == person_id, Assessment.stage == stage)
    if internship_id is not None:
        query = query.where(Assessment.internship_id == internship_id)
    return session.scalar(
        query.order_by(Assessment.assessed_on.desc(), Assessment.id.desc()).limit(1)
    )


def deficits_of_latest(
    session: Session, person_id: int, internship_id: int | None = None
) -> list[Deficit]:
    entry = latest_assessment(session, person_id, Stage.ENTRY, internship_id)
    return deficits(session, entry.id) if entry else []


@dataclass(frozen=True)
class Growth:
    competency: str
    entry_percent: float | None
    exit_percent: float | None
    entry_level: str | None
    exit_level: str | None

    @property
    def delta(self) -> float | None:
        if self.entry_percent is None or self.exit_percent is None:
            return None
        return round(self.exit_percent - self.entry_percent, 1)


def effectiveness(session: Session, internship_id: int) -> list[Growth]:
    """Entry vs exit per competency for an internship (the effectiveness card)."""
    internship = session.get(Internship, internship_id)
    if internship is None:
        return []
    entry = latest_assessment(session, internship.person_id, Stage.ENTRY, internship_id)
    exit_ = latest_assessment(session, internship.person_id, Stage.EXIT, internship_id)
    before = {r.competency: r for r in competency_results(session, entry.id)} if entry else {}
    after = {r.competency: r for r in competency_results(session, exit_.id)} if exit_ else {}
    names = list(dict.fromkeys([*before, *after]))
    return [
        Growth(
            name,
            before[name].percent if name in before else None,
            after[name].percent if name in after else None,
            before[name].level if name in before else None,
            after[name].level if name in after else None,
        )
        for name in names
    ]


def growth_wording(delta_pp: float) -> str:
    """DOCUMENTS.md §3.2: the wording of a change in percentage points."""
    if delta_pp >= 15:
        return "выраженная положительная динамика"
    if delta_pp >= 5:
        return "положительная динамика"
    if delta_pp > -5:
        return "стабильно"
    return "отрицательная динамика"


# -- a scoring sheet for the window ------------------------------------------------------------


@dataclass(frozen=True)
class SheetIndicator:
    id: int
    position: int
    code: str
    text: str
    competency_id: int
    competency: str


@dataclass(frozen=True)
class Sheet:
    """An instrument as a scoring sheet: its scale, level bands and indicators grouped by
    competency (in the catalogue's order, then by position) — what a grid of scores shows."""

    instrument_id: int
    title: str
    scale_min: int
    scale_max: int
    scale_labels: tuple[str, ...]
    low_threshold: int
    high_threshold: int
    deficit_max_score: int
    indicators: tuple[SheetIndicator, ...]


def instrument_sheet(session: Session, instrument_id: int) -> Sheet | None:
    instrument = session.get(Instrument, instrument_id)
    if instrument is None:
        return None
    rows = session.execute(
        select(Indicator.id, Indicator.position, Indicator.code, Indicator.text, Competency.id)
        .add_columns(Competency.name)
        .join(Competency, Competency.id == Indicator.competency_id)
        .where(Indicator.instrument_id == instrument_id)
        .order_by(Competency.sort_order, Competency.id, Indicator.position)
    ).all()
    labels_ = (
        tuple(p.strip() for p in instrument.scale_labels.split("|"))
        if instrument.scale_labels
        else ()
    )
    return Sheet(
        instrument.id,
        instrument.title,
        instrument.scale_min,
        instrument.scale_max,
        labels_,
        instrument.low_threshold,
        instrument.high_threshold,
        instrument.deficit_max_score,
        tuple(SheetIndicator(*row) for row in rows),
    )


def results_of_scores(sheet: Sheet, scores: Mapping[int, float | None]) -> list[CompetencyResult]:
    """Per competency results of scores not yet saved, by the rules of ``competency_results``:
    only scored indicators count, the share is of the scored maximum, rounded to 0.1 %."""
    span = sheet.scale_max - sheet.scale_min
    totals: dict[int, list[Any]] = {}
    for indicator in sheet.indicators:
        value = scores.get(indicator.id)
        if value is None:
            continue
        entry = totals.setdefault(indicator.competency_id, [indicator.competency, 0.0, 0])
        entry[1] += float(value) - sheet.scale_min
        entry[2] += 1
    return [
        competency_result(comp_id, name, total, count, span, sheet)
        for comp_id, (name, total, count) in totals.items()
    ]
