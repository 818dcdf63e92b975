"""The first run: the welcome's two choices, the demo fill in the background (one transaction:
a cancel or an error leaves the database empty) and the pages showing the data afterwards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from stazhirovka.db import Database, open_database
from stazhirovka.models import Event, Internship, Organization, Person
from stazhirovka.ui import app
from stazhirovka.ui.first_run import FirstRunDialog, demo_facts
from stazhirovka.ui.registry_page import RegistryPage
from stazhirovka.ui.tasks import Progress, TaskRunner


def _count(db: Database, model: Any) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


# -- the dialog --------------------------------------------------------------------------------


@pytest.fixture
def dialog(qtbot) -> FirstRunDialog:
    dialog = FirstRunDialog(None, "sqlite:////home/metodist/данные/stazhirovka.db")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_welcome_names_the_database_file(dialog):
    assert dialog.path_label.text() == "База данных: SQLite: /home/metodist/данные/stazhirovka.db"
    assert dialog.path_label.isVisible()
    assert dialog.choice() == "empty"


def test_choosing_the_demo(dialog, qtbot):
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice() == "demo"


def test_choosing_an_empty_database(dialog, qtbot):
    qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice() == "empty"


def test_escape_means_an_empty_database(dialog, qtbot):
    dialog.demo_button.setFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.choice() == "empty"


def test_enter_does_not_fill_the_database_by_accident(dialog, qtbot):
    """The safe choice is the default one."""
    assert dialog.empty_button.isDefault()
    assert not dialog.demo_button.isDefault()


def test_the_welcome_states_what_the_demo_really_holds(demo_db: Database, dialog):
    facts = demo_facts()
    with demo_db.session() as s:
        district = s.scalars(
            select(Organization).where(Organization.municipality.has(name=facts.municipality))
        ).all()
        from stazhirovka.models import Platform

        platforms = s.scalars(select(Platform)).all()
    kinds = [str(getattr(o.kind, "value", o.kind)) for o in district]
    assert kinds.count("school") == facts.schools == 19
    assert kinds.count("kindergarten") == facts.kindergartens == 14
    working = [
        p
        for p in platforms
        if str(getattr(p.kind, "value", p.kind)) == "internship"
        and str(getattr(p.status, "value", p.status)) == "active"
    ]
    assert len(working) == facts.platforms == 7
    assert _count(demo_db, Internship) == facts.internships == 100
    assert _count(demo_db, Event) == facts.events == 150
    assert abs(_count(demo_db, Person) - facts.persons) <= facts.persons * 0.05
    text = dialog.demo_button.description()
    for part in (
        "Тимашевский район",
        "19\u00a0школ",
        "14\u00a0детских садов",
        "7\u00a0стажировочных площадок",
        "около 1\u00a0500\u00a0педагогов",
        "100\u00a0стажировок",
        "150\u00a0мероприятий",
    ):
        assert part in text


def test_the_window_s_database_is_shown_when_no_address_is_given(ui_db, make_window):
    window = make_window(ui_db)
    dialog = FirstRunDialog(window)
    assert str(ui_db.url.removeprefix("sqlite:///")) in dialog.path_label.text()
    dialog.deleteLater()


# -- the demo fill ---------------------------------------------------------------------------


class CancellingRunner(TaskRunner):
    """Inline work whose user presses «Отмена» as soon as the first progress arrives."""

    def run(self, fn: Callable[[Progress], Any], **kwargs: Any) -> Any:
        def cancelled_after_first_report(progress: Progress) -> Any:
            emit = progress._emit
            reports: list[str] = []

            def emit_then_cancel(done: int, total: int, text: str) -> None:
                emit(done, total, text)
                reports.append(text)
                progress.cancel()

            progress._emit = emit_then_cancel  # type: ignore[method-assign]
            try:
                return fn(progress)
            finally:
                self.reports = reports

        return super().run(cancelled_after_first_report, **kwargs)


def test_the_demo_fills_the_database_and_the_pages_show_it(ui_db, make_window):
    window = make_window(ui_db)
    registry = window.show_page("internships")
    assert isinstance(registry, RegistryPage)
    assert registry.model.rowCount() == 0
    home = window.show_page("home")
    assert sum(card.group.count for card in home.cards.values()) == 0

    task = app.start_demo(window)

    assert task.outcome == "done"
    assert _count(ui_db, Internship) == 100
    assert _count(ui_db, Person) > 1400
    assert sum(card.group.count for card in home.cards.values()) > 0
    assert registry.count_label.text() == "Найдено: 100 записей"
    assert registry.model.rowCount() > 0
    assert window.statusBar().currentMessage() == "Демонстрационный район загружен."
    assert window.ctx.settings.first_run_done_for(ui_db.url)


def test_a_cancelled_demo_leaves_the_database_empty(ui_db, make_window):
    window = make_window(ui_db)
    registry = window.show_page("persons")
    window.ctx.tasks = runner = CancellingRunner(synchronous=True)

    task = app.start_demo(window)

    assert task.outcome == "cancelled"
    assert len(runner.reports) == 1  # the work stopped at its next report
    assert app.is_empty(ui_db)
    assert _count(ui_db, Internship) == 0
    assert registry.model.rowCount() == 0
    assert window.statusBar().currentMessage() == (
        "Загрузка демонстрационного района отменена: база данных осталась пустой."
    )
    assert not window.ctx.settings.first_run_done_for(ui_db.url)  # asked again next time


def test_a_cancel_that_comes_after_the_data_is_in_counts_as_done(ui_db, make_window):
    """Pressing «Отмена» while the statistics are refreshed must not claim an empty database."""
    window = make_window(ui_db)
    registry = window.show_page("internships")

    def fill_then_cancel(db: Database, progress: Progress, today: Any = None) -> None:
        real_fill(db, progress, today)
        progress.cancel()

    real_fill = app.fill_demo
    app.fill_demo = fill_then_cancel  # type: ignore[assignment]
    try:
        task = app.start_demo(window)
    finally:
        app.fill_demo = real_fill  # type: ignore[assignment]
    assert task.outcome == "cancelled"
    assert _count(ui_db, Internship) == 100
    assert registry.model.rowCount() > 0
    assert window.statusBar().currentMessage() == "Демонстрационный район загружен."


def test_a_failed_demo_leaves_the_database_empty(ui_db, make_window, monkeypatch):
    import stazhirovka.demo as demo

    real_generate = demo.generate

    def generate_then_fail(session: Any, **kwargs: Any) -> Any:
        real_generate(session, **kwargs)
        session.flush()
        raise RuntimeError("диск заполнен")

    shown: list[BaseException] = []
    monkeypatch.setattr(demo, "generate", generate_then_fail)
    monkeypatch.setattr(app, "show_error", lambda parent, exc, context="": shown.append(exc))
    window = make_window(ui_db)

    task = app.start_demo(window)

    assert task.outcome == "failed"
    assert [str(e) for e in shown] == ["диск заполнен"]
    assert app.is_empty(ui_db)
    assert window.statusBar().currentMessage() == (
        "Демонстрационный район не загружен: база данных осталась пустой."
    )


# -- when the welcome is shown ---------------------------------------------------------------


class Answers:
    """The answers the user gives to the welcomes shown, and which were shown."""

    def __init__(self) -> None:
        self.queue: list[str] = []
        self.shown: list[str] = []

    def append(self, answer: str) -> None:
        self.queue.append(answer)


@pytest.fixture
def answers(monkeypatch) -> Answers:
    answers = Answers()

    def exec_(self: FirstRunDialog) -> int:
        answer = answers.queue.pop(0)
        answers.shown.append(answer)
        (self.demo_button if answer == "demo" else self.empty_button).click()
        return int(self.result())

    monkeypatch.setattr(FirstRunDialog, "exec", exec_)
    return answers


def test_the_welcome_is_shown_once_per_new_file(ui_db, make_window, answers, new_url):
    window = make_window(ui_db)
    answers.append("empty")
    app.first_run(window)
    assert answers.shown == ["empty"]
    assert app.is_empty(ui_db)
    app.first_run(window)  # the next start: not asked again
    assert answers.shown == ["empty"]

    other = open_database(new_url("sqlite", migrated=True))  # switched to another new file
    try:
        second = make_window(other)
        second.ctx.settings = window.ctx.settings
        answers.append("demo")
        app.first_run(second)
        assert answers.shown == ["empty", "demo"]
        assert _count(other, Internship) == 100
        assert app.is_empty(ui_db)
    finally:
        other.close()


def test_no_welcome_for_a_database_with_data(demo_db, make_window, answers):
    window = make_window(demo_db)
    app.first_run(window)
    assert answers.shown == []


def test_the_demo_option_fills_without_asking(ui_db, make_window, answers):
    window = make_window(ui_db)
    app.first_run(window, demo=True)
    assert answers.shown == []
    assert _count(ui_db, Internship) == 100


def test_the_window_opens_its_database_in_the_background(tmp_path, qtbot) -> None:
    """Start-up: the frame first, the database opened by a worker, then attached."""
    from stazhirovka.ui.main_window import MainWindow
    from stazhirovka.ui.settings import Settings
    from stazhirovka.ui.tasks import TaskRunner

    runner = TaskRunner()
    window = MainWindow(settings=Settings(tmp_path / "s.ini"), tasks=runner)
    qtbot.addWidget(window)
    opened: list[object] = []

    def on_open(db) -> None:
        opened.append(db)
        window.attach(db)

    url = f"sqlite:///{tmp_path / 'new.db'}"
    with qtbot.waitSignal(window.attached, timeout=30_000):
        app.open_in_background(window, url, on_open)
    assert runner.wait(10_000)
    assert window.nav.isEnabled()
    opened[0].close()


def test_a_database_that_cannot_be_opened_is_named_in_the_window(
    tmp_path, qtbot, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from stazhirovka.ui.main_window import MainWindow
    from stazhirovka.ui.settings import Settings
    from stazhirovka.ui.tasks import TaskRunner

    window = MainWindow(settings=Settings(tmp_path / "s.ini"), tasks=TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.settings.database_override = "--db"
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    not_a_db = tmp_path / "letter.db"
    not_a_db.write_text("это письмо, а не база данных")
    app.open_in_background(window, f"sqlite:///{not_a_db}", lambda db: None)
    assert shown and shown[0].startswith("Не удалось открыть базу данных.")
    assert window.waiting_label.text() == shown[0]
    assert not window.nav.isEnabled()
    assert window.settings_action.isEnabled()  # another database can be chosen
