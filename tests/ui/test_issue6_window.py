"""Issue 6 in the window, follow-ups: the conflict dialog of a stale save, a busy database
while saving, the audit trail page and a record's history, the withdrawal of consent and
switching the user."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import select

from stazhirovka.db import Database, open_database
from stazhirovka.errors import DatabaseError
from stazhirovka.models import AuditEntry, Person, Role
from stazhirovka.services.access import OWNER
from stazhirovka.services.people import PersonService
from stazhirovka.services.users import UserService
from stazhirovka.ui.conflict_dialog import Choice, ConflictDialog
from stazhirovka.ui.consent_dialog import ConsentDialog
from stazhirovka.ui.entities import KINDS
from stazhirovka.ui.forms import EntityForm
from stazhirovka.ui.login_dialog import LoginDialog
from stazhirovka.ui.registry_page import RegistryPage

PASSWORD = "верный-пароль-1"


@pytest.fixture
def other(demo_db: Database):
    """A second desktop on the same database file."""
    db = open_database(demo_db.url)
    yield db
    db.close()


def _person_id(db: Database) -> int:
    with db.session() as session:
        return session.scalars(select(Person.id).order_by(Person.id)).first()


def _answer(monkeypatch: pytest.MonkeyPatch, *choices: Choice) -> list[ConflictDialog]:
    """The conflict dialog answers ``choices`` in turn; the dialogs shown are recorded."""
    shown: list[ConflictDialog] = []
    queue = list(choices)

    def exec_(dialog: ConflictDialog) -> int:
        shown.append(dialog)
        dialog._choose(queue.pop(0))
        return dialog.result()

    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    monkeypatch.setattr(ConflictDialog, "deleteLater", lambda self: None)
    return shown


def _stale_form(demo_db: Database, other: Database, window) -> tuple[EntityForm, int]:
    """A person's form loaded, then the other desktop changes the phone and the subject."""
    person_id = _person_id(demo_db)
    form = EntityForm(demo_db, KINDS["persons"], person_id, parent=window, actor="")
    with other.session() as session:
        PersonService().update(
            session, person_id, {"phone": "+7 900 111-22-33", "subject": "химия"}, actor="коллега"
        )
    form.editors["email"].widget.setText("mine@example.ru")
    form.editors["subject"].widget.setText("биология")
    return form, person_id


def test_a_stale_save_shows_both_versions_and_cancel_keeps_the_form(
    demo_db, other, make_window, boxes, monkeypatch
) -> None:
    window = make_window(demo_db)
    form, person_id = _stale_form(demo_db, other, window)
    shown = _answer(monkeypatch, Choice.CANCEL)
    assert not form.save()
    [dialog] = shown
    rows = {d.label: d for d in dialog.differences}
    # the other user's change and this form's edits, field by field, with Russian labels
    phone = next(d for label, d in rows.items() if "елефон" in label)
    assert (phone.theirs, phone.changed_by_them) == ("+7 900 111-22-33", True)
    subject = next(d for label, d in rows.items() if "редмет" in label)
    assert (subject.theirs, subject.mine, subject.changed_by_them) == ("химия", "биология", True)
    email = next(d for label, d in rows.items() if "почта" in label.lower())
    assert (email.mine, email.changed_by_them) == ("mine@example.ru", False)
    # «Отмена»: nothing saved, the form keeps the user's input and says why
    assert form.is_dirty() and form.editors["subject"].widget.text() == "биология"
    assert "другой пользователь" in form.banner.text()
    with demo_db.session() as session:
        person = session.get(Person, person_id)
        assert (person.subject, person.email) == ("химия", person.email)
        assert person.email != "mine@example.ru"
    form.mark_clean()


def test_their_version_reloads_the_form(demo_db, other, make_window, boxes, monkeypatch) -> None:
    window = make_window(demo_db)
    form, person_id = _stale_form(demo_db, other, window)
    _answer(monkeypatch, Choice.THEIRS)
    assert not form.save()
    assert not form.is_dirty()
    assert form.editors["subject"].widget.text() == "химия"
    assert form.editors["phone"].widget.text() == "+7 900 111-22-33"
    form.editors["subject"].widget.setText("физика")  # and now a save goes through
    assert form.save()
    with demo_db.session() as session:
        assert session.get(Person, person_id).subject == "физика"


def test_mine_saves_over_the_version_shown_and_asks_again_if_it_moved(
    demo_db, other, make_window, boxes, monkeypatch
) -> None:
    window = make_window(demo_db)
    form, person_id = _stale_form(demo_db, other, window)
    shown = _answer(monkeypatch, Choice.MINE)
    assert form.save()
    assert len(shown) == 1
    with demo_db.session() as session:
        person = session.get(Person, person_id)
        # the form's values win, the other user's phone is overwritten only after it was shown
        assert (person.subject, person.email) == ("биология", "mine@example.ru")
    # A change after the dialog was read is not overwritten silently: the dialog comes again.
    form2 = EntityForm(demo_db, KINDS["persons"], person_id, parent=window)
    form2.editors["subject"].widget.setText("история")
    real_differences = EntityForm._differences
    meanwhile: list[int] = []

    def someone_saves_meanwhile(self, stored):
        result = real_differences(self, stored)
        if not meanwhile:  # while the first dialog is read, the other desktop saves again
            meanwhile.append(1)
            with other.session() as session:
                PersonService().update(session, person_id, {"subject": "география"})
        return result

    monkeypatch.setattr(EntityForm, "_differences", someone_saves_meanwhile)
    with other.session() as session:
        PersonService().update(session, person_id, {"subject": "химия"})
    shown = _answer(monkeypatch, Choice.MINE, Choice.CANCEL)
    assert not form2.save()
    assert len(shown) == 2
    assert [d.theirs for d in shown[1].differences if "редмет" in d.label] == ["география"]
    with demo_db.session() as session:
        assert session.get(Person, person_id).subject == "география"
    form2.mark_clean()


def test_the_conflict_dialog_screenshot(demo_db, other, make_window, monkeypatch, tmp_path):
    window = make_window(demo_db)
    form, _ = _stale_form(demo_db, other, window)
    stored = EntityForm(demo_db, KINDS["persons"], form.record_id)
    dialog = ConflictDialog("Иванова А. А.", "коллега", form._differences(stored), form)
    stored.deleteLater()
    dialog.show()
    dialog.grab().save(str(tmp_path / "conflict.png"))
    assert dialog.table.rowCount() >= 3
    dialog.close()
    form.mark_clean()


def test_a_busy_database_keeps_the_form_open_for_another_try(
    demo_db, make_window, boxes, monkeypatch
) -> None:
    window = make_window(demo_db)
    person_id = _person_id(demo_db)
    form = EntityForm(demo_db, KINDS["persons"], person_id, parent=window)
    form.editors["subject"].widget.setText("астрономия")
    busy = DatabaseError("База данных занята: её сейчас изменяет другой пользователь.")
    real_update = PersonService.update

    def refuse(*args, **kwargs):
        raise busy

    monkeypatch.setattr(PersonService, "update", refuse)
    assert not form.save()
    assert boxes == ["База данных занята: её сейчас изменяет другой пользователь."]
    boxes.clear()
    assert "База данных занята" in form.banner.text() and form.banner.isVisibleTo(form)
    assert form.is_dirty() and form.editors["subject"].widget.text() == "астрономия"
    assert form.result() == 0  # still open
    monkeypatch.setattr(PersonService, "update", real_update)
    assert form.save()  # pressed again once the other desktop is done
    with demo_db.session() as session:
        assert session.get(Person, person_id).subject == "астрономия"


def test_the_audit_trail_page_and_a_records_history(demo_db, make_window, boxes) -> None:
    window = make_window(demo_db)
    person_id = _person_id(demo_db)
    form = EntityForm(demo_db, KINDS["persons"], person_id, parent=window, actor="")
    form.editors["subject"].widget.setText("черчение")
    assert form.save()
    page = window.show_page("audit")
    assert isinstance(page, RegistryPage) and not page.editable
    assert not page.new_button.isVisibleTo(page) and not page.delete_button.isVisibleTo(page)
    assert page.model.rowCount() > 0
    assert window._go_actions["audit"].isVisible() and window.audit_action.isVisible()
    # «История изменений…» from the record's form: the trail of that record only
    form = EntityForm(demo_db, KINDS["persons"], person_id, parent=window)
    assert form.history_button is not None
    form.show_history()
    [history] = [d for d in window.findChildren(QDialog) if type(d).__name__ == "HistoryDialog"]
    model = history.page.model
    rows = [model.row(i) for i in range(model.rowCount())]
    assert rows and {r["entity_id"] for r in rows} == {person_id}
    assert any("черчение" in (r["changes"] or "") for r in rows)
    history.close()


def _accounts(db: Database) -> None:
    with db.session(OWNER) as session:
        for login, role in (("admin", Role.ADMIN), ("head", Role.PLATFORM_HEAD)):
            platforms = [1] if role is Role.PLATFORM_HEAD else []
            UserService().add(session, {"login": login, "role": role.value}, PASSWORD, platforms)


def test_a_platform_head_is_not_shown_the_audit_trail(demo_db, make_window) -> None:
    _accounts(demo_db)
    db = open_database(demo_db.url)
    try:
        db.login("head", PASSWORD)
        window = make_window(db)
        assert window._items["audit"].isHidden()
        assert not window._go_actions["audit"].isVisible()
        assert not window.audit_action.isVisible()
        with db.session() as session:
            masters = session.scalars(select(Person.id)).all()
        form = EntityForm(db, KINDS["persons"], masters[0], parent=window)
        assert form.history_button is None
        assert form.consent_button is not None and form.consent_button.isHidden()
    finally:
        db.close()


def test_withdrawing_consent_anonymizes_the_person(demo_db, make_window, boxes, monkeypatch):
    window = make_window(demo_db)
    person_id = _person_id(demo_db)
    form = EntityForm(demo_db, KINDS["persons"], person_id, parent=window)
    assert form.consent_button is not None and not form.consent_button.isHidden()
    made: list[ConsentDialog] = []

    def exec_(dialog: ConsentDialog) -> int:
        made.append(dialog)
        dialog.date_field.set_value("01.01.2999")  # the service refuses a future date
        assert not dialog.withdraw() and "будущем" in dialog.error.text()
        dialog.date_field.set_value(date.today())
        dialog.withdraw()
        return dialog.result()

    monkeypatch.setattr(ConsentDialog, "exec", exec_)
    monkeypatch.setattr(ConsentDialog, "deleteLater", lambda self: None)
    form.withdraw_consent()
    [dialog] = made
    text = dialog.findChildren(type(dialog.error))[0].text()
    assert "безвозвратно" in text and "СНИЛС" in text and "сертификатов" in text
    with demo_db.session() as session:
        person = session.get(Person, person_id)
        assert person.consent_withdrawn_on == date.today()
        assert person.surname == "Обезличено" and person.snils is None
        assert (
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == person_id)
            ).all()[-1]
            == "anonymize"
        )
    # the form shows the anonymized record and offers the withdrawal no more
    assert form.editors["surname"].widget.text() == "Обезличено"
    assert not form.is_dirty() and form.consent_button.isHidden()


def test_switching_the_user_reattaches_the_window(demo_db, make_window, monkeypatch) -> None:
    _accounts(demo_db)
    db = open_database(demo_db.url)
    try:
        db.login("admin", PASSWORD)
        window = make_window(db)
        window.ctx.actor = "admin"
        assert window.switch_action.isEnabled()
        window.show_page("audit")
        form = EntityForm(db, KINDS["persons"], _person_id(db), parent=window)
        form.show()
        form.editors["subject"].widget.setText("не сохранено")
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        answers = iter([("head", "неверный"), ("head", PASSWORD)])

        def exec_(dialog: LoginDialog) -> int:
            assert dialog.quit_button.text() == "Отмена"
            for login, password in answers:
                dialog.login_edit.setText(login)
                dialog.password_edit.setText(password)
                if dialog.try_login():
                    break
            return dialog.result()

        monkeypatch.setattr(LoginDialog, "exec", exec_)
        window.switch_user()
        assert db.principal.login == "head" and window.ctx.actor == "head"
        assert not form.isVisible()
        assert "audit" not in window.pages and window._items["audit"].isHidden()
        assert "head" in window.user_label.text()
        # «Отмена» leaves everything as it was
        monkeypatch.setattr(LoginDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
        window.switch_user()
        assert db.principal.login == "head"
    finally:
        db.close()


@pytest.mark.parametrize("choice", [Choice.CANCEL, Choice.THEIRS, Choice.MINE])
def test_a_card_gets_the_conflict_dialog_too(
    demo_db, other, make_window, boxes, monkeypatch, choice
) -> None:
    from stazhirovka.models import Program
    from stazhirovka.services.programs import ProgramService

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window = make_window(demo_db)
    with demo_db.session() as session:
        program_id = session.scalars(select(Program.id).order_by(Program.id)).first()
    editor = window.open_record("programs", program_id)
    with other.session() as session:
        ProgramService().update(session, program_id, {"title": "Их название"}, actor="коллега")
    editor.details.editors["title"].widget.setText("Моё название")
    shown = _answer(monkeypatch, choice)
    assert editor.save() is (choice is Choice.MINE)
    [dialog] = shown
    [title] = [d for d in dialog.differences if d.label == "Название"]
    assert (title.theirs, title.mine, title.changed_by_them) == (
        "Их название",
        "Моё название",
        True,
    )
    with demo_db.session() as session:
        stored = session.get(Program, program_id).title
    assert stored == ("Моё название" if choice is Choice.MINE else "Их название")
    if choice is Choice.THEIRS:
        assert editor.details.editors["title"].widget.text() == "Их название"
    assert editor.is_dirty() is (choice is Choice.CANCEL)
    editor.mark_clean()
    editor.close()
