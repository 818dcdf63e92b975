"""Command-line doors to the documents (shared/CLI.md): ``print``, ``certificates``,
``verify`` and ``public-key``. They call the same functions as the window's print actions."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import UserError

PRINT_KINDS = ("journal", "card", "route", "program", "platform", "plan", "certificate", "register")
EXIT_NOT_GENUINE, EXIT_CANCELLED = 1, 3


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` or ``DD.MM.YYYY`` (CLI.md)."""
    for form in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"дата «{text}» не читается: нужно ГГГГ-ММ-ДД или ДД.ММ.ГГГГ")


def add_parsers(sub: Any, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    printing = sub.add_parser("print", help="напечатать документ или все документы вида в PDF")
    db_option(printing)
    printing.add_argument(
        "kind",
        choices=PRINT_KINDS,
        metavar="ВИД",
        help="journal (журнал стажёра), card (карта эффективности), route (ИОМ), "
        "program (программа), platform (отчёт площадки), plan (план-график), "
        "certificate (выданный сертификат), register (журнал регистрации сертификатов)",
    )
    printing.add_argument("out", type=Path, metavar="OUT.pdf", help="файл PDF")
    which = printing.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--id", type=int, action="append", metavar="N", help="номер записи (можно несколько)"
    )
    which.add_argument("--all", action="store_true", help="все документы этого вида в один PDF")
    printing.add_argument("--year", type=int, metavar="Y", help="год (план-график, отчёт)")
    printing.add_argument("--from", dest="date_from", type=parse_date, metavar="ДАТА")
    printing.add_argument("--to", dest="date_to", type=parse_date, metavar="ДАТА")

    certs = sub.add_parser(
        "certificates",
        help="выдать и напечатать сертификаты завершившим стажировку (или участникам мероприятия)",
    )
    db_option(certs)
    certs.add_argument("out", type=Path, metavar="OUT.pdf", help="все сертификаты в одном PDF")
    certs.add_argument("--program", metavar="ID|НАЗВАНИЕ")
    certs.add_argument("--platform", metavar="ID|НАЗВАНИЕ")
    certs.add_argument("--from", dest="date_from", type=parse_date, metavar="ДАТА",
                       help="дата завершения стажировки с")  # fmt: skip
    certs.add_argument("--to", dest="date_to", type=parse_date, metavar="ДАТА",
                       help="дата завершения стажировки по")  # fmt: skip
    certs.add_argument("--event", metavar="ID|НАЗВАНИЕ",
                       help="сертификаты участникам и выступающим мероприятия")  # fmt: skip
    certs.add_argument("--split", type=Path, metavar="DIR", help="ещё и по файлу на каждого")
    certs.add_argument("--date", type=parse_date, metavar="ДАТА", help="дата выдачи (сегодня)")
    certs.add_argument(
        "--dry-run",
        action="store_true",
        help="только показать получателей и ФИО в дательном падеже, ничего не выдавая",
    )

    verify = sub.add_parser("verify", help="проверить подлинность сертификата")
    db_option(verify)
    verify.add_argument("code", metavar="CODE", help="номер, код из журнала или текст QR-кода")
    verify.add_argument(
        "--keys",
        type=Path,
        metavar="FILE",
        help="файл открытых ключей: проверка QR-кода без базы данных",
    )

    keys = sub.add_parser("public-key", help="записать открытые ключи проверки сертификатов")
    db_option(keys)
    keys.add_argument("out", type=Path, metavar="OUT", help="текстовый файл ключей")
    keys.add_argument(
        "--new-key",
        action="store_true",
        help="подписывать новые сертификаты новым ключом (старые ключи остаются для проверки; "
        "только администратор)",
    )


def _open(args: argparse.Namespace) -> Any:
    from .cli_users import open_as_user

    return open_as_user(args)


def _progress(done: int, total: int = 0, _text: str = "") -> None:
    if total and sys.stderr.isatty():
        print(f"\r{done / total:4.0%}", end="", file=sys.stderr, flush=True)


def cmd_print(args: argparse.Namespace) -> int:
    from .reports.documents import kind, options_for, print_documents

    db = _open(args)
    try:
        with db.session() as session:
            options = options_for(
                session, year=args.year, date_from=args.date_from, date_to=args.date_to
            )
            path = print_documents(
                session, args.kind, None if args.all else args.id, args.out, options, _progress
            )
    finally:
        db.close()
    print(f"{kind(args.kind).title}: {path}")
    return 0


def _resolve(session: Any, model: Any, value: str | None, what: str, columns: Any) -> int | None:
    """An id from «42» or a title/name (exact, else the only one containing it)."""
    if value is None:
        return None
    from sqlalchemy import or_, select

    from .text import fold, like_pattern

    if re.fullmatch(r"\d+", value.strip()):
        found = session.get(model, int(value))
        if found is None:
            raise UserError(f"{what} № {value} не найдена.")
        return int(value)
    rows = session.execute(select(model.id, *columns).where(
        or_(*(c.isnot(None) for c in columns))
    )).all()  # fmt: skip
    wanted = fold(value)
    exact = [r.id for r in rows if any(fold(v) == wanted for v in r[1:] if v)]
    if len(exact) == 1:
        return exact[0]
    pattern = like_pattern(value).strip("%").replace("\\", "")
    partial = [r.id for r in rows if any(pattern in fold(v) for v in r[1:] if v)]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise UserError(f"{what} «{value}» не найдена.")
    raise UserError(f"«{value}» подходит к нескольким ({len(partial)}): укажите номер (ID).")


def cmd_certificates(args: argparse.Namespace) -> int:
    from .models import CertificateKind, Event, Organization, Platform, Program
    from .reports.certificates import issue_certificates
    from .services.issuing import Selection, recipients

    db = _open(args)
    try:
        with db.session() as session:
            program_id = _resolve(session, Program, args.program, "Программа", [Program.title])
            platform_id = None
            if args.platform is not None:
                org_id = None
                if not re.fullmatch(r"\d+", args.platform.strip()):
                    org_id = _resolve(
                        session,
                        Organization,
                        args.platform,
                        "Площадка",
                        [Organization.short_name, Organization.full_name],
                    )
                platform_id = _platform_id(session, Platform, args.platform, org_id)
            event_id = _resolve(session, Event, args.event, "Мероприятие", [Event.title])
            if event_id is not None and (program_id or platform_id):
                raise UserError("Укажите либо мероприятие, либо программу или площадку.")
            selections = (
                [
                    Selection(kind=CertificateKind.PARTICIPATION, event_id=event_id),
                    Selection(kind=CertificateKind.SPEAKER, event_id=event_id),
                ]
                if event_id is not None
                else [
                    Selection(
                        program_id=program_id,
                        platform_id=platform_id,
                        date_from=args.date_from,
                        date_to=args.date_to,
                    )
                ]
            )
            found = [(s, recipients(session, s)) for s in selections]
        if args.dry_run:
            for _selection, people in found:
                for r in people:
                    mark = " (исправлено вручную)" if r.corrected else ""
                    print(f"{r.full_name}\t→ {r.dative}{mark}")
            total = sum(len(p) for _s, p in found)
            print(f"Получателей: {total}. Ничего не выдано (--dry-run).", file=sys.stderr)
            return 0
        numbers: list[str] = []
        files: list[Path] = []
        for selection, people in found:
            if not people and len(found) > 1:
                continue
            out = args.out
            if len(found) > 1 and selection.kind == CertificateKind.SPEAKER:
                out = args.out.with_name(f"{args.out.stem} (выступающие){args.out.suffix}")
            result = issue_certificates(
                db,
                selection,
                pdf=out,
                split_dir=args.split,
                issued_on=args.date,
                expected=[r.person_id for r in people],
                progress=_progress,
            )
            numbers += result.numbers
            files += result.files
        if not numbers:
            raise UserError("Сертификаты всем участникам мероприятия уже выданы.")
    finally:
        db.close()
    print(f"Выдано сертификатов: {len(numbers)} ({numbers[0]} … {numbers[-1]}).")
    for path in files if not args.split else [f for f in files if f.parent != args.split]:
        print(f"Файл: {path}")
    if args.split:
        print(f"Отдельные файлы: {args.split} ({sum(f.parent == args.split for f in files)})")
    return 0


def _platform_id(session: Any, platform: Any, value: str, org_id: int | None) -> int:
    from sqlalchemy import select

    if org_id is None:
        if session.get(platform, int(value)) is None:
            raise UserError(f"Площадка № {value} не найдена.")
        return int(value)
    ids = session.scalars(select(platform.id).where(platform.organization_id == org_id)).all()
    if len(ids) != 1:
        raise UserError(
            f"У организации «{value}» {'нет площадки' if not ids else 'несколько площадок'}: "
            "укажите номер площадки (ID)."
        )
    return int(ids[0])


def cmd_verify(args: argparse.Namespace) -> int:
    from .services.signing import read_public_keys
    from .services.verification import verify

    keys = None
    if args.keys is not None:
        try:
            keys = read_public_keys(args.keys.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UserError(f"Файл ключей «{args.keys}» не читается.") from exc
    if keys is not None and args.db is None:
        verdict = verify(None, args.code, keys)
    else:
        db = _open(args)
        try:
            with db.session() as session:
                verdict = verify(session, args.code, keys)
        finally:
            db.close()
    print(verdict.text)
    if verdict.cancelled:
        return EXIT_CANCELLED
    return 0 if verdict.genuine else EXIT_NOT_GENUINE


def cmd_public_key(args: argparse.Namespace) -> int:
    from .reports.output import atomic_file
    from .services.signing import public_key_text, public_keys, rotate_key, signer

    db = _open(args)
    try:
        with db.session() as session:
            if args.new_key:
                number = rotate_key(session, actor=db.principal.login)
                print(f"Новые сертификаты подписываются ключом № {number}.")
            signer(session)  # a district that has issued nothing yet gets its key now
            text = public_key_text(public_keys(session))
    finally:
        db.close()
    with atomic_file(args.out) as temp:
        temp.write_text(text, encoding="utf-8")
    print(f"Открытые ключи записаны: {args.out}")
    return 0


COMMANDS = {
    "print": cmd_print,
    "certificates": cmd_certificates,
    "verify": cmd_verify,
    "public-key": cmd_public_key,
}
