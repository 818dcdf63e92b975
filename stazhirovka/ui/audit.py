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


def _field_labels(entity: str) -> dict[str, str]:
    """The Russian labels of a table's fields, from the service of that kind of record."""
    from .entities import KINDS

    for kind in KINDS.values():
        if kind.service.model.__tablename__ == entity:
            return {f.name: f.label for f in kind.service.fields}
    return {}


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"  # an ISO date as ДД.ММ.ГГГГ
    return str(value)


def changes_text(entity: str, changes: str) -> str:
    """The trail's «что изменилось» for reading: «Предмет: — → химия; Телефон: …» instead of
    the stored JSON (which stays as it is in the database and in exports)."""
    import json

    if not changes:
        return ""
    try:
        payload = json.loads(changes)
    except ValueError:
        return changes
    if not isinstance(payload, dict):
        return changes
    labels = _field_labels(entity)
    parts = []
    for key, pair in payload.items():
        label = labels.get(key, key)
        if isinstance(pair, list) and len(pair) == 2:
            old, new = pair
            if old is None and key not in labels:  # an export's facts: «строк: 25»
                parts.append(f"{label}: {_value_text(new)}")
            else:
                parts.append(f"{label}: {_value_text(old)} → {_value_text(new)}")
        else:
            parts.append(f"{label}: {pair}")
    return "; ".join(parts)
