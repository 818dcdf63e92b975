"""The error workbook: every rejected row with its row number and the reason, in Russian,
beside the row's own cells, so the user can fix the rows and import them again; the
warnings (values dropped, not stored) on a second sheet."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...formats import short_date
from ...reports.output import atomic_file
from .plan import REJECTED, ImportPlan

_DATE = "dd.mm.yyyy"
_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def write_errors(plan: ImportPlan, path: Path | str, *, today: date | None = None) -> Path:
    import xlsxwriter

    today = today or date.today()
    by_number = {r.number: r for r in plan.table.rows}
    rejected = plan.of(REJECTED)
    headers = list(plan.table.headers)
    with atomic_file(path) as temp:
        book = xlsxwriter.Workbook(str(temp), _OPTIONS)
        title = book.add_format({"bold": True, "font_size": 12})
        head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
        day = book.add_format({"num_format": _DATE})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})

        sheet = book.add_worksheet("Отклонённые строки")
        sheet.write(
            0,
            0,
            f"Импорт — отклонённые строки от {short_date(today)}: лист «{plan.table.sheet}», "
            f"отклонено {len(rejected)} из {len(plan.rows)}",
            title,
        )
        columns = ["Строка", "Причина", *(h or f"Столбец {i + 1}" for i, h in enumerate(headers))]
        sheet.write_row(2, 0, columns, head)
        sheet.freeze_panes(3, 0)
        sheet.set_column(0, 0, 8)
        sheet.set_column(1, 1, 60, wrap)
        sheet.set_column(2, 2 + max(len(headers) - 1, 0), 18)
        for offset, planned in enumerate(rejected):
            r = 3 + offset
            sheet.write_number(r, 0, planned.number)
            sheet.write_string(r, 1, planned.reason, wrap)
            for c, value in enumerate(by_number[planned.number].cells[: len(headers)]):
                _write(sheet, r, 2 + c, value, day)
        if rejected:
            sheet.autofilter(2, 0, 2 + len(rejected), len(columns) - 1)

        notes = book.add_worksheet("Предупреждения")
        notes.write(0, 0, "Значения, которые не сохранены (строка загружена без них)", title)
        notes.write_row(2, 0, ["Строка", "Предупреждение"], head)
        notes.freeze_panes(3, 0)
        notes.set_column(0, 0, 8)
        notes.set_column(1, 1, 90, wrap)
        r = 3
        for planned in plan.rows:
            for warning in planned.warnings:
                notes.write_number(r, 0, planned.number)
                notes.write_string(r, 1, warning, wrap)
                r += 1
        book.close()
    return Path(path)


def _write(sheet: Any, row: int, col: int, value: Any, day: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), day)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            sheet.write_string(row, col, str(value))
        else:
            sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value)[:32767])
