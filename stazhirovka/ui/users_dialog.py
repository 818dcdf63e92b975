"""«Сервис → Пользователи…»: the accounts and their roles (administrators, and the owner of a
database without accounts, who makes the first one), and «Сменить пароль…» for anyone logged
in. Everything goes through ``services.users``, which checks the rights again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import ValidationError
from .errors import report, show_error

if TYPE_CHECKING:
    from ..db import Database

ERROR_STYLE = "color: #b3261e;"


@dataclass(frozen=True)
class AccountRow:
    login: str
    role: str  # its Russian name
    platforms: str
    active: bool


def load_accounts(db: Database) -> list[AccountRow]:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from ..models import User
    from ..services import labels

    with db.session() as session:
        users = session.scalars(
            select(User).options(selectinload(User.platforms)).order_by(User.login)
        ).all()
        return [
            AccountRow(
                u.login,
                labels.ROLE[u.role.value],
                ", ".join(sorted(p.organization.short_name for p in u.platforms)),
                u.active,
            )
            for u in users
        ]


def load_platforms(db: Database) -> list[tuple[int, str, str]]:
    """(id, name, theme) of every platform; a school with two platforms names each by its
    theme too."""
    from collections import Counter

    from sqlalchemy import select

    from ..models import Organization, Platform

    with db.session() as session:
        rows = session.execute(
            select(Platform.id, Organization.short_name, Platform.theme)
            .join(Organization, Organization.id == Platform.organization_id)
            .order_by(Organization.short_name, Platform.id)
        ).all()
    repeated = Counter(name for _pid, name, _theme in rows)
    out = []
    for pid, name, theme in rows:
        label = str(name)
        if repeated[name] > 1 and theme:
            short = theme if len(theme) <= 40 else theme[:39] + "…"
            label = f"{label} — {short}"
        out.append((int(pid), label, str(theme or "")))
    return out


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def _password_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _problems_text(exc: ValidationError) -> str:
    return "\n".join(str(p) for p in exc.problems) or str(exc)


class UsersDialog(QDialog):
    """The list of accounts with «Добавить…», «Сменить пароль…» and «Отключить»."""

    COLUMNS = ("Логин", "Роль", "Площадки", "Активна")

    def __init__(self, db: Database, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setWindowTitle(self.tr("Пользователи"))
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = QPushButton(self.tr("Добавить…"), self)
        self.add_button.clicked.connect(self.add)
        self.password_button = QPushButton(self.tr("Сменить пароль…"), self)
        self.password_button.clicked.connect(self.change_password)
        self.disable_button = QPushButton(self.tr("Отключить"), self)
        self.disable_button.setToolTip(
            self.tr("Учётная запись остаётся в журнале изменений, но войти под ней нельзя")
        )
        self.disable_button.clicked.connect(self.disable)
        side = QVBoxLayout()
        for button in (self.add_button, self.password_button, self.disable_button):
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Закрыть"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(middle, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self.refresh()

    def refresh(self) -> None:
        self.rows = load_accounts(self.db)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            active = self.tr("да") if row.active else self.tr("отключена")
            for c, text in enumerate((row.login, row.role, row.platforms or "—", active)):
                item = QTableWidgetItem(text)
                if not row.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        if any(row.active for row in self.rows):
            self.note.setText(
                self.tr(
                    "Каждый входит в программу под своим логином; что ему доступно, "
                    "определяет роль. Руководитель площадки видит только свои площадки."
                )
            )
        else:
            self.note.setText(
                self.tr(
                    "Учётных записей пока нет: база открывается без входа, и всё доступно "
                    "всем. Первой создайте учётную запись администратора — только он "
                    "управляет пользователями."
                )
                + " "
                + _login_rule(self, self.db.url)
            )
        self._selection_changed()

    def selected_login(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()].login if rows else None

    def _selection_changed(self) -> None:
        login = self.selected_login()
        row = next((r for r in self.rows if r.login == login), None)
        self.password_button.setEnabled(row is not None and row.active)
        self.disable_button.setEnabled(row is not None and row.active)

    def add(self) -> None:
        first = not any(row.active for row in self.rows)
        dialog = AddUserDialog(self.db, self.actor, self, first=first)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
        dialog.deleteLater()

    def change_password(self) -> None:
        login = self.selected_login()
        if login is None:
            return
        dialog = PasswordDialog(self.db, login, self.actor, self)
        dialog.exec()
        dialog.deleteLater()

    def disable(self) -> None:
        login = self.selected_login()
        if login is None:
            return
        text = self.tr("Отключить учётную запись «{login}»? Войти под ней будет нельзя.").format(
            login=login
        )
        if login == self.db.principal.login:
            text += " " + self.tr("Это ваша учётная запись: после выхода вы не сможете войти.")
        answer = QMessageBox.question(self, self.tr("Отключение"), text)
        if answer != QMessageBox.StandardButton.Yes:
            return
        from ..services.users import UserService

        try:
            with self.db.session() as session:
                UserService().disable(session, login, actor=self.actor)
        except Exception as exc:
            show_error(self, exc, "disable user")
            return
        self.refresh()


def _login_rule(widget: QWidget, url: str) -> str:
    """When the program asks for a login (the rule is open_database's)."""
    if url.startswith("sqlite"):
        return widget.tr(
            "Пока учётная запись в этой базе одна, программа на этом компьютере открывается "
            "под ней без пароля; со второй учётной записи при каждом запуске программа будет "
            "спрашивать логин и пароль."
        )
    return widget.tr(
        "После этого при каждом запуске программа будет спрашивать логин и пароль: база "
        "общая, на сервере."
    )


class AddUserDialog(QDialog):
    """A new account: login, role, the platforms of a platform head, the password twice."""

    def __init__(
        self, db: Database, actor: str, parent: QWidget | None = None, *, first: bool = False
    ) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setWindowTitle(self.tr("Новая учётная запись"))
        from ..models import Role
        from ..services import labels

        self.login_edit = QLineEdit(self)
        self.login_edit.setPlaceholderText(self.tr("например, ivanova"))
        self.role_box = QComboBox(self)
        for role in Role:
            self.role_box.addItem(labels.ROLE[role.value], role.value)
        default = Role.ADMIN if first else Role.METHODOLOGIST
        self.role_box.setCurrentIndex(self.role_box.findData(default.value))
        self.platforms = QListWidget(self)
        for pid, name, theme in load_platforms(db):
            item = QListWidgetItem(name, self.platforms)
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setToolTip(theme)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.platforms.setMinimumHeight(self.platforms.fontMetrics().lineSpacing() * 6)
        self.platforms_label = QLabel(self.tr("Площадки:"), self)
        self.password_edit = _password_edit(self)
        self.repeat_edit = _password_edit(self)
        from ..services.users import MIN_PASSWORD

        self.password_edit.setPlaceholderText(
            self.tr("не короче {n} символов").format(n=MIN_PASSWORD)
        )
        form = QFormLayout()
        form.addRow(self.tr("Логин:"), self.login_edit)
        form.addRow(self.tr("Роль:"), self.role_box)
        form.addRow(self.platforms_label, self.platforms)
        form.addRow(self.tr("Пароль:"), self.password_edit)
        form.addRow(self.tr("Пароль ещё раз:"), self.repeat_edit)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        if first:
            self.hint.setText(
                self.tr("Это первая учётная запись.") + " " + _login_rule(self, db.url)
            )
        self.hint.setVisible(first)
        self.error = _error_label(self)
        buttons = QDialogButtonBox(self)
        self.add_button = buttons.addButton(
            self.tr("Добавить"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.add_button.setDefault(True)
        buttons.addButton(self.tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        self.add_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.role_box.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.setMinimumWidth(600)

    def _role_changed(self) -> None:
        head = self.role_box.currentData() == "platform-head"
        self.platforms.setVisible(head)
        self.platforms_label.setVisible(head)
        self.adjustSize()

    def platform_ids(self) -> list[int]:
        if self.role_box.currentData() != "platform-head":
            return []
        return [
            int(self.platforms.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.platforms.count())
            if self.platforms.item(i).checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> bool:
        from ..services.users import UserService

        self.error.hide()
        password = self.password_edit.text()
        if password != self.repeat_edit.text():
            return self._show(self.tr("Пароли не совпадают."))
        data = {"login": self.login_edit.text().strip(), "role": self.role_box.currentData()}
        try:
            with self.db.session() as session:
                UserService().add(session, data, password, self.platform_ids(), actor=self.actor)
        except ValidationError as exc:
            report(exc, "add user")
            return self._show(_problems_text(exc))
        except Exception as exc:
            return self._show(report(exc, "add user"))
        self.accept()
        return True

    def _show(self, message: str) -> bool:
        self.error.setText(message)
        self.error.show()
        return False


class PasswordDialog(QDialog):
    """A new password for ``login`` (one's own, or anyone's for an administrator)."""

    def __init__(
        self,
        db: Database,
        login: str,
        actor: str,
        parent: QWidget | None = None,
        *,
        own: bool = False,
    ) -> None:
        super().__init__(parent)
        self.db, self.login, self.actor = db, login, actor
        self.setWindowTitle(self.tr("Смена пароля"))
        text = (
            self.tr("Новый пароль для вашей учётной записи «{login}».")
            if own
            else self.tr("Новый пароль для учётной записи «{login}».")
        )
        about = QLabel(text.format(login=login), self)
        about.setWordWrap(True)
        self.password_edit = _password_edit(self)
        self.repeat_edit = _password_edit(self)
        form = QFormLayout()
        form.addRow(self.tr("Новый пароль:"), self.password_edit)
        form.addRow(self.tr("Ещё раз:"), self.repeat_edit)
        self.error = _error_label(self)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(
            self.tr("Сменить пароль"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        buttons.addButton(self.tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def save(self) -> bool:
        from ..services.users import UserService

        self.error.hide()
        password = self.password_edit.text()
        if password != self.repeat_edit.text():
            return self._show(self.tr("Пароли не совпадают."))
        try:
            with self.db.session() as session:
                UserService().set_password(session, self.login, password, actor=self.actor)
        except ValidationError as exc:
            report(exc, "set password")
            return self._show(_problems_text(exc))
        except Exception as exc:
            return self._show(report(exc, "set password"))
        self.accept()
        return True

    def _show(self, message: str) -> bool:
        self.error.setText(message)
        self.error.show()
        return False
