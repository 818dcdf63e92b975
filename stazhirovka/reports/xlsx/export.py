"""Export of a registry to XLSX exactly as the screen shows it for a query (the same rows in
the same order, streamed from :func:`~stazhirovka.services.registry.iter_rows` into an
xlsxwriter ``constant_memory`` workbook, so memory stays flat at any size).

Personal contacts (columns marked ``personal``) are masked on request (DOCUMENTS.md §7):
phone ``+7 (***) ***-12-34``, e-mail ``i***@mail.ru``, anything else ``***``. A СНИЛС column
(key ``snils``) is never exported in full, masked or not: only ``***-***-*** 12`` (the check
digits) is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy.orm import Session

from ...formats import short_date
from ...services.access import principal_of
from ...services.crud import log_export
from ...services.registry import (
    Column,
    Registry,
    RegistryQuery,
    count,
    fetch_rows,
    get_registry,
    iter_rows,
)
from ..output import ProgressFn, atomic_file, no_progress
from .style import (
    FIRST_DATA_ROW,
    WORKBOOK_OPTIONS,
    Formats,
    date_serial,
    datetime_serial,
    finish_table,
    sheet_name,
    write_heading,
)

EMPTY_NOTE = "нет записей"
_PROGRESS_EVERY = 1000
_BATCH = 2000

# -- masking ----------------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d")


def mask_phone(value: str) -> str:
    """``+7 (***) ***-12-34``: only the last four digits stay."""
    digits = _DIGITS.findall(value)
    if len(digits) < 4:
        return "***"
    return f"+7 (***) ***-{digits[-4]}{digits[-3]}-{digits[-2]}{digits[-1]}"


def mask_email(value: str) -> str:
    """``i***@mail.ru``: the first letter of the name and the domain."""
    local, at, domain = value.strip().partition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"


def mask_snils(value: str) -> str:
    """``***-***-*** 12``: only the check number stays."""
    digits = _DIGITS.findall(value)
    if len(digits) < 2:
        return "***"
    return f"***-***-*** {digits[-2]}{digits[-1]}"


def mask_value(column: Column, value: Any) -> str:
    text = str(value)
    key = column.key.lower()
    if "snils" in key:
        return mask_snils(text)
    if "phone" in key:
        return mask_phone(text)
    if "mail" in key:
        return mask_email(text)
    return "***"


def _is_snils(column: Column) -> bool:
    return "snils" in column.key.lower()


# -- the selection line --------------------------------------------------------------------------------


def _filter_value(session: Session, registry: Registry, key: str, value: Any) -> str:
    flt = registry.filter(key)
    if flt.kind == "ref":
        try:
            ref = get_registry(flt.ref)
            rows = fetch_rows(session, flt.ref, [int(value)])
        except Exception:  # an unknown reference list: show the number
            rows, ref = [], None
        if rows and ref is not None and ref.columns:
            shown = rows[0].get(ref.columns[0].key)
            if shown:
                return str(shown)
        return f"№ {value}"
    if flt.kind == "enum":
        raw = getattr(value, "value", value)
        return flt.choices.get(str(raw), str(raw))
    if flt.kind == "bool":
        return "да" if value else "нет"
    if flt.kind == "date" and isinstance(value, date):
        return short_date(value)
    return str(value)


def describe_query(session: Session, registry: Registry, query: RegistryQuery) -> list[str]:
    """The search and filters as the user sees them: «поиск: «иван»», «Пол: женский»."""
    parts = []
    text = query.search.strip()
    if text:
        parts.append(f"поиск «{text}»")
    for key, value in query.filters.items():
        if value is None or value == "":
            continue
        label = registry.filter(key).label
        parts.append(f"{label}: {_filter_value(session, registry, key, value)}")
    return parts


def _count_text(total: int) -> str:
    from ...formats import plural

    shown = f"{total:,}".replace(",", "\u00a0")
    return f"{shown} {plural(total, 'запись', 'записи', 'записей')}"


# -- writing -------------------------------------------------------------------------------------------


def _cell_writer(sheet: Any, formats: Formats, column: Column, masked: bool) -> Callable:
    """``write(row, col, value)`` for a non-empty value of this column."""
    write_string, write_number = sheet.write_string, sheet.write_number
    if _is_snils(column) or (column.personal and masked):
        return lambda r, c, v: write_string(r, c, mask_value(column, v))
    kind = column.kind
    if kind == "date":
        fmt = formats.date

        def write_date(r: int, c: int, v: Any) -> None:
            if isinstance(v, datetime):
                v = v.date()
            if isinstance(v, date):
                write_number(r, c, date_serial(v), fmt)
            else:
                write_string(r, c, str(v))

        return write_date
    if kind == "datetime":
        dt_fmt = formats.datetime

        def write_datetime(r: int, c: int, v: Any) -> None:
            if isinstance(v, datetime):
                write_number(r, c, datetime_serial(v), dt_fmt)
            elif isinstance(v, date):
                write_number(r, c, date_serial(v), dt_fmt)
            else:
                write_string(r, c, str(v))

        return write_datetime
    if kind in ("int", "float"):

        def write_num(r: int, c: int, v: Any) -> None:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                write_number(r, c, v)
            else:
                try:
                    write_number(r, c, float(v))
                except (TypeError, ValueError):
                    write_string(r, c, str(v))

        return write_num
    if kind == "bool":
        return lambda r, c, v: write_string(r, c, "да" if v else "нет")
    if kind == "enum":
        labels = column.enum_labels

        def write_enum(r: int, c: int, v: Any) -> None:
            raw = getattr(v, "value", v)
            write_string(r, c, labels.get(raw, str(raw)))

        return write_enum
    return lambda r, c, v: write_string(r, c, v if isinstance(v, str) else str(v))


def export_registry(
    session: Session,
    name: str,
    path: Path | str,
    query: RegistryQuery,
    *,
    masked: bool,
    progress: ProgressFn = no_progress,
    today: date | None = None,
) -> Path:
    """Write registry ``name`` as filtered and sorted by ``query`` to ``path`` (XLSX).

    ``progress(done, total, text)`` counts rows against :func:`count`; raising from it cancels
    and leaves no file. Returns the path written."""
    registry = get_registry(name)
    # contacts leave the program unmasked only for the roles that work with them
    masked = masked or not principal_of(session).sees_contacts
    today = today or date.today()
    total = count(session, name, query)
    progress(0, total, registry.title)
    columns = registry.columns
    parts = describe_query(session, registry, query)
    note = "Отбор: " + ("; ".join(parts) if parts else "все записи") + f". {_count_text(total)}."
    if masked and any(c.personal for c in columns):
        note += " Контактные данные скрыты (маска ПДн)."
    title = f"{registry.title} — выгрузка от {short_date(today)}"

    target = Path(path)
    with (
        atomic_file(target) as temp,
        xlsxwriter.Workbook(str(temp), {"constant_memory": True, **WORKBOOK_OPTIONS}) as workbook,
        closing(iter_rows(session, name, query, _BATCH)) as records,
    ):
        workbook.set_properties({"title": title, "comments": note})
        formats = Formats(workbook)
        sheet = workbook.add_worksheet(sheet_name(registry.title))
        write_heading(
            sheet,
            formats,
            title,
            note,
            [c.label for c in columns],
            [c.width for c in columns],
        )
        writers = [
            (col, c.key, c.render, _cell_writer(sheet, formats, c, masked))
            for col, c in enumerate(columns)
        ]
        row = FIRST_DATA_ROW
        done = 0
        for record in records:
            for col, key, render, write in writers:
                value = record[key] if render is None else render(record)
                if value is not None and value != "":
                    write(row, col, value)
            row += 1
            done += 1
            if done % _PROGRESS_EVERY == 0:
                progress(done, total, registry.title)
        if done == 0:
            sheet.write_string(FIRST_DATA_ROW, 0, EMPTY_NOTE, formats.note)
        finish_table(sheet, len(columns), done)
        progress(done, max(total, done), registry.title)
    log_export(session, registry.base.__tablename__, done, masked, target.name)
    return target
