"""The internship card — the methodologist's main working window for one intern: the header
(who, program, mentor, dates, status and its moves, route progress) and the tabs of the route
(ИОМ), the growth journal, diagnostics with the score grid, and effectiveness.

The card reads everything in one go (``load_card``: a handful of queries) and reads again after
each change it makes, then tells the main window (``window.saved``) so registry pages refresh.
Unsaved scores of the grid are the card's unsaved changes (``is_dirty``)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..models import InternshipStatus
from ..services.diagnostics import deficits_of_latest
from ..services.internships import InternshipService
from .entities import EntityKind, kind_of
from .errors import show_error
from .forms import EntityForm
from .internship.common import run_change, tr
from .internship.data import CardData, load_card
from .internship.diagnostics import DiagnosticsTab
from .internship.effectiveness import EffectivenessTab
from .internship.header import CardHeader, MoveDialog
from .internship.journal import JournalTab
from .internship.route import RouteTab
from .widgets import RecordPicker

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)

GEOMETRY_KEY = "internship_card/geometry"
# Saved records elsewhere that change what a card shows.
_WATCHED = {
    "persons",
    "organizations",
    "platforms",
    "programs",
    "masters",
    "events",
    "instruments",
    "journal",
    "assessments",
    "certificates",
}


def open_internship_card(
    window: MainWindow, record_id: int | None, defaults: dict[str, Any]
) -> QWidget | None:
    """The card of an internship (raised if already open); for a new one, its form first and
    the card after it is saved."""
    if record_id is None:
        kind = kind_of("internships")
        assert kind is not None
        form = EntityForm(
            window.ctx.db, kind, None, defaults=defaults, actor=window.ctx.actor, parent=window
        )

        def created(new_id: int) -> None:
            window.saved("internships", new_id)
            open_internship_card(window, new_id, {})

        form.saved.connect(created)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.open()
        return form
    for widget in window.open_windows:
        if isinstance(widget, InternshipCardWindow) and widget.record_id == record_id:
            if widget.isMinimized():
                widget.showNormal()
            widget.show()
            widget.raise_()
            widget.activateWindow()
            return widget
    card = InternshipCardWindow(window, record_id)
    window.track(card)
    card.show()
    card.raise_()
    card.activateWindow()
    return card


def _tidy(form: EntityForm) -> None:
    """Long choices (module and step titles) must not widen the form past its width; a chosen
    record's name shows from its beginning."""
    for editor in form.editors.values():
        widget = editor.widget
        if isinstance(widget, QComboBox):
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(20)
            widget.setMinimumWidth(160)  # the cached hint still counts the longest item
            metrics = widget.fontMetrics()
            longest = max(
                (metrics.horizontalAdvance(widget.itemText(i)) for i in range(widget.count())),
                default=0,
            )
            widget.view().setMinimumWidth(min(longest + 40, 900))
        elif isinstance(widget, RecordPicker):
            widget.edit.setCursorPosition(0)


class InternshipCardWindow(QWidget):
    def __init__(
        self,
        window: MainWindow,
        record_id: int,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.window_ = window
        self.db = window.ctx.db
        self.actor = window.ctx.actor
        self.record_id = record_id
        self.today = today
        self.data: CardData | None = None
        self.last_form: EntityForm | None = None
        self.move_dialog: MoveDialog | None = None
        self._notifying = False

        self.header = CardHeader(self)
        self.header.move_requested.connect(self.request_move)
        self.header.edit_requested.connect(self.edit_internship)
        self.tabs = QTabWidget(self)
        self.route_tab = RouteTab(self)
        self.journal_tab = JournalTab(self)
        self.diagnostics_tab = DiagnosticsTab(self)
        self.effectiveness_tab = EffectivenessTab(self)
        for tab, title in (
            (self.route_tab, "&Маршрут (ИОМ)"),
            (self.journal_tab, "&Журнал"),
            (self.diagnostics_tab, "&Диагностика"),
            (self.effectiveness_tab, "&Эффективность"),
        ):
            self.tabs.addTab(tab, tr(title))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(10)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self._documents_row()

        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(self._save_shortcut)
        refresh = QShortcut(QKeySequence.StandardKey.Refresh, self)
        refresh.activated.connect(lambda: self.reload())
        window.record_saved.connect(self._saved_elsewhere)

        geometry = window.ctx.settings.state(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1150, 760)
        self.reload()
        self.tabs.setFocus()

    # -- data --------------------------------------------------------------------------------

    def reload(
        self,
        select_step: int | None = None,
        select_entry: int | None = None,
        select_assessment: int | None = None,
    ) -> bool:
        try:
            with self.db.session() as session:
                data = load_card(session, self.record_id, self.today())
        except Exception as exc:
            show_error(self, exc, "internship card")
            return False
        self.data = data
        self.header.set_data(data)
        self.route_tab.set_data(data, select_step)
        self.journal_tab.set_data(data, select_entry)
        self.diagnostics_tab.set_data(data, select_assessment)
        self.effectiveness_tab.set_data(data)
        self.update_title()
        self._update_documents()
        self._apply_roles()
        return True

    def _apply_roles(self) -> None:
        """Hide what the user's role cannot change (the services refuse it anyway): the
        internship's status and the certificate are the district's, the route's steps, journal
        and diagnostics also a platform head's; «Изменить…» stays and opens a read-only form."""
        from .entities import KINDS
        from .roles import may_change

        principal = self.db.principal
        district = may_change(principal, KINDS["internships"])
        journal = may_change(principal, KINDS["journal"])
        diagnostics = may_change(principal, KINDS["assessments"])
        steps = journal  # route steps are the same platform work as the journal
        hidden: list[QWidget] = []
        if not district:
            hidden += [*self.header.move_buttons.values(), self.issue_certificate_button]
            hidden.append(self.route_tab.route_button)
        if not steps:
            route = self.route_tab
            hidden += [
                route.add_button,
                route.propose_button,
                route.done_button,
                route.delete_button,
                route.up_button,
                route.down_button,
            ]
        if not journal:
            hidden += [self.journal_tab.add_button, self.journal_tab.delete_button]
        if not diagnostics:
            tab = self.diagnostics_tab
            hidden += [tab.new_button, tab.delete_button, tab.save_button, tab.revert_button]
            tab.grid_model.read_only = True
        for widget in hidden:
            widget.hide()

    def update_title(self) -> None:
        if self.data is None:
            return
        title = tr("Стажировка: {name} — «{program}»").format(
            name=self.data.short_name, program=self.data.program_title
        )
        self.setWindowTitle(title + (" •" if self.is_dirty() else ""))

    def changed(self, **select: int | None) -> None:
        """After a change the card made: read everything again, tell the main window."""
        self.reload(**select)
        self.notify_saved()

    def notify_saved(self) -> None:
        self._notifying = True
        try:
            self.window_.saved("internships", self.record_id)
        finally:
            self._notifying = False

    def _saved_elsewhere(self, registry: str, record_id: int) -> None:
        if self._notifying or self.data is None:
            return
        if registry in _WATCHED or (registry == "internships" and record_id == self.record_id):
            self.reload()

    def entry_deficits_text(self) -> str:
        """The deficits of the latest entry diagnostics, one a line (a new route's list)."""
        assert self.data is not None
        try:
            with self.db.session() as session:
                found = deficits_of_latest(session, self.data.person_id, self.data.id)
        except Exception:
            log.exception("Deficits of the entry diagnostics could not be read")
            return ""
        return "\n".join(
            f"— {d.text} ({d.code + '; ' if d.code else ''}{d.score:g} б.)" for d in found
        )

    # -- documents ---------------------------------------------------------------------------

    def _documents_row(self) -> None:
        """The print buttons of the header (journal, card, route — as far as they exist) and the
        certificate: issued for a completed internship without one, or printed again."""
        from .printing import add_print_buttons

        row = self.header.documents_row
        ctx = self.window_.ctx
        self.print_buttons = add_print_buttons(
            row, self.header, ctx, "internships", lambda: [self.record_id], caption="Документы:"
        )
        self.certificate_id: int | None = None
        self.issue_certificate_button = QPushButton(tr("Выдать сертификат…"), self.header)
        self.issue_certificate_button.setToolTip(
            tr("Выдать сертификат о прохождении стажировки и напечатать его")
        )
        self.issue_certificate_button.clicked.connect(self.issue_certificate)
        self.certificate_button = QPushButton(self.header)
        self.certificate_button.setToolTip(tr("Напечатать выданный сертификат ещё раз"))
        self.certificate_button.clicked.connect(self.print_certificate)
        if self.print_buttons:
            row.addSpacing(12)
        for button in (self.issue_certificate_button, self.certificate_button):
            button.setAutoDefault(False)
            button.hide()
            row.addWidget(button)
        row.addStretch(1)

    def _update_documents(self) -> None:
        from sqlalchemy import select

        from ..models import Certificate, CertificateKind, CertificateStatus

        if self.data is None or not hasattr(self, "certificate_button"):
            return
        try:
            with self.db.session() as session:
                found = session.execute(
                    select(Certificate.id, Certificate.number)
                    .where(
                        Certificate.internship_id == self.record_id,
                        Certificate.kind == CertificateKind.INTERNSHIP,
                        Certificate.status == CertificateStatus.ISSUED,
                    )
                    .order_by(Certificate.duplicate_no.desc())
                    .limit(1)
                ).first()
        except Exception:
            log.exception("The internship's certificate could not be read")
            found = None
        self.certificate_id = found[0] if found else None
        if found:
            self.certificate_button.setText(tr("Сертификат {number}").format(number=found[1]))
        self.certificate_button.setVisible(found is not None)
        self.issue_certificate_button.setVisible(
            found is None and self.data.status == InternshipStatus.COMPLETED
        )

    def issue_certificate(self) -> None:
        from ..services.issuing import Selection
        from .certificates_dialog import open_certificates_dialog

        # Once issued, the window's «certificates saved» reads this card again.
        open_certificates_dialog(self.window_, self, Selection(internship_ids=(self.record_id,)))

    def print_certificate(self) -> None:
        from .printing import print_records

        if self.certificate_id is not None:
            print_records(self, self.window_.ctx, "certificate", [self.certificate_id])

    # -- forms -------------------------------------------------------------------------------

    def open_form(
        self,
        kind: EntityKind,
        record_id: int | None,
        *,
        fixed: dict[str, Any] | None = None,
        choices: dict[str, Sequence[tuple[Any, str]]] | None = None,
        defaults: dict[str, Any] | None = None,
        select: str = "",
    ) -> EntityForm | None:
        """A child record's form over the card; saving it reads the card again."""
        try:
            form = EntityForm(
                self.db,
                kind,
                record_id,
                defaults=defaults,
                fixed=fixed,
                choices=choices,
                actor=self.actor,
                parent=self,
            )
        except Exception as exc:
            show_error(self, exc, f"open {kind.registry} form")
            return None
        _tidy(form)
        key = {"step": "select_step", "entry": "select_entry", "assessment": "select_assessment"}

        def saved(new_id: int) -> None:
            self.changed(**({key[select]: new_id} if select in key else {}))

        form.saved.connect(saved)
        form.deleted.connect(lambda _id: self.changed())
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_form = form
        form.open()
        return form

    def edit_internship(self) -> None:
        kind = kind_of("internships")
        assert kind is not None
        self.open_form(kind, self.record_id)

    # -- status moves ------------------------------------------------------------------------

    def request_move(self, status: str) -> None:
        if self.data is None:
            return
        target = InternshipStatus(status)
        if target == InternshipStatus.ACTIVE:
            answer = QMessageBox.question(
                self,
                tr("Начало стажировки"),
                tr("Начать стажировку {name}? Статус станет «идёт».").format(
                    name=self.data.short_name
                ),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.move(target)
            return
        dialog = MoveDialog(self.data, target, self)
        dialog.accepted.connect(lambda: self.move(target, *dialog.values()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.move_dialog = dialog
        dialog.open()

    def move(self, status: InternshipStatus, on: date | None = None, reason: str = "") -> bool:
        """The status move through the service; a refusal is shown, the card stays as it was."""
        done = run_change(
            self,
            self.db,
            lambda s: InternshipService().move(
                s, self.record_id, status, on=on, reason=reason, actor=self.actor
            ),
            "internship move",
        )
        if done:
            self.changed()
        else:
            self.reload()  # show the status as it really is now
        return done

    # -- unsaved scores and closing ------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.diagnostics_tab.grid_model.is_dirty()

    def mark_clean(self) -> None:
        self.diagnostics_tab.grid_model.revert()

    def _save_shortcut(self) -> None:
        if self.is_dirty():
            self.diagnostics_tab.save_scores()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty():
            self.tabs.setCurrentWidget(self.diagnostics_tab)
            if not self.diagnostics_tab.resolve_unsaved(reload=False):
                event.ignore()
                return
        try:
            self.window_.ctx.settings.set_state(GEOMETRY_KEY, QByteArray(self.saveGeometry()))
        except Exception:
            log.exception("The card's geometry could not be kept")
        with contextlib.suppress(RuntimeError, TypeError):
            self.window_.record_saved.disconnect(self._saved_elsewhere)
        super().closeEvent(event)
