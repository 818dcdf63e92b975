"""Several districts' monitoring files (the default form of :mod:`.monitoring`) merged into one
regional file: a column per district and a regional total. Counts are summed; ratios are
recomputed from the summed numerators and denominators (never averaged percentages). A file that
is not a monitoring form of this program, of another form version, of another period or with
another list of indicators is refused with the reason and the file's name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ...errors import UserError
from ...formats import plural
from ...services.monitoring import Cell, IndicatorValues, MonitoringReport, PlanFactRow
from ...services.monitoring_breakdowns import BreakdownRow
from .monitoring import (
    BREAKDOWN_HEADERS,
    BREAKDOWNS_SHEET,
    FORM_KIND,
    FORM_VERSION,
    INDICATORS_SHEET,
    PLAN_FACT_SHEET,
    SERVICE_KEYS,
    SERVICE_SHEET,
    SERVICE_TABLE_ROW,
    period_text,
    write_monitoring,
)
from .style import FIRST_DATA_ROW, HEADER_ROW


@dataclass
class _Total:
    value: float | None
    numerator: float | None
    denominator: float | None
    missing: str
    scale: float = 100


@dataclass
class DistrictFile:
    path: Path
    date_from: date
    date_to: date
    municipality: str
    district: str
    indicators: list[tuple[str, str, str]]  # code, name, unit
    totals: dict[str, _Total]
    plan_fact: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    breakdowns: dict[tuple[str, str, str], float] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.municipality or self.district or self.path.stem


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value in ("", None):
        return None
    if isinstance(value, int | float):
        return float(value)
    raise ValueError(value)


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def read_district_file(path: Path | str) -> DistrictFile:
    """Read and check one district's monitoring file; a :class:`UserError` names the file."""
    path = Path(path)
    name = f"«{path.name}»"
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own errors for unreadable files
        raise UserError(f"Файл {name} не читается как книга Excel ({exc}).") from exc
    if SERVICE_SHEET not in book.sheet_names:
        raise UserError(
            f"Файл {name} — не файл мониторинга: в нём нет листа «{SERVICE_SHEET}» с отметкой формы."
        )
    service = book.get_sheet_by_name(SERVICE_SHEET).to_python()
    meta = {str(row[0]).strip(): row[1] for row in service[: len(SERVICE_KEYS)] if len(row) > 1}
    if meta.get("Форма") != FORM_KIND:
        raise UserError(
            f"Файл {name} — не файл мониторинга этой программы: на листе «{SERVICE_SHEET}» "
            "нет отметки формы."
        )
    version = str(meta.get("Версия формы", "")).strip()
    if version != FORM_VERSION:
        raise UserError(
            f"Файл {name} сделан по другой версии формы («{version or 'не указана'}»), "
            f"а сводится версия «{FORM_VERSION}»: попросите район сформировать его заново."
        )
    date_from, date_to = _as_date(meta.get("Дата начала")), _as_date(meta.get("Дата окончания"))
    if date_from is None or date_to is None:
        raise UserError(f"Файл {name}: на листе «{SERVICE_SHEET}» не указан период.")
    if INDICATORS_SHEET not in book.sheet_names:
        raise UserError(f"Файл {name}: нет листа «{INDICATORS_SHEET}».")
    indicators = [
        (str(r[0]).strip(), str(r[1]).strip(), str(r[2]).strip())
        for r in book.get_sheet_by_name(INDICATORS_SHEET).to_python()[FIRST_DATA_ROW:]
        if len(r) > 2 and str(r[0]).strip()
    ]
    totals: dict[str, _Total] = {}
    for i, row in enumerate(service[SERVICE_TABLE_ROW + 1 :], SERVICE_TABLE_ROW + 2):
        row = [*row, "", "", "", "", "", ""]
        code = str(row[0]).strip()
        if not code:
            continue
        try:
            totals[code] = _Total(
                _number(row[1]),
                _number(row[2]),
                _number(row[3]),
                str(row[4]).strip(),
                _number(row[5]) or 100,
            )
        except ValueError:
            raise UserError(
                f"Файл {name}: на листе «{SERVICE_SHEET}» в строке {i} для показателя {code} "
                "вместо числа текст — файл, видимо, правили вручную."
            ) from None
    unknown = [code for code, _, _ in indicators if code not in totals]
    if unknown:
        raise UserError(
            f"Файл {name}: на листе «{SERVICE_SHEET}» нет итогов показателей {', '.join(unknown)}."
        )
    plan_fact: dict[str, tuple[int, int, int, int]] = {}
    if PLAN_FACT_SHEET in book.sheet_names:
        for r in book.get_sheet_by_name(PLAN_FACT_SHEET).to_python()[FIRST_DATA_ROW:]:
            level = str(r[0]).strip() if r else ""
            if not level or level == "Всего" or len(r) < 6:
                continue
            nums = [_number(r[c]) or 0 for c in (1, 2, 4, 5)]
            plan_fact[level] = tuple(int(n) for n in nums)  # type: ignore[assignment]
    return DistrictFile(
        path,
        date_from,
        date_to,
        str(meta.get("Муниципальное образование") or "").strip(),
        str(meta.get("Район") or "").strip(),
        indicators,
        totals,
        plan_fact,
        _read_breakdowns(book, name),
    )


def _read_breakdowns(book: Any, name: str) -> dict[tuple[str, str, str], float]:
    """«Разрезы»: (code, breakdown, group) → the «Всего» column (a file without the sheet has
    no breakdowns to add)."""
    if BREAKDOWNS_SHEET not in book.sheet_names:
        return {}
    rows = book.get_sheet_by_name(BREAKDOWNS_SHEET).to_python()
    header = [str(v).strip() for v in rows[HEADER_ROW]] if len(rows) > HEADER_ROW else []
    if header[: len(BREAKDOWN_HEADERS)] != BREAKDOWN_HEADERS or "Всего" not in header:
        raise UserError(
            f"Файл {name}: на листе «{BREAKDOWNS_SHEET}» нет заголовка "
            f"«{' | '.join(BREAKDOWN_HEADERS)} | … | Всего» — лист, видимо, правили вручную."
        )
    total_col = header.index("Всего")
    out: dict[tuple[str, str, str], float] = {}
    for i, r in enumerate(rows[FIRST_DATA_ROW:], FIRST_DATA_ROW + 1):
        r = [*r, *[""] * (total_col + 1)]
        key = (str(r[0]).strip(), str(r[1]).strip(), str(r[2]).strip())
        if not key[0]:
            continue
        try:
            out[key] = out.get(key, 0.0) + (_number(r[total_col]) or 0.0)
        except ValueError:
            raise UserError(
                f"Файл {name}: на листе «{BREAKDOWNS_SHEET}» в строке {i} в столбце «Всего» "
                "вместо числа текст."
            ) from None
    return out


def _check_same(files: list[DistrictFile]) -> None:
    first = files[0]
    seen: dict[str, DistrictFile] = {}
    for other in files:
        if (other.date_from, other.date_to) != (first.date_from, first.date_to):
            raise UserError(
                f"Файл «{other.path.name}» — за период {period_text(other.date_from, other.date_to)}, "
                f"а «{first.path.name}» — за период {period_text(first.date_from, first.date_to)}: "
                "сводятся только файлы за один и тот же период."
            )
        codes, first_codes = (
            [c for c, _, _ in other.indicators],
            [c for c, _, _ in first.indicators],
        )
        if codes != first_codes:
            extra = sorted(set(codes) ^ set(first_codes)) or ["порядок показателей"]
            raise UserError(
                f"В файле «{other.path.name}» другой перечень показателей, чем в "
                f"«{first.path.name}» (расходятся: {', '.join(extra)})."
            )
        key = other.label.casefold()
        if key in seen:
            raise UserError(
                f"Файлы «{seen[key].path.name}» и «{other.path.name}» — от одного района "
                f"(«{other.label}»): каждый район сводится один раз."
            )
        seen[key] = other


def consolidate(files: list[DistrictFile]) -> MonitoringReport:
    """The regional report: a column per district, totals recomputed."""
    if not files:
        raise UserError("Не указано ни одного файла мониторинга для сводки.")
    _check_same(files)
    first = files[0]
    columns = [(i, f.label) for i, f in enumerate(files)]
    indicators: list[IndicatorValues] = []
    for code, name, unit in first.indicators:
        item = IndicatorValues(code, name, unit)
        totals = [f.totals[code] for f in files]
        lacking = [f.path.name for f, t in zip(files, totals, strict=True) if t.missing]
        ratio = [t.denominator is not None for t in totals if not t.missing]
        if lacking:
            reason = totals[0].missing if len(lacking) == len(files) else ""
            item.missing = reason or f"нет данных в файлах: {', '.join(lacking)}"
        elif any(ratio) and not all(ratio):
            item.missing = "в части файлов нет числителя и знаменателя доли"
        elif unit.strip() == "%" and not any(ratio):
            item.missing = "долю нельзя пересчитать: в файлах нет её числителя и знаменателя"
        elif len({t.scale for t in totals}) > 1:
            item.missing = "в файлах показатель посчитан по-разному (доля и среднее)"
        elif all(ratio) and ratio:
            scale = totals[0].scale
            item.per_platform = {
                i: Cell.ratio(t.numerator or 0, t.denominator or 0, scale)
                for i, t in enumerate(totals)
            }
            item.total = Cell.ratio(
                sum(t.numerator or 0 for t in totals),
                sum(t.denominator or 0 for t in totals),
                scale,
            )
        else:
            item.per_platform = {i: Cell(t.value or 0) for i, t in enumerate(totals)}
            item.total = Cell(sum(t.value or 0 for t in totals))
        indicators.append(item)
    levels: list[str] = []
    for f in files:
        levels += [level for level in f.plan_fact if level not in levels]
    plan_fact = [
        PlanFactRow(
            level,
            *(sum(f.plan_fact.get(level, (0, 0, 0, 0))[k] for f in files) for k in range(4)),
        )
        for level in levels
    ]
    keys: dict[tuple[str, str, str], None] = {}
    for f in files:  # every district's groups, in the order first seen
        keys.update(dict.fromkeys(f.breakdowns))
    parts = [
        BreakdownRow(
            *key,
            {i: f.breakdowns.get(key, 0.0) for i, f in enumerate(files)},
            sum(f.breakdowns.get(key, 0.0) for f in files),
        )
        for key in keys
    ]
    district = f"сводка по {len(files)} {plural(len(files), 'району', 'районам', 'районам')}"
    return MonitoringReport(
        first.date_from, first.date_to, "", district, columns, indicators, plan_fact, parts
    )


def consolidate_files(
    out: Path | str, paths: list[Path | str], today: date | None = None
) -> MonitoringReport:
    """Read, check and merge the files; nothing is written unless every file passes."""
    out = Path(out)
    if any(Path(p).resolve() == out.resolve() for p in paths):
        raise UserError(f"Сводный файл «{out.name}» не может быть одним из сводимых файлов.")
    report = consolidate([read_district_file(p) for p in paths])
    n = len(paths)
    title = (
        f"Сводный мониторинг стажировочных площадок: {n} "
        f"{plural(n, 'район', 'района', 'районов')} за период "
        f"{period_text(report.date_from, report.date_to)}"
    )
    write_monitoring(report, out, title=title, column_header="Районы", today=today)
    return report
