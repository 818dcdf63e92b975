"""Registers as spreadsheets: the journal of issued certificates (DOCUMENTS.md §4.3) for a
period, and the year's plan-schedule with its fulfilment (services/plan.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...errors import UserError
from ...formats import MONTHS_NOMINATIVE, plural, short_date
from ...models import Certificate, CertificateStatus, Organization, Person, Position
from ...services import labels
from ...services.crud import log_export
from ...services.plan import PlanEvent, plan_schedule
from ..output import ProgressFn, atomic_file, no_progress
from .export import EMPTY_NOTE
from .style import (
    FIRST_DATA_ROW,
    WORKBOOK_OPTIONS,
    Formats,
    date_serial,
    finish_table,
    write_heading,
)

REGISTER_TITLE = "Журнал регистрации выданных сертификатов"
REGISTER_COLUMNS = (
    ("Рег. №", 18),
    ("Дата выдачи", 12),
    ("Вид документа", 30),
    ("ФИО (им. п.)", 34),
    ("ОО, должность", 40),
    ("Программа / мероприятие", 50),
    ("Часы", 8),
    ("Статус", 26),
)
_PROGRESS_EVERY = 500


def _status(status: Any, duplicate_no: int, cancelled_on: date | None, reason: str) -> str:
    if getattr(status, "value", status) == CertificateStatus.CANCELLED.value:
        text = "аннулирован"
        if cancelled_on:
            text += f" {short_date(cancelled_on)}"
        if reason:
            text += f" ({reason})"
        return text
    return "дубликат" if duplicate_no else "выдан"


def export_certificate_register(
    session: Session,
    path: Path | str,
    date_from: date,
    date_to: date,
    *,
    progress: ProgressFn = no_progress,
    today: date | None = None,
) -> Path:
    """The certificates issued from ``date_from`` to ``date_to`` (inclusive), in register order
    (prefix, year, number, duplicate), one row each, with the totals under the table."""
    if date_from > date_to:
        raise UserError(
            f"Начало периода ({short_date(date_from)}) позже его конца ({short_date(date_to)})."
        )
    today = today or date.today()
    where = Certificate.issued_on.between(date_from, date_to)
    total = int(session.scalar(select(func.count()).select_from(Certificate).where(where)) or 0)
    progress(0, total, REGISTER_TITLE)
    stmt = (
        select(
            Certificate.number,
            Certificate.issued_on,
            Certificate.kind,
            Certificate.holder_name,
            Organization.short_name,
            Position.name,
            Certificate.basis_title,
            Certificate.hours,
            Certificate.status,
            Certificate.duplicate_no,
            Certificate.cancelled_on,
            Certificate.cancel_reason,
        )
        .join(Person, Person.id == Certificate.person_id)
        .outerjoin(Organization, Organization.id == Person.organization_id)
        .outerjoin(Position, Position.id == Person.position_id)
        .where(where)
        .order_by(Certificate.prefix, Certificate.year, Certificate.seq, Certificate.duplicate_no)
    )
    title = f"{REGISTER_TITLE} — выгрузка от {short_date(today)}"
    note = f"За период с {short_date(date_from)} по {short_date(date_to)}."
    target = Path(path)
    counts = {"выдан": 0, "дубликат": 0, "аннулирован": 0}
    with (
        atomic_file(target) as temp,
        xlsxwriter.Workbook(str(temp), {"constant_memory": True, **WORKBOOK_OPTIONS}) as book,
        session.execute(stmt.execution_options(yield_per=1000)) as result,
    ):
        book.set_properties({"title": title, "comments": note})
        formats = Formats(book)
        sheet = book.add_worksheet("Журнал регистрации")
        write_heading(
            sheet,
            formats,
            title,
            note,
            [label for label, _ in REGISTER_COLUMNS],
            [width for _, width in REGISTER_COLUMNS],
        )
        row = FIRST_DATA_ROW
        for (
            number,
            issued_on,
            kind,
            holder,
            org,
            position,
            basis,
            hours,
            status,
            duplicate_no,
            cancelled_on,
            reason,
        ) in result:
            kind_value = getattr(kind, "value", kind)
            status_text = _status(status, duplicate_no, cancelled_on, reason or "")
            counts[status_text.split(" ", 1)[0]] += 1
            sheet.write_string(row, 0, number)
            sheet.write_number(row, 1, date_serial(issued_on), formats.date)
            sheet.write_string(row, 2, labels.CERTIFICATE_KIND.get(kind_value, kind_value))
            sheet.write_string(row, 3, holder or "")
            place = ", ".join(p for p in (org, position) if p)
            if place:
                sheet.write_string(row, 4, place)
            if basis:
                sheet.write_string(row, 5, basis)
            if hours is not None:
                sheet.write_number(row, 6, hours)
            sheet.write_string(row, 7, status_text)
            row += 1
            done = row - FIRST_DATA_ROW
            if done % _PROGRESS_EVERY == 0:
                progress(done, total, REGISTER_TITLE)
        done = row - FIRST_DATA_ROW
        if done == 0:
            sheet.write_string(row, 0, EMPTY_NOTE, formats.note)
            row += 1
        finish_table(sheet, len(REGISTER_COLUMNS), done)
        sheet.write_string(
            row + 1,
            0,
            f"Всего записей: {done}; выдано: {counts['выдан']}, дубликатов: "
            f"{counts['дубликат']}, аннулировано: {counts['аннулирован']}.",
            formats.bold,
        )
        progress(done, max(done, total), REGISTER_TITLE)
    log_export(session, "certificate", done, False, target.name)  # the register names people
    return target


# -- the plan-schedule -----------------------------------------------------------------------------

PLAN_COLUMNS = (
    ("Месяц", 12),
    ("Дата начала", 12),
    ("Дата окончания", 12),
    ("Мероприятие", 50),
    ("Форма", 22),
    ("Уровень", 18),
    ("Площадка", 26),
    ("Место проведения", 26),
    ("Ответственный", 20),
    ("В плане", 9),
    ("Проведено", 11),
    ("Зарегистрировано", 12),
    ("Участвовало", 12),
)
FULFILMENT_COLUMNS = (
    ("Месяц", 16),
    ("Запланировано", 14),
    ("Проведено из плана", 14),
    ("Выполнение плана", 12),
    ("Вне плана", 11),
    ("Проведено вне плана", 14),
    ("Участвовало", 12),
)


def _month_name(year: int, month: int, plan_year: int) -> str:
    name = MONTHS_NOMINATIVE[month - 1]
    return name if year == plan_year else f"{name} {year}"


def _percent_text(held: int, planned: int) -> str:
    return f"{round(100 * held / planned)} %" if planned else "—"


def export_plan(
    session: Session, path: Path | str, year: int, *, today: date | None = None
) -> Path:
    """The year's plan-schedule: every event by month (sheet «План-график») and the month by
    month fulfilment with the year's totals (sheet «Выполнение»)."""
    today = today or date.today()
    schedule = plan_schedule(session, year)
    s = schedule.summary
    summary = (
        f"Запланировано: {s.planned}, проведено: {s.held} ({_percent_text(s.held, s.planned)}); "
        f"вне плана: {s.unplanned} (проведено {s.held_unplanned}); "
        f"{plural(s.participants, 'участие', 'участия', 'участий')} педагогов: {s.participants}."
    )
    target = Path(path)
    with (
        atomic_file(target) as temp,
        xlsxwriter.Workbook(str(temp), WORKBOOK_OPTIONS) as book,
    ):
        title = f"План-график мероприятий на {year} год — выгрузка от {short_date(today)}"
        book.set_properties({"title": title, "comments": summary})
        formats = Formats(book)
        sheet = book.add_worksheet("План-график")
        write_heading(
            sheet,
            formats,
            title,
            summary,
            [label for label, _ in PLAN_COLUMNS],
            [width for _, width in PLAN_COLUMNS],
        )
        row = FIRST_DATA_ROW
        for month in schedule.months:
            name = _month_name(month.year, month.month, year)
            for event in month.events:
                _plan_row(sheet, formats, row, name, event)
                row += 1
        done = row - FIRST_DATA_ROW
        if done == 0:
            sheet.write_string(row, 0, EMPTY_NOTE, formats.note)
        finish_table(sheet, len(PLAN_COLUMNS), done)
        _fulfilment_sheet(book, formats, schedule, year, today, summary)
    return target


def _plan_row(sheet: Any, formats: Formats, row: int, month: str, event: PlanEvent) -> None:
    sheet.write_string(row, 0, month)
    sheet.write_number(row, 1, date_serial(event.starts_on), formats.date)
    if event.ends_on:
        sheet.write_number(row, 2, date_serial(event.ends_on), formats.date)
    sheet.write_string(row, 3, event.title)
    sheet.write_string(row, 4, event.form or "")
    sheet.write_string(row, 5, event.level or "")
    if event.platform:
        sheet.write_string(row, 6, event.platform)
    venue = "дистанционно" if event.online and not event.venue else event.venue
    if venue:
        sheet.write_string(row, 7, venue)
    if event.responsible:
        sheet.write_string(row, 8, event.responsible)
    sheet.write_string(row, 9, "да" if event.in_plan else "нет")
    sheet.write_string(row, 10, "да" if event.held else "нет")
    sheet.write_number(row, 11, event.registered)
    sheet.write_number(row, 12, event.attended)


def _fulfilment_sheet(
    book: Any, formats: Formats, schedule: Any, year: int, today: date, summary: str
) -> None:
    sheet = book.add_worksheet("Выполнение")
    write_heading(
        sheet,
        formats,
        f"Выполнение плана-графика на {year} год — выгрузка от {short_date(today)}",
        summary,
        [label for label, _ in FULFILMENT_COLUMNS],
        [width for _, width in FULFILMENT_COLUMNS],
    )
    by_month = {(m.year, m.month): m.events for m in schedule.months}
    keys = sorted(set(by_month) | {(year, m) for m in range(1, 13)})
    row = FIRST_DATA_ROW
    totals = [0, 0, 0, 0, 0]
    for y, m in keys:
        events = by_month.get((y, m), [])
        planned = sum(1 for e in events if e.in_plan)
        held = sum(1 for e in events if e.in_plan and e.held)
        unplanned = sum(1 for e in events if not e.in_plan)
        held_unplanned = sum(1 for e in events if not e.in_plan and e.held)
        attended = sum(e.attended for e in events)
        values = (planned, held, unplanned, held_unplanned, attended)
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        sheet.write_string(row, 0, _month_name(y, m, year))
        sheet.write_number(row, 1, planned)
        sheet.write_number(row, 2, held)
        if planned:
            sheet.write_number(row, 3, held / planned, formats.percent)
        sheet.write_number(row, 4, unplanned)
        sheet.write_number(row, 5, held_unplanned)
        sheet.write_number(row, 6, attended)
        row += 1
    first, last = FIRST_DATA_ROW + 1, row  # 1-based Excel rows of the months
    sheet.write_string(row, 0, "Итого за год", formats.bold)
    for col, value in zip((1, 2, 4, 5, 6), totals, strict=True):
        letter = "ABCDEFG"[col]
        sheet.write_formula(
            row, col, f"=SUM({letter}{first}:{letter}{last})", formats.bold_number, value
        )
    planned, held = totals[0], totals[1]
    if planned:
        sheet.write_formula(
            row, 3, f"=IF(B{row + 1}=0,\"\",C{row + 1}/B{row + 1})", formats.bold_percent,
            held / planned,
        )  # fmt: skip
    finish_table(sheet, len(FULFILMENT_COLUMNS), row - FIRST_DATA_ROW)
