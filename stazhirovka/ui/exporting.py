"""«Выгрузить в Excel…» of a registry page: the rows exactly as searched, filtered and sorted
on screen, written in the background (a large registry streams) with progress and «Отмена»;
contact details masked unless the user unticks it (DOCUMENTS.md §7: the mask is on by
default)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..formats import plural, short_date
from .errors import show_error

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .registry_page import RegistryPage
    from .tasks import Progress


def _tr(text: str) -> str:
    return QCoreApplication.translate("exporting", text)


def default_name(title: str, on: date) -> str:
    """«Педагоги 22.11.2026.xlsx»."""
    return f"{title} {short_date(on)}.xlsx"


def has_personal_columns(page: RegistryPage) -> bool:
    return any(column.personal for column in page.registry.columns)


class ExportDialog(QDialog):
    """Where to write and whether to mask contacts; says how many rows will go."""

    def __init__(self, page: RegistryPage, folder: str, total: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Выгрузка в Excel"))
        title = page.registry.title
        rows = plural(total, "строка", "строки", "строк")
        about = QLabel(
            _tr("Реестр «{title}»: {total} {rows} — как отобрано и отсортировано на экране.")
            .replace("{title}", title)
            .replace("{total}", f"{total:,}".replace(",", "\u00a0"))
            .replace("{rows}", rows),
            self,
        )
        about.setWordWrap(True)
        self.path_edit = QLineEdit(str(Path(folder) / default_name(title, date.today())), self)
        self.path_edit.setMinimumWidth(420)
        browse = QPushButton(_tr("Обзор…"), self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.mask_box = QCheckBox(_tr("Скрыть контактные данные (телефон, e-mail, СНИЛС)"), self)
        self.mask_box.setChecked(True)
        self.mask_box.setVisible(has_personal_columns(page))
        if not page.db.principal.sees_contacts:  # DOCUMENTS.md §7: only the district's staff
            self.mask_box.setEnabled(False)
            self.mask_box.setToolTip(
                _tr(
                    "Роль «{role}» выгружает контактные данные только скрытыми "
                    "(защита персональных данных)."
                ).replace("{role}", page.db.principal.title)
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("Выгрузить"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("Отмена"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(QLabel(_tr("Файл:"), self))
        layout.addLayout(path_row)
        layout.addWidget(self.mask_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, _tr("Выгрузить в Excel"), self.path_edit.text(), _tr("Книга Excel (*.xlsx)")
        )
        if path:
            self.path_edit.setText(path)

    def path(self) -> Path:
        text = self.path_edit.text().strip()
        path = Path(text)
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def masked(self) -> bool:
        # a registry without contact columns has nothing to mask (the box is hidden); a role
        # that may not see contacts always masks (the box is checked and disabled)
        return (
            self.mask_box.isHidden() or self.mask_box.isChecked() or not self.mask_box.isEnabled()
        )

    def _accept(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self._show(_tr("Укажите файл."))
            return
        if not self.path().parent.is_dir():
            self._show(
                _tr("Папка «{folder}» не найдена.").replace("{folder}", str(self.path().parent))
            )
            return
        self.accept()

    def _show(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


def export_page(window: MainWindow, page: RegistryPage) -> None:
    """Ask where to, then write the page's rows in the background."""
    from ..services.registry import count

    ctx = window.ctx
    if ctx is None:
        return
    query = dataclasses.replace(page.model.query, offset=0, limit=0)
    try:
        with ctx.db.session() as session:
            total = count(session, page.registry.name, query)
    except Exception as exc:
        show_error(window, exc, "export count")
        return
    folder = str(ctx.settings.value("export/folder", "") or Path.home())
    dialog = ExportDialog(page, folder, total, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    path, masked = dialog.path(), dialog.masked()
    ctx.settings.set_value("export/folder", str(path.parent))
    name = page.registry.name

    def work(progress: Progress) -> Path:
        from ..reports.xlsx.export import export_registry

        with ctx.db.session() as session:
            export_registry(session, name, path, query, masked=masked, progress=progress.report)
        return path

    ctx.tasks.run(
        work,
        title=_tr("Выгрузка в Excel…"),
        parent=window,
        on_done=lambda written: exported(window, written),
        on_error=lambda exc: show_error(window, exc, "export"),
    )


def exported(parent: QWidget, path: Path) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_tr("Выгрузка готова"))
    box.setText(_tr("Файл записан:\n{path}").replace("{path}", str(path)))
    open_file = box.addButton(_tr("Открыть файл"), QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton(_tr("Открыть папку"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(_tr("Закрыть"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked: Any = box.clickedButton()
    if clicked is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif clicked is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
