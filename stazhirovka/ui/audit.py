"""The audit trail in the window: «Журнал изменений» (a read-only registry page over the
service's "audit" registry, with its filters and the export to Excel) and a record's
«История изменений…» — the same registry filtered to that record, in a window of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ..services.access import Principal

AUDIT = "audit"


def may_read_audit(principal: Principal) -> bool:
    """Everybody who logged in but a platform head (their trail is narrowed to nothing)."""
    return not principal.anonymous and not principal.is_platform_head


class HistoryDialog(QDialog):
    """The audit trail of one record: newest change first, exportable like any registry."""

    def __init__(
        self, window: Any, entity: str, entity_id: int, title: str, parent: QWidget | None
    ) -> None:
        from .registry_page import RegistryPage

        super().__init__(parent)
        self.setWindowTitle(self.tr("История изменений: {title}").format(title=title))
        self.page = RegistryPage(window.ctx.db, AUDIT, window.ctx.settings, self)
        self.page.export_requested.connect(lambda: window._export(self.page))
        self.page.set_filters({"entity": entity, "entity_id": entity_id})
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Закрыть"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addWidget(buttons)
        self.resize(1100, 560)


def open_history(
    window: Any, entity: str, entity_id: int, title: str, parent: QWidget | None = None
) -> HistoryDialog:
    """Show the record's history (not modal: the form stays usable behind it)."""
    dialog = HistoryDialog(window, entity, entity_id, title, parent or window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
