"""Cell values as the import stores them: names and organization names tidied (spaces,
letter case, «№2» → «№ 2»), keys for matching (ё/е folded — for matching only, «ё» is kept in
what is stored), dates from every form people type them in, СНИЛС and e-mail checked."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from ...models import OrgKind, Sex
from ...text import collapse_spaces, fold
from ..validation import email_is_valid, snils_digits, snils_is_valid
from .reader import cell_text

_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_SERIAL, _LAST_SERIAL = 1, 80_000  # 1900-01-01 … 2119: anything else is not a date
_NUMBER_SIGN = re.compile(r"№\s*")
_DATE_TEXT = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")
_ISO_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_QUOTES = str.maketrans({"\u201c": "«", "\u201d": "»", "\u201e": "«", "\u2033": '"'})


def name_part(value: Any) -> str:
    """«  иВАНОВА » → «Иванова»; «салтыков-щедрин» → «Салтыков-Щедрин»; «ё» kept."""
    return _name_part(cell_text(value))


@lru_cache(maxsize=16384)  # names repeat all over a register
def _name_part(text: str) -> str:
    return "-".join(
        " ".join(word[:1].upper() + word[1:].lower() for word in chunk.split(" "))
        for chunk in text.split("-")
    )


def split_fio(value: Any) -> tuple[str, str, str]:
    """«ИВАНОВА  Мария петровна» → («Иванова», «Мария», «Петровна»); a patronymic of several
    words («Ахмед оглы») stays whole."""
    words = cell_text(value).replace(",", " ").split()
    if not words:
        return "", "", ""
    surname = name_part(words[0])
    name = name_part(words[1]) if len(words) > 1 else ""
    rest = words[2:]
    patronymic = " ".join(
        w.lower() if w.lower() in ("оглы", "кызы", "улы", "уулу", "гызы") else name_part(w)
        for w in rest
    )
    return surname, name, patronymic


def organization_name(value: Any) -> str:
    """Spaces collapsed, «№2» → «№ 2», curly quotes made «ёлочками»; CAPS LOCK words that are
    not abbreviations («ШКОЛА») lowered. Abbreviations of up to five letters stay as written."""
    text = collapse_spaces(cell_text(value).translate(_QUOTES))
    text = _NUMBER_SIGN.sub("№ ", text).replace("№ ", "№ ").strip()
    words = []
    for word in text.split(" "):
        letters = [c for c in word if c.isalpha()]
        if len(letters) > 5 and all(c.isupper() for c in letters):
            word = word.lower()
        words.append(word)
    if words and words[0][:1].islower():
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def organization_key(value: Any) -> str:
    """The matching form of an organization name: folded, «№2» = «№ 2», quotes and dots gone."""
    text = fold(organization_name(value))
    text = re.sub(r"[«»\"'.,()]", " ", text)
    text = text.replace("№ ", "№")
    return " ".join(text.split())


def person_key(surname: str, name: str, patronymic: str) -> str:
    return " ".join(p for p in (fold(surname), fold(name), fold(patronymic)) if p)


def to_date(value: Any) -> date | None:
    """A date from a date cell, an Excel serial, «21.11.2026», «21.11.2026 г.», «2026-11-21»;
    None for a blank; ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        if value != value or not _FIRST_SERIAL <= value <= _LAST_SERIAL:
            raise ValueError(str(value))
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = collapse_spaces(str(value)).lower()
    text = re.sub(r"\s*(г\.?|года?)$", "", text).strip()
    if re.fullmatch(r"\d+(\.0)?", text):
        return to_date(float(text))
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000 if year <= date.today().year % 100 else 1900
        return date(year, month, day)
    match = _ISO_TEXT.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    raise ValueError(text)


def clean_snils(value: Any) -> tuple[str | None, str | None]:
    """(the 11 digits, None) or (None, a warning) — an invalid СНИЛС is never stored."""
    text = cell_text(value)
    if not text:
        return None, None
    digits = snils_digits(text)
    if digits.isdigit() and len(digits) < 11:  # a number cell lost its leading zeros
        digits = digits.zfill(11)
    if snils_is_valid(digits):
        return digits, None
    return None, f"СНИЛС «{text}» неверен (контрольное число не сходится) — не сохранён"


def clean_email(value: Any) -> tuple[str, str | None]:
    text = cell_text(value).replace(" ", "").lower()
    text = text.removeprefix("mailto:")
    if not text:
        return "", None
    if email_is_valid(text) and len(text) <= 255:
        return text, None
    return "", f"адрес электронной почты «{cell_text(value)}» неверен — не сохранён"


def clean_phone(value: Any) -> str:
    return cell_text(value)[:50]


_SEX = {"м": Sex.MALE, "муж": Sex.MALE, "мужской": Sex.MALE, "ж": Sex.FEMALE,
        "жен": Sex.FEMALE, "женский": Sex.FEMALE}  # fmt: skip


def to_sex(value: Any) -> Sex | None:
    return _SEX.get(fold(cell_text(value)).rstrip("."))


_ORG_KINDS: list[tuple[str, OrgKind]] = [
    (r"\b(доу|детский сад|д/с|дс|мадоу|мбдоу|мдоу|ясли)\b|детск\w* сад", OrgKind.KINDERGARTEN),
    (r"\b(сош|оош|нош|гимнази\w*|лице\w*|школ\w*|цо|мбоу|маоу|моу|гбоу|оу)\b", OrgKind.SCHOOL),
    (r"\b(ддт|дши|цдо|дюсш|сюн|сют|цтр|доп\w*)\b|дополнительн", OrgKind.ADDITIONAL),
    (r"колледж|техникум|училищ", OrgKind.COLLEGE),
    (r"университет|\bвуз\b|академи|\bкубгу\b|\bгу\b", OrgKind.UNIVERSITY),
    (r"\bиро\b|институт развития", OrgKind.INSTITUTE),
    (r"\b(тмс|ммс|имц|ммц|рмк)\b|методическ", OrgKind.METHODICAL_SERVICE),
]


def guess_org_kind(name: str) -> OrgKind:
    """The kind an organization's name says («МБДОУ д/с № 5» — a kindergarten); a partner
    when it says nothing known."""
    folded = fold(name)
    for pattern, kind in _ORG_KINDS:
        if re.search(pattern, folded):
            return kind
    return OrgKind.PARTNER


def org_kind(value: Any, name: str) -> tuple[OrgKind, str | None]:
    """An organization kind from a «Тип» cell (a label, a code or a word in it), else guessed."""
    from ..labels import ORG_KIND

    text = fold(cell_text(value))
    if text:
        for code, label in ORG_KIND.items():
            if text in (code, fold(label)):
                return OrgKind(code), None
        guessed = guess_org_kind(text)
        if guessed != OrgKind.PARTNER:
            return guessed, None
    return guess_org_kind(name), None
