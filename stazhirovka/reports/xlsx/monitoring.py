"""The default monitoring form (XLSX) for the regional institute: «Показатели» (code, name, unit,
a value per platform and «Всего»), «Разрезы» (the indicators' breakdowns: code, breakdown,
group, the same columns), «План-факт мероприятий», and a hidden sheet «Служебный» with
the form version, period, municipality and district and the totals' numerators and
denominators — what :mod:`.consolidate` recognises and sums. Aggregates only, no names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlsxwriter

from ...formats import short_date
from ...services.monitoring import NO_DATA, Cell, MonitoringReport, PlanFactRow
from ..output import atomic_file
from .style import FIRST_DATA_ROW, WORKBOOK_OPTIONS, Formats, finish_table, write_heading

FORM_KIND = "stazhirovka-monitoring"
FORM_VERSION = "1"
INDICATORS_SHEET = "Показатели"
BREAKDOWNS_SHEET = "Разрезы"
BREAKDOWN_HEADERS = ["Код", "Разрез", "Группа"]
PLAN_FACT_SHEET = "План-факт мероприятий"
SERVICE_SHEET = "Служебный"
PLAN_FACT_HEADERS = [
    "Уровень",
    "Запланировано",
    "Проведено из запланированных",
    "% выполнения",
    "Проведено вне плана",
    "Участников",
]
SERVICE_TABLE_HEADERS = ["Код", "Значение", "Числитель", "Знаменатель", "Нет данных", "Множитель"]
# «Служебный»: key/value rows, then from this row the table of totals.
SERVICE_KEYS = (
    "Форма",
    "Версия формы",
    "Дата начала",
    "Дата окончания",
    "Муниципальное образование",
    "Район",
    "Сформировано",
)
SERVICE_TABLE_ROW = len(SERVICE_KEYS) + 1


def period_text(date_from: date, date_to: date) -> str:
    return f"с {short_date(date_from)} по {short_date(date_to)}"


def default_title(report: MonitoringReport) -> str:
    where = report.municipality or report.district
    suffix = f" — {where}" if where else ""
    return f"Мониторинг стажировочных площадок{suffix} за период {period_text(report.date_from, report.date_to)}"


def _write_cell(sheet, row: int, col: int, cell: Cell, fmt) -> None:  # type: ignore[no-untyped-def]
    if cell.value is not None:
        sheet.write_number(row, col, cell.value, fmt)


def write_monitoring(
    report: MonitoringReport,
    path: Path | str,
    *,
    title: str | None = None,
    column_header: str = "Площадки",
    today: date | None = None,
) -> Path:
    """Write the default form; the file appears whole or not at all."""
    today = today or date.today()
    target = Path(path)
    with atomic_file(target) as temp:
        book = xlsxwriter.Workbook(str(temp), WORKBOOK_OPTIONS)
        fmt = Formats(book)
        one_decimal = book.add_format({"num_format": "0.0"})
        bold_decimal = book.add_format({"bold": True, "num_format": "0.0"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        note = (
            f"{column_header}: {len(report.platforms)}; "
            f"муниципальное образование: {report.municipality or 'все'}; "
            f"сформировано {short_date(today)}. Только сводные числа, без персональных данных."
        )

        sheet = book.add_worksheet(INDICATORS_SHEET)
        labels = [label for _, label in report.platforms]
        headers = ["Код", "Показатель", "Ед.", *labels, "Всего", "Примечание"]
        widths = [7, 60, 8] + [max(12, min(len(x) + 2, 30)) for x in labels] + [12, 40]
        write_heading(sheet, fmt, title or default_title(report), note, headers, widths)
        total_col = 3 + len(labels)
        for i, item in enumerate(report.indicators):
            row = FIRST_DATA_ROW + i
            sheet.write_string(row, 0, item.code)
            sheet.write_string(row, 1, item.name, wrap)
            sheet.write_string(row, 2, item.unit)
            if item.missing:
                sheet.write_string(row, total_col, NO_DATA, fmt.bold)
                sheet.write_string(row, total_col + 1, item.missing, wrap)
                continue
            for j, (pid, _) in enumerate(report.platforms):
                cell = item.per_platform.get(pid, Cell())
                _write_cell(sheet, row, 3 + j, cell, one_decimal if cell.is_ratio else fmt.number)
            total = item.total
            _write_cell(
                sheet, row, total_col, total, bold_decimal if total.is_ratio else fmt.bold_number
            )
            if total.is_ratio:
                sheet.write_string(row, total_col + 1, _ratio_note(total))
        finish_table(sheet, len(headers), len(report.indicators))

        if report.breakdowns:
            parts = book.add_worksheet(BREAKDOWNS_SHEET)
            headers = [*BREAKDOWN_HEADERS, *labels, "Всего"]
            widths = [7, 26, 44] + [max(12, min(len(x) + 2, 30)) for x in labels] + [12]
            write_heading(
                parts,
                fmt,
                f"Показатели в разрезах за период {period_text(report.date_from, report.date_to)}",
                note,
                headers,
                widths,
            )
            for i, b in enumerate(report.breakdowns):
                row = FIRST_DATA_ROW + i
                parts.write_string(row, 0, b.code)
                parts.write_string(row, 1, b.dimension)
                parts.write_string(row, 2, b.group, wrap)
                for j, (pid, _) in enumerate(report.platforms):
                    parts.write_number(row, 3 + j, b.per_platform.get(pid, 0), fmt.number)
                parts.write_number(row, 3 + len(labels), b.total, fmt.bold_number)
            finish_table(parts, len(headers), len(report.breakdowns))

        plan = book.add_worksheet(PLAN_FACT_SHEET)
        write_heading(
            plan,
            fmt,
            f"План-факт мероприятий площадок за период {period_text(report.date_from, report.date_to)}",
            note,
            PLAN_FACT_HEADERS,
            [20, 15, 18, 14, 16, 13],
        )
        rows = list(report.plan_fact)
        for i, pf in enumerate([*rows, plan_fact_total(rows)]):
            last = i == len(rows)
            row = FIRST_DATA_ROW + i
            plan.write_string(row, 0, pf.level, fmt.bold if last else None)
            for col, n in enumerate(
                (pf.planned, pf.held_of_planned, None, pf.held_unplanned, pf.participants), 1
            ):
                if n is not None:
                    plan.write_number(row, col, n, fmt.bold_number if last else fmt.number)
            if pf.fulfilment is not None:
                plan.write_number(row, 3, pf.fulfilment, bold_decimal if last else one_decimal)
        finish_table(plan, len(PLAN_FACT_HEADERS), len(rows))

        service = book.add_worksheet(SERVICE_SHEET)
        service.set_column(0, 0, 28)
        service.set_column(1, 4, 16)
        values = (
            FORM_KIND,
            FORM_VERSION,
            report.date_from,
            report.date_to,
            report.municipality,
            report.district,
            today,
        )
        for row, (key, value) in enumerate(zip(SERVICE_KEYS, values, strict=True)):
            service.write_string(row, 0, key, fmt.bold)
            if isinstance(value, date):
                service.write_datetime(row, 1, value, fmt.date)
            else:
                service.write_string(row, 1, value)
        for col, header in enumerate(SERVICE_TABLE_HEADERS):
            service.write_string(SERVICE_TABLE_ROW, col, header, fmt.header)
        for i, item in enumerate(report.indicators, 1):
            row = SERVICE_TABLE_ROW + i
            service.write_string(row, 0, item.code)
            if item.missing:
                service.write_string(row, 4, item.missing)
                continue
            total = item.total
            if total.value is not None:
                service.write_number(row, 1, total.value)
            if total.is_ratio:
                service.write_number(row, 2, total.numerator or 0)
                service.write_number(row, 3, total.denominator or 0)
                service.write_number(row, 5, total.scale)
        service.hide()
        service.protect()
        book.close()
    return target


def _ratio_note(cell: Cell) -> str:
    if cell.scale == 100:
        return f"{_num(cell.numerator)} из {_num(cell.denominator)}"
    return f"среднее по {_num(cell.denominator)}"


def _num(value: float | None) -> str:
    value = value or 0
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def plan_fact_total(rows: list[PlanFactRow]) -> PlanFactRow:
    return PlanFactRow(
        "Всего",
        sum(r.planned for r in rows),
        sum(r.held_of_planned for r in rows),
        sum(r.held_unplanned for r in rows),
        sum(r.participants for r in rows),
    )
