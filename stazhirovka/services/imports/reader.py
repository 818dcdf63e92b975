"""Reading a registry sheet with python-calamine: the header row is found under any title
rows (merged title cells read as one value and blanks), blank lines and totals rows
(«Итого», «Всего») are skipped, and every data row keeps its row number in the sheet."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ...errors import UserError
from ...text import collapse_spaces, fold

HEADER_SEARCH_ROWS = 30  # titles above the header rarely take more than a few rows
_TOTALS = re.compile(r"^(итого|всего)\b")


@dataclass(frozen=True)
class SourceRow:
    """One data row: its number as the user sees it in Excel (1-based) and its cells."""

    number: int
    cells: tuple[Any, ...]

    def get(self, index: int) -> Any:
        return self.cells[index] if index < len(self.cells) else None


@dataclass
class Table:
    """The header and the data rows of one sheet."""

    sheet: str
    header_row: int  # 1-based
    headers: list[str]
    rows: list[SourceRow] = field(default_factory=list)
    skipped_blank: int = 0
    skipped_totals: int = 0


def cell_text(value: Any) -> str:
    """A cell as text for headers and names (numbers without «.0»)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return collapse_spaces(str(value))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_totals_row(cells: tuple[Any, ...]) -> bool:
    """A row saying «Итого»/«Всего» in one of its first text cells."""
    for value in cells[:4]:
        if isinstance(value, str) and value.strip():
            return bool(_TOTALS.match(fold(value)))
    return False


def find_header(rows: list[list[Any]], score: Callable[[list[str]], int]) -> int | None:
    """The index of the row that looks most like a header (by ``score``, at least two known
    columns); None when no row of the first ones does."""
    best, best_score = None, 1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [cell_text(v) for v in row]
        value = score(texts)
        if value > best_score:
            best, best_score = index, value
    return best


def _plain(value: Any) -> Any:
    if isinstance(value, time):  # a bare time is no value of ours
        return value.isoformat()
    return value


def read_table(
    path: Path | str,
    score: Callable[[list[str]], int] | None = None,
    sheet: int | str = 0,
) -> Table:
    """Read one sheet of ``path``. ``score`` rates a row as a header (the number of columns it
    recognizes); by default the columns of every import kind are tried."""
    from python_calamine import CalamineWorkbook

    if score is None:
        from .columns import header_score

        score = header_score
    path = Path(path)
    if not path.exists():
        raise UserError(f"Файл «{path}» не найден.")
    try:
        book = CalamineWorkbook.from_path(str(path))
        data = (
            book.get_sheet_by_name(sheet)
            if isinstance(sheet, str)
            else book.get_sheet_by_index(sheet)
        )
        name = data.name
        rows = data.to_python(skip_empty_area=False)
    except UserError:
        raise
    except Exception as exc:  # calamine raises its own error types for broken files
        raise UserError(
            f"Файл «{path.name}» не читается как таблица Excel ({type(exc).__name__})."
        ) from None
    header_index = find_header(rows, score)
    if header_index is None:
        raise UserError(
            f"В файле «{path.name}», лист «{name}», не найдена строка заголовков: в первых "
            f"{HEADER_SEARCH_ROWS} строках нет ни одной строки хотя бы с двумя известными "
            "столбцами (например, «ФИО» и «Место работы»)."
        )
    headers = [cell_text(v) for v in rows[header_index]]
    table = Table(sheet=name, header_row=header_index + 1, headers=headers)
    for index in range(header_index + 1, len(rows)):
        cells = tuple(_plain(v) for v in rows[index])
        if all(_is_blank(v) for v in cells):
            table.skipped_blank += 1
        elif is_totals_row(cells):
            table.skipped_totals += 1
        else:
            table.rows.append(SourceRow(index + 1, cells))
    return table


def is_date(value: Any) -> bool:
    return isinstance(value, date | datetime)
