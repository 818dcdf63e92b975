"""The window's settings, declared in one place with types and defaults (STYLE.md #14).

User preferences (the database) and window state (geometry, column layouts) live in one INI
file in the user's config folder; tests point it at a temporary folder through
``XDG_CONFIG_HOME``. The district's details for documents live in the database
(``services.district``), shared by every desktop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from platformdirs import user_config_path
from PySide6.QtCore import QByteArray, QSettings

from ..paths import APP_NAME


def config_file() -> Path:
    return user_config_path(APP_NAME, appauthor=False, ensure_exists=True) / "stazhirovka.ini"


class Settings:
    """Typed accessors over a ``QSettings`` INI file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_file()
        self._q = QSettings(str(self.path), QSettings.Format.IniFormat)
        # Not stored: what overrides ``database_url`` in this run («--db», «STAZHIROVKA_DB»
        # or ""), set at start-up so the settings dialog can say why its choice is not in force.
        self.database_override = ""

    # -- preferences -----------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        return str(self._q.value("database/url", "") or "")

    @database_url.setter
    def database_url(self, url: str) -> None:
        self._q.setValue("database/url", url)

    @property
    def first_run_done(self) -> bool:
        return self._bool("app/first_run_done", False)

    @first_run_done.setter
    def first_run_done(self, done: bool) -> None:
        self._q.setValue("app/first_run_done", bool(done))

    def first_run_done_for(self, url: str) -> bool:
        """Whether the welcome (demo or empty) was already answered for this database."""
        return _database_key(url) in self._list("app/first_run_databases")

    def mark_first_run_done(self, url: str) -> None:
        done = self._list("app/first_run_databases")
        key = _database_key(url)
        if key not in done:
            self._q.setValue("app/first_run_databases", [*done, key])
        self.first_run_done = True

    @property
    def last_login(self) -> str:
        """The login last used, offered by the login dialog on the next start."""
        return str(self._q.value("login/last", "") or "")

    @last_login.setter
    def last_login(self, login: str) -> None:
        self._q.setValue("login/last", login)

    # -- window state ----------------------------------------------------------------------

    def state(self, key: str) -> QByteArray | None:
        value = self._q.value(f"state/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state(self, key: str, value: QByteArray) -> None:
        self._q.setValue(f"state/{key}", value)

    def value(self, key: str, default: Any = None) -> Any:
        return self._q.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._q.setValue(key, value)

    def sync(self) -> None:
        self._q.sync()

    def _list(self, key: str) -> list[str]:
        value = self._q.value(key, [])
        if isinstance(value, str):  # QSettings gives a one-item list back as a string
            return [value] if value else []
        return [str(v) for v in value or []]

    def _bool(self, key: str, default: bool) -> bool:
        value = self._q.value(key, default)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)


def _database_key(url: str) -> str:
    """A database's identity without its password (a key in the INI file)."""
    from sqlalchemy.engine import URL, make_url

    try:
        parsed = make_url(url)
    except Exception:
        return url
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return f"sqlite:///{Path(parsed.database).expanduser().resolve()}"
    bare = URL.create(
        parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database
    )
    return bare.render_as_string(hide_password=False)
