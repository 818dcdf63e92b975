"""«Настройки»: the database (a file here or a PostgreSQL server), the district's details for
letterheads and certificates, who signs documents and how certificates are worded.

The district's details live in the open database (every desktop and the command line print the
same letterhead); without an open database those two tabs say so and only the database can be
chosen.

A different database is stored in the settings and opened at the next start; ``--db`` and
``STAZHIROVKA_DB`` still win over it, and the database tab says so when one of them is in
force. «Проверить подключение» runs off the UI thread with a short connect timeout; the
password is never shown in a message nor logged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from ..db import ENV_VAR, Database, describe, sqlite_path
from ..paths import default_db_path
from ..services.connection import ConnectionReport, check_connection, postgresql_url, sqlite_url
from ..services.district import (
    SIGNATURE_STYLES,
    WORDINGS,
    District,
    Signatory,
    load_district,
    save_district,
)
from .errors import report, show_error
from .forms import ERROR_STYLE, INVALID_STYLE
from .settings import Settings
from .tasks import TaskRunner

log = logging.getLogger(__name__)

GEOMETRY_KEY = "settings_dialog/geometry"
TAB_KEY = "settings_dialog/tab"
OK_STYLE = "color: #1e6b34;"
HINT_STYLE = "color: palette(placeholder-text);"
BANNER_STYLE = "background: #fff4d6; color: #5c4400; border-radius: 4px; padding: 6px 10px;"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ERROR_BACKGROUND = QBrush(QColor("#f8d7d3"))

SQLITE, POSTGRESQL, EXPERT = 0, 1, 2
FORM_SPACING = 10


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    label.hide()
    return label


def _mark(widget: QWidget, label: QLabel, message: str) -> None:
    """Show ``message`` under a field (or clear it with "")."""
    label.setText(message)
    label.setVisible(bool(message))
    widget.setStyleSheet(INVALID_STYLE if message else "")
    widget.setToolTip(message)


def _with_error(widget: QWidget, error: QLabel) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(error)
    return column


def _form(parent: QWidget) -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setHorizontalSpacing(FORM_SPACING)
    return form


# -- the database ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Masked:
    """An expert address whose password is shown as ***; the real one is kept aside."""

    shown: str
    real: str


class DatabasePage(QWidget):
    """Where the data lives: an SQLite file, a PostgreSQL server, or an address for experts."""

    def __init__(
        self, settings: Settings, current_url: str, tasks: TaskRunner, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.settings, self.current_url, self.tasks = settings, current_url, tasks
        self.default_path = default_db_path()
        self._masked: _Masked | None = None
        self.last_check: tuple[str, ConnectionReport] | None = None
        self._build()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(8)

        self.current_label = QLabel(
            self.tr("Сейчас открыта — {db}").format(db=describe(self.current_url)), self
        )
        self.current_label.setWordWrap(True)
        self.current_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.current_label)

        self.override_label = QLabel(self)
        self.override_label.setWordWrap(True)
        self.override_label.setStyleSheet(BANNER_STYLE)
        override = self.override()
        if override == "--db":
            self.override_label.setText(
                self.tr(
                    "Программа запущена с параметром --db: пока он указан, открывается база из "
                    "него, а выбранная здесь — только при запуске без него."
                )
            )
        elif override:
            self.override_label.setText(
                self.tr(
                    "Задана переменная окружения {var}: пока она задана, открывается база из "
                    "неё, а выбранная здесь — только без неё."
                ).format(var=override)
            )
        self.override_label.setVisible(bool(override))
        layout.addWidget(self.override_label)

        heading = QLabel(self.tr("Где хранить данные:"), self)
        bold = QFont(heading.font())
        bold.setBold(True)
        heading.setFont(bold)
        layout.addSpacing(4)
        layout.addWidget(heading)
        self.kind_group = QButtonGroup(self)
        self.sqlite_radio = QRadioButton(self.tr("Файл на этом компьютере (SQLite)"), self)
        self.pg_radio = QRadioButton(self.tr("Сервер PostgreSQL"), self)
        self.url_radio = QRadioButton(self.tr("Адрес (URL) — для специалистов"), self)
        radios = QHBoxLayout()
        radios.setSpacing(18)
        for index, radio in enumerate((self.sqlite_radio, self.pg_radio, self.url_radio)):
            self.kind_group.addButton(radio, index)
            radios.addWidget(radio)
        radios.addStretch(1)
        layout.addLayout(radios)

        # Only the chosen kind's panel is shown (a stacked widget would keep the tallest
        # panel's height and leave gaps in the short ones).
        self.panels = (self._sqlite_panel(), self._pg_panel(), self._url_panel())
        for panel in self.panels:
            layout.addWidget(panel)
        self.kind_group.idToggled.connect(self._kind_toggled)

        layout.addSpacing(6)
        check_row = QHBoxLayout()
        self.check_button = QPushButton(self.tr("Проверить подключение"), self)
        self.check_button.clicked.connect(self.check)
        check_row.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignTop)
        self.check_label = QLabel(self)
        self.check_label.setWordWrap(True)
        self.check_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        check_row.addWidget(self.check_label, 1)
        layout.addLayout(check_row)
        layout.addStretch(1)
        self.restart_hint = _hint(
            self.tr("Другая база данных начнёт использоваться после перезапуска программы."),
            self,
        )
        layout.addWidget(self.restart_hint)

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        return 4 + max(
            metrics.horizontalAdvance(self.tr(t))
            for t in ("Файл:", "Сервер:", "База данных:", "Пользователь:", "Адрес (URL):")
        )

    def _label(self, text: str, parent: QWidget) -> QLabel:
        """A form label as wide as the widest on any of the three panels, so they line up."""
        label = QLabel(text, parent)
        label.setMinimumWidth(self._label_width())
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return label

    def _field_hint(self, text: str, parent: QWidget) -> QLabel:
        """A hint under the fields, lined up with them. Kept out of the form: a wrapped label
        in a form row gets the height of its narrowest wrapping and leaves a gap."""
        label = _hint(text, parent)
        indent = self._label_width() + FORM_SPACING
        label.setStyleSheet(f"{HINT_STYLE} padding-left: {indent}px;")
        return label

    def _sqlite_panel(self) -> QWidget:
        panel = QWidget(self)
        form = _form(panel)
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(0, 6, 0, 0)
        outer.addLayout(form)
        self.path_edit = QLineEdit(panel)
        self.path_edit.setPlaceholderText(str(self.default_path))
        self.path_edit.setClearButtonEnabled(True)
        self.choose_button = QPushButton(self.tr("Выбрать…"), panel)
        self.choose_button.setToolTip(self.tr("Открыть существующий файл базы данных"))
        self.choose_button.clicked.connect(self.choose_file)
        self.create_button = QPushButton(self.tr("Создать…"), panel)
        self.create_button.setToolTip(
            self.tr("Указать новый файл: база будет создана при следующем запуске")
        )
        self.create_button.clicked.connect(self.create_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.create_button)
        self.path_error = _error_label(panel)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.path_error)
        form.addRow(self._label(self.tr("Файл:"), panel), column)
        outer.addWidget(
            self._field_hint(
                self.tr(
                    "Пустое поле — файл по умолчанию: {path}. С одним файлом работает один "
                    "человек; для совместной работы нескольких методистов нужен сервер "
                    "PostgreSQL."
                ).format(path=self.default_path),
                panel,
            )
        )
        return panel

    def _pg_panel(self) -> QWidget:
        panel = QWidget(self)
        form = _form(panel)
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(0, 6, 0, 0)
        outer.addLayout(form)
        self.host_edit = QLineEdit(panel)
        self.host_edit.setPlaceholderText(self.tr("например: db.cro.local или 192.168.1.10"))
        self.port_spin = QSpinBox(panel)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(5432)
        self.port_spin.setGroupSeparatorShown(False)
        self.port_spin.setMinimumWidth(90)
        self.host_error = _error_label(panel)
        host_row = QHBoxLayout()
        host_row.addWidget(self.host_edit, 1)
        host_row.addSpacing(12)
        host_row.addWidget(QLabel(self.tr("Порт:"), panel))
        host_row.addWidget(self.port_spin)
        host_column = QVBoxLayout()
        host_column.setSpacing(2)
        host_column.addLayout(host_row)
        host_column.addWidget(self.host_error)
        form.addRow(self._label(self.tr("Сервер:"), panel), host_column)
        self.dbname_edit = QLineEdit(panel)
        self.dbname_edit.setPlaceholderText(self.tr("например: stazhirovka"))
        self.dbname_error = _error_label(panel)
        form.addRow(
            self._label(self.tr("База данных:"), panel),
            _with_error(self.dbname_edit, self.dbname_error),
        )
        self.user_edit = QLineEdit(panel)
        self.user_error = _error_label(panel)
        form.addRow(
            self._label(self.tr("Пользователь:"), panel),
            _with_error(self.user_edit, self.user_error),
        )
        self.password_edit = QLineEdit(panel)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox(self.tr("Запомнить пароль"), panel)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit, 1)
        password_row.addSpacing(12)
        password_row.addWidget(self.remember_box)
        form.addRow(self._label(self.tr("Пароль:"), panel), password_row)
        self.password_hint = self._field_hint("", panel)
        outer.addWidget(self.password_hint)
        self.remember_box.toggled.connect(self._password_hint)
        self._password_hint()
        return panel

    def _url_panel(self) -> QWidget:
        panel = QWidget(self)
        form = _form(panel)
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(0, 6, 0, 0)
        outer.addLayout(form)
        self.url_edit = QLineEdit(panel)
        self.url_edit.setPlaceholderText("postgresql+psycopg://пользователь@сервер:5432/база")
        self.url_error = _error_label(panel)
        form.addRow(
            self._label(self.tr("Адрес (URL):"), panel), _with_error(self.url_edit, self.url_error)
        )
        outer.addWidget(
            self._field_hint(
                self.tr(
                    "Адрес SQLAlchemy: postgresql+psycopg://… или sqlite:///путь/к/файлу.db; "
                    "параметры подключения (например, sslmode=require) — после «?»."
                ),
                panel,
            )
        )
        return panel

    def _password_hint(self) -> None:
        if self.remember_box.isChecked():
            text = self.tr("Пароль будет храниться в файле настроек на этом компьютере.")
        else:
            text = self.tr(
                "Без сохранённого пароля его возьмут из файла .pgpass или переменной PGPASSWORD."
            )
        self.password_hint.setText(text)

    def _kind_toggled(self, kind: int, checked: bool) -> None:
        if checked:
            self._show_panel(kind)
            self.check_label.clear()

    def show_failed_current(self) -> None:
        self.current_label.setText(
            self.tr("Не удалось открыть — {db}").format(db=describe(self.current_url))
        )
        self.current_label.setStyleSheet(ERROR_STYLE)
        self.restart_hint.setText(self.tr("Выбранная база данных откроется сразу после «ОК»."))

    def _show_panel(self, kind: int) -> None:
        for index, panel in enumerate(self.panels):
            panel.setVisible(index == kind)

    def override(self) -> str:
        if self.settings.database_override:
            return self.settings.database_override
        return ENV_VAR if os.environ.get(ENV_VAR) else ""

    # -- values ------------------------------------------------------------------------------

    def kind(self) -> int:
        return max(self.kind_group.checkedId(), 0)

    def load(self, url: str) -> None:
        """Show a stored address: its kind and parts ("" is the default file)."""
        self._masked = None
        kind, path = SQLITE, ""
        if url:
            try:
                parsed = make_url(url)
            except Exception:
                parsed = None
            if parsed is None:
                kind = EXPERT
                self.url_edit.setText(url)
            elif parsed.get_backend_name() == "sqlite" and not parsed.query:
                found = sqlite_path(url)
                if found is None:
                    kind = EXPERT
                    self.url_edit.setText(url)
                elif Path(found).expanduser() != self.default_path:
                    path = str(found)
            elif (
                parsed.get_backend_name() == "postgresql"
                and not parsed.query
                and (parsed.drivername in ("postgresql", "postgresql+psycopg"))
            ):
                kind = POSTGRESQL
                self.host_edit.setText(parsed.host or "")
                self.port_spin.setValue(parsed.port or 5432)
                self.dbname_edit.setText(parsed.database or "")
                self.user_edit.setText(parsed.username or "")
                self.password_edit.setText(parsed.password or "")
                self.remember_box.setChecked(bool(parsed.password))
            else:
                kind = EXPERT
                shown = parsed.render_as_string(hide_password=True)
                if parsed.password:
                    self._masked = _Masked(shown, url)
                self.url_edit.setText(shown)
        self.path_edit.setText(path)
        self.path_edit.setCursorPosition(0)
        {SQLITE: self.sqlite_radio, POSTGRESQL: self.pg_radio, EXPERT: self.url_radio}[
            kind
        ].setChecked(True)
        self._show_panel(kind)

    def state(self) -> tuple[Any, ...]:
        return (
            self.kind(),
            self.path_edit.text(),
            self.host_edit.text(),
            self.port_spin.value(),
            self.dbname_edit.text(),
            self.user_edit.text(),
            self.password_edit.text(),
            self.remember_box.isChecked(),
            self.url_edit.text(),
        )

    def _path(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        return Path(text).expanduser().absolute()

    def stored_url(self) -> str:
        """What goes into the settings: "" for the default file; no password unless remembered."""
        kind = self.kind()
        if kind == SQLITE:
            path = self._path()
            return "" if path is None or path == self.default_path else sqlite_url(path)
        if kind == POSTGRESQL:
            password = self.password_edit.text() if self.remember_box.isChecked() else None
            return self._pg_url(password)
        return self._expert_url()

    def check_url(self) -> str:
        """The address to test: as stored, but with the password typed even if not kept."""
        if self.kind() == POSTGRESQL:
            return self._pg_url(self.password_edit.text())
        if self.kind() == SQLITE:
            return self.stored_url() or self.default_url()
        return self._expert_url()

    def default_url(self) -> str:
        return sqlite_url(self.default_path)

    def _pg_url(self, password: str | None) -> str:
        return postgresql_url(
            self.host_edit.text().strip(),
            self.port_spin.value(),
            self.dbname_edit.text().strip(),
            self.user_edit.text().strip(),
            password or None,
        )

    def _expert_url(self) -> str:
        text = self.url_edit.text().strip()
        if self._masked is not None and text == self._masked.shown:
            return self._masked.real
        return text

    def validate(self) -> bool:
        """Mark what is missing or wrong; True when the chosen kind is complete."""
        for widget, label in (
            (self.path_edit, self.path_error),
            (self.host_edit, self.host_error),
            (self.dbname_edit, self.dbname_error),
            (self.user_edit, self.user_error),
            (self.url_edit, self.url_error),
        ):
            _mark(widget, label, "")
        problems: list[tuple[QWidget, QLabel, str]] = []
        kind = self.kind()
        if kind == SQLITE:
            path = self._path()
            if path is not None and path.is_dir():
                problems.append(
                    (self.path_edit, self.path_error, self.tr("это папка — укажите файл"))
                )
        elif kind == POSTGRESQL:
            for widget, label, message in (
                (self.host_edit, self.host_error, self.tr("укажите имя или адрес сервера")),
                (self.dbname_edit, self.dbname_error, self.tr("укажите имя базы данных")),
                (self.user_edit, self.user_error, self.tr("укажите пользователя")),
            ):
                if not widget.text().strip():
                    problems.append((widget, label, message))
        else:
            message = self._url_problem(self._expert_url())
            if message:
                problems.append((self.url_edit, self.url_error, message))
        for widget, label, message in problems:
            _mark(widget, label, message)
        if problems:
            problems[0][0].setFocus()
        return not problems

    def _url_problem(self, url: str) -> str:
        if not url:
            return self.tr("укажите адрес базы данных")
        try:
            parsed = make_url(url)
        except Exception:
            return self.tr("адрес не распознан; пример: postgresql+psycopg://user@server/base")
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            return self.tr("поддерживаются только SQLite и PostgreSQL")
        if parsed.get_backend_name() == "sqlite" and sqlite_path(url) is None:
            return self.tr("база в памяти не сохраняется — укажите файл")
        if parsed.get_backend_name() == "postgresql" and not parsed.database:
            return self.tr("в адресе нет имени базы данных")
        return ""

    # -- files -------------------------------------------------------------------------------

    def _start_folder(self) -> str:
        path = self._path() or self.default_path
        return str(path.parent if path.parent.exists() else Path.home())

    def _filter(self) -> str:
        return self.tr("База данных «Стажировки» (*.db *.sqlite *.sqlite3);;Все файлы (*)")

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Файл базы данных"), self._start_folder(), self._filter()
        )
        if path:
            self._set_path(Path(path))

    def create_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Новый файл базы данных"),
            str(Path(self._start_folder()) / "stazhirovka.db"),
            self._filter(),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        chosen = Path(path)
        if not chosen.suffix:
            chosen = chosen.with_suffix(".db")
        if chosen.exists():
            QMessageBox.information(
                self,
                self.tr("Файл уже есть"),
                self.tr(
                    "Файл {path} уже существует: программа откроет его как есть, ничего не "
                    "стирая. Проверьте его кнопкой «Проверить подключение»."
                ).format(path=chosen),
            )
        self._set_path(chosen)

    def _set_path(self, path: Path) -> None:
        self.sqlite_radio.setChecked(True)
        self.path_edit.setText(str(path))
        self.path_edit.setCursorPosition(0)
        self.check_label.clear()

    # -- checking ----------------------------------------------------------------------------

    def check(self) -> None:
        if not self.validate():
            return
        url = self.check_url()
        self.check_button.setEnabled(False)
        self._show_report_text(self.tr("Проверяется подключение…"), "")
        self.run_check(url, self._checked)

    def run_check(
        self,
        url: str,
        then: Any,
        dialog_title: str = "",
        on_cancel: Any = None,
    ) -> None:
        """Check ``url`` off the UI thread and hand the report to ``then(url, report)``; with a
        ``dialog_title`` a progress dialog with «Отмена» shows (``on_cancel`` then runs)."""

        def work(_progress: Any) -> ConnectionReport:
            return check_connection(url)

        def done(result: ConnectionReport) -> None:
            if shiboken6.isValid(self):
                self.last_check = (url, result)
                then(url, result)

        def failed(exc: BaseException) -> None:  # check_connection reports, it does not raise
            message = report(exc, "connection check")
            if shiboken6.isValid(self):
                then(url, ConnectionReport("error", message))

        def cancelled() -> None:
            if shiboken6.isValid(self):
                self.check_button.setEnabled(True)
                self.check_label.clear()
                if on_cancel is not None:
                    on_cancel()

        self.tasks.run(
            work,
            title=dialog_title,
            parent=self.window(),
            on_done=done,
            on_error=failed,
            on_cancel=cancelled,
            show_dialog=bool(dialog_title),
        )

    def _checked(self, _url: str, report: ConnectionReport) -> None:
        self.check_button.setEnabled(True)
        self.show_report(report)

    def show_report(self, report: ConnectionReport) -> None:
        style = OK_STYLE if report.usable else ERROR_STYLE
        self._show_report_text(report.message, style)

    def _show_report_text(self, text: str, style: str) -> None:
        self.check_label.setText(text)
        self.check_label.setStyleSheet(style)


# -- the district ------------------------------------------------------------------------------


def _needs_database(parent: QWidget) -> QLabel:
    """The banner of a tab whose details live in the database, shown while none is open."""
    label = QLabel(
        parent.tr(
            "Эти сведения хранятся в базе данных, чтобы все рабочие места и командная строка "
            "печатали одинаковые реквизиты. Сейчас база данных не открыта: выберите её на "
            "вкладке «База данных» и откройте настройки снова после запуска программы."
        ),
        parent,
    )
    label.setWordWrap(True)
    label.setStyleSheet(BANNER_STYLE)
    label.hide()
    return label


class DistrictPage(QWidget):
    """The founder, the service's names, place, address and contacts printed on documents."""

    FIELDS = (
        (
            "founder",
            "Учредитель:",
            "Управление образования администрации муниципального образования Тимашевский район",
        ),
        ("service_name", "Краткое наименование службы:", "МБУ «Центр развития образования»"),
        (
            "service_full_name",
            "Полное наименование:",
            "Муниципальное бюджетное учреждение «Центр развития образования» "
            "муниципального образования Тимашевский район",
        ),
        (
            "municipality",
            "Муниципальное образование:",
            "муниципальное образование Тимашевский район",
        ),
        ("city", "Место выдачи документов:", "г. Тимашевск"),
        ("address", "Адрес:", "352700, Краснодарский край, г. Тимашевск, ул. Ленина, 142"),
        ("phone", "Телефон:", "8 (86130) 4-12-34"),
        ("email", "Электронная почта:", "cro@tim.kubannet.ru"),
    )
    MULTILINE = ("founder", "service_full_name")

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        self.banner = _needs_database(self)
        layout.addWidget(self.banner)
        self.hint = _hint(
            self.tr(
                "Эти сведения печатаются в шапке писем и отчётов и на сертификатах: учредитель, "
                "организация, выдавшая документ, место его выдачи и контакты. Они хранятся в "
                "базе данных и общие для всех рабочих мест."
            ),
            self,
        )
        layout.addWidget(self.hint)
        layout.addSpacing(6)
        form = _form(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        for name, label, example in self.FIELDS:
            if name in self.MULTILINE:
                text = QPlainTextEdit(self)
                text.setTabChangesFocus(True)
                text.setFixedHeight(text.fontMetrics().lineSpacing() * 2 + 14)
                text.setPlaceholderText(self.tr("например: {0}").format(example))
                self.edits[name] = text
                form.addRow(self.tr(label), text)
                continue
            edit = QLineEdit(self)
            edit.setPlaceholderText(self.tr("например: {0}").format(example))
            self.edits[name] = edit
            if name == "email":
                self.email_error = _error_label(self)
                form.addRow(self.tr(label), _with_error(edit, self.email_error))
            else:
                form.addRow(self.tr(label), edit)
        layout.addLayout(form)
        layout.addStretch(1)

    def set_available(self, available: bool) -> None:
        """Without a database the fields are shown empty and locked, with the banner."""
        self.banner.setVisible(not available)
        for widget in self.edits.values():
            widget.setEnabled(available)

    def load(self, district: District) -> None:
        for name, widget in self.edits.items():
            value = getattr(district, name)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
                widget.setCursorPosition(0)

    def values(self) -> dict[str, str]:
        return {
            name: " ".join((w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()).split())
            for name, w in self.edits.items()
        }

    def validate(self) -> bool:
        email = self.values()["email"]
        message = self.tr("адрес вида cro@example.ru") if email and not EMAIL.match(email) else ""
        _mark(self.edits["email"], self.email_error, message)
        if message:
            self.edits["email"].setFocus()
        return not message


# -- signatories -------------------------------------------------------------------------------


class _SignatoryTable(QTableWidget):
    """The table of signatories; when it is empty it says what to put there."""

    placeholder = ""

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if self.rowCount() or not self.placeholder:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(24, 24, -24, -24)
        painter.drawText(
            area,
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            | int(Qt.TextFlag.TextWordWrap),
            self.placeholder,
        )
        painter.end()


# How the choices read in the lists (the services keep the keys).
SIGNATURE_STYLE_TEXT = {
    "initials": "инициалы и фамилия — «А.В. Кузнецова»",
    "full": "имя и фамилия — «Анна Кузнецова»",
}
WORDING_TEXT = {
    "dative": "«Настоящий сертификат выдан Ивановой Марии Сергеевне … в том, что она прошла …»",
    "nominative": "«Настоящий сертификат подтверждает, что Иванова Мария Сергеевна … прошла …»",
}


class SignatoriesPage(QWidget):
    """Who signs documents, in order: the position and the full name; how the name is printed
    (the style of the расшифровка) and how certificates are worded."""

    POSITION, NAME, SHOWN = 0, 1, 2

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        self.banner = _needs_database(self)
        layout.addWidget(self.banner)
        layout.addWidget(
            _hint(
                self.tr(
                    "Кто подписывает документы, в том порядке, в каком подписи идут на "
                    "сертификате: первым — руководитель службы (второй подписью сертификата о "
                    "стажировке идёт руководитель площадки). ФИО укажите полностью — "
                    "расшифровку подписи программа составит сама."
                ),
                self,
            )
        )
        row = QHBoxLayout()
        self.table = _SignatoryTable(0, 3, self)
        self.table.placeholder = self.tr(
            "Подписей пока нет. Нажмите «Добавить» и укажите должность и ФИО, например: "
            "«Директор МБУ «Центр развития образования»» — «Ершова Наталья Викторовна»."
        )
        self.table.setHorizontalHeaderLabels(
            [self.tr("Должность"), self.tr("Фамилия, имя, отчество"), self.tr("Расшифровка")]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.POSITION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.SHOWN, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(self.NAME, 220)
        self.table.setColumnWidth(self.SHOWN, 130)
        self.table.horizontalHeaderItem(self.SHOWN).setToolTip(
            self.tr("Как подпись будет расшифрована на документах")
        )
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(False)
        row.addWidget(self.table, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton(self.tr("Добавить"), self)
        self.add_button.setToolTip(self.tr("Добавить подпись (Insert)"))
        self.remove_button = QPushButton(self.tr("Удалить"), self)
        self.up_button = QPushButton(self.tr("Выше"), self)
        self.up_button.setToolTip(self.tr("Переместить выше (Ctrl+↑)"))
        self.down_button = QPushButton(self.tr("Ниже"), self)
        self.down_button.setToolTip(self.tr("Переместить ниже (Ctrl+↓)"))
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row, 1)
        self.error_label = _error_label(self)
        layout.addWidget(self.error_label)

        self.style_box = QComboBox(self)
        for key in SIGNATURE_STYLES:
            self.style_box.addItem(self.tr(SIGNATURE_STYLE_TEXT.get(key, key)), key)
        self.wording_box = QComboBox(self)
        for key in WORDINGS:
            self.wording_box.addItem(self.tr(WORDING_TEXT.get(key, WORDINGS[key])), key)
        self.wording_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.wording_box.setMinimumContentsLength(30)
        self.wording_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.wording_box.setToolTip(self.tr("Как начинается текст сертификата"))
        options = _form(self)
        options.addRow(self.tr("Расшифровка подписи:"), self.style_box)
        options.addRow(self.tr("Текст сертификата:"), self.wording_box)
        layout.addSpacing(4)
        layout.addLayout(options)

        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Insert), self.add_row),
            (QKeySequence("Ctrl+Up"), lambda: self.move_row(-1)),
            (QKeySequence("Ctrl+Down"), lambda: self.move_row(1)),
        ):
            QShortcut(keys, self.table, activated=slot, context=context)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemChanged.connect(self._item_changed)
        self.style_box.currentIndexChanged.connect(lambda _i: self._refresh_shown())
        self._update_buttons()

    def set_available(self, available: bool) -> None:
        self.banner.setVisible(not available)
        for widget in (
            self.table,
            self.add_button,
            self.style_box,
            self.wording_box,
        ):
            widget.setEnabled(available)
        if not available:
            for button in (self.remove_button, self.up_button, self.down_button):
                button.setEnabled(False)

    def load(self, district: District) -> None:
        self.table.setRowCount(0)
        for sig in district.signatories:
            self._append(sig.position, sig.name)
        self.style_box.setCurrentIndex(max(self.style_box.findData(district.signature_style), 0))
        self.wording_box.setCurrentIndex(
            max(self.wording_box.findData(district.certificate_wording), 0)
        )
        self._refresh_shown()
        self._update_buttons()

    def signature_style(self) -> str:
        return str(self.style_box.currentData())

    def certificate_wording(self) -> str:
        return str(self.wording_box.currentData())

    def _append(self, position: str, name: str) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, self.POSITION, QTableWidgetItem(position))
        self.table.setItem(row, self.NAME, QTableWidgetItem(name))
        shown = QTableWidgetItem("")
        shown.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        shown.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        self.table.setItem(row, self.SHOWN, shown)
        self.table.blockSignals(False)
        self._refresh_shown(row)
        return row

    def _refresh_shown(self, only: int | None = None) -> None:
        """The расшифровка column: the name as documents print it in the chosen style."""
        district = District(signature_style=self.signature_style())
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()) if only is None else (only,):
            name = self.table.item(row, self.NAME)
            shown = self.table.item(row, self.SHOWN)
            if name is not None and shown is not None:
                shown.setText(district.signature_name(name.text().strip()))
        self.table.blockSignals(False)

    def rows(self) -> list[tuple[str, str]]:
        result = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, col) for col in (self.POSITION, self.NAME)]
            result.append(
                tuple(" ".join((c.text() if c is not None else "").split()) for c in cells)
            )
        return result  # type: ignore[return-value]

    def signatories(self) -> list[Signatory]:
        """The filled rows, in order (rows left wholly empty are dropped)."""
        return [Signatory(position, name) for position, name in self.rows() if position or name]

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else self.table.currentRow()

    def add_row(self) -> None:
        row = self._append("", "")
        self.table.setCurrentCell(row, self.POSITION)
        self.table.editItem(self.table.item(row, self.POSITION))

    def remove_row(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        self.table.removeRow(row)
        if self.table.rowCount():
            self.table.selectRow(min(row, self.table.rowCount() - 1))
        self._update_buttons()

    def move_row(self, step: int) -> None:
        row = self.current_row()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        column = max(self.table.currentColumn(), 0)
        values = self.rows()
        values[row], values[target] = values[target], values[row]
        self.table.blockSignals(True)
        for index in (row, target):
            for col, text in enumerate(values[index]):
                self.table.item(index, col).setText(text)
                self._mark_cell(index, col, "")
        self.table.blockSignals(False)
        self._refresh_shown()
        self.table.setCurrentCell(target, column)
        self.table.selectRow(target)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.current_row()
        selected = 0 <= row < self.table.rowCount() and self.table.isEnabled()
        self.remove_button.setEnabled(selected)
        self.up_button.setEnabled(selected and row > 0)
        self.down_button.setEnabled(selected and row < self.table.rowCount() - 1)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.text().strip():
            self._mark_cell(item.row(), item.column(), "")
        if item.column() == self.NAME:
            self._refresh_shown(item.row())

    def _mark_cell(self, row: int, column: int, message: str) -> None:
        item = self.table.item(row, column)
        if item is None:
            return
        self.table.blockSignals(True)
        item.setToolTip(message)
        item.setBackground(ERROR_BACKGROUND if message else QBrush())
        self.table.blockSignals(False)

    def _name_problem(self, name: str) -> str:
        words = name.split()
        if any(w.endswith(".") or len(w.rstrip(".")) == 1 for w in words):
            return self.tr("укажите ФИО полностью, без инициалов: «Ершова Наталья Викторовна»")
        if len(words) < 2:
            return self.tr("укажите фамилию и имя (и отчество, если есть)")
        return ""

    def validate(self) -> bool:
        """A position needs a name and a name needs a position; the problem is shown at its row."""
        problems: list[tuple[int, int, str]] = []
        for row, (position, name) in enumerate(self.rows()):
            for col in (self.POSITION, self.NAME):
                self._mark_cell(row, col, "")
            if position and not name:
                problems.append((row, self.NAME, self.tr("укажите ФИО подписывающего")))
            elif name and not position:
                problems.append((row, self.POSITION, self.tr("укажите должность")))
            elif name and self._name_problem(name):
                problems.append((row, self.NAME, self._name_problem(name)))
        for row, col, message in problems:
            self._mark_cell(row, col, message)
        lines = [
            self.tr("Строка {row}: {message}").format(row=row + 1, message=message)
            for row, _col, message in problems
        ]
        self.error_label.setText("\n".join(lines))
        self.error_label.setVisible(bool(lines))
        if problems:
            row, col, _ = problems[0]
            self.table.setCurrentCell(row, col)
            self.table.clearSelection()  # a selected row would hide the marked cell
            self.table.setFocus()
        return not problems


# -- the dialog --------------------------------------------------------------------------------


class SettingsDialog(QDialog):
    """Three tabs; OK stores everything at once, Cancel with changes asks first."""

    def __init__(
        self,
        settings: Settings,
        current_url: str,
        parent: QWidget | None = None,
        tasks: TaskRunner | None = None,
        *,
        starting: bool = False,
        db: Database | None = None,
        actor: str = "",
    ) -> None:
        """``starting``: shown before the main window because ``current_url`` (the database
        chosen here before) could not be opened; the new choice is opened right after OK.
        ``db``: the open database, where the district's details are read and saved."""
        super().__init__(parent)
        self.settings = settings
        self.current_url = current_url
        self.starting = starting
        self.db = db
        self.actor = actor
        self.tasks = tasks if tasks is not None else TaskRunner(parent=self)
        self.setWindowTitle(self.tr("Настройки"))
        self.tabs = QTabWidget(self)
        self.database_page = DatabasePage(settings, current_url, self.tasks, self.tabs)
        if starting:
            self.database_page.show_failed_current()
        self.district_page = DistrictPage(self.tabs)
        self.signatories_page = SignatoriesPage(self.tabs)
        self.tabs.addTab(self.database_page, self.tr("База данных"))
        self.tabs.addTab(self.district_page, self.tr("Район"))
        self.tabs.addTab(self.signatories_page, self.tr("Подписи и сертификаты"))
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            self.tr("ОК"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            self.tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.ok_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

        self.database_page.load(settings.database_url)
        self.district_available = False
        district = District()
        if db is not None:
            try:
                with db.session() as session:
                    district = load_district(session)
                self.district_available = True
            except Exception as exc:
                report(exc, "settings district load")
        self.district_page.load(district)
        self.signatories_page.load(district)
        self.district_page.set_available(self.district_available)
        self.signatories_page.set_available(self.district_available)
        self._snapshot = self.state()
        self._saving = False
        self._restore()

    # -- state -------------------------------------------------------------------------------

    def state(self) -> tuple[Any, ...]:
        return (
            self.database_page.state(),
            tuple(sorted(self.district_page.values().items())),
            tuple(self.signatories_page.rows()),
            self.signatories_page.signature_style(),
            self.signatories_page.certificate_wording(),
        )

    def is_dirty(self) -> bool:
        return self.state() != self._snapshot

    def mark_clean(self) -> None:
        self._snapshot = self.state()

    def _restore(self) -> None:
        geometry = self.settings.state(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(780, 520)
        tab = self.settings.value(TAB_KEY, 0)
        with contextlib.suppress(TypeError, ValueError):
            self.tabs.setCurrentIndex(int(tab))

    def _remember(self) -> None:
        self.settings.set_state(GEOMETRY_KEY, QByteArray(self.saveGeometry()))
        self.settings.set_value(TAB_KEY, self.tabs.currentIndex())
        self.settings.sync()

    # -- OK / Cancel -------------------------------------------------------------------------

    def database_changed(self) -> bool:
        return self.database_page.stored_url() != self.settings.database_url

    def accept(self) -> None:
        """Validate every tab; a different database is checked first (off the UI thread)."""
        if self._saving:
            return
        for index, page in enumerate(
            (self.database_page, self.district_page, self.signatories_page)
        ):
            if index and not self.district_available:
                continue
            if not page.validate():
                self.tabs.setCurrentIndex(index)
                return
        if not self.database_changed():
            self._store()
            return
        url = self.database_page.check_url()
        last = self.database_page.last_check
        if last is not None and last[0] == url and last[1].usable:
            self._store()
            return
        self._saving = True
        self.ok_button.setEnabled(False)
        # The dialog stays open until the report is back (the progress dialog shows meanwhile).
        self.database_page.run_check(
            url,
            self._checked_for_save,
            self.tr("Проверка базы данных…"),
            on_cancel=self._save_check_cancelled,
        )

    def _save_check_cancelled(self) -> None:
        self._saving = False
        self.ok_button.setEnabled(True)

    def _checked_for_save(self, _url: str, report: ConnectionReport) -> None:
        self._saving = False
        self.ok_button.setEnabled(True)
        self.tabs.setCurrentIndex(0)
        self.database_page.show_report(report)
        if not report.usable:
            answer = QMessageBox.question(
                self,
                self.tr("База данных"),
                self.tr(
                    "{message}\n\nС такой базой программа при следующем запуске не откроется. "
                    "Всё равно сохранить выбор?"
                ).format(message=report.message),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._store()

    def district(self) -> District:
        """The district's details as the tabs show them."""
        return District(
            **self.district_page.values(),
            signatories=self.signatories_page.signatories(),
            certificate_wording=self.signatories_page.certificate_wording(),
            signature_style=self.signatories_page.signature_style(),
        )

    def district_changed(self) -> bool:
        return self.state()[1:] != self._snapshot[1:]

    def _store(self) -> None:
        changed = self.database_changed()
        url = self.database_page.stored_url()
        if self.db is not None and self.district_available and self.district_changed():
            try:
                with self.db.session() as session:
                    save_district(session, self.district(), self.actor)
            except Exception as exc:
                show_error(self, exc, "settings district save")
                return
        try:
            if changed:
                self.settings.database_url = url
            self.settings.sync()
        except Exception as exc:
            show_error(self, exc, "settings save")
            return
        if changed and not self.starting:
            self._tell_restart(url)
        self.mark_clean()
        super().accept()

    def _tell_restart(self, url: str) -> None:
        target = url or self.database_page.default_url()
        override = self.database_page.override()
        if not override and _same_database(target, self.current_url):
            return  # back to the database that is open now
        text = self.tr(
            "Выбранная база данных будет открыта при следующем запуске программы:\n{db}"
        ).format(db=describe(target))
        if override == "--db":
            text += "\n\n" + self.tr(
                "Но пока программа запускается с параметром --db, открывается база из него."
            )
        elif override:
            text += "\n\n" + self.tr(
                "Но пока задана переменная окружения {var}, открывается база из неё."
            ).format(var=override)
        QMessageBox.information(self, self.tr("База данных"), text)

    def reject(self) -> None:
        if self.is_dirty() and not self._confirm_discard():
            return
        self.mark_clean()
        super().reject()

    def done(self, result: int) -> None:
        self._remember()
        super().done(result)

    def _confirm_discard(self) -> bool:
        """True: close without the edits. Saving validates first and may keep the dialog."""
        answer = QMessageBox.question(
            self,
            self.tr("Несохранённые изменения"),
            self.tr("Настройки изменены. Сохранить изменения?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            self.accept()
            return False  # accept() closes the dialog itself once the settings are stored
        return answer == QMessageBox.StandardButton.Discard


def _same_database(a: str, b: str) -> bool:
    try:
        pa, pb = make_url(a), make_url(b)
    except Exception:
        return a == b
    if pa.get_backend_name() == pb.get_backend_name() == "sqlite":
        fa, fb = sqlite_path(a), sqlite_path(b)
        return (
            fa is not None
            and fb is not None
            and fa.expanduser().resolve() == fb.expanduser().resolve()
        )
    keep = ("host", "port", "database", "username")
    return pa.get_backend_name() == pb.get_backend_name() and all(
        getattr(pa, k) == getattr(pb, k) for k in keep
    )
