"""Accounts on the command line (shared/CLI.md): ``users add|list|passwd|disable``, and the
login every data command makes on a database that has accounts (``--user LOGIN``, the
password from ``STAZHIROVKA_PASSWORD`` or a prompt)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any

from .errors import UserError

PASSWORD_VARIABLE = "STAZHIROVKA_PASSWORD"
ROLES = ("admin", "methodologist", "platform-head", "coordinator")


def user_option(parser: argparse.ArgumentParser, top: bool = False) -> None:
    parser.add_argument(
        "--user",
        default=None if top else argparse.SUPPRESS,
        metavar="LOGIN",
        help=f"войти под этим логином (пароль — из {PASSWORD_VARIABLE} или с клавиатуры); "
        "нужно, когда в базе есть учётные записи",
    )


def open_as_user(args: argparse.Namespace) -> Any:
    """Open ``--db`` and, when it has accounts, log in as ``--user``."""
    from .db import open_database

    db = open_database(args.db)
    try:
        login = getattr(args, "user", None)
        if db.needs_login or (login and login != db.principal.login and db.principal.role):
            if not login:
                raise UserError(
                    "В базе есть учётные записи: укажите --user ЛОГИН (пароль — в переменной "
                    f"{PASSWORD_VARIABLE} или с клавиатуры)."
                )
            db.login(login, read_password(f"Пароль пользователя {login}: "))
    except BaseException:
        db.close()
        raise
    return db


def read_password(prompt: str, twice: bool = False) -> str:
    """From the environment, else from stdin when it is not a terminal, else asked."""
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if twice and getpass.getpass("Ещё раз: ") != first:
        raise UserError("Пароли не совпадают.")
    return first


def add_parsers(sub: Any, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    users = sub.add_parser("users", help="учётные записи: добавить, список, пароль, отключить")
    actions = users.add_subparsers(dest="action", metavar="ДЕЙСТВИЕ", required=True)
    add = actions.add_parser("add", help="добавить учётную запись")
    db_option(add)
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="admin — администратор, methodologist — методист, platform-head — "
                     "руководитель площадки, coordinator — координатор")  # fmt: skip
    add.add_argument("--platform", action="append", default=[], metavar="ID|НАЗВАНИЕ",
                     help="площадка руководителя (можно несколько раз)")  # fmt: skip
    for name, text in (("list", "список учётных записей"),
                       ("passwd", "сменить пароль"), ("disable", "отключить учётную запись")):  # fmt: skip
        action = actions.add_parser(name, help=text)
        db_option(action)
        if name != "list":
            action.add_argument("login", metavar="LOGIN")


def cmd_users(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from .models import User
    from .services import labels
    from .services.users import UserService

    db = open_as_user(args)
    try:
        service = UserService()
        actor = db.principal.login
        if args.action == "list":
            with db.session() as session:
                users = session.scalars(select(User).order_by(User.login)).all()
                for u in users:
                    platforms = ", ".join(p.organization.short_name for p in u.platforms)
                    state = "" if u.active else " (отключена)"
                    extra = f" — {platforms}" if platforms else ""
                    print(f"{u.login}\t{labels.ROLE[u.role.value]}{state}{extra}")
                if not users:
                    print("Учётных записей нет: база открывается без входа.")
            return 0
        if args.action == "add":
            with db.session() as session:
                platform_ids = [_platform_id(session, p) for p in args.platform]
                password = read_password(f"Пароль для {args.login}: ", twice=True)
                service.add(session, {"login": args.login, "role": args.role}, password,
                            platform_ids, actor=actor)  # fmt: skip
            print(f"Учётная запись «{args.login}» добавлена.")
        elif args.action == "passwd":
            password = read_password(f"Новый пароль для {args.login}: ", twice=True)
            with db.session() as session:
                service.set_password(session, args.login, password, actor=actor)
            print(f"Пароль «{args.login}» изменён.")
        else:
            with db.session() as session:
                service.disable(session, args.login, actor=actor)
            print(f"Учётная запись «{args.login}» отключена.")
        return 0
    finally:
        db.close()


def _platform_id(session: Any, text: str) -> int:
    from sqlalchemy import select

    from .models import Organization, Platform
    from .text import fold

    if text.isdigit():
        if session.get(Platform, int(text)) is None:
            raise UserError(f"Площадки № {text} нет.")
        return int(text)
    rows = session.execute(
        select(Platform.id, Organization.short_name).join(
            Organization, Organization.id == Platform.organization_id
        )
    ).all()
    found = [pid for pid, name in rows if fold(name) == fold(text)]
    if len(found) != 1:
        raise UserError(
            f"Площадка «{text}» {'не найдена' if not found else 'не одна — укажите номер'}."
        )
    return found[0]


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"users": cmd_users}
