"""Small input widgets shared by forms, filters and cards."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from ..db import Database
from ..formats import display, short_date
from ..services.registry import RegistryQuery, fetch_page, fetch_rows, get_registry
from ..services.validation import parse_date

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250  # typing pauses shorter than this do not hit the database

# The columns that name a record in a picker: the name, then what tells namesakes apart.
LABEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": ("fio", "organization"),
    "organizations": ("short_name", "municipality"),
    "platforms": ("organization", "kind"),
    "masters": ("fio", "platform"),
    "programs": ("title", "platform"),
    "internships": ("intern", "program"),
    "events": ("title", "starts_on"),
    "instruments": ("title",),
    "certificates": ("number", "holder_name"),
}


def row_label(registry: str, row: dict[str, Any], full: bool = True) -> str:
    reg = get_registry(registry)
    keys = LABEL_COLUMNS.get(registry) or (reg.columns[0].key,)
    parts = []
    for key in keys if full else keys[:1]:
        col = reg.column(key)
        text = display(row.get(key), col.kind, dict(col.enum_labels))
        if text:
            parts.append(text)
    return " — ".join(parts)


def record_label(db: Database, registry: str, record_id: int, full: bool = False) -> str:
    with db.session() as session:
        rows = fetch_rows(session, registry, [record_id])
    return row_label(registry, rows[0], full) if rows else f"№ {record_id}"


class SearchLine(QLineEdit):
    """A search box that reports its text after a short pause in typing (debounce)."""

    searched = Signal(str)

    def __init__(self, parent: QWidget | None = None, delay_ms: int = SEARCH_DELAY_MS) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.setPlaceholderText(self.tr("Поиск…"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(lambda: self.searched.emit(self.text().strip()))
        self.textChanged.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self.flush)

    def flush(self) -> None:
        """Search now (Enter, or a test that does not want to wait)."""
        if self._timer.isActive():
            self._timer.stop()
        self.searched.emit(self.text().strip())


class DateField(QWidget):
    """A date typed as ДД.ММ.ГГГГ or picked from a calendar; may be empty."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("ДД.ММ.ГГГГ"))
        self.edit.setMaxLength(12)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.button.setToolTip(self.tr("Выбрать в календаре"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.button.setMenu(menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu.aboutToShow.connect(self._sync_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.setMaximumWidth(170)

    def _sync_calendar(self) -> None:
        value = self.date()
        if value is not None:
            self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))

    def _picked(self, qdate: QDate) -> None:
        self.set_value(date(qdate.year(), qdate.month(), qdate.day()))
        menu = self.button.menu()
        if menu is not None:
            menu.hide()

    def value(self) -> str:
        return self.edit.text().strip()

    def date(self) -> date | None:
        try:
            return parse_date(self.value()) if self.value() else None
        except ValueError:
            return None

    def set_value(self, value: date | str | None) -> None:
        self.edit.setText(short_date(value) if isinstance(value, date) else (value or ""))


class RecordPicker(QWidget):
    """Pick a record of a registry by typing part of its name; holds the chosen id.

    Suggestions come from the registry's own search (in the database), a short pause after
    each keystroke. Text typed but not chosen from the list leaves the picker unresolved."""

    changed = Signal()

    def __init__(
        self,
        db: Database,
        registry: str,
        parent: QWidget | None = None,
        filters: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.registry = db, registry
        self.filters = dict(filters or {})
        self._id: int | None = None
        self._chosen_text = ""
        self._ids: list[int] = []
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("начните вводить…"))
        self.edit.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated.connect(self._activated)
        self.edit.setCompleter(self.completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.suggest)
        self.edit.textEdited.connect(self._edited)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Down), self.edit)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.suggest)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def _edited(self, text: str) -> None:
        if self._id is not None and text != self._chosen_text:
            self._id = None
            self.changed.emit()
        if not text.strip() and self._id is None:
            self.changed.emit()
        self._timer.start()

    def suggest(self) -> None:
        """Fill the popup with records matching the typed text."""
        self._timer.stop()
        query = RegistryQuery(search=self.edit.text().strip(), filters=self.filters, limit=30)
        try:
            with self.db.session() as session:
                rows = fetch_page(session, self.registry, query).rows
        except Exception:
            log.exception("Picker %s: suggestions could not be read", self.registry)
            rows = []
        self._ids = [int(r["id"]) for r in rows]
        self._model.setStringList([row_label(self.registry, r) for r in rows])
        if rows and self.edit.hasFocus():
            self.completer.complete()

    def _activated(self, value: Any) -> None:
        text = value if isinstance(value, str) else value.data()
        labels = self._model.stringList()
        if text in labels:
            self._id = self._ids[labels.index(text)]
            self._chosen_text = record_label(self.db, self.registry, self._id)
            # The completer writes its own text after this signal; ours wins after it.
            QTimer.singleShot(0, lambda: self.edit.setText(self._chosen_text))
            self.edit.setText(self._chosen_text)
            self.changed.emit()

    def choose(self, record_id: int | None) -> None:
        """Set the chosen record (or none) programmatically."""
        self._id = record_id
        self._chosen_text = record_label(self.db, self.registry, record_id) if record_id else ""
        self.edit.setText(self._chosen_text)
        self.changed.emit()

    def value(self) -> int | None:
        return self._id

    def unresolved(self) -> bool:
        """Text was typed but no record chosen."""
        return self._id is None and bool(self.edit.text().strip())

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class LinkListEditor(QWidget):
    """Records chosen one by one with a picker and listed below it (authors, directions)."""

    changed = Signal()

    def __init__(self, db: Database, registry: str, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QListWidget, QPushButton, QVBoxLayout

        super().__init__(parent)
        self.db, self.registry = db, registry
        self.picker = RecordPicker(db, registry, self)
        self.add_button = QPushButton(self.tr("Добавить"), self)
        self.add_button.clicked.connect(self._add)
        self.remove_button = QPushButton(self.tr("Убрать"), self)
        self.remove_button.clicked.connect(self._remove)
        self.list = QListWidget(self)
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 5 + 8)
        self.list.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.list.selectedItems()))
        )
        self.remove_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)
        self.picker.changed.connect(self._add_if_chosen)

    def _add_if_chosen(self) -> None:
        if self.picker.value() is not None:
            self._add()

    def _add(self) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        record_id = self.picker.value()
        if record_id is None or record_id in self.ids():
            return
        item = QListWidgetItem(record_label(self.db, self.registry, record_id, full=True))
        item.setData(Qt.ItemDataRole.UserRole, record_id)
        self.list.addItem(item)
        self.picker.choose(None)
        self.changed.emit()

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.changed.emit()

    def ids(self) -> list[int]:
        return [
            int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
        ]

    def set_records(self, records: list[tuple[int, str]]) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        self.list.clear()
        for record_id, label in records:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, record_id)
            self.list.addItem(item)
