"""The form of one record, built from its service's field specifications.

Required fields are marked; the service validates, and each problem it reports is shown under
its field. A stale record (saved by someone else meanwhile) is refused by its version. Closing
with unsaved changes asks first. Ctrl+S saves, Esc closes.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..db import Database
from ..errors import ConflictError, DeleteRefusedError, ValidationError
from ..formats import number
from ..services.validation import Field
from .entities import REGISTRY_OF_MODEL, EntityKind
from .errors import message_for, report, show_error
from .roles import may_change, read_only_reason
from .widgets import DateField, LinkListEditor, RecordPicker, row_label

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #b3261e;"
INVALID_STYLE = "border: 1px solid #b3261e; border-radius: 2px;"


class FieldEditor:
    """One field's widget with a uniform value interface."""

    def __init__(
        self,
        spec: Field,
        db: Database,
        parent: QWidget,
        choices: Sequence[tuple[Any, str]] | None = None,
        picker_filters: dict[str, Any] | None = None,
    ) -> None:
        self.spec = spec
        self.choices = list(choices) if choices is not None else None
        self.widget = self._make(db, parent, picker_filters)
        self.error = QLabel(parent)
        self.error_spacer = QLabel(parent)  # the empty label cell of the error's row
        self.error_spacer.hide()
        self.error.setStyleSheet(ERROR_STYLE)
        # One line: a wrapped label in a form row is given too little height and is clipped.
        self.error.setWordWrap(False)
        self.error.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.error.hide()

    def _make(self, db: Database, parent: QWidget, picker_filters: dict[str, Any] | None) -> Any:
        spec = self.spec
        if self.choices is not None or spec.kind == "enum":
            box = QComboBox(parent)
            if not spec.required:
                box.addItem("—", None)
            if self.choices is not None:
                for value, label in self.choices:
                    box.addItem(label, value)
            else:
                assert spec.enum is not None
                for member in spec.enum:
                    box.addItem(spec.enum_labels.get(member.value, member.value), member.value)
            return box
        if spec.kind == "bool":
            return QCheckBox(parent)
        if spec.kind == "date":
            return DateField(parent)
        if spec.kind == "ref":
            registry = REGISTRY_OF_MODEL.get(spec.ref) if spec.ref else None
            if registry is None:
                raise ValueError(f"field {spec.name}: no registry to pick {spec.ref} from")
            return RecordPicker(db, registry, parent, filters=picker_filters)
        if spec.kind == "text":
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
            return edit
        edit = QLineEdit(parent)
        if spec.max_len:
            edit.setMaxLength(
                spec.max_len + 50
            )  # the service names the limit; cut nothing silently
        if spec.kind in ("int", "float"):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(140)
        if spec.kind == "snils":
            edit.setPlaceholderText("000-000-000 00")
            edit.setMaximumWidth(170)
        return edit

    # -- value -----------------------------------------------------------------------------

    def value(self) -> Any:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, DateField):
            return w.value()
        if isinstance(w, RecordPicker):
            return w.value()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        return w.text()

    def set_value(self, value: Any) -> None:
        w = self.widget
        if isinstance(value, enum.Enum):
            value = value.value
        if isinstance(w, QComboBox):
            index = w.findData(value)
            w.setCurrentIndex(max(index, 0))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, DateField):
            w.set_value(value if isinstance(value, date) else (value or ""))
        elif isinstance(w, RecordPicker):
            w.choose(value)
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText("" if value is None else str(value))
        elif self.spec.kind in ("int", "float"):
            w.setText(number(value))
        else:
            w.setText("" if value is None else str(value))
            w.setCursorPosition(0)  # a long value shows its beginning

    def unresolved(self) -> bool:
        return isinstance(self.widget, RecordPicker) and self.widget.unresolved()

    def changed_signal(self) -> Any:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentIndexChanged
        if isinstance(w, QCheckBox):
            return w.toggled
        if isinstance(w, DateField | RecordPicker):
            return w.changed
        return w.textChanged

    def show_error(self, messages: list[str]) -> None:
        target = (
            self.widget.edit if isinstance(self.widget, DateField | RecordPicker) else self.widget
        )
        self.error_spacer.setVisible(bool(messages))
        if messages:
            self.error.setText("; ".join(messages))
            self.error.show()
            target.setStyleSheet(INVALID_STYLE if not isinstance(target, QCheckBox) else "")
            target.setToolTip("; ".join(messages))
        else:
            self.error.hide()
            target.setStyleSheet("")
            target.setToolTip("")


def clear_errors(editors: dict[str, FieldEditor], banner: QLabel) -> None:
    banner.hide()
    for editor in editors.values():
        editor.show_error([])


def show_problems(
    editors: dict[str, FieldEditor], banner: QLabel, exc: ValidationError, headline: str
) -> None:
    """Each problem under its field, the rest (and ``headline``) in the banner; the first
    field with a problem gets the focus."""
    general: list[str] = []
    first = None
    for problem in exc.problems:
        editor = editors.get(problem.field)
        if editor is None:
            general.append(str(problem))
            continue
        editor.show_error(exc.for_field(problem.field))
        first = first or problem.field
    banner.setText("\n".join(([headline] if first else []) + general))
    banner.show()
    if first:
        focus_editor(editors[first])


def focus_editor(editor: FieldEditor) -> None:
    """Focus a field's widget and scroll it into view."""
    widget = editor.widget
    widget.setFocus()
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        parent.ensureWidgetVisible(widget)


class EntityForm(QDialog):
    """Create or edit one record of an entity kind.

    ``fixed`` values are set and not shown (the internship of a journal entry opened from its
    card); ``choices`` replace a field's widget by a list (the steps of this route)."""

    saved = Signal(int)
    deleted = Signal(int)

    def __init__(
        self,
        db: Database,
        kind: EntityKind,
        record_id: int | None = None,
        *,
        defaults: dict[str, Any] | None = None,
        fixed: dict[str, Any] | None = None,
        choices: dict[str, Sequence[tuple[Any, str]]] | None = None,
        actor: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.kind, self.record_id = db, kind, record_id
        self.service = kind.service()
        self.fixed = dict(fixed or {})
        self.choices = dict(choices or {})
        self.actor = actor
        # A role that may not change this kind of record sees the form for reading only.
        self.read_only = not may_change(db.principal, kind)
        self.version: int | None = None
        self.setWindowTitle(self.tr(kind.new_title) if record_id is None else "")
        self.editors: dict[str, FieldEditor] = {}
        self._snapshot: dict[str, Any] | None = None  # the values as loaded, for «unsaved»
        self._build(choices or {})
        self._load(defaults or {})
        self._snapshot = self.values()
        if self.read_only:
            self._make_read_only()
        self._update_consent_button()
        self.setMinimumWidth(560)

    # -- building ----------------------------------------------------------------------------

    def _build(self, choices: dict[str, Sequence[tuple[Any, str]]]) -> None:
        fields = {
            f.name: f
            for f in self.service.fields
            if f.name not in self.fixed and (f.name not in self.kind.hidden or f.name in choices)
        }
        sections = self.kind.sections or (("", tuple(fields)),)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE + "padding: 6px; background: #fdecea;")
        self.banner.hide()
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        for title, names in sections:
            box: QWidget = QGroupBox(self.tr(title), body) if title else QWidget(body)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            for name in names:
                if name not in fields:
                    continue
                spec = fields[name]
                editor = FieldEditor(
                    spec,
                    self.db,
                    box,
                    choices.get(name),
                    self.kind.picker_filters.get(name),
                )
                self.editors[name] = editor
                label = QLabel(spec.label + (" *" if spec.required else "") + ":", box)
                label.setToolTip(self.tr("Обязательное поле") if spec.required else "")
                form.addRow(label, editor.widget)
                # The error gets a row of its own, as wide as the field column (a narrow
                # field — a date, СНИЛС — would otherwise cut it); hidden rows take no space.
                form.addRow(editor.error_spacer, editor.error)
                editor.changed_signal().connect(self._edited)
            body_layout.addWidget(box)
        self.links: dict[str, LinkListEditor] = {}
        for link in self.kind.links:
            group = QGroupBox(self.tr(link.label), body)
            editor = LinkListEditor(self.db, link.registry, group)
            QVBoxLayout(group).addWidget(editor)
            editor.changed.connect(self._edited)
            self.links[link.attribute] = editor
            body_layout.addWidget(group)
        self.file_path: str | None = None  # a file chosen to attach on save
        self.file_button: QPushButton | None = None
        if self.kind.has_file:
            body_layout.addWidget(self._file_box(body))
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        note = QLabel(self.tr("* — обязательные поля"), self)
        note.setStyleSheet("color: palette(mid);")
        self.note = note
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            self.tr("Сохранить"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Сохранить (Ctrl+S)"))
        self.buttons.addButton(self.tr("Закрыть"), QDialogButtonBox.ButtonRole.RejectRole)
        self.delete_button: QPushButton | None = None
        if self.record_id is not None and not self.kind.read_only:
            self.delete_button = self.buttons.addButton(
                self.tr("Удалить"), QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.delete_button.clicked.connect(self.delete)
        self.history_button: QPushButton | None = None
        if self.record_id is not None and self._window() is not None:
            from .audit import may_read_audit

            if may_read_audit(self.db.principal):
                self.history_button = self.buttons.addButton(
                    self.tr("История изменений…"), QDialogButtonBox.ButtonRole.ActionRole
                )
                self.history_button.setToolTip(
                    self.tr("Журнал изменений этой записи: кто, когда и что менял")
                )
                self.history_button.clicked.connect(self.show_history)
        self.consent_button: QPushButton | None = None
        consent = self.editors.get("consent_withdrawn_on")
        if self.record_id is not None and consent is not None:
            # in the consent's own section, under its date
            box = consent.widget.parentWidget()
            self.consent_button = QPushButton(self.tr("Отозвать согласие на обработку ПДн…"), box)
            self.consent_button.setToolTip(
                self.tr("Педагог отозвал согласие: его ФИО, контакты и СНИЛС будут стёрты")
            )
            self.consent_button.clicked.connect(self.withdraw_consent)
            layout = box.layout()
            if isinstance(layout, QFormLayout):
                layout.addRow("", self.consent_button)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        height = body.sizeHint().height() + 120
        self.resize(640, min(max(height, 240), 760))

    def _window(self) -> Any:
        """The main window this form was opened from (None for a form on its own)."""
        widget = self.parentWidget()
        while widget is not None and getattr(widget, "ctx", None) is None:
            widget = widget.parentWidget()
        return widget

    def _update_consent_button(self) -> None:
        if self.consent_button is not None:
            self.consent_button.setVisible(
                not self.read_only and not getattr(self, "consent_withdrawn", False)
            )

    def _make_read_only(self) -> None:
        """No saving, no deleting, no editing; a note says why."""
        self.save_button.hide()
        if self.delete_button is not None:
            self.delete_button.hide()
        for editor in self.editors.values():
            widget = editor.widget
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(True)  # the text can still be selected and copied
            else:
                widget.setEnabled(False)
        for links in self.links.values():
            links.setEnabled(False)
        if self.file_button is not None:
            self.file_button.setEnabled(False)
        self.note.setText(read_only_reason(self.db.principal))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #1f5fa8;")

    def _file_box(self, parent: QWidget) -> QGroupBox:
        group = QGroupBox(self.tr("Файл"), parent)
        self.file_label = QLabel(self.tr("файл не прикреплён"), group)
        choose = QPushButton(self.tr("Прикрепить файл…"), group)
        choose.clicked.connect(self._choose_file)
        self.file_button = choose
        row = QHBoxLayout(group)
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        return group

    def _choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Прикрепить файл"))
        if path:
            self.file_path = path
            self.file_label.setText(Path(path).name)
            self._edited()

    def _load(self, defaults: dict[str, Any]) -> None:
        if self.record_id is None:
            for name, spec in self.service.field_map().items():
                if name in self.editors:
                    value = defaults.get(name, spec.default)
                    if value is not None:
                        self.editors[name].set_value(value)
            return
        with self.db.session() as session:
            obj = self.service.get(session, self.record_id)
            self.version = getattr(obj, "version", None)  # reference lists keep none
            for name, editor in self.editors.items():
                editor.set_value(getattr(obj, name))
            for attribute, links in self.links.items():
                registry = links.registry
                ids = [r.id for r in getattr(obj, attribute)]
                links.set_records(_labels(session, registry, ids))
            if self.kind.has_file and getattr(obj, "file_name", ""):
                self.file_label.setText(obj.file_name)
            title = self.service.describe(obj)
            self.consent_withdrawn = getattr(obj, "consent_withdrawn_on", None) is not None
        self.record_title = title
        self.setWindowTitle(f"{self.service.title.capitalize()}: {title}")

    # -- state -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        values = {name: editor.value() for name, editor in self.editors.items()}
        for attribute, links in self.links.items():
            values[f"links:{attribute}"] = links.ids()
        if self.file_path:
            values["file:"] = self.file_path
        return values

    def field_values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def is_dirty(self) -> bool:
        return self._snapshot is not None and self.values() != self._snapshot

    def mark_clean(self) -> None:
        """Forget the edits (after a save, or when the program is told to discard them)."""
        self._snapshot = self.values()

    def _edited(self) -> None:
        title = self.windowTitle().removesuffix(" •")
        self.setWindowTitle(title + " •" if self.is_dirty() else title)

    # -- actions -----------------------------------------------------------------------------

    def save(self) -> bool:
        """Validate and write in one transaction; on problems show them and keep the form."""
        if self.read_only:
            return False
        self._clear_errors()
        unresolved = [name for name, editor in self.editors.items() if editor.unresolved()]
        if unresolved:
            for name in unresolved:
                self.editors[name].show_error([self.tr("выберите запись из списка подсказок")])
            self._focus(unresolved[0])
            self.banner.setText(self.tr("Проверьте отмеченные поля."))
            self.banner.show()
            return False
        data = {**self.field_values(), **self.fixed}
        try:
            attachment = Path(self.file_path).read_bytes() if self.file_path else None
        except OSError as exc:
            self.banner.setText(
                self.tr("Файл не прочитан: {error}").format(error=exc.strerror or exc)
            )
            self.banner.show()
            return False
        try:
            with self.db.session() as session:
                if self.record_id is None:
                    obj = self.service.create(session, data, actor=self.actor)
                else:
                    obj = self.service.update(
                        session,
                        self.record_id,
                        data,
                        expected_version=self.version,
                        actor=self.actor,
                    )
                for link in self.kind.links:
                    setter = getattr(self.service, link.setter)
                    setter(session, obj.id, self.links[link.attribute].ids())
                if attachment is not None and self.file_path:
                    self.service.attach_file(  # type: ignore[attr-defined]
                        session, obj.id, Path(self.file_path).name, attachment
                    )
                session.flush()
                record_id, version = obj.id, getattr(obj, "version", None)
        except ValidationError as exc:
            self._show_problems(exc)
            return False
        except ConflictError as exc:
            report(exc, "form save")
            return self._resolve_conflict(exc)
        except Exception as exc:
            # A busy or unreachable database (DatabaseError, in Russian) or a bug: the form
            # stays open with the user's input, the banner says what happened, and «Сохранить»
            # may be pressed again.
            self.banner.setText(
                self.tr("Запись не сохранена: {reason}").format(reason=message_for(exc))
            )
            self.banner.show()
            show_error(self, exc, "form save")
            return False
        self.record_id, self.version = record_id, version
        self.file_path = None
        self._snapshot = self.values()
        self._edited()
        self.saved.emit(record_id)
        self.accept()
        return True

    def reload(self) -> None:
        """Show the record as stored now; the form's edits are dropped."""
        self._clear_errors()
        self.file_path = None
        if self.kind.has_file:
            self.file_label.setText(self.tr("файл не прикреплён"))
        self._load({})
        self._snapshot = self.values()
        self._edited()
        self._update_consent_button()

    def _resolve_conflict(self, exc: ConflictError) -> bool:
        """Someone else saved the record since the form loaded it: show what differs and let
        the user choose (see ui/conflict_dialog.py). True when the form's values got saved."""
        from .conflict_dialog import Choice, ConflictDialog

        try:  # the record as stored now, read into a form of its own that is never shown
            stored = EntityForm(
                self.db, self.kind, self.record_id, fixed=self.fixed, choices=self.choices
            )
        except Exception as error:  # deleted meanwhile, or out of this user's reach now
            report(error, "conflict reload")
            self.banner.setText(
                self.tr("Запись не сохранена: {reason}").format(reason=message_for(error))
            )
            self.banner.show()
            QMessageBox.warning(self, self.tr("Запись изменена"), f"{exc}\n{message_for(error)}")
            return False
        try:
            differences = self._differences(stored)
            version, title = stored.version, stored.record_title
        finally:
            stored.mark_clean()
            stored.deleteLater()
        dialog = ConflictDialog(title, self._last_changed_by(), differences, self)
        dialog.exec()
        choice = dialog.choice
        dialog.deleteLater()
        if choice is Choice.THEIRS:
            self.reload()
            return False
        if choice is Choice.MINE:
            self.version = version  # the version the user has just seen
            return self.save()
        self.banner.setText(
            self.tr(
                "Запись не сохранена: её изменил другой пользователь. Ваши изменения остались "
                "в форме."
            )
        )
        self.banner.show()
        return False

    def _differences(self, stored: EntityForm) -> list[Any]:
        """The fields where the stored record and this form differ, with Russian labels."""
        from .conflict_dialog import Difference

        loaded = self._snapshot or {}
        result = []
        for name, editor in self.editors.items():
            theirs, mine = stored.editors[name].value(), editor.value()
            if theirs == mine:
                continue
            result.append(
                Difference(
                    editor.spec.label,
                    display_text(stored.editors[name]),
                    display_text(editor),
                    theirs != loaded.get(name),
                )
            )
        for attribute, links in self.links.items():
            theirs_ids, mine_ids = stored.links[attribute].ids(), links.ids()
            if sorted(theirs_ids) == sorted(mine_ids):
                continue
            link = next(x for x in self.kind.links if x.attribute == attribute)
            result.append(
                Difference(
                    self.tr(link.label),
                    _list_text(stored.links[attribute]),
                    _list_text(links),
                    sorted(theirs_ids) != sorted(loaded.get(f"links:{attribute}", [])),
                )
            )
        return result

    def _last_changed_by(self) -> str:
        """Who changed the record last, from the audit trail ("" when unknown or hidden)."""
        from ..services.registry import RegistryQuery, fetch_page

        try:
            with self.db.session() as session:
                rows = fetch_page(
                    session,
                    "audit",
                    RegistryQuery(
                        filters={"entity": self.table_name(), "entity_id": self.record_id},
                        sort="at",
                        descending=True,
                        limit=1,
                    ),
                ).rows
        except Exception:
            log.warning("The last change of a record could not be read", exc_info=True)
            return ""
        return str(rows[0]["user_login"] or "") if rows else ""

    def table_name(self) -> str:
        return str(self.service.model.__tablename__)

    def show_history(self) -> None:
        """«История изменений…»: the audit trail of this record."""
        from .audit import open_history

        window = self._window()
        if window is None or self.record_id is None:
            return
        try:
            open_history(window, self.table_name(), self.record_id, self.record_title, self)
        except Exception as exc:
            show_error(self, exc, "record history")

    def withdraw_consent(self) -> None:
        """«Отозвать согласие на обработку ПДн…»: confirm, pick the date, anonymize."""
        from .consent_dialog import ConsentDialog

        if self.record_id is None or self.read_only:
            return
        dialog = ConsentDialog(
            self.db, self.record_id, self.record_title, self.actor, self, dirty=self.is_dirty()
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return
        self.reload()
        self.saved.emit(self.record_id)

    def delete(self) -> None:
        if self.record_id is None or self.read_only:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Удаление"),
            self.tr("Удалить эту запись? Это действие нельзя отменить."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.db.session() as session:
                self.service.delete(session, self.record_id, actor=self.actor)
        except DeleteRefusedError as exc:
            report(exc, "form delete")
            QMessageBox.information(self, self.tr("Удаление невозможно"), str(exc))
            return
        except Exception as exc:
            show_error(self, exc, "form delete")
            return
        self.deleted.emit(self.record_id)
        self._snapshot = self.values()
        super().reject()

    def reject(self) -> None:
        if self.is_dirty() and not self._confirm_discard():
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.result() == 0 and self.is_dirty() and not self._confirm_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def _confirm_discard(self) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Несохранённые изменения"))
        box.setText(self.tr("В форме есть несохранённые изменения. Сохранить их?"))
        save = box.addButton(self.tr("Сохранить"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("Не сохранять"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Отмена"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return self.save()
        return clicked is discard

    # -- problems ----------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        clear_errors(self.editors, self.banner)

    def _show_problems(self, exc: ValidationError) -> None:
        report(exc, "form save")
        show_problems(
            self.editors,
            self.banner,
            exc,
            self.tr("Запись не сохранена. Исправьте отмеченные поля."),
        )

    def _focus(self, name: str) -> None:
        focus_editor(self.editors[name])


def display_text(editor: FieldEditor) -> str:
    """What a field's widget shows, as text (for the conflict dialog)."""
    w = editor.widget
    if isinstance(w, QComboBox):
        return "" if w.currentData() is None else w.currentText()
    if isinstance(w, QCheckBox):
        return w.tr("да") if w.isChecked() else w.tr("нет")
    if isinstance(w, DateField | RecordPicker):
        return w.edit.text()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    return str(w.text())


def stored_values(db: Database, service: Any, record_id: int) -> tuple[dict[str, Any], Any, str]:
    """The record as stored now: its field values, its version and its name."""
    with db.session() as session:
        obj = service.get(session, record_id)
        values = {spec.name: getattr(obj, spec.name) for spec in service.fields}
        return values, getattr(obj, "version", None), service.describe(obj)


def differences_from(
    db: Database, editors: dict[str, FieldEditor], loaded: dict[str, Any], stored: dict[str, Any]
) -> list[Any]:
    """The fields where the stored values differ from the editors' (for the conflict
    dialog); each stored value is shown through a hidden editor of the same kind, so both
    sides read alike. ``loaded``: the editors' values as the record was opened."""
    from .conflict_dialog import Difference

    holder = QWidget()
    result = []
    try:
        for name, editor in editors.items():
            shadow = FieldEditor(editor.spec, db, holder, editor.choices)
            shadow.set_value(stored.get(name))
            theirs, mine = shadow.value(), editor.value()
            if theirs != mine:
                result.append(
                    Difference(
                        editor.spec.label,
                        display_text(shadow),
                        display_text(editor),
                        theirs != loaded.get(name),
                    )
                )
    finally:
        holder.deleteLater()
    return result


def _list_text(links: LinkListEditor) -> str:
    return "; ".join(links.list.item(i).text() for i in range(links.list.count()))


def _labels(session: Any, registry: str, ids: list[int]) -> list[tuple[int, str]]:
    from ..services.registry import fetch_rows

    return [(int(r["id"]), row_label(registry, r)) for r in fetch_rows(session, registry, ids)]
