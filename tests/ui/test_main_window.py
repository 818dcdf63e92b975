"""The main window: navigation, every page and form opens, state remembered, errors shown."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from stazhirovka.ui.entities import KINDS
from stazhirovka.ui.forms import EntityForm
from stazhirovka.ui.main_window import NAVIGATION, MainWindow
from stazhirovka.ui.registry_page import RegistryPage

PAGES = [name for _group, pages in NAVIGATION for name, _title in pages]


def test_every_navigation_item_opens_its_page(demo_db, make_window) -> None:
    window = make_window(demo_db)
    for name in PAGES:
        window.nav.setCurrentItem(window._items[name])
        page = window.current_page()
        assert page is window.pages[name]
        if isinstance(page, RegistryPage):
            assert page.model.total() > 0, name
            assert page.status_label.text() == "", name


def test_the_status_bar_names_the_database(demo_db, make_window) -> None:
    window = make_window(demo_db)
    assert window.db_label.text().startswith("База данных: SQLite: ")


@pytest.mark.parametrize("registry", sorted(KINDS))
def test_every_kind_of_record_has_a_working_form(demo_db, make_window, registry: str) -> None:
    """A new-record form builds (every reference field has a picker) and an existing record
    loads into it without being marked as changed."""
    kind = KINDS[registry]
    window = make_window(demo_db)
    page = window.page(registry)
    if kind.creatable:
        form = EntityForm(demo_db, kind, parent=window)
        assert not form.is_dirty()
        form.deleteLater()
    record_id = page.model.row_id(0)
    assert record_id is not None
    form = EntityForm(demo_db, kind, record_id, parent=window)
    assert not form.is_dirty(), [n for n, e in form.editors.items()]
    assert form.windowTitle()
    form.deleteLater()


def test_window_geometry_is_remembered(demo_db, make_window, qtbot) -> None:
    window = make_window(demo_db)
    window.resize(700, 500)  # within the offscreen screen
    window.close()
    again = MainWindow(window.ctx)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)


def test_ctrl_n_creates_in_the_current_registry(demo_db, make_window, qtbot) -> None:
    window = make_window(demo_db)
    window.show_page("organizations")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    forms = [f for f in window.findChildren(EntityForm) if f.isVisible()]
    assert [f.windowTitle() for f in forms] == ["Новая организация"]
    forms[0].mark_clean()
    forms[0].close()


def test_closing_with_an_unsaved_form_asks_first(demo_db, make_window, monkeypatch) -> None:
    window = make_window(demo_db)
    window.show_page("organizations").create()
    form = next(f for f in window.findChildren(EntityForm) if f.isVisible())
    form.editors["short_name"].widget.setText("МБОУ СОШ № 99")
    asked: list[str] = []

    def answer(_parent, title, _text, *args, **kwargs):
        asked.append(title)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.close()
    assert asked == ["Несохранённые изменения"]
    assert window.isVisible()
    form.mark_clean()


def test_an_error_escaping_a_slot_is_logged_and_shown_and_the_window_stays(
    demo_db, make_window, monkeypatch, caplog
) -> None:
    from stazhirovka.ui import errors

    shown: list[str] = []
    monkeypatch.setattr(
        errors, "show_error", lambda parent, exc, ctx="": shown.append(errors.report(exc, ctx))
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    window = make_window(demo_db)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        with caplog.at_level(logging.ERROR):
            sys.excepthook(*sys.exc_info())
    assert shown and "Непредвиденная ошибка (RuntimeError)" in shown[0]
    assert "журнал" in shown[0]
    assert "boom" in caplog.text  # the details go to the log, not to the screen
    assert window.isVisible()


def test_home_page_is_the_start_page_when_present(demo_db, make_window) -> None:
    window: MainWindow = make_window(demo_db)
    from stazhirovka.ui.main_window import HOME, SPECIAL_PAGES

    if HOME in SPECIAL_PAGES:
        assert window.current_page() is window.pages[HOME]


def test_the_window_shows_before_its_database_is_open(demo_db, qtbot, tmp_path) -> None:
    from stazhirovka.ui.settings import Settings
    from stazhirovka.ui.tasks import TaskRunner

    window = MainWindow(settings=Settings(tmp_path / "s.ini"), tasks=TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    assert window.current_page() is window.waiting_label
    assert not window.nav.isEnabled()
    assert not window.new_action.isEnabled()
    with qtbot.waitSignal(window.attached):
        window.attach(demo_db)
    assert window.nav.isEnabled()
    assert window.current_page() is not window.waiting_label
    assert window.db_label.text().startswith("База данных: SQLite")


def test_the_window_frame_needs_no_database_layer() -> None:
    """Start-up shows the frame before SQLAlchemy, the models and Alembic are imported."""
    import subprocess

    # the frame is built too, menus included: a menu that imports a widget module reading
    # the database at build time made every start 0.8 s slower
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from pathlib import Path; import tempfile\n"
        "from PySide6.QtWidgets import QApplication; app = QApplication([])\n"
        "import stazhirovka.ui.main_window as mw, stazhirovka.ui.pages\n"
        "from stazhirovka.ui.settings import Settings; from stazhirovka.ui.tasks import TaskRunner\n"
        "ini = Path(tempfile.mkdtemp()) / 's.ini'\n"
        "w = mw.MainWindow(settings=Settings(ini), tasks=TaskRunner())\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'stazhirovka.models', 'reportlab', "
        "'xlsxwriter', 'openpyxl', 'python_calamine') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ctrl_n_on_the_plan_schedule_adds_an_event(demo_db, make_window) -> None:
    window = make_window(demo_db)
    window.show_page("plan")
    window.new_action.trigger()
    forms = [f for f in window.findChildren(EntityForm) if f.isVisible()]
    assert [f.windowTitle() for f in forms] == ["Новое мероприятие"]
    assert forms[0].editors["plan_year"].value()  # the page's year is preset
    forms[0].mark_clean()
    forms[0].close()
