"""The «Отчёты» menu: spreadsheets for the regional institute and the registers in Excel —
the monitoring form (the default one or the coordinator's own template, checked before it
is filled), the consolidation of districts' files, the certificate register and the
plan-schedule. Everything runs in the background with progress; files appear whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..formats import short_date
from .errors import show_error
from .exporting import exported

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .tasks import Progress

XLSX_FILTER = "Книга Excel (*.xlsx)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("reports_menu", text)


def _file_row(parent: QWidget, edit: QLineEdit, save: bool, caption: str) -> QHBoxLayout:
    def browse() -> None:
        if save:
            path, _ = QFileDialog.getSaveFileName(parent, caption, edit.text(), _tr(XLSX_FILTER))
        else:
            path, _ = QFileDialog.getOpenFileName(parent, caption, edit.text(), _tr(XLSX_FILTER))
        if path:
            edit.setText(path)

    button = QPushButton(_tr("Обзор…"), parent)
    button.clicked.connect(browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


class MonitoringDialog(QDialog):
    """Period, municipality, the form (ours or the coordinator's template) and the file."""

    def __init__(self, parent: QWidget, folder: str, municipalities: list[str]) -> None:
        super().__init__(parent)
        # widgets imports the database layer: not at the window's start (see install_*_menu)
        from .widgets import DateField

        self.setWindowTitle(_tr("Мониторинг для регионального института"))
        today = date.today()
        self.date_from, self.date_to = DateField(self), DateField(self)
        self.date_from.set_value(date(today.year, 1, 1))
        self.date_to.set_value(today)
        self.municipality = QComboBox(self)
        self.municipality.addItem(_tr("все муниципалитеты"), "")
        for name in municipalities:
            self.municipality.addItem(name, name)
        self.template_edit = QLineEdit(self)
        self.template_edit.setPlaceholderText(_tr("не выбран — форма программы"))
        self.out_edit = QLineEdit(str(Path(folder) / f"Мониторинг {short_date(today)}.xlsx"), self)
        self.out_edit.setMinimumWidth(420)
        period = QHBoxLayout()
        period.addWidget(QLabel(_tr("с"), self))
        period.addWidget(self.date_from)
        period.addWidget(QLabel(_tr("по"), self))
        period.addWidget(self.date_to)
        period.addStretch(1)
        form = QFormLayout()
        form.addRow(_tr("Период:"), period)
        form.addRow(_tr("Муниципалитет:"), self.municipality)
        form.addRow(
            _tr("Свой шаблон:"),
            _file_row(self, self.template_edit, False, _tr("Шаблон формы института")),
        )
        form.addRow(_tr("Файл:"), _file_row(self, self.out_edit, True, _tr("Сохранить форму")))
        note = QLabel(
            _tr(
                "Только сводные числа, без фамилий. Шаблон — книга института с листом "
                "«Соответствие» (код показателя → лист и ячейка); перед заполнением программа "
                "проверит его и перечислит, чего не хватает."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("Сформировать"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("Отмена"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        template = self.template_edit.text().strip()
        return {
            "date_from": self.date_from.date(),
            "date_to": self.date_to.date(),
            "municipality": self.municipality.currentData() or None,
            "template": Path(template) if template else None,
            "out": Path(self.out_edit.text().strip()),
        }

    def _accept(self) -> None:
        values = self.values()
        message = ""
        if values["date_from"] is None or values["date_to"] is None:
            message = _tr("Укажите обе даты периода в виде ДД.ММ.ГГГГ.")
        elif values["date_from"] > values["date_to"]:
            message = _tr("Начало периода позже его конца.")
        elif values["template"] is not None and not values["template"].is_file():
            message = _tr("Файл шаблона не найден.")
        elif not self.out_edit.text().strip() or not values["out"].parent.is_dir():
            message = _tr("Укажите файл в существующей папке.")
        if message:
            self.error.setText(message)
            self.error.show()
            return
        self.accept()


class ReportsMenu(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.menu = QMenu(window.tr("&Отчёты"), window)
        for title, slot in (
            (_tr("Мониторинг для регионального института…"), self.monitoring),
            (_tr("Свести мониторинг районов…"), self.consolidate),
            (None, None),
            (_tr("Журнал регистрации сертификатов (Excel)…"), self.certificate_register),
            (_tr("План-график с выполнением (Excel)…"), self.plan),
        ):
            if title is None:
                self.menu.addSeparator()
                continue
            action = QAction(title, window)
            action.triggered.connect(slot)
            self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._update)

    def _update(self) -> None:
        attached = self.window.ctx is not None
        for action in self.menu.actions():
            if not action.isSeparator() and "Свести" not in action.text():
                action.setEnabled(attached)

    def _folder(self) -> str:
        ctx = self.window.ctx
        folder = ctx.settings.value("export/folder", "") if ctx is not None else ""
        return str(folder or Path.home())

    def _run(self, work: Any, title: str, on_done: Any = None) -> None:
        ctx = self.window.ctx
        tasks = ctx.tasks if ctx is not None else None
        if tasks is None:
            return
        tasks.run(
            work,
            title=title,
            parent=self.window,
            on_done=on_done or (lambda path: exported(self.window, path)),
            on_error=lambda exc: show_error(self.window, exc, title),
        )

    def _remember(self, path: Path) -> None:
        if self.window.ctx is not None:
            self.window.ctx.settings.set_value("export/folder", str(path.parent))

    # -- actions ---------------------------------------------------------------------------

    def monitoring(self) -> None:
        ctx = self.window.ctx
        if ctx is None:
            return
        try:
            from sqlalchemy import select

            from ..models import Municipality

            with ctx.db.session() as session:
                names = list(session.scalars(select(Municipality.name).order_by(Municipality.name)))
        except Exception as exc:
            show_error(self.window, exc, "monitoring dialog")
            return
        dialog = MonitoringDialog(self.window, self._folder(), names)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        self._remember(values["out"])

        def work(progress: Progress) -> tuple[Path, str]:
            from ..reports.xlsx.monitoring import write_monitoring
            from ..services.monitoring import build_report

            progress.report(0, 2, _tr("Подсчёт показателей"))
            with ctx.db.session() as session:
                report = build_report(
                    session, values["date_from"], values["date_to"], values["municipality"]
                )
            progress.report(1, 2, _tr("Запись формы"))
            if values["template"] is not None:
                from ..reports.xlsx.template import fill_template

                result = fill_template(report, values["template"], values["out"])
                return values["out"], result.text() if result.missing or result.zeros else ""
            missing = [f"{i.code} {i.name}" for i in report.indicators if i.missing]
            note = ""
            if missing:
                note = _tr("Без данных: ") + "; ".join(missing)
            return write_monitoring(report, values["out"]), note

        def done(result: tuple[Path, str]) -> None:
            path, note = result
            if note:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.information(self.window, _tr("Что не заполнено"), note)
            exported(self.window, path)

        self._run(work, _tr("Мониторинг для регионального института"), done)

    def consolidate(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self.window,
            _tr("Файлы мониторинга районов"),
            self._folder(),
            _tr(XLSX_FILTER),
        )
        if not files:
            return
        out, _ = QFileDialog.getSaveFileName(
            self.window,
            _tr("Сводный файл"),
            str(Path(files[0]).parent / f"Свод мониторинга {short_date(date.today())}.xlsx"),
            _tr(XLSX_FILTER),
        )
        if not out:
            return
        target = Path(out)
        self._remember(target)

        def work(_progress: Progress) -> Path:
            from ..reports.xlsx.consolidate import consolidate_files

            consolidate_files(target, [Path(f) for f in files])
            return target

        self._run(work, _tr("Свод мониторинга районов"))

    def certificate_register(self) -> None:
        from .printing import ask_period

        asked = ask_period(self.window, "period", _tr("Журнал регистрации сертификатов"))
        if asked is None:
            return
        start, end = asked.get("date_from"), asked.get("date_to")
        if start is None:
            year = int(asked["year"])
            start, end = date(year, 1, 1), date(year, 12, 31)
        path = self._save_as(f"Журнал регистрации сертификатов {start.year}.xlsx")
        if path is None:
            return
        ctx = self.window.ctx
        assert ctx is not None

        def work(progress: Progress) -> Path:
            from ..reports.xlsx.registers import export_certificate_register

            with ctx.db.session() as session:
                return export_certificate_register(
                    session, path, start, end, progress=progress.report
                )

        self._run(work, _tr("Журнал регистрации сертификатов"))

    def plan(self) -> None:
        from .printing import ask_period

        asked = ask_period(self.window, "year", _tr("План-график с выполнением"))
        if asked is None:
            return
        year = int(asked["year"])
        path = self._save_as(f"План-график {year}.xlsx")
        if path is None:
            return
        ctx = self.window.ctx
        assert ctx is not None

        def work(_progress: Progress) -> Path:
            from ..reports.xlsx.registers import export_plan

            with ctx.db.session() as session:
                return export_plan(session, path, year)

        self._run(work, _tr("План-график с выполнением"))

    def _save_as(self, name: str) -> Path | None:
        out, _ = QFileDialog.getSaveFileName(
            self.window, _tr("Сохранить"), str(Path(self._folder()) / name), _tr(XLSX_FILTER)
        )
        if not out:
            return None
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self._remember(path)
        return path


def install_reports_menu(window: MainWindow, before: QAction) -> ReportsMenu:
    reports = ReportsMenu(window)
    window.menuBar().insertMenu(before, reports.menu)
    return reports
