"""Accounts: logins, argon2 password hashes, roles and platforms in scope."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Problem, UserError, ValidationError
from ..formats import plural
from ..models import Person, Platform, Role, User
from . import labels
from .access import ADMINISTRATION, Principal, principal_of
from .crud import EntityService, audit, records_by_ids
from .validation import Field

MIN_PASSWORD = 8


@cache
def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError([Problem("password", "Пароль", f"не короче {MIN_PASSWORD} символов")])
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def _login_rule(value: str) -> str | None:
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{2,100}", value):
        return "латинские буквы, цифры, точка, дефис или подчёркивание, от 2 символов"
    return None


class UserService(EntityService[User]):
    access = ADMINISTRATION
    model = User
    title = "пользователь"
    title_accusative = "пользователя"
    fields = (
        Field("login", "Логин", required=True, max_len=100, check=_login_rule),
        Field("role", "Роль", kind="enum", required=True, enum=Role, enum_labels=labels.ROLE),
        Field("active", "Активен", kind="bool", default=True),
        Field("person_id", "Педагог", kind="ref", ref=Person),
    )

    def check(self, session: Session, values: dict[str, Any], obj: User | None) -> list[Problem]:
        other = self.other_with(session, obj, User.login == values["login"])
        if other is not None:
            return [Problem("login", "Логин", "уже занят")]
        return []

    def describe(self, obj: User) -> str:
        return obj.login

    def add(
        self,
        session: Session,
        data: dict[str, Any],
        password: str,
        platform_ids: list[int] = (),
        actor: str = "",
    ) -> User:  # type: ignore[assignment]
        self.authorize(session, "create")
        problems: list[Problem] = []
        try:
            user = self.validate(session, data)
        except ValidationError as err:
            problems.extend(err.problems)
            user = None
        if len(password) < MIN_PASSWORD:
            problems.append(Problem("password", "Пароль", f"не короче {MIN_PASSWORD} символов"))
        if user is not None and user["role"] != Role.ADMIN and not has_accounts(session):
            problems.append(
                Problem(
                    "role",
                    "Роль",
                    "первая учётная запись — администратор: иначе управлять "
                    "учётными записями будет некому",
                )
            )
        if user is not None and user["role"] == Role.PLATFORM_HEAD and not platform_ids:
            problems.append(
                Problem(
                    "platforms", "Площадки", "руководителю площадки нужна хотя бы одна площадка"
                )
            )
        if problems or user is None:
            raise ValidationError(problems)
        self.authorize(session, "create", user)
        password_hash = hash_password(password)
        obj = User(**user, password_hash=password_hash)
        obj.platforms = records_by_ids(session, Platform, platform_ids, "platforms", "Площадки")
        session.add(obj)
        self._flush(session)
        audit(
            session,
            "create",
            obj,
            {"login": (None, obj.login), "role": (None, obj.role.value)},
            actor,
        )
        return obj

    def set_password(self, session: Session, login: str, password: str, actor: str = "") -> None:
        if principal_of(session).login != login:  # one's own password, or an administrator
            self.authorize(session, "update")
        user = session.scalar(select(User).where(User.login == login))
        if user is None:
            raise UserError(f"Пользователь «{login}» не найден.")
        user.password_hash = hash_password(password)
        self._flush(session)
        audit(session, "passwd", user, {"password_hash": ("", "")}, actor)

    def authenticate(self, session: Session, login: str, password: str) -> User:
        """The account, or :class:`UserError`. A wrong password is counted on the account
        (the caller commits it even so); after three in a row each try must wait longer."""
        user = session.scalar(select(User).where(User.login == login))
        if user is None:
            verify_password(_dummy_hash(), password)  # the same time as for a real login
            raise UserError(WRONG_LOGIN)
        wait = seconds_to_wait(user)
        if wait:
            raise UserError(
                f"Слишком много неверных попыток входа. Повторите через {wait} "
                f"{plural(wait, 'секунду', 'секунды', 'секунд')}."
            )
        if not verify_password(user.password_hash, password):
            user.failed_logins += 1
            user.last_failed_at = datetime.now(UTC)
            raise UserError(WRONG_LOGIN)
        if not user.active:
            raise UserError(WRONG_LOGIN)
        user.failed_logins, user.last_failed_at = 0, None
        return user

    def disable(self, session: Session, login: str, actor: str = "") -> None:
        user = session.scalar(select(User).where(User.login == login))
        if user is None:
            raise UserError(f"Пользователь «{login}» не найден.")
        self.update(session, user.id, {"active": False}, actor=actor)


WRONG_LOGIN = "Неверный логин или пароль, или учётная запись отключена."
THROTTLE_AFTER = 3  # wrong passwords in a row before tries must wait
MAX_WAIT = 300  # seconds


def seconds_to_wait(user: User, now: datetime | None = None) -> int:
    """How long the next try must wait: 0 for the first three wrong passwords, then 2, 4, 8…
    seconds after the last one, at most five minutes."""
    if user.failed_logins < THROTTLE_AFTER or user.last_failed_at is None:
        return 0
    delay = min(2 ** (user.failed_logins - THROTTLE_AFTER + 1), MAX_WAIT)
    last = user.last_failed_at
    if last.tzinfo is None:  # SQLite hands back naive UTC
        last = last.replace(tzinfo=UTC)
    passed = ((now or datetime.now(UTC)) - last).total_seconds()
    return max(0, math.ceil(delay - passed))


@cache
def _dummy_hash() -> str:
    return _hasher().hash("not a password of anyone")


def principal_for(user: User) -> Principal:
    return Principal(user.login, user.role, frozenset(p.id for p in user.platforms))


def has_accounts(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(User).where(User.active)) > 0


def sole_account(session: Session) -> User | None:
    """The only active account, if there is exactly one."""
    users = session.scalars(select(User).where(User.active).limit(2)).all()
    return users[0] if len(users) == 1 else None
