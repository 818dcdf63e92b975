"""Russian grammar for documents: names in the dative, words agreeing with a person's sex,
hours with the right plural and date ranges (DOCUMENTS.md §4.2, §5, §8). No database, no Qt.

pytrovich declines each name part by the stored sex (never by a guess: a woman named
«Ковальчук» would become «Ковальчуку»). Its known failure modes are handled here: ALL CAPS
input, space-separated double first names, and patronymic particles (оглы, кызы…), which
stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from .formats import MONTHS_GENITIVE, number, plural
from .text import collapse_spaces

PATRONYMIC_PARTICLES = ("оглы", "оглу", "кызы", "гызы", "улы", "уулу")
MALE, FEMALE = "M", "F"


@cache
def _maker() -> tuple[Any, Any, Any, Any]:
    from pytrovich.enums import Case, Gender, NamePart
    from pytrovich.maker import PetrovichDeclinationMaker

    return PetrovichDeclinationMaker(), Case.DATIVE, Gender, NamePart


def _case_like(word: str, model: str) -> str:
    """Give a declined word the letter case of the word it came from."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    return word


def _decline_word(word: str, part: str, sex: str) -> str:
    maker, dative, gender_enum, part_enum = _maker()
    gender = gender_enum.FEMALE if sex == FEMALE else gender_enum.MALE
    # pytrovich appends lower-case endings to ALL CAPS («ПЕТРОВой»): decline the Title form.
    titled = "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
    try:
        declined = maker.make(getattr(part_enum, part), gender, dative, titled)
    except (KeyError, ValueError, IndexError):  # no rule for an unusual word: keep it
        declined = titled
    if not word.isupper() and titled != word:
        # mixed case as typed («МакДональд»): keep what was typed when nothing changed
        declined = word if declined == titled else declined
    return _case_like(declined, word)


def _decline_words(value: str, part: str, sex: str) -> str:
    words = collapse_spaces(value).split(" ")
    if part == "MIDDLENAME" and len(words) > 1 and words[-1].lower() in PATRONYMIC_PARTICLES:
        # «Гасан оглы», «Ильхам кызы»: the father's name and the particle stay unchanged.
        return " ".join(words)
    return " ".join(_decline_word(w, part, sex) for w in words if w)


def dative_name(surname: str, name: str, patronymic: str = "", sex: str = FEMALE) -> str:
    """«Ивановой Марии Сергеевне» from the nominative parts and the stored sex (М/Ж)."""
    sex = getattr(sex, "value", sex)
    parts = [
        _decline_words(surname, "LASTNAME", sex),
        _decline_words(name, "FIRSTNAME", sex),
        _decline_words(patronymic, "MIDDLENAME", sex) if patronymic else "",
    ]
    return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Agreement:
    """Words of a certificate that agree with the holder's sex (DOCUMENTS.md §4.2)."""

    pronoun: str  # он / она
    completed: str  # прошёл / прошла
    took_part: str  # принял / приняла
    mastered: str  # освоил / освоила
    spoke: str  # выступил / выступила


AGREEMENT = {
    MALE: Agreement("он", "прошёл", "принял", "освоил", "выступил"),
    FEMALE: Agreement("она", "прошла", "приняла", "освоила", "выступила"),
}


def agreement(sex: Any) -> Agreement:
    return AGREEMENT[FEMALE if getattr(sex, "value", sex) == FEMALE else MALE]


def hours_phrase(hours: float | int | None) -> str:
    """«36 часов», «21 час», «2,5 часа» (a fraction takes the genitive singular)."""
    value = float(hours or 0)
    if not value.is_integer():
        return f"{number(value)} часа"
    n = int(value)
    return f"{n} {plural(n, 'час', 'часа', 'часов')}"


def day_month(value: date) -> str:
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]}"


def period_phrase(start: date | None, end: date | None) -> str:
    """«с 10 ноября по 15 декабря 2026 г.», «с 10 ноября 2025 г. по 15 марта 2026 г.»."""
    if start and end:
        if start.year == end.year:
            return f"с {day_month(start)} по {day_month(end)} {end.year} г."
        return f"с {day_month(start)} {start.year} г. по {day_month(end)} {end.year} г."
    if start:
        return f"с {day_month(start)} {start.year} г."
    if end:
        return f"по {day_month(end)} {end.year} г."
    return ""


def initials_name(full_name: str, style: str = "initials") -> str:
    """A signature's расшифровка from «Фамилия Имя Отчество»: «А.В. Кузнецова» (ГОСТ 2016
    practice, no space between initials) or, in the ``full`` style, «Анна Кузнецова»."""
    words = collapse_spaces(full_name).split(" ")
    if len(words) < 2:
        return full_name.strip()
    surname, name, *rest = words
    if style == "full":
        return f"{name} {surname}"
    patronymic = rest[0] if rest and rest[0].lower() not in PATRONYMIC_PARTICLES else ""
    initials = "".join(f"{w[0]}." for w in (name, patronymic) if w)
    return f"{initials} {surname}"


def capitalized(text: str) -> str:
    """The first letter upper-cased, the rest as it is («учитель» → «Учитель»)."""
    return text[:1].upper() + text[1:]
