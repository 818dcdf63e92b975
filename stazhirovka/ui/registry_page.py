"""A registry on screen: search as you type, filters, a lazily filled sortable table, the
row count, and the actions on the selected records."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..db import Database
from ..errors import DeleteRefusedError
from ..formats import plural
from ..services.registry import Filter
from .entities import kind_of
from .errors import message_for, report, show_error
from .flow_layout import WrapBox, keep_together
from .registry_model import RegistryModel
from .roles import may_change
from .settings import Settings
from .widgets import DateField, RecordPicker, SearchLine

log = logging.getLogger(__name__)


class FilterEditor:
    """The widget of one registry filter; ``value()`` is what the filter's SQL expects."""

    def __init__(self, flt: Filter, db: Database, parent: QWidget) -> None:
        self.filter = flt
        self.widget: QWidget
        if flt.kind in ("enum", "bool"):
            box = QComboBox(parent)
            box.addItem(parent.tr("все"), None)
            if flt.kind == "bool":
                box.addItem(parent.tr("да"), True)
                box.addItem(parent.tr("нет"), False)
            else:
                for value, label in flt.choices.items():
                    box.addItem(label, value)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            self.widget = box
        elif flt.kind == "int":
            spin = QSpinBox(parent)
            is_year = "year" in flt.key
            spin.setRange(1990 if is_year else 0, 2100 if is_year else 1_000_000)
            spin.setSpecialValueText(parent.tr("все"))
            spin.setValue(spin.minimum())
            spin.setMinimumWidth(80)
            self.widget = spin
        elif flt.kind == "ref":
            picker = RecordPicker(db, flt.ref, parent)
            picker.setMinimumWidth(200)
            self.widget = picker
        elif flt.kind == "date":
            self.widget = DateField(parent)
        else:
            self.widget = QLineEdit(parent)

    def value(self) -> Any:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QSpinBox):
            return None if w.value() == w.minimum() else w.value()
        if isinstance(w, RecordPicker):
            return w.value()
        if isinstance(w, DateField):
            return w.date()
        assert isinstance(w, QLineEdit)
        return w.text().strip() or None

    def set_value(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(w.findData(value), 0))
        elif isinstance(w, QSpinBox):
            w.setValue(w.minimum() if value is None else int(value))
        elif isinstance(w, RecordPicker):
            w.choose(value)
        elif isinstance(w, DateField):
            w.set_value(value if isinstance(value, date) else None)
        elif isinstance(w, QLineEdit):
            w.setText(value or "")

    def changed_signal(self) -> Any:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentIndexChanged
        if isinstance(w, QSpinBox):
            return w.valueChanged
        if isinstance(w, RecordPicker | DateField):
            return w.changed
        assert isinstance(w, QLineEdit)
        return w.editingFinished


class RegistryPage(QWidget):
    """One registry. ``open_record`` asks the window to open a record's form or card;
    ``create_record`` a new one (with the page's filters as defaults)."""

    open_record = Signal(str, int)
    create_record = Signal(str, dict)
    export_requested = Signal()  # «Выгрузить в Excel…»: the window runs it (ui/exporting.py)

    def __init__(
        self, db: Database, registry: str, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.settings = db, settings
        self.model = RegistryModel(db, registry, self, background=True)
        self.registry = self.model.registry
        self.kind = kind_of(registry)
        # Whether the user's role may change this registry's records: otherwise «Создать»
        # and «Удалить» are not offered (the services would refuse them anyway).
        self.editable = (
            self.kind is not None
            and not self.kind.read_only
            and may_change(db.principal, self.kind)
        )
        self._build()
        self.model.reloaded.connect(self._show_count)
        self.model.failed.connect(self._failed)
        self.model.reload()
        self._restore_columns()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr(self.registry.title), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.search = SearchLine(self)
        self.search.setPlaceholderText(self.tr("Поиск (Ctrl+F)…"))
        self.search.setMinimumWidth(260)
        self.search.searched.connect(self.model.set_search)
        self.new_button = QPushButton(self.tr("Создать"), self)
        self.new_button.setToolTip(self.tr("Новая запись (Ctrl+N)"))
        self.new_button.clicked.connect(self.create)
        self.open_button = QPushButton(self.tr("Открыть"), self)
        self.open_button.clicked.connect(self.open_current)
        self.delete_button = QPushButton(self.tr("Удалить"), self)
        self.delete_button.setToolTip(self.tr("Удалить выбранные записи (Delete)"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button = QPushButton(self.tr("В Excel…"), self)
        self.export_button.setToolTip(
            self.tr("Выгрузить строки, как они отобраны и отсортированы, в Excel (Ctrl+E)")
        )
        self.export_button.clicked.connect(self.export_requested)
        self.new_button.setVisible(self.editable and bool(self.kind and self.kind.creatable))
        self.delete_button.setVisible(self.editable)
        self.open_button.setVisible(self.kind is not None)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.search)
        top.addWidget(self.new_button)
        top.addWidget(self.open_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.export_button)

        self.filters: dict[str, FilterEditor] = {}
        self._extra: dict[str, Any] = {}
        self.extra_label = QLabel(self)
        self.extra_label.setStyleSheet("color: #1f5fa8;")
        self.extra_label.hide()
        filter_box = WrapBox(self)
        for flt in self.registry.filters:
            if not flt.shown:
                continue
            editor = FilterEditor(flt, self.db, self)
            self.filters[flt.key] = editor
            label = QLabel(self.tr(flt.label) + ":", self)
            filter_box.add(keep_together(label, editor.widget))
            editor.changed_signal().connect(self.apply_filters)
        self.reset_button = QPushButton(self.tr("Сбросить фильтры"), self)
        self.reset_button.clicked.connect(self.reset_filters)
        if self.filters:
            filter_box.add(keep_together(self.reset_button))
        extra_row = QHBoxLayout()
        extra_row.addWidget(self.extra_label)
        extra_row.addStretch(1)
        if not self.filters:
            extra_row.addWidget(self.reset_button)
            self.reset_button.hide()

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        char = self.table.fontMetrics().averageCharWidth()
        for i, col in enumerate(self.registry.columns):
            self.table.setColumnWidth(i, max(60, min(col.width, 50) * char + 16))
        # The registry's default order shows as the sort indicator.
        default = self.registry.default_sort.lstrip("-")
        if default:
            keys = [c.key for c in self.registry.columns]
            order = (
                Qt.SortOrder.DescendingOrder
                if self.registry.default_sort.startswith("-")
                else Qt.SortOrder.AscendingOrder
            )
            header.setSortIndicator(keys.index(default), order)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        header.sectionResized.connect(lambda *_: self._save_columns())
        header.sectionMoved.connect(lambda *_: self._save_columns())

        self.count_label = QLabel(self)
        self.status_label = QLabel(self)
        self.status_label.setStyleSheet("color: #b3261e;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.status_label)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(filter_box)
        layout.addLayout(extra_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        for key, slot in (
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.Delete, self.delete_selected),
            (QKeySequence("Ctrl+E"), self.export_requested.emit),
        ):
            action = QAction(self)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        open_action = QAction(self.table)
        open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_action.triggered.connect(self.open_current)
        self.table.addAction(open_action)
        self._selection_changed()

    # -- state -------------------------------------------------------------------------------

    def _state_key(self) -> str:
        return f"columns/{self.registry.name}"

    def _save_columns(self) -> None:
        self.settings.set_state(self._state_key(), self.table.horizontalHeader().saveState())

    def _restore_columns(self) -> None:
        state = self.settings.state(self._state_key())
        if state is not None:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.restoreState(state)
            header.blockSignals(False)
            # The restored sort indicator must also be the model's order.
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    # -- filters and search ------------------------------------------------------------------

    def filter_values(self) -> dict[str, Any]:
        return {key: editor.value() for key, editor in self.filters.items()}

    def apply_filters(self) -> None:
        self.model.set_filters({**self._extra, **self.filter_values()})

    def set_filters(self, values: dict[str, Any]) -> None:
        """Show the registry filtered (the home page's «Показать все»): filters without a
        widget on this page stay in force, named above the table, until «Сбросить»."""
        for key, editor in self.filters.items():
            editor.widget.blockSignals(True)
            editor.set_value(values.get(key))
            editor.widget.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._extra = {
            k: v for k, v in values.items() if k not in self.filters and v not in (None, "")
        }
        self.extra_label.setText(
            self.tr("Отбор: {what}").format(
                what="; ".join(self.registry.filter(k).label for k in self._extra)
            )
        )
        self.extra_label.setVisible(bool(self._extra))
        if not self.filters:
            self.reset_button.setVisible(bool(self._extra))
        self.model.query.search = ""
        self.model.query.filters = {k: v for k, v in values.items() if v not in (None, "")}
        self.model.reload()

    def reset_filters(self) -> None:
        self.set_filters({})

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def refresh(self) -> None:
        """Re-read the rows, keeping the selection on the same records where possible."""
        selected = self.selected_ids()
        self.model.reload()
        self.select_ids(selected)

    def _show_count(self, total: int) -> None:
        self.status_label.clear()
        text = f"{total:,}".replace(",", "\u00a0")
        self.count_label.setText(
            self.tr("Найдено: {n} {word}").format(
                n=text, word=plural(total, "запись", "записи", "записей")
            )
        )

    def _failed(self, exc: BaseException) -> None:
        self.status_label.setText(message_for(exc))

    # -- selection and actions ---------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = [self.model.row_id(r) for r in rows]
        return [i for i in ids if i is not None]

    def select_ids(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        for record_id in ids:
            row = self.model.row_of(record_id)
            if row is not None:
                selection.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )

    def _selection_changed(self, *_: Any) -> None:
        n = len(self.table.selectionModel().selectedRows())
        self.open_button.setEnabled(n == 1)
        self.delete_button.setEnabled(n >= 1)

    def _double_clicked(self, index: QModelIndex) -> None:
        record_id = self.model.row_id(index.row())
        if record_id is not None:
            self.open_record.emit(self.registry.name, record_id)

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._double_clicked(index)

    def create(self) -> None:
        if self.kind is None or not self.editable or not self.kind.creatable:
            return
        defaults = {
            key: value
            for key, value in self.filter_values().items()
            if value is not None and key in self.kind.service.field_map()
        }
        self.create_record.emit(self.registry.name, defaults)

    def delete_selected(self) -> None:
        if self.kind is None or not self.editable:
            return
        ids = self.selected_ids()
        if not ids:
            return
        n = len(ids)
        question = (
            self.tr("Удалить выбранную запись?")
            if n == 1
            else self.tr("Удалить {n} {word}?").format(
                n=n, word=plural(n, "запись", "записи", "записей")
            )
        )
        answer = QMessageBox.question(
            self, self.tr("Удаление"), question + " " + self.tr("Это действие нельзя отменить.")
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        service = self.kind.service()
        try:
            # All or nothing: one refusal keeps every selected record.
            with self.db.session() as session:
                for record_id in ids:
                    service.delete(session, record_id, actor=self.db.principal.login)
        except DeleteRefusedError as exc:
            report(exc, "registry delete")
            QMessageBox.information(self, self.tr("Удаление невозможно"), str(exc))
            return
        except Exception as exc:
            show_error(self, exc, "registry delete")
            return
        self.model.reload()

    def _context_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        if self.kind is not None:
            menu.addAction(self.tr("Открыть"), self.open_current).setEnabled(
                self.open_button.isEnabled()
            )
            if self.editable:
                if self.kind.creatable:
                    menu.addAction(self.tr("Создать"), self.create)
                menu.addAction(self.tr("Удалить"), self.delete_selected).setEnabled(
                    self.delete_button.isEnabled()
                )
        menu.addAction(self.tr("Выгрузить в Excel…"), self.export_requested.emit)
        menu.addAction(self.tr("Обновить"), self.refresh)
        menu.exec(self.table.viewport().mapToGlobal(pos))
