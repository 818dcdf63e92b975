"""Printing from the window: a card's print buttons, the «Документы» menu over a registry's
selected records, the background print with its cancel, the preview (pages, zoom, save, open),
the register with the district's letterhead, and cancelling and duplicating certificates."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox
from sqlalchemy import func, select

from stazhirovka.db import Database
from stazhirovka.models import (
    Certificate,
    CertificateStatus,
    Internship,
    InternshipStatus,
    JournalEntry,
    Person,
    Program,
)
from stazhirovka.services.district import load_district
from stazhirovka.ui import printing
from stazhirovka.ui.pdf_preview import PdfPreviewDialog
from stazhirovka.ui.printing import PeriodDialog
from stazhirovka.ui.tasks import Cancelled, Progress
from tests.reports.pdfcheck import all_text, pdf_text
from tests.ui.helpers import type_text

pytestmark = pytest.mark.usefixtures("boxes")


@pytest.fixture(autouse=True)
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Prints go to a temporary folder of the test's own (counted, cleaned with it)."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def previews() -> list[PdfPreviewDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, PdfPreviewDialog) and w.isVisible()
    ]


def close_previews() -> None:
    for preview in previews():
        preview.close()


def journal_internship(db: Database) -> tuple[int, str]:
    """An internship with journal entries, and its intern's surname."""
    with db.session() as s:
        internship_id, surname = s.execute(
            select(Internship.id, Person.surname)
            .join(Person, Person.id == Internship.person_id)
            .join(JournalEntry, JournalEntry.internship_id == Internship.id)
            .where(Internship.status == InternshipStatus.COMPLETED)
            .order_by(Internship.id)
            .limit(1)
        ).one()
    return internship_id, surname


def select_rows(page: Any, ids: list[int], qtbot: Any) -> None:
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    for record_id in ids:
        qtbot.waitUntil(lambda r=record_id: page.model.row_of(r) is not None)
    page.select_ids(ids)
    page.table.selectionModel().setCurrentIndex(
        page.model.index(page.model.row_of(ids[0]), 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    assert sorted(page.selected_ids()) == sorted(ids)


# -- a card's buttons and the preview ----------------------------------------------------------


def test_the_card_prints_the_journal_into_the_preview(demo_db, make_window, monkeypatch, tmp_path):
    internship_id, surname = journal_internship(demo_db)
    window = make_window(demo_db)
    card = window.open_record("internships", internship_id)
    assert set(card.print_buttons) >= {"journal"}
    assert card.print_buttons["journal"].text() == "Журнал стажёра"
    card.print_buttons["journal"].click()

    [preview] = previews()
    path = preview.path
    assert path.exists() and path.suffix == ".pdf"
    assert path.parent.parent == Path(tempfile.gettempdir())  # the user's temporary folder
    assert surname in all_text(path)
    pages = len(pdf_text(path))
    assert pages > 1
    assert preview.page_count() == pages
    assert preview.pages_label.text() == f"из {pages}"
    assert preview.windowTitle() == "Предпросмотр: Журнал профессионального роста стажёра"

    # the first page is drawn, not left white
    preview.resize(900, 700)
    QApplication.processEvents()
    image = preview.view.image(0)
    assert image.width() > 100
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, 400, 5)}
    assert len(colours) > 2

    # pages by number, zoom
    preview.page_spin.setValue(pages)
    assert preview.current_page() == pages
    before = preview.zoom()
    preview.zoom_in.click()
    assert preview.zoom() > before
    preview.zoom_out.click()
    preview.zoom_out.click()
    assert preview.zoom() < before

    # «Сохранить как…» copies the file; «Открыть файл» hands it to the system viewer
    target = tmp_path / "Журнал.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target)[:-4], ""))
    preview.save_button.click()
    assert target.read_bytes() == path.read_bytes()
    assert preview.status.text() == f"Сохранено: {target}"
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    preview.open_button.click()
    assert [u.toLocalFile() for u in opened] == [str(path)]
    preview.close()
    assert preview.pdf is None  # the document is let go with the window


def test_every_document_of_an_internship_prints(demo_db, make_window):
    internship_id, surname = journal_internship(demo_db)
    window = make_window(demo_db)
    card = window.open_record("internships", internship_id)
    for key, button in card.print_buttons.items():
        button.click()
        [preview] = previews()
        assert surname in all_text(preview.path), key
        preview.close()


def test_a_cancelled_print_leaves_nothing(demo_db, make_window, own_temp, monkeypatch):
    internship_id, _surname = journal_internship(demo_db)
    window = make_window(demo_db)
    card = window.open_record("internships", internship_id)

    def cancel(self: Progress, done: int, total: int = 0, text: str = "") -> None:
        raise Cancelled

    monkeypatch.setattr(Progress, "report", cancel)
    task = printing.print_records(card, window.ctx, "journal", [internship_id])
    assert task is not None and task.outcome == "cancelled"
    assert previews() == []
    assert list(own_temp.iterdir()) == []


def test_a_failed_print_says_why_in_russian(demo_db, make_window, own_temp, monkeypatch):
    window = make_window(demo_db)
    shown: list[str] = []
    monkeypatch.setattr(printing, "show_error", lambda _p, exc, _c="": shown.append(str(exc)))
    task = printing.print_records(window, window.ctx, "journal", [999_999])
    assert task is not None and task.outcome == "failed"
    assert shown and "не найден" in shown[0]
    assert previews() == []
    assert list(own_temp.iterdir()) == []


# -- the «Документы» menu -------------------------------------------------------------------


def test_selected_programs_print_into_one_pdf(demo_db, make_window, qtbot):
    with demo_db.session() as s:
        programs = s.execute(select(Program.id, Program.title).order_by(Program.id).limit(2)).all()
    window = make_window(demo_db)
    page = window.show_page("programs")
    documents = window.documents
    documents.update()
    assert not documents.print_action.isEnabled()  # nothing selected yet
    select_rows(page, [p.id for p in programs], qtbot)
    documents.update()
    texts = [a.text() for a in documents.menu.actions()]
    assert "Печать: Программа (2)…" in texts
    assert documents.print_action.isEnabled()
    documents.print_action.trigger()

    [preview] = previews()
    text = all_text(preview.path)
    for _id, title in programs:
        assert title.split()[0] in text
    assert preview.path.name == "Модульная программа стажировки (2).pdf"
    close_previews()


def test_the_menu_follows_the_page(demo_db, make_window, qtbot):
    window = make_window(demo_db)
    documents = window.documents
    window.show_page("internships")
    documents.update()
    texts = [a.text() for a in documents.menu.actions()]
    assert texts[:2] == ["Выдать сертификаты…", "Журнал регистрации сертификатов (PDF)…"]
    assert "Печать: Журнал стажёра…" in texts
    assert "Аннулировать…" not in texts
    window.show_page("persons")  # nothing to print there
    documents.update()
    assert documents.print_action.text() == "Печать…"
    assert not documents.print_action.isEnabled()
    window.show_page("certificates")
    documents.update()
    texts = [a.text() for a in documents.menu.actions()]
    assert "Печать сертификата…" in texts
    assert {"Аннулировать…", "Выдать дубликат"} <= set(texts)
    assert not documents.cancel_action.isEnabled()  # nothing selected


def test_the_register_prints_with_the_district_letterhead(demo_db, make_window, monkeypatch, qtbot):
    """The details saved in the settings go into the database and onto the documents."""
    from stazhirovka.ui.settings_dialog import SettingsDialog

    with demo_db.session() as s:
        before = load_district(s)
    window = make_window(demo_db)
    dialog = SettingsDialog(
        window.settings, demo_db.url, window, tasks=window.tasks, db=demo_db, actor="metodist"
    )
    dialog.open()
    assert dialog.district_page.values()["founder"] == before.founder  # read from the database
    founder = (
        "Управление образования и молодёжной политики администрации муниципального "
        "образования Тимашевский район"
    )
    for name, text in (("founder", founder), ("city", "ст-ца Медведовская")):
        edit = dialog.district_page.edits[name]
        edit.selectAll()
        type_text(edit, text)
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        district = load_district(s)
    assert district != before
    assert district == replace(before, founder=founder, city="ст-ца Медведовская")

    monkeypatch.setattr(PeriodDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window.documents.register_action.trigger()
    [preview] = previews()
    text = all_text(preview.path)
    assert "Журнал регистрации выданных сертификатов" in text
    assert "молодёжной политики" in text  # the founder, just saved
    assert "за период с 01.01." in text
    close_previews()


def test_the_period_dialog_checks_its_dates(qtbot):
    dialog = PeriodDialog(None, "period", "Отчёт площадки")
    qtbot.addWidget(dialog)
    assert dialog.values().keys() == {"year"}
    dialog.date_from.set_value("01.09.2026")
    dialog.date_to.set_value("31.05.2026")
    assert dialog.period_radio.isChecked()
    dialog.accept()
    assert dialog.error.text() == "Начало периода позже его конца."
    dialog.date_to.set_value("31.12.2026")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [str(v) for v in dialog.values().values()] == ["2026-09-01", "2026-12-31"]


def test_the_plan_schedule_prints_its_year(demo_db, make_window):
    if not printing.kinds_for("plan"):
        pytest.skip("the plan-schedule document is not written yet")
    window = make_window(demo_db)
    page = window.show_page("plan")
    assert page.print_button.isVisible()
    page.print_button.click()
    [preview] = previews()
    assert str(page.year_value()) in all_text(preview.path)
    close_previews()


# -- certificates in the registry --------------------------------------------------------------


def _issued(db: Database, n: int) -> list[tuple[int, str]]:
    with db.session() as s:
        return [
            (i, number)
            for i, number in s.execute(
                select(Certificate.id, Certificate.number)
                .where(
                    Certificate.status == CertificateStatus.ISSUED, Certificate.duplicate_no == 0
                )
                .order_by(Certificate.id)
                .limit(n)
            )
        ]


def test_cancel_and_duplicate_from_the_registry(demo_db, make_window, monkeypatch, qtbot):
    (first, first_number), (second, second_number) = _issued(demo_db, 2)
    window = make_window(demo_db)
    page = window.show_page("certificates")
    documents = window.documents

    # cancelling asks the reason; without one nothing changes
    select_rows(page, [first], qtbot)
    documents.update()
    assert documents.cancel_action.isEnabled() and documents.duplicate_action.isEnabled()
    asked: list[str] = []

    def reason(answer: str) -> Any:
        def get_text(_parent: Any, _title: str, label: str, *a: Any, **k: Any) -> Any:
            asked.append(label)
            return answer, True

        return get_text

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    monkeypatch.setattr(QInputDialog, "getText", reason("  "))
    documents.cancel_action.trigger()
    assert first_number in asked[0]
    assert told == ["Сертификат не аннулирован: укажите причину аннулирования."]
    monkeypatch.setattr(QInputDialog, "getText", reason("Ошибка в фамилии"))
    documents.cancel_action.trigger()
    with demo_db.session() as s:
        cancelled = s.get(Certificate, first)
        assert cancelled.status == CertificateStatus.CANCELLED
        assert cancelled.cancel_reason == "Ошибка в фамилии"

    # a duplicate gets its own registered number and opens for printing
    select_rows(page, [second], qtbot)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    documents.duplicate_action.trigger()
    with demo_db.session() as s:
        duplicate = s.scalars(
            select(Certificate).where(Certificate.number.startswith(second_number + "-Д"))
        ).one()
        assert duplicate.status == CertificateStatus.ISSUED
    [preview] = previews()
    text = all_text(preview.path)
    assert "ДУБЛИКАТ" in text and duplicate.number in text
    close_previews()

    # the registry shows both changes
    qtbot.waitUntil(lambda: page.model.row_of(duplicate.id) is not None)


def test_a_cancelled_certificate_does_not_reprint(demo_db, make_window, monkeypatch, qtbot):
    with demo_db.session() as s:
        cancelled = s.scalar(
            select(Certificate.id).where(Certificate.status == CertificateStatus.CANCELLED)
        )
        before = s.scalar(select(func.count(Certificate.id)))
    assert cancelled is not None  # the demo always holds one
    window = make_window(demo_db)
    page = window.show_page("certificates")
    select_rows(page, [cancelled], qtbot)
    shown: list[str] = []
    monkeypatch.setattr(printing, "show_error", lambda _p, exc, _c="": shown.append(str(exc)))
    window.documents.print_action.trigger()
    assert shown and "аннулирован" in shown[0]
    assert previews() == []
    with demo_db.session() as s:
        assert s.scalar(select(func.count(Certificate.id))) == before


def test_ctrl_p_prints_the_selection(demo_db, make_window, qtbot):
    [(certificate_id, number)] = _issued(demo_db, 1)
    window = make_window(demo_db)
    page = window.show_page("certificates")
    select_rows(page, [certificate_id], qtbot)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    [preview] = previews()
    assert number in all_text(preview.path)
    assert preview.page_count() == 1
    assert preview.zoom_box.currentText() == "Страница целиком"  # a landscape certificate
    close_previews()


def test_the_program_editor_prints_its_program(demo_db, make_window, monkeypatch):
    with demo_db.session() as s:
        program_id, title = s.execute(select(Program.id, Program.title).limit(1)).one()
    window = make_window(demo_db)
    editor = window.open_record("programs", program_id)
    button = editor.print_buttons["program"]
    assert button.text() == "Печать программы"

    # unsaved details: the user is asked; «Нет» prints the saved program
    type_text(editor.details.editors["audience"].widget, " и воспитатели")
    assert editor.is_dirty()
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *a: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    button.click()
    assert asked and asked[0].startswith("Сведения о программе изменены")
    [preview] = previews()
    assert title.split()[0] in all_text(preview.path)
    assert "и воспитатели" not in all_text(preview.path)
    close_previews()
    editor.mark_clean()
