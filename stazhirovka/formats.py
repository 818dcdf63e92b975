"""How values read in Russian: dates, numbers and plurals (DOCUMENTS.md §5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_NOMINATIVE = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
MONTHS_SHORT = (
    "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
)  # fmt: skip


def short_date(value: date | datetime | None) -> str:
    """21.11.2026 — for tables."""
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y")


def long_date(value: date, quoted: bool = True) -> str:
    """«21» ноября 2026 г. — for running text; unquoted: 21 ноября 2026 г."""
    day = f"«{value.day:02d}»" if quoted else str(value.day)
    return f"{day} {MONTHS_GENITIVE[value.month - 1]} {value.year} г."


def plural(number: int, one: str, few: str, many: str) -> str:
    """The word agreeing with the number: 1 час, 2 часа, 5 часов, 21 час, 11 часов."""
    n = abs(int(number)) % 100
    if 11 <= n <= 14:
        return many
    n %= 10
    if n == 1:
        return one
    if 2 <= n <= 4:
        return few
    return many


def number(value: float | int | None) -> str:
    """3, 2,5 — a decimal comma and no «.0»."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def display(value: Any, kind: str = "text", labels: dict[str, str] | None = None) -> str:
    """A stored value as a cell shows it."""
    if value is None or value == "":
        return ""
    if kind == "enum":
        key = getattr(value, "value", value)
        return (labels or {}).get(key, str(key))
    if kind == "bool":
        return "да" if value else "нет"
    if kind in ("date", "datetime") and isinstance(value, date | datetime):
        if kind == "datetime" and isinstance(value, datetime):
            return value.strftime("%d.%m.%Y %H:%M")
        return short_date(value)
    if kind in ("int", "float"):
        return number(value)
    return str(value)
