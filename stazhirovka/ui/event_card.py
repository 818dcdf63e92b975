"""The event card: the event's details and results edited in place, and its participants —
added from the persons registry, their attendance ticked right in the table."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from ..db import Database
from ..errors import DeleteRefusedError
from ..formats import plural, short_date
from ..models import EventForm, EventLevel, ParticipantRole, Participation
from ..services import labels
from ..services.events import EventService, ParticipationService
from ..services.registry import RegistryQuery, iter_rows
from ..text import fold
from .child_table import (
    ChildColumn,
    ChildTable,
    EditorWindow,
    RecordDetails,
    muted_color,
    open_editor,
    scrolled,
    title_font,
)
from .entities import kind_of
from .errors import report, show_error
from .forms import EntityForm
from .main_window import MainWindow
from .registry_model import RegistryModel
from .widgets import SearchLine, row_label

log = logging.getLogger(__name__)

ATTENDED = "attended"


def _role_text(row: dict[str, Any]) -> str:
    role = row.get("role")
    return labels.PARTICIPANT_ROLE.get(getattr(role, "value", role) or "", "")


PARTICIPANT_COLUMNS = (
    ChildColumn("person", "ФИО", width=34, stretch=True),
    ChildColumn("organization", "Организация", width=30),
    ChildColumn("role", "Роль", width=14, text=_role_text),
    ChildColumn(ATTENDED, "Присутствовал(а)", kind="bool", width=18, checkable=True),
)


def reference_choices(db: Database) -> dict[str, list[tuple[int, str]]]:
    """The event's forms and levels as lists (short reference lists, in their order)."""
    with db.session() as session:
        forms = session.execute(
            select(EventForm.id, EventForm.name).order_by(EventForm.sort_order, EventForm.name)
        ).all()
        levels = session.execute(
            select(EventLevel.id, EventLevel.name).order_by(EventLevel.rank, EventLevel.name)
        ).all()
    return {
        "form_id": [(int(i), n) for i, n in forms],
        "level_id": [(int(i), n) for i, n in levels],
    }


def dates_text(starts_on: date, ends_on: date | None) -> str:
    """15.10.2025; 15–17.10.2025; 30.10–02.11.2025; 30.12.2025–02.01.2026."""
    if ends_on is None or ends_on == starts_on:
        return short_date(starts_on)
    if starts_on.year != ends_on.year:
        return f"{short_date(starts_on)}–{short_date(ends_on)}"
    if starts_on.month != ends_on.month:
        return f"{starts_on:%d.%m}–{short_date(ends_on)}"
    return f"{starts_on:%d}–{short_date(ends_on)}"


class ParticipantPicker(QDialog):
    """Choose persons to add to an event: search, pick one or several at a time (double
    click, Enter or «Выбрать»), then add them all in one role."""

    def __init__(
        self, db: Database, attended: bool, taken: set[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.taken = taken  # persons already on the event (any role)
        self.setWindowTitle(self.tr("Добавить участников"))
        self.search = SearchLine(self)
        self.search.setPlaceholderText(self.tr("Фамилия, имя или отчество…"))
        self.model = RegistryModel(db, "persons", self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        keys = [c.key for c in self.model.columns]
        shown = ("fio", "organization", "position")
        for i, key in enumerate(keys):
            self.table.setColumnHidden(i, key not in shown)
        char = self.table.fontMetrics().averageCharWidth()
        self.table.setColumnWidth(keys.index("fio"), 34 * char)
        self.table.setColumnWidth(keys.index("organization"), 22 * char)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.choose_selected())
        choose = QAction(self.table)
        choose.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        choose.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        choose.triggered.connect(self.choose_selected)
        self.table.addAction(choose)
        self.search.searched.connect(self.model.set_search)
        self.count_label = QLabel(self)
        self.model.reloaded.connect(self._found)

        self.choose_button = QPushButton(self.tr("Выбрать →"), self)
        self.choose_button.setToolTip(self.tr("Добавить выделенных в список (Enter)"))
        self.choose_button.clicked.connect(self.choose_selected)
        self.chosen = QListWidget(self)
        self.chosen.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        remove = QAction(self.chosen)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_chosen)
        self.chosen.addAction(remove)
        self.remove_button = QPushButton(self.tr("Убрать"), self)
        self.remove_button.setToolTip(self.tr("Убрать из списка (Delete)"))
        self.remove_button.clicked.connect(self.remove_chosen)
        self.chosen_label = QLabel(self)

        self.role = QComboBox(self)
        for role in ParticipantRole:
            self.role.addItem(labels.PARTICIPANT_ROLE[role.value], role.value)
        self.attended = QCheckBox(self.tr("Отметить как присутствовавших"), self)
        self.attended.setChecked(attended)
        self.buttons = QDialogButtonBox(self)
        self.add_button = self.buttons.addButton(
            self.tr("Добавить"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.add_button.setToolTip(self.tr("Добавить выбранных к мероприятию (Ctrl+Enter)"))
        self.buttons.addButton(self.tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Enter chooses the person under the cursor or searches; it never closes the dialog.
        for button in (*self.buttons.buttons(), self.choose_button, self.remove_button):
            button.setAutoDefault(False)
            button.setDefault(False)

        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.table, 1)
        bottom_left = QHBoxLayout()
        bottom_left.addWidget(self.count_label, 1)
        bottom_left.addWidget(self.choose_button)
        left.addLayout(bottom_left)
        right = QVBoxLayout()
        right.addWidget(self.chosen_label)
        right.addWidget(self.chosen, 1)
        right.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        lists = QHBoxLayout()
        lists.addLayout(left, 3)
        lists.addLayout(right, 2)
        options = QHBoxLayout()
        options.addWidget(QLabel(self.tr("Роль:"), self))
        options.addWidget(self.role)
        options.addSpacing(16)
        options.addWidget(self.attended)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(lists, 1)
        layout.addLayout(options)
        layout.addWidget(self.buttons)
        self.resize(1000, 600)
        self.model.reload()
        self._update()
        self.search.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter searches (in the search line) or chooses (in the table) and never closes
        the dialog; Ctrl+Enter adds the chosen; ↓ from the search goes to the results."""
        key, modifiers = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if modifiers & Qt.KeyboardModifier.ControlModifier:
                if self.add_button.isEnabled():
                    self.accept()
            elif self.search.hasFocus():
                self.search.flush()
            elif self.table.hasFocus():
                self.choose_selected()
            elif isinstance(self.focusWidget(), QPushButton):
                self.focusWidget().click()
            return
        if key == Qt.Key.Key_Down and self.search.hasFocus() and self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)
            return
        super().keyPressEvent(event)

    def _found(self, total: int) -> None:
        self.count_label.setText(
            self.tr("Найдено: {n} {word}").format(
                n=f"{total:,}".replace(",", "\u00a0"),
                word=plural(total, "педагог", "педагога", "педагогов"),
            )
        )

    def _update(self) -> None:
        n = self.chosen.count()
        self.chosen_label.setText(
            self.tr("Будут добавлены: {n}").format(n=n) if n else self.tr("Будут добавлены:")
        )
        self.add_button.setEnabled(n > 0)
        self.add_button.setText(self.tr("Добавить ({n})").format(n=n) if n else self.tr("Добавить"))

    def choose_selected(self) -> None:
        have = set(self.chosen_ids())
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        for row in rows:
            values = self.model.row(row)
            if values is None or int(values["id"]) in have:
                continue
            person_id = int(values["id"])
            label = row_label("persons", values)
            if person_id in self.taken:
                label += " " + self.tr("(уже участвует)")
            item = QListWidgetItem(label, self.chosen)
            item.setData(Qt.ItemDataRole.UserRole, person_id)
            have.add(person_id)
        self._update()

    def remove_chosen(self) -> None:
        for item in self.chosen.selectedItems():
            self.chosen.takeItem(self.chosen.row(item))
        self._update()

    def chosen_ids(self) -> list[int]:
        return [
            int(self.chosen.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.chosen.count())
        ]

    def chosen_role(self) -> ParticipantRole:
        return ParticipantRole(self.role.currentData())


class EventCard(EditorWindow):
    registry = "events"
    default_size = (1240, 780)

    def __init__(self, window: MainWindow, record_id: int) -> None:
        super().__init__(window, record_id)
        self.service = EventService()
        self.participation = ParticipationService()
        self._all_rows: list[dict[str, Any]] = []
        self._build()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        muted = f"color: {muted_color(self)};"
        self.heading = QLabel(self)
        self.heading.setFont(title_font(self, 1.3))
        self.heading.setWordWrap(True)
        self.subheading = QLabel(self)
        self.subheading.setStyleSheet(muted)
        self.held_button = QPushButton(self.tr("Отметить проведённым…"), self)
        self.held_button.setToolTip(
            self.tr("Поставить отметку «Проведено» и записать результат; затем «Сохранить»")
        )
        self.held_button.clicked.connect(self.mark_held)

        self.details = RecordDetails(
            self.db,
            self.service,
            (
                (
                    "Мероприятие",
                    (
                        "title",
                        "form_id",
                        "level_id",
                        "starts_on",
                        "ends_on",
                        "plan_year",
                        "hours",
                        "audience",
                    ),
                ),
                ("Место и ответственный", ("platform_id", "venue_id", "online", "responsible_id")),
                ("Итоги", ("held", "result")),
            ),
            self,
            choices=reference_choices(self.db),
        )
        self.details.edited.connect(self.update_dirty)
        self.details.body.addStretch(1)
        left = scrolled(self.details, self)
        left.setMinimumWidth(420)

        self.counts = QLabel(self)
        self.counts.setFont(title_font(self, 1.0))
        self.filter = SearchLine(self, delay_ms=150)
        self.filter.setPlaceholderText(self.tr("Найти в списке…"))
        self.filter.setMaximumWidth(260)
        self.filter.searched.connect(lambda _t: self._show_rows())
        hint = QLabel(
            self.tr(
                "Отметка «Присутствовал(а)» сохраняется сразу, как только вы её ставите "
                "или снимаете (мышью или клавишей «Пробел»)."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(muted)
        hint.setVisible(not self.read_only)
        self.participants = ChildTable(
            PARTICIPANT_COLUMNS,
            self,
            add_text="Добавить участников…",
            delete_text="Убрать из списка",
            movable=False,
            multi_select=True,
        )
        self.participants.model.check_changed.connect(self.set_attended)
        self.participants.add_requested.connect(self.add_participants)
        self.participants.edit_requested.connect(self.edit_participant)
        self.participants.delete_requested.connect(self.remove_participants)
        self.participants.edit_button.setToolTip(self.tr("Изменить роль участника (Enter)"))
        self.all_button = QPushButton(self.tr("Все присутствовали"), self)
        self.all_button.setToolTip(self.tr("Отметить всех в списке присутствовавшими"))
        self.all_button.clicked.connect(lambda: self.set_all_attended(True))
        self.none_button = QPushButton(self.tr("Снять все отметки"), self)
        self.none_button.clicked.connect(lambda: self.set_all_attended(False))
        self.participants.buttons.addWidget(self.all_button)
        self.participants.buttons.addWidget(self.none_button)
        self.participants.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.participants.table.installEventFilter(self)
        box = QGroupBox(self.tr("Участники"), self)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.filter)
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(top)
        box_layout.addWidget(hint)
        box_layout.addWidget(self.participants, 1)

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([500, 740])
        splitter.setChildrenCollapsible(False)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        head.addLayout(titles, 1)
        head.addWidget(self.held_button, 0, Qt.AlignmentFlag.AlignTop)
        self.certificates_button = QPushButton(self.tr("Сертификаты участникам…"), self)
        self.certificates_button.clicked.connect(self.issue_certificates)
        head.addWidget(self.certificates_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)
        layout.addLayout(self.bottom_bar())

    def eventFilter(self, watched: Any, event: Any) -> bool:
        # Space ticks the attendance of the selected rows (no need to aim at the check box).
        if (
            watched is self.participants.table
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Space
            and not event.modifiers()
        ):
            self.toggle_current()
            return True
        return super().eventFilter(watched, event)

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        with self.db.session() as session:
            event = self.service.get(session, self.record_id)
            self.details.load(event)
        self.reload_participants()
        self.update_dirty()

    def reload_participants(self, select_id: int | None = None) -> None:
        with self.db.session() as session:
            event = self.service.get(session, self.record_id)
            rows = list(
                iter_rows(session, "participants", RegistryQuery(filters={"event_id": event.id}))
            )
            title, held = event.title, event.held
            due = event.starts_on <= date.today()
            parts = [
                dates_text(event.starts_on, event.ends_on),
                event.form.name,
                self.tr("уровень: {level}").format(level=event.level.name),
            ]
            if event.plan_year:
                parts.append(self.tr("план-график {year} г.").format(year=event.plan_year))
            parts.append(self.tr("проведено") if held else self.tr("не проведено"))
        self._all_rows = rows
        self._show_rows(select_id)
        self.heading.setText(title)
        self.subheading.setText(" · ".join(parts))
        # a future event is not held yet; a read-only role marks nothing
        self.held_button.setVisible(not held and due and not self.read_only)
        self.certificates_button.setEnabled(held)  # certificates follow a held event
        self.certificates_button.setToolTip(
            self.tr("Выдать сертификаты участникам и выступающим, отмеченным как присутствовавшие")
            if held
            else self.tr("Сертификаты выдаются после того, как мероприятие отмечено проведённым")
        )
        self.set_title(self.tr("Мероприятие: {title}").format(title=title))

    def _show_rows(self, select_id: int | None = None) -> None:
        text = fold(self.filter.text())
        rows = [r for r in self._all_rows if text in fold(r.get("person") or "")]
        self.participants.set_rows(rows, select=select_id)
        self._count()

    def _count(self) -> None:
        total = len(self._all_rows)
        present = sum(1 for r in self._all_rows if r.get(ATTENDED))
        if total:
            self.counts.setText(
                self.tr("Участников: {n}, присутствовали: {m}").format(n=total, m=present)
            )
        else:
            self.counts.setText(self.tr("Участников пока нет"))
        shown = len(self.participants.model.rows())
        self.participants.footer.setText(
            self.tr("Показано {shown} из {total}").format(shown=shown, total=total)
            if shown != total
            else ""
        )
        self.participants.footer.setVisible(shown != total)
        self.all_button.setEnabled(present < total)
        self.none_button.setEnabled(present > 0)

    # -- certificates ------------------------------------------------------------------------

    def issue_certificates(self) -> None:
        from ..models import CertificateKind
        from ..services.issuing import Selection
        from .certificates_dialog import open_certificates_dialog

        open_certificates_dialog(
            self.main,
            self,
            Selection(kind=CertificateKind.PARTICIPATION, event_id=self.record_id),
        )

    # -- state -------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.details.is_dirty()

    def mark_clean(self) -> None:
        self.details.mark_clean()
        self.update_dirty()

    def save_details(self) -> bool:
        if not self.save_record(self.details):
            return False
        self.reload_participants()
        return True

    def mark_held(self) -> None:
        """Tick «Проведено» and take the user to the result (saved with «Сохранить»)."""
        self.details.editors["held"].set_value(True)
        self.details.focus("result")

    # -- participants ------------------------------------------------------------------------

    def _participants_changed(self, select_id: int | None = None) -> None:
        self.reload_participants(select_id)
        self.main.saved(self.registry, self.record_id)
        self.main.saved("participants", self.record_id)

    def set_attended(self, participation_id: int, _key: str, attended: bool) -> None:
        """A tick in the table: saved at once, in a transaction of its own."""
        try:
            with self.db.session() as session:
                self.participation.update(
                    session, participation_id, {ATTENDED: attended}, actor=self.ctx.actor
                )
        except Exception as exc:
            show_error(self, exc, "attendance")
            self.reload_participants(participation_id)
            return
        for row in self._all_rows:
            if row["id"] == participation_id:
                row[ATTENDED] = attended
        self._count()
        self.show_status(self.tr("Отметка сохранена."))
        self.main.saved(self.registry, self.record_id)

    def toggle_current(self) -> None:
        ids = self.participants.selected_ids()
        if not ids or self.read_only:
            return
        rows = {r["id"]: r for r in self._all_rows}
        attended = not all(rows[i].get(ATTENDED) for i in ids)
        self._set_many(ids, attended)

    def set_all_attended(self, attended: bool) -> None:
        ids = [r["id"] for r in self.participants.model.rows() if bool(r.get(ATTENDED)) != attended]
        self._set_many(ids, attended)

    def _set_many(self, ids: list[int], attended: bool) -> None:
        if not ids:
            return
        try:
            with self.db.session() as session:
                for participation_id in ids:
                    self.participation.update(
                        session, participation_id, {ATTENDED: attended}, actor=self.ctx.actor
                    )
        except Exception as exc:
            show_error(self, exc, "attendance")
        self.reload_participants(self.participants.current_id())
        self.show_status(self.tr("Отметки сохранены."))
        self.main.saved(self.registry, self.record_id)

    def add_participants(self) -> None:
        try:
            with self.db.session() as session:
                event = self.service.get(session, self.record_id)
                attended = event.held or event.starts_on <= date.today()
            taken = {int(r["person_id"]) for r in self._person_ids()}
            picker = ParticipantPicker(self.db, attended, taken, self)
        except Exception as exc:
            show_error(self, exc, "participant picker")
            return
        picker.accepted.connect(lambda: self._add_chosen(picker))
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.open()

    def _person_ids(self) -> list[dict[str, Any]]:
        with self.db.session() as session:
            rows = session.execute(
                select(Participation.person_id, Participation.role).where(
                    Participation.event_id == self.record_id
                )
            ).all()
        return [{"person_id": p, "role": r} for p, r in rows]

    def _add_chosen(self, picker: ParticipantPicker) -> None:
        person_ids = picker.chosen_ids()
        role = picker.chosen_role()
        attended = picker.attended.isChecked()
        existing = {(r["person_id"], r["role"]) for r in self._person_ids()}
        new = [p for p in person_ids if (p, role) not in existing]
        skipped = len(person_ids) - len(new)
        try:
            with self.db.session() as session:
                for person_id in new:
                    self.participation.create(
                        session,
                        {
                            "event_id": self.record_id,
                            "person_id": person_id,
                            "role": role,
                            ATTENDED: attended,
                        },
                        actor=self.ctx.actor,
                    )
        except Exception as exc:
            show_error(self, exc, "participants add")
            return
        self._participants_changed()
        message = self.tr("Добавлено участников: {n}.").format(n=len(new))
        if skipped:
            message += " " + self.tr("Уже были в списке в этой роли: {n}.").format(n=skipped)
        self.show_status(message)

    def edit_participant(self, participation_id: int) -> None:
        kind = kind_of("participants")
        if kind is None:
            return
        try:
            form = EntityForm(
                self.db,
                kind,
                participation_id,
                fixed={"event_id": self.record_id},
                actor=self.ctx.actor,
                parent=self,
            )
        except Exception as exc:
            show_error(self, exc, "participant form")
            return
        form.saved.connect(lambda pid: self._participants_changed(pid))
        form.deleted.connect(lambda _pid: self._participants_changed())
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.open()

    def remove_participants(self, ids: list[int]) -> None:
        rows = {r["id"]: r for r in self._all_rows}
        if len(ids) == 1:
            question = self.tr("Убрать из списка участников: {who}?").format(
                who=rows[ids[0]]["person"]
            )
        else:
            question = self.tr("Убрать из списка участников {n} {word}?").format(
                n=len(ids), word=plural(len(ids), "человека", "человек", "человек")
            )
        answer = QMessageBox.question(self, self.tr("Участники мероприятия"), question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.db.session() as session:
                for participation_id in ids:
                    self.participation.delete(session, participation_id, actor=self.ctx.actor)
        except DeleteRefusedError as exc:
            report(exc, "participants remove")
            QMessageBox.information(self, self.tr("Удаление невозможно"), str(exc))
            return
        except Exception as exc:
            show_error(self, exc, "participants remove")
            return
        self._participants_changed()
        self.show_status(self.tr("Убрано из списка: {n}.").format(n=len(ids)))


def open_event_card(
    window: MainWindow, record_id: int | None, defaults: dict[str, Any]
) -> QWidget | None:
    choices = reference_choices(window.ctx.db) if record_id is None else None
    return open_editor(window, EventCard, record_id, defaults, choices=choices)
