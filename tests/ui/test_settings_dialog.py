"""«Настройки»: choosing the database (checked before it is kept), the district's details,
the signatories and the certificate's wording (kept in the open database), and what OK and
Cancel do with them."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from sqlalchemy.engine import make_url

from stazhirovka.db import ENV_VAR
from stazhirovka.paths import default_db_path
from stazhirovka.services.district import District, Signatory, load_district, save_district
from stazhirovka.ui.settings import Settings
from stazhirovka.ui.settings_dialog import SettingsDialog
from stazhirovka.ui.tasks import TaskRunner
from tests.ui.helpers import type_text

CURRENT = "sqlite:////srv/cro/stazhirovka.db"


class Boxes:
    """Message boxes answered without showing them; what they said is kept."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.said: list[tuple[str, str]] = []
        self.answers: list[QMessageBox.StandardButton] = []

        def information(_parent: Any, title: str, text: str, *args: Any) -> Any:
            self.said.append((title, text))
            return QMessageBox.StandardButton.Ok

        def question(_parent: Any, title: str, text: str, *args: Any) -> Any:
            self.said.append((title, text))
            return self.answers.pop(0)

        monkeypatch.setattr(QMessageBox, "information", information)
        monkeypatch.setattr(QMessageBox, "question", question)

    def texts(self) -> list[str]:
        return [text for _title, text in self.said]


@pytest.fixture
def boxes(monkeypatch) -> Boxes:
    return Boxes(monkeypatch)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.ini")


NO_DATABASE = object()


def stored(db) -> District:
    with db.session() as s:
        return load_district(s)


def store(db, district: District) -> None:
    with db.session() as s:
        save_district(s, district)


@pytest.fixture
def open_dialog(qtbot, settings, ui_db):
    """Open dialogs (window-modal, as the main window shows them) over the open ``ui_db``;
    each is closed without questions at the end (qtbot would close them before the answers
    are withdrawn)."""
    made: list[SettingsDialog] = []

    def make(
        current: str = CURRENT, tasks: TaskRunner | None = None, db: Any = None
    ) -> SettingsDialog:
        dialog = SettingsDialog(
            settings,
            current,
            None,
            tasks=tasks or TaskRunner(synchronous=True),
            db=None if db is NO_DATABASE else (db or ui_db),
            actor="metodist",
        )
        with qtbot.waitActive(dialog):  # typing goes to the focused widget
            dialog.open()
            dialog.activateWindow()
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:
        dialog.mark_clean()
        dialog.close()
        dialog.deleteLater()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _fill_postgresql(page, host: str, port: int, database: str, user: str, password: str):
    _click_radio(page.pg_radio)
    type_text(page.host_edit, host)
    page.port_spin.setValue(port)
    type_text(page.dbname_edit, database)
    type_text(page.user_edit, user)
    type_text(page.password_edit, password)


def _click_radio(radio) -> None:
    radio.click()
    QApplication.processEvents()


# -- the database tab --------------------------------------------------------------------------


def test_the_default_file_and_ok_without_changes(open_dialog, settings, boxes, qtbot):
    dialog = open_dialog()
    page = dialog.database_page
    assert page.sqlite_radio.isChecked()
    assert page.path_edit.text() == ""
    assert page.path_edit.placeholderText() == str(default_db_path())
    assert page.current_label.text() == "Сейчас открыта — SQLite: /srv/cro/stazhirovka.db"
    assert not page.override_label.isVisible()
    assert page.panels[0].isVisible() and not page.panels[1].isVisible()
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.database_url == ""
    assert boxes.said == []


def test_choosing_an_existing_file(open_dialog, settings, boxes, monkeypatch, new_url, qtbot):
    url = new_url("sqlite", migrated=True)
    path = make_url(url).database
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (path, ""))
    dialog = open_dialog()
    page = dialog.database_page
    _click(qtbot, page.choose_button)
    assert page.path_edit.text() == path
    _click(qtbot, page.check_button)
    assert page.check_label.text().startswith("Файл открыт: SQLite ")
    assert page.check_label.text().endswith(
        "база программы, версия схемы актуальна (0 педагогов, 0 стажировок)."
    )
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.database_url == f"sqlite:///{path}"
    assert Settings(settings.path).database_url == f"sqlite:///{path}"  # written to the file
    assert boxes.texts() == [
        f"Выбранная база данных будет открыта при следующем запуске программы:\nSQLite: {path}"
    ]


def test_creating_a_new_file(open_dialog, settings, boxes, monkeypatch, tmp_path, qtbot):
    target = tmp_path / "район" / "новая база"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = open_dialog()
    _click(qtbot, dialog.database_page.create_button)
    assert dialog.database_page.path_edit.text() == f"{target}.db"
    _click(qtbot, dialog.ok_button)  # checked on the way: a file to be made is fine
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.database_url == f"sqlite:///{target}.db"
    assert not Path(f"{target}.db").exists()  # made at the next start, not now
    assert "будет открыта при следующем запуске" in boxes.texts()[0]


def test_back_to_the_default_file_stores_no_address(open_dialog, settings, boxes, qtbot):
    settings.database_url = "sqlite:////srv/cro/other.db"
    dialog = open_dialog(current=f"sqlite:///{default_db_path()}")
    page = dialog.database_page
    assert page.path_edit.text() == "/srv/cro/other.db"
    page.path_edit.clear()
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.database_url == ""
    assert boxes.said == []  # the default file is the one open now: nothing to restart


def test_a_folder_is_not_a_file(open_dialog, settings, tmp_path, qtbot):
    dialog = open_dialog()
    page = dialog.database_page
    type_text(page.path_edit, str(tmp_path))
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert page.path_error.isVisible()
    assert page.path_error.text() == "это папка — укажите файл"
    assert settings.database_url == ""


def test_postgresql_fields_are_required(open_dialog, qtbot):
    dialog = open_dialog()
    page = dialog.database_page
    _click_radio(page.pg_radio)
    assert page.panels[1].isVisible() and not page.panels[0].isVisible()
    assert page.port_spin.value() == 5432
    _click(qtbot, page.check_button)
    assert [label.text() for label in (page.host_error, page.dbname_error, page.user_error)] == [
        "укажите имя или адрес сервера",
        "укажите имя базы данных",
        "укажите пользователя",
    ]
    assert page.check_label.text() == ""  # nothing was checked


def test_a_server_that_is_not_there(open_dialog, settings, boxes, qtbot, caplog):
    """The typed password is used for the check, never shown or logged, and not kept."""
    caplog.set_level(logging.DEBUG)
    port = _free_port()
    dialog = open_dialog()
    page = dialog.database_page
    _fill_postgresql(page, "127.0.0.1", port, "stazhirovka", "metodist", "Пароль@1/2")
    _click(qtbot, page.check_button)
    assert page.check_label.text() == (
        f"Не удалось подключиться: сервер 127.0.0.1 не принимает подключения на порту {port} — "
        "проверьте адрес и порт и что PostgreSQL запущен."
    )
    boxes.answers.append(QMessageBox.StandardButton.No)
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible()  # the user kept the old choice
    assert settings.database_url == ""
    assert "Всё равно сохранить выбор?" in boxes.texts()[0]

    boxes.answers.append(QMessageBox.StandardButton.Yes)
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.database_url == f"postgresql+psycopg://metodist@127.0.0.1:{port}/stazhirovka"
    assert boxes.texts()[-1] == (
        "Выбранная база данных будет открыта при следующем запуске программы:\n"
        "PostgreSQL: 127.0.0.1/stazhirovka"
    )
    settings.sync()
    everything = "\n".join(
        [*boxes.texts(), page.check_label.text(), settings.path.read_text(), caplog.text]
    )
    assert "Пароль" not in everything
    assert "%D0%9F" not in everything  # nor escaped


def test_a_remembered_password_is_kept_escaped(open_dialog, settings, boxes, qtbot):
    dialog = open_dialog()
    page = dialog.database_page
    _fill_postgresql(page, "db.cro.local", 5433, "stazhirovka", "metodist", "p@ss/w:rd")
    assert "PGPASSWORD" in page.password_hint.text()
    page.remember_box.click()
    assert page.password_hint.text() == (
        "Пароль будет храниться в файле настроек на этом компьютере."
    )
    page.last_check = None
    boxes.answers.append(QMessageBox.StandardButton.Yes)  # db.cro.local is not reachable here
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = make_url(settings.database_url)
    assert (stored.host, stored.port, stored.database) == ("db.cro.local", 5433, "stazhirovka")
    assert (stored.username, stored.password) == ("metodist", "p@ss/w:rd")


def test_a_stored_server_is_shown_in_its_fields(open_dialog, settings):
    settings.database_url = "postgresql+psycopg://metodist:secret@db.cro.local:5433/stazhirovka"
    page = open_dialog().database_page
    assert page.pg_radio.isChecked()
    assert (page.host_edit.text(), page.port_spin.value()) == ("db.cro.local", 5433)
    assert (page.dbname_edit.text(), page.user_edit.text()) == ("stazhirovka", "metodist")
    assert page.remember_box.isChecked()
    assert page.password_edit.echoMode() == page.password_edit.EchoMode.Password


@pytest.mark.postgres
def test_checking_a_server_database(open_dialog, pg_server, new_url, qtbot):
    url = make_url(new_url("postgresql", migrated=True))
    dialog = open_dialog()
    page = dialog.database_page
    _fill_postgresql(page, url.host, url.port, url.database, url.username, "")
    _click(qtbot, page.check_button)
    major = pg_server.version.split(".")[0]
    assert page.check_label.text().startswith(f"Подключение установлено: PostgreSQL {major}")
    assert "база программы, версия схемы актуальна" in page.check_label.text()


def test_the_check_runs_off_the_ui_thread(open_dialog, qtbot):
    runner = TaskRunner()
    dialog = open_dialog(tasks=runner)
    page = dialog.database_page
    _fill_postgresql(page, "127.0.0.1", _free_port(), "stazhirovka", "metodist", "")
    _click(qtbot, page.check_button)
    assert not page.check_button.isEnabled()
    assert page.check_label.text() == "Проверяется подключение…"
    qtbot.waitUntil(lambda: page.check_button.isEnabled(), timeout=10_000)
    assert "не принимает подключения" in page.check_label.text()
    assert runner.wait(10_000)


class CancelledAtOnce(TaskRunner):
    """Inline work whose progress dialog the user cancels straight away."""

    def run(self, fn: Any, **kwargs: Any) -> Any:
        def cancelled_first(progress: Any) -> Any:
            progress.cancel()
            return fn(progress)

        return super().run(cancelled_first, **kwargs)


def test_cancelling_the_check_on_ok_keeps_the_dialog(open_dialog, settings, boxes, tmp_path, qtbot):
    dialog = open_dialog(tasks=CancelledAtOnce(synchronous=True))
    type_text(dialog.database_page.path_edit, str(tmp_path / "новая.db"))
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert dialog.ok_button.isEnabled()
    assert settings.database_url == ""
    assert boxes.said == []


def test_a_check_that_breaks_is_reported_not_raised(
    open_dialog, settings, boxes, monkeypatch, qtbot
):
    from stazhirovka.ui import settings_dialog

    def broken(url: str) -> Any:
        raise RuntimeError("ошибка в программе")

    monkeypatch.setattr(settings_dialog, "check_connection", broken)
    dialog = open_dialog()
    page = dialog.database_page
    _click(qtbot, page.check_button)
    assert page.check_label.text().startswith("Непредвиденная ошибка (RuntimeError).")
    assert page.check_button.isEnabled()
    type_text(page.path_edit, "/srv/cro/другая.db")
    boxes.answers.append(QMessageBox.StandardButton.No)
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    assert "Непредвиденная ошибка (RuntimeError)." in boxes.texts()[0]
    assert settings.database_url == ""


def test_an_expert_address(open_dialog, settings, boxes, qtbot):
    dialog = open_dialog()
    page = dialog.database_page
    _click_radio(page.url_radio)
    type_text(page.url_edit, "mysql://user@server/base")
    _click(qtbot, dialog.ok_button)
    assert page.url_error.text() == "поддерживаются только SQLite и PostgreSQL"
    assert dialog.isVisible()


def test_an_expert_address_keeps_its_hidden_password(open_dialog, settings, boxes, qtbot):
    real = "postgresql+psycopg://metodist:secret@db.cro.local/stazhirovka?sslmode=require"
    settings.database_url = real
    dialog = open_dialog()
    page = dialog.database_page
    assert page.url_radio.isChecked()
    assert "secret" not in page.url_edit.text()
    assert page.stored_url() == real
    type_text(dialog.district_page.edits["city"], "г. Тимашевск")
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.database_url == real  # the database did not change
    assert boxes.said == []


def test_the_tab_says_when_a_start_option_overrides_the_choice(
    open_dialog, settings, boxes, monkeypatch, qtbot
):
    monkeypatch.setenv(ENV_VAR, "sqlite:////srv/other.db")
    page = open_dialog().database_page
    assert page.override_label.isVisible()
    assert page.override_label.text().startswith(
        f"Задана переменная окружения {ENV_VAR}: пока она задана, открывается база из неё"
    )
    monkeypatch.delenv(ENV_VAR)
    settings.database_override = "--db"
    dialog = open_dialog()
    page = dialog.database_page
    assert page.override_label.text().startswith("Программа запущена с параметром --db")
    _click_radio(page.url_radio)
    type_text(page.url_edit, "sqlite:////srv/cro/new.db")
    _click(qtbot, dialog.ok_button)
    assert boxes.texts()[-1].endswith(
        "Но пока программа запускается с параметром --db, открывается база из него."
    )


# -- the district and the signatories ----------------------------------------------------------


def test_the_district_s_details(open_dialog, ui_db, qtbot):
    dialog = open_dialog()
    dialog.tabs.setCurrentIndex(1)
    page = dialog.district_page
    values = {
        "founder": "Управление образования администрации муниципального образования "
        "Тимашевский район",
        "service_name": "МБУ «Центр развития образования»",
        "service_full_name": "Муниципальное бюджетное учреждение «Центр развития образования» "
        "муниципального образования Тимашевский район",
        "municipality": "муниципальное образование Тимашевский район",
        "city": "г. Тимашевск",
        "address": "352700, Краснодарский край, г. Тимашевск, ул. Ленина, 142",
        "phone": "8 (86130) 4-12-34",
        "email": "cro.tim-kubannet.ru",
    }
    for name, text in values.items():
        type_text(page.edits[name], text)
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert page.email_error.text() == "адрес вида cro@example.ru"
    assert stored(ui_db) == District()

    page.edits["email"].clear()
    type_text(page.edits["email"], " cro@tim.kubannet.ru ")
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert stored(ui_db) == District(**{**values, "email": "cro@tim.kubannet.ru"})
    # every desktop reads the same details: a dialog opened anew shows them
    again = open_dialog()
    assert again.district_page.values()["founder"] == values["founder"]


def _edit_new_row(qtbot, page, position: str, name: str) -> None:
    """«Добавить», type the position, Tab, type the name, Enter — as a user does."""
    _click(qtbot, page.add_button)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not page.table
    if position:
        type_text(editor, position)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    editor = QApplication.focusWidget()
    if name:
        type_text(editor, name)
    _enter(qtbot, editor)


def _enter(qtbot, editor) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits the editor's text by a queued call


def test_signatories_are_added_ordered_and_checked(open_dialog, ui_db, qtbot, qtmodeltester):
    dialog = open_dialog()
    dialog.tabs.setCurrentIndex(2)
    page = dialog.signatories_page
    qtmodeltester.check(page.table.model())
    _edit_new_row(qtbot, page, "Руководитель стажировочной площадки", "Петрова Нина Андреевна")
    assert page.table.item(0, page.SHOWN).text() == "Н.А. Петрова"  # as documents print it
    _edit_new_row(qtbot, page, "Директор МБУ «Центр развития образования»", "")
    _edit_new_row(qtbot, page, "", "")  # a row left empty is dropped
    assert page.rows() == [
        ("Руководитель стажировочной площадки", "Петрова Нина Андреевна"),
        ("Директор МБУ «Центр развития образования»", ""),
        ("", ""),
    ]
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert page.error_label.text() == "Строка 2: укажите ФИО подписывающего"
    assert page.table.item(1, 1).toolTip() == "укажите ФИО подписывающего"
    assert page.table.currentRow() == 1 and page.table.currentColumn() == 1

    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    type_text(QApplication.focusWidget(), "Н.В. Ершова")
    _enter(qtbot, QApplication.focusWidget())
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible()  # initials are made by the program, the name is wanted whole
    assert page.error_label.text().startswith("Строка 2: укажите ФИО полностью, без инициалов")

    page.table.setCurrentCell(1, 1)
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    type_text(editor, "Ершова Наталья Викторовна")
    _enter(qtbot, QApplication.focusWidget())
    assert page.table.item(1, 1).toolTip() == ""
    page.table.selectRow(1)
    _click(qtbot, page.up_button)
    assert page.current_row() == 0
    assert not page.up_button.isEnabled()
    page.table.selectRow(2)
    _click(qtbot, page.remove_button)
    qtmodeltester.check(page.table.model())
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert stored(ui_db).signatories == [
        Signatory("Директор МБУ «Центр развития образования»", "Ершова Наталья Викторовна"),
        Signatory("Руководитель стажировочной площадки", "Петрова Нина Андреевна"),
    ]


def test_signature_style_and_certificate_wording(open_dialog, ui_db, qtbot):
    store(ui_db, District(signatories=[Signatory("Директор", "Ершова Наталья Викторовна")]))
    dialog = open_dialog()
    dialog.tabs.setCurrentIndex(2)
    page = dialog.signatories_page
    assert page.table.item(0, page.SHOWN).text() == "Н.В. Ершова"
    assert page.style_box.currentData() == "initials"
    assert page.wording_box.currentData() == "dative"
    page.style_box.setCurrentIndex(page.style_box.findData("full"))
    assert page.table.item(0, page.SHOWN).text() == "Наталья Ершова"
    page.wording_box.setCurrentIndex(page.wording_box.findData("nominative"))
    assert dialog.is_dirty()
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = stored(ui_db)
    assert (saved.signature_style, saved.certificate_wording) == ("full", "nominative")
    assert saved.signature_name(saved.signatory(0).name) == "Наталья Ершова"


def test_without_a_database_only_the_database_is_chosen(open_dialog, settings, boxes, qtbot):
    dialog = open_dialog(db=NO_DATABASE)
    dialog.tabs.setCurrentIndex(1)
    assert dialog.district_page.banner.isVisible()
    assert "база данных не открыта" in dialog.district_page.banner.text()
    assert not dialog.district_page.edits["city"].isEnabled()
    dialog.tabs.setCurrentIndex(2)
    assert dialog.signatories_page.banner.isVisible()
    assert not dialog.signatories_page.add_button.isEnabled()
    dialog.tabs.setCurrentIndex(0)
    _click_radio(dialog.database_page.url_radio)
    type_text(dialog.database_page.url_edit, "sqlite:////srv/cro/new.db")
    _click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.database_url == "sqlite:////srv/cro/new.db"


def test_a_name_without_a_position(open_dialog, ui_db, qtbot):
    store(ui_db, District(signatories=[Signatory("", "Ершова Наталья Викторовна")]))
    dialog = open_dialog()
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert dialog.tabs.currentIndex() == 2  # the tab with the problem is brought forward
    assert dialog.signatories_page.error_label.text() == "Строка 1: укажите должность"


def test_moving_down_and_the_buttons_state(open_dialog, ui_db):
    store(
        ui_db,
        District(signatories=[Signatory("А", "Аа Анна Ан"), Signatory("Б", "Бб Борис Бо")]),
    )
    page = open_dialog().signatories_page
    assert not page.remove_button.isEnabled()  # nothing selected yet
    page.table.selectRow(0)
    assert page.down_button.isEnabled() and not page.up_button.isEnabled()
    page.down_button.click()
    assert page.rows() == [("Б", "Бб Борис Бо"), ("А", "Аа Анна Ан")]
    assert page.table.item(0, page.SHOWN).text() == "Б.Б. Бб"
    assert page.current_row() == 1 and not page.down_button.isEnabled()


# -- OK, Cancel, geometry -------------------------------------------------------------------


def test_cancel_with_changes_asks(open_dialog, ui_db, boxes, qtbot):
    dialog = open_dialog()
    dialog.tabs.setCurrentIndex(1)
    type_text(dialog.district_page.edits["city"], "г. Тимашевск")

    boxes.answers.append(QMessageBox.StandardButton.Cancel)
    _click(qtbot, dialog.cancel_button)
    assert dialog.isVisible()
    assert boxes.texts() == ["Настройки изменены. Сохранить изменения?"]

    boxes.answers.append(QMessageBox.StandardButton.Discard)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert stored(ui_db).city == ""


def test_cancel_with_changes_can_save(open_dialog, ui_db, boxes, qtbot):
    dialog = open_dialog()
    type_text(dialog.district_page.edits["city"], "г. Тимашевск")
    boxes.answers.append(QMessageBox.StandardButton.Save)
    _click(qtbot, dialog.cancel_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert stored(ui_db).city == "г. Тимашевск"


def test_cancel_without_changes_just_closes(open_dialog, boxes, qtbot):
    dialog = open_dialog()
    _click(qtbot, dialog.cancel_button)
    assert not dialog.isVisible()
    assert boxes.said == []


def test_the_dialog_remembers_its_size_and_tab(open_dialog, qtbot):
    dialog = open_dialog()
    dialog.resize(720, 540)  # the offscreen screen is 800×600: restoring clamps to it
    dialog.tabs.setCurrentIndex(2)
    _click(qtbot, dialog.cancel_button)
    again = open_dialog()
    assert (again.width(), again.height()) == (720, 540)
    assert again.tabs.currentIndex() == 2


def test_the_main_window_opens_it(ui_db, make_window, monkeypatch):
    opened: list[SettingsDialog] = []

    def exec_(self: SettingsDialog) -> int:
        opened.append(self)
        return 0

    monkeypatch.setattr(SettingsDialog, "exec", exec_)
    window = make_window(ui_db)
    window.settings_action.trigger()
    assert len(opened) == 1
    dialog = opened[0]
    assert dialog.settings is window.ctx.settings
    assert dialog.db is window.ctx.db  # the district's details are read from the open database
    assert dialog.district_available
    assert dialog.database_page.current_label.text().endswith(ui_db.url.removeprefix("sqlite:///"))
    dialog.deleteLater()


# -- a chosen database that does not open at start ---------------------------------------------


@pytest.fixture
def foreign_file(tmp_path: Path) -> Path:
    import sqlite3

    path = tmp_path / "чужая.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)")
    conn.close()
    return path


def _open_at_start(url, settings, qtbot):
    """What start-up does: the window first, then the database opened by the runner."""
    from stazhirovka.ui import app
    from stazhirovka.ui.main_window import MainWindow

    window = MainWindow(settings=settings, tasks=TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    opened: list = []
    app.open_in_background(window, url, opened.append)
    return opened[-1] if opened else None


def test_a_chosen_database_that_does_not_open_offers_another(
    settings, foreign_file, new_url, monkeypatch, qtbot
):
    from stazhirovka.ui import app

    settings.database_url = f"sqlite:///{foreign_file}"
    good = new_url("sqlite", migrated=True)
    asked: list[str] = []
    shown: list[str] = []
    monkeypatch.setattr(app, "ask_choose_another", lambda message: asked.append(message) or True)

    def exec_(self: SettingsDialog) -> int:
        shown.append(self.database_page.current_label.text())
        self.database_page.path_edit.setText(make_url(good).database)
        self.accept()
        return self.result()

    monkeypatch.setattr(SettingsDialog, "exec", exec_)
    db = _open_at_start(None, settings, qtbot)
    assert db is not None
    try:
        assert db.url == good
        assert settings.database_url == good
        assert "не база «Стажировки»" in asked[0]
        assert shown == [f"Не удалось открыть — SQLite: {foreign_file}"]
    finally:
        db.close()


def test_declining_to_choose_another_leaves_the_window_saying_why(
    settings, foreign_file, monkeypatch, qtbot
):
    from stazhirovka.ui import app

    settings.database_url = f"sqlite:///{foreign_file}"
    monkeypatch.setattr(app, "ask_choose_another", lambda message: False)
    assert _open_at_start(None, settings, qtbot) is None
    assert settings.database_url == f"sqlite:///{foreign_file}"


def test_a_database_given_at_start_is_not_replaced(settings, foreign_file, monkeypatch, qtbot):
    """With --db the user named the database: say why it failed, offer nothing else."""
    from stazhirovka.ui import app

    critical: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: critical.append(text))
    monkeypatch.setattr(app, "ask_choose_another", lambda message: pytest.fail("asked"))
    settings.database_override = "--db"
    url = f"sqlite:///{foreign_file}"
    assert _open_at_start(url, settings, qtbot) is None
    assert critical[0].startswith("Не удалось открыть базу данных.\n\nВ этой базе данных уже есть")
