"""The internship card: opened from the window, the route's steps added, proposed, reordered
and marked done, the journal marking steps done, status moves, diagnostics scores typed into
the grid with live levels, effectiveness, unsaved scores on closing, screenshots."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QSpinBox, QTabWidget
from sqlalchemy import func, select

from stazhirovka.db import Database
from stazhirovka.models import (
    Assessment,
    Internship,
    InternshipStatus,
    JournalEntry,
    Route,
    RouteStep,
    Stage,
    StepStatus,
)
from stazhirovka.services import labels
from stazhirovka.services.diagnostics import (
    AssessmentService,
    competency_results,
    effectiveness,
    growth_wording,
)
from stazhirovka.services.internships import (
    InternshipService,
    JournalService,
    RouteService,
    RouteStepService,
)
from stazhirovka.ui.forms import EntityForm
from stazhirovka.ui.internship.effectiveness import delta_text
from stazhirovka.ui.internship.score_grid import percent_text
from stazhirovka.ui.internship_card import GEOMETRY_KEY, InternshipCardWindow
from tests import factories as f
from tests.ui.helpers import type_text

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 22)


# -- helpers ---------------------------------------------------------------------------------


def make_internship(db: Database, *, steps: int = 0, status: str = "active") -> dict[str, Any]:
    """An internship (two program modules) with a route of ``steps`` self-study steps."""
    with db.session() as s:
        it = f.internship(s)
        if status != "planned":
            InternshipService().move(s, it.id, InternshipStatus.ACTIVE)
        ids: dict[str, Any] = {"internship": it.id, "steps": []}
        if steps:
            route = RouteService().create(s, {"internship_id": it.id, "goal": "Освоить программу"})
            ids["route"] = route.id
            for n in range(1, steps + 1):
                step = RouteStepService().create(
                    s,
                    {
                        "route_id": route.id,
                        "kind": "self_study",
                        "title": f"Шаг {n}",
                        "planned_end": date(2026, 12, 1),
                        "hours": 2,
                    },
                )
                ids["steps"].append(step.id)
    return ids


def open_card(window: Any, internship_id: int, qtbot: Any = None) -> InternshipCardWindow:
    card = window.open_record("internships", internship_id)
    assert isinstance(card, InternshipCardWindow)
    if qtbot is not None:  # for the card's window shortcuts (Ctrl+S)
        qtbot.waitActive(card)
    return card


def last_form(card: InternshipCardWindow) -> EntityForm:
    form = card.last_form
    assert form is not None and form.isVisible()
    return form


def choose(form: EntityForm, name: str, value: Any) -> None:
    box = form.editors[name].widget
    index = box.findData(value)
    assert index >= 0, (name, value)
    box.setCurrentIndex(index)


def save(qtbot: Any, form: EntityForm) -> int:
    with qtbot.waitSignal(form.saved, timeout=3000) as blocker:
        form.save_button.click()
    return int(blocker.args[0])


def step_statuses(db: Database, route_id: int) -> list[tuple[str, str]]:
    with db.session() as s:
        rows = s.execute(
            select(RouteStep.title, RouteStep.status)
            .where(RouteStep.route_id == route_id)
            .order_by(RouteStep.position)
        ).all()
    return [(title, status.value) for title, status in rows]


def shown_status(card: InternshipCardWindow, row: int) -> str:
    model = card.route_tab.model
    return model.data(model.index(row, 5))


def answer(monkeypatch: Any, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.fixture(autouse=True)
def _programs_close_without_asking(monkeypatch) -> None:
    """A test that fails half-way may leave scores unsaved; closing the window afterwards
    must not wait for an answer (each test sets its own answers where it asks)."""
    answer(monkeypatch, QMessageBox.StandardButton.Yes)


# -- opening ---------------------------------------------------------------------------------


def test_the_card_opens_from_the_window_with_everything(
    demo_db, make_window, qtbot, qtmodeltester
) -> None:
    with demo_db.session() as s:
        internship_id = s.scalar(
            select(Internship.id)
            .where(Internship.status == InternshipStatus.COMPLETED)
            .order_by(Internship.id)
            .limit(1)
        )
        it = s.get(Internship, internship_id)
        name = it.person.full_name
        steps = [st.title for st in it.route.steps]
        journal = s.scalar(select(func.count()).where(JournalEntry.internship_id == internship_id))
        assessments = s.scalar(
            select(func.count()).where(Assessment.internship_id == internship_id)
        )
    window = make_window(demo_db)
    card = open_card(window, internship_id)
    assert card in window.open_windows and card.isVisible()
    assert card.header.name_label.text() == name
    assert card.header.status_chip.text() == "завершена"
    # A completed internship has no moves left; only «Изменить…».
    assert not any(b.isVisibleTo(card) for b in card.header.move_buttons.values())
    assert card.header.edit_button.isVisibleTo(card)
    assert [s.title for s in card.route_tab.model.steps] == steps
    assert card.journal_tab.model.rowCount() == journal
    assert card.diagnostics_tab.list_model.rowCount() == assessments
    assert "Выполнено" in card.header.progress_text.text()
    assert 1000 <= card.width() <= 1300 and 650 <= card.height() <= 900
    # Opening it again raises the same window.
    assert open_card(window, internship_id) is card
    assert sum(isinstance(w, InternshipCardWindow) for w in window.open_windows) == 1
    for model in (
        card.route_tab.model,
        card.journal_tab.model,
        card.diagnostics_tab.list_model,
        card.diagnostics_tab.grid_model,
        card.effectiveness_tab.model,
    ):
        qtmodeltester.check(model)
    # Esc closes it and the geometry is kept.
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: card not in window.open_windows, timeout=3000)
    assert window.ctx.settings.state(GEOMETRY_KEY) is not None


def test_a_new_internship_opens_its_form_then_its_card(ui_db, make_window, qtbot) -> None:
    with ui_db.session() as s:
        prog = f.program(s)
        mentor = f.master(s, prog.platform)
        intern = f.person(s, "Кузнецова", "Ольга", "Игоревна")
        ids = (prog.id, mentor.id, intern.id)
    window = make_window(ui_db)
    form = window.create_record("internships", {"program_id": ids[0]})
    assert isinstance(form, EntityForm)
    form.editors["person_id"].widget.choose(ids[2])
    form.editors["mentor_id"].widget.choose(ids[1])
    type_text(form.editors["start_date"].widget.edit, "01.09.2026")
    new_id = save(qtbot, form)
    cards = [w for w in window.open_windows if isinstance(w, InternshipCardWindow)]
    assert [c.record_id for c in cards] == [new_id]
    assert cards[0].header.name_label.text() == "Кузнецова Ольга Игоревна"
    assert cards[0].header.move_buttons["active"].isVisibleTo(cards[0])


# -- route -----------------------------------------------------------------------------------


def test_a_route_is_created_and_a_step_added_through_forms(ui_db, make_window, qtbot) -> None:
    ids = make_internship(ui_db)
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    tab = card.route_tab
    assert tab.no_route.isVisibleTo(card) and not tab.add_button.isEnabled()
    assert tab.route_button.text() == "Создать маршрут…"
    tab.route_button.click()
    form = last_form(card)
    assert form.editors["title"].widget.text().startswith("Индивидуальный образовательный маршрут")
    save(qtbot, form)
    with ui_db.session() as s:
        route_id = s.scalar(select(Route.id).where(Route.internship_id == ids["internship"]))
    assert route_id is not None
    assert tab.add_button.isEnabled() and not tab.no_route.isVisibleTo(card)

    tab.add_button.click()
    form = last_form(card)
    assert "route_id" not in form.editors  # fixed to this route
    modules = form.editors["module_id"].widget
    assert [modules.itemText(i) for i in range(modules.count())][1:] == [
        "1. Модуль 1 (12 ч)",
        "2. Модуль 2 (12 ч)",
    ]
    choose(form, "kind", "mentoring")
    type_text(form.editors["title"].widget, "Консультация по самоанализу урока")
    type_text(form.editors["planned_end"].widget.edit, "01.11.2026")
    type_text(form.editors["hours"].widget, "3")
    step_id = save(qtbot, form)
    assert [s.title for s in tab.model.steps] == ["Консультация по самоанализу урока"]
    assert tab.current_step_id() == step_id
    # Planned and past its end on the card's day: shown as overdue, in red.
    assert shown_status(card, 0) == "просрочен"
    assert tab.model.data(tab.model.index(0, 5), Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"
    assert "просрочено 1" in card.header.progress_text.text()
    assert step_statuses(ui_db, route_id) == [("Консультация по самоанализу урока", "planned")]


def test_a_journal_entry_linked_to_a_step_marks_it_done(ui_db, make_window, qtbot) -> None:
    ids = make_internship(ui_db, steps=2)
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    journal = card.journal_tab
    journal.add_button.click()
    form = last_form(card)
    assert "internship_id" not in form.editors
    steps = form.editors["route_step_id"].widget
    assert [steps.itemText(i) for i in range(steps.count())] == ["—", "№ 1. Шаг 1", "№ 2. Шаг 2"]
    choose(form, "route_step_id", ids["steps"][1])
    choose(form, "activity", "консультация")
    type_text(form.editors["topic"].widget, "Разбор открытого урока")
    type_text(form.editors["hours"].widget, "2")
    entry_id = save(qtbot, form)
    # The route tab shows the step done at once, and so does the database.
    assert shown_status(card, 1) == f"выполнен {TODAY:%d.%m.%Y}"
    assert step_statuses(ui_db, ids["route"]) == [("Шаг 1", "planned"), ("Шаг 2", "done")]
    assert journal.model.rowCount() == 1 and journal.current_entry_id() == entry_id
    assert journal.model.data(journal.model.index(0, 7)) == "№ 2"
    assert journal.total_label.text() == "Всего: 1 запись, 2 часа"
    assert "Выполнено 1 из 2 шагов" in card.header.progress_text.text()
    assert card.header.journal_label.text() == "1 запись · 2 ч"


def test_steps_reorder_with_buttons_and_keys(ui_db, make_window, qtbot) -> None:
    ids = make_internship(ui_db, steps=3)
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    tab = card.route_tab
    card.tabs.setCurrentWidget(tab)
    tab.table.select_row(2)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [t for t, _ in step_statuses(ui_db, ids["route"])] == ["Шаг 1", "Шаг 3", "Шаг 2"]
    assert tab.current_step_id() == ids["steps"][2]  # the moved step stays selected
    tab.up_button.click()
    assert [t for t, _ in step_statuses(ui_db, ids["route"])] == ["Шаг 3", "Шаг 1", "Шаг 2"]
    assert not tab.up_button.isEnabled()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    tab.down_button.click()
    assert [t for t, _ in step_statuses(ui_db, ids["route"])] == ["Шаг 1", "Шаг 2", "Шаг 3"]
    assert [s.position for s in tab.model.steps] == [1, 2, 3]
    assert [s.title for s in tab.model.steps] == ["Шаг 1", "Шаг 2", "Шаг 3"]


def test_a_step_is_marked_done_with_evidence_and_mark(ui_db, make_window, qtbot) -> None:
    ids = make_internship(ui_db, steps=1)
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    tab = card.route_tab
    tab.table.select_row(0)
    assert tab.done_button.isEnabled()
    tab.done_button.click()
    dialog = tab.mark_done_dialog
    dialog.date_field.set_value("20.11.2026")
    type_text(dialog.evidence, "Конспект консультации")
    type_text(dialog.mark, "выполнено полностью")
    dialog.accept()
    with ui_db.session() as s:
        step = s.get(RouteStep, ids["steps"][0])
        assert (step.status, step.done_on, step.evidence, step.mentor_mark) == (
            StepStatus.DONE,
            date(2026, 11, 20),
            "Конспект консультации",
            "выполнено полностью",
        )
    assert shown_status(card, 0) == "выполнен 20.11.2026"
    assert not tab.done_button.isEnabled()


def test_deleting_a_step_the_journal_names_is_refused(ui_db, make_window, monkeypatch) -> None:
    ids = make_internship(ui_db, steps=1)
    with ui_db.session() as s:
        JournalService().create(
            s,
            {
                "internship_id": ids["internship"],
                "entry_date": "10.11.2026",
                "activity": "консультация",
                "topic": "Шаг 1",
                "route_step_id": ids["steps"][0],
            },
        )
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    card.route_tab.table.select_row(0)
    card.route_tab.delete_button.click()
    assert shown and "записи журналов" in shown[0]
    assert len(step_statuses(ui_db, ids["route"])) == 1


def test_steps_are_proposed_from_modules_and_entry_deficits(ui_db, make_window, qtbot) -> None:
    ids = make_internship(ui_db)
    with ui_db.session() as s:
        instrument = f.default_instrument(s)
        entry = AssessmentService().create(
            s,
            {
                "internship_id": ids["internship"],
                "instrument_id": instrument.id,
                "assessed_on": "02.09.2025",
                "stage": "entry",
            },
        )
        scores = {i.id: 2 for i in instrument.indicators}
        deficient = [instrument.indicators[0], instrument.indicators[5]]
        for indicator in deficient:
            scores[indicator.id] = 0
        AssessmentService().set_scores(s, entry.id, scores)
        deficit_texts = [i.text for i in deficient]
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    tab = card.route_tab
    tab.propose_button.click()
    dialog = tab.propose_dialog
    titles = [item.text(0) for item in dialog.items]
    assert titles[:2] == ["Модуль 1", "Модуль 2"]
    assert all(text in title for text, title in zip(deficit_texts, titles[2:], strict=True))
    assert dialog.ok_button.text() == "Добавить 4 шага"
    dialog.items[1].setCheckState(0, Qt.CheckState.Unchecked)  # not «Модуль 2»
    assert dialog.ok_button.text() == "Добавить 3 шага"
    dialog.ok_button.click()
    with ui_db.session() as s:
        route = s.scalar(select(Route).where(Route.internship_id == ids["internship"]))
        assert route is not None
        assert [st.kind.value for st in route.steps] == ["module", "mentoring", "mentoring"]
        assert route.steps[0].hours == 12
        assert deficit_texts[0] in route.deficits  # a route made here lists the deficits
    assert tab.model.steps[0].title == "Модуль 1"
    assert len(tab.model.steps) == 3
    # Proposed again: only what is still missing.
    tab.propose_button.click()
    assert [item.text(0) for item in tab.propose_dialog.items] == ["Модуль 2"]
    tab.propose_dialog.reject()


# -- status ----------------------------------------------------------------------------------


def test_status_moves_from_planned_to_completed(ui_db, make_window, monkeypatch) -> None:
    ids = make_internship(ui_db, status="planned")
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    buttons = card.header.move_buttons
    visible = {k for k, b in buttons.items() if b.isVisibleTo(card)}
    assert visible == {"active", "withdrawn"}
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    buttons["active"].click()
    assert asked and "Начать стажировку" in asked[0]
    assert card.header.status_chip.text() == "идёт"
    assert {k for k, b in buttons.items() if b.isVisibleTo(card)} == {"completed", "withdrawn"}

    buttons["completed"].click()
    dialog = card.move_dialog
    assert dialog is not None and "Итоговой диагностики ещё нет" in dialog.notes.text()
    dialog.date_field.set_value("")
    dialog.accept()  # no date: the dialog stays and says why
    assert dialog.isVisible() and "дату" in dialog.error.text()
    dialog.date_field.set_value("30.05.2026")
    dialog.accept()
    with ui_db.session() as s:
        it = s.get(Internship, ids["internship"])
        assert (it.status, it.actual_end) == (InternshipStatus.COMPLETED, date(2026, 5, 30))
        assert it.hours_done == 24  # the program's hours
    assert card.header.status_chip.text() == "завершена"
    assert "Завершена 30 мая 2026 г." in card.header.end_value.text()
    assert not any(b.isVisibleTo(card) for b in buttons.values())


def test_a_refused_move_shows_a_message(ui_db, make_window, monkeypatch) -> None:
    ids = make_internship(ui_db)
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    # Meanwhile someone else completed it in another window.
    with ui_db.session() as s:
        InternshipService().move(
            s, ids["internship"], InternshipStatus.COMPLETED, on=date(2026, 11, 1)
        )
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    card.header.move_buttons["withdrawn"].click()
    dialog = card.move_dialog
    dialog.accept()
    assert "причину" in dialog.error.text()  # the reason is required
    type_text(dialog.reason, "Переезд в другой район")
    dialog.accept()
    assert warnings and "нельзя перейти" in warnings[0]
    with ui_db.session() as s:
        assert s.get(Internship, ids["internship"]).status == InternshipStatus.COMPLETED
    assert card.header.status_chip.text() == "завершена"  # the card shows what is true


def test_the_internship_form_opens_from_the_card(ui_db, make_window, qtbot) -> None:
    ids = make_internship(ui_db)
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    card.header.edit_button.click()
    form = last_form(card)
    type_text(form.editors["cohort"].widget, "2026/27")
    save(qtbot, form)
    assert "группа: 2026/27" in card.header.dates_value.text()


# -- diagnostics -----------------------------------------------------------------------------


def type_scores(qtbot: Any, card: InternshipCardWindow, digits: str) -> None:
    card.tabs.setCurrentWidget(card.diagnostics_tab)
    grid = card.diagnostics_tab.grid
    grid.setFocus()
    grid.go_first()
    for digit in digits:
        qtbot.keyClick(grid, digit)


def group_cells(card: InternshipCardWindow) -> dict[str, tuple[str, str]]:
    """Competency → (share, level) as the grid shows them."""
    model = card.diagnostics_tab.grid_model
    return {
        row.competency: (
            model.data(model.index(r, 3)),
            model.data(model.index(r, 4)),
        )
        for r, row in enumerate(model.grid)
        if row.indicator is None
    }


def expected_cells(db: Database, assessment_id: int) -> dict[str, tuple[str, str]]:
    with db.session() as s:
        return {
            r.competency: (percent_text(r.percent), labels.LEVEL[r.level])
            for r in competency_results(s, assessment_id)
        }


def test_scores_typed_into_the_grid_give_live_levels_and_are_saved(
    ui_db, make_window, qtbot, monkeypatch
) -> None:
    ids = make_internship(ui_db)
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    tab = card.diagnostics_tab
    assert not tab.empty.isHidden()

    # A new diagnostics through its form: the entry stage and the default instrument first.
    tab.new_button.click()
    form = last_form(card)
    assert form.editors["stage"].value() == "entry"
    assert form.editors["instrument_id"].value() is not None
    entry_id = save(qtbot, form)
    assert tab.current_assessment().id == entry_id
    model = tab.grid_model
    indicators = len(model.indicator_ids())
    assert indicators > 10
    assert tab.summary.text().startswith(f"Оценено 0 из {indicators}")

    first_group = model.grid[0].competency
    type_scores(qtbot, card, "3")
    # One score typed: its competency has a share and a level at once; nothing saved yet.
    assert group_cells(card)[first_group] == ("100 %", "высокий")
    assert card.is_dirty() and card.windowTitle().endswith("•")
    type_scores(qtbot, card, "0" * indicators)  # the cursor walked down past group rows
    assert model.scored() == indicators
    assert group_cells(card)[first_group] == ("0 %", "низкий")
    with ui_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Assessment)) == 1
        assert not competency_results(s, entry_id)

    # A spread of scores, then Delete clears one, Tab goes down.
    pattern = "0123" * 10
    type_scores(qtbot, card, pattern[:indicators])
    grid = tab.grid
    grid.go_first()
    qtbot.keyClick(grid, Qt.Key.Key_Tab)
    second = grid.currentIndex().row()
    assert model.grid[second].indicator is not None and second > model.next_indicator_row(-1, 1)
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert model.scored() == indicators - 1
    live = group_cells(card)
    if not card.isActiveWindow():  # the closed form gave the activation elsewhere
        card.windowHandle().requestActivate()
        qtbot.waitUntil(card.isActiveWindow, timeout=2000)
    qtbot.keyClick(grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not card.is_dirty()
    assert expected_cells(ui_db, entry_id) == live
    assert group_cells(card) == live

    # The exit diagnostics, higher scores, saved by the button.
    tab.new_button.click()
    form = last_form(card)
    assert form.editors["stage"].value() == "exit"
    exit_id = save(qtbot, form)
    type_scores(qtbot, card, ("23" * 20)[:indicators])
    tab.save_button.click()
    assert expected_cells(ui_db, exit_id) == group_cells(card)

    # Effectiveness: the same growth as the service computes.
    with ui_db.session() as s:
        growth = effectiveness(s, ids["internship"])
    eff = card.effectiveness_tab
    assert eff.hint.isHidden()
    rows = [
        [eff.model.data(eff.model.index(r, c)) for c in (0, 1, 3, 5, 6)]
        for r in range(eff.model.rowCount())
    ]
    assert rows == [
        [
            g.competency,
            percent_text(g.entry_percent),
            percent_text(g.exit_percent),
            delta_text(g.delta),
            growth_wording(g.delta),
        ]
        for g in growth
    ]
    series = {name: values for name, values, _c in eff.chart.series()}
    assert eff.chart.categories() == [g.competency for g in growth]
    assert series == {
        "Входная": [g.entry_percent for g in growth],
        "Итоговая": [g.exit_percent for g in growth],
    }
    assert eff.chart.value_suffix() == "%"
    assert eff.summary.text().startswith("В среднем по компетенциям:")


def test_a_score_outside_the_scale_is_not_taken(ui_db, make_window, qtbot) -> None:
    ids = make_internship(ui_db)
    with ui_db.session() as s:
        instrument = f.default_instrument(s)
        AssessmentService().create(
            s,
            {
                "internship_id": ids["internship"],
                "instrument_id": instrument.id,
                "assessed_on": "02.09.2025",
                "stage": "entry",
            },
        )
        top = instrument.scale_max
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    model = card.diagnostics_tab.grid_model
    type_scores(qtbot, card, str(top + 1))
    assert model.scored() == 0 and not card.is_dirty()
    index = card.diagnostics_tab.grid.currentIndex()
    assert not model.setData(index, top + 1)
    assert model.setData(index, "2,0") and model.values[model.grid[index.row()].indicator.id] == 2
    card.mark_clean()
    assert not card.is_dirty()


def test_enter_goes_down_and_the_spin_box_edits_a_score(ui_db, make_window, qtbot) -> None:
    ids = make_internship(ui_db)
    with ui_db.session() as s:
        AssessmentService().create(
            s,
            {
                "internship_id": ids["internship"],
                "instrument_id": f.default_instrument(s).id,
                "assessed_on": "02.09.2025",
                "stage": "entry",
            },
        )
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    type_scores(qtbot, card, "")
    grid, model = card.diagnostics_tab.grid, card.diagnostics_tab.grid_model
    first = grid.currentIndex().row()
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    second = grid.currentIndex().row()
    assert second == model.next_indicator_row(first, 1)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = grid.indexWidget(grid.currentIndex()) or grid.focusWidget()
    assert isinstance(editor, QSpinBox)
    editor.setValue(2)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.currentIndex().row() != second, timeout=2000)
    indicator = model.grid[second].indicator
    assert model.values[indicator.id] == 2
    assert grid.currentIndex().row() == model.next_indicator_row(second, 1)
    card.mark_clean()


def test_journal_entries_are_edited_and_deleted(ui_db, make_window, qtbot, monkeypatch):
    ids = make_internship(ui_db)
    with ui_db.session() as s:
        entry_id = (
            JournalService()
            .create(
                s,
                {
                    "internship_id": ids["internship"],
                    "entry_date": "10.11.2026",
                    "activity": "работа в библиотеке",  # not in the list: kept as it is
                    "topic": "Литература по теме",
                    "hours": 3,
                },
            )
            .id
        )
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    tab = card.journal_tab
    tab.table.select_row(0)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    form = last_form(card)
    assert form.editors["activity"].value() == "работа в библиотеке"
    form.editors["hours"].widget.setText("4")
    save(qtbot, form)
    assert tab.model.data(tab.model.index(0, 3)) == "4"
    assert card.header.journal_label.text() == "1 запись · 4 ч"
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    with ui_db.session() as s:
        assert s.get(JournalEntry, entry_id) is None
    assert tab.model.rowCount() == 0 and not tab.empty.isHidden()


def test_the_effectiveness_tab_says_calmly_what_is_missing(ui_db, make_window) -> None:
    ids = make_internship(ui_db)
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    eff = card.effectiveness_tab
    assert not eff.hint.isHidden()
    assert "Нет входной и итоговой диагностики" in eff.hint.text()
    assert eff.chart.isHidden() and eff.summary.isHidden()


def test_closing_with_unsaved_scores_asks(ui_db, make_window, qtbot, monkeypatch) -> None:
    ids = make_internship(ui_db)
    with ui_db.session() as s:
        instrument = f.default_instrument(s)
        entry = AssessmentService().create(
            s,
            {
                "internship_id": ids["internship"],
                "instrument_id": instrument.id,
                "assessed_on": "02.09.2025",
                "stage": "entry",
            },
        )
        entry_id = entry.id
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    card.tabs.setCurrentIndex(0)
    type_scores(qtbot, card, "21")
    assert card.is_dirty()

    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not card.close()
    assert asked and card.isVisible() and card.is_dirty()
    assert card.tabs.currentWidget() is card.diagnostics_tab  # shown where the edits are

    answer(monkeypatch, QMessageBox.StandardButton.Save)
    assert card.close()
    qtbot.waitUntil(lambda: card not in window.open_windows, timeout=3000)
    with ui_db.session() as s:
        assert len(s.get(Assessment, entry_id).scores) == 2


def test_switching_assessments_with_unsaved_scores_asks(ui_db, make_window, qtbot, monkeypatch):
    ids = make_internship(ui_db)
    with ui_db.session() as s:
        instrument = f.default_instrument(s)
        for stage, day in (("entry", "02.09.2025"), ("exit", "20.11.2026")):
            AssessmentService().create(
                s,
                {
                    "internship_id": ids["internship"],
                    "instrument_id": instrument.id,
                    "assessed_on": day,
                    "stage": stage,
                },
            )
    window = make_window(ui_db)
    card = open_card(window, ids["internship"])
    tab = card.diagnostics_tab
    assert tab.current_assessment().stage == Stage.EXIT  # the latest first
    type_scores(qtbot, card, "3")
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    tab.table.select_row(0)
    qtbot.waitUntil(lambda: tab.current_assessment().stage == Stage.EXIT, timeout=2000)
    assert len(asked) == 1 and card.is_dirty()
    assert tab.grid_model.scored() == 1
    answer(monkeypatch, QMessageBox.StandardButton.Discard)
    tab.table.select_row(0)
    assert tab.current_assessment().stage == Stage.ENTRY and not card.is_dirty()
    assert tab.grid_model.scored() == 0


# -- screenshots -----------------------------------------------------------------------------


def test_screenshots_of_every_tab_on_the_demo(demo_db, make_window, tmp_path: Path) -> None:
    with demo_db.session() as s:
        exit_ids = select(Assessment.internship_id).where(Assessment.stage == Stage.EXIT)
        internship_id = s.scalar(
            select(Internship.id)
            .where(Internship.status == InternshipStatus.COMPLETED, Internship.id.in_(exit_ids))
            .order_by(Internship.id)
            .limit(1)
        )
    window = make_window(demo_db)
    card = open_card(window, internship_id)
    card.resize(1150, 760)
    tabs: QTabWidget = card.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        image = card.grab()
        path = tmp_path / f"card_tab{i}.png"
        assert image.save(str(path))
        assert path.stat().st_size > 20_000
    # Nothing scrolls sideways at the card's size.
    for table in (card.route_tab.table, card.journal_tab.table, card.effectiveness_tab.table):
        tabs.setCurrentWidget(table.parentWidget())
        assert not table.horizontalScrollBar().isVisible()
    assert card.effectiveness_tab.chart.categories()
