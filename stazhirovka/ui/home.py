"""The home page: what needs attention today, and the year's internships by month."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..db import Database
from ..errors import UserError
from ..formats import MONTHS_SHORT, long_date
from ..services.dashboard import AttentionGroup, YearChart, attention, year_chart
from .charts import BarChart
from .tasks import TaskRunner

log = logging.getLogger(__name__)

ENROLLED_COLOR = QColor("#4c78a8")
COMPLETED_COLOR = QColor("#6aa870")
# Badge colours (background, text): the overdue group is the one to act on first.
_BADGE_URGENT = ("#f9e1df", "#9b2c23")
_BADGE_ATTENTION = ("#fbeccb", "#7a5300")
_BADGE_NONE = ("#e6efe7", "#3d6b45")
_URGENT_GROUPS = frozenset({"overdue_steps"})
_NARROW = 980  # below this width the chart goes under the groups

_CARD_STYLE = """
QFrame#homeCard {
    background: palette(base);
    border: 1px solid palette(midlight);
    border-radius: 6px;
}
"""


def _link(widget: QWidget) -> str:
    """The palette's link colour, a quarter of the way to the text colour: calmer than
    Qt's pure blue, still a link in a dark palette."""
    link = widget.palette().color(QPalette.ColorRole.Link)
    fg = widget.palette().color(widget.foregroundRole())
    mix = QColor(
        (link.red() * 3 + fg.red()) // 4,
        (link.green() * 3 + fg.green()) // 4,
        (link.blue() * 3 + fg.blue()) // 4,
    )
    return mix.name()


def _muted(widget: QWidget) -> str:
    """The colour of secondary text in the widget's palette, as #rrggbb."""
    fg = widget.palette().color(widget.foregroundRole())
    bg = widget.palette().color(widget.backgroundRole())
    mix = QColor(
        (fg.red() * 3 + bg.red() * 2) // 5,
        (fg.green() * 3 + bg.green() * 2) // 5,
        (fg.blue() * 3 + bg.blue() * 2) // 5,
    )
    return mix.name()


class GroupCard(QFrame):
    """One attention group: its title with the count, the first items, «Показать все»."""

    open_record = Signal(str, int)
    open_registry = Signal(str, dict)

    def __init__(self, group: AttentionGroup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.setObjectName("homeCard")
        self.setStyleSheet(_CARD_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)

        header = QHBoxLayout()
        header.setSpacing(8)
        self.title = QLabel(group.title)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        header.addWidget(self.title, 1)
        self.badge = QLabel(str(group.count))
        self.badge.setObjectName("countBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if group.count == 0:
            background, color = _BADGE_NONE
        elif group.key in _URGENT_GROUPS:
            background, color = _BADGE_URGENT
        else:
            background, color = _BADGE_ATTENTION
        self.badge.setStyleSheet(
            f"QLabel#countBadge {{ background: {background}; color: {color}; "
            "border-radius: 9px; padding: 1px 9px; font-weight: bold; }"
        )
        self.badge.setAccessibleName(self.tr("Количество: {0}").format(group.count))
        header.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        muted, link_color = _muted(self), _link(self)
        link_style = f"color: {link_color}; text-decoration: none;"
        self.item_labels: list[QLabel] = []
        self.more_label: QLabel | None = None
        if group.count == 0:
            none = QLabel(self.tr("Нет"))
            none.setStyleSheet(f"color: {muted};")
            layout.addWidget(none)
            return

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(0, 1)
        for row, item in enumerate(group.items):
            link = QLabel(
                f'<a href="{item.registry}:{item.record_id}" style="{link_style}">'
                f"{html.escape(item.title)}</a>"
            )
            link.setObjectName("attentionItem")
            link.setProperty("record_id", item.record_id)
            link.setWordWrap(True)
            link.setTextFormat(Qt.TextFormat.RichText)
            link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            link.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            link.setToolTip(self.tr("Открыть"))
            link.linkActivated.connect(self._open)
            detail = QLabel(item.detail)
            detail.setStyleSheet(f"color: {muted};")
            detail.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(link, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(detail, row, 1, Qt.AlignmentFlag.AlignTop)
            self.item_labels.append(link)
        layout.addLayout(grid)

        self.more_label = QLabel(
            f'<a href="all" style="{link_style}">'
            f"{html.escape(self.tr('Показать все ({0})').format(group.count))}</a>"
        )
        self.more_label.setObjectName("showAll")
        self.more_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.more_label.linkActivated.connect(self._open_all)
        layout.addWidget(self.more_label)

    def _open(self, href: str) -> None:
        registry, _, record_id = href.partition(":")
        self.open_record.emit(registry, int(record_id))

    def _open_all(self, _href: str = "") -> None:
        self.open_registry.emit(self.group.registry, dict(self.group.filters))


class HomePage(QWidget):
    """«Что требует внимания»: the attention groups and the year's chart, in a scroll area."""

    open_record = Signal(str, int)  # registry name, record id
    open_registry = Signal(str, dict)  # registry name, filters

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        limit: int = 8,
        today: Callable[[], date] = date.today,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        # With a runner (the window) the queries run in a worker: at region scale they take
        # a few hundred milliseconds, which the event loop must not wait for.
        self.runner = runner
        self._loading = False
        self._again = False
        self.limit = limit
        self._today = today
        self.cards: dict[str, GroupCard] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(self.scroll)

        content = QWidget()
        content.setObjectName("homeContent")
        self.scroll.setWidget(content)
        page = QVBoxLayout(content)
        page.setContentsMargins(24, 18, 24, 24)
        page.setSpacing(14)

        header = QHBoxLayout()
        self.title = QLabel(self.tr("Что требует внимания"))
        font = QFont(self.title.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        header.addWidget(self.title)
        header.addStretch(1)
        self.date_label = QLabel()
        self.date_label.setStyleSheet(f"color: {_muted(self)};")
        header.addWidget(self.date_label, 0, Qt.AlignmentFlag.AlignBottom)
        page.addLayout(header)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(
            "background: #f9e1df; color: #9b2c23; border-radius: 4px; padding: 6px 10px;"
        )
        self.error_label.hide()
        page.addWidget(self.error_label)

        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(16)
        self.groups_layout = QVBoxLayout()
        self.groups_layout.setSpacing(10)
        self.body.addLayout(self.groups_layout, 3)

        self.chart_card = QFrame()
        self.chart_card.setObjectName("homeCard")
        self.chart_card.setStyleSheet(_CARD_STYLE)
        chart_layout = QVBoxLayout(self.chart_card)
        chart_layout.setContentsMargins(14, 10, 14, 12)
        self.chart_title = QLabel()
        bold = QFont(self.chart_title.font())
        bold.setBold(True)
        self.chart_title.setFont(bold)
        chart_layout.addWidget(self.chart_title)
        self.chart = BarChart()
        self.chart.setMinimumHeight(260)
        chart_layout.addWidget(self.chart)
        chart_column = QVBoxLayout()
        chart_column.addWidget(self.chart_card)
        chart_column.addStretch(1)
        self.body.addLayout(chart_column, 2)
        page.addLayout(self.body)
        page.addStretch(1)

        self.refresh()

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the groups and the chart (a handful of counting queries)."""
        today = self._today()
        self.date_label.setText(long_date(today, quoted=False))
        self.chart_title.setText(self.tr("Стажировки в {0} году").format(today.year))
        if self.runner is None:
            try:
                self._show(self._load(today))
            except Exception as exc:
                self._failed(exc)
            return
        if self._loading:
            self._again = True  # one more read once the current one is back
            return
        self._loading = True
        self.runner.run(
            lambda _progress: self._load(today),
            on_done=self._loaded,
            on_error=self._load_failed,
            show_dialog=False,
            essential=False,
        )

    def _load(self, today: date) -> tuple[list[AttentionGroup], YearChart]:
        with self.db.session() as session:
            return attention(session, today, self.limit), year_chart(session, today.year)

    def _loaded(self, result: tuple[list[AttentionGroup], YearChart]) -> None:
        self._loading = False
        self._show(result)
        self._next()

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._failed(exc)
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            log.error("The home page could not be loaded", exc_info=exc)
            self._show_error(self.tr("Не удалось загрузить сводку: {0}").format(exc))
            return
        if isinstance(exc, SQLAlchemyError):
            log.error("The home page could not be loaded", exc_info=exc)
            self._show_error(
                self.tr(
                    "Не удалось загрузить сводку: база данных не ответила. "
                    "Подробности записаны в журнал программы."
                )
            )
            return
        raise exc

    def _show(self, result: tuple[list[AttentionGroup], YearChart]) -> None:
        groups, chart = result
        self.error_label.hide()
        self.setUpdatesEnabled(False)
        try:
            self._show_groups(groups)
            self._show_chart(chart)
        finally:
            self.setUpdatesEnabled(True)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self._show_groups([])
        self.chart.set_data([], [])

    def _show_groups(self, groups: list[AttentionGroup]) -> None:
        for card in self.cards.values():
            self.groups_layout.removeWidget(card)
            card.deleteLater()
        self.cards = {}
        for group in groups:
            card = GroupCard(group)
            card.open_record.connect(self.open_record)
            card.open_registry.connect(self.open_registry)
            self.groups_layout.addWidget(card)
            self.cards[group.key] = card

    def _show_chart(self, chart: YearChart) -> None:
        self.chart.set_data(
            list(MONTHS_SHORT),
            [
                (self.tr("Зачислено"), [float(v) for v in chart.enrolled], ENROLLED_COLOR),
                (self.tr("Завершено"), [float(v) for v in chart.completed], COMPLETED_COLOR),
            ],
        )

    # -- layout ----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        direction = (
            QBoxLayout.Direction.TopToBottom
            if event.size().width() < _NARROW
            else QBoxLayout.Direction.LeftToRight
        )
        if self.body.direction() != direction:
            self.body.setDirection(direction)
        super().resizeEvent(event)
