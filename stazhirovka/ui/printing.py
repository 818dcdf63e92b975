"""Printing from the window: the documents of a record (journal, card, route, program,
platform report, plan-schedule, certificates) written to a PDF in the background, then shown
in the preview; the «Документы» menu of the main window; cancelling certificates and issuing
duplicates from the certificates registry.

Every print runs through ``ctx.tasks`` (progress and «Отмена»), writes the PDF into a fresh
folder in the user's temporary folder, and opens :class:`~.pdf_preview.PdfPreviewDialog`,
whose «Сохранить как…» copies the file where the user wants it. Several records go into one
PDF. The documents known are those the report side registered (``kinds_for``), so new kinds
show up here as they are written.

Nothing here imports the database layer at module level: the main window builds its menu
before the database is open."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QCursor, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLayout,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .errors import show_error
from .pdf_preview import PdfPreviewDialog

if TYPE_CHECKING:
    from ..reports.documents import DocumentKind
    from .context import AppContext
    from .main_window import MainWindow
    from .tasks import Progress, Task

log = logging.getLogger(__name__)

TEMP_PREFIX = "stazhirovka-print-"
KEEP_PRINTS_SECONDS = 2 * 24 * 3600  # older print folders are swept away

# Short names of the documents for buttons and menus (the full title goes into tooltips).
SHORT_TITLES = {
    "journal": "Журнал стажёра",
    "card": "Карта эффективности",
    "route": "ИОМ",
    "program": "Программа",
    "platform": "Отчёт площадки",
    "plan": "План-график",
    "certificate": "Сертификат",
    "register": "Журнал регистрации сертификатов",
}
# Documents for a period: «year» asks for a year, «period» for a year or two dates.
PERIOD_OF = {"platform": "period", "plan": "year", "register": "period"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("printing", text)


# -- the kinds of documents --------------------------------------------------------------------


def kinds_for(record: str) -> list[DocumentKind]:
    """The documents a record of ``record`` prints as; a document module that fails to load
    (one being written) leaves the others usable and is logged."""
    try:
        from ..reports.documents import kinds_for as known

        order = list(SHORT_TITLES)
        return sorted(
            known(record), key=lambda k: order.index(k.key) if k.key in order else len(order)
        )
    except Exception:
        log.exception("The document kinds for %s could not be loaded", record)
        return []


def short_title(kind: DocumentKind) -> str:
    return _tr(SHORT_TITLES.get(kind.key, kind.title))


# -- temporary files ---------------------------------------------------------------------------


def temp_folder() -> Path:
    """A fresh folder in the user's temporary folder for one print (old ones are swept)."""
    sweep_old_prints()
    return Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))


def sweep_old_prints(max_age: float = KEEP_PRINTS_SECONDS) -> None:
    now = time.time()
    try:
        folders = list(Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"))
    except OSError:
        return
    for folder in folders:
        try:
            if folder.is_dir() and now - folder.stat().st_mtime > max_age:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def file_name(kind: DocumentKind, stems: Sequence[str], count: int) -> str:
    """«Журнал стажёра Иванова М.С..pdf» for one record, «<title> (12).pdf» for several."""
    from ..reports.output import safe_file_name

    if count == 1 and stems and stems[0].strip() and not stems[0].strip().isdigit():
        return safe_file_name(stems[0])
    if count > 1:
        return safe_file_name(f"{kind.title} ({count})")
    return safe_file_name(kind.title)


# -- one print -----------------------------------------------------------------------------------


def print_records(
    parent: QWidget | None,
    ctx: AppContext,
    key: str,
    ids: Sequence[int] | None,
    *,
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    on_preview: Callable[[PdfPreviewDialog], None] | None = None,
) -> Task | None:
    """Write the documents of kind ``key`` for ``ids`` (None: every record, as «--all») into
    one PDF in the background, then show it in the preview."""
    try:
        from ..reports.documents import kind as kind_of

        document_kind = kind_of(key)
    except Exception as exc:
        show_error(parent, exc, f"print {key}")
        return None
    chosen = list(ids) if ids is not None else None
    title = short_title(document_kind)

    def work(progress: Progress) -> Path:
        from ..reports.documents import options_for, print_documents

        folder = temp_folder()
        try:
            with ctx.db.session() as session:
                options = options_for(session, year=year, date_from=date_from, date_to=date_to)
                stems = (
                    [document_kind.file_stem(session, chosen[0])]
                    if chosen is not None and len(chosen) == 1
                    else []
                )
                name = file_name(document_kind, stems, len(chosen) if chosen is not None else 2)
                return print_documents(
                    session, key, chosen, folder / name, options, progress.report
                )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def done(path: Path) -> None:
        owner = parent if parent is not None and shiboken6.isValid(parent) else None
        preview = show_preview(owner, path, document_kind.title, ctx)
        if on_preview is not None and preview is not None:
            on_preview(preview)

    def failed(exc: BaseException) -> None:
        owner = parent if parent is not None and shiboken6.isValid(parent) else None
        show_error(owner, exc, f"print {key}")

    return ctx.tasks.run(
        work,
        title=_tr("Печать: {title}…").format(title=title),
        parent=parent,
        on_done=done,
        on_error=failed,
    )


def show_preview(
    parent: QWidget | None, path: Path, title: str, ctx: AppContext | None = None
) -> PdfPreviewDialog | None:
    try:
        preview = PdfPreviewDialog(
            path,
            parent,
            title=title,
            settings=ctx.settings if ctx is not None else None,
        )
    except Exception as exc:
        show_error(parent, exc, "print preview")
        return None
    preview.show()
    preview.raise_()
    preview.activateWindow()
    return preview


def print_with_period(
    parent: QWidget | None,
    ctx: AppContext,
    key: str,
    ids: Sequence[int] | None,
    on_preview: Callable[[PdfPreviewDialog], None] | None = None,
) -> Task | None:
    """Print, first asking for the year or period when the document is for one."""
    mode = PERIOD_OF.get(key)
    values: dict[str, Any] = {}
    if mode is not None:
        from ..reports.documents import kind as kind_of

        try:
            title = kind_of(key).title
        except Exception as exc:
            show_error(parent, exc, f"print {key}")
            return None
        asked = ask_period(parent, mode, title)
        if asked is None:
            return None
        values = asked
    return print_records(parent, ctx, key, ids, on_preview=on_preview, **values)


# -- the period of a report ----------------------------------------------------------------------


class PeriodDialog(QDialog):
    """A year, or a period from one date to another (``mode`` «period»)."""

    def __init__(self, parent: QWidget | None, mode: str, title: str) -> None:
        from .widgets import DateField

        super().__init__(parent)
        self.mode = mode
        self.setWindowTitle(title)
        today = date.today()
        intro = QLabel(
            self.tr("За какой год напечатать документ?")
            if mode == "year"
            else self.tr("За какой период напечатать документ?"),
            self,
        )
        self.year_radio = QRadioButton(self.tr("за год"), self)
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(today.year)
        self.year_spin.setGroupSeparatorShown(False)
        self.year_spin.setMaximumWidth(100)
        self.period_radio = QRadioButton(self.tr("за период с"), self)
        self.date_from = DateField(self)
        self.date_from.set_value(date(today.year, 1, 1))
        self.date_to = DateField(self)
        self.date_to.set_value(today)
        group = QButtonGroup(self)
        group.addButton(self.year_radio)
        group.addButton(self.period_radio)
        self.year_radio.setChecked(True)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        grid = QGridLayout()
        grid.addWidget(self.year_radio, 0, 0)
        grid.addWidget(self.year_spin, 0, 1, Qt.AlignmentFlag.AlignLeft)
        if mode == "period":
            grid.addWidget(self.period_radio, 1, 0)
            grid.addWidget(self.date_from, 1, 1)
            grid.addWidget(QLabel(self.tr("по"), self), 1, 2)
            grid.addWidget(self.date_to, 1, 3)
        else:
            self.year_radio.hide()
            self.period_radio.hide()
            grid.addWidget(QLabel(self.tr("Год:"), self), 0, 0)
        grid.setColumnStretch(4, 1)
        self.date_from.changed.connect(lambda: self.period_radio.setChecked(True))
        self.date_to.changed.connect(lambda: self.period_radio.setChecked(True))
        self.year_spin.valueChanged.connect(lambda _v: self.year_radio.setChecked(True))
        buttons = QDialogButtonBox(self)
        ok = buttons.addButton(self.tr("Печать"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton(self.tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.year_spin.setFocus()

    def values(self) -> dict[str, Any]:
        if self.mode == "period" and self.period_radio.isChecked():
            return {"date_from": self.date_from.date(), "date_to": self.date_to.date()}
        return {"year": self.year_spin.value()}

    def accept(self) -> None:
        if self.mode == "period" and self.period_radio.isChecked():
            start, end = self.date_from.date(), self.date_to.date()
            message = ""
            if start is None or end is None:
                message = self.tr("Укажите обе даты в виде ДД.ММ.ГГГГ.")
            elif start > end:
                message = self.tr("Начало периода позже его конца.")
            if message:
                self.error.setText(message)
                self.error.show()
                return
        super().accept()


def ask_period(parent: QWidget | None, mode: str, title: str) -> dict[str, Any] | None:
    dialog = PeriodDialog(parent, mode, title)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()
    finally:
        dialog.deleteLater()


# -- print buttons of a card -------------------------------------------------------------------


def add_print_buttons(
    layout: QLayout,
    parent: QWidget,
    ctx: AppContext,
    record: str,
    ids: Callable[[], Sequence[int]],
    *,
    caption: str = "Печать:",
) -> dict[str, QPushButton]:
    """A caption and a button for each document of ``record`` (by key); none if it has none."""
    found = kinds_for(record)
    buttons: dict[str, QPushButton] = {}

    def _print_now(key: str) -> None:
        chosen = list(ids())  # empty: the caller decided not to print after all
        if chosen:
            print_with_period(parent, ctx, key, chosen)

    if not found:
        return buttons
    if caption:
        label = QLabel(_tr(caption), parent)
        label.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(label)
    for document_kind in found:
        button = QPushButton(short_title(document_kind), parent)
        button.setToolTip(_tr("{title}: PDF с предпросмотром").format(title=document_kind.title))
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False, k=document_kind.key: _print_now(k))
        layout.addWidget(button)
        buttons[document_kind.key] = button
    return buttons


# -- certificates from the registry --------------------------------------------------------------


def _certificate_labels(ctx: AppContext, ids: Sequence[int]) -> list[str]:
    from sqlalchemy import select

    from ..models import Certificate

    with ctx.db.session() as session:
        rows = session.execute(
            select(Certificate.id, Certificate.number, Certificate.holder_name).where(
                Certificate.id.in_(list(ids))
            )
        ).all()
    found = {i: f"{number} — {name}" for i, number, name in rows}
    return [found[i] for i in ids if i in found]


def cancel_certificates(window: MainWindow, ids: Sequence[int]) -> bool:
    """Ask the reason and cancel the certificates (all or none); they stay in the register."""
    ctx = window.ctx
    if not ids:
        return False
    try:
        names = _certificate_labels(ctx, ids)
    except Exception as exc:
        show_error(window, exc, "certificate cancel")
        return False
    if len(names) == 1:
        question = _tr("Аннулировать сертификат {what}?").format(what=names[0])
    else:
        question = _tr("Аннулировать выбранные сертификаты ({n})?").format(n=len(names))
    reason, ok = QInputDialog.getText(
        window,
        _tr("Аннулирование сертификата"),
        question
        + "\n"
        + _tr("Номер остаётся в журнале регистрации с отметкой «аннулирован».")
        + "\n\n"
        + _tr("Причина аннулирования:"),
    )
    if not ok:
        return False
    if not reason.strip():
        QMessageBox.information(
            window,
            _tr("Аннулирование сертификата"),
            _tr("Сертификат не аннулирован: укажите причину аннулирования."),
        )
        return False
    try:
        from ..services.certificates import CertificateService

        service = CertificateService()
        with ctx.db.session() as session:
            for certificate_id in ids:
                service.cancel(session, certificate_id, reason.strip(), actor=ctx.actor)
    except Exception as exc:
        show_error(window, exc, "certificate cancel")
        return False
    window.saved("certificates", ids[0])
    return True


def duplicate_certificate(
    window: MainWindow,
    certificate_id: int,
    on_preview: Callable[[PdfPreviewDialog], None] | None = None,
) -> int | None:
    """Issue a duplicate of a certificate (registered with its own «-Д» number), then print it."""
    ctx = window.ctx
    try:
        names = _certificate_labels(ctx, [certificate_id])
    except Exception as exc:
        show_error(window, exc, "certificate duplicate")
        return None
    if not names:
        return None
    answer = QMessageBox.question(
        window,
        _tr("Дубликат сертификата"),
        _tr(
            "Выдать дубликат сертификата {what}?\nДубликат регистрируется в журнале под номером "
            "оригинала с пометкой «Д» и сразу открывается для печати."
        ).format(what=names[0]),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        from ..services.certificates import CertificateService

        with ctx.db.session() as session:
            duplicate = CertificateService().duplicate(session, certificate_id, actor=ctx.actor)
            new_id = duplicate.id
    except Exception as exc:
        show_error(window, exc, "certificate duplicate")
        return None
    window.saved("certificates", new_id)
    print_records(window, ctx, "certificate", [new_id], on_preview=on_preview)
    return new_id


# -- the «Документы» menu of the main window ---------------------------------------------------


class DocumentsMenu(QObject):
    """«Документы»: issue certificates, the register, and printing what the current page
    shows selected; for the certificates registry also cancelling and duplicates."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.menu = QMenu(window.tr("&Документы"), window)
        self.issue_action = QAction(_tr("Выдать сертификаты…"), window)
        self.issue_action.setStatusTip(
            _tr("Сертификаты завершившим стажировку или участникам мероприятия")
        )
        self.issue_action.triggered.connect(self.issue_certificates)
        self.register_action = QAction(_tr("Журнал регистрации сертификатов (PDF)…"), window)
        self.register_action.triggered.connect(self.print_register)
        # Ctrl+P works without opening the menu; the menu shows it when it is unambiguous.
        self.print_action = QAction(_tr("Печать…"), window)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.print_selected)
        window.addAction(self.print_action)
        self.cancel_action = QAction(_tr("Аннулировать…"), window)
        self.cancel_action.triggered.connect(self.cancel_selected)
        self.duplicate_action = QAction(_tr("Выдать дубликат"), window)
        self.duplicate_action.triggered.connect(self.duplicate_selected)
        self._dynamic: list[QAction] = []
        self.menu.aboutToShow.connect(self.update)
        self.update()

    # -- what the current page offers --------------------------------------------------------

    def _page(self) -> Any:
        return self.window.current_page() if self.window.ctx is not None else None

    def _registry_page(self) -> Any:
        page = self._page()
        if page is None:
            # before a database is attached: importing the registry page here would pull
            # SQLAlchemy into building the window, which must show before any of it loads
            return None
        from .registry_page import RegistryPage

        return page if isinstance(page, RegistryPage) else None

    def registry(self) -> str:
        page = self._registry_page()
        return page.registry.name if page is not None else ""

    def selected_ids(self) -> list[int]:
        page = self._registry_page()
        return page.selected_ids() if page is not None else []

    def kinds(self) -> list[DocumentKind]:
        registry = self.registry()
        return kinds_for(registry) if registry else []

    def update(self) -> None:
        """Rebuild the menu for the current page and selection."""
        for action in self._dynamic:
            self.menu.removeAction(action)
            if action not in (self.print_action, self.cancel_action, self.duplicate_action):
                action.deleteLater()
        self._dynamic = []
        self.menu.clear()
        self.menu.addAction(self.issue_action)
        self.menu.addAction(self.register_action)
        self.menu.addSeparator()
        page = self._page()
        kinds = self.kinds() if page is not None else []
        ids = self.selected_ids()
        special = callable(getattr(page, "print_current", None))
        count = f" ({len(ids)})" if len(ids) > 1 else ""
        if special:
            self.print_action.setText(_tr("Печать…"))
            self.print_action.setEnabled(True)
            self.menu.addAction(self.print_action)
        elif len(kinds) > 1:
            for document_kind in kinds:
                action = QAction(
                    _tr("Печать: {title}{count}…").format(
                        title=short_title(document_kind), count=count
                    ),
                    self.menu,
                )
                action.setEnabled(bool(ids))
                action.triggered.connect(lambda _c=False, k=document_kind.key: self.print_kind(k))
                self.menu.addAction(action)
                self._dynamic.append(action)
            self.print_action.setEnabled(bool(ids))
        elif kinds:
            key = kinds[0].key
            text = (
                _tr("Печать сертификата{count}…")
                if key == "certificate"
                else _tr("Печать: {title}{count}…")
            )
            self.print_action.setText(text.format(title=short_title(kinds[0]), count=count))
            self.print_action.setEnabled(bool(ids))
            self.menu.addAction(self.print_action)
        else:
            self.print_action.setText(_tr("Печать…"))
            self.print_action.setEnabled(False)
            self.menu.addAction(self.print_action)
        if not ids and kinds and not special:
            self.print_action.setStatusTip(_tr("Выберите записи в таблице, чтобы напечатать их"))
        # issuing, cancelling and duplicates are the district's (the service refuses others)
        issuing = self._may_issue()
        self.issue_action.setEnabled(issuing)
        if self.registry() == "certificates":
            self.menu.addSeparator()
            self.cancel_action.setEnabled(issuing and bool(ids))
            self.duplicate_action.setEnabled(issuing and len(ids) == 1)
            self.menu.addAction(self.cancel_action)
            self.menu.addAction(self.duplicate_action)

    def _may_issue(self) -> bool:
        if self.window.ctx is None:
            return False
        from .entities import KINDS
        from .roles import may_change

        return may_change(self.window.ctx.principal, KINDS["certificates"])

    # -- actions -----------------------------------------------------------------------------

    def issue_certificates(self) -> None:
        from .certificates_dialog import open_certificates_dialog

        open_certificates_dialog(self.window, self.window)

    def print_register(self) -> Task | None:
        return print_with_period(self.window, self.window.ctx, "register", [0])

    def print_kind(self, key: str) -> Task | None:
        ids = self.selected_ids()
        if not ids:
            self.window.statusBar().showMessage(
                _tr("Выберите записи в таблице, чтобы напечатать их"), 5000
            )
            return None
        return print_with_period(self.window, self.window.ctx, key, ids)

    def print_selected(self) -> None:
        page = self._page()
        special = getattr(page, "print_current", None)
        if callable(special):
            special()
            return
        kinds = self.kinds()
        if not kinds:
            self.window.statusBar().showMessage(_tr("На этой странице печатать нечего"), 5000)
            return
        if len(kinds) == 1:
            self.print_kind(kinds[0].key)
            return
        chooser = QMenu(self.window)
        for document_kind in kinds:
            chooser.addAction(
                short_title(document_kind),
                lambda k=document_kind.key: self.print_kind(k),
            )
        chooser.exec(QCursor.pos())
        chooser.deleteLater()

    def cancel_selected(self) -> None:
        if self.registry() == "certificates":
            cancel_certificates(self.window, self.selected_ids())

    def duplicate_selected(self) -> None:
        ids = self.selected_ids()
        if self.registry() == "certificates" and len(ids) == 1:
            duplicate_certificate(self.window, ids[0])


def install_documents_menu(window: MainWindow, before: QAction) -> DocumentsMenu:
    """Put the «Документы» menu into the window's menu bar before ``before``."""
    documents = DocumentsMenu(window)
    window.menuBar().insertMenu(before, documents.menu)
    return documents
