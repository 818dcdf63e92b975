"""The «Отчёты» menu: the monitoring form, the registers in Excel and the consolidation,
driven through the window and read back with python-calamine."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from stazhirovka.models import Person
from stazhirovka.ui import printing, reports_menu

pytestmark = pytest.mark.usefixtures("boxes")


def _text(path: Path) -> str:
    book = CalamineWorkbook.from_path(str(path))
    return " ".join(
        str(v)
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for v in row
    )


@pytest.fixture
def window(demo_db, make_window, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(reports_menu, "exported", lambda _parent, _path: None)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    return make_window(demo_db)


def _monitoring_dialog(monkeypatch: pytest.MonkeyPatch, out: Path) -> None:
    def accept(dialog: reports_menu.MonitoringDialog) -> int:
        dialog.date_from.set_value(date(2025, 9, 1))
        dialog.date_to.set_value(date(2026, 8, 31))
        dialog.out_edit.setText(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(reports_menu.MonitoringDialog, "exec", accept)


def test_the_monitoring_form_holds_aggregates_and_no_names(
    window, demo_db, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "мониторинг.xlsx"
    _monitoring_dialog(monkeypatch, out)
    window.reports.monitoring()
    text = _text(out)
    assert "Всего" in text and "П1" in text
    with demo_db.session() as session:
        surnames = set(session.scalars(select(Person.surname)))
    assert not [s for s in surnames if len(s) > 4 and f" {s} " in f" {text} "]


def test_the_registers_in_excel(window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    register, plan = tmp_path / "журнал.xlsx", tmp_path / "план.xlsx"
    answers = iter([register, plan])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(next(answers)), ""))
    monkeypatch.setattr(
        printing,
        "ask_period",
        lambda _p, mode, _t: (
            {"year": 2026}
            if mode == "year"
            else {"date_from": date(2020, 1, 1), "date_to": date(2026, 12, 31)}
        ),
    )
    window.reports.certificate_register()
    window.reports.plan()
    assert "СП-2026-" in _text(register)
    plan_text = _text(plan)
    assert "План-график мероприятий на 2026 год" in plan_text
    assert "Запланировано: 21, проведено: 17 (81 %)" in plan_text


def test_consolidating_a_district_with_itself_is_refused_with_a_reason(
    window, boxes: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = tmp_path / "район.xlsx"
    _monitoring_dialog(monkeypatch, first)
    window.reports.monitoring()
    second = tmp_path / "копия.xlsx"
    shutil.copyfile(first, second)
    out = tmp_path / "свод.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(first), str(second)], "")
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.reports.consolidate()
    assert len(boxes) == 1
    assert "«район.xlsx» и «копия.xlsx» — от одного района" in boxes[0]
    boxes.clear()
    assert not out.exists()
