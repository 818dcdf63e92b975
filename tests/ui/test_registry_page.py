"""Registries on screen: the lazy model, search, sort, filters, forms, deletes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from stazhirovka.models import Internship, Person
from stazhirovka.services.registry import RegistryQuery, count
from stazhirovka.ui.forms import EntityForm
from stazhirovka.ui.registry_model import ID_ROLE, RegistryModel
from stazhirovka.ui.registry_page import RegistryPage
from tests.ui.helpers import type_text


def _form(window: Any) -> EntityForm:
    forms = [f for f in window.findChildren(EntityForm) if f.isVisible()]
    assert len(forms) == 1
    return forms[0]


@pytest.mark.parametrize("registry", ["persons", "internships", "events", "certificates"])
def test_model_passes_the_model_tester(demo_db, qtmodeltester, registry: str) -> None:
    model = RegistryModel(demo_db, registry)
    model.reload()
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_model_fetches_rows_lazily_and_sorts_in_the_database(demo_db) -> None:
    model = RegistryModel(demo_db, "persons")
    model.reload()
    total = model.rowCount()
    assert total > model.BLOCK * 2
    assert list(model._blocks) == [0]  # the first block only, until other rows are shown
    last = model.index(total - 1, 0).data()
    assert list(model._blocks) == [0, (total - 1) // model.BLOCK]
    column = [c.key for c in model.columns].index("fio")
    model.sort(column, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == last
    assert model.index(0, 0).data(ID_ROLE) == model.row_id(0)


@pytest.fixture
def background_model(demo_db):
    """A window-style model; its worker is finished and the model deleted after the test
    (a pool thread left to the interpreter's shutdown upsets PySide)."""
    import shiboken6

    made: list[RegistryModel] = []

    def make(registry: str = "persons") -> RegistryModel:
        model = RegistryModel(demo_db, registry, background=True)
        made.append(model)
        return model

    yield make
    for model in made:
        assert model.wait()
        shiboken6.delete(model)


def test_far_rows_are_read_in_the_background_and_fill_in(demo_db, background_model, qtbot):
    model = background_model()
    model.reload()
    far = model.index(model.rowCount() - 1, 0)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, _roles: changed.append((first.row(), last.row())))
    assert far.data() is None  # not read yet: the view paints it empty for a moment
    qtbot.waitUntil(lambda: bool(changed), timeout=5000)
    first, last = changed[0]
    assert first <= far.row() <= last
    assert far.data()  # now it is there
    plain = RegistryModel(demo_db, "persons")
    plain.reload()
    assert far.data() == plain.index(far.row(), 0).data()


def test_rows_of_an_old_query_are_dropped(background_model, qtbot) -> None:
    model = background_model()
    model.reload()
    far = model.rowCount() - 1
    assert model.index(far, 0).data() is None  # a read starts…
    model.set_search("иван")  # …and the query changes before it ends
    assert model.wait()
    qtbot.wait(50)  # let the late rows arrive and be ignored
    assert model.rowCount() < far
    assert all(number * model.BLOCK < model.rowCount() for number in model._blocks)


def test_search_and_filters_go_to_the_database(demo_db, make_window, qtbot) -> None:
    window = make_window(demo_db)
    page = window.show_page("persons")
    assert isinstance(page, RegistryPage)
    total = page.model.total()
    with demo_db.session() as session:
        person = session.scalars(select(Person).order_by(Person.id)).first()
        surname = person.surname
        expected = count(session, "persons", RegistryQuery(search=surname))
    with qtbot.waitSignal(page.model.reloaded, timeout=2000):
        type_text(page.search, surname.upper().replace("Ё", "Е"))
    assert page.model.total() == expected < total
    assert surname in page.count_label.text() or "Найдено" in page.count_label.text()
    page.search.clear()
    page.search.flush()
    assert page.model.total() == total
    page.filters["sex"].set_value("F")
    page.apply_filters()
    assert 0 < page.model.total() < total
    page.reset_filters()
    assert page.model.total() == total


def test_a_person_created_through_the_form_is_found_by_search(ui_db, make_window, qtbot) -> None:
    window = make_window(ui_db)
    page = window.show_page("persons")
    assert page.model.total() == 0
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = _form(window)
    type_text(form.editors["surname"].widget, "Ёлкина")
    type_text(form.editors["name"].widget, "Мария")
    type_text(form.editors["patronymic"].widget, "Петровна")
    type_text(form.editors["teaching_since"].widget.edit, "01.09.2025")
    with qtbot.waitSignal(form.saved, timeout=2000):
        qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible()
    with ui_db.session() as session:
        person = session.scalars(select(Person)).one()
        assert (person.surname, person.sex.value) == ("Ёлкина", "F")  # ё kept, sex guessed
    page.search.setText("елкина")
    page.search.flush()
    assert page.model.total() == 1
    assert page.model.index(0, 0).data() == "Ёлкина Мария Петровна"


def test_validation_errors_are_shown_at_their_fields(ui_db, make_window, qtbot) -> None:
    window = make_window(ui_db)
    window.show_page("persons").create()
    form = _form(window)
    type_text(form.editors["name"].widget, "Мария")
    type_text(form.editors["snils"].widget, "123-456-789 00")
    type_text(form.editors["teaching_since"].widget.edit, "31.02.2025")
    form.save_button.click()
    assert form.isVisible()
    errors = {name: e.error.text() for name, e in form.editors.items() if e.error.isVisibleTo(form)}
    assert set(errors) == {"surname", "snils", "teaching_since"}
    assert errors["surname"] == "обязательное поле"
    assert "контрольным числом" in errors["snils"]
    assert "не дата" in errors["teaching_since"]
    assert "Исправьте" in form.banner.text()
    with ui_db.session() as session:
        assert session.scalar(select(Person.id)) is None  # nothing written
    type_text(form.editors["surname"].widget, "Иванова")
    form.editors["snils"].widget.clear()
    form.editors["teaching_since"].widget.edit.clear()
    with qtbot.waitSignal(form.saved, timeout=2000):
        form.save_button.click()


def test_a_record_picker_finds_and_sets_the_reference(demo_db, make_window, qtbot) -> None:
    window = make_window(demo_db)
    window.show_page("persons").create()
    form = _form(window)
    picker = form.editors["organization_id"].widget
    picker.edit.setFocus()
    type_text(picker.edit, "СОШ № 5")
    picker.suggest()
    popup = picker.completer.popup()
    assert picker.completer.completionModel().rowCount() >= 1
    first = picker.completer.completionModel().index(0, 0)
    picker.completer.activated.emit(first.data())
    assert picker.value() is not None
    assert not picker.unresolved()
    popup.hide()
    form.mark_clean()


def test_an_unchosen_picker_text_is_an_error_at_the_field(ui_db, make_window) -> None:
    window = make_window(ui_db)
    window.show_page("persons").create()
    form = _form(window)
    form.editors["surname"].widget.setText("Иванова")
    form.editors["name"].widget.setText("Мария")
    form.editors["organization_id"].widget.edit.setText("Несуществующая школа")
    assert not form.save()
    assert "выберите" in form.editors["organization_id"].error.text()
    form.mark_clean()


def test_deleting_what_history_depends_on_is_refused(demo_db, make_window, monkeypatch) -> None:
    window = make_window(demo_db)
    page = window.show_page("persons")
    with demo_db.session() as session:
        intern_id = session.scalars(select(Internship.person_id)).first()
        fio = session.get(Person, intern_id).surname
    page.search.setText(fio)
    page.search.flush()
    row = next(r for r in range(page.model.total()) if page.model.row_id(r) == intern_id)
    page.table.selectRow(row)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    page.delete_selected()
    assert shown and shown[0].startswith("Нельзя удалить педагога")
    assert "стажировки" in shown[0]
    with demo_db.session() as session:
        assert session.get(Person, intern_id) is not None


def test_deleting_several_free_records_at_once(ui_db, make_window, monkeypatch) -> None:
    from stazhirovka.services.reference import EventFormService

    with ui_db.session() as session:
        for name in ("Форма А", "Форма Б"):
            EventFormService().create(session, {"name": name})
    window = make_window(ui_db)
    page = window.show_page("event_forms")
    total = page.model.total()
    page.search.setText("Форма")
    page.search.flush()
    assert page.model.total() == 2
    page.table.selectAll()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.delete_selected()
    page.search.clear()
    page.search.flush()
    assert page.model.total() == total - 2


def test_column_layout_is_remembered(demo_db, make_window) -> None:
    window = make_window(demo_db)
    page = window.show_page("organizations")
    page.table.setColumnWidth(0, 333)
    settings = window.ctx.settings
    again = RegistryPage(demo_db, "organizations", settings)
    assert again.table.columnWidth(0) == 333
    again.deleteLater()


def test_show_all_from_the_home_page_filters_the_registry(demo_db, make_window) -> None:
    from datetime import date

    from stazhirovka.services.dashboard import attention

    with demo_db.session() as session:
        groups = {g.key: g for g in attention(session, date(2026, 11, 22))}
    group = groups["overdue_steps"]
    assert group.count > 0
    window = make_window(demo_db)
    page = window.show_page(group.registry, group.filters)
    assert page.model.total() == group.count
    # A filter the bar has no widget for is named above the table until «Сбросить».
    assert page.extra_label.isVisibleTo(page)
    assert "просроченные" in page.extra_label.text()
    assert "overdue_on" not in page.filters
    page.reset_filters()
    assert not page.extra_label.isVisibleTo(page)
    assert page.model.total() > group.count


def test_a_sort_in_the_window_reads_in_the_background(demo_db, background_model, qtbot):
    model = background_model()
    model.reload()
    column = [c.key for c in model.columns].index("fio")
    changed: list[int] = []
    model.dataChanged.connect(lambda first, _last, _roles: changed.append(first.row()))
    model.sort(column, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() is None  # the view shows the rows a moment later
    qtbot.waitUntil(lambda: bool(changed), timeout=5000)
    plain = RegistryModel(demo_db, "persons")
    plain.reload()
    plain.sort(column, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == plain.index(0, 0).data()
