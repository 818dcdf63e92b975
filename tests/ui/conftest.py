"""Fixtures for the window's tests: a real database file, settings in a temporary folder,
background work run inline (STYLE.md #7), every widget closed after the test."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from stazhirovka.db import Database, open_database

TODAY = date(2026, 11, 22)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The district demo, generated once per run and copied for each test that needs it."""
    from stazhirovka.demo import generate

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as session:
            generate(session, scale="district", seed=1, today=TODAY)
        db.analyze()
    finally:
        db.close()
    return path


@pytest.fixture
def ui_db(new_url: Callable[..., str]) -> Iterator[Database]:
    """An empty (migrated, reference lists seeded) SQLite database."""
    db = open_database(new_url("sqlite", migrated=True))
    yield db
    db.close()


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    db = open_database(f"sqlite:///{path}")
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
