"""A coordinator's own monitoring template: the institute's workbook as it is, plus a mapping
that says which indicator goes to which sheet and cell. The template is filled with openpyxl,
so its look (merged cells, borders, fonts, widths, formulas elsewhere) stays as it was.

The mapping is a sheet «Соответствие» inside the template (removed from the filled file) or,
failing that, a file beside the template with the same name and ``.toml`` or ``.json``::

    Показатель | Лист  | Ячейка | Площадка
    П5         | Форма | E12    |                  ← the total
    П5         | Форма | F12    | МБОУ СОШ № 5     ← one platform
    Площадки   | Форма | B20    | по строкам       ← the platforms' names, downwards from B20
    П5         | Форма | E20    | по строкам       ← their values beside them
    П14        | Форма | C30    | по столбцам      ← rightwards from C30
    Период     | Форма | B3     |

    # the same in TOML
    [[cell]]
    indicator = "П5"
    sheet = "Форма"
    cell = "E12"
    platform = "по строкам"

A breakdown row is named by the code and the group: «П14: муниципальный», «П5: молодые педагоги
(стаж менее 3 лет)», «П2: высшая» (as on the sheet «Разрезы» of the default form); a group the
period's data do not have is written as 0 and listed by the pre-flight.

Besides the indicator codes the keys are «Период», «Дата начала», «Дата окончания»,
«Муниципальное образование», «Район», «Дата формирования», «Площадки» and the plan-vs-fact
totals «Мероприятий запланировано», «Мероприятий проведено из запланированных»,
«Мероприятий проведено вне плана», «% выполнения плана», «Участников мероприятий».

:func:`preflight` lists, before anything is written, what stops the filling (unknown codes,
missing sheets, bad or out-of-sheet cells, merged cells, unknown platforms) and what will be
written as «нет данных»."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
)
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.worksheet.worksheet import Worksheet

from ...errors import UserError
from ...services.monitoring import NO_DATA, Cell, IndicatorValues, MonitoringReport
from ...services.monitoring_breakdowns import BreakdownRow
from ...text import fold
from ..output import atomic_file
from .monitoring import period_text, plan_fact_total

MAPPING_SHEET = "Соответствие"
DOWN, ACROSS = "по строкам", "по столбцам"
PLATFORMS_KEY = "Площадки"
TOTAL_WORDS = {"", "всего", "итого"}
_MAX_ROW, _MAX_COL = 1_048_576, 16_384
_HEADERS = {
    "code": ("показатель", "код", "код показателя"),
    "sheet": ("лист",),
    "cell": ("ячейка", "адрес"),
    "platform": ("площадка", "разрез"),
}


@dataclass(frozen=True)
class MappingRow:
    key: str
    sheet: str
    cell: str
    platform: str = ""
    where: str = ""  # «лист «Соответствие», строка 5» — for messages


@dataclass
class Preflight:
    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # written as «нет данных»
    zeros: list[str] = field(default_factory=list)  # breakdown groups absent from the data

    @property
    def ok(self) -> bool:
        return not self.errors

    def text(self) -> str:
        lines = []
        if self.errors:
            lines.append("Шаблон нельзя заполнить:")
            lines += [f"  • {e}" for e in self.errors]
        if self.missing:
            lines.append(f"Будет записано «{NO_DATA}»:")
            lines += [f"  • {m}" for m in self.missing]
        if self.zeros:
            lines.append("Будет записан 0 (такой группы в данных за период нет):")
            lines += [f"  • {m}" for m in self.zeros]
        return "\n".join(lines)


def _load(template: Path) -> Any:
    if not template.exists():
        raise UserError(f"Шаблон «{template}» не найден.")
    try:
        return openpyxl.load_workbook(template)
    except Exception as exc:  # openpyxl raises several kinds for non-xlsx files
        raise UserError(
            f"Шаблон «{template.name}» не читается как книга Excel (.xlsx): {exc}"
        ) from exc


def _header(rows: list[tuple]) -> tuple[int, dict[str, int | None]]:
    """The row of «Показатель | Лист | Ячейка [| Площадка]» among the first ten."""
    for h, header in enumerate(rows[:10]):
        names = [fold(str(v)) if v is not None else "" for v in header]
        cols = {
            key: next((i for i, n in enumerate(names) if n in variants), None)
            for key, variants in _HEADERS.items()
        }
        if cols["code"] is not None and cols["sheet"] is not None and cols["cell"] is not None:
            return h, cols
    raise UserError(
        f"На листе «{MAPPING_SHEET}» шаблона нет строки заголовка «Показатель | Лист | Ячейка»."
    )


def _mapping_from_sheet(sheet: Worksheet) -> list[MappingRow]:
    rows = list(sheet.iter_rows(values_only=True))
    h, cols = _header(rows)

    def get(row: tuple, key: str) -> str:
        i = cols[key]
        value = row[i] if i is not None and i < len(row) else None
        return "" if value is None else str(value).strip()

    return [
        MappingRow(
            get(row, "code"),
            get(row, "sheet"),
            get(row, "cell"),
            get(row, "platform"),
            f"лист «{MAPPING_SHEET}», строка {n}",
        )
        for n, row in enumerate(rows[h + 1 :], h + 2)
        if get(row, "code")
    ]


def _mapping_from_file(path: Path) -> list[MappingRow]:
    try:
        data = (
            tomllib.loads(path.read_text("utf-8"))
            if path.suffix == ".toml"
            else json.loads(path.read_text("utf-8"))
        )
    except (ValueError, OSError) as exc:
        raise UserError(f"Файл соответствия «{path.name}» не читается: {exc}") from exc
    items = data.get("cell") or data.get("cells") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise UserError(f"В файле соответствия «{path.name}» нет списка ячеек («cell»).")
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise UserError(
                f"Файл соответствия «{path.name}», запись {n}: ожидается таблица полей."
            )
        out.append(
            MappingRow(
                str(item.get("indicator", "")).strip(),
                str(item.get("sheet", "")).strip(),
                str(item.get("cell", "")).strip(),
                str(item.get("platform", "")).strip(),
                f"«{path.name}», запись {n}",
            )
        )
    return out


def read_mapping(template: Path, book: Any) -> list[MappingRow]:
    if MAPPING_SHEET in book.sheetnames:
        return _mapping_from_sheet(book[MAPPING_SHEET])
    for suffix in (".toml", ".json"):
        side = template.with_suffix(suffix)
        if side.exists():
            return _mapping_from_file(side)
    raise UserError(
        f"У шаблона «{template.name}» нет соответствия показателей ячейкам: добавьте в него лист "
        f"«{MAPPING_SHEET}» или положите рядом файл «{template.stem}.toml»."
    )


def _meta(report: MonitoringReport, today: date) -> dict[str, Any]:
    total = plan_fact_total(report.plan_fact)
    return {
        fold("Период"): period_text(report.date_from, report.date_to),
        fold("Дата начала"): report.date_from,
        fold("Дата окончания"): report.date_to,
        fold("Муниципальное образование"): report.municipality or report.district,
        fold("Район"): report.district,
        fold("Дата формирования"): today,
        fold("Мероприятий запланировано"): total.planned,
        fold("Мероприятий проведено из запланированных"): total.held_of_planned,
        fold("Мероприятий проведено вне плана"): total.held_unplanned,
        fold("% выполнения плана"): total.fulfilment,
        fold("Участников мероприятий"): total.participants,
    }


@dataclass
class _Plan:
    """What goes where: (sheet, row, col) → value, built by :func:`preflight`."""

    writes: list[tuple[str, int, int, Any]] = field(default_factory=list)


def _number(value: float | None) -> Any:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _check(report: MonitoringReport, book: Any, mapping: list[MappingRow], today: date):  # type: ignore[no-untyped-def]
    result, plan = Preflight(), _Plan()
    indicators = {fold(i.code): i for i in report.indicators}
    broken_down = {fold(b.code) for b in report.breakdowns}
    indicators.update({_breakdown_key(b.key): _as_indicator(b) for b in report.breakdowns})
    meta = _meta(report, today)
    platforms = {fold(label): pid for pid, label in report.platforms}
    for m in mapping:
        where = f"{m.where}, «{m.key}»"
        key = _breakdown_key(m.key) if ":" in m.key else fold(m.key)
        if ":" in m.key and key not in indicators:
            code = fold(m.key.split(":", 1)[0])
            if code in broken_down:
                zeros = {pid: Cell(0.0) for pid, _ in report.platforms}
                indicators[key] = IndicatorValues(m.key, "", "", zeros, Cell(0.0))
                result.zeros.append(where)
            else:
                result.errors.append(
                    f"{where}: у показателя «{m.key.split(':', 1)[0].strip()}» нет разрезов "
                    "(они есть у " + ", ".join(sorted({b.code for b in report.breakdowns})) + ")."
                )
                continue
        if key not in indicators and key not in meta and key != fold(PLATFORMS_KEY):
            result.errors.append(f"{where}: неизвестный показатель (нет такого кода в перечне).")
            continue
        if m.sheet not in book.sheetnames or m.sheet == MAPPING_SHEET:
            result.errors.append(f"{where}: в шаблоне нет листа «{m.sheet}».")
            continue
        sheet = book[m.sheet]
        try:
            letters, row = coordinate_from_string(m.cell.replace("$", "").upper())
            col = column_index_from_string(letters)
        except (CellCoordinatesException, ValueError):
            result.errors.append(f"{where}: «{m.cell}» — не адрес ячейки (нужно вроде E12).")
            continue
        if row > min(sheet.max_row, _MAX_ROW) or col > min(sheet.max_column, _MAX_COL):
            result.errors.append(
                f"{where}: ячейка {m.cell} вне листа «{m.sheet}» (форма занимает "
                f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row})."
            )
            continue
        mode = fold(m.platform)
        if mode in (DOWN, ACROSS):
            if key in meta:
                result.errors.append(f"{where}: этот ключ не бывает {m.platform}.")
                continue
            targets = [
                (pid, label, (row + k, col) if mode == DOWN else (row, col + k))
                for k, (pid, label) in enumerate(report.platforms)
            ]
        elif key == fold(PLATFORMS_KEY):
            result.errors.append(f"{where}: названия площадок пишутся «{DOWN}» или «{ACROSS}».")
            continue
        elif mode in TOTAL_WORDS:
            targets = [(None, "", (row, col))]
        elif mode in platforms:
            targets = [(platforms[mode], m.platform, (row, col))]
        else:
            result.errors.append(f"{where}: площадки «{m.platform}» нет в отчёте за этот период.")
            continue
        reported = False
        for pid, label, (r, c) in targets:
            if isinstance(sheet.cell(r, c), MergedCell):
                result.errors.append(
                    f"{where}: ячейка {get_column_letter(c)}{r} на листе «{m.sheet}» — часть "
                    "объединённой, писать можно только в её левую верхнюю."
                )
                break
            if key == fold(PLATFORMS_KEY):
                value: Any = label
            elif key in meta:
                value = meta[key]
                if value is None:
                    result.missing.append(f"{where}: нет запланированных мероприятий")
                    value = NO_DATA
            else:
                item = indicators[key]
                if item.missing:
                    if not reported:
                        result.missing.append(f"{where}: {item.missing}")
                        reported = True
                    value = NO_DATA
                else:
                    cell = item.total if pid is None else item.per_platform.get(pid)
                    value = _number(cell.value) if cell else None
            plan.writes.append((m.sheet, r, c, value))
    return result, plan


def _breakdown_key(text: str) -> str:
    """«П14 :  Муниципальный» and «п14: муниципальный» name the same row."""
    code, _, group = text.partition(":")
    return f"{fold(code)}:{fold(group)}"


def _as_indicator(row: BreakdownRow) -> IndicatorValues:
    return IndicatorValues(
        row.key,
        row.group,
        "",
        {pid: Cell(v) for pid, v in row.per_platform.items()},
        Cell(row.total),
    )


def preflight(
    report: MonitoringReport, template: Path | str, today: date | None = None
) -> Preflight:
    """What filling ``template`` would run into; nothing is written."""
    template = Path(template)
    book = _load(template)
    return _check(report, book, read_mapping(template, book), today or date.today())[0]


def fill_template(
    report: MonitoringReport, template: Path | str, out: Path | str, today: date | None = None
) -> Preflight:
    """Fill the template into ``out``; refuses (writing nothing) when the pre-flight has errors.
    Returns the pre-flight, whose ``missing`` the caller shows."""
    template, out = Path(template), Path(out)
    if template.resolve() == out.resolve():
        raise UserError("Заполненная форма не может быть записана поверх шаблона.")
    book = _load(template)
    result, plan = _check(report, book, read_mapping(template, book), today or date.today())
    if not result.ok:
        raise UserError(result.text())
    for sheet_name, row, col, value in plan.writes:
        cell = book[sheet_name].cell(row, col)
        form_format = cell.number_format  # openpyxl sets its own when a date is assigned
        cell.value = value
        if isinstance(value, date):
            cell.number_format = "DD.MM.YYYY" if form_format == "General" else form_format
    if MAPPING_SHEET in book.sheetnames:
        del book[MAPPING_SHEET]
    with atomic_file(out) as temp:
        book.save(temp)
    return result
