"""The dialogs of the route tab: marking a step done, and choosing proposed steps."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...formats import number, plural
from ...models import StepKind
from ...services import labels
from ..forms import ERROR_STYLE
from ..widgets import DateField
from .common import MUTED, SECTION_STYLE, hint_label, tr
from .data import StepRow


class MarkDoneDialog(QDialog):
    def __init__(self, step: StepRow, today: date, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Шаг выполнен"))
        title = QLabel(tr("Шаг № {n}. {title}").format(n=step.position, title=step.title), self)
        title.setWordWrap(True)
        title.setStyleSheet(SECTION_STYLE)
        self.date_field = DateField(self)
        self.date_field.set_value(today)
        self.evidence = QPlainTextEdit(self)
        self.evidence.setTabChangesFocus(True)
        self.evidence.setPlainText(step.evidence)
        self.evidence.setPlaceholderText(tr("Что подтверждает выполнение: продукт, справка…"))
        self.evidence.setFixedHeight(self.evidence.fontMetrics().lineSpacing() * 4 + 12)
        self.mark = QLineEdit(step.mentor_mark, self)
        self.mark.setMaxLength(255)
        self.mark.setPlaceholderText(tr("например: выполнено полностью"))
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        form = QFormLayout()
        form.addRow(tr("Дата выполнения *:"), self.date_field)
        form.addRow(tr("Подтверждение:"), self.evidence)
        form.addRow(tr("Отметка наставника:"), self.mark)
        buttons = QDialogButtonBox(self)
        ok = buttons.addButton(tr("Отметить"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton(tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.date_field.setFocus()

    def values(self) -> tuple[date | None, str, str]:
        return (
            self.date_field.date(),
            self.evidence.toPlainText().strip(),
            self.mark.text().strip(),
        )

    def accept(self) -> None:
        if self.date_field.date() is None:
            self.error.setText(tr("Укажите дату выполнения в виде ДД.ММ.ГГГГ."))
            self.error.show()
            self.date_field.setFocus()
            return
        super().accept()


class ProposeDialog(QDialog):
    """The proposed steps with check boxes, grouped: program modules not yet in the route,
    and the deficits of the latest entry diagnostics."""

    def __init__(
        self,
        proposals: list[dict[str, Any]],
        parent: QWidget,
        steps: list[StepRow] | None = None,
        has_entry: bool = True,
    ) -> None:
        super().__init__(parent)
        taken = [s.deficit for s in steps or [] if s.deficit]
        self.setWindowTitle(tr("Предложить шаги маршрута"))
        self.proposals = proposals
        self.items: list[QTreeWidgetItem] = []
        intro = QLabel(
            tr(
                "Отметьте шаги, которые нужно добавить в маршрут. Сроки и подробности можно "
                "указать потом в самом шаге."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([tr("Шаг"), tr("Вид"), tr("Часы")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        groups = (
            (StepKind.MODULE, tr("Модули программы, которых ещё нет в маршруте")),
            (StepKind.MENTORING, tr("Дефициты входной диагностики")),
        )
        similar_count = 0
        for kind, caption in groups:
            members = [p for p in proposals if p["kind"] == kind]
            if not members:
                continue
            head = QTreeWidgetItem(self.tree, [f"{caption} ({len(members)})"])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            head.setFirstColumnSpanned(True)
            for proposal in members:
                item = QTreeWidgetItem(
                    head,
                    [
                        proposal["title"],
                        labels.STEP_KIND[proposal["kind"].value],
                        number(proposal.get("hours") or 0),
                    ],
                )
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsSelectable
                )
                deficit = proposal.get("deficit") or ""
                # A step for the same deficit worded a little differently may already exist.
                similar = bool(deficit) and any(
                    deficit.endswith(t) or t.endswith(deficit) for t in taken
                )
                item.setCheckState(0, Qt.CheckState.Unchecked if similar else Qt.CheckState.Checked)
                tip = deficit or proposal["title"]
                if similar:
                    similar_count += 1
                    tip += "\n" + tr("Шаг по этому дефициту, похоже, уже есть в маршруте.")
                    for column in range(3):
                        item.setForeground(column, MUTED)
                item.setToolTip(0, tip)
                item.setTextAlignment(
                    2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                item.setData(0, Qt.ItemDataRole.UserRole, len(self.items))
                self.items.append(item)
        self.similar_note = hint_label(self)
        if similar_count:
            self.similar_note.setText(
                tr(
                    "По {n} {word} шаги, похоже, уже есть в маршруте — они не отмечены; "
                    "отметьте их, если шаги всё же нужны."
                ).format(
                    n=similar_count,
                    word=plural(similar_count, "дефициту", "дефицитам", "дефицитам"),
                )
            )
        elif not has_entry:
            self.similar_note.setText(
                tr(
                    "Входной диагностики ещё нет: шаги по профессиональным дефицитам "
                    "можно будет предложить после неё."
                )
            )
        self.similar_note.setVisible(bool(similar_count) or not has_entry)
        self.tree.expandAll()
        self.tree.header().setStretchLastSection(False)
        self.tree.header().resizeSection(1, 190)
        self.tree.header().resizeSection(2, 60)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.itemChanged.connect(lambda *_: self._update())
        self.empty = hint_label(
            self,
            tr(
                "Предложить нечего: все модули программы уже есть в маршруте, а дефицитов "
                "входной диагностики нет (или входной диагностики ещё нет)."
            ),
        )
        self.empty.setVisible(not proposals)
        self.tree.setVisible(bool(proposals))
        self.all_button = QPushButton(tr("Отметить все"), self)
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button = QPushButton(tr("Снять все"), self)
        self.none_button.clicked.connect(lambda: self._check_all(False))
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(tr("Добавить"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.addButton(tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.similar_note)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        self.resize(860, 520 if proposals else 200)
        self._update()
        self.tree.setFocus()

    def _check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for item in self.items:
            item.setCheckState(0, state)

    def chosen(self) -> list[dict[str, Any]]:
        return [
            self.proposals[i]
            for i, item in enumerate(self.items)
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def _update(self) -> None:
        n = len(self.chosen())
        self.ok_button.setEnabled(n > 0)
        self.ok_button.setText(
            tr("Добавить {n} {word}").format(n=n, word=plural(n, "шаг", "шага", "шагов"))
            if n
            else tr("Добавить")
        )
        for b in (self.all_button, self.none_button):
            b.setVisible(bool(self.items))
