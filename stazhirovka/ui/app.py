"""Starting the window: the application object, translations, the database, the first run."""

from __future__ import annotations

import logging
import sys
from datetime import date

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import __version__
from ..db import Database, is_sqlite, open_database, resolve_url
from ..logs import setup_logging
from .context import AppContext
from .errors import install_excepthook, message_for, report
from .settings import Settings
from .tasks import Progress, TaskRunner

log = logging.getLogger(__name__)


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with Russian standard buttons and dialogs («Да», «Отмена»)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Стажировка")
    app.setOrganizationName("stazhirovka")
    app.setApplicationVersion(__version__)
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_ru", path):
        app.installTranslator(translator)
    return app


def database_url(explicit: str | None, settings: Settings) -> str:
    """--db, then STAZHIROVKA_DB, then the database chosen in the settings, then the default file."""
    import os

    if explicit or os.environ.get("STAZHIROVKA_DB"):
        return resolve_url(explicit)
    return resolve_url(settings.database_url or None)


def is_empty(db: Database) -> bool:
    from sqlalchemy import func, select

    from ..models import Organization, Person

    with db.session() as session:
        return not (
            session.scalar(select(func.count()).select_from(Organization))
            or session.scalar(select(func.count()).select_from(Person))
        )


def fill_demo(db: Database, progress: Progress, today: date | None = None) -> None:
    """The demo district, written in one transaction (a cancel leaves the database empty)."""
    from ..demo import generate

    with db.session() as session:
        generate(
            session,
            scale="district",
            seed=1,
            today=today,
            progress=lambda stage, fraction: progress.report(int(fraction * 100), 100, stage),
        )
    db.analyze()


def run_gui(url: str | None = None, demo: bool = False) -> int:
    setup_logging()
    app = make_app()
    install_excepthook()
    settings = Settings()
    resolved = database_url(url, settings)
    try:
        db = open_database(resolved)
    except Exception as exc:
        QMessageBox.critical(
            None,
            QApplication.translate("app", "Стажировка"),
            QApplication.translate("app", "Не удалось открыть базу данных.\n\n{message}").format(
                message=message_for(exc)
            ),
        )
        report(exc, "open database")
        return 1
    tasks = TaskRunner(parent=app)
    ctx = AppContext(db=db, settings=settings, tasks=tasks)
    from . import pages  # noqa: F401  (registers the special pages and cards)
    from .main_window import MainWindow

    window = MainWindow(ctx)
    window.show()
    empty = is_empty(db)
    if demo and empty:
        start_demo(window)
    elif empty and not settings.first_run_done and is_sqlite(resolved):
        from .first_run import FirstRunDialog

        dialog = FirstRunDialog(window)
        if dialog.exec() and dialog.choice() == "demo":
            start_demo(window)
        settings.first_run_done = True
    try:
        return app.exec()
    finally:
        tasks.wait()
        db.close()


def start_demo(window: object) -> None:
    """Fill the open (empty) database with the demo district in the background."""
    from .main_window import MainWindow

    assert isinstance(window, MainWindow)
    ctx = window.ctx

    def done(_result: object) -> None:
        window.statusBar().showMessage(
            window.tr("Демонстрационный район загружен."), 8000
        )
        for page in list(window.pages.values()):
            refresh = getattr(page, "refresh", None)
            if refresh is not None:
                refresh()

    ctx.tasks.run(
        lambda progress: fill_demo(ctx.db, progress),
        title=window.tr("Загрузка демонстрационного района…"),
        parent=window,
        on_done=done,
    )
