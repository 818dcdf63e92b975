"""Package files on the command line: a platform working offline exports its work from its copy
of the database; the district reads and applies the package (services/packages.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cli_documents import parse_date


def add_parsers(sub: Any, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    package = sub.add_parser("package", help="пакет изменений площадки, работающей без сети")
    actions = package.add_subparsers(dest="action", metavar="ДЕЙСТВИЕ", required=True)
    out = actions.add_parser("export", help="записать работу площадки с её копии базы в пакет")
    db_option(out)
    out.add_argument("out", type=Path, metavar="OUT.zip")
    out.add_argument("--platform", type=int, action="append", required=True, metavar="ID",
                     help="площадка (можно несколько раз)")  # fmt: skip
    out.add_argument("--copied-on", type=parse_date, required=True, metavar="ДАТА",
                     help="день, когда площадка получила копию базы")  # fmt: skip
    into = actions.add_parser("import", help="применить пакет площадки к базе района")
    db_option(into)
    into.add_argument("file", type=Path, metavar="FILE.zip")
    into.add_argument("--dry-run", action="store_true", help="только показать, ничего не писать")
    into.add_argument("--take", choices=("district", "package"), default="district",
                      help="при конфликте оставить значения района (по умолчанию) "
                      "или взять из пакета")  # fmt: skip


def cmd_package(args: argparse.Namespace) -> int:
    from .cli_users import open_as_user
    from .services import packages

    db = open_as_user(args)
    try:
        if args.action == "export":
            with db.session() as session:
                counts = packages.export_package(session, args.out, args.platform, args.copied_on)
            total = sum(counts.values())
            print(f"Пакет записан: {args.out} (записей: {total})")
            return 0
        with db.session(write=not args.dry_run) as session:
            plan = packages.read_package(session, args.file)
            for item in plan.of(packages.CONFLICT):
                item.choice = args.take
            print(packages.describe(plan))
            if args.dry_run:
                session.rollback()
                return 0
            done = packages.apply_package(session, plan, actor=db.principal.login)
        print(
            f"Пакет применён: новых записей {done[packages.NEW]}, изменено "
            f"{done[packages.CHANGED]}, конфликтов решено в пользу пакета {done[packages.CONFLICT]}."
        )
        return 0
    finally:
        db.close()


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"package": cmd_package}
