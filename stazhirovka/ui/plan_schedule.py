"""The plan-schedule page: a year's events by month, planned against held, with the
participants of each and the year's summary; filters by platform and level."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from ..formats import MONTHS_NOMINATIVE, plural
from ..models import EventLevel, Organization, Platform
from ..services.plan import PlanMonth, PlanSchedule, PlanSummary, plan_schedule, plan_years
from .child_table import HEADER, ChildColumn, RowsModel, make_table, muted_color, title_font
from .errors import report, show_error
from .event_card import dates_text
from .main_window import MainWindow

log = logging.getLogger(__name__)

HELD_COLOR = QColor("#2e6b36")
MISSED_COLOR = QColor("#b3261e")
OUTSIDE_COLOR = QColor("#6b5a2e")


def _group(n: int) -> str:
    """1 236 — thousands apart by a non-breaking space."""
    return f"{n:,}".replace(",", "\u00a0")


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("PlanSchedulePage", text)


def _mark(row: dict[str, Any]) -> str:
    if row["in_plan"]:
        if row["held"]:
            return _tr("проведено")
        return _tr("не проведено") if row["starts_on"] < row["today"] else _tr("запланировано")
    return _tr("вне плана, проведено") if row["held"] else _tr("вне плана")


def _mark_color(row: dict[str, Any]) -> QColor | None:
    if row["held"]:
        return HELD_COLOR
    if row["in_plan"] and row["starts_on"] < row["today"]:
        return MISSED_COLOR
    return None if row["in_plan"] else OUTSIDE_COLOR


def _place(row: dict[str, Any]) -> str:
    place = row["venue"] or row["platform"]
    if row["online"]:
        return f"{place} ({_tr('дистанционно')})" if place else _tr("дистанционно")
    return place


def _people(row: dict[str, Any]) -> str:
    if not row["registered"]:
        return "—"
    return f"{row['attended']} / {row['registered']}"


PLAN_COLUMNS = (
    ChildColumn("dates", "Даты", width=14, text=lambda r: dates_text(r["starts_on"], r["ends_on"])),
    ChildColumn("title", "Мероприятие", width=40, stretch=True),
    ChildColumn("form", "Форма", width=16),
    ChildColumn("level", "Уровень", width=15),
    ChildColumn("place", "Площадка / место", width=18, text=_place),
    ChildColumn("responsible", "Ответственный", width=15),
    ChildColumn("mark", "Отметка", width=13, text=_mark, color=_mark_color),
    ChildColumn("people", "Участники", width=9, text=_people, align="right"),
)


def _column(key: str) -> int:
    return [c.key for c in PLAN_COLUMNS].index(key)


def month_title(month: PlanMonth, year: int) -> str:
    name = _tr(MONTHS_NOMINATIVE[month.month - 1].capitalize())
    if month.year != year:
        name += f" {month.year}"
    n = len(month.events)
    text = f"{name} — {n} " + _tr(plural(n, "мероприятие", "мероприятия", "мероприятий"))
    if month.held:
        text += ", " + _tr("проведено {n}").format(n=month.held)
    return text


def summary_text(summary: PlanSummary) -> str:
    """«Запланировано 48, проведено 41 (85 %), участников 1 236»."""
    parts = [_tr("Запланировано {n}").format(n=_group(summary.planned))]
    held = _tr("проведено {n}").format(n=_group(summary.held))
    if summary.percent is not None:
        held += f" ({summary.percent}\u00a0%)"
    parts.append(held)
    if summary.unplanned:
        parts.append(_tr("вне плана {n}").format(n=_group(summary.unplanned)))
    parts.append(_tr("участников {n}").format(n=_group(summary.participants)))
    return ", ".join(parts)


class PlanSchedulePage(QWidget):
    """The page of the navigation item «План-график»."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main = window
        self.db = window.ctx.db
        self.plan: PlanSchedule | None = None
        self._stale = False
        self._header_rows: list[int] = []
        self._build()
        self._load_choices()
        self.refresh()
        window.record_saved.connect(self._record_saved)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr("План-график"), self)
        title.setFont(title_font(self, 1.4))
        self.year = QComboBox(self)
        self.year.setMinimumWidth(90)
        self.year.setToolTip(self.tr("Год плана-графика"))
        self.platform = QComboBox(self)
        self.platform.setMinimumWidth(200)
        self.platform.setMaximumWidth(320)
        self.level = QComboBox(self)
        self.level.setMinimumWidth(150)
        for box in (self.year, self.platform, self.level):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_button = QPushButton(self.tr("Добавить мероприятие…"), self)
        self.add_button.setToolTip(
            self.tr("Новое мероприятие в план-график выбранного года (Insert)")
        )
        self.add_button.clicked.connect(self.add_event)
        from .entities import KINDS
        from .roles import may_change

        self.editable = may_change(self.db.principal, KINDS["events"])
        self.add_button.setVisible(self.editable)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel(self.tr("Год:"), self))
        top.addWidget(self.year)
        top.addSpacing(8)
        top.addWidget(QLabel(self.tr("Площадка:"), self))
        top.addWidget(self.platform)
        top.addSpacing(8)
        top.addWidget(QLabel(self.tr("Уровень:"), self))
        top.addWidget(self.level)
        top.addStretch(1)
        top.addWidget(self.add_button)
        self.print_button = QPushButton(self.tr("Печать…"), self)
        self.print_button.setToolTip(
            self.tr("План-график выбранного года (и площадки) в PDF с предпросмотром (Ctrl+P)")
        )
        self.print_button.clicked.connect(self.print_current)
        from .printing import kinds_for

        self.print_button.setVisible(bool(kinds_for("plan")))  # once the document exists
        top.addWidget(self.print_button)

        self.summary = QLabel(self)
        self.summary.setFont(title_font(self, 1.1))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel(self)
        self.note.setStyleSheet(f"color: {muted_color(self)};")
        self.note.setWordWrap(True)

        self.model = RowsModel(PLAN_COLUMNS, self)
        self.model.editable = False
        self.table = make_table(self.model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Two lines a row: long titles, forms and venues wrap instead of being cut.
        self.table.setWordWrap(True)
        line = self.table.fontMetrics().lineSpacing()
        self._header_height = line + 10
        self.table.verticalHeader().setDefaultSectionSize(2 * line + 10)
        self.table.doubleClicked.connect(self._open_index)
        open_action = QAction(self.table)
        open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_action.triggered.connect(self.open_current)
        self.table.addAction(open_action)
        add_action = QAction(self)
        add_action.setShortcut(QKeySequence(Qt.Key.Key_Insert))
        add_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        add_action.triggered.connect(self.add_event)
        self.addAction(add_action)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {muted_color(self)};")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.status = QLabel(self)
        self.status.setStyleSheet("color: #b3261e;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)

    def _load_choices(self) -> None:
        """The years, platforms and levels to choose from (the choices made are kept)."""
        year, platform, level = self.year_value(), self.platform_id(), self.level_id()
        today = date.today()
        with self.db.session() as session:
            years = plan_years(session, today)
            platforms = session.execute(
                select(Platform.id, Organization.short_name)
                .join(Organization, Organization.id == Platform.organization_id)
                .order_by(Organization.search_key, Platform.id)
            ).all()
            levels = session.execute(
                select(EventLevel.id, EventLevel.name).order_by(EventLevel.rank)
            ).all()
        for box in (self.year, self.platform, self.level):
            box.blockSignals(True)
            box.clear()
        for y in years:
            self.year.addItem(str(y), y)
        self.platform.addItem(self.tr("все площадки"), None)
        for platform_id, name in platforms:
            self.platform.addItem(name, int(platform_id))
        self.level.addItem(self.tr("все уровни"), None)
        for level_id, name in levels:
            self.level.addItem(name, int(level_id))
        self.year.setCurrentIndex(max(self.year.findData(year or today.year), 0))
        self.platform.setCurrentIndex(max(self.platform.findData(platform), 0))
        self.level.setCurrentIndex(max(self.level.findData(level), 0))
        for box in (self.year, self.platform, self.level):
            box.blockSignals(False)
        # Levels are single words: their column fits the longest one exactly.
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(name) for _i, name in levels), default=60)
        self.table.setColumnWidth(_column("level"), widest + 16)

    # -- values ------------------------------------------------------------------------------

    def year_value(self) -> int | None:
        value = self.year.currentData()
        return int(value) if value is not None else None

    def platform_id(self) -> int | None:
        return self.platform.currentData()

    def level_id(self) -> int | None:
        return self.level.currentData()

    def set_year(self, year: int) -> None:
        index = self.year.findData(year)
        if index < 0:
            self.year.addItem(str(year), year)
            index = self.year.count() - 1
        self.year.setCurrentIndex(index)

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the chosen year's plan-schedule anew, keeping the selected event."""
        self._stale = False
        year = self.year_value() or date.today().year
        try:
            with self.db.session() as session:
                plan = plan_schedule(
                    session, year, platform_id=self.platform_id(), level_id=self.level_id()
                )
        except Exception as exc:
            self.status.setText(report(exc, "plan-schedule"))
            return
        self.status.clear()
        self.plan = plan
        selected = self.current_id()
        today = date.today()
        rows: list[dict[str, Any]] = []
        for month in plan.months:
            rows.append({HEADER: month_title(month, year)})
            for e in month.events:
                rows.append({**vars(e), "today": today})
        scroll = self.table.verticalScrollBar().value()
        self.model.set_rows(rows)
        # The view keeps per-row heights across resets: undo the last year's month rows.
        default = self.table.verticalHeader().defaultSectionSize()
        for number in self._header_rows:
            if number < len(rows):
                self.table.setRowHeight(number, default)
        self._header_rows = [n for n, values in enumerate(rows) if HEADER in values]
        for number in self._header_rows:
            self.table.setRowHeight(number, self._header_height)
        self.table.verticalScrollBar().setValue(scroll)
        if selected is not None:
            row = self.model.row_of(selected)
            if row is not None:
                self.table.selectRow(row)
        self.summary.setText(summary_text(plan.summary))
        filtered = self.platform_id() is not None or self.level_id() is not None
        self.note.setText(
            self.tr(
                "В плане-графике {year} года — мероприятия, запланированные на этот год, и "
                "проведённые в этом году вне плана. Участники — присутствовали / записаны."
            ).format(year=year)
            + (" " + self.tr("Показаны только выбранные площадка и уровень.") if filtered else "")
        )
        if rows:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty.setText(
                self.tr("Мероприятий не найдено.")
                if filtered
                else self.tr(
                    "В плане-графике на {year} год мероприятий пока нет.\n"
                    "Добавьте первое: «Добавить мероприятие…»."
                ).format(year=year)
            )
            self.stack.setCurrentWidget(self.empty)

    def _record_saved(self, registry: str, _record_id: int) -> None:
        if registry not in ("events", "participants"):
            return
        if self.isVisible():
            self._load_choices()
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._load_choices()
            self.refresh()

    # -- actions -----------------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row_id(index.row()) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> None:
        record_id = self.model.row_id(index.row())
        if record_id is not None:
            self.main.open_record("events", record_id)

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._open_index(index)

    def create(self) -> None:
        """«Создать» of the window (Ctrl+N) where the window asks pages for it."""
        self.add_event()

    def print_current(self) -> None:
        """The plan-schedule of the shown year: the district's, or the chosen platform's."""
        from .printing import kinds_for, print_records

        if not kinds_for("plan"):
            self.status.setText(self.tr("Печать плана-графика пока недоступна."))
            return
        year = self.year_value() or date.today().year
        print_records(self, self.main.ctx, "plan", [self.platform_id() or 0], year=year)

    def add_event(self) -> None:
        if not self.editable:
            return
        year = self.year_value() or date.today().year
        defaults: dict[str, Any] = {"plan_year": year}
        if self.platform_id() is not None:
            defaults["platform_id"] = self.platform_id()
        if self.level_id() is not None:
            defaults["level_id"] = self.level_id()
        try:
            self.main.create_record("events", defaults)
        except Exception as exc:
            show_error(self, exc, "plan add event")
