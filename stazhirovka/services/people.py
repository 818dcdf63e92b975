"""Persons: sex from the patronymic, teaching experience, the young-teacher rule, СНИЛС."""

from __future__ import annotations

import logging
import re
from datetime import date
from functools import cache, lru_cache
from typing import Any

from sqlalchemy.orm import Session

from ..errors import Problem
from ..models import Organization, Person, Position, QualificationCategory, Sex
from ..text import collapse_spaces
from . import labels
from .access import DISTRICT
from .crud import EntityService
from .validation import Field

log = logging.getLogger(__name__)

YOUNG_TEACHER_YEARS = 3  # "молодой педагог": under three years of teaching (DOMAIN.md §3)
_MALE_PARTICLES = ("оглы", "улы", "уулу")
_DIGIT = re.compile(r"\d")
_FEMALE_PARTICLES = ("кызы", "гызы")


@cache
def _detector() -> Any:
    from pytrovich.detector import PetrovichGenderDetector

    return PetrovichGenderDetector()


@lru_cache(maxsize=4096)  # imports ask for the same few hundred names over and over
def guess_sex(name: str = "", patronymic: str = "") -> Sex | None:
    """The sex a patronymic (or, failing that, a first name) says, or None when unsure."""
    from pytrovich.enums import Gender

    patronymic = collapse_spaces(patronymic).lower()
    words = patronymic.split()
    if words and words[-1] in _MALE_PARTICLES:
        return Sex.MALE
    if words and words[-1] in _FEMALE_PARTICLES:
        return Sex.FEMALE
    for kwargs in (
        {"middlename": patronymic.title()},
        {"firstname": collapse_spaces(name).title()},
    ):
        if not next(iter(kwargs.values())):
            continue
        try:
            gender = _detector().detect(**kwargs)
        except (KeyError, ValueError, IndexError):  # pytrovich on unusual input
            continue
        if gender == Gender.MALE:
            return Sex.MALE
        if gender == Gender.FEMALE:
            return Sex.FEMALE
    return None


def full_years_between(start: date, end: date) -> int:
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)


def experience_years(teaching_since: date | None, on: date | None = None) -> int | None:
    """Full years of teaching on ``on`` (today by default); None when the start is unknown."""
    if teaching_since is None:
        return None
    return full_years_between(teaching_since, on or date.today())


def young_since(on: date | None = None) -> date:
    """Teachers who started after this date are young teachers on ``on``."""
    on = on or date.today()
    try:
        return on.replace(year=on.year - YOUNG_TEACHER_YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year - YOUNG_TEACHER_YEARS, day=28)


def is_young(teaching_since: date | None, on: date | None = None) -> bool:
    return teaching_since is not None and teaching_since > young_since(on)


def _not_future(value: date) -> str | None:
    return "не может быть в будущем" if value > date.today() else None


def _name_part(value: str) -> str | None:
    if _DIGIT.search(value):
        return "не должно содержать цифр"
    return None


class PersonService(EntityService[Person]):
    access = DISTRICT
    model = Person
    title = "педагог"
    title_accusative = "педагога"
    unique = ("snils",)
    fields = (
        Field("surname", "Фамилия", required=True, max_len=100, check=_name_part),
        Field("name", "Имя", required=True, max_len=100, check=_name_part),
        Field("patronymic", "Отчество", max_len=100, check=_name_part),
        Field("sex", "Пол", kind="enum", enum=Sex, enum_labels=labels.SEX),
        Field("organization_id", "Организация", kind="ref", ref=Organization),
        Field("position_id", "Должность", kind="ref", ref=Position),
        Field("subject", "Предмет", max_len=255),
        Field(
            "teaching_since", "Начало педагогической деятельности", kind="date", check=_not_future
        ),
        Field("category_id", "Квалификационная категория", kind="ref", ref=QualificationCategory),
        Field("education", "Образование", max_len=500),
        Field("phone", "Телефон", kind="phone", max_len=50),
        Field("email", "Электронная почта", kind="email", max_len=255),
        Field("snils", "СНИЛС", kind="snils"),
        Field("dative_override", "ФИО в дательном падеже (исправленное)", max_len=300),
        Field("consent_on", "Дата согласия на обработку ПДн", kind="date", check=_not_future),
        Field("consent_document", "Документ о согласии", max_len=255),
        Field("consent_withdrawn_on", "Дата отзыва согласия", kind="date", check=_not_future),
    )

    def prepare(self, session: Session, values: dict[str, Any], obj: Person | None) -> None:
        if values.get("sex") is None:
            values["sex"] = guess_sex(values.get("name") or "", values.get("patronymic") or "")

    def check(self, session: Session, values: dict[str, Any], obj: Person | None) -> list[Problem]:
        problems = []
        if values.get("sex") is None:
            problems.append(
                Problem("sex", "Пол", "укажите пол: по отчеству его определить не удалось")
            )
        withdrawn, consent = values.get("consent_withdrawn_on"), values.get("consent_on")
        if withdrawn and consent and withdrawn < consent:
            problems.append(
                Problem("consent_withdrawn_on", "Дата отзыва согласия", "раньше даты согласия")
            )
        return problems

    def describe(self, obj: Person) -> str:
        return obj.short_name
