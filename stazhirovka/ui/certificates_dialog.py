"""«Выдача сертификатов»: whom (completed internships of a program, platform or period, or
the participants of an event) → the recipients with their names in the dative case as they
will be printed, corrected in place → where the files go and the date of issue → issuing in
the background (numbers, register and files in one unit of work; «Отмена» leaves nothing) →
the numbers issued and the file opened in the preview.

A dative form corrected here is printed and kept on the person for every later document."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import UserError
from ..formats import number, plural, short_date
from ..grammar import capitalized
from ..models import CertificateKind
from ..services.issuing import Recipient, Selection
from ..text import collapse_spaces
from .errors import show_error
from .forms import ERROR_STYLE
from .widgets import DateField, RecordPicker, record_label

if TYPE_CHECKING:
    from ..reports.certificates import IssueResult
    from .main_window import MainWindow
    from .pdf_preview import PdfPreviewDialog
    from .tasks import Progress

log = logging.getLogger(__name__)

CHOOSE, PREVIEW, OUTPUT, RESULT = range(4)
CORRECTED_BACKGROUND = QBrush(QColor("#fff1c2"))
MUTED_STYLE = "color: palette(placeholder-text);"
OK_STYLE = "color: #1e6b34;"
FOLDER_KEY = "certificates/folder"
GEOMETRY_KEY = "certificates_dialog/geometry"
CHANGED_SELECTION = "Список получателей изменился"  # the service's message starts so


def certificates_word(n: int) -> str:
    return plural(n, "сертификат", "сертификата", "сертификатов")


# -- the recipients ------------------------------------------------------------------------------


class RecipientsModel(QAbstractTableModel):
    """The recipients of a batch; the dative column is edited in place. An edit applies to
    every row of the same person (one person may finish two programs)."""

    NAME, DATIVE, ORGANIZATION, POSITION, HOURS = range(5)
    HEADERS = ("ФИО", "Кому выдаётся (дательный падеж)", "Организация", "Должность", "Часы")

    corrections_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Recipient] = []
        self.values: dict[int, str] = {}  # person id → the form to print

    def set_recipients(self, found: list[Recipient], keep: dict[int, str] | None = None) -> None:
        """Show ``found``; ``keep`` are corrections typed before (by person) to keep."""
        self.beginResetModel()
        self.rows = list(found)
        self.values = {r.person_id: r.dative for r in found}
        for person_id, value in (keep or {}).items():
            if person_id in self.values:
                self.values[person_id] = value
        self.endResetModel()
        self.corrections_changed.emit()

    # -- reading -----------------------------------------------------------------------------

    def recipient(self, row: int) -> Recipient:
        return self.rows[row]

    def dative(self, row: int) -> str:
        return self.values[self.rows[row].person_id]

    def is_corrected(self, row: int) -> bool:
        """Printed otherwise than the declension rules give (typed now or kept before)."""
        recipient = self.rows[row]
        return self.values[recipient.person_id] != recipient.dative_declined

    def corrections(self) -> dict[int, str]:
        """What was typed here: person id → form, where it differs from the stored one."""
        stored = {r.person_id: r.dative for r in self.rows}
        return {pid: value for pid, value in self.values.items() if value != stored[pid]}

    def corrected_count(self) -> int:
        return len({r.person_id for i, r in enumerate(self.rows) if self.is_corrected(i)})

    def person_ids(self) -> list[int]:
        return [r.person_id for r in self.rows]

    # -- editing -----------------------------------------------------------------------------

    def set_dative(self, row: int, value: str) -> None:
        recipient = self.rows[row]
        text = collapse_spaces(value) or recipient.dative_declined
        if text == self.values[recipient.person_id]:
            return
        self.values[recipient.person_id] = text
        for i, r in enumerate(self.rows):
            if r.person_id == recipient.person_id:
                index = self.index(i, self.DATIVE)
                self.dataChanged.emit(index, index)
        self.corrections_changed.emit()

    def revert(self, row: int) -> None:
        """Back to the form the declension rules give."""
        self.set_dative(row, self.rows[row].dative_declined)

    # -- the model ---------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.tr(self.HEADERS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.DATIVE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = index.row(), index.column()
        recipient = self.rows[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == self.NAME:
                return recipient.full_name
            if column == self.DATIVE:
                return self.values[recipient.person_id]
            if column == self.ORGANIZATION:
                return recipient.organization
            if column == self.POSITION:
                return recipient.position
            if column == self.HOURS:
                return number(recipient.hours) if recipient.hours is not None else "—"
            return None
        if column == self.DATIVE:
            corrected = self.is_corrected(row)
            if role == Qt.ItemDataRole.BackgroundRole and corrected:
                return CORRECTED_BACKGROUND
            if role == Qt.ItemDataRole.FontRole and corrected:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                if corrected:
                    return self.tr(
                        "Исправлено вручную; сохраняется для педагога.\n"
                        "По правилам склонения: {declined}"
                    ).format(declined=recipient.dative_declined)
                return self.tr("Исправить: двойной щелчок или F2")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.HOURS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if (
            not index.isValid()
            or index.column() != self.DATIVE
            or role != Qt.ItemDataRole.EditRole
            or not 0 <= index.row() < len(self.rows)
        ):
            return False
        self.set_dative(index.row(), str(value or ""))
        return True


# -- the dialog ----------------------------------------------------------------------------------


class CertificatesDialog(QDialog):
    """The issuing wizard. ``selection`` presets it: explicit internships (a card's «Выдать
    сертификат») skip the first step; a program or an event fills it and goes on."""

    issued = Signal(object)  # IssueResult

    def __init__(
        self,
        window: MainWindow,
        parent: QWidget | None = None,
        selection: Selection | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.ctx = window.ctx
        self.db = window.ctx.db
        self.today = today or date.today()
        self.fixed = selection if selection and selection.internship_ids else None
        self.result_: IssueResult | None = None
        self.pdf_path: Path | None = None
        self.split_path: Path | None = None
        self._issued_names: list[str] = []
        self._count_generation = 0
        self._running = False
        self.setWindowTitle(self.tr("Выдача сертификатов"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.steps = QStackedWidget(self)
        self.steps.addWidget(self._choose_page())
        self.steps.addWidget(self._preview_page())
        self.steps.addWidget(self._output_page())
        self.steps.addWidget(self._result_page())
        self.step_label = QLabel(self)
        self.step_label.setStyleSheet(MUTED_STYLE)

        self.back_button = QPushButton(self.tr("< Назад"), self)
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(self.tr("Далее >"), self)
        self.next_button.clicked.connect(self.next)
        self.issue_button = QPushButton(self.tr("Выдать"), self)
        self.issue_button.clicked.connect(self.issue)
        self.open_button = QPushButton(self.tr("Открыть"), self)
        self.open_button.clicked.connect(self.open_result)
        self.folder_button = QPushButton(self.tr("Открыть папку"), self)
        self.folder_button.clicked.connect(self.open_folder)
        self.close_button = QPushButton(self.tr("Отмена"), self)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.step_label, 1)
        for button in (
            self.back_button,
            self.next_button,
            self.issue_button,
            self.open_button,
            self.folder_button,
            self.close_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.addWidget(self.steps, 1)
        layout.addLayout(buttons)

        geometry = self.ctx.settings.state(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1060, 640)
        self._preset(selection)

    # -- pages -------------------------------------------------------------------------------

    def _heading(self, text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        label.setFont(font)
        label.setWordWrap(True)
        return label

    def _hint(self, text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setWordWrap(True)
        label.setStyleSheet(MUTED_STYLE)
        return label

    def _choose_page(self) -> QWidget:
        page = QWidget(self)
        self.internship_radio = QRadioButton(self.tr("Завершившим стажировку"), page)
        self.event_radio = QRadioButton(self.tr("Участникам мероприятия"), page)
        group = QButtonGroup(page)
        group.addButton(self.internship_radio)
        group.addButton(self.event_radio)
        self.internship_radio.setChecked(True)

        self.program = RecordPicker(self.db, "programs", page)
        self.platform = RecordPicker(self.db, "platforms", page)
        self.date_from = DateField(page)
        self.date_to = DateField(page)
        self.event = RecordPicker(self.db, "events", page)
        self.event_kind = QComboBox(page)
        self.event_kind.addItem(
            self.tr("участникам (слушателям) — сертификат участника"),
            CertificateKind.PARTICIPATION.value,
        )
        self.event_kind.addItem(
            self.tr("выступающим и ведущим — сертификат выступающего"),
            CertificateKind.SPEAKER.value,
        )
        for picker, placeholder in (
            (self.program, "любая программа — начните вводить название"),
            (self.platform, "любая площадка — начните вводить название"),
            (self.event, "начните вводить название мероприятия"),
        ):
            picker.edit.setPlaceholderText(self.tr(placeholder))

        # One grid for both choices, so their labels and fields line up.
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        grid.setColumnMinimumWidth(0, 18)
        grid.setColumnStretch(2, 1)
        period = QHBoxLayout()
        period.setSpacing(6)
        period.addWidget(QLabel(self.tr("с"), page))
        period.addWidget(self.date_from)
        period.addSpacing(8)
        period.addWidget(QLabel(self.tr("по"), page))
        period.addWidget(self.date_to)
        period.addStretch(1)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        grid.addWidget(self.internship_radio, 0, 0, 1, 3)
        for row, (caption, field) in enumerate(
            (("Программа:", self.program), ("Площадка:", self.platform)), start=1
        ):
            grid.addWidget(QLabel(self.tr(caption), page), row, 1, right)
            grid.addWidget(field, row, 2)
        grid.addWidget(QLabel(self.tr("Дата завершения:"), page), 3, 1, right)
        grid.addLayout(period, 3, 2)
        grid.setRowMinimumHeight(4, 10)
        grid.addWidget(self.event_radio, 5, 0, 1, 3)
        grid.addWidget(QLabel(self.tr("Мероприятие:"), page), 6, 1, right)
        grid.addWidget(self.event, 6, 2)
        grid.addWidget(QLabel(self.tr("Кому:"), page), 7, 1, right)
        grid.addWidget(self.event_kind, 7, 2, Qt.AlignmentFlag.AlignLeft)
        self.internship_fields = (self.program, self.platform, self.date_from, self.date_to)
        self.event_fields = (self.event, self.event_kind)

        self.found_label = QLabel(page)
        self.found_label.setWordWrap(True)
        self.fixed_label = QLabel(page)
        self.fixed_label.setWordWrap(True)
        self.fixed_label.hide()

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._heading(self.tr("Кому выдать сертификаты"), page))
        layout.addWidget(
            self._hint(
                self.tr(
                    "Сертификат о прохождении стажировки получают завершившие стажировку, "
                    "у кого его ещё нет. Условия можно сочетать; пустое условие — без "
                    "ограничения."
                ),
                page,
            )
        )
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(self.fixed_label)
        layout.addSpacing(6)
        layout.addWidget(self.found_label)
        layout.addStretch(1)

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(300)
        self._count_timer.timeout.connect(self.count)
        for signal in (
            self.program.changed,
            self.platform.changed,
            self.date_from.changed,
            self.date_to.changed,
            self.event.changed,
        ):
            signal.connect(self._count_timer.start)
        self.event_kind.currentIndexChanged.connect(lambda _i: self._count_timer.start())
        self.internship_radio.toggled.connect(lambda _c: self._mode_changed())
        self._mode_changed()
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget(self)
        self.preview_heading = self._heading("", page)
        self.preview_subheading = QLabel(page)
        self.preview_subheading.setWordWrap(True)
        self.model = RecipientsModel(self)
        self.model.corrections_changed.connect(self._corrections_changed)
        self.table = QTableView(page)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        metrics = self.table.fontMetrics()
        for column, sample in (
            (RecipientsModel.ORGANIZATION, "МБДОУ д/с № 17 «Солнышко»"),
            (RecipientsModel.POSITION, "учитель начальных классов"),
        ):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)
        for column in (RecipientsModel.NAME, RecipientsModel.DATIVE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RecipientsModel.HOURS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_revert())
        self.revert_button = QPushButton(self.tr("Вернуть по правилам"), page)
        self.revert_button.setToolTip(
            self.tr("Напечатать ФИО выбранного педагога так, как его склоняют правила")
        )
        self.revert_button.setAutoDefault(False)
        self.revert_button.clicked.connect(self.revert_current)
        self.corrected_label = QLabel(page)
        note = self._hint(
            self.tr(
                "Проверьте ФИО в дательном падеже: так они будут напечатаны («выдан Ивановой "
                "Марии Петровне»). Исправить — двойной щелчок или F2, затем Enter. "
                "Исправленные формы выделены цветом; исправление сохраняется для педагога и "
                "используется во всех следующих документах."
            ),
            page,
        )
        bottom = QHBoxLayout()
        bottom.addWidget(self.corrected_label, 1)
        bottom.addWidget(self.revert_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview_heading)
        layout.addWidget(self.preview_subheading)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        return page

    def _output_page(self) -> QWidget:
        page = QWidget(self)
        self.issued_on = DateField(page)
        self.issued_on.set_value(self.today)
        self.pdf_box = QCheckBox(self.tr("Один файл PDF для печати:"), page)
        self.pdf_box.setChecked(True)
        self.pdf_edit = QLineEdit(page)
        self.pdf_choose = QPushButton(self.tr("Выбрать…"), page)
        self.pdf_choose.clicked.connect(self.choose_pdf)
        self.split_box = QCheckBox(self.tr("Отдельный файл на каждого, в папку:"), page)
        self.split_edit = QLineEdit(page)
        self.split_choose = QPushButton(self.tr("Выбрать…"), page)
        self.split_choose.clicked.connect(self.choose_folder)
        for button in (self.pdf_choose, self.split_choose):
            button.setAutoDefault(False)
        self.pdf_box.toggled.connect(lambda _c: self._outputs_toggled())
        self.split_box.toggled.connect(lambda _c: self._outputs_toggled())
        base = Path(self._base_folder())
        stamp = short_date(self.today)
        self.pdf_edit.setText(str(_free_path(base / f"Сертификаты {stamp}.pdf")))
        self.split_edit.setText(str(base / f"Сертификаты {stamp}"))

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.addWidget(QLabel(self.tr("Дата выдачи:"), page), 0, 0)
        grid.addWidget(self.issued_on, 0, 1, 1, 2, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.pdf_box, 1, 0)
        grid.addWidget(self.pdf_edit, 1, 1)
        grid.addWidget(self.pdf_choose, 1, 2)
        grid.addWidget(self.split_box, 2, 0)
        grid.addWidget(self.split_edit, 2, 1)
        grid.addWidget(self.split_choose, 2, 2)
        grid.setColumnStretch(1, 1)
        self.output_error = QLabel(page)
        self.output_error.setStyleSheet(ERROR_STYLE)
        self.output_error.setWordWrap(True)
        self.output_error.hide()
        self.output_status = QLabel(page)
        self.output_status.setWordWrap(True)
        self.output_summary = QLabel(page)
        self.output_summary.setWordWrap(True)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._heading(self.tr("Выдача и файлы"), page))
        layout.addWidget(self.output_summary)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(
            self._hint(
                self.tr(
                    "Один файл удобно печатать целиком; отдельные файлы получают понятные "
                    "имена («Иванова Мария Петровна СП-2026-0042.pdf») — их удобно рассылать."
                ),
                page,
            )
        )
        layout.addSpacing(8)
        layout.addWidget(
            self._hint(
                self.tr(
                    "При выдаче сертификатам присваиваются регистрационные номера, и они "
                    "вносятся в журнал регистрации; номер не меняется и не используется "
                    "повторно. Если отменить выдачу, номера не присваиваются и файлы не "
                    "создаются."
                ),
                page,
            )
        )
        layout.addWidget(self.output_error)
        layout.addWidget(self.output_status)
        layout.addStretch(1)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget(self)
        self.result_heading = self._heading("", page)
        self.result_heading.setStyleSheet(OK_STYLE)
        self.result_numbers = QPlainTextEdit(page)
        self.result_numbers.setReadOnly(True)
        self.result_files = QLabel(page)
        self.result_files.setWordWrap(True)
        self.result_files.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result_heading)
        layout.addWidget(QLabel(self.tr("Регистрационные номера:"), page))
        layout.addWidget(self.result_numbers, 1)
        layout.addWidget(self.result_files)
        return page

    # -- the first step ----------------------------------------------------------------------

    def _preset(self, selection: Selection | None) -> None:
        if self.fixed is not None:
            self.internship_radio.setChecked(True)
            for widget in (*self.internship_fields, *self.event_fields):
                widget.setEnabled(False)
            self.event_radio.hide()
            labels = [record_label(self.db, "internships", i) for i in self.fixed.internship_ids]
            self.fixed_label.setText(self.tr("Стажировка: {what}").format(what="; ".join(labels)))
            self.fixed_label.show()
            self._show_step(CHOOSE)
            self.load_recipients()
            return
        if selection is not None:
            if selection.kind == CertificateKind.INTERNSHIP:
                self.internship_radio.setChecked(True)
                self.program.choose(selection.program_id)
                self.platform.choose(selection.platform_id)
                self.date_from.set_value(selection.date_from)
                self.date_to.set_value(selection.date_to)
            else:
                self.event_radio.setChecked(True)
                self.event.choose(selection.event_id)
                self.event_kind.setCurrentIndex(
                    max(self.event_kind.findData(selection.kind.value), 0)
                )
            self._count_timer.stop()
            self._show_step(CHOOSE)
            self.load_recipients()
            return
        self._show_step(CHOOSE)
        self.count()

    def _mode_changed(self) -> None:
        internships = self.internship_radio.isChecked()
        for widget in self.internship_fields:
            widget.setEnabled(internships and self.fixed is None)
        for widget in self.event_fields:
            widget.setEnabled(not internships)
        self._count_timer.start()

    def selection(self) -> Selection:
        """What the first step describes; raises a UserError for an unfinished choice."""
        if self.fixed is not None:
            return self.fixed
        if self.event_radio.isChecked():
            if self.event.value() is None:
                raise UserError(self.tr("Выберите мероприятие из списка."))
            return Selection(
                kind=CertificateKind(self.event_kind.currentData()), event_id=self.event.value()
            )
        for picker, what in ((self.program, "программу"), (self.platform, "площадку")):
            if picker.unresolved():
                raise UserError(
                    self.tr("Выберите {what} из списка или очистите поле.").format(what=what)
                )
        start, end = self.date_from.date(), self.date_to.date()
        for field, value in ((self.date_from, start), (self.date_to, end)):
            if field.value() and value is None:
                raise UserError(self.tr("Дата завершения: укажите дату в виде ДД.ММ.ГГГГ."))
        if start and end and start > end:
            raise UserError(self.tr("Дата завершения: начало периода позже его конца."))
        return Selection(
            program_id=self.program.value(),
            platform_id=self.platform.value(),
            date_from=start,
            date_to=end,
        )

    def count(self) -> None:
        """How many would get a certificate now (read in the background as the user chooses)."""
        self._count_timer.stop()
        try:
            selection = self.selection()
        except UserError as exc:
            self._found(str(exc), error=False)  # said calmly while the user is choosing
            return
        self._count_generation += 1
        generation = self._count_generation

        def work(_progress: Progress) -> int:
            from ..services.issuing import recipients

            with self.db.session() as session:
                return len(recipients(session, selection))

        def done(n: int) -> None:
            if generation == self._count_generation and shiboken6.isValid(self):
                self._found(self._found_text(selection, n), error=False)

        def failed(exc: BaseException) -> None:
            if generation == self._count_generation and shiboken6.isValid(self):
                from .errors import report

                self._found(report(exc, "certificates count"), error=True)

        self.ctx.tasks.run(work, on_done=done, on_error=failed, show_dialog=False, essential=False)

    def _found_text(self, selection: Selection, n: int) -> str:
        if n == 0:
            if selection.kind == CertificateKind.INTERNSHIP:
                return self.tr("Нет завершённых стажировок без сертификата по этим условиям.")
            return self.tr(
                "Сертификаты всем отмеченным участникам уже выданы, или участники не отмечены "
                "как присутствовавшие."
            )
        return self.tr("Будет выдано: {n} {word}.").format(n=n, word=certificates_word(n))

    def _found(self, text: str, *, error: bool) -> None:
        self.found_label.setText(text)
        self.found_label.setStyleSheet(ERROR_STYLE if error else "")

    # -- the preview -------------------------------------------------------------------------

    def load_recipients(self) -> None:
        """Read who gets a certificate and show them in the preview (corrections kept)."""
        try:
            selection = self.selection()
        except UserError as exc:
            self._found(str(exc), error=True)
            return
        keep = self.model.corrections()

        def work(_progress: Progress) -> tuple[list[Recipient], dict[str, str]]:
            from ..services.issuing import recipients

            with self.db.session() as session:
                return recipients(session, selection), _names(session, selection)

        def done(result: tuple[list[Recipient], dict[str, str]]) -> None:
            found, names = result
            if not shiboken6.isValid(self):
                return
            if not found:
                self._found(self._found_text(selection, 0), error=True)
                self._show_step(CHOOSE)
                return
            self.model.set_recipients(found, keep)
            self._describe(selection, found, names)
            self._show_step(PREVIEW)
            self.table.setFocus()
            self.table.setCurrentIndex(self.model.index(0, RecipientsModel.DATIVE))

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                show_error(self, exc, "certificate recipients")
                self._show_step(CHOOSE)

        self.ctx.tasks.run(
            work,
            title=self.tr("Подбор получателей…"),
            parent=self,
            on_done=done,
            on_error=failed,
            essential=False,
        )

    def _describe(
        self, selection: Selection, found: list[Recipient], names: dict[str, str]
    ) -> None:
        n = len(found)
        kind = selection.kind
        what = {
            CertificateKind.INTERNSHIP: self.tr("о прохождении стажировки"),
            CertificateKind.PARTICIPATION: self.tr("участника"),
            CertificateKind.SPEAKER: self.tr("выступающего"),
        }.get(kind, "")
        self.preview_heading.setText(
            self.tr("Получатели: {n} {word} {what}").format(
                n=n, word=certificates_word(n), what=what
            )
        )
        parts = []
        if self.fixed is not None:
            parts.append(self.fixed_label.text())
        elif kind == CertificateKind.INTERNSHIP:
            if selection.program_id:
                parts.append(self.tr("программа «{t}»").format(t=names.get("program", "")))
            if selection.platform_id:
                parts.append(self.tr("площадка {t}").format(t=names.get("platform", "")))
            if selection.date_from or selection.date_to:
                span = " ".join(
                    p
                    for p in (
                        self.tr("с {d}").format(d=short_date(selection.date_from))
                        if selection.date_from
                        else "",
                        self.tr("по {d}").format(d=short_date(selection.date_to))
                        if selection.date_to
                        else "",
                    )
                    if p
                )
                parts.append(self.tr("завершены {span}").format(span=span))
            if not parts:
                parts.append(self.tr("все завершённые стажировки без сертификата"))
        else:
            parts.append(self.tr("мероприятие «{t}»").format(t=names.get("event", "")))
        self.preview_subheading.setText(capitalized("; ".join(parts)))

    def _corrections_changed(self) -> None:
        n = self.model.corrected_count()
        self.corrected_label.setText(self.tr("Исправлено вручную: {n}").format(n=n) if n else "")
        self._update_revert()

    def _update_revert(self) -> None:
        index = self.table.currentIndex()
        self.revert_button.setEnabled(index.isValid() and self.model.is_corrected(index.row()))

    def revert_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.revert(index.row())
            self._update_revert()

    # -- output ------------------------------------------------------------------------------

    def _base_folder(self) -> str:
        folder = self.ctx.settings.value(FOLDER_KEY, "")
        if folder and Path(str(folder)).is_dir():
            return str(folder)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return documents or str(Path.home())

    def _outputs_toggled(self) -> None:
        self.pdf_edit.setEnabled(self.pdf_box.isChecked())
        self.pdf_choose.setEnabled(self.pdf_box.isChecked())
        self.split_edit.setEnabled(self.split_box.isChecked())
        self.split_choose.setEnabled(self.split_box.isChecked())

    def choose_pdf(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Файл сертификатов"), self.pdf_edit.text(), self.tr("PDF (*.pdf)")
        )
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.pdf_edit.setText(path)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Папка для сертификатов"), self.split_edit.text()
        )
        if folder:
            self.split_edit.setText(folder)

    def outputs(self) -> tuple[Path | None, Path | None, date]:
        """The PDF, the folder and the date of issue; raises a UserError with what is wrong."""
        pdf = split = None
        if self.pdf_box.isChecked():
            text = self.pdf_edit.text().strip()
            if not text:
                raise UserError(self.tr("Укажите файл PDF."))
            pdf = Path(text).expanduser()
            if pdf.suffix.lower() != ".pdf":
                pdf = pdf.with_name(pdf.name + ".pdf")
            if pdf.is_dir():
                raise UserError(self.tr("«{p}» — папка, а нужен файл PDF.").format(p=pdf))
        if self.split_box.isChecked():
            text = self.split_edit.text().strip()
            if not text:
                raise UserError(self.tr("Укажите папку для отдельных файлов."))
            split = Path(text).expanduser()
            if split.exists() and not split.is_dir():
                raise UserError(self.tr("«{p}» — файл, а нужна папка.").format(p=split))
        if pdf is None and split is None:
            raise UserError(self.tr("Выберите, куда записать сертификаты: файл PDF или папку."))
        issued_on = self.issued_on.date()
        if issued_on is None:
            raise UserError(self.tr("Дата выдачи: укажите дату в виде ДД.ММ.ГГГГ."))
        return pdf, split, issued_on

    # -- issuing -----------------------------------------------------------------------------

    def issue(self) -> None:
        if self._running or not self.model.rows:
            return
        try:
            selection = self.selection()
            pdf, split, issued_on = self.outputs()
        except UserError as exc:
            self.output_error.setText(str(exc))
            self.output_error.show()
            return
        self.output_error.hide()
        self.output_status.clear()
        corrections = self.model.corrections()
        expected = self.model.person_ids()
        names = [self.model.dative(i) for i in range(len(self.model.rows))]
        ctx = self.ctx

        def work(progress: Progress) -> IssueResult:
            from ..reports.certificates import issue_certificates

            return issue_certificates(
                ctx.db,
                selection,
                pdf=pdf,
                split_dir=split,
                issued_on=issued_on,
                corrections=corrections,
                expected=expected,
                actor=ctx.actor,
                progress=progress.report,
            )

        self._running = True
        self._update_buttons()
        self.ctx.tasks.run(
            work,
            title=self.tr("Выдача сертификатов…"),
            parent=self,
            on_done=lambda result: self._issued(result, names, pdf, split),
            on_error=self._issue_failed,
            on_cancel=self._issue_cancelled,
        )

    def _issued(
        self, result: IssueResult, names: list[str], pdf: Path | None, split: Path | None
    ) -> None:
        self._running = False
        if not shiboken6.isValid(self):
            return
        self.result_ = result
        self.pdf_path = pdf
        self.split_path = split
        n = len(result.numbers)
        self.result_heading.setText(
            self.tr("Выдано {n} {word}.").format(n=n, word=certificates_word(n))
        )
        lines = (
            [f"{num} — {name}" for num, name in zip(result.numbers, names, strict=True)]
            if len(names) == n
            else list(result.numbers)
        )
        self.result_numbers.setPlainText("\n".join(lines))
        files = []
        if self.pdf_path is not None:
            files.append(self.tr("Файл для печати: {p}").format(p=self.pdf_path))
        if split is not None:
            separate = n if pdf is None else len(result.files) - 1
            files.append(self.tr("Отдельные файлы ({n}): {p}").format(n=max(separate, 0), p=split))
        self.result_files.setText("\n".join(files))
        folder = split if split is not None else pdf.parent if pdf is not None else None
        if folder is not None:
            self.ctx.settings.set_value(
                FOLDER_KEY, str(folder.parent if split is not None else folder)
            )
        self.model.set_recipients([])  # nothing unsaved is left
        self._show_step(RESULT)
        self.open_button.setFocus()
        try:
            self.window_.saved("certificates", 0)
            self.window_.saved("persons", 0)
        except Exception:
            log.exception("Pages could not be refreshed after issuing certificates")
        self.issued.emit(result)

    def _issue_failed(self, exc: BaseException) -> None:
        self._running = False
        if not shiboken6.isValid(self):
            return
        self._update_buttons()
        show_error(self, exc, "certificates issue")
        if isinstance(exc, UserError) and str(exc).startswith(CHANGED_SELECTION):
            self.load_recipients()

    def _issue_cancelled(self) -> None:
        self._running = False
        if not shiboken6.isValid(self):
            return
        self._update_buttons()
        self.output_status.setText(
            self.tr("Выдача отменена: номера не присвоены, файлы не созданы.")
        )

    # -- the result --------------------------------------------------------------------------

    def open_result(self, on_preview: Any = None) -> PdfPreviewDialog | None:
        """The single PDF in the preview; without one, the folder of separate files."""
        if self.pdf_path is not None:
            from .printing import show_preview

            preview = show_preview(self, self.pdf_path, self.tr("Сертификаты"), self.ctx)
            if preview is not None and on_preview is not None:
                on_preview(preview)
            return preview
        self.open_folder()
        return None

    def open_folder(self) -> None:
        folder = self.split_path or (self.pdf_path.parent if self.pdf_path else None)
        if folder is not None and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            QMessageBox.information(
                self,
                self.tr("Открыть папку"),
                self.tr("Не удалось открыть папку {p}.").format(p=folder),
            )

    # -- steps and buttons -------------------------------------------------------------------

    def _show_step(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        if step == OUTPUT:
            n = len(self.model.rows)
            corrected = self.model.corrected_count()
            text = self.tr("Будет выдано {n} {word}.").format(n=n, word=certificates_word(n))
            if corrected:
                text += " " + self.tr("ФИО исправлено вручную: {n}.").format(n=corrected)
            self.output_summary.setText(text)
        titles = {
            CHOOSE: "Шаг 1 из 3: кому",
            PREVIEW: "Шаг 2 из 3: получатели",
            OUTPUT: "Шаг 3 из 3: выдача",
            RESULT: "Готово",
        }
        self.step_label.setText(self.tr(titles[step]))
        self._update_buttons()

    def _update_buttons(self) -> None:
        step = self.steps.currentIndex()
        n = len(self.model.rows)
        self.back_button.setVisible(
            step in (PREVIEW, OUTPUT) and not (step == PREVIEW and self.fixed is not None)
        )
        self.next_button.setVisible(step in (CHOOSE, PREVIEW))
        self.issue_button.setVisible(step == OUTPUT)
        self.issue_button.setText(
            self.tr("Выдать {n} {word}").format(n=n, word=certificates_word(n))
        )
        self.open_button.setVisible(step == RESULT)
        self.folder_button.setVisible(step == RESULT and self.split_path is not None)
        self.close_button.setText(self.tr("Закрыть") if step == RESULT else self.tr("Отмена"))
        for button in (self.back_button, self.next_button, self.issue_button):
            button.setEnabled(not self._running)
        default = {
            CHOOSE: self.next_button,
            PREVIEW: self.next_button,
            OUTPUT: self.issue_button,
            RESULT: self.open_button,
        }[step]
        for button in (self.next_button, self.issue_button, self.open_button):
            button.setDefault(button is default)

    def next(self) -> None:
        step = self.steps.currentIndex()
        if step == CHOOSE:
            self.load_recipients()
        elif step == PREVIEW and self.model.rows:
            if self.table.state() == QAbstractItemView.State.EditingState:
                self.table.setFocus()  # the open editor commits its text
            self._show_step(OUTPUT)
            self.issue_button.setFocus()

    def back(self) -> None:
        step = self.steps.currentIndex()
        if step == OUTPUT:
            self._show_step(PREVIEW)
        elif step == PREVIEW and self.fixed is None:
            self._show_step(CHOOSE)
            self.count()

    # -- unsaved corrections and closing -----------------------------------------------------

    def is_dirty(self) -> bool:
        return bool(self.model.corrections()) and self.result_ is None

    def mark_clean(self) -> None:
        self.model.set_recipients(list(self.model.rows))

    def reject(self) -> None:
        if self._running:
            return
        if self.is_dirty():
            answer = QMessageBox.question(
                self,
                self.tr("Выдача сертификатов"),
                self.tr("Сертификаты не выданы, и исправленные ФИО не сохранятся. Закрыть окно?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def done(self, result: int) -> None:
        self.ctx.settings.set_state(GEOMETRY_KEY, self.saveGeometry())
        super().done(result)


def _names(session: Any, selection: Selection) -> dict[str, str]:
    """The program's and event's titles and the platform's name for the preview's heading."""
    from sqlalchemy import select

    from ..models import Event, Organization, Platform, Program

    names: dict[str, str] = {}
    if selection.program_id:
        names["program"] = (
            session.scalar(select(Program.title).where(Program.id == selection.program_id)) or ""
        )
    if selection.platform_id:
        names["platform"] = (
            session.scalar(
                select(Organization.short_name)
                .join(Platform, Platform.organization_id == Organization.id)
                .where(Platform.id == selection.platform_id)
            )
            or ""
        )
    if selection.event_id:
        names["event"] = (
            session.scalar(select(Event.title).where(Event.id == selection.event_id)) or ""
        )
    return names


def _free_path(path: Path) -> Path:
    """``path``, or «name (2).pdf», «name (3).pdf»… when it is taken."""
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
    return candidate


def open_certificates_dialog(
    window: MainWindow,
    parent: QWidget | None = None,
    selection: Selection | None = None,
) -> CertificatesDialog | None:
    """Open the issuing dialog (window-modal over ``parent``)."""
    try:
        dialog = CertificatesDialog(window, parent, selection)
    except Exception as exc:
        show_error(parent or window, exc, "certificates dialog")
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
