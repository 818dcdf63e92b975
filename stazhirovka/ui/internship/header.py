"""The head of the internship card: who, where, on which program, with whom, when; the status
as a coloured chip with the moves it allows; route progress and journal hours."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...formats import long_date, number, plural, short_date
from ...models import InternshipStatus, Stage
from ...services import labels
from ...services.internships import ALLOWED_MOVES
from ..forms import ERROR_STYLE
from ..widgets import DateField
from .common import MUTED, RED, chip_style, tr
from .data import CardData

S = InternshipStatus
# The buttons of the status moves, in the order they stand; a move with «…» asks first.
MOVE_BUTTONS: tuple[tuple[InternshipStatus, str, str], ...] = (
    (S.ACTIVE, "Начать стажировку", "Перевести стажировку в состояние «идёт»"),
    (S.COMPLETED, "Завершить…", "Завершить стажировку: указать дату окончания"),
    (S.WITHDRAWN, "Отчислить…", "Прекратить стажировку: указать причину и дату"),
)


def experience_text(years: int | None) -> str:
    if years is None:
        return ""
    if years == 0:
        return tr("стаж меньше года")
    return tr("стаж {n} {word}").format(n=years, word=plural(years, "год", "года", "лет"))


def hours_text(value: float) -> str:
    return f"{number(round(value, 1))} ч"


class CardHeader(QWidget):
    """``move_requested(status)`` when a status button is pressed; ``edit_requested`` for
    «Изменить…». ``documents_row`` is the place for the printing buttons (journal, route,
    effectiveness card, certificate) — empty until those documents exist."""

    move_requested = Signal(str)
    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_label = QLabel(self)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.55)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_chip = QLabel(self)
        self.young_chip = QLabel(self)
        self.young_chip.setStyleSheet(
            "color: #6a3d00; background: #fbecd0; border-radius: 9px; padding: 2px 10px;"
        )
        self.work_label = QLabel(self)
        self.work_label.setStyleSheet(f"color: {MUTED.name()};")

        self.move_buttons: dict[str, QPushButton] = {}
        for status, text, tip in MOVE_BUTTONS:
            b = QPushButton(tr(text), self)
            b.setToolTip(tr(tip))
            b.clicked.connect(lambda _checked=False, s=status.value: self.move_requested.emit(s))
            self.move_buttons[status.value] = b
        self.edit_button = QPushButton(tr("Изменить…"), self)
        self.edit_button.setToolTip(tr("Изменить сведения о стажировке"))
        self.edit_button.clicked.connect(self.edit_requested)

        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.name_label)
        top.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        for b in self.move_buttons.values():
            top.addWidget(b)
        top.addWidget(self.edit_button)

        second = QHBoxLayout()
        second.setSpacing(10)
        second.addWidget(self.work_label)
        second.addWidget(self.young_chip)
        second.addStretch(1)

        self.program_value = QLabel(self)
        self.platform_value = QLabel(self)
        self.mentor_value = QLabel(self)
        self.dates_value = QLabel(self)
        self.end_value = QLabel(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        for row, column, caption, value in (
            (0, 0, "Программа:", self.program_value),
            (1, 0, "Площадка:", self.platform_value),
            (0, 2, "Педагог-мастер:", self.mentor_value),
            (1, 2, "Сроки:", self.dates_value),
        ):
            label = QLabel(tr(caption), self)
            label.setStyleSheet(f"color: {MUTED.name()};")
            grid.addWidget(label, row, column, Qt.AlignmentFlag.AlignTop)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(value, row, column + 1)
        grid.addWidget(self.end_value, 2, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        grid.setColumnMinimumWidth(2, 20)

        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setFixedSize(180, 10)
        self.progress_label = QLabel(tr("Маршрут:"), self)
        self.progress_label.setStyleSheet(f"color: {MUTED.name()};")
        self.progress_text = QLabel(self)
        self.progress_text.setTextFormat(Qt.TextFormat.RichText)
        self.journal_label = QLabel(self)
        progress_row = QHBoxLayout()
        progress_row.setSpacing(8)
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignVCenter)
        progress_row.addWidget(self.progress_text)
        progress_row.addSpacing(24)
        journal_caption = QLabel(tr("Журнал:"), self)
        journal_caption.setStyleSheet(f"color: {MUTED.name()};")
        progress_row.addWidget(journal_caption)
        progress_row.addWidget(self.journal_label)
        progress_row.addStretch(1)

        # The printing buttons of the card come here (issue 4: documents of an internship).
        self.documents_row = QHBoxLayout()
        self.documents_row.setContentsMargins(0, 0, 0, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addSpacing(2)
        layout.addLayout(grid)
        layout.addLayout(progress_row)
        layout.addLayout(self.documents_row)

    def set_data(self, data: CardData) -> None:
        self.name_label.setText(data.full_name)
        self.status_chip.setText(labels.INTERNSHIP_STATUS[data.status.value])
        self.status_chip.setStyleSheet(chip_style(data.status.value))
        work = [p for p in (data.organization, data.position, data.category) if p]
        self.work_label.setText(" · ".join(work) or tr("место работы не указано"))
        experience = experience_text(data.experience)
        if data.young:
            self.young_chip.setText(
                tr("молодой педагог") + (f" · {experience}" if experience else "")
            )
            self.young_chip.setStyleSheet(
                "color: #6a3d00; background: #fbecd0; border-radius: 9px; padding: 2px 10px;"
            )
        else:
            self.young_chip.setText(experience)
            self.young_chip.setStyleSheet(f"color: {MUTED.name()};")
        self.young_chip.setVisible(bool(self.young_chip.text()))

        self.program_value.setText(f"«{data.program_title}»")
        self.platform_value.setText(data.platform or "—")
        self.mentor_value.setText(data.mentor or tr("не назначен"))
        dates = short_date(data.start_date) + " — "
        dates += short_date(data.planned_end) if data.planned_end else tr("окончание не указано")
        if data.cohort:
            dates += " · " + tr("группа: {cohort}").format(cohort=data.cohort)
        self.dates_value.setText(dates)
        self.end_value.setText(self._end_text(data))
        self.end_value.setVisible(bool(self.end_value.text()))

        allowed = {s.value for s in ALLOWED_MOVES[data.status]}
        for status, b in self.move_buttons.items():
            b.setVisible(status in allowed)

        progress = data.progress
        if progress is None or progress.total == 0:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress_text.setText(
                tr("маршрута ещё нет") if progress is None else tr("в маршруте нет шагов")
            )
        else:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(progress.done)
            text = tr("Выполнено {done} из {total} {word} · {hd} из {hp} ч").format(
                done=progress.done,
                total=progress.total,
                word=plural(progress.total, "шага", "шагов", "шагов"),
                hd=number(round(progress.hours_done, 1)),
                hp=number(round(progress.hours_planned, 1)),
            )
            if progress.overdue:
                text += " · " + (
                    f'<span style="color: {RED.name()}; font-weight: bold;">'
                    + tr("просрочено {n}").format(n=progress.overdue)
                    + "</span>"
                )
            self.progress_text.setText(text)
        self.progress.setToolTip(self.progress_text.text())
        n = len(data.journal)
        self.journal_label.setText(
            tr("{n} {word} · {hours}").format(
                n=n,
                word=plural(n, "запись", "записи", "записей"),
                hours=hours_text(data.journal_hours),
            )
        )

    @staticmethod
    def _end_text(data: CardData) -> str:
        if data.status == S.COMPLETED and data.actual_end:
            return tr("Завершена {date} · зачтено {hours}").format(
                date=long_date(data.actual_end, quoted=False), hours=hours_text(data.hours_done)
            )
        if data.status == S.WITHDRAWN:
            text = tr("Прекращена")
            if data.actual_end:
                text += " " + long_date(data.actual_end, quoted=False)
            if data.withdraw_reason:
                text += ". " + tr("Причина: {reason}").format(reason=data.withdraw_reason)
            return text
        return ""


class MoveDialog(QDialog):
    """The date (and, for a withdrawal, the reason) of a status move; warns calmly about an
    unfinished route or missing exit diagnostics before completion."""

    def __init__(self, data: CardData, status: InternshipStatus, parent: QWidget) -> None:
        super().__init__(parent)
        self.status = status
        self.start_date = data.start_date
        withdraw = status == S.WITHDRAWN
        self.setWindowTitle(tr("Отчисление стажёра") if withdraw else tr("Завершение стажировки"))
        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setText(
            (
                tr("{name}: стажировка будет прекращена. Укажите причину — она войдёт в отчёты.")
                if withdraw
                else tr("{name}: стажировка будет завершена; вернуть её в работу будет нельзя.")
            ).format(name=data.short_name)
        )
        self.date_field = DateField(self)
        self.date_field.set_value(max(data.today, data.start_date))
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 3 + 12)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(
            tr("Дата прекращения *:") if withdraw else tr("Дата окончания *:"), self.date_field
        )
        if withdraw:
            form.addRow(tr("Причина *:"), self.reason)
        else:
            self.reason.hide()
        notes = []
        if not withdraw:
            if data.progress and data.progress.done < data.progress.total:
                left = data.progress.total - data.progress.done
                notes.append(
                    tr("В маршруте не выполнено {n} {word}.").format(
                        n=left, word=plural(left, "шаг", "шага", "шагов")
                    )
                )
            if not data.has_stage(Stage.EXIT):
                notes.append(tr("Итоговой диагностики ещё нет."))
        self.notes = QLabel(" ".join(notes), self)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #8a5a00;")
        self.notes.setVisible(bool(notes))
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            tr("Отчислить") if withdraw else tr("Завершить"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.ok_button.setDefault(True)
        buttons.addButton(tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.notes)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        (self.reason if withdraw else self.date_field).setFocus()

    def values(self) -> tuple[date | None, str]:
        return self.date_field.date(), self.reason.toPlainText().strip()

    def accept(self) -> None:
        on, reason = self.values()
        problems = []
        if on is None:
            problems.append(tr("укажите дату в виде ДД.ММ.ГГГГ"))
        elif on < self.start_date:
            problems.append(
                tr("дата раньше начала стажировки ({date})").format(
                    date=short_date(self.start_date)
                )
            )
        if self.status == S.WITHDRAWN and not reason:
            problems.append(tr("укажите причину"))
        if problems:
            text = "; ".join(problems)
            self.error.setText(text[0].upper() + text[1:] + ".")
            self.error.show()
            return
        super().accept()
