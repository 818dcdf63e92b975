"""What the window shows to whom (DOMAIN.md §2). The services refuse anything not allowed
anyway (services/access.py); the window only hides or disables what the role cannot do, so
nobody is offered a button that can only fail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from ..services.access import Principal
    from .entities import EntityKind


def _tr(text: str) -> str:
    return QCoreApplication.translate("roles", text)


def may_change(principal: Principal, kind: EntityKind) -> bool:
    """Whether ``principal`` may add, change and delete records of ``kind`` at all (a platform
    head's records are further limited to their platforms by the services)."""
    if principal.anonymous:
        return False
    return principal.role is None or principal.role in kind.service.access.roles


def read_only_reason(principal: Principal) -> str:
    """Why a form is only for reading, for the note above it."""
    if principal.anonymous:
        return _tr("Только просмотр: вход в программу не выполнен.")
    return _tr("Только просмотр: роль «{role}» не позволяет изменять записи этого раздела.").format(
        role=principal.title
    )


def may_manage_accounts(principal: Principal) -> bool:
    """Administrators, and the owner of a database without accounts (who makes the first)."""
    if principal.anonymous:
        return False
    return principal.role is None or principal.role.value == "admin"


def who_is_working(principal: Principal) -> str:
    """«ivanova — методист» for the status bar; "" on a database without accounts."""
    if principal.anonymous:
        return _tr("Вход не выполнен")
    if principal.role is None:
        return ""
    return f"{principal.login} — {principal.title}"
