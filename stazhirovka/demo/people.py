"""Generated teachers: names agreeing with sex, experience, positions, contacts, СНИЛС."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import names

FEMALE = "F"
MALE = "M"

# Share of women by kind of organization (Russian schools: about 80 % overall).
_FEMALE_SHARE = {
    "school": 0.82,
    "kindergarten": 0.98,
    "additional": 0.72,
    "college": 0.65,
    "university": 0.6,
    "institute": 0.75,
    "methodical_service": 0.85,
    "partner": 0.7,
}

# Positions of the generated names list that the seeded ``position`` table spells otherwise.
POSITION_ALIASES = {
    "заместитель директора по УВР": "заместитель директора по учебно-воспитательной работе",
    "заместитель директора по ВР": "заместитель директора по воспитательной работе",
    "советник директора по воспитанию и взаимодействию с детскими общественными объединениями": (
        "советник директора по воспитанию"
    ),
}

# Subject teachers of a school, with weights (начальные классы and языки are the most numerous).
_SCHOOL_WEIGHTS = {
    "учитель начальных классов": 18,
    "учитель русского языка и литературы": 12,
    "учитель математики": 11,
    "учитель английского языка": 8,
    "учитель немецкого языка": 1,
    "учитель истории и обществознания": 6,
    "учитель кубановедения": 2,
    "учитель физики": 3,
    "учитель химии": 3,
    "учитель биологии": 3,
    "учитель географии": 3,
    "учитель информатики": 3,
    "учитель физической культуры": 5,
    "учитель музыки": 2,
    "учитель изобразительного искусства": 2,
    "учитель технологии": 3,
    "учитель основ безопасности жизнедеятельности": 1,
    "учитель-логопед": 1,
    "учитель-дефектолог": 1,
    "педагог-психолог": 2,
    "социальный педагог": 2,
    "педагог-организатор": 1,
    "педагог дополнительного образования": 1,
    "советник директора по воспитанию и взаимодействию с детскими общественными объединениями": 1,
}
_KINDERGARTEN_WEIGHTS = {
    "воспитатель": 80,
    "музыкальный руководитель": 5,
    "инструктор по физической культуре": 4,
    "учитель-логопед": 5,
    "педагог-психолог": 3,
    "учитель-дефектолог": 1,
    "педагог дополнительного образования": 2,
}
_ADDITIONAL_SUBJECTS = [
    "декоративно-прикладное творчество",
    "хореография",
    "вокал",
    "изобразительное искусство",
    "робототехника",
    "техническое моделирование",
    "туризм и краеведение",
    "шахматы",
    "театральное творчество",
    "экология",
    "журналистика",
    "программирование",
]
_COLLEGE_SUBJECTS = [
    "педагогика и психология",
    "теория и методика обучения",
    "информатика и ИКТ",
    "математика",
    "русский язык и культура речи",
    "иностранный язык",
    "история",
    "физическая культура",
]
_SPECIALIST_SUBJECTS = {
    "учитель-логопед": "логопедия",
    "учитель-дефектолог": "дефектология",
    "педагог-психолог": "психология",
}

_UNIVERSITIES = [
    "ФГБОУ ВО «Кубанский государственный университет»",
    "ФГБОУ ВО «Армавирский государственный педагогический университет»",
    "филиал ФГБОУ ВО «Кубанский государственный университет» в г. Славянске-на-Кубани",
    "ФГБОУ ВО «Кубанский государственный университет физической культуры, спорта и туризма»",
    "ФГБОУ ВО «Адыгейский государственный университет»",
    "ФГАОУ ВО «Южный федеральный университет»",
    "ФГБОУ ВО «Краснодарский государственный институт культуры»",
    "ФГБОУ ВО «Кубанский государственный технологический университет»",
]
_COLLEGES = [
    "ГБПОУ КК «Ленинградский социально-педагогический колледж»",
    "ГБПОУ КК «Краснодарский педагогический колледж»",
    "ГБПОУ КК «Ейский полипрофильный колледж»",
    "ГБПОУ КК «Новороссийский социально-педагогический колледж»",
    "ГБПОУ КК «Туапсинский социально-педагогический колледж»",
]
_MAIL_HOSTS = ["mail.ru", "yandex.ru", "bk.ru", "inbox.ru", "list.ru", "gmail.com", "rambler.ru"]
_MOBILE_CODES = ["918", "988", "928", "938", "961", "905", "962", "989"]

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
            "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
            "yu", "ya",
        ],
        strict=True,
    )
)  # fmt: skip


def translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower() if ch.isalnum())


def snils_checksum(nine_digits: str) -> int:
    """The control number of a СНИЛС: Σ digit·weight (weights 9…1), mod 101, 100 → 0."""
    total = sum(int(d) * (9 - i) for i, d in enumerate(nine_digits))
    return total % 101 % 100


@dataclass(slots=True)
class PersonInfo:
    """What later stages need to know about a generated person (kept per municipality)."""

    id: int
    org_id: int
    org_kind: str
    sex: str
    surname: str
    name: str
    patronymic: str
    since: date
    position: str
    role: str = "staff"  # head, deputy, master, methodist, staff
    category: str = ""
    subject: str = ""
    tags: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)

    @property
    def initials_name(self) -> str:
        """«И.Н. Сергиенко» — the signature form."""
        initials = "".join(f"{p[0]}." for p in (self.name, self.patronymic) if p)
        return f"{initials} {self.surname}"


class PersonFactory:
    """Draws people from one seeded generator; every call consumes it in a fixed order."""

    # СНИЛС numbers come from an affine walk over the valid range, so they never repeat.
    _SNILS_LOW = 1_002_000
    _SNILS_SPAN = 998_000_000  # 2^7 · 5^6 · 499
    _SNILS_STEP = 387_420_489  # 3^18, coprime with the span

    def __init__(self, rng: random.Random, today: date, positions: dict[str, int]):
        self.rng = rng
        self.today = today
        self.positions = positions
        self._snils_n = 0
        self._snils_offset = rng.randrange(self._SNILS_SPAN)
        self._school = self._weighted(_SCHOOL_WEIGHTS)
        self._kindergarten = self._weighted(_KINDERGARTEN_WEIGHTS)
        self._subjects = {p: s or "" for p, _d, s in names.SUBJECTS_POSITIONS}
        self.female_surnames = [f for _m, f in names.SURNAMES]
        self.male_surnames = [m for m, _f in names.SURNAMES]

    @staticmethod
    def _weighted(weights: dict[str, int]) -> tuple[list[str], list[int]]:
        keys = list(weights)
        cumulative, total = [], 0
        for key in keys:
            total += weights[key]
            cumulative.append(total)
        return keys, cumulative

    def position_id(self, position: str) -> int | None:
        name = POSITION_ALIASES.get(position, position)
        found = self.positions.get(name)
        if found is None and name.startswith("учитель"):
            found = self.positions.get("учитель")
        return found

    # --- names -----------------------------------------------------------------------

    def sex_for(self, org_kind: str) -> str:
        return FEMALE if self.rng.random() < _FEMALE_SHARE.get(org_kind, 0.8) else MALE

    def name_for(self, sex: str) -> tuple[str, str, str]:
        rng = self.rng
        if sex == FEMALE:
            surname = rng.choice(self.female_surnames)
            name = rng.choice(names.FEMALE_NAMES)
        else:
            surname = rng.choice(self.male_surnames)
            name = rng.choice(names.MALE_NAMES)
        base = rng.choice(names.MALE_PATRONYMIC_BASES)
        patronymic = base[1] if sex == MALE else base[2]
        if rng.random() < 0.003:
            patronymic = ""  # no patronymic (it may be absent, DOMAIN.md §3)
        return surname, name, patronymic

    # --- experience ------------------------------------------------------------------

    def experience_start(self, young: bool | None = None, min_years: int = 0) -> date:
        """The date teaching started: about 17 % under three years, the rest spread to 45."""
        rng = self.rng
        if young is None:
            young = min_years == 0 and rng.random() < 0.17
        if young:
            days = rng.randrange(20, 3 * 365 - 5)
            start = self.today - timedelta(days=days)
            # Most start on the 1st of September; some in the middle of a year.
            if rng.random() < 0.7:
                year = start.year if start.month >= 9 else start.year - 1
                candidate = date(year, 9, 1)
                if (self.today - candidate).days < 3 * 365 - 5:
                    return candidate
            return start
        years = rng.uniform(3, 10) if rng.random() < 0.3 else rng.triangular(10, 44, 24)
        years = max(years, min_years + rng.uniform(0, 3))
        start = self.today - timedelta(days=int(years * 365.25))
        if rng.random() < 0.75:
            year = start.year if start.month >= 9 else start.year - 1
            return date(year, 9, 1)
        return start

    def category_for(self, since: date, master: bool = False) -> str:
        rng = self.rng
        if master:
            return "высшая" if rng.random() < 0.7 else "первая"
        years = (self.today - since).days / 365.25
        r = rng.random()
        if years < 2:
            return "без категории" if r < 0.85 else "соответствие занимаемой должности"
        if years < 5:
            return (
                "без категории"
                if r < 0.3
                else "соответствие занимаемой должности"
                if r < 0.6
                else "первая"
                if r < 0.95
                else "высшая"
            )
        if years < 15:
            return (
                "без категории"
                if r < 0.05
                else "соответствие занимаемой должности"
                if r < 0.25
                else "первая"
                if r < 0.7
                else "высшая"
            )
        return (
            "соответствие занимаемой должности" if r < 0.15 else "первая" if r < 0.5 else "высшая"
        )

    # --- positions -------------------------------------------------------------------

    def staff_position(self, org_kind: str) -> tuple[str, str]:
        """A rank-and-file position and subject for an organization of the kind."""
        rng = self.rng
        if org_kind == "school":
            keys, cum = self._school
            position = rng.choices(keys, cum_weights=cum)[0]
            subject = self._subjects.get(position, "") or _SPECIALIST_SUBJECTS.get(position, "")
            if position == "педагог дополнительного образования":
                subject = rng.choice(_ADDITIONAL_SUBJECTS)
            return position, subject
        if org_kind == "kindergarten":
            keys, cum = self._kindergarten
            position = rng.choices(keys, cum_weights=cum)[0]
            return position, _SPECIALIST_SUBJECTS.get(position, "")
        if org_kind == "additional":
            r = rng.random()
            if r < 0.86:
                return "педагог дополнительного образования", rng.choice(_ADDITIONAL_SUBJECTS)
            return ("методист", "") if r < 0.94 else ("педагог-организатор", "")
        if org_kind == "college":
            if rng.random() < 0.92:
                return "преподаватель", rng.choice(_COLLEGE_SUBJECTS)
            return "методист", ""
        if org_kind == "methodical_service":
            return ("методист", "") if rng.random() < 0.85 else ("старший методист", "")
        if org_kind in ("university", "institute"):
            return (
                ("преподаватель", "педагогика и психология")
                if rng.random() < 0.6
                else (
                    "методист",
                    "",
                )
            )
        return "методист", ""

    # --- contacts and documents ------------------------------------------------------

    def education(self, since: date, org_kind: str) -> str:
        rng = self.rng
        year = since.year if since.month >= 7 else since.year - 1
        if rng.random() < 0.08:
            year -= rng.randint(1, 6)
        spo = 0.35 if org_kind == "kindergarten" else 0.08
        if rng.random() < spo:
            return f"среднее профессиональное, {rng.choice(_COLLEGES)}, {year}"
        return f"высшее, {rng.choice(_UNIVERSITIES)}, {year}"

    def phone(self, phone_code: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            return (
                f"+7 {rng.choice(_MOBILE_CODES)} {rng.randrange(100, 1000)}-"
                f"{rng.randrange(10, 100)}-{rng.randrange(10, 100)}"
            )
        if r < 0.9:
            return f"+7 (861) {phone_code}-{rng.randrange(10, 100)}-{rng.randrange(10, 100)}"
        return ""

    def email(self, surname: str, name: str, patronymic: str, since: date) -> str:
        rng = self.rng
        if rng.random() < 0.12:
            return ""
        base = translit(surname)
        initials = translit(name[:1]) + translit(patronymic[:1])
        style = rng.randrange(4)
        if style == 0:
            local = f"{base}.{initials}"
        elif style == 1:
            local = f"{base}_{initials}{(since.year - 22) % 100:02d}"
        elif style == 2:
            local = f"{translit(name)}.{base}{rng.randrange(1, 100)}"
        else:
            local = f"{initials}{base}{rng.randrange(1970, 2003)}"
        return f"{local}@{rng.choice(_MAIL_HOSTS)}"

    def snils(self) -> str | None:
        """A valid СНИЛС for about half of the people, unique across the database."""
        if self.rng.random() >= 0.5:
            return None
        n = self._snils_n
        self._snils_n += 1
        value = self._SNILS_LOW + (self._snils_offset + n * self._SNILS_STEP) % self._SNILS_SPAN
        nine = f"{value:09d}"
        return f"{nine}{snils_checksum(nine):02d}"

    def consent(self, since: date, school_year: int, counter: int) -> tuple[date | None, str]:
        """Written consent to processing personal data (152-ФЗ), given at a school year's start."""
        rng = self.rng
        if rng.random() < 0.05:
            return None, ""
        first = max(2020, since.year)
        year = rng.randint(min(first, school_year), school_year)
        signed = date(year, 9, 1) + timedelta(days=rng.randrange(0, 28))
        signed = max(signed, since)
        if signed > self.today:
            signed = self.today
        return signed, f"Согласие № {counter}-ПД от {signed:%d.%m.%Y}"
