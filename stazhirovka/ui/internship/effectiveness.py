"""The effectiveness tab: per competency the entry and exit share of the maximum and level,
the growth in percentage points and its wording, a chart of the two, a summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...formats import number, plural
from ...models import Stage
from ...services import labels
from ...services.diagnostics import Growth, growth_wording
from ..charts import BarChart
from .common import GREEN, LEVEL_COLOURS, MUTED, RED, RecordTable, RowsModel, hint_label, tr
from .data import CardData
from .score_grid import percent_text

if TYPE_CHECKING:
    from ..internship_card import InternshipCardWindow

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ENTRY_COLOUR = QColor("#9fb4cc")
EXIT_COLOUR = QColor("#1f5fa8")


def delta_text(delta: float | None) -> str:
    if delta is None:
        return ""
    sign = "+" if delta > 0 else ("−" if delta < 0 else "")
    return f"{sign}{number(abs(round(delta, 1)))} п. п."


class GrowthModel(RowsModel):
    HEADERS = (
        "Компетенция",
        "Входная",
        "Уровень",
        "Итоговая",
        "Уровень",
        "Прирост",
        "Динамика",
    )

    def set_rows(self, rows: list[Growth]) -> None:
        self._replace(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        g = self.row_at(index)
        if g is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return g.competency
            if column == 1:
                return percent_text(g.entry_percent) or "—"
            if column == 2:
                return labels.LEVEL.get(g.entry_level or "", "")
            if column == 3:
                return percent_text(g.exit_percent) or "—"
            if column == 4:
                return labels.LEVEL.get(g.exit_level or "", "")
            if column == 5:
                return delta_text(g.delta)
            if column == 6:
                return growth_wording(g.delta) if g.delta is not None else ""
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return g.competency
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 3, 5):
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 2 and g.entry_level:
                return LEVEL_COLOURS[g.entry_level]
            if column == 4 and g.exit_level:
                return LEVEL_COLOURS[g.exit_level]
            if column in (5, 6) and g.delta is not None:
                return GREEN if g.delta >= 5 else (RED if g.delta <= -5 else MUTED)
            if column in (1, 3) and (g.entry_percent if column == 1 else g.exit_percent) is None:
                return MUTED
        if role == Qt.ItemDataRole.FontRole and column == 5 and g.delta is not None:
            font = QFont()
            font.setBold(True)
            return font
        return None


def summary_text(rows: list[Growth]) -> str:
    both = [g for g in rows if g.delta is not None]
    if not both:
        return ""
    entry = round(sum(g.entry_percent or 0 for g in both) / len(both), 1)
    exit_ = round(sum(g.exit_percent or 0 for g in both) / len(both), 1)
    delta = round(exit_ - entry, 1)
    grew = sum(1 for g in both if (g.delta or 0) >= 5)
    high = sum(1 for g in both if g.exit_level == "high")
    n = len(both)
    return tr(
        "В среднем по компетенциям: {entry} → {exit} ({delta}) — {wording}. "
        "Рост по {grew} из {n} {word}; высокий уровень по итоговой диагностике — {high}."
    ).format(
        entry=percent_text(entry),
        exit=percent_text(exit_),
        delta=delta_text(delta),
        wording=growth_wording(delta),
        grew=grew,
        n=n,
        word=plural(n, "компетенции", "компетенций", "компетенций"),
        high=high,
    )


class EffectivenessTab(QWidget):
    def __init__(self, card: InternshipCardWindow) -> None:
        super().__init__(card)
        self.card = card
        self.hint = hint_label(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.model = GrowthModel(self)
        self.table = RecordTable(self)
        self.table.setModel(self.model)
        self.table.fit_columns(stretch=[0])
        self.chart = BarChart(self)
        self.chart.setMinimumHeight(220)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(self.chart, 1)
        layout.addStretch(0)  # takes the height only while there is no chart

    def _fit_table_height(self) -> None:
        rows = self.model.rowCount()
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + self.table.verticalHeader().defaultSectionSize() * rows
            + 2 * self.table.frameWidth()
            + 2
        )
        self.table.setFixedHeight(min(height, 320))

    def set_data(self, data: CardData) -> None:
        rows = data.growth
        self.model.set_rows(rows)
        missing = []
        if not data.has_stage(Stage.ENTRY):
            missing.append(tr("входной"))
        if not data.has_stage(Stage.EXIT):
            missing.append(tr("итоговой"))
        if missing:
            self.hint.setText(
                tr(
                    "Нет {what} диагностики. Эффективность стажировки видна, когда есть обе — "
                    "входная и итоговая; их проводят на вкладке «Диагностика»."
                ).format(what=tr(" и ").join(missing))
            )
        self.hint.setVisible(bool(missing))
        text = summary_text(rows)
        self.summary.setText(text)
        self.summary.setVisible(bool(text))
        self.table.setVisible(bool(rows))
        self.chart.setVisible(bool(rows))
        self._fit_table_height()
        series = []
        if any(g.entry_percent is not None for g in rows):
            series.append((tr("Входная"), [g.entry_percent or 0.0 for g in rows], ENTRY_COLOUR))
        if any(g.exit_percent is not None for g in rows):
            series.append((tr("Итоговая"), [g.exit_percent or 0.0 for g in rows], EXIT_COLOUR))
        self.chart.set_data([g.competency for g in rows], series, value_suffix="%", max_value=100)
