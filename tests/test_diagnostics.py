"""Diagnostics: scores inside the scale, levels from the instrument's thresholds, growth."""

from __future__ import annotations

import pytest

from stazhirovka.errors import ValidationError
from stazhirovka.services.diagnostics import (
    AssessmentService,
    InstrumentService,
    competency_results,
    deficits,
    effectiveness,
    growth_wording,
    level_of,
)

from . import factories as f


@pytest.mark.parametrize(
    "percent, level",
    [(0, "low"), (49.9, "low"), (50, "medium"), (79.9, "medium"), (80, "high"), (100, "high")],
)
def test_levels_from_thresholds(percent, level):
    assert level_of(percent, 50, 80) == level


@pytest.mark.parametrize(
    "delta, wording",
    [
        (15, "выраженная положительная динамика"),
        (5, "положительная динамика"),
        (-4, "стабильно"),
        (-5, "отрицательная динамика"),
    ],
)
def test_growth_wording(delta, wording):
    assert growth_wording(delta) == wording


def _assess(session, intern, stage, value_of):
    instrument = f.default_instrument(session)
    a = AssessmentService().create(
        session,
        {
            "internship_id": intern.id,
            "instrument_id": instrument.id,
            "assessed_on": "02.09.2025",
            "stage": stage,
        },
    )
    AssessmentService().set_scores(
        session, a.id, {i.id: value_of(i) for i in instrument.indicators}
    )
    return a


def test_levels_per_competency_and_the_effectiveness_card(session):
    intern = f.internship(session)
    entry = _assess(session, intern, "entry", lambda i: 1)
    _assess(session, intern, "exit", lambda i: 3 if i.competency.code == "EVAL" else 2)
    results = {r.competency: r for r in competency_results(session, entry.id)}
    evaluation = results["Оценочные компетенции (оценка качества образования)"]
    assert (evaluation.score, evaluation.maximum, evaluation.percent, evaluation.level) == (
        4,
        12,
        33.3,
        "low",
    )
    growth = {g.competency: g for g in effectiveness(session, intern.id)}
    g = growth["Оценочные компетенции (оценка качества образования)"]
    assert (g.entry_percent, g.exit_percent, g.delta, g.entry_level, g.exit_level) == (
        33.3,
        100.0,
        66.7,
        "low",
        "high",
    )
    assert len(deficits(session, entry.id)) == len(f.default_instrument(session).indicators)


def test_thresholds_are_a_setting_of_the_instrument(session):
    intern = f.internship(session)
    instrument = f.default_instrument(session)
    entry = _assess(session, intern, "entry", lambda i: 2)  # 66.7 %
    assert competency_results(session, entry.id)[0].level == "medium"
    InstrumentService().update(session, instrument.id, {"low_threshold": 70, "high_threshold": 90})
    assert competency_results(session, entry.id)[0].level == "low"


def test_scores_outside_the_scale_are_reported_per_indicator(session):
    intern = f.internship(session)
    instrument = f.default_instrument(session)
    a = AssessmentService().create(
        session,
        {
            "internship_id": intern.id,
            "instrument_id": instrument.id,
            "assessed_on": "02.09.2025",
            "stage": "entry",
        },
    )
    first, second = instrument.indicators[:2]
    with pytest.raises(ValidationError) as err:
        AssessmentService().set_scores(session, a.id, {first.id: 4, second.id: "много", 10**9: 1})
    assert err.value.for_field(f"score:{first.id}") == ["оценка 4 вне шкалы 0–3"]
    assert err.value.for_field(f"score:{second.id}") == ["«много» — не число"]
    assert err.value.for_field(f"score:{10**9}") == ["не из этой методики"]
    assert a.scores == []


def test_instrument_rules(session):
    with pytest.raises(ValidationError) as err:
        InstrumentService().create(
            session,
            {
                "title": "Анкета",
                "kind": "questionnaire",
                "scale_min": 3,
                "scale_max": 1,
                "low_threshold": 80,
                "high_threshold": 50,
            },
        )
    assert err.value.for_field("scale_max") == ["должен быть больше минимального"]
    assert err.value.for_field("high_threshold") == ["должна быть выше границы низкого"]


def test_narrowing_a_scale_under_given_scores_is_refused(session):
    intern = f.internship(session)
    instrument = f.default_instrument(session)
    _assess(session, intern, "entry", lambda i: 3)
    with pytest.raises(ValidationError) as err:
        InstrumentService().update(session, instrument.id, {"scale_max": 2})
    assert "выйдут за новую шкалу" in err.value.for_field("scale_max")[0]


def test_assessment_of_someone_elses_internship_is_refused(session):
    intern = f.internship(session)
    stranger = f.person(session, "Орлова", "Анна", "Викторовна")
    with pytest.raises(ValidationError) as err:
        AssessmentService().create(
            session,
            {
                "person_id": stranger.id,
                "internship_id": intern.id,
                "instrument_id": f.default_instrument(session).id,
                "assessed_on": "02.09.2025",
                "stage": "entry",
            },
        )
    assert err.value.for_field("internship_id") == ["принадлежит другому педагогу"]
