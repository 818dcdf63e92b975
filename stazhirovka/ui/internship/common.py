"""Pieces the tabs of the internship card share: a record table opened by Enter or a double
click, the colours of statuses and levels, a calm hint line, one way to report a refusal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QWidget,
)

from ...errors import ConflictError, DeleteRefusedError, ValidationError
from ..errors import report, show_error

if TYPE_CHECKING:
    from ...db import Database

RED = QColor("#b3261e")
GREEN = QColor("#1b6e34")
MUTED = QColor("#6b6b6b")
GROUP_BACKGROUND = QColor("#eef2f7")

# Level of a competency → text colour (a calm traffic light).
LEVEL_COLOURS = {"low": QColor("#b3261e"), "medium": QColor("#8a5a00"), "high": QColor("#1b6e34")}

# Status chips: (text colour, background).
STATUS_CHIP = {
    "planned": ("#3c4a5c", "#e4e9f0"),
    "active": ("#0f5a2a", "#d7f0de"),
    "completed": ("#123f7a", "#d9e6f7"),
    "withdrawn": ("#7a1f1a", "#f6dedb"),
}

HINT_STYLE = "color: #5f6b7a; padding: 6px 8px; background: #f4f6f9; border-radius: 4px;"
SECTION_STYLE = "font-weight: bold;"


def tr(text: str) -> str:
    return QCoreApplication.translate("InternshipCard", text)


def chip_style(status: str) -> str:
    fg, bg = STATUS_CHIP.get(status, ("#333333", "#eeeeee"))
    return (
        f"color: {fg}; background: {bg}; border-radius: 9px; padding: 2px 10px; font-weight: bold;"
    )


def hint_label(parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    policy.setHeightForWidth(True)  # a wrapped line is as tall as its text at the width
    label.setSizePolicy(policy)
    return label


def button(parent: QWidget, text: str, slot: Callable[[], Any], tip: str = "") -> QPushButton:
    b = QPushButton(text, parent)
    b.clicked.connect(lambda _checked=False: slot())
    if tip:
        b.setToolTip(tip)
    return b


class RecordTable(QTableView):
    """A read-only table of child records: Enter or a double click asks to open the current
    row (``open_requested``), Delete to delete it (``delete_requested``)."""

    open_requested = Signal()
    delete_requested = Signal()
    move_requested = Signal(int)  # Ctrl+Up: -1, Ctrl+Down: +1 (where the order matters)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        self.reorderable = False
        self.doubleClicked.connect(lambda _index: self.open_requested.emit())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        if key == Qt.Key.Key_Delete and self.currentIndex().isValid():
            self.delete_requested.emit()
            return
        if (
            key in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and self.currentIndex().isValid()
            and self.reorderable
        ):
            self.move_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)

    def current_row(self) -> int | None:
        index = self.currentIndex()
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        if rows:
            return rows[0].row()
        return index.row() if index.isValid() else None

    def select_row(self, row: int) -> None:
        model = self.model()
        if model is None or not 0 <= row < model.rowCount():
            return
        index = model.index(row, 0)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)

    def set_widths(self, chars: list[int]) -> None:
        char = self.fontMetrics().averageCharWidth()
        for column, width in enumerate(chars):
            self.setColumnWidth(column, width * char + 16)

    def fit_columns(self, stretch: Sequence[int], fixed: dict[int, int] | None = None) -> None:
        """Columns in ``stretch`` share the free width, ``fixed`` ones get so many average
        characters, the rest fit their contents — so the table never scrolls sideways."""
        model = self.model()
        if model is None:
            return
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        char = self.fontMetrics().averageCharWidth()
        for column in range(model.columnCount()):
            if column in stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            elif fixed and column in fixed:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.setColumnWidth(column, fixed[column] * char + 16)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def run_change(parent: QWidget, db: Database, action: Callable[[Any], Any], context: str) -> bool:
    """Run ``action(session)`` in one transaction; a refusal is shown as a message (never a
    traceback). True when the change was written."""
    try:
        with db.session() as session:
            action(session)
    except ValidationError as exc:
        report(exc, context)
        QMessageBox.warning(parent, tr("Изменение не сохранено"), str(exc))
        return False
    except (DeleteRefusedError, ConflictError) as exc:
        report(exc, context)
        QMessageBox.information(parent, tr("Изменение невозможно"), str(exc))
        return False
    except Exception as exc:
        show_error(parent, exc, context)
        return False
    return True


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def invalid_index() -> QModelIndex:
    return QModelIndex()


class RowsModel(QAbstractTableModel):
    """A table over a list of plain rows (dataclasses or dicts with an ``id``) with fixed,
    translated column headers; subclasses give ``HEADERS`` and ``data``."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def _replace(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: QModelIndex | QPersistentModelIndex) -> Any | None:
        """The row behind a valid index, or None."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.rows[index.row()]

    def row_of(self, record_id: int | None) -> int | None:
        for row, item in enumerate(self.rows):
            if (item["id"] if isinstance(item, dict) else item.id) == record_id:
                return row
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return tr(self.HEADERS[section])
        return None
