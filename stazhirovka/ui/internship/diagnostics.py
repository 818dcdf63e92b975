"""The diagnostics tab: the internship's assessments, the score grid of the chosen one
(``score_grid``), saving its scores in one transaction, asking before unsaved scores go."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...formats import plural, short_date
from ...models import Stage
from ...services import labels
from ...services.diagnostics import (
    AssessmentService,
    Sheet,
)
from ..entities import kind_of
from ..errors import report
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
from .data import AssessmentRow, CardData
from .score_grid import ScoreGrid, ScoreGridModel, percent_text

if TYPE_CHECKING:
    from ..internship_card import InternshipCardWindow

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)


def assessment_title(a: AssessmentRow) -> str:
    return tr("{stage} диагностика от {date}").format(
        stage=labels.STAGE[a.stage].capitalize(), date=short_date(a.assessed_on)
    )


# -- the list of assessments ---------------------------------------------------------------


class AssessmentsModel(RowsModel):
    HEADERS = ("Этап", "Дата", "Кто оценивает", "Методика", "Оценено")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sheets: dict[int, Sheet] = {}

    def set_rows(self, rows: list[AssessmentRow], sheets: dict[int, Sheet]) -> None:
        self.sheets = dict(sheets)
        self._replace(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        a = self.row_at(index)
        if a is None:
            return None
        column = index.column()
        sheet = self.sheets.get(a.instrument_id)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return labels.STAGE[a.stage]
            if column == 1:
                return short_date(a.assessed_on)
            if column == 2:
                return labels.ASSESSOR[a.assessor]
            if column == 3:
                return sheet.title if sheet else ""
            if column == 4:
                total = len(sheet.indicators) if sheet else 0
                return tr("{n} из {total}").format(n=len(a.scores), total=total)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and sheet:
            return sheet.title
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and sheet:
            return RED if len(a.scores) < len(sheet.indicators) else None
        return None


# -- the tab ---------------------------------------------------------------------------------


class DiagnosticsTab(QWidget):
    def __init__(self, card: InternshipCardWindow) -> None:
        super().__init__(card)
        self.card = card
        self.list_model = AssessmentsModel(self)
        self.table = RecordTable(self)
        self.table.setModel(self.list_model)
        self.table.fit_columns(stretch=[3])
        self.table.open_requested.connect(self.edit_assessment)
        self.table.delete_requested.connect(self.delete_assessment)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.new_button = button(
            self,
            tr("Новая диагностика…"),
            self.new_assessment,
            tr("Этап, дата, кто оценивает, методика"),
        )
        self.edit_button = button(
            self, tr("Изменить…"), self.edit_assessment, tr("Этап, дата, методика (Enter)")
        )
        self.delete_button = button(
            self, tr("Удалить"), self.delete_assessment, tr("Удалить диагностику с её оценками")
        )
        self.empty = hint_label(
            self,
            tr(
                "Диагностик пока нет. Начните с входной: её дефициты станут шагами маршрута, "
                "а сравнение с итоговой покажет эффективность стажировки."
            ),
        )
        self.grid_title = QLabel(self)
        self.grid_title.setStyleSheet(SECTION_STYLE)
        self.scale_label = QLabel(self)
        self.scale_label.setWordWrap(True)
        self.scale_label.setStyleSheet(f"color: {MUTED.name()};")
        self.grid_model = ScoreGridModel(self)
        self.grid_model.edited.connect(self._edited)
        self.grid = ScoreGrid(self)
        self.grid.setModel(self.grid_model)
        self.summary = QLabel(self)
        self.save_button = button(
            self, tr("Сохранить оценки"), self.save_scores, tr("Сохранить оценки (Ctrl+S)")
        )
        self.revert_button = button(self, tr("Отменить изменения"), self.revert_scores)
        self.grid_box = QWidget(self)

        actions = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.save_button)
        grid_layout = QVBoxLayout(self.grid_box)
        grid_layout.setContentsMargins(0, 6, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.grid_title)
        title_row.addStretch(1)
        grid_layout.addLayout(title_row)
        grid_layout.addWidget(self.scale_label)
        grid_layout.addWidget(self.grid, 1)
        grid_layout.addLayout(bottom)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(self.grid_box, 1)
        layout.addStretch(0)  # takes the height only while there is no grid
        self._loading = False

    @property
    def data(self) -> CardData:
        return self.card.data

    # -- data --------------------------------------------------------------------------------

    def set_data(self, data: CardData, select_assessment: int | None = None) -> None:
        current = self.grid_model.assessment_id
        edits = self.grid_model.edits()
        wanted = select_assessment if select_assessment is not None else current
        self._loading = True
        try:
            self.list_model.set_rows(data.assessments, data.sheets)
            row = self.list_model.row_of(wanted)
            if row is None and data.assessments:
                row = len(data.assessments) - 1
            if row is not None:
                self.table.select_row(row)
        finally:
            self._loading = False
        has = bool(data.assessments)
        shown = min(max(len(data.assessments), 1), 5)
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height()
            + self.table.verticalHeader().defaultSectionSize() * shown
            + 2 * self.table.frameWidth()
            + 2
        )
        self.table.setVisible(has)
        self.empty.setVisible(not has)
        self.grid_box.setVisible(has)
        chosen = self.list_model.rows[row] if row is not None else None
        self._load_grid(chosen, edits if chosen is not None and chosen.id == current else None)
        self._update_buttons()

    def current_assessment(self) -> AssessmentRow | None:
        row = self.table.current_row()
        if row is None or row >= len(self.list_model.rows):
            return None
        return self.list_model.rows[row]

    def _load_grid(self, a: AssessmentRow | None, edits: dict[int, float | None] | None) -> None:
        sheet = self.data.sheets.get(a.instrument_id) if a else None
        self.grid_model.load(a.id if a else None, sheet, a.scores if a else {}, edits)
        self.grid.fit_columns()
        if a is None or sheet is None:
            self.grid_title.clear()
            self.scale_label.clear()
        else:
            self.grid_title.setText(f"{assessment_title(a)} · {labels.ASSESSOR[a.assessor]}")
            scale = (
                "; ".join(
                    f"{sheet.scale_min + i} — {text}" for i, text in enumerate(sheet.scale_labels)
                )
                or f"{sheet.scale_min}–{sheet.scale_max}"
            )
            digits = sheet.scale_max <= 9
            self.scale_label.setText(
                tr("Шкала: {scale}.").format(scale=scale)
                + " "
                + (
                    tr(
                        "Введите балл цифрой — курсор перейдёт к следующему показателю; "
                        "Delete очищает оценку."
                    )
                    if digits
                    else tr("Введите балл и нажмите Enter; Delete очищает оценку.")
                )
            )
            self.grid.go_first()
        self._edited()

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._loading:
            return
        a = self.list_model.rows[current.row()] if current.isValid() else None
        if self.grid_model.is_dirty():
            outcome = self.resolve_unsaved(select=a.id if a else None)
            if not outcome:
                if previous.isValid():  # back to the scores being edited, once this change ends
                    back = previous.row()
                    QTimer.singleShot(0, lambda: self._reselect(back))
                return
            if outcome == "saved":
                return  # the card was read again with ``a`` chosen
        self._load_grid(a, None)
        self._update_buttons()

    def _reselect(self, row: int) -> None:
        self._loading = True
        try:
            self.table.select_row(row)
        finally:
            self._loading = False
        self._update_buttons()

    def resolve_unsaved(self, select: int | None = None, reload: bool = True) -> str:
        """Ask about unsaved scores: «saved», «discarded», or "" when the user cancelled."""
        answer = QMessageBox.question(
            self,
            tr("Несохранённые оценки"),
            tr("Оценки диагностики изменены, но не сохранены. Сохранить их?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return "saved" if self.save_scores(select=select, reload=reload) else ""
        if answer == QMessageBox.StandardButton.Discard:
            self.grid_model.revert()
            return "discarded"
        return ""

    def _edited(self) -> None:
        model = self.grid_model
        dirty = model.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        total = len(model.indicator_ids())
        text = tr("Оценено {n} из {total} {word}").format(
            n=model.scored(),
            total=total,
            word=plural(total, "показателя", "показателей", "показателей"),
        )
        results = list(model.results.values())
        if results:
            score = sum(r.score for r in results)
            maximum = sum(r.maximum for r in results)
            if maximum:
                text += " · " + tr("в целом {percent}").format(
                    percent=percent_text(round(100 * score / maximum, 1))
                )
        if dirty:
            text += " · " + tr("есть несохранённые изменения")
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #8a5a00;" if dirty else "")
        self.card.update_title()

    def _update_buttons(self) -> None:
        has = self.current_assessment() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # -- actions -----------------------------------------------------------------------------

    def next_stage(self) -> str:
        if not self.data.has_stage(Stage.ENTRY):
            return Stage.ENTRY.value
        if not self.data.has_stage(Stage.EXIT):
            return Stage.EXIT.value
        return Stage.INTERIM.value

    def new_assessment(self) -> None:
        if self.grid_model.is_dirty() and not self.resolve_unsaved():
            return
        kind = kind_of("assessments")
        assert kind is not None
        self.card.open_form(
            kind,
            None,
            fixed={"internship_id": self.data.id, "person_id": self.data.person_id},
            defaults={
                "stage": self.next_stage(),
                "assessed_on": max(self.data.today, self.data.start_date),
                "instrument_id": self.data.default_instrument_id,
            },
            select="assessment",
        )

    def edit_assessment(self) -> None:
        a = self.current_assessment()
        if a is None:
            return
        kind = kind_of("assessments")
        assert kind is not None
        self.card.open_form(
            kind,
            a.id,
            fixed={"internship_id": self.data.id, "person_id": self.data.person_id},
            select="assessment",
        )

    def delete_assessment(self) -> None:
        a = self.current_assessment()
        if a is None:
            return
        if not confirm(
            self,
            tr("Удаление диагностики"),
            tr("Удалить «{title}» вместе с её оценками? Это действие нельзя отменить.").format(
                title=assessment_title(a).lower()
            ),
        ):
            return
        if run_change(
            self,
            self.card.db,
            lambda s: AssessmentService().delete(s, a.id, actor=self.card.actor),
            "delete assessment",
        ):
            self.grid_model.load(None, None, {})
            self.card.changed()

    def save_scores(self, select: int | None = None, reload: bool = True) -> bool:
        model = self.grid_model
        assessment_id = model.assessment_id
        if assessment_id is None or not model.is_dirty():
            return True
        scores = model.scores_to_save()
        try:
            with self.card.db.session() as session:
                AssessmentService().set_scores(
                    session, assessment_id, scores, actor=self.card.actor
                )
        except ValidationError as exc:
            report(exc, "save scores")
            QMessageBox.warning(self, tr("Оценки не сохранены"), str(exc))
            return False
        except Exception as exc:
            from ..errors import show_error

            show_error(self, exc, "save scores")
            return False
        model.load(assessment_id, model.sheet, {k: v for k, v in scores.items() if v is not None})
        self._edited()
        if reload:
            self.card.changed(select_assessment=select or assessment_id)
        else:
            self.card.notify_saved()
        return True

    def revert_scores(self) -> None:
        self.grid_model.revert()
        self.grid.go_first()
