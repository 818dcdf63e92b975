"""The growth journal tab: dated entries of the internship, each may name the route step it
fulfils (saving such an entry marks the step done)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...formats import number, plural, short_date
from ...models import StepStatus
from ...services import labels
from ...services.internships import JournalService
from ..entities import kind_of
from .common import MUTED, RecordTable, RowsModel, button, confirm, hint_label, run_change, tr
from .data import CardData

if TYPE_CHECKING:
    from ..internship_card import InternshipCardWindow

Index = QModelIndex | QPersistentModelIndex


class JournalModel(RowsModel):
    """Journal rows as ``internship_card`` reads them; the entry id is under ``Qt.UserRole``."""

    HEADERS = (
        "Дата",
        "Вид деятельности",
        "Тема",
        "Часы",
        "Результат / продукт",
        "Рефлексия стажёра",
        "Комментарий наставника",
        "Шаг",
    )
    KEYS = (
        "entry_date",
        "activity",
        "topic",
        "hours",
        "result",
        "reflection",
        "mentor_comment",
        "route_step_id",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.step_labels: dict[int, tuple[str, str]] = {}  # id → («№ 3», «№ 3. Title»)

    def set_rows(self, rows: list[dict[str, Any]], step_labels: dict[int, tuple[str, str]]) -> None:
        self.step_labels = dict(step_labels)
        self._replace(rows)

    def _text(self, entry: dict[str, Any], column: int, full: bool = False) -> str:
        key = self.KEYS[column]
        value = entry.get(key)
        if key == "entry_date":
            return short_date(value)
        if key == "hours":
            return number(value) if value else ""
        if key == "route_step_id":
            if not value:
                return ""
            short, long = self.step_labels.get(value, ("№ ?", ""))
            return long if full else short
        return str(value or "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.row_at(index)
        if entry is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(self._text(entry, column).split())  # one line in the table
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._text(entry, column, full=True)
            return text if len(text) > 25 or "\n" in text else None
        if role == Qt.ItemDataRole.UserRole:
            return entry["id"]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 7:
            return MUTED
        return None


class JournalTab(QWidget):
    def __init__(self, card: InternshipCardWindow) -> None:
        super().__init__(card)
        self.card = card
        self.model = JournalModel(self)
        self.table = RecordTable(self)
        self.table.setModel(self.model)
        self.table.fit_columns(stretch=[2, 4, 5, 6])
        self.table.open_requested.connect(self.edit_entry)
        self.table.delete_requested.connect(self.delete_entry)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.add_button = button(
            self,
            tr("Добавить запись…"),
            self.add_entry,
            tr("Новая запись журнала; запись о шаге маршрута отмечает шаг выполненным"),
        )
        self.edit_button = button(
            self, tr("Изменить…"), self.edit_entry, tr("Открыть запись (Enter)")
        )
        self.delete_button = button(
            self, tr("Удалить"), self.delete_entry, tr("Удалить запись (Delete)")
        )
        self.total_label = QLabel(self)
        self.total_label.setStyleSheet("font-weight: bold;")
        self.empty = hint_label(
            self,
            tr(
                "В журнале пока нет записей. Записывайте занятия, посещённые уроки, "
                "консультации — с часами и результатом; запись о шаге маршрута отмечает его "
                "выполненным."
            ),
        )
        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.total_label)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

    @property
    def data(self) -> CardData:
        return self.card.data

    def set_data(self, data: CardData, select_entry: int | None = None) -> None:
        keep = select_entry if select_entry is not None else self.current_entry_id()
        step_labels = {s.id: (f"№ {s.position}", f"№ {s.position}. {s.title}") for s in data.steps}
        self.model.set_rows(data.journal, step_labels)
        n = len(data.journal)
        hours = data.journal_hours
        self.total_label.setText(
            tr("Всего: {n} {word}, {hours} {hword}").format(
                n=n,
                word=plural(n, "запись", "записи", "записей"),
                hours=number(round(hours, 1)),
                hword=plural(int(hours), "час", "часа", "часов")
                if float(hours).is_integer()
                else "часа",
            )
        )
        self.empty.setVisible(n == 0)
        row = self.model.row_of(keep)
        if row is not None:
            self.table.select_row(row)
        elif n and keep is None:
            self.table.scrollToBottom()
        self._update_buttons()

    def current_entry_id(self) -> int | None:
        row = self.table.current_row()
        if row is None or row >= len(self.model.rows):
            return None
        return int(self.model.rows[row]["id"])

    def _update_buttons(self) -> None:
        has = self.current_entry_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def step_choices(self, current: int | None = None) -> list[tuple[int, str]]:
        """This route's steps that are not dropped (and the entry's own step, if dropped)."""
        return [
            (s.id, f"№ {s.position}. {s.title}")
            for s in self.data.steps
            if s.status != StepStatus.DROPPED or s.id == current
        ]

    def activity_choices(self, current: str = "") -> list[tuple[str, str]]:
        names = list(labels.JOURNAL_ACTIVITIES)
        if current and current not in names:
            names.append(current)
        return [(n, n) for n in names]

    def add_entry(self) -> None:
        self._open(None, None, "")

    def edit_entry(self) -> None:
        entry_id = self.current_entry_id()
        if entry_id is None:
            return
        entry = self.model.rows[self.model.row_of(entry_id) or 0]
        self._open(entry_id, entry.get("route_step_id"), entry.get("activity") or "")

    def _open(self, entry_id: int | None, step_id: int | None, activity: str) -> None:
        kind = kind_of("journal")
        assert kind is not None
        self.card.open_form(
            kind,
            entry_id,
            fixed={"internship_id": self.data.id},
            choices={
                "route_step_id": self.step_choices(step_id),
                "activity": self.activity_choices(activity),
            },
            defaults={"entry_date": max(self.data.today, self.data.start_date)},
            select="entry",
        )

    def delete_entry(self) -> None:
        entry_id = self.current_entry_id()
        if entry_id is None:
            return
        entry = self.model.rows[self.model.row_of(entry_id) or 0]
        if not confirm(
            self,
            tr("Удаление записи"),
            tr("Удалить запись журнала от {date} «{topic}»? Это действие нельзя отменить.").format(
                date=short_date(entry["entry_date"]), topic=entry["topic"]
            ),
        ):
            return
        if run_change(
            self,
            self.card.db,
            lambda s: JournalService().delete(s, entry_id, actor=self.card.actor),
            "delete journal entry",
        ):
            self.card.changed()
