"""«В Excel…» on a registry page: the rows as searched and sorted on screen, contacts masked
unless unticked, the file read back by python-calamine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from python_calamine import CalamineWorkbook

from stazhirovka.services.registry import count
from stazhirovka.ui import exporting
from stazhirovka.ui.registry_page import RegistryPage
from tests.ui.helpers import type_text

pytestmark = pytest.mark.usefixtures("boxes")


def _rows(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@pytest.fixture
def persons_page(demo_db, make_window, qtbot) -> RegistryPage:
    window = make_window(demo_db)
    window.show_page("persons")
    page = window.current_page()
    assert isinstance(page, RegistryPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return page


def _export(page: RegistryPage, monkeypatch: pytest.MonkeyPatch, path: Path, mask: bool) -> None:
    def accept(dialog: exporting.ExportDialog) -> int:
        assert dialog.mask_box.isChecked()  # the mask is on unless the user unticks it
        dialog.path_edit.setText(str(path))
        dialog.mask_box.setChecked(mask)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(exporting.ExportDialog, "exec", accept)
    monkeypatch.setattr(exporting, "exported", lambda _parent, written: None)
    page.export_button.click()


def test_the_export_holds_the_searched_rows_with_contacts_masked(
    persons_page: RegistryPage, monkeypatch: pytest.MonkeyPatch, qtbot, tmp_path: Path
) -> None:
    page = persons_page
    type_text(page.search, "иван")
    page.search.flush()
    qtbot.waitUntil(lambda: page.model.query.search == "иван")
    with page.db.session() as session:
        expected = count(session, "persons", page.model.query)
    assert 0 < expected < page.model.BLOCK * 10
    path = tmp_path / "педагоги.xlsx"
    _export(page, monkeypatch, path, mask=True)
    rows = _rows(path)
    title, selection, header, *data = rows
    assert "Педагоги" in title[0] and "поиск «иван»" in selection[0]
    assert header[0] == "ФИО" and len(data) == expected
    assert all("иван" in str(r).lower() for r in data)
    assert date.today().strftime("%d.%m.%Y") in title[0]
    emails = [v for r in data for v in r if isinstance(v, str) and "@" in v]
    assert emails and all("***@" in v for v in emails)


def test_unticking_the_mask_exports_contacts(
    persons_page: RegistryPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert {c.key for c in persons_page.registry.columns if c.personal} == {"phone", "email"}
    masked, clear = tmp_path / "m.xlsx", tmp_path / "c.xlsx"
    _export(persons_page, monkeypatch, masked, mask=True)
    _export(persons_page, monkeypatch, clear, mask=False)
    assert "***" in str(_rows(masked)) and "***" not in str(_rows(clear))


def test_a_missing_folder_is_said_in_the_dialog(persons_page: RegistryPage, qtbot) -> None:
    dialog = exporting.ExportDialog(persons_page, "/", 10, persons_page)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText("/нет/такой/папки/x.xlsx")
    dialog._accept()
    assert not dialog.isVisible() or dialog.result() != QDialog.DialogCode.Accepted
    assert "не найдена" in dialog.error.text()
