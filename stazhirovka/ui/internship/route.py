"""The route (ИОМ) tab: goal, tasks and deficits of the route, its ordered steps with their
status (overdue in red), and the actions on steps — add, propose, reorder, mark done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...formats import number, short_date
from ...models import Stage, StepKind, StepStatus
from ...services import labels
from ...services.internships import RouteService, RouteStepService, proposed_steps
from ..entities import EntityKind
from .common import (
    MUTED,
    RED,
    SECTION_STYLE,
    RecordTable,
    RowsModel,
    button,
    confirm,
    hint_label,
    run_change,
    tr,
)
from .data import CardData, StepRow
from .route_dialogs import MarkDoneDialog, ProposeDialog

if TYPE_CHECKING:
    from ..internship_card import InternshipCardWindow

Index = QModelIndex | QPersistentModelIndex

ROUTE_KIND = EntityKind(
    "routes",
    RouteService,
    "Новый маршрут (ИОМ)",
    sections=(("", ("title", "approved_on", "deficits", "goal", "tasks")),),
)
STEP_KIND = EntityKind(
    "route_steps",
    RouteStepService,
    "Новый шаг маршрута",
    sections=(
        (
            "Шаг",
            (
                "position",
                "kind",
                "module_id",
                "event_id",
                "title",
                "deficit",
                "planned_start",
                "planned_end",
                "hours",
                "expected_result",
                "report_form",
            ),
        ),
        ("Выполнение", ("status", "done_on", "evidence", "mentor_mark")),
    ),
)
REPORT_FORM_MAX = 255  # RouteStep.report_form; a module's assessment text may be longer


def step_dates(step: StepRow) -> str:
    start, end = step.planned_start, step.planned_end
    if start and end:
        if start.year == end.year:
            return f"{start:%d.%m} – {short_date(end)}"
        return f"{short_date(start)} – {short_date(end)}"
    if step.planned_end:
        return tr("до {date}").format(date=short_date(step.planned_end))
    if step.planned_start:
        return tr("с {date}").format(date=short_date(step.planned_start))
    return ""


def step_status_text(step: StepRow) -> str:
    text = labels.STEP_STATUS[step.shown_status]
    if step.status == StepStatus.DONE and step.done_on:
        text += " " + short_date(step.done_on)
    return text


class StepsModel(RowsModel):
    """The steps of one route in their order; the row's step id is under ``Qt.UserRole``."""

    HEADERS = (
        "№",
        "Вид",
        "Содержание",
        "Сроки",
        "Часы",
        "Статус",
        "Отметка / подтверждение",
    )

    @property
    def steps(self) -> list[StepRow]:
        return self.rows

    def set_steps(self, steps: list[StepRow]) -> None:
        self._replace(steps)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        step = self.row_at(index)
        if step is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(step, column).split("\n", 1)[0]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 2:
                parts = [step.title]
                if step.event_title:
                    parts.append(tr("Мероприятие: {title}").format(title=step.event_title))
                if step.deficit:
                    parts.append(tr("Дефицит: {text}").format(text=step.deficit))
                return "\n".join(parts)
            if column == 6:
                parts = []
                if step.mentor_mark:
                    parts.append(tr("Отметка наставника: {text}").format(text=step.mentor_mark))
                if step.evidence:
                    parts.append(tr("Подтверждение: {text}").format(text=step.evidence))
                return "\n".join(parts) or None
            text = self._text(step, column)
            return text if len(text) > 30 or "\n" in text else None
        if role == Qt.ItemDataRole.UserRole:
            return step.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if step.status == StepStatus.DROPPED:
                return MUTED
            if column == 5 and step.shown_status == "overdue":
                return RED
        if role == Qt.ItemDataRole.FontRole:
            if column == 5 and step.shown_status == "overdue":
                font = QFont()
                font.setBold(True)
                return font
            if step.status == StepStatus.DROPPED:
                font = QFont()
                font.setStrikeOut(column == 2)
                return font
        return None

    @staticmethod
    def _text(step: StepRow, column: int) -> str:
        if column == 0:
            return str(step.position)
        if column == 1:
            return labels.STEP_KIND.get(step.kind, step.kind)
        if column == 2:
            return step.title
        if column == 3:
            return step_dates(step)
        if column == 4:
            return number(step.hours) if step.hours else ""
        if column == 5:
            return step_status_text(step)
        if column == 6:
            return " — ".join(p for p in (step.mentor_mark, step.evidence) if p)
        return ""


def _text_box(parent: QWidget) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setReadOnly(True)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 6 + 14)
    box.setStyleSheet("QPlainTextEdit { background: palette(window); }")
    return box


class RouteTab(QWidget):
    def __init__(self, card: InternshipCardWindow) -> None:
        super().__init__(card)
        self.card = card
        self.route_title = QLabel(self)
        self.route_title.setStyleSheet(SECTION_STYLE)
        self.route_title.setWordWrap(True)
        self.approved_label = QLabel(self)
        self.approved_label.setStyleSheet(f"color: {MUTED.name()};")
        self.route_button = button(self, tr("Изменить маршрут…"), self.edit_route)
        self.no_route = hint_label(
            self,
            tr(
                "У стажировки ещё нет индивидуального образовательного маршрута. Создайте его "
                "или предложите шаги по модулям программы и дефицитам входной диагностики — "
                "маршрут будет создан вместе с ними."
            ),
        )
        self.goal = _text_box(self)
        self.tasks = _text_box(self)
        self.deficits = _text_box(self)
        self.details = QWidget(self)
        grid = QGridLayout(self.details)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        for column, (caption, box) in enumerate(
            (
                ("Цель", self.goal),
                ("Задачи", self.tasks),
                ("Выявленные дефициты", self.deficits),
            )
        ):
            label = QLabel(tr(caption), self.details)
            label.setStyleSheet(f"color: {MUTED.name()};")
            grid.addWidget(label, 0, column)
            grid.addWidget(box, 1, column)
            grid.setColumnStretch(column, 1)

        self.model = StepsModel(self)
        self.table = RecordTable(self)
        self.table.setModel(self.model)
        self.table.fit_columns(stretch=[2], fixed={6: 34})
        self.table.open_requested.connect(self.edit_step)
        self.table.delete_requested.connect(self.delete_step)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.empty_steps = hint_label(self)

        self.add_button = button(self, tr("Добавить шаг…"), self.add_step, tr("Новый шаг маршрута"))
        self.propose_button = button(
            self,
            tr("Предложить шаги…"),
            self.propose,
            tr("Модули программы, которых нет в маршруте, и дефициты входной диагностики"),
        )
        self.done_button = button(
            self,
            tr("Отметить выполненным…"),
            self.mark_done,
            tr("Дата, подтверждение и отметка наставника"),
        )
        self.edit_button = button(self, tr("Изменить…"), self.edit_step, tr("Открыть шаг (Enter)"))
        self.delete_button = button(
            self, tr("Удалить"), self.delete_step, tr("Удалить шаг (Delete)")
        )
        self.up_button = button(self, tr("Вверх"), lambda: self.move_step(-1), tr("Ctrl+↑"))
        self.down_button = button(self, tr("Вниз"), lambda: self.move_step(1), tr("Ctrl+↓"))
        self.table.reorderable = True
        self.table.move_requested.connect(self.move_step)

        head = QHBoxLayout()
        head.addWidget(self.route_title, 1)
        head.addWidget(self.approved_label)
        head.addWidget(self.route_button)
        actions = QHBoxLayout()
        for b in (
            self.add_button,
            self.propose_button,
            self.done_button,
            self.edit_button,
            self.delete_button,
        ):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.up_button)
        actions.addWidget(self.down_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.no_route)
        layout.addWidget(self.details)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_steps)
        self.spacer_hint = QWidget(self)  # holds the height while there is no route
        layout.addWidget(self.spacer_hint, 1)

    # -- data --------------------------------------------------------------------------------

    @property
    def data(self) -> CardData:
        return self.card.data

    def set_data(self, data: CardData, select_step: int | None = None) -> None:
        keep = select_step if select_step is not None else self.current_step_id()
        route = data.route
        self.no_route.setVisible(route is None)
        self.details.setVisible(route is not None)
        self.approved_label.setVisible(bool(route and route.approved_on))
        if route is None:
            self.route_title.setText(tr("Маршрут (ИОМ)"))
            self.route_button.setText(tr("Создать маршрут…"))
        else:
            self.route_title.setText(route.title or tr("Индивидуальный образовательный маршрут"))
            self.route_button.setText(tr("Изменить маршрут…"))
            if route.approved_on:
                self.approved_label.setText(
                    tr("утверждён {date}").format(date=short_date(route.approved_on))
                )
            self.goal.setPlainText(route.goal)
            self.tasks.setPlainText(route.tasks)
            self.deficits.setPlainText(route.deficits)
        self.model.set_steps(data.steps)
        self.empty_steps.setText(
            tr("В маршруте пока нет шагов: добавьте их или нажмите «Предложить шаги…».")
        )
        self.empty_steps.setVisible(route is not None and not data.steps)
        self.table.setVisible(route is not None)
        self.spacer_hint.setVisible(route is None)
        row = self.model.row_of(keep)
        if row is not None:
            self.table.select_row(row)
        self._update_buttons()

    def current_step(self) -> StepRow | None:
        row = self.table.current_row()
        return self.model.steps[row] if row is not None and row < len(self.model.steps) else None

    def current_step_id(self) -> int | None:
        step = self.current_step()
        return step.id if step else None

    def _update_buttons(self) -> None:
        step = self.current_step()
        has_route = self.card.data is not None and self.card.data.route is not None
        row = self.table.current_row()
        self.add_button.setEnabled(has_route)
        for b in (self.edit_button, self.delete_button):
            b.setEnabled(step is not None)
        self.done_button.setEnabled(step is not None and step.status == StepStatus.PLANNED)
        self.up_button.setEnabled(step is not None and row is not None and row > 0)
        self.down_button.setEnabled(
            step is not None and row is not None and row < len(self.model.steps) - 1
        )

    # -- route -------------------------------------------------------------------------------

    def default_route_title(self) -> str:
        start = self.data.start_date
        year = start.year if start.month >= 9 else start.year - 1
        return tr("Индивидуальный образовательный маршрут: {name}, {y1}/{y2}").format(
            name=self.data.short_name, y1=year, y2=str(year + 1)[-2:]
        )

    def edit_route(self) -> None:
        route = self.data.route
        defaults: dict[str, Any] = {}
        if route is None:
            defaults = {
                "title": self.default_route_title(),
                "goal": tr(
                    "Освоение программы «{program}» и устранение профессиональных дефицитов, "
                    "выявленных входной диагностикой"
                ).format(program=self.data.program_title),
                "deficits": self.card.entry_deficits_text(),
            }
        self.card.open_form(
            ROUTE_KIND,
            route.id if route else None,
            fixed={"internship_id": self.data.id},
            defaults=defaults,
        )

    # -- steps -------------------------------------------------------------------------------

    def module_choices(self) -> list[tuple[int, str]]:
        return [(m.id, f"{m.label} ({number(m.hours)} ч)") for m in self.data.modules]

    def add_step(self) -> None:
        route = self.data.route
        if route is None:
            return
        self.card.open_form(
            STEP_KIND,
            None,
            fixed={"route_id": route.id},
            choices={"module_id": self.module_choices()},
            defaults={"kind": StepKind.MODULE.value if self.data.modules else None},
            select="step",
        )

    def edit_step(self) -> None:
        step = self.current_step()
        route = self.data.route
        if step is None or route is None:
            return
        self.card.open_form(
            STEP_KIND,
            step.id,
            fixed={"route_id": route.id},
            choices={"module_id": self.module_choices()},
            select="step",
        )

    def delete_step(self) -> None:
        step = self.current_step()
        if step is None:
            return
        if not confirm(
            self,
            tr("Удаление шага"),
            tr("Удалить шаг № {n} «{title}» из маршрута? Это действие нельзя отменить.").format(
                n=step.position, title=step.title
            ),
        ):
            return
        if run_change(
            self,
            self.card.db,
            lambda s: RouteStepService().delete(s, step.id, actor=self.card.actor),
            "delete route step",
        ):
            self.card.changed()

    def move_step(self, delta: int) -> None:
        step = self.current_step()
        row = self.table.current_row()
        if step is None or row is None:
            return
        target = row + delta
        if not 0 <= target < len(self.model.steps):
            return
        if run_change(
            self,
            self.card.db,
            lambda s: RouteStepService().move(s, step.id, target + 1),
            "move route step",
        ):
            self.card.changed(select_step=step.id)
            self.table.setFocus()

    def mark_done(self) -> None:
        step = self.current_step()
        if step is None:
            return
        dialog = MarkDoneDialog(step, self.data.today, self)
        dialog.accepted.connect(lambda: self._save_done(step, dialog))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mark_done_dialog = dialog
        dialog.open()

    def _save_done(self, step: StepRow, dialog: MarkDoneDialog) -> None:
        on, evidence, mark = dialog.values()
        assert on is not None

        def write(session: Any) -> None:
            service = RouteStepService()
            service.mark_done(session, step.id, on, evidence, actor=self.card.actor)
            if mark != step.mentor_mark:
                service.update(session, step.id, {"mentor_mark": mark}, actor=self.card.actor)

        if run_change(self, self.card.db, write, "mark step done"):
            self.card.changed(select_step=step.id)

    def propose(self) -> None:
        try:
            with self.card.db.session() as session:
                proposals = proposed_steps(session, self.data.id)
        except Exception as exc:
            from ..errors import show_error

            show_error(self, exc, "propose steps")
            return
        dialog = ProposeDialog(
            proposals, self, self.data.steps, has_entry=self.data.has_stage(Stage.ENTRY)
        )
        dialog.accepted.connect(lambda: self._add_proposed(dialog.chosen()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.propose_dialog = dialog
        dialog.open()

    def _add_proposed(self, chosen: list[dict[str, Any]]) -> None:
        if not chosen:
            return
        internship_id = self.data.id
        route = self.data.route
        title = self.default_route_title()
        deficits_text = self.card.entry_deficits_text()
        actor = self.card.actor
        first: list[int] = []

        def write(session: Any) -> None:
            if route is None:
                route_id = (
                    RouteService()
                    .create(
                        session,
                        {
                            "internship_id": internship_id,
                            "title": title,
                            "deficits": deficits_text,
                        },
                        actor=actor,
                    )
                    .id
                )
            else:
                route_id = route.id
            for proposal in chosen:
                values = dict(proposal)
                form = values.get("report_form") or ""
                if len(form) > REPORT_FORM_MAX:
                    values["report_form"] = form[: REPORT_FORM_MAX - 1].rstrip() + "…"
                step = RouteStepService().create(
                    session, {**values, "route_id": route_id}, actor=actor
                )
                first.append(step.id)

        if run_change(self, self.card.db, write, "add proposed steps"):
            self.card.changed(select_step=first[0] if first else None)
