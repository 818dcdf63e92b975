"""Seed the editable reference lists of a new database from ``resources/reference``."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..models import (
    Competency,
    EventForm,
    EventLevel,
    Indicator,
    Instrument,
    InstrumentKind,
    MonitoringIndicator,
    Position,
    QualificationCategory,
)
from ..text import search_key


@cache
def load_reference(name: str) -> Any:
    return json.loads(files("stazhirovka.resources").joinpath("reference", name).read_text("utf-8"))


def seed_reference_data(session: Session) -> None:
    """Fill every empty reference list; lists the user already edited are left alone."""
    lists = load_reference("lists.json")

    def empty(model: type) -> bool:
        return not session.scalar(select(func.count()).select_from(model))

    if empty(Competency):
        session.execute(
            insert(Competency),
            [
                {"code": code, "name": name, "sort_order": i}
                for i, (code, name) in enumerate(lists["competencies"], 1)
            ],
        )
    if empty(EventForm):
        session.execute(
            insert(EventForm),
            [{"name": n, "sort_order": i} for i, n in enumerate(lists["event_forms"], 1)],
        )
    if empty(EventLevel):
        session.execute(
            insert(EventLevel),
            [{"name": n, "rank": r, "sort_order": r} for n, r in lists["event_levels"]],
        )
    if empty(QualificationCategory):
        session.execute(
            insert(QualificationCategory),
            [
                {"name": n, "sort_order": i}
                for i, n in enumerate(lists["qualification_categories"], 1)
            ],
        )
    if empty(Position):
        session.execute(
            insert(Position),
            [
                {"name": n, "name_dative": d, "sort_order": i}
                for i, (n, d) in enumerate(lists["positions"], 1)
            ],
        )
    if empty(MonitoringIndicator):
        session.execute(
            insert(MonitoringIndicator),
            [
                {
                    "code": code,
                    "name": name,
                    "unit": unit,
                    "formula": formula,
                    "breakdown": breakdown,
                    "sort_order": i,
                    "search_key": search_key(code, name),
                }
                for i, (code, name, unit, formula, breakdown) in enumerate(
                    lists["monitoring_indicators"], 1
                )
            ],
        )
    if empty(Instrument):
        seed_default_instrument(session)


def seed_default_instrument(session: Session) -> Instrument:
    """The self-assessment by the professional standard (DOCUMENTS.md §3.1)."""
    spec = load_reference("instrument.json")
    competencies = {
        code: id_ for code, id_ in session.execute(select(Competency.code, Competency.id))
    }
    instrument = Instrument(
        title=spec["title"],
        kind=InstrumentKind(spec["kind"]),
        description=spec["description"],
        scale_min=spec["scale_min"],
        scale_max=spec["scale_max"],
        scale_labels=spec["scale_labels"],
        low_threshold=spec["low_threshold"],
        high_threshold=spec["high_threshold"],
        deficit_max_score=spec["deficit_max_score"],
        indicators=[
            Indicator(position=i, competency_id=competencies[comp], code=code, text=text)
            for i, (comp, code, text) in enumerate(spec["indicators"], 1)
        ],
    )
    session.add(instrument)
    session.flush()
    return instrument
