"""Two people, one record: the dialog shown when a form's save is refused because someone else
saved the record since the form loaded it.

It lists, field by field, what is stored now against what this form holds, marks the fields
the other user changed, and offers three ways on: «Показать их версию» (the form reloads the
stored record, the user's edits dropped), «Сохранить мои» (save again over the version just
shown) or «Отмена» (the form stays open as it is, nothing saved). Nothing is overwritten
silently."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

CHANGED_BY_THEM = QColor("#fff3cd")


@dataclass(frozen=True)
class Difference:
    """One field that differs: its label, the stored text, this form's text, and whether the
    other user changed it (the stored value is not what the form loaded)."""

    label: str
    theirs: str
    mine: str
    changed_by_them: bool


class Choice(enum.Enum):
    THEIRS = "theirs"  # reload the form with the stored record
    MINE = "mine"  # save the form's values over the stored version
    CANCEL = "cancel"  # keep the form open, nothing saved


class ConflictDialog(QDialog):
    """Ask what to do about a stale save; :attr:`choice` says what the user chose."""

    def __init__(
        self,
        title: str,
        who: str,
        differences: list[Difference],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choice = Choice.CANCEL
        self.differences = differences
        self.setWindowTitle(self.tr("Запись изменил другой пользователь"))
        intro = QLabel(self)
        intro.setWordWrap(True)
        by = self.tr(" (последним её изменил {who})").format(who=who) if who else ""
        intro.setText(
            self.tr(
                "Пока форма была открыта, запись «{title}» сохранил другой пользователь{by}. "
                "Ваши изменения ещё не сохранены. Сравните версии и выберите, что делать."
            ).format(title=title, by=by)
        )
        self.table = QTableWidget(len(differences), 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Поле"), self.tr("Сохранено сейчас"), self.tr("В этой форме")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, diff in enumerate(differences):
            for column, text in enumerate((diff.label, diff.theirs or "—", diff.mine or "—")):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if diff.changed_by_them:
                    item.setBackground(QBrush(CHANGED_BY_THEM))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        legend = QLabel(self.tr("Жёлтым отмечены поля, которые изменил другой пользователь."), self)
        legend.setStyleSheet("color: palette(mid);")
        if not differences:
            legend.setText(
                self.tr("Значения полей совпадают: другой пользователь сохранил то же самое.")
            )
        buttons = QDialogButtonBox(self)
        self.theirs_button = buttons.addButton(
            self.tr("Показать их версию"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.theirs_button.setToolTip(
            self.tr("Открыть в форме сохранённую запись; ваши изменения будут отброшены")
        )
        self.mine_button = buttons.addButton(
            self.tr("Сохранить мои"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.mine_button.setToolTip(
            self.tr("Записать значения этой формы поверх показанной версии")
        )
        self.cancel_button = buttons.addButton(
            self.tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setDefault(True)
        self.theirs_button.clicked.connect(lambda: self._choose(Choice.THEIRS))
        self.mine_button.clicked.connect(lambda: self._choose(Choice.MINE))
        self.cancel_button.clicked.connect(lambda: self._choose(Choice.CANCEL))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        layout.addWidget(buttons)
        self.resize(720, min(220 + 34 * max(len(differences), 1), 620))
        self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        if choice is Choice.CANCEL:
            self.reject()
        else:
            self.accept()
