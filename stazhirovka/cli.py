"""The command line (shared/CLI.md): the program's second door, on the same services."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from . import cli_documents as documents
from . import cli_packages as packages
from . import cli_spreadsheets as spreadsheets
from . import cli_users as users
from .errors import UserError

log = logging.getLogger(__name__)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "Использование: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse speaking Russian: headings, help and usage errors (exit code 2)."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "аргументы"
        self._optionals.title = "параметры"
        self.add_argument("-h", "--help", action="help", help="показать эту справку и выйти")

    def error(self, message: str) -> None:  # type: ignore[override]
        message = (
            message.replace("the following arguments are required", "не хватает аргументов")
            .replace("unrecognized arguments", "непонятные аргументы")
            .replace("invalid choice", "недопустимое значение")
            .replace("argument", "аргумент")
            .replace("expected one argument", "нужно одно значение")
            .replace("invalid int value", "не целое число")
            .replace("choose from", "возможны")
        )
        self.print_usage(sys.stderr)
        print(f"Ошибка: {message}", file=sys.stderr)
        raise SystemExit(2)


def _db_option(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # On subcommands the defaults are suppressed, so `stazhirovka --db X init` keeps X.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        default=default,
        metavar="URL",
        help="адрес базы данных SQLAlchemy (sqlite:///файл.db, postgresql+psycopg://…); "
        "по умолчанию STAZHIROVKA_DB или файл в папке данных пользователя",
    )
    parser.add_argument(
        "--debug", action="store_true", help="подробный журнал и трассировка ошибок"
    )
    users.user_option(parser, top)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="stazhirovka",
        description="Стажировка — стажировочные площадки, стажёры, маршруты и сертификаты.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"Стажировка {__version__}",
        help="показать версию и выйти",
    )
    _db_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="КОМАНДА", parser_class=_Parser)

    gui = sub.add_parser("gui", help="открыть окно программы (так же без команды)")
    _db_option(gui)
    gui.add_argument(
        "--demo",
        action="store_true",
        help="сначала заполнить пустую базу демонстрационным районом",
    )

    init = sub.add_parser("init", help="создать или обновить базу данных")
    _db_option(init)

    demo = sub.add_parser("demo", help="заполнить пустую базу демонстрационным районом")
    _db_option(demo)
    demo.add_argument(
        "--scale",
        choices=["district", "region", "nation"],
        default="district",
        help="масштаб: район (по умолчанию), край или страна",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="N",
        help="зерно генератора: то же зерно — те же данные",
    )

    backup = sub.add_parser("backup", help="резервная копия базы данных (можно во время работы)")
    _db_option(backup)
    backup.add_argument("out", metavar="OUT", type=Path, help="файл резервной копии")

    restore = sub.add_parser("restore", help="восстановить базу данных из резервной копии")
    _db_option(restore)
    restore.add_argument("source", metavar="IN", type=Path, help="файл резервной копии")

    from .cli_documents import add_parsers

    add_parsers(sub, _db_option)
    spreadsheets.add_parsers(sub, _db_option)
    users.add_parsers(sub, _db_option)
    packages.add_parsers(sub, _db_option)
    return parser


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return users.open_as_user(args)


def cmd_init(args: argparse.Namespace) -> int:
    from .db import describe, is_sqlite, open_database

    db = open_database(args.db)  # creating or upgrading a schema reads no one's data
    try:
        print(f"База данных готова: {describe(db.url)}")
        if not is_sqlite(db.url) and not db.needs_login:
            _first_administrator(db, getattr(args, "user", None) or "admin")
    finally:
        db.close()
    return 0


def _first_administrator(db, login: str) -> None:  # type: ignore[no-untyped-def]
    """A shared server's database is never left open to anyone who can reach it: its first
    preparation creates the administrator (password from STAZHIROVKA_PASSWORD, stdin or asked)."""
    from .cli_users import read_password
    from .services.users import UserService, has_accounts

    with db.session() as session:
        if has_accounts(session):
            return
        password = read_password(f"Пароль администратора {login}: ", twice=True)
        UserService().add(session, {"login": login, "role": "admin"}, password)
    print(
        f"Создана учётная запись администратора «{login}». Остальных пользователей добавляет он: "
        f"stazhirovka users add ЛОГИН --role … --user {login}"
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from .db import describe
    from .demo import generate

    db = _open(args)
    started = time.perf_counter()

    def progress(stage: str, fraction: float) -> None:
        print(f"\r{fraction:4.0%}  {stage:<60}", end="", file=sys.stderr, flush=True)

    try:
        with db.session() as session:
            summary = generate(session, scale=args.scale, seed=args.seed, progress=progress)
        progress("Статистика для планировщика запросов", 1.0)
        db.analyze()
    finally:
        db.close()
    print(file=sys.stderr)
    print(
        f"Демонстрационные данные записаны в {describe(db.url)} за {time.perf_counter() - started:.1f} с:"
    )
    from .services.labels import TABLE_DEPENDENTS

    for field, number in summary.as_dict().items():
        table = summary._TABLES.get(field, field)
        print(f"  {TABLE_DEPENDENTS.get(table, table)}: {number:,}".replace(",", "\u00a0"))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from .db import resolve_url
    from .services.maintenance import backup_database

    url = resolve_url(args.db)
    db = _open(args)  # a database of ours, up to date; logged in when it has accounts
    try:
        _require_admin(db, "делать резервные копии")
    finally:
        db.close()
    path = backup_database(url, args.out)
    print(f"Резервная копия записана: {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .db import describe, resolve_url
    from .services.maintenance import restore_database

    url = resolve_url(args.db)
    from .db import open_database
    from .errors import DatabaseError

    try:  # who may replace the database is decided by its own accounts
        current = open_database(url)
    except DatabaseError:
        current = None  # a broken or missing database has nothing to protect
    if current is not None:
        try:
            if current.needs_login:
                current.close()
                current = _open(args)
            _require_admin(current, "восстанавливать базу из резервной копии")
        finally:
            current.close()
    safety = restore_database(url, args.source)
    _open(args).close()  # upgrade a restored older schema right away
    print(f"База данных восстановлена из «{args.source}»: {describe(url)}")
    if safety:
        print(f"Прежняя база сохранена в «{safety}».")
    return 0


def _require_admin(db, what: str) -> None:  # type: ignore[no-untyped-def]
    from .models import Role
    from .services.access import AccessError

    who = db.principal
    if who.role not in (None, Role.ADMIN):
        raise AccessError(f"Недостаточно прав: роль «{who.title}» не позволяет {what}.")


def cmd_gui(args: argparse.Namespace) -> int:
    from .ui.app import run_gui

    return run_gui(args.db, demo=getattr(args, "demo", False))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": cmd_gui,
    "init": cmd_init,
    "demo": cmd_demo,
    "backup": cmd_backup,
    "restore": cmd_restore,
    **documents.COMMANDS,
    **spreadsheets.COMMANDS,
    **users.COMMANDS,
    **packages.COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    from .logs import log_file, setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.debug)
    if args.command is None:
        args.command = "gui"
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        log.warning("%s failed: %s", args.command, type(exc).__name__)
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nПрервано.", file=sys.stderr)
        return 130
    except Exception as exc:
        log.exception("Unexpected error in %s", args.command)
        if args.debug:
            raise
        print(
            f"Непредвиденная ошибка ({type(exc).__name__}). Подробности записаны в журнал: {log_file()}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
