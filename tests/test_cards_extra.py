"""What the internship card needs beyond ``internship_card``: the scoring sheet of an
instrument, results of scores not yet saved, the instrument a new diagnostics starts with."""

from __future__ import annotations

import itertools

from stazhirovka.services.cards import default_instrument_id
from stazhirovka.services.diagnostics import (
    AssessmentService,
    InstrumentService,
    competency_results,
    instrument_sheet,
    results_of_scores,
)

from . import factories as f


def _assessment(session, intern, instrument, stage="entry"):
    return AssessmentService().create(
        session,
        {
            "internship_id": intern.id,
            "instrument_id": instrument.id,
            "assessed_on": "02.09.2025",
            "stage": stage,
        },
    )


def test_the_sheet_groups_indicators_by_competency_in_catalogue_order(session):
    instrument = f.default_instrument(session)
    sheet = instrument_sheet(session, instrument.id)
    assert sheet is not None
    assert sheet.title == instrument.title
    assert (sheet.scale_min, sheet.scale_max) == (instrument.scale_min, instrument.scale_max)
    assert len(sheet.scale_labels) == sheet.scale_max - sheet.scale_min + 1
    assert {i.id for i in sheet.indicators} == {i.id for i in instrument.indicators}
    order = [i.competency for i in sheet.indicators]
    groups = list(dict.fromkeys(order))
    # Each competency is one contiguous block.
    assert sum(1 for a, b in itertools.pairwise(order) if a != b) == len(groups) - 1
    sort_orders = {i.competency.name: i.competency.sort_order for i in instrument.indicators}
    assert [sort_orders[g] for g in groups] == sorted(sort_orders[g] for g in groups)
    assert instrument_sheet(session, 999_999) is None


def test_results_of_unsaved_scores_match_the_saved_results(session):
    intern = f.internship(session)
    instrument = f.default_instrument(session)
    a = _assessment(session, intern, instrument)
    # Some indicators left unscored: they count neither in the score nor in the maximum.
    scores = {
        i.id: (n % (instrument.scale_max + 1))
        for n, i in enumerate(instrument.indicators)
        if n % 4 != 3
    }
    AssessmentService().set_scores(session, a.id, scores)
    sheet = instrument_sheet(session, instrument.id)
    live = results_of_scores(sheet, {**scores, instrument.indicators[3].id: None})
    saved = competency_results(session, a.id)
    assert sorted(live, key=lambda r: r.competency_id) == sorted(
        saved, key=lambda r: r.competency_id
    )
    assert {r.level for r in live} <= {"low", "medium", "high"}


def test_results_follow_the_instruments_thresholds(session):
    instrument = InstrumentService().create(
        session,
        {
            "title": "Лист наблюдения",
            "kind": "observation",
            "scale_min": 1,
            "scale_max": 5,
            "low_threshold": 40,
            "high_threshold": 90,
        },
    )
    from stazhirovka.services.diagnostics import IndicatorService

    competency_id = f.default_instrument(session).indicators[0].competency_id
    ids = [
        IndicatorService()
        .create(
            session,
            {"instrument_id": instrument.id, "competency_id": competency_id, "text": f"П{n}"},
        )
        .id
        for n in range(2)
    ]
    sheet = instrument_sheet(session, instrument.id)
    (result,) = results_of_scores(sheet, {ids[0]: 5, ids[1]: 4})  # (4 + 3) / 8
    assert (result.score, result.maximum, result.percent, result.level) == (7, 8, 87.5, "medium")
    (result,) = results_of_scores(sheet, {ids[0]: 2})  # 1 / 4
    assert (result.percent, result.level) == (25.0, "low")
    assert results_of_scores(sheet, {}) == []


def test_a_new_diagnostics_starts_with_the_instrument_used_before(session):
    intern = f.internship(session)
    first = f.default_instrument(session)
    assert default_instrument_id(session, intern.id) == first.id
    other = InstrumentService().create(
        session, {"title": "Анкета наставника", "kind": "questionnaire"}
    )
    _assessment(session, intern, other)
    assert default_instrument_id(session, intern.id) == other.id
