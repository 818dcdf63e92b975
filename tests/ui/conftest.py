"""Fixtures for the window's tests: a real database file, settings in a temporary folder,
background work run inline (STYLE.md #7), every widget closed after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from stazhirovka.db import Database, open_database


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def ui_db(new_url: Callable[..., str]) -> Iterator[Database]:
    """An empty (migrated, reference lists seeded) SQLite database."""
    db = open_database(new_url("sqlite", migrated=True))
    yield db
    db.close()


@pytest.fixture
def make_ctx(tmp_path: Path, qapp: object) -> Callable[[Database], object]:
    from stazhirovka.ui.context import AppContext
    from stazhirovka.ui.settings import Settings
    from stazhirovka.ui.tasks import TaskRunner

    def make(db: Database) -> AppContext:
        return AppContext(
            db=db, settings=Settings(tmp_path / "settings.ini"), tasks=TaskRunner(synchronous=True)
        )

    return make


@pytest.fixture
def make_window(make_ctx: Callable[[Database], object], qtbot: object) -> Iterator[Callable]:
    from stazhirovka.ui import pages  # noqa: F401
    from stazhirovka.ui.main_window import MainWindow

    made: list[MainWindow] = []

    def make(db: Database) -> MainWindow:
        window = MainWindow(make_ctx(db))  # type: ignore[arg-type]
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.resize(1280, 800)
        with qtbot.waitActive(window):  # type: ignore[attr-defined]  # for window shortcuts
            window.show()
            window.activateWindow()
        made.append(window)
        return window

    yield make
    # Nothing may ask «save changes?» while the test run closes its windows.
    for window in made:
        for widget in [*window.open_windows, *window.findChildren(QWidget)]:
            if hasattr(widget, "is_dirty") and hasattr(widget, "mark_clean"):
                widget.mark_clean()


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No message box may block the test run: an error box («show_error») is recorded (and
    fails the test unless the test expects it); a question left unanswered says «Да»."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes, raising=True
    )
    yield shown
    assert shown == [], shown
