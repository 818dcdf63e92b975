"""Errors shown to the user in Russian; details go to the log file, never to the screen."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ..errors import UserError
from ..logs import log_file

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def message_for(exc: BaseException) -> str:
    """What the user reads about an error: the message of a user error as it is; for a lost
    connection a hint; for a bug a pointer to the log file (the details are logged)."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    ):
        return _tr(
            "Нет связи с базой данных. Проверьте сеть или сервер и повторите действие — "
            "введённые данные остались в окне."
        )
    return _tr(
        "Непредвиденная ошибка ({name}). Введённые данные остались в окне; подробности "
        "записаны в журнал: {path}"
    ).format(name=type(exc).__name__, path=log_file())


def report(exc: BaseException, context: str = "") -> str:
    """Log an error (a traceback for bugs, one line for user errors) and return its message."""
    if isinstance(exc, UserError):
        log.info("%s: %s", context or "action", type(exc).__name__)
    else:
        log.error(
            "Unexpected error in %s",
            context or "the window",
            exc_info=(type(exc), exc, exc.__traceback__),
        )
    return message_for(exc)


def show_error(parent: QWidget | None, exc: BaseException, context: str = "") -> None:
    text = report(exc, context)
    box = QMessageBox(parent)
    box.setIcon(
        QMessageBox.Icon.Warning if isinstance(exc, UserError) else QMessageBox.Icon.Critical
    )
    box.setWindowTitle(_tr("Стажировка"))
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def install_excepthook() -> None:
    """An exception escaping a slot is logged and shown; the window stays open with its data."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        if QApplication.instance() is None:
            report(exc)
            return
        show_error(QApplication.activeWindow(), exc, "a slot")

    sys.excepthook = hook
