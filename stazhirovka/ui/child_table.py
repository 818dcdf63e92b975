"""Shared pieces of the record editors (program, diagnostic instrument, event card) and the
plan-schedule page.

* :class:`RowsModel` — a small table model over a list of row dicts, with optional section
  header rows (a competency, a month) and editable check boxes;
* :class:`ChildTable` — the ordered child records of a record (modules, indicators,
  participants): the table with «Добавить…», «Изменить…», «Удалить», «Выше», «Ниже» and the
  keyboard (Insert, Enter, Delete, Ctrl+↑/↓);
* :class:`RecordDetails` — a record's own fields edited in place, with the problems the
  service reports shown at their fields;
* :class:`CheckList` — a checkable list (a program's competencies);
* :class:`EditorWindow` and :func:`open_editor` — a non-modal window for one record: one
  window per record, its geometry remembered, unsaved edits asked about on closing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..db import Database
from ..errors import ConflictError, ValidationError
from ..formats import display
from ..services.crud import EntityService
from .entities import kind_of
from .errors import report, show_error
from .forms import ERROR_STYLE, EntityForm, FieldEditor, clear_errors, focus_editor, show_problems
from .roles import may_change, read_only_reason

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .main_window import MainWindow

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADER = "_header"  # the key of a section header row's text
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
HEADER_BACKGROUND = QColor("#e8eef5")
MUTED = QColor("#6b6b6b")


@dataclass(frozen=True)
class ChildColumn:
    """A column of a :class:`RowsModel`: the row key, the header, how to show the value.

    ``checkable`` makes a bool column a check box the user may tick (the model reports it
    with ``check_changed``); ``text`` and ``color`` compute a cell from the whole row."""

    key: str
    label: str
    kind: str = "text"  # text, int, float, date, bool
    width: int = 12  # in average characters
    stretch: bool = False
    checkable: bool = False
    text: Callable[[dict[str, Any]], str] | None = None
    color: Callable[[dict[str, Any]], QColor | None] | None = None
    align: str = ""  # "", "left", "center", "right" (default by kind)


class RowsModel(QAbstractTableModel):
    """Rows as dicts with an ``id``; a row ``{HEADER: "Январь"}`` is a section header."""

    check_changed = Signal(int, str, bool)  # record id, column key, the new value

    def __init__(self, columns: Sequence[ChildColumn], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[dict[str, Any]] = []
        self.editable = True

    # -- rows ------------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[dict[str, Any]]:
        return self._rows

    def row(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def is_header(self, row: int) -> bool:
        values = self.row(row)
        return values is not None and HEADER in values

    def row_id(self, row: int) -> int | None:
        values = self.row(row)
        if values is None or HEADER in values:
            return None
        return int(values["id"])

    def row_of(self, record_id: int) -> int | None:
        for number, values in enumerate(self._rows):
            if HEADER not in values and values.get("id") == record_id:
                return number
        return None

    def record_rows(self) -> list[dict[str, Any]]:
        return [r for r in self._rows if HEADER not in r]

    def cell_text(self, row: int, column: int) -> str:
        values = self._rows[row]
        if HEADER in values:
            return str(values[HEADER]) if column == 0 else ""
        col = self.columns[column]
        if col.checkable:
            return ""
        if col.text is not None:
            return col.text(values)
        return display(values.get(col.key), col.kind)

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        values = self._rows[index.row()]
        col = self.columns[index.column()]
        header = HEADER in values
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.cell_text(index.row(), index.column())
            return text if len(text) > 30 else None
        if role == ID_ROLE:
            return self.row_id(index.row())
        if header:
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return HEADER_BACKGROUND
            return None
        if role == Qt.ItemDataRole.CheckStateRole and col.checkable:
            return Qt.CheckState.Checked if values.get(col.key) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = col.align or (
                "right"
                if col.kind in ("int", "float")
                else "center"
                if col.kind in ("date", "bool")
                else "left"
            )
            return int({"right": _RIGHT, "center": _CENTER}.get(align, _LEFT))
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            return col.color(values)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        col = self.columns[index.column()]
        record_id = self.row_id(index.row())
        if not col.checkable or record_id is None or not self.editable:
            return False
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        checked = state == Qt.CheckState.Checked.value
        self._rows[index.row()][col.key] = checked
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.check_changed.emit(record_id, col.key, checked)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_header(index.row()):
            return Qt.ItemFlag.ItemIsEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].checkable and self.editable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].label if 0 <= section < len(self.columns) else None
        return str(section + 1)


def make_table(model: RowsModel, parent: QWidget) -> QTableView:
    """A table view in the house style: whole rows, no grid numbers, fixed row height,
    column widths in characters, section header rows spanning the table."""
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    char = table.fontMetrics().averageCharWidth()
    for i, col in enumerate(model.columns):
        table.setColumnWidth(i, max(40, col.width * char + 16))
        if col.stretch:
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
    model.modelReset.connect(lambda: span_headers(table))
    return table


def span_headers(table: QTableView) -> None:
    model = table.model()
    assert isinstance(model, RowsModel)
    table.clearSpans()
    columns = model.columnCount()
    for row in range(model.rowCount()):
        if model.is_header(row):
            table.setSpan(row, 0, 1, columns)


def _shortcut(widget: QWidget, keys: Any, slot: Callable[[], Any]) -> QAction:
    action = QAction(widget)
    action.setShortcuts(keys if isinstance(keys, list) else [keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    widget.addAction(action)
    return action


class ChildTable(QWidget):
    """The child records of a record in a table with their buttons. The owner does the work:
    it answers ``add_requested``, ``edit_requested(id)``, ``delete_requested(ids)`` and
    ``move_requested(id, step)`` (step −1 up, +1 down), then calls :meth:`set_rows`."""

    add_requested = Signal()
    edit_requested = Signal(int)
    delete_requested = Signal(list)
    move_requested = Signal(int, int)

    def __init__(
        self,
        columns: Sequence[ChildColumn],
        parent: QWidget | None = None,
        *,
        add_text: str = "Добавить…",
        delete_text: str = "Удалить",
        movable: bool = True,
        multi_select: bool = False,
    ) -> None:
        super().__init__(parent)
        self.model = RowsModel(columns, self)
        self.table = make_table(self.model, self)
        self.table.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multi_select
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.add_button = QPushButton(self.tr(add_text), self)
        self.add_button.setToolTip(self.tr("Добавить (Insert)"))
        self.edit_button = QPushButton(self.tr("Изменить…"), self)
        self.edit_button.setToolTip(self.tr("Изменить выбранную запись (Enter)"))
        self.delete_button = QPushButton(self.tr(delete_text), self)
        self.delete_button.setToolTip(self.tr("Удалить выбранное (Delete)"))
        self.up_button = QPushButton(self.tr("Выше"), self)
        self.up_button.setToolTip(self.tr("Переместить выше (Ctrl+↑)"))
        self.down_button = QPushButton(self.tr("Ниже"), self)
        self.down_button.setToolTip(self.tr("Переместить ниже (Ctrl+↓)"))
        self.add_button.clicked.connect(self.add_requested.emit)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.movable = movable
        self.up_button.setVisible(movable)
        self.down_button.setVisible(movable)

        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(6)
        for button in (self.add_button, self.edit_button, self.delete_button):
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.up_button)
        self.buttons.addWidget(self.down_button)
        self.footer = QLabel(self)
        self.footer.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.footer)
        layout.addLayout(self.buttons)

        _shortcut(self, QKeySequence(Qt.Key.Key_Insert), self.add_requested.emit)
        _shortcut(self, QKeySequence.StandardKey.Delete, self.delete_selected)
        _shortcut(self, QKeySequence("Ctrl+Up"), lambda: self.move_current(-1))
        _shortcut(self, QKeySequence("Ctrl+Down"), lambda: self.move_current(1))
        edit = QAction(self.table)
        edit.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        edit.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit.triggered.connect(self.edit_current)
        self.table.addAction(edit)
        self._update_buttons()

    # -- rows and selection ------------------------------------------------------------------

    def set_rows(self, rows: Iterable[dict[str, Any]], select: int | None = None) -> None:
        """Show new rows, keeping (or moving to ``select``) the current record."""
        keep = select if select is not None else self.current_id()
        scroll = self.table.verticalScrollBar().value()
        self.model.set_rows(rows)
        self.table.verticalScrollBar().setValue(scroll)
        if keep is not None:
            self.select_id(keep)
        self._update_buttons()

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.row_id(index.row())

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.row_id(r) for r in rows]
        return [i for i in ids if i is not None]

    def select_id(self, record_id: int) -> None:
        row = self.model.row_of(record_id)
        if row is None:
            return
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index)

    def _update_buttons(self) -> None:
        selected = self.selected_ids()
        self.edit_button.setEnabled(len(selected) == 1)
        self.delete_button.setEnabled(bool(selected))
        self.up_button.setEnabled(len(selected) == 1)
        self.down_button.setEnabled(len(selected) == 1)

    # -- actions -----------------------------------------------------------------------------

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.model.columns[index.column()].checkable:
            return  # a double click on a check box ticks it, it does not open the record
        record_id = self.model.row_id(index.row())
        if record_id is not None:
            self.edit_requested.emit(record_id)

    def edit_current(self) -> None:
        record_id = self.current_id()
        if record_id is not None and self.edit_button.isEnabled():
            self.edit_requested.emit(record_id)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids and self.delete_button.isEnabled():
            self.delete_requested.emit(ids)

    def move_current(self, step: int) -> None:
        record_id = self.current_id()
        if self.movable and record_id is not None:
            self.move_requested.emit(record_id, step)


class CheckList(QListWidget):
    """A list of (id, label) with check boxes; ``edited`` when the user ticks one."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.itemChanged.connect(lambda _item: self.edited.emit())

    def set_items(self, items: Sequence[tuple[int, str]], checked: Iterable[int]) -> None:
        wanted = set(checked)
        self.blockSignals(True)
        self.clear()
        for item_id, label in items:
            item = QListWidgetItem(label, self)
            item.setData(Qt.ItemDataRole.UserRole, item_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if item_id in wanted else Qt.CheckState.Unchecked
            )
        self.blockSignals(False)
        rows = max(self.count(), 1)
        self.setFixedHeight(min(rows, 10) * (self.sizeHintForRow(0) or 20) + 6)

    def checked_ids(self) -> list[int]:
        return [
            int(self.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]


class RecordDetails(QWidget):
    """A record's fields edited in place, in titled sections, like the generic form but
    inside a card. The owner saves (it may write more in the same transaction)."""

    edited = Signal()

    def __init__(
        self,
        db: Database,
        service: EntityService[Any],
        sections: Sequence[tuple[str, Sequence[str]]],
        parent: QWidget | None = None,
        *,
        choices: dict[str, Sequence[tuple[Any, str]]] | None = None,
        picker_filters: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.service = db, service
        self.version: int | None = None
        self.editors: dict[str, FieldEditor] = {}
        self.boxes: dict[str, QGroupBox] = {}
        self._snapshot: dict[str, Any] | None = None
        fields = service.field_map()
        choices = choices or {}
        picker_filters = picker_filters or {}
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE + "padding: 6px; background: #fdecea;")
        self.banner.hide()
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.banner)
        for title, names in sections:
            box = QGroupBox(self.tr(title), self)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            for name in names:
                spec = fields[name]
                editor = FieldEditor(spec, db, box, choices.get(name), picker_filters.get(name))
                self.editors[name] = editor
                label = QLabel(spec.label + (" *" if spec.required else "") + ":", box)
                label.setToolTip(self.tr("Обязательное поле") if spec.required else "")
                label.setBuddy(editor.widget)
                column = QVBoxLayout()
                column.setSpacing(2)
                column.addWidget(editor.widget)
                column.addWidget(editor.error)
                form.addRow(label, column)
                editor.changed_signal().connect(lambda *_: self.edited.emit())
            self.boxes[title] = box
            self.body.addWidget(box)

    def add_section(self, title: str, widget: QWidget) -> QGroupBox:
        """A further section of the owner's own (a list of competencies)."""
        box = QGroupBox(self.tr(title), self)
        layout = QVBoxLayout(box)
        layout.addWidget(widget)
        self.boxes[title] = box
        self.body.addWidget(box)
        return box

    # -- values ------------------------------------------------------------------------------

    def load(self, obj: Any) -> None:
        for name, editor in self.editors.items():
            editor.widget.blockSignals(True)
            editor.set_value(getattr(obj, name))
            editor.widget.blockSignals(False)
        self.version = obj.version
        self.clear_errors()
        self.mark_clean()

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def is_dirty(self) -> bool:
        return self._snapshot is not None and self.values() != self._snapshot

    def mark_clean(self) -> None:
        self._snapshot = self.values()

    # -- problems ----------------------------------------------------------------------------

    def check_unresolved(self) -> bool:
        """Mark pickers with typed but unchosen text; True when all are resolved."""
        self.clear_errors()
        unresolved = [name for name, editor in self.editors.items() if editor.unresolved()]
        for name in unresolved:
            self.editors[name].show_error([self.tr("выберите запись из списка подсказок")])
        if unresolved:
            self.banner.setText(self.tr("Проверьте отмеченные поля."))
            self.banner.show()
            self.focus(unresolved[0])
        return not unresolved

    def clear_errors(self) -> None:
        clear_errors(self.editors, self.banner)

    def show_problems(self, exc: ValidationError) -> None:
        report(exc, "details save")
        show_problems(
            self.editors,
            self.banner,
            exc,
            self.tr("Изменения не сохранены. Исправьте отмеченные поля."),
        )

    def focus(self, name: str) -> None:
        focus_editor(self.editors[name])


def muted_color(widget: QWidget) -> str:
    """Secondary text: the palette's text colour three fifths of the way from the background
    (readable in a light and a dark palette alike)."""
    fg = widget.palette().color(widget.foregroundRole())
    bg = widget.palette().color(widget.backgroundRole())
    mixed = QColor(
        (fg.red() * 3 + bg.red() * 2) // 5,
        (fg.green() * 3 + bg.green() * 2) // 5,
        (fg.blue() * 3 + bg.blue() * 2) // 5,
    )
    return mixed.name()


def scrolled(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


def title_font(widget: QWidget, scale: float = 1.4) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    return font


class EditorWindow(QWidget):
    """A non-modal window over one record. Subclasses build the content in ``__init__``,
    load it in :meth:`reload` (called by :func:`open_editor`), write the record's own
    fields in :meth:`save_details` and say what is unsaved in :meth:`is_dirty`."""

    registry: ClassVar[str] = ""
    default_size: ClassVar[tuple[int, int]] = (1180, 760)

    def __init__(self, window: MainWindow, record_id: int) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.main = window
        self.ctx = window.ctx
        self.db = window.ctx.db
        self.record_id = record_id
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Сохранить"), self)
        self.save_button.setToolTip(self.tr("Сохранить сведения (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.revert_button = QPushButton(self.tr("Отменить изменения"), self)
        self.close_button = QPushButton(self.tr("Закрыть"), self)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.close_button.clicked.connect(self.close)
        _shortcut(self, QKeySequence.StandardKey.Save, self.save)
        _shortcut(self, QKeySequence(Qt.Key.Key_Escape), self.close)
        self._title = ""
        # A role that may not change this kind of record reads it only (apply_read_only).
        kind = kind_of(self.registry)
        self.read_only = kind is not None and not may_change(self.db.principal, kind)

    def apply_read_only(self) -> None:
        """For a read-only role: every field read-only, every button that changes something
        hidden (kept: «Закрыть», printing and a child row's «Изменить…», which opens the
        read-only form), and a note saying why. Called once the window is built and loaded."""
        if not self.read_only:
            return
        from PySide6.QtWidgets import (
            QAbstractSpinBox,
            QCheckBox,
            QComboBox,
            QLineEdit,
            QPlainTextEdit,
            QTextEdit,
            QToolButton,
        )

        from .widgets import SearchLine

        keep: set[QWidget] = {self.close_button, *getattr(self, "print_buttons", {}).values()}
        for table in self.findChildren(ChildTable):
            keep.add(table.edit_button)
            table.model.editable = False  # no ticks (an event's attendance)
        for button in self.findChildren(QPushButton):
            if button not in keep:
                button.hide()
        for edit in [*self.findChildren(QLineEdit), *self.findChildren(QPlainTextEdit)]:
            if not isinstance(edit, SearchLine):  # searching a list is reading
                edit.setReadOnly(True)
        for checks in self.findChildren(CheckList):  # a program's competencies
            checks.setEnabled(False)
        for text in self.findChildren(QTextEdit):
            text.setReadOnly(True)
        for kind in (QComboBox, QCheckBox, QAbstractSpinBox, QToolButton):
            for widget in self.findChildren(kind):
                widget.setEnabled(False)
        self.status.setText(read_only_reason(self.db.principal))

    def bottom_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        note = QLabel(self.tr("* — обязательные поля"), self)
        note.setStyleSheet(f"color: {muted_color(self)};")
        bar.addWidget(note)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)
        return bar

    # -- geometry ----------------------------------------------------------------------------

    def _geometry_key(self) -> str:
        return f"{type(self).__name__}/geometry"

    def restore_geometry(self) -> None:
        state = self.ctx.settings.state(self._geometry_key())
        if state is None or not self.restoreGeometry(state):
            self.resize(*self.default_size)

    # -- state -------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        raise NotImplementedError

    def mark_clean(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def save_details(self) -> bool:
        raise NotImplementedError

    def set_title(self, title: str) -> None:
        self._title = title
        self.update_dirty()

    def update_dirty(self) -> None:
        dirty = self.is_dirty()
        self.setWindowTitle(self._title + (" •" if dirty else ""))
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def save(self) -> bool:
        if not self.is_dirty():
            return True
        try:
            return self.save_details()
        except Exception as exc:  # a bug in a subclass must not lose the window
            show_error(self, exc, f"{self.registry} save")
            return False

    def revert(self) -> None:
        try:
            self.reload()
        except Exception as exc:
            show_error(self, exc, f"{self.registry} reload")

    def save_record(
        self,
        details: RecordDetails,
        extra: Callable[[Session], None] | None = None,
    ) -> bool:
        """Write the record's fields (and ``extra`` in the same transaction); on problems
        show them at their fields and keep the edits."""
        if not details.check_unresolved():
            return False
        data = details.values()
        try:
            with self.db.session() as session:
                obj = details.service.update(
                    session,
                    self.record_id,
                    data,
                    expected_version=details.version,
                    actor=self.ctx.actor,
                )
                if extra is not None:
                    extra(session)
                session.flush()
                version = obj.version
        except ValidationError as exc:
            details.show_problems(exc)
            return False
        except ConflictError as exc:
            report(exc, f"{self.registry} save")
            return self._resolve_conflict(exc, details, extra)
        except Exception as exc:
            show_error(self, exc, f"{self.registry} save")
            return False
        details.version = version
        details.clear_errors()
        self.mark_clean()
        self.show_status(self.tr("Сохранено."))
        self.main.saved(self.registry, self.record_id)
        return True

    def _resolve_conflict(
        self,
        exc: ConflictError,
        details: RecordDetails,
        extra: Callable[[Session], None] | None,
    ) -> bool:
        """Someone else saved the record meanwhile: the conflict dialog (ui/conflict_dialog.py)
        — «Показать их версию» reloads the card, «Сохранить мои» saves over the version shown,
        «Отмена» keeps the edits unsaved."""
        from .conflict_dialog import Choice, ConflictDialog
        from .errors import message_for
        from .forms import differences_from, stored_values

        try:
            stored, version, title = stored_values(self.db, details.service, self.record_id)
            differences = differences_from(
                self.db, details.editors, details._snapshot or {}, stored
            )
        except Exception as error:  # deleted meanwhile
            report(error, f"{self.registry} conflict reload")
            QMessageBox.warning(self, self.tr("Запись изменена"), f"{exc}\n{message_for(error)}")
            return False
        dialog = ConflictDialog(title, "", differences, self)
        dialog.exec()
        choice = dialog.choice
        dialog.deleteLater()
        if choice is Choice.THEIRS:
            self.revert()
            return False
        if choice is Choice.MINE:
            details.version = version
            return self.save_record(details, extra)
        self.show_status(self.tr("Не сохранено: запись изменил другой пользователь."), error=True)
        return False

    def show_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "color: #3d6b45;")
        self.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty() and not self._confirm_discard():
            event.ignore()
            return
        self.ctx.settings.set_state(self._geometry_key(), QByteArray(self.saveGeometry()))
        super().closeEvent(event)

    def _confirm_discard(self) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Несохранённые изменения"))
        box.setText(self.tr("В окне есть несохранённые изменения. Сохранить их?"))
        save = box.addButton(self.tr("Сохранить"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("Не сохранять"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Отмена"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return self.save()
        return clicked is discard


def open_editor(
    window: MainWindow,
    cls: type[EditorWindow],
    record_id: int | None,
    defaults: dict[str, Any],
    *,
    choices: dict[str, Sequence[tuple[Any, str]]] | None = None,
) -> QWidget | None:
    """Open the editor of a record — the one already open, raised — or, for a new record,
    the generic form and, once it is saved, the editor of the new record."""
    if record_id is None:
        kind = kind_of(cls.registry)
        if kind is None:
            return None
        form = EntityForm(
            window.ctx.db,
            kind,
            None,
            defaults=defaults,
            choices=choices,
            actor=window.ctx.actor,
            parent=window,
        )

        def created(new_id: int) -> None:
            window.saved(cls.registry, new_id)
            open_editor(window, cls, new_id, {})

        form.saved.connect(created)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.open()
        return form
    for widget in window.open_windows:
        if isinstance(widget, cls) and widget.record_id == record_id and widget.isVisible():
            widget.showNormal()
            widget.raise_()
            widget.activateWindow()
            return widget
    editor = cls(window, record_id)
    try:
        editor.reload()
    except Exception:
        editor.deleteLater()  # a record deleted meanwhile leaves no hidden window behind
        raise
    editor.apply_read_only()
    window.track(editor)
    editor.restore_geometry()
    editor.show()
    editor.raise_()
    editor.activateWindow()
    return editor
