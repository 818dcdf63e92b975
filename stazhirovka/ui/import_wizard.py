"""«Импорт из Excel…»: organizations, persons or internships from the spreadsheets a district
keeps today, in three steps — the file, its columns (what the program could not place, the
user places), the preview (what will be created, repeats to skip or merge, rejected rows
with their reasons). Nothing is written until «Загрузить», and then all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .errors import show_error

if TYPE_CHECKING:
    from ..services.imports import ColumnMapping, ImportPlan, ImportResult, Table
    from .main_window import MainWindow
    from .tasks import Progress

KIND_LABELS = (
    ("persons", "Педагоги"),
    ("organizations", "Организации"),
    ("internships", "Стажировки (с педагогами, организациями, площадками и программами)"),
)
LEAVE_OUT = "—  не загружать"


def _tr(text: str) -> str:
    return QCoreApplication.translate("import_wizard", text)


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[Any, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.resizeColumnsToContents()


class ImportWizard(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        self.table_: Table | None = None
        self.mapping: ColumnMapping | None = None
        self.plan: ImportPlan | None = None
        self.setWindowTitle(_tr("Импорт из Excel"))
        self.resize(980, 640)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._file_step())
        self.stack.addWidget(self._columns_step())
        self.stack.addWidget(self._preview_step())
        self.back_button = QPushButton(_tr("< Назад"), self)
        self.next_button = QPushButton(_tr("Далее >"), self)
        self.next_button.setDefault(True)
        close = QPushButton(_tr("Закрыть"), self)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        close.clicked.connect(self.reject)
        self.step_label = QLabel(self)
        self.step_label.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.step_label)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._show_step(0)

    # -- steps -----------------------------------------------------------------------------

    def _file_step(self) -> QWidget:
        page = QWidget(self)
        self.kind_group = QButtonGroup(page)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_tr("<b>Что загружаем</b>"), page))
        for i, (key, label) in enumerate(KIND_LABELS):
            radio = QRadioButton(_tr(label), page)
            radio.setProperty("kind", key)
            radio.setChecked(i == 0)
            self.kind_group.addButton(radio, i)
            layout.addWidget(radio)
        layout.addWidget(QLabel(_tr("<b>Файл Excel</b>"), page))
        self.file_edit = QLineEdit(page)
        browse = QPushButton(_tr("Обзор…"), page)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        note = QLabel(
            _tr(
                "Подойдёт таблица, которую район ведёт сейчас: строка заголовков может стоять "
                "под названием таблицы, пустые строки и строки «Итого» пропускаются, ФИО — в "
                "одном столбце или в трёх. Ничего не записывается, пока вы не посмотрите, что "
                "будет загружено, и не нажмёте «Загрузить»."
            ),
            page,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.file_error = QLabel(page)
        self.file_error.setStyleSheet("color: #b3261e;")
        self.file_error.setWordWrap(True)
        layout.addWidget(self.file_error)
        layout.addStretch(1)
        return page

    def _columns_step(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.columns_title = QLabel(page)
        self.columns_title.setWordWrap(True)
        layout.addWidget(self.columns_title)
        self.columns = _table(
            page, [_tr("№"), _tr("Заголовок в файле"), _tr("Пример"), _tr("Поле")]
        )
        layout.addWidget(self.columns, 1)
        self.columns_error = QLabel(page)
        self.columns_error.setStyleSheet("color: #b3261e;")
        self.columns_error.setWordWrap(True)
        layout.addWidget(self.columns_error)
        return page

    def _preview_step(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.summary = QLabel(page)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tabs = QTabWidget(page)
        self.create_table = _table(page, [_tr("Строка"), _tr("Запись"), _tr("Предупреждения")])
        self.duplicate_table = _table(
            page, [_tr("Строка"), _tr("Запись"), _tr("Повтор чего"), _tr("Действие")]
        )
        self.rejected_table = _table(page, [_tr("Строка"), _tr("Причина")])
        self.new_text = QPlainTextEdit(page)
        self.new_text.setReadOnly(True)
        self.tabs.addTab(self.create_table, _tr("Будут созданы"))
        self.tabs.addTab(self.duplicate_table, _tr("Повторы"))
        self.tabs.addTab(self.rejected_table, _tr("Отклонены"))
        self.tabs.addTab(self.new_text, _tr("Новые записи справочников"))
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        self.merge_all = QPushButton(_tr("Все повторы — объединить"), page)
        self.skip_all = QPushButton(_tr("Все повторы — пропустить"), page)
        self.errors_button = QPushButton(_tr("Сохранить отклонённые строки…"), page)
        self.merge_all.clicked.connect(lambda: self._choose_all("merge"))
        self.skip_all.clicked.connect(lambda: self._choose_all("skip"))
        self.errors_button.clicked.connect(self.save_errors)
        row.addWidget(self.merge_all)
        row.addWidget(self.skip_all)
        row.addStretch(1)
        row.addWidget(self.errors_button)
        layout.addLayout(row)
        return page

    def _show_step(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        names = (_tr("файл"), _tr("столбцы"), _tr("проверка"))
        self.step_label.setText(
            _tr("Шаг {n} из 3: {name}")
            .replace("{n}", str(index + 1))
            .replace("{name}", names[index])
        )
        self.back_button.setEnabled(index > 0)
        self.next_button.setText(_tr("Загрузить") if index == 2 else _tr("Далее >"))

    def back(self) -> None:
        self._show_step(max(0, self.stack.currentIndex() - 1))

    def next(self) -> None:
        step = self.stack.currentIndex()
        if step == 0:
            self._read()
        elif step == 1:
            self._plan()
        else:
            self._apply()

    # -- work ------------------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_group.checkedButton().property("kind"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            _tr("Файл Excel"),
            self.file_edit.text(),
            _tr("Книга Excel (*.xlsx *.xlsm *.xls *.ods)"),
        )
        if path:
            self.file_edit.setText(path)

    def _run(self, work: Any, title: str, on_done: Any) -> None:
        assert self.ctx is not None
        self.next_button.setEnabled(False)

        def done(result: Any) -> None:
            self.next_button.setEnabled(True)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self.next_button.setEnabled(True)
            show_error(self, exc, title)

        self.ctx.tasks.run(
            work,
            title=title,
            parent=self,
            on_done=done,
            on_error=failed,
            on_cancel=lambda: self.next_button.setEnabled(True),
        )

    def _read(self) -> None:
        path = Path(self.file_edit.text().strip())
        if not path.is_file():
            self.file_error.setText(_tr("Выберите существующий файл Excel."))
            return
        self.file_error.clear()
        kind = self.kind()

        def work(_progress: Progress) -> tuple[Table, ColumnMapping]:
            from ..services.imports import map_columns, read_table

            table = read_table(path)
            return table, map_columns(table.headers, kind)

        self._run(work, _tr("Чтение файла"), self._read_done)

    def _read_done(self, result: tuple[Table, ColumnMapping]) -> None:
        from ..services.imports.columns import KINDS
        from ..services.imports.reader import cell_text

        self.table_, self.mapping = result
        table = self.table_
        self.columns_title.setText(
            _tr(
                "Лист «{sheet}», заголовок в строке {row}, строк с данными: {count}. Проверьте, "
                "какое поле в каком столбце; что не распознано — выберите или оставьте "
                "«не загружать»."
            )
            .replace("{sheet}", table.sheet)
            .replace("{row}", str(table.header_row))
            .replace("{count}", str(len(table.rows)))
        )
        fields = KINDS[self.kind()]
        self.columns.setRowCount(len(table.headers))
        for index, header in enumerate(table.headers):
            sample = next(
                (cell_text(r.get(index)) for r in table.rows if r.get(index) not in (None, "")),
                "",
            )
            self.columns.setItem(index, 0, QTableWidgetItem(str(index + 1)))
            self.columns.setItem(index, 1, QTableWidgetItem(header))
            self.columns.setItem(index, 2, QTableWidgetItem(sample[:40]))
            combo = QComboBox(self.columns)
            combo.addItem(_tr(LEAVE_OUT), None)
            for key, label in fields.items():
                combo.addItem(label, key)
            placed = self.mapping.columns.get(index)
            combo.setCurrentIndex(max(0, combo.findData(placed)) if placed else 0)
            combo.currentIndexChanged.connect(
                lambda _i, c=combo, n=index: self._placed(n, c.currentData())
            )
            self.columns.setCellWidget(index, 3, combo)
        self.columns.resizeColumnsToContents()
        self.columns.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._show_missing()
        self._show_step(1)

    def _placed(self, index: int, field: str | None) -> None:
        assert self.mapping is not None
        self.mapping = self.mapping.assign(index, field)
        # a field moved here leaves the column that had it: show that
        for row in range(self.columns.rowCount()):
            combo = self.columns.cellWidget(row, 3)
            wanted = self.mapping.columns.get(row)
            if isinstance(combo, QComboBox) and combo.currentData() != wanted:
                combo.blockSignals(True)
                combo.setCurrentIndex(max(0, combo.findData(wanted)) if wanted else 0)
                combo.blockSignals(False)
        self._show_missing()

    def _show_missing(self) -> None:
        assert self.mapping is not None
        missing = self.mapping.missing
        self.columns_error.setText(
            _tr("Не хватает: ") + "; ".join(missing) + "." if missing else ""
        )

    def _plan(self) -> None:
        assert self.mapping is not None and self.table_ is not None and self.ctx is not None
        if self.mapping.missing:
            self._show_missing()
            return
        table, mapping, db = self.table_, self.mapping, self.ctx.db

        def work(progress: Progress) -> ImportPlan:
            from ..services.imports import build_plan

            with db.session() as session:
                return build_plan(session, table, mapping, progress=progress.report)

        self._run(work, _tr("Проверка строк"), self._plan_done)

    def _plan_done(self, plan: ImportPlan) -> None:
        self.plan = plan
        self._show_plan()
        self._show_step(2)

    def _show_plan(self) -> None:
        plan = self.plan
        assert plan is not None
        c = plan.counts
        self.summary.setText(
            _tr(
                "Строк: {rows}. Будет создано: <b>{create}</b>; повторов: {dup} (объединить: "
                "{merge}); отклонено: {rejected}; предупреждений: {warnings}. Пока вы не нажмёте "
                "«Загрузить», в базе ничего не меняется."
            )
            .replace("{rows}", str(c["rows"]))
            .replace("{create}", str(c["create"]))
            .replace("{dup}", str(c["duplicates"]))
            .replace("{merge}", str(c["merge"]))
            .replace("{rejected}", str(c["rejected"]))
            .replace("{warnings}", str(c["warnings"]))
        )
        _fill(
            self.create_table,
            [(r.number, r.summary, "; ".join(r.warnings)) for r in plan.of("create")],
        )
        _fill(
            self.duplicate_table,
            [
                (
                    r.number,
                    r.summary,
                    r.duplicate_of,
                    _tr("объединить") if r.choice == "merge" else _tr("пропустить"),
                )
                for r in plan.of("duplicate")
            ],
        )
        _fill(self.rejected_table, [(r.number, r.reason) for r in plan.of("rejected")])
        lines: list[str] = []
        for title, records in (
            (_tr("Новые организации"), plan.new_organizations),
            (_tr("Новые педагоги"), plan.new_persons),
            (_tr("Новые площадки"), plan.new_platforms),
            (_tr("Новые программы"), plan.new_programs),
            (_tr("Новые педагоги-мастера"), plan.new_mentors),
        ):
            if records:
                lines.append(f"{title} ({len(records)}):")
                lines += [f"  {r.summary}" for r in records.values()]
        self.new_text.setPlainText("\n".join(lines) or _tr("Новых записей справочников нет."))
        self.tabs.setTabText(1, _tr("Повторы ({n})").replace("{n}", str(c["duplicates"])))
        self.tabs.setTabText(2, _tr("Отклонены ({n})").replace("{n}", str(c["rejected"])))
        has_duplicates = c["duplicates"] > 0
        self.merge_all.setEnabled(has_duplicates)
        self.skip_all.setEnabled(has_duplicates)
        self.errors_button.setEnabled(c["rejected"] > 0)

    def _choose_all(self, choice: str) -> None:
        if self.plan is not None:
            self.plan.choose_all(choice)
            self._show_plan()

    def save_errors(self) -> None:
        if self.plan is None:
            return
        source = Path(self.file_edit.text())
        path, _ = QFileDialog.getSaveFileName(
            self,
            _tr("Отклонённые строки"),
            str(source.with_name(f"{source.stem} — отклонённые строки.xlsx")),
            _tr("Книга Excel (*.xlsx)"),
        )
        if not path:
            return
        try:
            from ..services.imports import write_errors

            write_errors(self.plan, path)
        except Exception as exc:
            show_error(self, exc, "import errors file")

    def _apply(self) -> None:
        plan, ctx = self.plan, self.ctx
        assert plan is not None and ctx is not None
        if plan.counts["create"] + plan.counts["merge"] == 0:
            QMessageBox.information(self, _tr("Импорт"), _tr("Загружать нечего."))
            return

        def work(progress: Progress) -> ImportResult:
            from ..services.imports import apply_plan

            with ctx.db.session() as session:
                return apply_plan(session, plan, actor=ctx.actor, progress=progress.report)

        self._run(work, _tr("Загрузка"), self._applied)

    def _applied(self, result: ImportResult) -> None:
        created = "".join(f", {k}: {v}" for k, v in result.created.items() if v)
        QMessageBox.information(
            self,
            _tr("Импорт завершён"),
            _tr("Загружено записей: {n}; объединено повторов: {m}; отклонено строк: {r}{extra}.")
            .replace("{n}", str(result.imported))
            .replace("{m}", str(result.merged))
            .replace("{r}", str(result.rejected))
            .replace("{extra}", created),
        )
        self.window_.saved(self.kind(), 0)
        self.accept()


def open_import_wizard(window: MainWindow) -> ImportWizard | None:
    if window.ctx is None:
        return None
    wizard = ImportWizard(window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
