"""The program editor: a modular program's details and competencies edited in place, and its
ordered modules with their hours; the totals follow every change."""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..errors import DeleteRefusedError
from ..formats import plural
from ..models import Competency, Program
from ..services.programs import MODULE_FORMS, ModuleService, ProgramService, close_gaps
from .child_table import (
    CheckList,
    ChildColumn,
    ChildTable,
    EditorWindow,
    RecordDetails,
    muted_color,
    open_editor,
    scrolled,
    title_font,
)
from .entities import EntityKind
from .errors import report, show_error
from .forms import EntityForm
from .main_window import MainWindow
from .printing import add_print_buttons

log = logging.getLogger(__name__)

# The module form: the number follows the order in the table (moved with «Выше»/«Ниже»).
MODULE_KIND = EntityKind(
    "program_modules",
    ModuleService,
    "Новый модуль программы",
    sections=(
        (
            "",
            (
                "title",
                "form",
                "hours_theory",
                "hours_practice",
                "content",
                "expected_result",
                "assessment",
            ),
        ),
    ),
)

MODULE_COLUMNS = (
    ChildColumn("position", "№", kind="int", width=3),
    ChildColumn("title", "Модуль", width=40, stretch=True),
    ChildColumn("form", "Форма", width=22),
    ChildColumn("hours_theory", "Теория, ч", kind="int", width=8),
    ChildColumn("hours_practice", "Практика, ч", kind="int", width=11),
    ChildColumn("hours", "Всего, ч", kind="int", width=8),
)


def hours_text(theory: int, practice: int) -> str:
    """«72 часа (теория 24, практика 48)»."""
    total = theory + practice
    return QCoreApplication.translate(
        "ProgramEditor", "{total} {word} (теория {theory}, практика {practice})"
    ).format(
        total=total,
        word=plural(total, "час", "часа", "часов"),
        theory=theory,
        practice=practice,
    )


class ProgramEditor(EditorWindow):
    registry = "programs"
    default_size = (1200, 760)

    def __init__(self, window: MainWindow, record_id: int) -> None:
        super().__init__(window, record_id)
        self.service = ProgramService()
        self.module_service = ModuleService()
        self._competencies: list[int] = []
        self._build()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel(self)
        self.heading.setFont(title_font(self, 1.3))
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subheading = QLabel(self)
        self.subheading.setStyleSheet(f"color: {muted_color(self)};")

        self.details = RecordDetails(
            self.db,
            self.service,
            (
                (
                    "Сведения о программе",
                    (
                        "title",
                        "platform_id",
                        "audience",
                        "duration_months",
                        "approved_on",
                        "approval_order",
                    ),
                ),
                ("Цели и результаты", ("goals", "expected_results")),
            ),
            self,
        )
        self.details.edited.connect(self.update_dirty)
        for name in ("goals", "expected_results"):
            text = self.details.editors[name].widget
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 6 + 12)
        self.competency_list = CheckList(self)
        self.competency_list.edited.connect(self.update_dirty)
        self.details.add_section("Целевые компетенции", self.competency_list)
        self.details.body.addStretch(1)
        left = scrolled(self.details, self)
        left.setMinimumWidth(380)

        self.modules = ChildTable(MODULE_COLUMNS, self, add_text="Добавить модуль…")
        self.modules.add_requested.connect(self.add_module)
        self.modules.edit_requested.connect(self.edit_module)
        self.modules.delete_requested.connect(self.delete_modules)
        self.modules.move_requested.connect(self.move_module)
        totals_font = self.modules.footer.font()
        totals_font.setBold(True)
        self.modules.footer.setFont(totals_font)
        self.modules.table.selectionModel().selectionChanged.connect(lambda *_: self._show_module())
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setContentsMargins(4, 4, 4, 4)
        preview_area = scrolled(self.preview, self)
        preview_area.setMinimumHeight(90)
        box = QGroupBox(self.tr("Модули программы"), self)
        box_layout = QVBoxLayout(box)
        inner = QSplitter(Qt.Orientation.Vertical, box)
        inner.addWidget(self.modules)
        inner.addWidget(preview_area)
        inner.setStretchFactor(0, 3)
        inner.setStretchFactor(1, 2)
        inner.setSizes([420, 220])
        inner.setChildrenCollapsible(False)
        box_layout.addWidget(inner)

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([470, 700])
        splitter.setChildrenCollapsible(False)

        self.certificates_button = QPushButton(self.tr("Сертификаты по программе…"), self)
        self.certificates_button.setToolTip(
            self.tr("Выдать сертификаты завершившим стажировку по этой программе")
        )
        self.certificates_button.clicked.connect(self.issue_certificates)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        head.addLayout(titles, 1)
        documents = QHBoxLayout()
        self.print_buttons = add_print_buttons(
            documents, self, self.ctx, "programs", self._ids_to_print, caption=""
        )
        for key, button in self.print_buttons.items():
            if key == "program":
                button.setText(self.tr("Печать программы"))
        documents.addWidget(self.certificates_button)
        head.addLayout(documents)
        head.setAlignment(documents, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)
        layout.addLayout(self.bottom_bar())

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the program anew; unsaved edits of its details are dropped."""
        with self.db.session() as session:
            program = self.service.get(session, self.record_id)
            self.details.load(program)
            checked = [c.id for c in program.competencies]
            items = self._competency_items(session, checked)
        self.competency_list.set_items(items, checked)
        self._competencies = sorted(checked)
        self.reload_modules()
        self.update_dirty()

    def _competency_items(self, session: Session, checked: list[int]) -> list[tuple[int, str]]:
        rows = session.execute(
            select(Competency.id, Competency.name)
            .where(or_(Competency.active.is_(True), Competency.id.in_(checked or [0])))
            .order_by(Competency.sort_order, Competency.name)
        ).all()
        return [(int(i), name) for i, name in rows]

    def reload_modules(self, select_id: int | None = None) -> None:
        """The modules and the totals (the details being edited stay as they are)."""
        with self.db.session() as session:
            program = self.service.get(session, self.record_id)
            rows = [
                {
                    "id": m.id,
                    "position": m.position,
                    "title": m.title,
                    "form": m.form,
                    "hours_theory": m.hours_theory,
                    "hours_practice": m.hours_practice,
                    "hours": m.hours,
                    "content": m.content,
                    "expected_result": m.expected_result,
                    "assessment": m.assessment,
                }
                for m in program.modules
            ]
            title = program.title
            platform = program.platform.organization.short_name
        self.modules.set_rows(rows, select=select_id)
        if self.modules.current_id() is None and rows:
            self.modules.select_id(rows[0]["id"])  # its content shows under the table
        self._show_module()
        theory = sum(r["hours_theory"] for r in rows)
        practice = sum(r["hours_practice"] for r in rows)
        n = len(rows)
        if n:
            self.modules.footer.setText(
                self.tr("Всего: {n} {word}, {hours}").format(
                    n=n,
                    word=plural(n, "модуль", "модуля", "модулей"),
                    hours=hours_text(theory, practice),
                )
            )
        else:
            self.modules.footer.setText(
                self.tr("Модулей пока нет. Добавьте первый: «Добавить модуль…» (Insert).")
            )
        total = theory + practice
        self.heading.setText(title)
        self.subheading.setText(
            self.tr("Модульная программа · площадка {platform} · {hours} {word}").format(
                platform=platform, hours=total, word=plural(total, "час", "часа", "часов")
            )
        )
        self.set_title(self.tr("Программа: {title}").format(title=title))

    def _show_module(self) -> None:
        """The selected module's content, result and assessment under the table."""
        module_id = self.modules.current_id()
        row = None
        if module_id is not None:
            row = self.modules.model.row(self.modules.model.row_of(module_id) or 0)
        if row is None:
            self.preview.setText(
                "<span style='color: "
                + muted_color(self)
                + "'>"
                + html.escape(self.tr("Выберите модуль, чтобы увидеть его содержание."))
                + "</span>"
            )
            return
        parts = [f"<b>{html.escape(str(row['position']))}. {html.escape(row['title'])}</b>"]
        for key, label in (
            ("content", self.tr("Содержание")),
            ("expected_result", self.tr("Планируемый результат")),
            ("assessment", self.tr("Форма контроля")),
        ):
            text = (row.get(key) or "").strip()
            if text:
                body = html.escape(text).replace("\n", "<br>")
                parts.append(f"<p style='margin-top:6px'><i>{html.escape(label)}:</i> {body}</p>")
        if len(parts) == 1:
            parts.append("<p>" + html.escape(self.tr("Содержание модуля не заполнено.")) + "</p>")
        self.preview.setText("".join(parts))

    # -- state -------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return (
            self.details.is_dirty()
            or sorted(self.competency_list.checked_ids()) != self._competencies
        )

    def mark_clean(self) -> None:
        self.details.mark_clean()
        self._competencies = sorted(self.competency_list.checked_ids())
        self.update_dirty()

    def save_details(self) -> bool:
        chosen = self.competency_list.checked_ids()
        changed = sorted(chosen) != self._competencies

        def competencies(session: Session) -> None:
            if changed:
                self.service.set_competencies(session, self.record_id, chosen)

        if not self.save_record(self.details, competencies):
            return False
        self.reload_modules()  # the heading shows the saved title
        return True

    # -- documents ---------------------------------------------------------------------------

    def _ids_to_print(self) -> list[int]:
        """The program to print; unsaved details are saved first, if the user wants."""
        if self.is_dirty():
            answer = QMessageBox.question(
                self,
                self.tr("Печать программы"),
                self.tr(
                    "Сведения о программе изменены. Сохранить их перед печатью?\n"
                    "«Нет» — напечатать программу без этих изменений."
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes and not self.save_details():
                return []  # the problems are shown at the fields
        return [self.record_id]

    def issue_certificates(self) -> None:
        from ..services.issuing import Selection
        from .certificates_dialog import open_certificates_dialog

        open_certificates_dialog(self.main, self, Selection(program_id=self.record_id))

    # -- modules -----------------------------------------------------------------------------

    def _module_form(self, module_id: int | None) -> EntityForm:
        form = EntityForm(
            self.db,
            MODULE_KIND,
            module_id,
            fixed={"program_id": self.record_id},
            actor=self.ctx.actor,
            parent=self,
        )
        edit = form.editors["form"].widget
        if isinstance(edit, QLineEdit):
            completer = QCompleter(list(MODULE_FORMS), edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
            edit.setPlaceholderText(self.tr("лекция, практикум, мастер-класс…"))
        form.saved.connect(lambda mid: self._modules_changed(mid))
        form.deleted.connect(lambda _mid: self._module_deleted())
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return form

    def add_module(self) -> None:
        try:
            self._module_form(None).open()
        except Exception as exc:
            show_error(self, exc, "module form")

    def edit_module(self, module_id: int) -> None:
        try:
            self._module_form(module_id).open()
        except Exception as exc:
            show_error(self, exc, "module form")

    def _modules_changed(self, select_id: int | None = None) -> None:
        self.reload_modules(select_id)
        self.main.saved(self.registry, self.record_id)

    def _module_deleted(self) -> None:
        try:
            with self.db.session() as session:
                self._compact(session)
        except Exception as exc:
            show_error(self, exc, "module renumber")
        self._modules_changed()

    def _compact(self, session: Session) -> None:
        """Number the remaining modules 1, 2, 3… again after a deletion."""
        session.expire_all()
        program = session.get(Program, self.record_id)
        if program is not None:
            close_gaps(session, program.modules)

    def delete_modules(self, ids: list[int]) -> None:
        rows = {r["id"]: r for r in self.modules.model.record_rows()}
        if len(ids) == 1:
            question = self.tr("Удалить модуль «{title}»?").format(title=rows[ids[0]]["title"])
        else:
            question = self.tr("Удалить выбранные модули ({n})?").format(n=len(ids))
        answer = QMessageBox.question(
            self,
            self.tr("Удаление модуля"),
            question + " " + self.tr("Это действие нельзя отменить."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.db.session() as session:
                for module_id in ids:
                    self.module_service.delete(session, module_id, actor=self.ctx.actor)
                self._compact(session)
        except DeleteRefusedError as exc:
            report(exc, "module delete")
            QMessageBox.information(self, self.tr("Удаление невозможно"), str(exc))
            return
        except Exception as exc:
            show_error(self, exc, "module delete")
            return
        self._modules_changed()

    def move_module(self, module_id: int, step: int) -> None:
        ids = [r["id"] for r in self.modules.model.record_rows()]
        if module_id not in ids:
            return
        target = ids.index(module_id) + step
        if not 0 <= target < len(ids):
            return
        try:
            with self.db.session() as session:
                self.module_service.move(session, module_id, target + 1)
        except Exception as exc:
            show_error(self, exc, "module move")
            return
        self._modules_changed(module_id)
        self.modules.table.setFocus()


def open_program_editor(
    window: MainWindow, record_id: int | None, defaults: dict[str, Any]
) -> QWidget | None:
    return open_editor(window, ProgramEditor, record_id, defaults)
