"""Where the program keeps its data, logs and backups on this computer."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "stazhirovka"


def data_dir() -> Path:
    path = user_data_path(APP_NAME, appauthor=False, ensure_exists=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "stazhirovka.db"


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    return user_log_path(APP_NAME, appauthor=False, ensure_exists=True)
