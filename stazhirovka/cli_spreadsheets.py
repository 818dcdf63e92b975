"""Command-line doors to the spreadsheets (shared/CLI.md): exports, imports, the monitoring form
for the regional institute and the consolidation of districts' monitoring files. Each group of
commands lives in its own section below and registers itself in :func:`add_parsers` and
``COMMANDS``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cli_documents import parse_date

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def add_parsers(sub: Any, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    add_monitoring_parsers(sub, db_option)
    add_consolidate_parser(sub)
    add_export_parsers(sub, db_option)
    add_import_parser(sub, db_option)


def _open(args: argparse.Namespace) -> Any:
    from .cli_users import open_as_user

    return open_as_user(args)


# --- monitoring form and consolidation (issue 5, items 2 and 3) -------------------------------


def add_monitoring_parsers(sub: Any, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    monitoring = sub.add_parser(
        "monitoring", help="форма мониторинга для регионального института (только сводные числа)"
    )
    db_option(monitoring)
    monitoring.add_argument("--from", dest="date_from", type=parse_date, required=True,
                            metavar="ДАТА", help="начало периода")  # fmt: skip
    monitoring.add_argument("--to", dest="date_to", type=parse_date, required=True,
                            metavar="ДАТА", help="конец периода")  # fmt: skip
    monitoring.add_argument("out", type=Path, metavar="OUT.xlsx", help="файл формы")
    monitoring.add_argument("--municipality", metavar="НАЗВАНИЕ",
                            help="только площадки одного муниципального образования")  # fmt: skip
    add_monitoring_template_option(monitoring)


def cmd_monitoring(args: argparse.Namespace) -> int:
    from .reports.xlsx.monitoring import write_monitoring
    from .services.monitoring import build_report

    db = _open(args)
    try:
        with db.session() as session:
            report = build_report(session, args.date_from, args.date_to, args.municipality)
    finally:
        db.close()
    if getattr(args, "template", None):
        return _fill_monitoring_template(report, args.template, args.out)
    path = write_monitoring(report, args.out)
    missing = [i.code for i in report.indicators if i.missing]
    print(
        f"Форма мониторинга записана: {path} (площадок: {len(report.platforms)}, "
        f"показателей: {len(report.indicators)}, из них без данных: {len(missing)}; "
        f"строк в разрезах: {len(report.breakdowns)})"
    )
    return 0


COMMANDS.update({"monitoring": cmd_monitoring})


def add_monitoring_template_option(monitoring: argparse.ArgumentParser) -> None:
    monitoring.add_argument("--template", type=Path, metavar="FILE.xlsx",
                            help="заполнить свой шаблон: лист «Соответствие» в нём "
                            "или файл FILE.toml рядом")  # fmt: skip


def _fill_monitoring_template(report: Any, template: Path, out: Path) -> int:
    import sys

    from .reports.xlsx.template import fill_template

    result = fill_template(report, template, out)
    if result.missing or result.zeros:
        print(result.text(), file=sys.stderr)
    print(
        f"Шаблон «{template.name}» заполнен: {out} (площадок: {len(report.platforms)}, "
        f"без данных: {len(result.missing)})"
    )
    return 0


# --- export of registries and registers (issue 5, items 1 and 4) ------------------------------

EXPORT_REGISTRIES = (
    "organizations",
    "persons",
    "platforms",
    "masters",
    "programs",
    "internships",
    "events",
    "certificates",
    "products",
    "agreements",
)


def add_export_parsers(sub: Any, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    export = sub.add_parser(
        "export",
        help="выгрузить реестр в Excel (XLSX) так, как он отобран на экране",
        description="Выгружает реестр в XLSX: " + ", ".join(EXPORT_REGISTRIES) + " (и любой "
        "другой реестр программы). Заголовок, отбор, закреплённая шапка, автофильтр, "
        "даты и числа — настоящие. Ещё два реестра-документа: certificate-register "
        "(журнал регистрации выданных сертификатов, --from ДАТА --to ДАТА) и plan "
        "(план-график с выполнением, --year Y).",
    )
    db_option(export)
    export.add_argument(
        "registry", metavar="REGISTRY", help="реестр: " + ", ".join(EXPORT_REGISTRIES)
    )
    export.add_argument("out", type=Path, metavar="OUT.xlsx", help="файл XLSX")
    export.add_argument("--search", default="", metavar="TEXT", help="строка поиска, как в окне")
    export.add_argument(
        "--filter",
        dest="filters",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="фильтр реестра (можно несколько): sex=F, organization_id=12 или "
        "organization_id=«название», young=да, year=2026",
    )
    export.add_argument(
        "--masked",
        action="store_true",
        help="скрыть контактные данные (телефон +7 (***) ***-12-34, почта i***@mail.ru)",
    )
    export.add_argument("--from", dest="date_from", type=parse_date, metavar="ДАТА",
                        help="certificate-register: выданные с этой даты")  # fmt: skip
    export.add_argument("--to", dest="date_to", type=parse_date, metavar="ДАТА",
                        help="certificate-register: выданные по эту дату")  # fmt: skip
    export.add_argument("--year", type=int, metavar="Y",
                        help="plan: год плана-графика (по умолчанию текущий)")  # fmt: skip


def _filter_value(session: Any, registry: Any, key: str, text: str) -> Any:
    """A filter's value from the command line, as the window would hold it."""
    from .errors import UserError
    from .services.registry import RegistryQuery, fetch_ids, fetch_rows, get_registry
    from .text import fold

    flt = registry.filter(key)
    text = text.strip()
    where = f"фильтр «{key}» ({flt.label})"
    if flt.kind == "ref":
        if text.isdigit():
            return int(text)
        ids = fetch_ids(session, flt.ref, RegistryQuery(search=text), limit=50)
        if len(ids) == 1:
            return ids[0]
        first = get_registry(flt.ref).columns[0].key
        exact = [
            r["id"] for r in fetch_rows(session, flt.ref, ids) if fold(str(r[first])) == fold(text)
        ]
        if len(exact) == 1:
            return exact[0]
        if not ids:
            raise UserError(f"{where}: «{text}» не найдено.")
        raise UserError(f"{where}: «{text}» подходит к нескольким записям — укажите номер (ID).")
    if flt.kind == "enum":
        for value, label in flt.choices.items():
            if fold(text) in (fold(value), fold(label)):
                return value
        starting = [v for v, label in flt.choices.items() if fold(label).startswith(fold(text))]
        if text and len(starting) == 1:
            return starting[0]
        known = ", ".join(f"{v} ({label})" for v, label in flt.choices.items())
        raise UserError(f"{where}: значения «{text}» нет. Возможны: {known}.")
    if flt.kind == "bool":
        if fold(text) in ("да", "1", "true", "yes"):
            return True
        if fold(text) in ("нет", "0", "false", "no"):
            return False
        raise UserError(f"{where}: нужно «да» или «нет», а не «{text}».")
    if flt.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise UserError(f"{where}: «{text}» — не целое число.") from None
    if flt.kind == "date":
        try:
            return parse_date(text)
        except argparse.ArgumentTypeError as exc:
            raise UserError(f"{where}: {exc}.") from None
    return text


def _export_query(session: Any, registry: Any, args: argparse.Namespace) -> Any:
    from .errors import UserError
    from .services.registry import RegistryQuery

    filters: dict[str, Any] = {}
    for item in args.filters:
        key, eq, value = item.partition("=")
        key = key.strip()
        known = ", ".join(f"{f.key} ({f.label})" for f in registry.filters) or "нет"
        if not eq or not key:
            raise UserError(f"Фильтр «{item}» не понят: нужно КЛЮЧ=ЗНАЧЕНИЕ. Фильтры: {known}.")
        if key not in {f.key for f in registry.filters}:
            raise UserError(f"В реестре «{registry.title}» нет фильтра «{key}». Фильтры: {known}.")
        filters[key] = _filter_value(session, registry, key, value)
    return RegistryQuery(search=args.search or "", filters=filters, limit=0)


def _unknown_registry(name: str) -> Exception:
    from .errors import UserError
    from .services.registry import get_registry, registry_names

    others = sorted(set(registry_names()) - set(EXPORT_REGISTRIES))
    listed = "; ".join(f"{n} ({get_registry(n).title})" for n in EXPORT_REGISTRIES)
    extra = "; ".join(others)
    return UserError(
        f"Неизвестный реестр «{name}». Можно выгрузить: {listed}; "
        f"журнал регистрации сертификатов (certificate-register) и план-график (plan); "
        f"а также справочники и прочие реестры: {extra}."
    )


def cmd_export(args: argparse.Namespace) -> int:
    from .cli_documents import _progress
    from .formats import plural
    from .reports.xlsx.export import export_registry
    from .services.registry import count, get_registry, registry_names

    if args.registry in EXPORT_REGISTERS:
        return EXPORT_REGISTERS[args.registry](args)
    if args.registry not in registry_names():
        raise _unknown_registry(args.registry)
    registry = get_registry(args.registry)
    db = _open(args)
    try:
        with db.session() as session:
            query = _export_query(session, registry, args)
            total = count(session, args.registry, query)
            path = export_registry(
                session, args.registry, args.out, query, masked=args.masked, progress=_progress
            )
    finally:
        db.close()
    rows = plural(total, "строка", "строки", "строк")
    print(f"{registry.title}: {total} {rows} → {path}")
    return 0


def _export_certificate_register(args: argparse.Namespace) -> int:
    from .cli_documents import _progress
    from .errors import UserError
    from .formats import plural, short_date
    from .reports.xlsx.registers import export_certificate_register

    if args.date_from is None or args.date_to is None:
        raise UserError("Для журнала регистрации сертификатов укажите период: --from и --to.")
    db = _open(args)
    try:
        with db.session() as session:
            done: list[int] = [0]

            def progress(n: int, total: int, text: str = "") -> None:
                done[0] = n
                _progress(n, total, text)

            path = export_certificate_register(
                session, args.out, args.date_from, args.date_to, progress=progress
            )
    finally:
        db.close()
    n = done[0]
    print(
        f"Журнал регистрации сертификатов с {short_date(args.date_from)} по "
        f"{short_date(args.date_to)}: {n} {plural(n, 'запись', 'записи', 'записей')} → {path}"
    )
    return 0


def _export_plan(args: argparse.Namespace) -> int:
    from datetime import date

    from .reports.xlsx.registers import export_plan

    year = args.year or date.today().year
    db = _open(args)
    try:
        with db.session() as session:
            path = export_plan(session, args.out, year)
    finally:
        db.close()
    print(f"План-график на {year} год с выполнением → {path}")
    return 0


EXPORT_REGISTERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "certificate-register": _export_certificate_register,
    "plan": _export_plan,
}

COMMANDS.update({"export": cmd_export})


def add_consolidate_parser(sub: Any) -> None:
    consolidate = sub.add_parser(
        "consolidate", help="свести файлы мониторинга нескольких районов в один региональный"
    )
    consolidate.add_argument("out", type=Path, metavar="OUT.xlsx", help="сводный файл")
    consolidate.add_argument("files", type=Path, nargs="+", metavar="FILE.xlsx",
                             help="файлы мониторинга районов")  # fmt: skip


def cmd_consolidate(args: argparse.Namespace) -> int:
    from .reports.xlsx.consolidate import consolidate_files

    report = consolidate_files(args.out, args.files)
    print(
        f"Сводный файл записан: {args.out} (районов: {len(report.platforms)}, "
        f"показателей: {len(report.indicators)})"
    )
    return 0


COMMANDS.update({"consolidate": cmd_consolidate})


# --- import of existing registries (issue 5, item 5) -----------------------------------------


# Named here, not taken from services.imports: building the parser runs on every start of
# the program (the window too) and must not import SQLAlchemy (a test keeps them equal).
IMPORT_KINDS = ("organizations", "persons", "internships")


def add_import_parser(sub: Any, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    importing = sub.add_parser(
        "import", help="загрузить реестр из Excel (организации, педагоги, стажировки)"
    )
    db_option(importing)
    importing.add_argument("kind", choices=IMPORT_KINDS, metavar="ВИД",
                           help="organizations, persons или internships")  # fmt: skip
    importing.add_argument("file", type=Path, metavar="FILE.xlsx", help="файл Excel")
    importing.add_argument("--dry-run", action="store_true",
                           help="только показать, что будет загружено, ничего не записывая")  # fmt: skip
    importing.add_argument("--errors", type=Path, metavar="OUT.xlsx",
                           help="записать отклонённые строки с причинами в этот файл")  # fmt: skip
    importing.add_argument("--json", action="store_true",
                           help='вывести итог одним объектом JSON: {"rows", "imported", '
                           '"duplicates", "rejected"}')  # fmt: skip
    importing.add_argument("--duplicates", choices=("skip", "merge"), default="skip",
                           help="повторы: пропустить (по умолчанию) или дополнить ими "
                           "найденную запись")  # fmt: skip
    importing.add_argument("--sheet", metavar="ЛИСТ", help="лист (по умолчанию первый)")
    importing.add_argument("--column", action="append", default=[], metavar="N=ПОЛЕ",
                           help="указать, что столбец № N — это ПОЛЕ (или «-»: не загружать); "
                           "можно несколько")  # fmt: skip


def _import_mapping(table: Any, kind: str, columns: list[str]) -> Any:
    from .errors import UserError
    from .services.imports import map_columns
    from .services.imports.columns import KINDS

    mapping = map_columns(table.headers, kind)
    for item in columns:
        number, _, name = item.partition("=")
        if not number.strip().isdigit() or not name.strip():
            raise UserError(f"«--column {item}»: нужно N=ПОЛЕ, например 3=phone.")
        field = name.strip()
        if field not in ("-", *KINDS[kind]):
            known = ", ".join(f"{k} ({v})" for k, v in KINDS[kind].items())
            raise UserError(f"Поля «{field}» нет; возможны: {known}.")
        mapping = mapping.assign(int(number) - 1, None if field == "-" else field)
    return mapping


def cmd_import(args: argparse.Namespace) -> int:
    import json
    import sys

    from .services.imports import apply_plan, build_plan, read_table, write_errors

    sheet: int | str = args.sheet if args.sheet else 0
    table = read_table(args.file, sheet=sheet)
    mapping = _import_mapping(table, args.kind, args.column)
    db = _open(args)
    try:
        with db.session(write=not args.dry_run) as session:
            plan = build_plan(session, table, mapping)
            plan.choose_all(args.duplicates)
            counts = plan.counts
            summary = {
                "rows": counts["rows"],
                "imported": 0,
                "duplicates": counts["duplicates"],
                "rejected": counts["rejected"],
            }
            if args.dry_run:
                summary["would_import"] = counts["create"]
                session.rollback()
            else:
                result = apply_plan(session, plan)
                summary = result.as_json()
    finally:
        db.close()
    if args.errors:
        write_errors(plan, args.errors)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(plan.describe())
    if args.dry_run:
        print("Пробный прогон: в базу ничего не записано.")
    else:
        print(f"Загружено: {summary['imported']} из {summary['rows']}; повторов: "
              f"{summary['duplicates']}; отклонено: {summary['rejected']}.")  # fmt: skip
    if args.errors:
        print(f"Отклонённые строки с причинами: {args.errors}", file=sys.stderr)
    return 0


COMMANDS.update({"import": cmd_import})
