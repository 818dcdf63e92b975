"""Accounts: logins, argon2 password hashes, roles and platforms in scope."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Problem, UserError, ValidationError
from ..models import Person, Platform, Role, User
from . import labels
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
        problems: list[Problem] = []
        try:
            user = self.validate(session, data)
        except ValidationError as err:
            problems.extend(err.problems)
            user = None
        if len(password) < MIN_PASSWORD:
            problems.append(Problem("password", "Пароль", f"не короче {MIN_PASSWORD} символов"))
        if user is not None and user["role"] == Role.PLATFORM_HEAD and not platform_ids:
            problems.append(
                Problem(
                    "platforms", "Площадки", "руководителю площадки нужна хотя бы одна площадка"
                )
            )
        if problems or user is None:
            raise ValidationError(problems)
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
        user = session.scalar(select(User).where(User.login == login))
        if user is None:
            raise UserError(f"Пользователь «{login}» не найден.")
        user.password_hash = hash_password(password)
        self._flush(session)
        audit(session, "passwd", user, {"password_hash": ("", "")}, actor)

    def authenticate(self, session: Session, login: str, password: str) -> User:
        user = session.scalar(select(User).where(User.login == login))
        if user is None or not user.active or not verify_password(user.password_hash, password):
            raise UserError("Неверный логин или пароль, или учётная запись отключена.")
        return user
