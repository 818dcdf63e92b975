"""Field specifications and the coercion of raw input (from a form, the CLI or a file).

Every problem is collected, never the first one only, so a form can mark all its fields at
once. Messages are Russian and name the field by its label.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..errors import Problem
from ..text import collapse_spaces

_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")
_INT32_MAX = 2_147_483_647
# Control characters other than tab and line breaks (PostgreSQL refuses NUL outright).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_date(value: Any) -> date:
    """A date from a ``date``, ``datetime``, ISO text or «21.11.2026» (with an optional «г.»)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = collapse_spaces(str(value)).removesuffix("г.").removesuffix("г").strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def snils_digits(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def snils_is_valid(value: str) -> bool:
    """The СНИЛС checksum: Σ dᵢ·(10−i) for the first nine digits, mod 101, 100 → 0.

    Numbers up to 001-001-998 were issued before checksums and carry no valid control pair.
    """
    digits = snils_digits(value)
    if not re.fullmatch(r"\d{11}", digits):
        return False
    body, control = digits[:9], int(digits[9:])
    if int(body) <= 1001998:
        return False
    total = sum(int(d) * (9 - i) for i, d in enumerate(body))
    check = total % 101
    if check == 100:
        check = 0
    return check == control


def email_is_valid(value: str) -> bool:
    return bool(_EMAIL.match(value))


@dataclass(frozen=True)
class Field:
    """One input field: its label for messages and how to read and check its value."""

    name: str
    label: str
    kind: str = "str"  # str, text, int, float, date, bool, enum, ref, email, snils, phone
    required: bool = False
    max_len: int | None = None
    min: float | None = None
    max: float | None = None
    enum: type[enum.StrEnum] | None = None
    enum_labels: Mapping[str, str] = field(default_factory=dict)
    ref: type | None = None  # a model the id must exist in
    check: Callable[[Any], str | None] | None = None  # extra rule: returns a message or None
    default: Any = None  # the value a record gets when the field is left empty

    def empty_value(self) -> Any:
        return "" if self.kind in ("str", "text", "email", "phone") else None


def coerce(
    fields: Mapping[str, Field], data: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """Read the given keys of ``data`` into typed values; unknown keys are a programming error."""
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    if not fields.keys() >= data.keys():
        raise KeyError(f"unknown fields: {sorted(set(data) - set(fields))}")
    for name, raw in data.items():
        spec = fields[name]
        if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
            clean[name] = spec.empty_value()
            continue
        try:
            value = _coerce_one(spec, raw)
        except ValueError as exc:
            problems.append(Problem(name, spec.label, str(exc)))
            continue
        message = spec.check(value) if spec.check else None
        if message:
            problems.append(Problem(name, spec.label, message))
            continue
        clean[name] = value
    return clean, problems


def _coerce_one(spec: Field, raw: Any) -> Any:
    kind = spec.kind
    if isinstance(raw, str) and _CONTROL.search(raw):
        raise ValueError("содержит недопустимые управляющие символы")
    if kind in ("str", "text", "phone"):
        value = str(raw).strip() if kind == "text" else collapse_spaces(str(raw))
        if spec.max_len and len(value) > spec.max_len:
            raise ValueError(f"не длиннее {spec.max_len} символов (сейчас {len(value)})")
        return value
    if kind == "email":
        value = collapse_spaces(str(raw)).lower()
        if not email_is_valid(value) or (spec.max_len and len(value) > spec.max_len):
            raise ValueError(f"«{value}» — не адрес электронной почты")
        return value
    if kind == "snils":
        value = snils_digits(str(raw))
        if not snils_is_valid(value):
            raise ValueError("неверен: нужно 11 цифр с правильным контрольным числом")
        return value
    if kind == "date":
        try:
            return parse_date(raw)
        except (ValueError, TypeError):
            raise ValueError(f"«{raw}» — не дата; ожидается ДД.ММ.ГГГГ") from None
    if kind in ("int", "ref"):
        value = _number(raw, integer=True)
        if kind == "ref" and not 1 <= value <= _INT32_MAX:
            raise ValueError(f"запись № {value} не найдена")
        if kind == "int":
            _range(spec, value)
            if abs(value) > _INT32_MAX:  # every integer column is 32-bit on PostgreSQL
                raise ValueError(f"«{raw}» — слишком большое число")
        return value
    if kind == "float":
        value = _number(raw, integer=False)
        _range(spec, value)
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "да", "true", "yes", "истина"):
            return True
        if text in ("0", "нет", "false", "no", "ложь"):
            return False
        raise ValueError(f"«{raw}» — ожидается «да» или «нет»")
    if kind == "enum":
        assert spec.enum is not None
        if isinstance(raw, spec.enum):
            return raw
        text = str(raw).strip()
        for member in spec.enum:
            if text in (member.value, member.name, spec.enum_labels.get(member.value)):
                return member
        allowed = ", ".join(spec.enum_labels.get(m.value, m.value) for m in spec.enum)
        raise ValueError(f"«{text}» — недопустимое значение; возможны: {allowed}")
    raise AssertionError(f"unknown field kind {kind}")


def _number(raw: Any, *, integer: bool) -> float | int:
    if isinstance(raw, bool):
        raise ValueError(f"«{raw}» — не число")
    if isinstance(raw, int | float):
        value: float | int = raw
    else:
        text = collapse_spaces(str(raw)).replace(" ", "").replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"«{raw}» — не число") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"«{raw}» — не число")
    if integer:
        if float(value) != int(value):
            raise ValueError(f"«{raw}» — нужно целое число")
        return int(value)
    return float(value)


def _range(spec: Field, value: float) -> None:
    if spec.min is not None and value < spec.min:
        raise ValueError(f"не меньше {_fmt(spec.min)}")
    if spec.max is not None and value > spec.max:
        raise ValueError(f"не больше {_fmt(spec.max)}")


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number).replace(".", ",")
