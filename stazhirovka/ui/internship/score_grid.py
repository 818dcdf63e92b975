"""The score grid of one assessment: indicators under their competencies, scores typed from
the keyboard, each competency's share of the maximum and level recomputed as the scores
change — by the rules of ``competency_results`` (``results_of_scores``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ...formats import number
from ...services import labels
from ...services.diagnostics import (
    CompetencyResult,
    Sheet,
    SheetIndicator,
    results_of_scores,
)
from .common import GROUP_BACKGROUND, LEVEL_COLOURS, MUTED, RED, tr

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
EDITED_BACKGROUND = QColor("#fff1c9")  # a score typed but not saved yet


def percent_text(value: float | None) -> str:
    return "" if value is None else f"{number(round(value, 1))} %"


@dataclass(frozen=True)
class GridRow:
    competency_id: int
    competency: str
    indicator: SheetIndicator | None  # None: the competency's header row


class ScoreGridModel(QAbstractTableModel):
    """The indicators of one instrument under their competencies; column 1 holds the score
    (editable on indicator rows). ``edited`` fires on every change of a score."""

    HEADERS = ("Показатель", "Балл", "Расшифровка", "Доля, %", "Уровень")
    SCORE = 1

    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sheet: Sheet | None = None
        self.assessment_id: int | None = None
        self.read_only = False  # a role that may not enter scores (ui/roles.py)
        self.grid: list[GridRow] = []
        self.saved: dict[int, float] = {}
        self.values: dict[int, float | None] = {}
        self.results: dict[int, CompetencyResult] = {}
        self._group_row: dict[int, int] = {}
        self._indicator_row: dict[int, int] = {}

    def load(
        self,
        assessment_id: int | None,
        sheet: Sheet | None,
        saved: dict[int, float],
        edits: dict[int, float | None] | None = None,
    ) -> None:
        self.beginResetModel()
        self.assessment_id = assessment_id
        self.sheet = sheet
        self.saved = dict(saved)
        self.values = {**saved, **(edits or {})}
        self.grid = []
        self._group_row, self._indicator_row = {}, {}
        for indicator in sheet.indicators if sheet else ():
            if indicator.competency_id not in self._group_row:
                self._group_row[indicator.competency_id] = len(self.grid)
                self.grid.append(GridRow(indicator.competency_id, indicator.competency, None))
            self._indicator_row[indicator.id] = len(self.grid)
            self.grid.append(GridRow(indicator.competency_id, indicator.competency, indicator))
        self._compute()
        self.endResetModel()

    # -- state -------------------------------------------------------------------------------

    def indicator_ids(self) -> list[int]:
        return [i.id for i in self.sheet.indicators] if self.sheet else []

    def edits(self) -> dict[int, float | None]:
        return {
            i: self.values.get(i)
            for i in self.indicator_ids()
            if self.values.get(i) != self.saved.get(i)
        }

    def is_dirty(self) -> bool:
        return bool(self.edits())

    def scores_to_save(self) -> dict[int, float | None]:
        """Every indicator with its value (None clears a saved score) — for ``set_scores``."""
        return {i: self.values.get(i) for i in self.indicator_ids()}

    def revert(self) -> None:
        if self.is_dirty():
            self.load(self.assessment_id, self.sheet, self.saved)
            self.edited.emit()

    def scored(self) -> int:
        return sum(1 for i in self.indicator_ids() if self.values.get(i) is not None)

    def _compute(self) -> None:
        self.results = (
            {r.competency_id: r for r in results_of_scores(self.sheet, self.values)}
            if self.sheet
            else {}
        )

    def is_score_cell(self, index: Index) -> bool:
        return (
            index.isValid()
            and index.column() == self.SCORE
            and 0 <= index.row() < len(self.grid)
            and self.grid[index.row()].indicator is not None
        )

    def next_indicator_row(self, row: int, step: int) -> int | None:
        row += step
        while 0 <= row < len(self.grid):
            if self.grid[row].indicator is not None:
                return row
            row += step
        return None

    def row_of_indicator(self, indicator_id: int) -> int | None:
        return self._indicator_row.get(indicator_id)

    # -- model -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.grid)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return tr(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_score_cell(index) and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def scale_label(self, value: float | None) -> str:
        if value is None or self.sheet is None:
            return ""
        position = round(value) - self.sheet.scale_min
        if value == round(value) and 0 <= position < len(self.sheet.scale_labels):
            return self.sheet.scale_labels[position]
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.grid) or self.sheet is None:
            return None
        row = self.grid[index.row()]
        column = index.column()
        if row.indicator is None:
            return self._group_data(row, column, role)
        indicator = row.indicator
        value = self.values.get(indicator.id)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{indicator.position}. {indicator.text}"
            if column == 1:
                return number(value) if value is not None else "—"
            if column == 2:
                return self.scale_label(value)
            return ""
        if role == Qt.ItemDataRole.EditRole and column == 1:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                code = (
                    tr("Трудовая функция {code}. ").format(code=indicator.code)
                    if indicator.code
                    else ""
                )
                return code + indicator.text
            if column in (1, 2) and self.is_deficit(value):
                return tr("Профессиональный дефицит: балл не выше {n}").format(
                    n=self.sheet.deficit_max_score
                )
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return _CENTER
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 1 and value is None:
                return MUTED
            if column in (1, 2) and self.is_deficit(value):
                return RED
            if column == 2:
                return MUTED
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and column == 1
            and value != self.saved.get(indicator.id)
        ):
            return EDITED_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and column == 1 and value is not None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return indicator.id
        return None

    def is_deficit(self, value: float | None) -> bool:
        return (
            value is not None and self.sheet is not None and value <= self.sheet.deficit_max_score
        )

    def _group_data(self, row: GridRow, column: int, role: int) -> Any:
        result = self.results.get(row.competency_id)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.competency
            if result is None:
                return "—" if column in (1, 3) else ""
            if column == 1:
                return tr("{score} из {maximum}").format(
                    score=number(round(result.score, 1)), maximum=number(round(result.maximum, 1))
                )
            if column == 3:
                return percent_text(result.percent)
            if column == 4:
                return labels.LEVEL[result.level]
            return ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return GROUP_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 4 and result is not None:
                return LEVEL_COLOURS[result.level]
            if result is None and column in (1, 3):
                return MUTED
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 3):
            return _CENTER if column == 1 else _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return row.competency
        if role == Qt.ItemDataRole.UserRole:
            return None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_score_cell(index) or self.sheet is None:
            return False
        if self.read_only:
            return False
        if value is None or value == "":
            clean: float | None = None
        else:
            try:
                clean = float(str(value).replace(",", "."))
            except ValueError:
                return False
            if not self.sheet.scale_min <= clean <= self.sheet.scale_max:
                return False
        indicator = self.grid[index.row()].indicator
        assert indicator is not None
        if self.values.get(indicator.id) == clean:
            return True
        self.values[indicator.id] = clean
        self._compute()
        last = self.columnCount() - 1
        self.dataChanged.emit(self.index(index.row(), 1), self.index(index.row(), 2))
        group = self._group_row[indicator.competency_id]
        self.dataChanged.emit(self.index(group, 1), self.index(group, last))
        self.edited.emit()
        return True


class ScoreDelegate(QStyledItemDelegate):
    """A spin box within the instrument's scale; its lowest value «—» leaves no score."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        model = index.model()
        sheet = getattr(model, "sheet", None)
        spin = QSpinBox(parent)
        low, high = (sheet.scale_min, sheet.scale_max) if sheet else (0, 100)
        spin.setRange(low - 1, high)
        spin.setSpecialValueText("—")
        spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        spin.setFrame(False)
        return spin

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setValue(editor.minimum() if value is None else round(value))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        editor.interpretText()
        value = editor.value()
        model.setData(index, None if value == editor.minimum() else value)


class ScoreGrid(QTableView):
    """Keyboard entry: a digit within the scale sets the score and goes to the next indicator;
    Enter and Tab go down (Shift+Tab up), Delete clears; F2 or a double click opens a spin
    box (for scales beyond 9 points typing opens it too)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegateForColumn(ScoreGridModel.SCORE, ScoreDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def fit_columns(self) -> None:
        """The score, its wording, the share and the level as wide as their longest text;
        the indicator takes the rest."""
        model = self.grid_model()
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        sheet = model.sheet
        high = sheet.scale_max if sheet else 10
        samples: dict[int, list[str]] = {
            1: [tr("{score} из {maximum}").format(score=high * 10, maximum=high * 10)],
            2: list(sheet.scale_labels) if sheet else [],
            3: ["100 %"],
            4: list(labels.LEVEL.values()),
        }
        for column, texts in samples.items():
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(
                [header.fontMetrics().horizontalAdvance(title)]
                + [bold_metrics.horizontalAdvance(t) for t in texts]
                + [metrics.horizontalAdvance(t) for t in texts]
            )
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, min(width + 24, 300))

    def grid_model(self) -> ScoreGridModel:
        model = self.model()
        assert isinstance(model, ScoreGridModel)
        return model

    def go_to_row(self, row: int | None) -> bool:
        if row is None:
            return False
        index = self.grid_model().index(row, ScoreGridModel.SCORE)
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.scrollTo(index)
        return True

    def go_first(self) -> None:
        self.go_to_row(self.grid_model().next_indicator_row(-1, 1))

    def step(self, direction: int) -> None:
        current = self.currentIndex()
        row = current.row() if current.isValid() else -1
        self.go_to_row(self.grid_model().next_indicator_row(row, direction))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.grid_model()
        index = self.currentIndex()
        if self.state() != QAbstractItemView.State.EditingState and model.is_score_cell(index):
            key, text = event.key(), event.text()
            sheet = model.sheet
            if len(text) == 1 and text.isdigit() and sheet is not None and sheet.scale_max <= 9:
                value = int(text)
                if sheet.scale_min <= value <= sheet.scale_max:
                    model.setData(index, value)
                    self.step(1)
                else:
                    QApplication.beep()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) or text == "-":
                model.setData(index, None)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.step(1)
                return
        super().keyPressEvent(event)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        if action in (
            QAbstractItemView.CursorAction.MoveNext,
            QAbstractItemView.CursorAction.MovePrevious,
        ):
            model = self.grid_model()
            current = self.currentIndex()
            direction = 1 if action == QAbstractItemView.CursorAction.MoveNext else -1
            start = (
                current.row() if current.isValid() else (-1 if direction > 0 else model.rowCount())
            )
            row = model.next_indicator_row(start, direction)
            return model.index(row, ScoreGridModel.SCORE) if row is not None else QModelIndex()
        return super().moveCursor(action, modifiers)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        Hint = QAbstractItemDelegate.EndEditHint
        if hint in (Hint.EditNextItem, Hint.SubmitModelCache, Hint.EditPreviousItem):
            super().closeEditor(editor, Hint.NoHint)
            self.step(-1 if hint == Hint.EditPreviousItem else 1)
            return
        super().closeEditor(editor, hint)
