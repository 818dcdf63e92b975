"""Starting the window: the application object, translations, the database, the first run.

The window frame is shown first; the database layer (SQLAlchemy, the models, Alembic when a
schema must change) is imported and the database opened in a worker, so the program is on
screen in a fraction of a second and fills in when the data is there (bench/window.py)."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import __version__
from ..logs import setup_logging
from .errors import install_excepthook, report, show_error
from .settings import Settings
from .tasks import Progress, Task, TaskRunner

if TYPE_CHECKING:
    from ..db import Database
    from .main_window import MainWindow

ENV_VAR = "STAZHIROVKA_DB"  # db.ENV_VAR, without importing the database layer at start

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

    from ..db import resolve_url

    if explicit or os.environ.get(ENV_VAR):
        return resolve_url(explicit)
    return resolve_url(settings.database_url or None)


def database_override(explicit: str | None) -> str:
    """What overrides the database chosen in the settings in this run: «--db»,
    «STAZHIROVKA_DB» or nothing."""
    import os

    if explicit:
        return "--db"
    if os.environ.get(ENV_VAR):
        return ENV_VAR
    return ""


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
    try:  # the data is in; fresh planner statistics are a nicety
        db.analyze()
    except Exception:
        log.warning("ANALYZE after the demo fill failed", exc_info=True)


def run_gui(url: str | None = None, demo: bool = False) -> int:
    setup_logging()
    app = make_app()
    install_excepthook()
    settings = Settings()
    settings.database_override = database_override(url)
    tasks = TaskRunner(parent=app)
    from . import pages  # noqa: F401  (registers the special pages and cards)
    from .main_window import MainWindow

    window = MainWindow(settings=settings, tasks=tasks)
    window.show()
    opened: list[Database] = []

    def attach(db: Database) -> None:
        opened.append(db)
        if not log_in_and_attach(window, db):
            window.close()  # «Выход» in the login dialog closes the program
            app.quit()
            return
        first_run(window, demo=demo)

    QTimer.singleShot(0, lambda: open_in_background(window, url, attach))
    try:
        return app.exec()
    finally:
        tasks.wait()
        for db in opened:
            db.close()


def log_in_and_attach(window: MainWindow, db: Database) -> bool:
    """Ask for a login when the database has accounts, then put it behind the window with
    the login as the audit's actor; False when the user chose «Выход» instead."""
    if db.needs_login:
        from .login_dialog import ask_login

        if not ask_login(db, window.settings, window):
            return False
    window.attach(db, actor=db.principal.login)
    return True


def _open(url: str) -> Database:
    from ..db import open_database

    db = open_database(url)
    daily_copy(db.url)
    warm_up(db)
    return db


def daily_copy(url: str) -> Path | None:
    """At most one SQLite backup a day, in the user's backup folder (the last ten kept). A
    failed backup is logged and the program goes on."""
    try:
        from ..services.maintenance import daily_backup

        written = daily_backup(url)
    except Exception:
        log.warning("The daily backup failed", exc_info=True)
        return None
    if written is not None:
        log.info("Daily backup written to %s", written)
    return written


def warm_up(db: Database | None = None) -> None:
    """Import and configure in the worker what the first pages need — the models and their
    mappers, the registries, the pages' modules — so the UI thread does not stall on it.
    With a database, the internship card's loading is run once too: SQLAlchemy prepares
    its eager loaders on first use (≈0.1 s)."""
    import importlib

    from sqlalchemy.orm import configure_mappers

    for module in (
        "stazhirovka.services.registries",
        "stazhirovka.services.dashboard",
        "stazhirovka.services.cards",
        "stazhirovka.ui.registry_page",
        "stazhirovka.ui.forms",
        "stazhirovka.ui.home",
        "stazhirovka.ui.internship_card",
    ):
        importlib.import_module(module)
    configure_mappers()
    if db is None:
        return
    if not db.needs_login:  # before the login nothing but the accounts may be read
        _warm_up_card(db)
    try:
        # the card's print buttons list the document kinds: their modules import reportlab
        # (≈0.3 s), which the first card opened would otherwise wait for
        from ..reports.documents import kinds_for

        kinds_for("internships")
    except Exception:
        log.warning("Warming up the document kinds failed", exc_info=True)
    # The long-lived objects loaded so far (modules, mappers, compiled statements) leave the
    # garbage collector's view: a full collection over them paused the UI for ≈70 ms.
    gc.collect()
    gc.freeze()


def _warm_up_card(db: Database) -> None:
    from sqlalchemy import select

    from ..models import Internship
    from ..services.cards import internship_card

    try:
        with db.session() as session:
            first = session.scalar(select(Internship.id).limit(1))
            if first is not None:
                internship_card(session, first)
    except Exception:  # a nicety: the window works without it
        log.warning("Warming up the internship card failed", exc_info=True)


def open_in_background(
    window: MainWindow, explicit: str | None, on_open: Callable[[Database], None]
) -> Task:
    """Open the database in a worker while the window is already on screen. When it cannot
    be opened the window says why and stays; a database chosen in the settings (not forced
    by --db) can be replaced there at once."""
    settings = window.settings

    def failed(exc: BaseException) -> None:
        resolved = database_url(explicit, settings)
        message = report(exc, "open database")
        window.show_problem(
            QApplication.translate("app", "Не удалось открыть базу данных.\n\n{message}").format(
                message=message
            )
        )
        if settings.database_override or not settings.database_url:
            QMessageBox.critical(
                window,
                QApplication.translate("app", "Стажировка"),
                QApplication.translate(
                    "app", "Не удалось открыть базу данных.\n\n{message}"
                ).format(message=message),
            )
            return
        if not ask_choose_another(message):
            return
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(settings, resolved, window, tasks=window.tasks, starting=True)
        dialog.tabs.setCurrentIndex(0)
        accepted = dialog.exec() == SettingsDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            open_in_background(window, explicit, on_open)

    return window.tasks.run(
        lambda _progress: _open(database_url(explicit, settings)),
        on_done=on_open,
        on_error=failed,
        show_dialog=False,
        essential=False,
    )


def ask_choose_another(message: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QApplication.translate("app", "Стажировка"),
        QApplication.translate(
            "app", "Не удалось открыть базу данных, выбранную в настройках.\n\n{message}"
        ).format(message=message),
    )
    choose = box.addButton(
        QApplication.translate("app", "Выбрать другую базу…"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(QApplication.translate("app", "Выход"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(choose)
    box.exec()
    return box.clickedButton() is choose


def first_run(window: object, demo: bool = False) -> None:
    """An empty database: ``--demo`` fills it at once; a new SQLite file asks once (per file)
    whether to open the demo district. A shared PostgreSQL database is never offered the demo:
    its administrator fills it on purpose (``stazhirovka demo --db …``)."""
    from .main_window import MainWindow

    assert isinstance(window, MainWindow)
    ctx = window.ctx
    if not is_empty(ctx.db):
        return
    if demo:
        start_demo(window)
        return
    from ..db import is_sqlite

    if not is_sqlite(ctx.db.url) or ctx.settings.first_run_done_for(ctx.db.url):
        return
    from .first_run import FirstRunDialog

    dialog = FirstRunDialog(window)
    dialog.exec()
    if dialog.choice() == "demo":
        start_demo(window)  # answered once the demo is in; a cancel asks again next time
    else:
        ctx.settings.mark_first_run_done(ctx.db.url)


def start_demo(window: object) -> Task:
    """Fill the open (empty) database with the demo district in the background.

    The fill is one transaction: a cancel or an error leaves the database empty. Once it is
    in, every page that is already made re-reads its rows."""
    from .main_window import MainWindow

    assert isinstance(window, MainWindow)
    ctx = window.ctx

    def done(_result: object) -> None:
        ctx.settings.mark_first_run_done(ctx.db.url)
        for page in list(window.pages.values()):
            refresh = getattr(page, "refresh", None)
            if refresh is not None:
                try:
                    refresh()
                except Exception as exc:  # one page's failure leaves the others refreshed
                    report(exc, "refresh after the demo")
        window.statusBar().showMessage(window.tr("Демонстрационный район загружен."), 10_000)

    def cancelled() -> None:
        if not is_empty(ctx.db):  # the cancel came after the data was written
            done(None)
            return
        window.statusBar().showMessage(
            window.tr("Загрузка демонстрационного района отменена: база данных осталась пустой."),
            10_000,
        )

    def failed(exc: BaseException) -> None:
        show_error(window, exc, "demo fill")
        window.statusBar().showMessage(
            window.tr("Демонстрационный район не загружен: база данных осталась пустой."), 10_000
        )

    return ctx.tasks.run(
        lambda progress: fill_demo(ctx.db, progress),
        title=window.tr("Загрузка демонстрационного района…"),
        parent=window,
        on_done=done,
        on_error=failed,
        on_cancel=cancelled,
    )
