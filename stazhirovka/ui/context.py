"""What every window and dialog is handed explicitly (no global singletons, STYLE.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..db import Database
    from ..services.access import Principal
    from .settings import Settings
    from .tasks import TaskRunner


@dataclass
class AppContext:
    db: Database
    settings: Settings
    tasks: TaskRunner
    actor: str = ""  # the login recorded in the audit trail ("" on a single-user file)

    @property
    def principal(self) -> Principal:
        """Who works: the database's logged-in user (the owner of a file without accounts)."""
        return self.db.principal
