"""Logging to a file in the user's log folder. Messages carry ids and counts, never ФИО,
СНИЛС, phones or e-mails (DOCUMENTS.md §7)."""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from . import paths

# PostgreSQL puts the offending values into its messages («Key (snils)=(…) already exists»);
# SQLAlchemy's own parameter dumps are already hidden by the engines (hide_parameters).
_REDACTIONS = (
    (re.compile(r"(Key \([^)]*\))=\((?:[^()]|\([^()]*\))*\)"), r"\1=(…)"),
    (re.compile(r"(DETAIL:)[^\n]*"), r"\1 …"),
    (re.compile(r"(Failing row contains )\(.*?\)\.?"), r"\1(…)."),
)


def redact(text: str) -> str:
    """Text for the log without the values a database error quoted."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_file() -> Path:
    return paths.log_dir() / "stazhirovka.log"


def setup_logging(debug: bool = False) -> Path | None:
    """Send warnings and errors (everything with ``debug``) to the rotating log file."""
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return log_file()
    try:
        handler = RotatingFileHandler(
            log_file(), maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    logging.getLogger("pytrovich").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # no plugin chatter per start
    return log_file()
