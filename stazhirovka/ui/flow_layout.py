"""A row of widgets that wraps onto more lines when the width runs out (the filter bar).

A plain QGridLayout refilled when the number of columns that fit changes: filters line up
in columns, which reads better than a ragged flow, and no QLayout methods are overridden
in Python (each override is a call back into the interpreter on every layout pass)."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QWidget


class WrapBox(QWidget):
    """Units placed left to right in as many equal columns as fit the width."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self.units: list[QWidget] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(spacing * 2)
        self.grid.setVerticalSpacing(spacing)
        self._columns = 0

    def add(self, unit: QWidget) -> None:
        unit.setParent(self)
        self.units.append(unit)
        self._columns = 0
        self._arrange(self.width() or 1200)

    def columns_for(self, width: int) -> int:
        visible = [u for u in self.units if not u.isHidden()] or self.units
        if not visible:
            return 1
        widest = max(u.sizeHint().width() for u in visible)
        spacing = self.grid.horizontalSpacing()
        return max(1, min(len(visible), (width + spacing) // (widest + spacing)))

    def _arrange(self, width: int) -> None:
        columns = self.columns_for(width)
        if columns == self._columns:
            return
        self._columns = columns
        for unit in self.units:
            self.grid.removeWidget(unit)
        for i, unit in enumerate(self.units):
            self.grid.addWidget(unit, i // columns, i % columns)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
        self.grid.setColumnStretch(columns, 1)  # spare width goes to the right

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(event.size().width())
        super().resizeEvent(event)


def keep_together(*widgets: QWidget) -> QWidget:
    """A label and its editor as one unit, so a line break never separates them."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return box
