"""The program editor: details in place, modules added, checked, reordered and deleted, and
the totals that follow each change."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from stazhirovka.models import Competency, Program, ProgramModule
from stazhirovka.services.programs import program_hours
from stazhirovka.ui.forms import EntityForm
from stazhirovka.ui.program_editor import ProgramEditor
from tests import factories as f
from tests.ui.helpers import type_text


@pytest.fixture(autouse=True)
def _no_blocking_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed test leaves edits behind; closing its window must not wait for an answer."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def _program(db, hours=((4, 8), (2, 10), (0, 6))) -> int:
    with db.session() as s:
        return f.program(s, hours=hours).id


def _editor(window: Any, program_id: int) -> ProgramEditor:
    editor = window.open_record("programs", program_id)
    assert isinstance(editor, ProgramEditor)
    return editor


def _form(editor: ProgramEditor) -> EntityForm:
    forms = [w for w in editor.findChildren(EntityForm) if w.isVisible()]
    assert len(forms) == 1
    return forms[0]


def _modules(db, program_id: int) -> list[tuple[int, str, int]]:
    with db.session() as s:
        rows = s.execute(
            select(ProgramModule.position, ProgramModule.title, ProgramModule.hours_theory)
            .where(ProgramModule.program_id == program_id)
            .order_by(ProgramModule.position)
        ).all()
    return [tuple(r) for r in rows]


def test_a_demo_program_shows_its_modules_and_totals(demo_db, make_window, qtmodeltester) -> None:
    with demo_db.session() as s:
        program = s.scalars(select(Program).order_by(Program.id)).first()
        expected = [(m.position, m.title, m.hours) for m in program.modules]
        total = program_hours(s, program.id)
        theory = sum(m.hours_theory for m in program.modules)
        checked = {c.name for c in program.competencies}
        program_id = program.id
    window = make_window(demo_db)
    editor = _editor(window, program_id)
    rows = editor.modules.model.record_rows()
    assert [(r["position"], r["title"], r["hours"]) for r in rows] == expected
    assert len(expected) >= 6
    footer = editor.modules.footer.text()
    assert footer.startswith(f"Всего: {len(expected)} модулей, {total} час")
    assert f"(теория {theory}, практика {total - theory})" in footer
    assert editor.details.editors["title"].value() == editor.heading.text()
    ticked = {
        editor.competency_list.item(i).text()
        for i in range(editor.competency_list.count())
        if editor.competency_list.item(i).checkState() == Qt.CheckState.Checked
    }
    assert ticked == checked
    assert not editor.is_dirty()
    qtmodeltester.check(editor.modules.model)


def test_adding_a_module_through_its_form_updates_the_totals(ui_db, make_window, qtbot) -> None:
    program_id = _program(ui_db)
    window = make_window(ui_db)
    editor = _editor(window, program_id)
    assert editor.modules.footer.text() == "Всего: 3 модуля, 30 часов (теория 6, практика 24)"
    qtbot.mouseClick(editor.modules.add_button, Qt.MouseButton.LeftButton)
    form = _form(editor)
    assert "program_id" not in form.editors and "position" not in form.editors
    type_text(form.editors["title"].widget, "Открытый урок наставника")
    form.editors["hours_theory"].widget.setText("1")
    form.editors["hours_practice"].widget.setText("")
    type_text(form.editors["hours_practice"].widget, "4")
    type_text(form.editors["form"].widget, "мастер-класс")
    with qtbot.waitSignal(form.saved, timeout=2000):
        qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.modules.footer.text() == "Всего: 4 модуля, 35 часов (теория 7, практика 28)"
    assert "35 часов" in editor.subheading.text()
    assert _modules(ui_db, program_id)[-1] == (4, "Открытый урок наставника", 1)
    assert editor.modules.current_id() == editor.modules.model.record_rows()[-1]["id"]
    with ui_db.session() as s:
        assert program_hours(s, program_id) == 35


def test_an_invalid_module_is_refused_at_its_fields(ui_db, make_window, qtbot) -> None:
    program_id = _program(ui_db)
    window = make_window(ui_db)
    editor = _editor(window, program_id)
    before = _modules(ui_db, program_id)
    editor.modules.add_requested.emit()
    form = _form(editor)
    form.editors["hours_theory"].widget.setText("")
    type_text(form.editors["hours_theory"].widget, "-2")
    form.save_button.click()
    assert form.isVisible()
    errors = {n: e.error.text() for n, e in form.editors.items() if e.error.isVisibleTo(form)}
    assert errors == {"title": "обязательное поле", "hours_theory": "не меньше 0"}
    assert _modules(ui_db, program_id) == before
    assert editor.modules.footer.text().startswith("Всего: 3 модуля, 30 часов")
    form.mark_clean()
    form.reject()


def test_modules_move_with_the_keyboard_and_the_buttons(ui_db, make_window, qtbot) -> None:
    program_id = _program(ui_db)
    window = make_window(ui_db)
    editor = _editor(window, program_id)
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)  # shortcuts need the active window
    table = editor.modules.table
    table.setFocus()
    editor.modules.select_id(editor.modules.model.record_rows()[0]["id"])
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [t for _p, t, _h in _modules(ui_db, program_id)] == ["Модуль 2", "Модуль 1", "Модуль 3"]
    assert [r["title"] for r in editor.modules.model.record_rows()][1] == "Модуль 1"
    assert editor.modules.model.row(editor.modules.model.row_of(editor.modules.current_id()))[
        "title"
    ] == ("Модуль 1")
    qtbot.keyClick(editor.modules.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [t for _p, t, _h in _modules(ui_db, program_id)] == ["Модуль 2", "Модуль 3", "Модуль 1"]
    qtbot.keyClick(editor.modules.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [p for p, _t, _h in _modules(ui_db, program_id)] == [1, 2, 3]  # the last stays
    editor.modules.up_button.click()
    editor.modules.up_button.click()
    editor.modules.up_button.click()
    assert [t for _p, t, _h in _modules(ui_db, program_id)] == ["Модуль 1", "Модуль 2", "Модуль 3"]


def test_deleting_a_module_asks_and_renumbers(ui_db, make_window, monkeypatch) -> None:
    program_id = _program(ui_db)
    window = make_window(ui_db)
    editor = _editor(window, program_id)
    first = editor.modules.model.record_rows()[0]["id"]
    editor.modules.select_id(first)
    asked: list[str] = []

    def answer(reply):
        def question(_parent, _title, text, *a, **k):
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    editor.modules.delete_button.click()
    assert asked == ["Удалить модуль «Модуль 1»? Это действие нельзя отменить."]
    assert len(_modules(ui_db, program_id)) == 3
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    editor.modules.delete_button.click()
    assert _modules(ui_db, program_id) == [(1, "Модуль 2", 2), (2, "Модуль 3", 0)]
    assert [r["position"] for r in editor.modules.model.record_rows()] == [1, 2]
    assert editor.modules.footer.text() == "Всего: 2 модуля, 18 часов (теория 2, практика 16)"


def test_program_details_are_edited_in_place(ui_db, make_window, qtbot) -> None:
    program_id = _program(ui_db)
    window = make_window(ui_db)
    registry = window.show_page("programs")
    editor = _editor(window, program_id)
    assert not editor.save_button.isEnabled()
    title = editor.details.editors["title"].widget
    title.clear()
    assert editor.is_dirty() and editor.save_button.isEnabled()
    assert editor.windowTitle().endswith(" •")
    editor.details.editors["duration_months"].widget.setText("0")
    assert not editor.save()
    errors = {
        n: e.error.text() for n, e in editor.details.editors.items() if e.error.isVisibleTo(editor)
    }
    assert errors == {"title": "обязательное поле", "duration_months": "не меньше 1"}
    with ui_db.session() as s:
        assert s.get(Program, program_id).title == "Формирование методических компетенций педагогов"
    type_text(title, "ИКТ-компетенции педагогов")
    editor.details.editors["duration_months"].widget.setText("12")
    editor.competency_list.item(0).setCheckState(Qt.CheckState.Checked)
    first_competency = editor.competency_list.item(0).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(window.record_saved, timeout=2000):
        qtbot.keyClick(title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not editor.is_dirty()
    assert editor.heading.text() == "ИКТ-компетенции педагогов"
    with ui_db.session() as s:
        program = s.get(Program, program_id)
        assert (program.title, program.duration_months) == ("ИКТ-компетенции педагогов", 12)
        assert [c.id for c in program.competencies] == [first_competency]
        assert s.get(Competency, first_competency) is not None
    assert registry.model.row(0)["title"] == "ИКТ-компетенции педагогов"


def test_one_window_per_program(ui_db, make_window) -> None:
    program_id = _program(ui_db)
    window = make_window(ui_db)
    editor = _editor(window, program_id)
    assert window.open_record("programs", program_id) is editor
    assert [w for w in window.open_windows if isinstance(w, ProgramEditor)] == [editor]
    editor.resize(editor.minimumSizeHint().width(), 640)  # the offscreen screen is 800×800
    editor.close()
    again = _editor(window, program_id)
    assert again is not editor
    assert again.height() == 640  # the geometry is remembered


def test_closing_with_unsaved_edits_asks(ui_db, make_window, monkeypatch) -> None:
    program_id = _program(ui_db)
    window = make_window(ui_db)
    editor = _editor(window, program_id)
    editor.details.editors["audience"].widget.setText("молодые педагоги")
    asked: list[bool] = []
    monkeypatch.setattr(ProgramEditor, "_confirm_discard", lambda self: asked.append(True) or False)
    editor.close()
    assert asked and editor.isVisible()
    monkeypatch.setattr(ProgramEditor, "_confirm_discard", lambda self: True)
    editor.close()
    assert not editor.isVisible()


def test_a_new_program_opens_its_editor_once_saved(ui_db, make_window, qtbot) -> None:
    with ui_db.session() as s:
        platform_id = f.platform(s).id
    window = make_window(ui_db)
    form = window.create_record("programs", {"platform_id": platform_id})
    assert isinstance(form, EntityForm)
    type_text(form.editors["title"].widget, "Ступеньки успеха")
    with qtbot.waitSignal(form.saved, timeout=2000):
        form.save_button.click()
    editors = [w for w in window.open_windows if isinstance(w, ProgramEditor)]
    assert len(editors) == 1 and editors[0].heading.text() == "Ступеньки успеха"
    assert "Модулей пока нет" in editors[0].modules.footer.text()


def test_a_program_deleted_meanwhile_is_reported_not_opened(ui_db, make_window, monkeypatch):
    from stazhirovka.ui import main_window

    window = make_window(ui_db)
    shown: list[str] = []
    monkeypatch.setattr(
        main_window, "show_error", lambda _parent, exc, _context="": shown.append(str(exc))
    )
    assert window.open_record("programs", 999) is None
    assert shown and "не найдена" in shown[0]
    assert not [w for w in window.open_windows if isinstance(w, ProgramEditor)]
