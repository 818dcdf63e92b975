"""The instrument editor: scale and thresholds in place, indicators grouped by competency,
added, moved within their group and deleted."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from stazhirovka.models import Competency, Indicator, Instrument
from stazhirovka.ui.child_table import HEADER
from stazhirovka.ui.forms import EntityForm
from stazhirovka.ui.instrument_editor import InstrumentEditor
from tests.ui.helpers import type_text


@pytest.fixture(autouse=True)
def _no_blocking_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed test leaves edits behind; closing its window must not wait for an answer."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def _instrument_id(db) -> int:
    with db.session() as s:
        return s.scalar(select(Instrument.id).order_by(Instrument.id).limit(1))


def _editor(window: Any, instrument_id: int) -> InstrumentEditor:
    editor = window.open_record("instruments", instrument_id)
    assert isinstance(editor, InstrumentEditor)
    return editor


def _indicators(db, instrument_id: int) -> list[tuple[int, int, str]]:
    with db.session() as s:
        rows = s.execute(
            select(Indicator.position, Indicator.competency_id, Indicator.text)
            .where(Indicator.instrument_id == instrument_id)
            .order_by(Indicator.position)
        ).all()
    return [tuple(r) for r in rows]


def _groups(editor: InstrumentEditor) -> list[tuple[str, list[str]]]:
    groups: list[tuple[str, list[str]]] = []
    for row in editor.indicators.model.rows():
        if HEADER in row:
            groups.append((row[HEADER], []))
        else:
            groups[-1][1].append(row["text"])
    return groups


def test_indicators_are_grouped_by_competency(ui_db, make_window, qtmodeltester) -> None:
    instrument_id = _instrument_id(ui_db)
    stored = _indicators(ui_db, instrument_id)
    with ui_db.session() as s:
        names = dict(s.execute(select(Competency.id, Competency.name)).all())
    window = make_window(ui_db)
    editor = _editor(window, instrument_id)
    groups = _groups(editor)
    expected: dict[str, list[str]] = {}
    for _position, competency_id, text in stored:
        expected.setdefault(names[competency_id], []).append(text)
    assert [(title.split(" — ")[0], texts) for title, texts in groups] == list(expected.items())
    first_title, first_texts = groups[0]
    assert first_title.endswith(f"— {len(first_texts)} показателя") or "показател" in first_title
    n = len(stored)
    assert editor.indicators.footer.text().startswith(f"{n} показател")
    assert f"по {len(expected)} компетенц" in editor.indicators.footer.text()
    header_row = 0
    assert editor.indicators.model.row_id(header_row) is None
    assert editor.indicators.table.columnSpan(header_row, 0) == 3
    assert (
        not editor.indicators.model.flags(editor.indicators.model.index(header_row, 0))
        & Qt.ItemFlag.ItemIsSelectable
    )
    assert "Шкала: 0 — " in editor.explanation.text()
    qtmodeltester.check(editor.indicators.model)


def test_an_indicator_is_added_to_its_competency(ui_db, make_window, qtbot) -> None:
    instrument_id = _instrument_id(ui_db)
    before = _indicators(ui_db, instrument_id)
    window = make_window(ui_db)
    editor = _editor(window, instrument_id)
    second_group = [r for r in editor.indicators.model.rows() if HEADER not in r][-1]
    editor.indicators.select_id(second_group["id"])
    editor.indicators.add_button.click()
    form = next(w for w in editor.findChildren(EntityForm) if w.isVisible())
    assert form.editors["competency_id"].value() == second_group["competency_id"]
    type_text(form.editors["code"].widget, "B/02.6")
    type_text(form.editors["text"].widget, "Наставничество над молодыми педагогами")
    with qtbot.waitSignal(form.saved, timeout=2000):
        form.save_button.click()
    after = _indicators(ui_db, instrument_id)
    assert after[:-1] == before
    assert after[-1] == (
        len(before) + 1,
        second_group["competency_id"],
        "Наставничество над молодыми педагогами",
    )
    assert _groups(editor)[-1][1][-1] == "Наставничество над молодыми педагогами"
    assert editor.indicators.footer.text().startswith(f"{len(before) + 1} показател")


def test_indicators_move_within_their_competency(ui_db, make_window, qtbot) -> None:
    instrument_id = _instrument_id(ui_db)
    window = make_window(ui_db)
    editor = _editor(window, instrument_id)
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)
    groups = _groups(editor)
    first, second = groups[0][1][0], groups[0][1][1]
    rows = editor.indicators.model.record_rows()
    editor.indicators.table.setFocus()
    editor.indicators.select_id(rows[1]["id"])
    qtbot.keyClick(editor.indicators.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert _groups(editor)[0][1][:2] == [second, first]
    texts = [t for _p, _c, t in _indicators(ui_db, instrument_id)]
    assert texts[:2] == [second, first]
    assert [p for p, _c, _t in _indicators(ui_db, instrument_id)] == list(range(1, len(texts) + 1))
    # At the top of its group it stays: it never jumps into another competency.
    qtbot.keyClick(editor.indicators.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [t for _p, _c, t in _indicators(ui_db, instrument_id)] == texts
    # The last of the first group moves down only within it.
    last_of_first = editor.indicators.model.row_of(
        next(r["id"] for r in rows if r["text"] == groups[0][1][-1])
    )
    editor.indicators.table.selectRow(last_of_first)
    editor.indicators.down_button.click()
    assert [t for _p, _c, t in _indicators(ui_db, instrument_id)] == texts
    assert [g[0] for g in _groups(editor)] == [g[0] for g in groups]


def test_the_scale_is_checked_at_its_fields(ui_db, make_window, qtbot) -> None:
    instrument_id = _instrument_id(ui_db)
    window = make_window(ui_db)
    editor = _editor(window, instrument_id)
    editor.details.editors["scale_min"].widget.setText("3")
    assert "Подписей 4, а баллов на шкале 1" in editor.explanation.text()
    assert not editor.save()
    assert editor.details.editors["scale_max"].error.text() == "должен быть больше минимального"
    with ui_db.session() as s:
        assert s.get(Instrument, instrument_id).scale_max == 3
    editor.details.editors["scale_min"].widget.setText("0")
    editor.details.editors["high_threshold"].widget.setText("75")
    assert "высокий — от 75 %" in editor.explanation.text()
    with qtbot.waitSignal(window.record_saved, timeout=2000):
        editor.save_button.click()
    with ui_db.session() as s:
        assert s.get(Instrument, instrument_id).high_threshold == 75
    assert not editor.is_dirty()


def test_deleting_an_indicator_asks_and_renumbers(ui_db, make_window, monkeypatch) -> None:
    instrument_id = _instrument_id(ui_db)
    before = _indicators(ui_db, instrument_id)
    window = make_window(ui_db)
    editor = _editor(window, instrument_id)
    editor.indicators.select_id(editor.indicators.model.record_rows()[0]["id"])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    editor.indicators.delete_button.click()
    after = _indicators(ui_db, instrument_id)
    assert [t for _p, _c, t in after] == [t for _p, _c, t in before[1:]]
    assert [p for p, _c, _t in after] == list(range(1, len(before)))


def test_an_indicator_with_scores_is_not_deleted(demo_db, make_window, monkeypatch) -> None:
    instrument_id = _instrument_id(demo_db)
    window = make_window(demo_db)
    editor = _editor(window, instrument_id)
    editor.indicators.select_id(editor.indicators.model.record_rows()[0]["id"])
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    with demo_db.session() as s:
        count = s.scalar(select(func.count()).select_from(Indicator))
    editor.indicators.delete_button.click()
    assert told and told[0].startswith("Нельзя удалить показатель")
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Indicator)) == count
    assert "диагностик" in editor.indicators.footer.text()
