"""The login asked after a database with accounts opens: login, hidden password, «Войти» or
«Выход». A wrong password leaves the dialog open with the service's message (which says how
long to wait after repeated tries); the last login is remembered for the next start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .errors import report

if TYPE_CHECKING:
    from ..db import Database
    from .settings import Settings


class LoginDialog(QDialog):
    """Log in to ``db``; accepted once :meth:`Database.login` succeeded."""

    def __init__(self, db: Database, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.settings = db, settings
        self.setWindowTitle(self.tr("Вход в программу «Стажировка»"))
        self.setModal(True)
        from ..db import describe

        about = QLabel(
            self.tr("В базе данных есть учётные записи. Введите логин и пароль.\n{db}").format(
                db=describe(db.url)
            ),
            self,
        )
        about.setWordWrap(True)
        self.login_edit = QLineEdit(self)
        self.login_edit.setText(settings.last_login)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Логин:"), self.login_edit)
        form.addRow(self.tr("Пароль:"), self.password_edit)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton(
            self.tr("Войти"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.login_button.setDefault(True)
        self.quit_button = self.buttons.addButton(
            self.tr("Выход"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.login_button.clicked.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        (self.password_edit if self.login_edit.text() else self.login_edit).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def try_login(self) -> bool:
        login = self.login_edit.text().strip()
        if not login:
            self._show(self.tr("Введите логин."))
            self.login_edit.setFocus()
            return False
        try:
            self.db.login(login, self.password_edit.text())
        except Exception as exc:  # a wrong password (UserError) or a lost connection
            self._show(report(exc, "login"))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return False
        self.settings.last_login = login
        self.accept()
        return True

    def _show(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


def ask_login(db: Database, settings: Settings, parent: QWidget | None = None) -> bool:
    """Ask until the login succeeds (True) or the user chooses «Выход» (False)."""
    dialog = LoginDialog(db, settings, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return accepted
