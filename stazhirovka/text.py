"""Text normalization shared by models, services and imports (no database, no Qt)."""

from __future__ import annotations


def collapse_spaces(value: str | None) -> str:
    """Trim and collapse runs of whitespace (including non-breaking spaces) to one space."""
    if not value:
        return ""
    # str.split() splits on what str.isspace() calls whitespace — the set «\s» matches, NBSP
    # included — and is several times faster than a regular expression (imports call it a lot).
    return " ".join(value.split())


def fold(value: str | None) -> str:
    """The form used for matching only: lower case, ё→е, single spaces. Never stored as a name."""
    return collapse_spaces(value).casefold().replace("ё", "е")


def search_key(*parts: str | None) -> str:
    """A search key over several name parts: each folded, joined by single spaces."""
    return " ".join(p for p in (fold(part) for part in parts) if p)


def like_pattern(query: str) -> str:
    """A ``LIKE`` pattern matching the folded query anywhere, with wildcards escaped (ESCAPE '\\')."""
    folded = fold(query)
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
