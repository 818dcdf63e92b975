"""Accounts in the window (issue 6): the login dialog, who is working in the status bar, what
each role is offered on registry pages, forms and exports, and the accounts dialog."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from stazhirovka.db import Database, open_database
from stazhirovka.models import Internship, Platform, Program, Role, User
from stazhirovka.services.access import OWNER
from stazhirovka.services.users import UserService
from stazhirovka.ui.entities import KINDS
from stazhirovka.ui.exporting import ExportDialog
from stazhirovka.ui.forms import EntityForm
from stazhirovka.ui.login_dialog import LoginDialog
from stazhirovka.ui.registry_page import RegistryPage
from stazhirovka.ui.users_dialog import AddUserDialog, PasswordDialog, UsersDialog
from tests.ui.helpers import type_text

pytestmark = pytest.mark.usefixtures("boxes")

PASSWORD = "верный-пароль-1"


def _account(db: Database, login: str, role: Role, platform_ids: list[int] = ()) -> None:
    with db.session(OWNER) as session:
        UserService().add(session, {"login": login, "role": role.value}, PASSWORD, platform_ids)


def _reopen(db: Database) -> Database:
    """The same file opened again, as the next start of the program does."""
    url = db.url
    db.close()
    return open_database(url)


@pytest.fixture
def accounts_db(demo_db: Database) -> Callable[..., Database]:
    """The demo district with an administrator, a coordinator and a platform head of the
    first platform, reopened so that it asks for a login; ``login`` logs in as one."""
    with demo_db.session() as session:
        platform_id = session.scalars(select(Platform.id).order_by(Platform.id)).first()
    _account(demo_db, "admin", Role.ADMIN)
    _account(demo_db, "coord", Role.COORDINATOR)
    _account(demo_db, "head", Role.PLATFORM_HEAD, [platform_id])
    _account(demo_db, "metod", Role.METHODOLOGIST)
    opened: list[Database] = []

    def make(login: str | None = None) -> Database:
        db = _reopen(demo_db) if not opened else open_database(demo_db.url)
        opened.append(db)
        if login is not None:
            db.login(login, PASSWORD)
        return db

    make.platform_id = platform_id  # type: ignore[attr-defined]
    yield make
    for db in opened:
        db.close()


def test_a_wrong_password_keeps_the_login_dialog_open(accounts_db, make_ctx, qtbot) -> None:
    db = accounts_db()
    assert db.needs_login
    settings = make_ctx(db).settings
    dialog = LoginDialog(db, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.login_edit, "admin")
    type_text(dialog.password_edit, "не тот пароль")
    assert not dialog.try_login()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "Неверный логин или пароль" in dialog.error.text()
    assert dialog.password_edit.text() == "" and db.needs_login
    type_text(dialog.password_edit, PASSWORD)
    assert dialog.try_login()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert db.principal.login == "admin" and db.principal.role == Role.ADMIN
    assert settings.last_login == "admin"
    again = LoginDialog(db, settings)  # the next start offers the last login
    qtbot.addWidget(again)
    assert again.login_edit.text() == "admin"


def test_the_window_asks_for_a_login_before_it_shows_data(
    accounts_db, make_ctx, qtbot, monkeypatch
) -> None:
    from stazhirovka.ui import pages  # noqa: F401
    from stazhirovka.ui.app import log_in_and_attach
    from stazhirovka.ui.main_window import MainWindow

    db = accounts_db()
    ctx = make_ctx(db)
    window = MainWindow(settings=ctx.settings, tasks=ctx.tasks)
    qtbot.addWidget(window)
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert not log_in_and_attach(window, db)  # «Выход»
    assert window.ctx is None and not window.nav.isEnabled()

    def log_in(dialog: LoginDialog) -> int:
        dialog.login_edit.setText("head")
        dialog.password_edit.setText(PASSWORD)
        assert dialog.try_login()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LoginDialog, "exec", log_in)
    assert log_in_and_attach(window, db)
    assert window.ctx.actor == "head" and window.ctx.principal.is_platform_head
    assert window.user_label.text() == "head — руководитель площадки"


def test_the_status_bar_names_who_is_working(accounts_db, make_window) -> None:
    db = accounts_db("coord")
    window = make_window(db)
    assert window.user_label.text() == "coord — координатор"
    assert not window.users_action.isEnabled()
    assert window.password_action.isEnabled()
    # imports and certificates are the district's
    assert not window.import_action.isEnabled()
    window.show_page("certificates")
    window.documents.update()
    assert not window.documents.issue_action.isEnabled()
    assert not window.documents.cancel_action.isEnabled()


def test_a_coordinator_is_offered_no_changes(accounts_db, make_window, qtbot) -> None:
    db = accounts_db("coord")
    window = make_window(db)
    page = window.show_page("persons")
    assert isinstance(page, RegistryPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    assert not page.new_button.isVisible() and not page.delete_button.isVisible()
    assert page.open_button.isVisible() and page.export_button.isVisible()
    form = EntityForm(db, KINDS["persons"], page.model.row_id(0), parent=window)
    qtbot.addWidget(form)
    assert form.read_only and form.save_button.isHidden()
    assert form.delete_button is not None and form.delete_button.isHidden()
    assert form.editors["surname"].widget.isReadOnly()
    assert "координатор" in form.note.text()
    assert not form.save()
    # contacts leave the program masked only
    dialog = ExportDialog(page, "/tmp", 10, window)
    qtbot.addWidget(dialog)
    assert dialog.mask_box.isChecked() and not dialog.mask_box.isEnabled()
    assert "координатор" in dialog.mask_box.toolTip()
    dialog.mask_box.setChecked(False)
    assert dialog.masked()


def test_a_methodologist_may_add_and_export_contacts(accounts_db, make_window, qtbot) -> None:
    db = accounts_db("metod")
    window = make_window(db)
    page = window.show_page("persons")
    assert page.new_button.isVisible() and page.delete_button.isVisible()
    dialog = ExportDialog(page, "/tmp", 10, window)
    qtbot.addWidget(dialog)
    assert dialog.mask_box.isEnabled()
    form = EntityForm(db, KINDS["persons"], parent=window)
    qtbot.addWidget(form)
    assert not form.read_only and not form.save_button.isHidden()
    assert window.import_action.isEnabled()
    window.documents.update()
    assert window.documents.issue_action.isEnabled()


def test_a_platform_head_sees_only_their_platform(accounts_db, make_window, qtbot) -> None:
    db = accounts_db("head")
    platform_id = accounts_db.platform_id
    window = make_window(db)
    page = window.show_page("internships")
    assert isinstance(page, RegistryPage)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    shown = {page.model.row_id(r) for r in range(page.model.rowCount())}
    with db.session(OWNER) as session:
        own = set(
            session.scalars(
                select(Internship.id)
                .join(Program, Program.id == Internship.program_id)
                .where(Program.platform_id == platform_id)
            )
        )
        everyone = session.scalar(select(Internship.id).where(Internship.id.not_in(own)))
    assert shown == own
    assert everyone is not None  # there are other platforms' interns, and they are not shown
    # internships are the district's records; journals are the platform's own work
    assert not page.new_button.isVisible()
    journal = window.show_page("journal")
    assert journal.new_button.isVisible()


def test_the_accounts_dialog_adds_an_account(accounts_db, qtbot, monkeypatch) -> None:
    db = accounts_db("admin")
    dialog = UsersDialog(db, "admin")
    qtbot.addWidget(dialog)
    assert [r.login for r in dialog.rows] == ["admin", "coord", "head", "metod"]

    def fill(add: AddUserDialog) -> int:
        type_text(add.login_edit, "ivanova")
        add.role_box.setCurrentIndex(add.role_box.findData("platform-head"))
        assert add.platforms.isVisibleTo(add)
        type_text(add.password_edit, "пароль-ивановой")
        type_text(add.repeat_edit, "пароль-ивановой-2")
        assert not add.save() and "не совпадают" in add.error.text()
        add.repeat_edit.setText("пароль-ивановой")
        assert not add.save() and "хотя бы одна площадка" in add.error.text()
        add.platforms.item(0).setCheckState(add.platforms.item(0).checkState().Checked)
        assert add.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddUserDialog, "exec", fill)
    dialog.add_button.click()
    assert "ivanova" in [r.login for r in dialog.rows]
    with db.session() as session:
        user = session.scalar(select(User).where(User.login == "ivanova"))
        assert user.role == Role.PLATFORM_HEAD and len(user.platforms) == 1
    # a new password, then disabling
    dialog.table.selectRow([r.login for r in dialog.rows].index("ivanova"))
    password = PasswordDialog(db, "ivanova", "admin", dialog)
    qtbot.addWidget(password)
    password.password_edit.setText("новый-пароль-1")
    password.repeat_edit.setText("новый-пароль-1")
    assert password.save()
    dialog.disable_button.click()  # «Да» (the boxes fixture)
    assert not next(r for r in dialog.rows if r.login == "ivanova").active


def test_the_owner_makes_the_first_account_and_is_told_what_follows(
    demo_db, make_window, monkeypatch
) -> None:
    window = make_window(demo_db)
    assert window.users_action.isEnabled()  # a database without accounts: its owner
    assert not window.password_action.isEnabled()
    assert window.user_label.isHidden()
    dialog = UsersDialog(demo_db, "", window)
    assert "открывается под ней без пароля" in dialog.note.text()
    add = AddUserDialog(demo_db, "", dialog, first=True)
    assert add.role_box.currentData() == "admin"
    assert "спрашивать логин и пароль" in add.hint.text()
    add.login_edit.setText("admin")
    add.password_edit.setText(PASSWORD)
    add.repeat_edit.setText(PASSWORD)
    assert add.save()
    again = open_database(demo_db.url)  # one account on a local file: opened as it
    try:
        assert not again.needs_login and again.principal.login == "admin"
        with again.session() as session:
            UserService().add(session, {"login": "metod", "role": "methodologist"}, PASSWORD)
    finally:
        again.close()
    again = open_database(demo_db.url)  # two: everyone logs in
    try:
        assert again.needs_login
    finally:
        again.close()


def test_the_card_warm_up_reads_nothing_before_the_login(accounts_db, caplog, monkeypatch) -> None:
    import gc

    from stazhirovka.ui.app import warm_up

    monkeypatch.setattr(gc, "freeze", lambda: None)  # the program's, not the test run's
    db = accounts_db()
    warm_up(db)
    assert "Warming up the internship card failed" not in caplog.text


def test_the_internship_card_hides_what_the_role_cannot_change(accounts_db, make_window) -> None:
    from stazhirovka.ui.internship_card import InternshipCardWindow

    head_db = accounts_db("head")
    with head_db.session() as session:  # an internship of the head's own platform
        internship_id = session.scalars(select(Internship.id)).first()
    for login, may_enter in (("coord", False), ("head", True)):
        db = head_db if login == "head" else accounts_db(login)
        window = make_window(db)
        card = window.open_record("internships", internship_id)
        assert isinstance(card, InternshipCardWindow)
        # the internship itself and its certificate are the district's
        assert all(b.isHidden() for b in card.header.move_buttons.values())
        assert card.route_tab.route_button.isHidden()
        # journals, route steps and diagnostics are also the platform's work
        assert card.journal_tab.add_button.isHidden() != may_enter
        assert card.route_tab.add_button.isHidden() != may_enter
        assert card.diagnostics_tab.new_button.isHidden() != may_enter
        assert card.diagnostics_tab.grid_model.read_only != may_enter
        card.close()


@pytest.mark.parametrize("registry", ["events", "programs", "instruments"])
def test_a_coordinator_reads_record_windows_only(accounts_db, make_window, registry) -> None:
    from PySide6.QtWidgets import QLineEdit, QPushButton

    from stazhirovka.models import Event, Instrument
    from stazhirovka.ui.child_table import ChildTable, EditorWindow
    from stazhirovka.ui.widgets import SearchLine

    model = {"events": Event, "programs": Program, "instruments": Instrument}[registry]
    db = accounts_db("coord")
    with db.session() as session:
        record_id = session.scalars(select(model.id)).first()
    window = make_window(db)
    editor = window.open_record(registry, record_id)
    assert isinstance(editor, EditorWindow) and editor.read_only
    assert editor.save_button.isHidden() and editor.revert_button.isHidden()
    assert "координатор" in editor.status.text()
    searches = editor.findChildren(SearchLine)
    assert all(e.isReadOnly() for e in editor.findChildren(QLineEdit) if e not in searches)
    assert all(not t.model.editable for t in editor.findChildren(ChildTable))
    kept = {editor.close_button, *(t.edit_button for t in editor.findChildren(ChildTable))}
    kept |= set(getattr(editor, "print_buttons", {}).values())
    assert all(b.isHidden() for b in editor.findChildren(QPushButton) if b not in kept)
    editor.close()


def test_opening_makes_the_daily_backup_and_survives_its_failure(
    demo_db, monkeypatch, caplog
) -> None:
    from stazhirovka import paths
    from stazhirovka.services import maintenance
    from stazhirovka.ui import app

    monkeypatch.setattr(app, "warm_up", lambda db: None)
    url = demo_db.url
    demo_db.close()
    opened = app._open(url)
    opened.close()
    assert len(list(paths.backup_dir().glob("demo-daily-*.db"))) == 1

    def broken(_url: str) -> None:
        raise OSError("диск заполнен")

    monkeypatch.setattr(maintenance, "daily_backup", broken)
    opened = app._open(url)  # the program still opens its database
    opened.close()
    assert "The daily backup failed" in caplog.text
