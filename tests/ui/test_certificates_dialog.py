"""Issuing certificates from the window: choosing whom, the preview of the names in the dative
case corrected in place, the files and the date, issuing in the background, «Отмена» leaving
nothing behind, and the doors to the dialog from the internship card, program and event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from stazhirovka.db import Database
from stazhirovka.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Internship,
    InternshipStatus,
    Person,
    Program,
)
from stazhirovka.services.issuing import Selection, recipients
from stazhirovka.ui.certificates_dialog import (
    CHOOSE,
    OUTPUT,
    PREVIEW,
    RESULT,
    CertificatesDialog,
    RecipientsModel,
    open_certificates_dialog,
)
from stazhirovka.ui.pdf_preview import PdfPreviewDialog
from stazhirovka.ui.tasks import Cancelled, Progress
from tests.reports.pdfcheck import all_text, pdf_text
from tests.ui.helpers import type_text

CORRECTED = "Образцовой Марии Ивановне"

pytestmark = pytest.mark.usefixtures("boxes")


def program_with_recipients(db: Database, at_least: int = 2) -> tuple[int, str, int]:
    """A program with completed internships lacking a certificate: id, title, how many."""
    with db.session() as s:
        for program_id, title in s.execute(select(Program.id, Program.title).order_by(Program.id)):
            n = len(recipients(s, Selection(program_id=program_id)))
            if n >= at_least:
                return program_id, title, n
    raise AssertionError("the demo has no such program")


def certificates_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(Certificate.id))) or 0


def the_dialog(window: Any) -> CertificatesDialog:
    [dialog] = [d for d in window.findChildren(CertificatesDialog) if d.isVisible()]
    return dialog


def pick(picker: Any, text: str) -> None:
    """Type into a record picker and take the first suggestion, as a user does."""
    type_text(picker.edit, text)
    picker.suggest()
    first = picker.completer.completionModel().index(0, 0)
    assert first.isValid(), text
    picker.completer.activated.emit(first.data())
    picker.completer.popup().hide()


def edit_dative(dialog: CertificatesDialog, row: int, text: str, qtbot: Any) -> None:
    """F2 on the dative cell, type the form, Enter — as in any table."""
    table = dialog.table
    table.setCurrentIndex(dialog.model.index(row, RecipientsModel.DATIVE))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table
    editor.selectAll()
    type_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def set_outputs(dialog: CertificatesDialog, folder: Path, split: bool = True) -> None:
    dialog.pdf_edit.setText(str(folder / "Сертификаты.pdf"))
    dialog.split_box.setChecked(split)
    dialog.split_edit.setText(str(folder / "по одному"))


@pytest.fixture
def window(demo_db, make_window):
    return make_window(demo_db)


# -- the whole way -------------------------------------------------------------------------------


def test_issuing_for_a_program_with_a_corrected_name(
    demo_db, window, tmp_path, qtbot, qtmodeltester
):
    program_id, title, n = program_with_recipients(demo_db)
    before = certificates_count(demo_db)
    window.documents.issue_action.trigger()
    dialog = the_dialog(window)
    assert dialog.steps.currentIndex() == CHOOSE
    pick(dialog.program, title[:25])
    assert dialog.program.value() == program_id
    dialog.count()
    assert dialog.found_label.text().startswith(f"Будет выдано: {n} ")

    dialog.next_button.click()
    assert dialog.steps.currentIndex() == PREVIEW
    model = dialog.model
    qtmodeltester.check(model)
    assert model.rowCount() == n
    assert dialog.preview_subheading.text() == f"Программа «{title}»"
    person_id = model.recipient(0).person_id
    declined = model.dative(0)
    assert declined == model.recipient(0).dative_declined
    edit_dative(dialog, 0, CORRECTED, qtbot)
    assert model.dative(0) == CORRECTED
    assert model.is_corrected(0)
    assert model.data(model.index(0, RecipientsModel.DATIVE), Qt.ItemDataRole.BackgroundRole)
    assert declined in model.data(model.index(0, model.DATIVE), Qt.ItemDataRole.ToolTipRole)
    assert dialog.corrected_label.text() == "Исправлено вручную: 1"
    assert dialog.is_dirty()
    qtmodeltester.check(model)

    dialog.next_button.click()
    assert dialog.steps.currentIndex() == OUTPUT
    assert dialog.issue_button.text().startswith(f"Выдать {n} сертификат")
    set_outputs(dialog, tmp_path)
    dialog.issue_button.click()

    assert dialog.steps.currentIndex() == RESULT
    assert dialog.result_heading.text().startswith(f"Выдано {n} сертификат")
    with demo_db.session() as s:
        issued = s.scalars(
            select(Certificate)
            .join(Internship, Internship.id == Certificate.internship_id)
            .where(Internship.program_id == program_id, Certificate.issued_on == dialog.today)
        ).all()
        assert len(issued) == n
        assert certificates_count(demo_db) == before + n
        mine = [c for c in issued if c.person_id == person_id]
        assert [c.holder_name_dative for c in mine] == [CORRECTED]
        assert s.get(Person, person_id).dative_override == CORRECTED  # kept for the person
        numbers = sorted(c.number for c in issued)
    assert all(number in dialog.result_numbers.toPlainText() for number in numbers)
    pdf = tmp_path / "Сертификаты.pdf"
    assert len(pdf_text(pdf)) == n
    assert CORRECTED in all_text(pdf)
    separate = sorted((tmp_path / "по одному").glob("*.pdf"))
    assert len(separate) == n
    assert not dialog.is_dirty()

    # «Открыть» shows the file in the preview
    previews: list[PdfPreviewDialog] = []
    dialog.open_result(previews.append)
    assert previews and previews[0].page_count() == n
    previews[0].close()
    dialog.close_button.click()


def test_a_cancel_during_issuing_leaves_no_certificate_and_no_file(
    demo_db, window, tmp_path, monkeypatch
):
    program_id, _title, _n = program_with_recipients(demo_db)
    before = certificates_count(demo_db)
    out = tmp_path / "out"
    dialog = open_certificates_dialog(window, window, Selection(program_id=program_id))
    assert dialog is not None and dialog.steps.currentIndex() == PREVIEW
    try:
        person_id = dialog.model.recipient(0).person_id
        dialog.model.set_dative(0, CORRECTED)
        dialog.next_button.click()
        set_outputs(dialog, out)
        reports: list[str] = []

        def press_cancel_while_printing(
            self: Progress, done: int, total: int = 0, text: str = ""
        ) -> None:
            reports.append(text)
            if text != "Регистрация номеров":  # the numbers are taken, the files being made
                raise Cancelled

        monkeypatch.setattr(Progress, "report", press_cancel_while_printing)
        dialog.issue_button.click()

        assert reports[0] == "Регистрация номеров" and len(reports) >= 2
        assert dialog.steps.currentIndex() == OUTPUT
        assert (
            dialog.output_status.text() == "Выдача отменена: номера не присвоены, файлы не созданы."
        )
        assert certificates_count(demo_db) == before
        with demo_db.session() as s:
            assert s.get(Person, person_id).dative_override == ""
        assert [p for p in out.rglob("*") if p.is_file()] == []
        assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no stage left
        assert dialog.issue_button.isEnabled()  # one may try again
    finally:
        dialog.mark_clean()
    dialog.reject()


# -- the doors to the dialog ---------------------------------------------------------------------


def completed_without_certificate(db: Database) -> int:
    with db.session() as s:
        return recipients(s, Selection())[0].internship_id


def test_the_card_issues_its_certificate(demo_db, window, tmp_path):
    internship_id = completed_without_certificate(demo_db)
    card = window.open_record("internships", internship_id)
    assert card.issue_certificate_button.isVisible()
    assert not card.certificate_button.isVisible()
    card.issue_certificate_button.click()
    dialog = the_dialog(card)
    assert dialog.steps.currentIndex() == PREVIEW
    assert dialog.model.rowCount() == 1
    assert not dialog.back_button.isVisible()  # the internship is given, not chosen
    dialog.next_button.click()
    set_outputs(dialog, tmp_path, split=False)
    dialog.issue_button.click()
    assert dialog.steps.currentIndex() == RESULT
    with demo_db.session() as s:
        number = s.scalar(
            select(Certificate.number).where(Certificate.internship_id == internship_id)
        )
    assert card.certificate_button.isVisible()
    assert card.certificate_button.text() == f"Сертификат {number}"
    assert not card.issue_certificate_button.isVisible()
    dialog.close_button.click()


def test_an_active_internship_has_nothing_to_issue(demo_db, window):
    with demo_db.session() as s:
        active = s.scalar(select(Internship.id).where(Internship.status == InternshipStatus.ACTIVE))
    card = window.open_record("internships", active)
    assert not card.issue_certificate_button.isVisible()
    dialog = open_certificates_dialog(window, card, Selection(internship_ids=(active,)))
    assert dialog is not None
    assert dialog.steps.currentIndex() == CHOOSE
    assert (
        dialog.found_label.text() == "Нет завершённых стажировок без сертификата по этим условиям."
    )
    assert not dialog.next_button.isEnabled() or dialog.model.rowCount() == 0
    dialog.reject()


def test_the_program_editor_and_the_event_card_open_it(demo_db, window):
    program_id, _title, n = program_with_recipients(demo_db)
    editor = window.open_record("programs", program_id)
    editor.certificates_button.click()
    dialog = the_dialog(editor)
    assert dialog.program.value() == program_id
    assert dialog.model.rowCount() == n
    dialog.reject()

    with demo_db.session() as s:
        event_id = next(
            e
            for e in range(1, 200)
            if recipients(s, Selection(kind=CertificateKind.PARTICIPATION, event_id=e))
        )
        expected = len(
            recipients(s, Selection(kind=CertificateKind.PARTICIPATION, event_id=event_id))
        )
    card = window.open_record("events", event_id)
    card.certificates_button.click()
    dialog = the_dialog(card)
    assert dialog.event_radio.isChecked()
    assert dialog.model.rowCount() == expected
    assert dialog.preview_heading.text().endswith("участника")
    dialog.back_button.click()
    dialog.event_kind.setCurrentIndex(dialog.event_kind.findData("speaker"))
    dialog.count()
    assert dialog.found_label.text()  # speakers counted (or told there are none)
    dialog.reject()


# -- corrections ---------------------------------------------------------------------------------


def test_a_kept_correction_is_shown_and_can_be_taken_back(demo_db, window, tmp_path):
    program_id, _title, _n = program_with_recipients(demo_db)
    with demo_db.session() as s:
        person_id = recipients(s, Selection(program_id=program_id))[0].person_id
        s.get(Person, person_id).dative_override = CORRECTED
    dialog = open_certificates_dialog(window, window, Selection(program_id=program_id))
    model = dialog.model
    row = model.person_ids().index(person_id)
    assert model.dative(row) == CORRECTED and model.is_corrected(row)
    assert not dialog.is_dirty()  # kept before, nothing typed now
    dialog.table.setCurrentIndex(model.index(row, model.DATIVE))
    assert dialog.revert_button.isEnabled()
    dialog.revert_button.click()
    declined = model.recipient(row).dative_declined
    assert model.dative(row) == declined and not model.is_corrected(row)
    dialog.next_button.click()
    set_outputs(dialog, tmp_path, split=False)
    dialog.issue_button.click()
    assert dialog.steps.currentIndex() == RESULT
    with demo_db.session() as s:
        assert s.get(Person, person_id).dative_override == ""
        printed = s.scalar(
            select(Certificate.holder_name_dative).where(Certificate.person_id == person_id)
        )
    assert printed == declined
    dialog.close_button.click()


def test_closing_with_corrections_asks(demo_db, window, monkeypatch):
    program_id, _title, _n = program_with_recipients(demo_db)
    dialog = open_certificates_dialog(window, window, Selection(program_id=program_id))
    dialog.model.set_dative(0, CORRECTED)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *a: Any) -> Any:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog.close_button.click()
    assert dialog.isVisible()
    assert asked == ["Сертификаты не выданы, и исправленные ФИО не сохранятся. Закрыть окно?"]
    dialog.close_button.click()
    assert not dialog.isVisible()
    with demo_db.session() as s:
        assert (
            s.scalar(
                select(func.count(Certificate.id)).where(
                    Certificate.status == CertificateStatus.ISSUED,
                    Certificate.issued_on == dialog.today,
                )
            )
            == 0
        )


def test_the_choice_is_checked_before_going_on(demo_db, window):
    window.documents.issue_action.trigger()
    dialog = the_dialog(window)
    type_text(dialog.program.edit, "нет такой программы")
    dialog.next_button.click()
    assert dialog.steps.currentIndex() == CHOOSE
    assert dialog.found_label.text() == "Выберите программу из списка или очистите поле."
    dialog.program.edit.clear()
    dialog.event_radio.click()
    dialog.next_button.click()
    assert dialog.found_label.text() == "Выберите мероприятие из списка."
    dialog.internship_radio.click()
    dialog.date_from.set_value("01.12.2026")
    dialog.date_to.set_value("01.01.2026")
    dialog.next_button.click()
    assert dialog.found_label.text() == "Дата завершения: начало периода позже его конца."
    dialog.reject()
