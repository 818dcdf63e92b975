"""«Импорт из Excel…» through its three steps on a workbook filled the way districts do:
a merged title, a header in row 3, a repeated person, a totals row, an unknown column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QComboBox, QMessageBox
from sqlalchemy import func, select

from stazhirovka.models import Person
from stazhirovka.ui.import_wizard import ImportWizard

pytestmark = pytest.mark.usefixtures("boxes")


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Список педагогов МО Тимашевский район на 01.09.2026"
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(
        ["№", "Ф.И.О. педагога", "Место работы (ОО)", "Должность", "Телефон", "Примечание"]
    )
    sheet.append([1, "Иванова Мария Петровна", "МБОУ СОШ № 1", "учитель", "8 (918) 123-45-67", "x"])
    sheet.append([2, "  ПЕТРОВ  иван сергеевич ", "МБОУ СОШ №1", "учитель", "", ""])
    sheet.append([3, "Иванова Мария Петровна", "МБОУ СОШ № 1", "учитель", "", "повтор"])
    sheet.append([None, None, None, None, None, None])
    sheet.append([None, "Итого: 3", None, None, None, None])
    book.save(path)
    return path


@pytest.fixture
def wizard(ui_db, make_window, qtbot) -> ImportWizard:
    window = make_window(ui_db)
    wizard = ImportWizard(window)
    qtbot.addWidget(wizard)
    return wizard


def test_three_steps_from_a_messy_file_to_the_database(
    wizard: ImportWizard, ui_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard.file_edit.setText(str(_workbook(tmp_path / "педагоги.xlsx")))
    wizard.next()  # read: the header is found in row 3
    assert wizard.stack.currentIndex() == 1
    assert "заголовок в строке 3" in wizard.columns_title.text()
    combos = [wizard.columns.cellWidget(r, 3) for r in range(wizard.columns.rowCount())]
    assert all(isinstance(c, QComboBox) for c in combos)
    shown = {wizard.columns.item(r, 1).text(): combos[r].currentText() for r in range(len(combos))}
    assert shown["Примечание"] == "—  не загружать"
    assert shown["Ф.И.О. педагога"] != "—  не загружать"

    wizard.next()  # the preview: nothing is written yet
    assert wizard.stack.currentIndex() == 2
    counts = wizard.plan.counts
    assert counts["rows"] == 3 and counts["create"] == 2 and counts["duplicates"] == 1
    assert wizard.duplicate_table.rowCount() == 1
    assert wizard.duplicate_table.item(0, 0).text() == "6"  # the row number as Excel shows it
    with ui_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    wizard.next()  # «Загрузить»
    with ui_db.session() as session:
        names = sorted(
            f"{p.surname} {p.name} {p.patronymic}" for p in session.scalars(select(Person))
        )
    assert names == ["Иванова Мария Петровна", "Петров Иван Сергеевич"]


def test_a_missing_name_column_stops_at_the_columns_step(
    wizard: ImportWizard, tmp_path: Path
) -> None:
    wizard.file_edit.setText(str(_workbook(tmp_path / "педагоги.xlsx")))
    wizard.next()
    fio_row = next(
        r
        for r in range(wizard.columns.rowCount())
        if wizard.columns.item(r, 1).text() == "Ф.И.О. педагога"
    )
    combo = wizard.columns.cellWidget(fio_row, 3)
    combo.setCurrentIndex(0)  # «не загружать»
    assert "Не хватает" in wizard.columns_error.text()
    wizard.next()
    assert wizard.stack.currentIndex() == 1 and wizard.plan is None


def test_a_file_that_does_not_exist_is_said_on_the_first_step(wizard: ImportWizard) -> None:
    wizard.file_edit.setText("/нет/такого/файла.xlsx")
    wizard.next()
    assert wizard.stack.currentIndex() == 0
    assert "существующий файл" in wizard.file_error.text()
