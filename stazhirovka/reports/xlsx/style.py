"""Shared look of the program's workbooks (xlsxwriter): a title row saying what and when, a
line describing the selection, a bold frozen header with an autofilter, dates as real Excel
dates shown DD.MM.YYYY, and widths in characters."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
_EPOCH = date(1899, 12, 30)  # Excel's day 0 (1900 date system, past the 1900 leap bug)
_EPOCH_DT = datetime(1899, 12, 30)

# Rows of a sheet laid out by :func:`write_heading`: title, selection line, header, data.
TITLE_ROW, NOTE_ROW, HEADER_ROW, FIRST_DATA_ROW = 0, 1, 2, 3

WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


def date_serial(value: date) -> int:
    """An Excel serial day for a date (written as a number with a date format: the same cell
    xlsxwriter's ``write_datetime`` makes, without its per-cell conversion cost)."""
    return (value - _EPOCH).days


def datetime_serial(value: datetime) -> float:
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    delta = value - _EPOCH_DT
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str) -> str:
    """A legal sheet name: no []:*?/\\, at most 31 characters."""
    name = _BAD_SHEET_CHARS.sub(" ", title).strip(" '") or "Лист"
    return name[:31].rstrip()


class Formats:
    """The formats of one workbook, made once."""

    def __init__(self, workbook: Any) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.note = workbook.add_format({"italic": True, "font_color": "#555555"})
        self.header = workbook.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "top",
                "bg_color": "#E8EEF7",
                "bottom": 1,
            }
        )
        self.date = workbook.add_format({"num_format": DATE_FORMAT, "align": "left"})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT, "align": "left"})
        self.number = workbook.add_format({"num_format": "General"})
        self.bold = workbook.add_format({"bold": True})
        self.bold_number = workbook.add_format({"bold": True, "num_format": "General"})
        self.percent = workbook.add_format({"num_format": "0%"})
        self.bold_percent = workbook.add_format({"bold": True, "num_format": "0%"})


def write_heading(
    sheet: Any,
    formats: Formats,
    title: str,
    note: str,
    headers: list[str],
    widths: list[int],
) -> None:
    """Title (row 1), selection note (row 2), bold header (row 3) frozen with the rows above,
    column widths. Call before any data row (constant-memory sheets are written in order)."""
    for col, width in enumerate(widths):
        sheet.set_column(col, col, max(4, min(int(width), 100)))
    sheet.write_string(TITLE_ROW, 0, title, formats.title)
    if note:
        sheet.write_string(NOTE_ROW, 0, note, formats.note)
    for col, header in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, header, formats.header)
    sheet.freeze_panes(FIRST_DATA_ROW, 0)


def finish_table(sheet: Any, columns: int, rows: int) -> None:
    """An autofilter over the header and the ``rows`` data rows."""
    if columns:
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(rows, 0), columns - 1)
