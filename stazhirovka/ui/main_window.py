"""The main window: navigation on the left, the chosen page on the right, and the routing
that opens a record's form or card from anywhere.

The window can be shown before its database is open (:meth:`MainWindow.attach`): start-up
then shows the frame at once, and the database layer — SQLAlchemy, the models, the services,
about a second of imports and queries — is loaded while the user already sees the program."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from .context import AppContext
from .errors import show_error
from .settings import Settings
from .tasks import TaskRunner

if TYPE_CHECKING:
    from ..db import Database

log = logging.getLogger(__name__)

HOME = "home"
# The navigation: groups of pages; a page is a registry name or a special page.
NAVIGATION: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("", ((HOME, "Главная"),)),
    (
        "Стажировки",
        (
            ("internships", "Стажировки"),
            ("assessments", "Диагностики"),
            ("journal", "Журнал профессионального роста"),
        ),
    ),
    (
        "Площадки и программы",
        (("platforms", "Площадки"), ("masters", "Педагоги-мастера"), ("programs", "Программы")),
    ),
    ("Люди и организации", (("persons", "Педагоги"), ("organizations", "Организации"))),
    ("Мероприятия", (("plan", "План-график"), ("events", "Мероприятия"))),
    (
        "Документы и сеть",
        (
            ("certificates", "Сертификаты"),
            ("products", "Методическая продукция"),
            ("agreements", "Соглашения"),
            ("communities", "Сетевые сообщества"),
        ),
    ),
    (
        "Справочники",
        (
            ("municipalities", "Муниципалитеты"),
            ("competencies", "Компетенции"),
            ("positions", "Должности"),
            ("categories", "Квалификационные категории"),
            ("event_forms", "Формы мероприятий"),
            ("event_levels", "Уровни мероприятий"),
            ("instruments", "Диагностические методики"),
        ),
    ),
    ("Сервис", (("audit", "Журнал изменений"),)),
)
# Pages a role may not be shown: the audit trail is narrowed to nothing for a platform head.
ROLE_PAGES = {"audit"}

PageFactory = Callable[["MainWindow"], QWidget]
# Pages that are not plain registries (the home page, the plan-schedule) and cards that
# replace the generic form for a registry; filled by the modules that define them.
SPECIAL_PAGES: dict[str, PageFactory] = {}
CardOpener = Callable[["MainWindow", int | None, dict[str, Any]], QWidget | None]
CARD_OPENERS: dict[str, CardOpener] = {}


class MainWindow(QMainWindow):
    """``record_saved`` fires after any form or card saved, so open pages can refresh."""

    record_saved = Signal(str, int)
    attached = Signal()

    def __init__(
        self,
        ctx: AppContext | None = None,
        *,
        settings: Settings | None = None,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__()
        self.settings = ctx.settings if ctx is not None else (settings or Settings())
        self.tasks = ctx.tasks if ctx is not None else (tasks or TaskRunner(parent=self))
        self.ctx: AppContext = ctx  # type: ignore[assignment]  # set by attach()
        self.pages: dict[str, QWidget] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self.open_windows: list[QWidget] = []
        self.setWindowTitle(self.tr("Стажировка"))
        self._build()
        self._restore()
        if ctx is not None:
            self._attached()
        else:
            self._waiting()

    def attach(self, db: Database, actor: str = "") -> None:
        """Put the opened database behind the window and show the start page; ``actor`` is
        the logged-in user's login, recorded in the audit trail."""
        self.ctx = AppContext(db=db, settings=self.settings, tasks=self.tasks, actor=actor)
        self._attached()

    def _waiting(self) -> None:
        self.nav.setEnabled(False)
        self.menu_actions_enabled(False)
        self.waiting_label = QLabel(self.tr("Открывается база данных…"), self)
        self.waiting_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting_label.setStyleSheet("color: palette(mid); font-size: 15pt;")
        self.stack.addWidget(self.waiting_label)
        self.db_label.setText(self.tr("База данных открывается…"))

    def show_problem(self, text: str) -> None:
        """The database could not be opened: say so where the pages would be."""
        label = getattr(self, "waiting_label", None)
        if label is not None:
            label.setText(text)
            label.setWordWrap(True)
        self.db_label.setText(self.tr("База данных не открыта"))
        self.settings_action.setEnabled(True)

    def _attached(self) -> None:
        from ..db import describe

        self.nav.setEnabled(True)
        self.menu_actions_enabled(True)
        self.db_label.setText(self.tr("База данных: {db}").format(db=describe(self.ctx.db.url)))
        self.show_principal()
        self.show_page(HOME if HOME in SPECIAL_PAGES else "internships")
        self.attached.emit()

    def show_principal(self) -> None:
        """«login — роль» in the status bar, and the account actions the role may use."""
        from .roles import may_manage_accounts, who_is_working

        principal = self.ctx.principal
        text = who_is_working(principal)
        self.user_label.setText(text)
        self.user_label.setVisible(bool(text))
        self.users_action.setEnabled(may_manage_accounts(principal))
        from .entities import KINDS
        from .roles import may_change

        # an import adds organizations, people and internships: the district's records
        self.import_action.setEnabled(may_change(principal, KINDS["persons"]))
        self.password_action.setEnabled(bool(principal.login) and not principal.anonymous)
        # another login is possible only where there are accounts
        self.switch_action.setEnabled(principal.role is not None and not principal.anonymous)
        from .audit import may_read_audit

        shown = {"audit": may_read_audit(principal)}
        for name in ROLE_PAGES:
            self._items[name].setHidden(not shown[name])
            self._go_actions[name].setVisible(shown[name])
        self.audit_action.setVisible(shown["audit"])
        for index in range(self.nav.topLevelItemCount()):
            head = self.nav.topLevelItem(index)
            if head.childCount():
                head.setHidden(all(head.child(i).isHidden() for i in range(head.childCount())))

    def menu_actions_enabled(self, enabled: bool) -> None:
        for action in (self.new_action, self.refresh_action, self.home_action, self.go_menu):
            action.setEnabled(enabled)
        if enabled:
            self.audit_action.setEnabled(True)
        if not enabled:  # enabled by role once the database is attached (show_principal)
            for action in (
                self.users_action,
                self.password_action,
                self.import_action,
                self.switch_action,
                self.audit_action,
            ):
                action.setEnabled(False)
        self.documents.menu.setEnabled(enabled)
        self.documents.print_action.setEnabled(enabled)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.nav = QTreeWidget(self)
        self.nav.setHeaderHidden(True)
        self.nav.setRootIsDecorated(False)
        self.nav.setIndentation(12)
        self.nav.setMinimumWidth(200)
        for group, pages in NAVIGATION:
            parent: QTreeWidget | QTreeWidgetItem = self.nav
            if group:
                head = QTreeWidgetItem(self.nav, [self.tr(group)])
                font = head.font(0)
                font.setBold(True)
                head.setFont(0, font)
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                parent = head
            for name, title in pages:
                item = QTreeWidgetItem(parent, [self.tr(title)])
                item.setData(0, Qt.ItemDataRole.UserRole, name)
                self._items[name] = item
        self.nav.expandAll()
        self.nav.currentItemChanged.connect(self._nav_changed)
        self.stack = QStackedWidget(self)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 1000])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.setCentralWidget(splitter)
        self._menus()
        self.user_label = QLabel(self)
        self.user_label.hide()
        self.statusBar().addPermanentWidget(self.user_label)
        self.db_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.db_label)

    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: Any = None, tip: str = ""
    ) -> QAction:
        action = QAction(self.tr(text), self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(self.tr(tip))
        action.triggered.connect(slot)
        return action

    def _menus(self) -> None:
        self.new_action = self._action(
            "Создать", self.create_in_current, QKeySequence.StandardKey.New, "Новая запись"
        )
        self.refresh_action = self._action(
            "Обновить", self.refresh_current, QKeySequence.StandardKey.Refresh
        )
        self.home_action = self._action("Главная", lambda: self.show_page(HOME), "Ctrl+Home")
        self.settings_action = self._action("Настройки…", self.open_settings)
        self.quit_action = self._action("Выход", self.close, QKeySequence.StandardKey.Quit)
        self.about_action = self._action("О программе", self.about)

        file_menu = self.menuBar().addMenu(self.tr("&Файл"))
        file_menu.addAction(self.new_action)
        self.import_action = file_menu.addAction(self.tr("Импорт из Excel…"), self._import)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&Вид"))
        view_menu.addAction(self.home_action)
        view_menu.addAction(self.refresh_action)
        self.go_menu = self.menuBar().addMenu(self.tr("&Переход"))
        self._go_actions: dict[str, QAction] = {}
        for group, pages in NAVIGATION:
            for name, title in pages:
                self._go_actions[name] = self.go_menu.addAction(
                    self.tr(title), lambda n=name: self.show_page(n)
                )
            if group:
                self.go_menu.addSeparator()
        self.users_action = self._action(
            "Пользователи…", self.open_users, tip="Учётные записи и роли"
        )
        self.password_action = self._action("Сменить пароль…", self.change_password)
        self.switch_action = self._action(
            "Сменить пользователя…", self.switch_user, tip="Войти под другой учётной записью"
        )
        self.audit_action = self._action(
            "Журнал изменений", lambda: self.show_page("audit"), tip="Кто, когда и что изменил"
        )
        service_menu = self.menuBar().addMenu(self.tr("С&ервис"))
        service_menu.addAction(self.audit_action)
        service_menu.addSeparator()
        service_menu.addAction(self.users_action)
        service_menu.addAction(self.password_action)
        service_menu.addAction(self.switch_action)
        self.service_menu = service_menu
        help_menu = self.menuBar().addMenu(self.tr("&Справка"))
        help_menu.addAction(self.about_action)
        # «Документы»: certificates, the register, printing the selected records.
        from .printing import install_documents_menu

        self.documents = install_documents_menu(self, help_menu.menuAction())
        # «Отчёты»: spreadsheets for the regional institute and the registers in Excel.
        from .reports_menu import install_reports_menu

        self.reports = install_reports_menu(self, help_menu.menuAction())

        toolbar = self.addToolBar(self.tr("Основная панель"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.home_action, self.new_action, self.refresh_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.settings_action)
        self.toolbar = toolbar

    # -- pages -------------------------------------------------------------------------------

    def page(self, name: str) -> QWidget:
        """The page, made the first time it is shown (so start-up reads nothing it need not)."""
        from .registry_page import RegistryPage

        page = self.pages.get(name)
        if page is None:
            factory = SPECIAL_PAGES.get(name)
            if factory is not None:
                page = factory(self)
            else:
                page = RegistryPage(self.ctx.db, name, self.ctx.settings, self)
                page.open_record.connect(self.open_record)
                page.create_record.connect(self.create_record)
                page.export_requested.connect(lambda p=page: self._export(p))
            self.pages[name] = page
            self.stack.addWidget(page)
        return page

    def show_page(self, name: str, filters: dict[str, Any] | None = None) -> QWidget:
        from .registry_page import RegistryPage

        if name == HOME and HOME not in SPECIAL_PAGES:
            name = "internships"
        page = self.page(name)
        self.stack.setCurrentWidget(page)
        # «Создать» where the page makes records and the user's role may add them
        self.new_action.setEnabled(
            callable(getattr(page, "create", None)) and getattr(page, "editable", True)
        )
        if filters is not None and isinstance(page, RegistryPage):
            page.set_filters(filters)
        item = self._items.get(name)
        if item is not None and self.nav.currentItem() is not item:
            self.nav.blockSignals(True)
            self.nav.setCurrentItem(item)
            self.nav.blockSignals(False)
        refresh = getattr(page, "refresh", None)
        if refresh is not None and name == HOME:
            refresh()
        return page

    def _import(self) -> None:
        from .import_wizard import open_import_wizard

        open_import_wizard(self)

    def _export(self, page: QWidget) -> None:
        from .exporting import export_page

        export_page(self, page)  # type: ignore[arg-type]

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _nav_changed(self, item: QTreeWidgetItem | None, _previous: Any) -> None:
        if item is None:
            return
        name = item.data(0, Qt.ItemDataRole.UserRole)
        if name:
            try:
                self.show_page(name)
            except Exception as exc:
                show_error(self, exc, f"page {name}")

    def create_in_current(self) -> None:
        """Ctrl+N: a new record of whatever the current page lists."""
        create = getattr(self.current_page(), "create", None)
        if callable(create):
            create()

    def refresh_current(self) -> None:
        page = self.current_page()
        refresh = getattr(page, "refresh", None)
        if refresh is not None:
            refresh()

    # -- records -----------------------------------------------------------------------------

    def open_record(self, registry: str, record_id: int) -> QWidget | None:
        return self._open(registry, record_id, {})

    def create_record(self, registry: str, defaults: dict[str, Any]) -> QWidget | None:
        return self._open(registry, None, defaults)

    def _open(
        self, registry: str, record_id: int | None, defaults: dict[str, Any]
    ) -> QWidget | None:
        from .entities import kind_of
        from .forms import EntityForm

        try:
            opener = CARD_OPENERS.get(registry)
            if opener is not None:
                return opener(self, record_id, defaults)
            kind = kind_of(registry)
            if kind is None:
                return None
            form = EntityForm(
                self.ctx.db,
                kind,
                record_id,
                defaults=defaults,
                actor=self.ctx.actor,
                parent=self,
            )
        except Exception as exc:
            show_error(self, exc, f"open {registry}")
            return None
        form.saved.connect(lambda rid, r=registry: self.saved(r, rid))
        form.deleted.connect(lambda rid, r=registry: self.saved(r, rid))
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.open()
        return form

    def saved(self, registry: str, record_id: int) -> None:
        """Refresh the pages that may show the record."""
        from .registry_page import RegistryPage

        for name, page in self.pages.items():
            if isinstance(page, RegistryPage) and (
                name == registry or name in _AFFECTED.get(registry, ())
            ):
                page.refresh()
            elif name == HOME:
                refresh = getattr(page, "refresh", None)
                if refresh is not None and self.stack.currentWidget() is page:
                    refresh()
        self.record_saved.emit(registry, record_id)

    def track(self, window: QWidget) -> None:
        """Keep a card window known, so closing the program asks about its unsaved edits."""
        self.open_windows.append(window)
        window.destroyed.connect(lambda *_: self._forget(window))

    def _forget(self, window: QWidget) -> None:
        if window in self.open_windows:
            self.open_windows.remove(window)

    # -- dialogs -----------------------------------------------------------------------------

    def open_settings(self) -> None:
        try:
            from .settings_dialog import SettingsDialog

            url = self.ctx.db.url if self.ctx is not None else ""
            dialog = SettingsDialog(
                self.settings,
                url,
                self,
                tasks=self.tasks,
                db=self.ctx.db if self.ctx is not None else None,
                actor=self.ctx.actor if self.ctx is not None else "",
            )
            dialog.exec()
            dialog.deleteLater()
        except Exception as exc:
            show_error(self, exc, "settings")

    def open_users(self) -> None:
        try:
            from .users_dialog import UsersDialog

            dialog = UsersDialog(self.ctx.db, self.ctx.actor, self)
            dialog.exec()
            dialog.deleteLater()
        except Exception as exc:
            show_error(self, exc, "users")

    def change_password(self) -> None:
        try:
            from .users_dialog import PasswordDialog

            login = self.ctx.principal.login
            dialog = PasswordDialog(self.ctx.db, login, self.ctx.actor, self, own=True)
            dialog.exec()
            dialog.deleteLater()
        except Exception as exc:
            show_error(self, exc, "password")

    def switch_user(self) -> None:
        """«Сменить пользователя…»: log in again; on success the previous user's cards and
        pages are closed and the window shows the database as the new user may see it.
        «Отмена» (or a wrong password given up) leaves everything as it was."""
        from PySide6.QtWidgets import QDialog

        from .login_dialog import LoginDialog

        if self.ctx is None:
            return
        if self._dirty_windows():
            answer = QMessageBox.question(
                self,
                self.tr("Несохранённые изменения"),
                self.tr(
                    "В открытых окнах есть несохранённые изменения. При смене пользователя они "
                    "будут потеряны. Продолжить?"
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        dialog = LoginDialog(self.ctx.db, self.settings, self)
        dialog.setWindowTitle(self.tr("Смена пользователя"))
        dialog.quit_button.setText(self.tr("Отмена"))
        dialog.login_edit.clear()
        dialog.login_edit.setFocus()
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return
        self._close_user_windows()
        self.attach(self.ctx.db, actor=self.ctx.db.principal.login)

    def _dirty_windows(self) -> list[QWidget]:
        dirty = [w for w in self.open_windows if getattr(w, "is_dirty", lambda: False)()]
        dirty += [
            f
            for f in self.findChildren(QWidget)
            if f.isVisible() and callable(getattr(f, "is_dirty", None)) and f.is_dirty()
        ]
        return dirty

    def _close_user_windows(self) -> None:
        """Close the previous user's cards, forms and pages (their data was read for them)."""
        from PySide6.QtWidgets import QDialog

        windows = [*self.open_windows, *self.findChildren(QDialog)]
        for window in windows:
            if callable(getattr(window, "mark_clean", None)):
                window.mark_clean()
            if window.isVisible():
                window.close()
        for page in self.pages.values():
            wait = getattr(getattr(page, "model", None), "wait", None)
            if callable(wait):
                wait(2000)  # a registry's read in flight finishes before its page goes
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()

    def about(self) -> None:
        from .about import show_about

        show_about(self, self.ctx.db.url if self.ctx is not None else "")

    # -- state -------------------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.settings.state("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.state("main/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.state("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _save(self) -> None:
        self.settings.set_state("main/geometry", QByteArray(self.saveGeometry()))
        self.settings.set_state("main/state", QByteArray(self.saveState()))
        self.settings.set_state("main/splitter", QByteArray(self.splitter.saveState()))
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dirty_windows():
            answer = QMessageBox.question(
                self,
                self.tr("Несохранённые изменения"),
                self.tr(
                    "В открытых окнах есть несохранённые изменения. Закрыть программу без них?"
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if self.tasks.busy:
            answer = QMessageBox.question(
                self,
                self.tr("Идёт работа"),
                self.tr("Ещё выполняется фоновая работа. Прервать её и закрыть программу?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self._save()
        super().closeEvent(event)


# A saved record changes what other registries show (an internship's intern, a master's name).
_AFFECTED: dict[str, tuple[str, ...]] = {
    "persons": ("internships", "masters", "participants", "assessments", "certificates"),
    "organizations": ("persons", "platforms", "internships", "agreements"),
    "platforms": ("programs", "masters", "internships"),
    "programs": ("internships",),
    "masters": ("internships",),
    "internships": ("journal", "assessments"),
    "journal": ("internships",),
    "events": ("participants",),
}
