"""Russian header variants mapped to fields, per import kind. What cannot be placed is listed
for the mapping step (the wizard lets the user place it; the CLI reports it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from ...errors import UserError
from ...text import fold

PERSON_FIELDS: dict[str, str] = {
    "fio": "ФИО",
    "surname": "Фамилия",
    "name": "Имя",
    "patronymic": "Отчество",
    "sex": "Пол",
    "organization": "Место работы (организация)",
    "position": "Должность",
    "subject": "Предмет",
    "teaching_since": "Дата начала педагогической деятельности",
    "category": "Квалификационная категория",
    "education": "Образование",
    "phone": "Телефон",
    "email": "Электронная почта",
    "snils": "СНИЛС",
    "consent_on": "Дата согласия на обработку ПДн",
}
ORGANIZATION_FIELDS: dict[str, str] = {
    "full_name": "Полное наименование",
    "short_name": "Краткое наименование",
    "kind": "Тип организации",
    "municipality": "Муниципалитет",
    "address": "Адрес",
    "head_name": "Руководитель",
    "phone": "Телефон",
    "email": "Электронная почта",
    "staff_count": "Число педагогических работников",
}
INTERNSHIP_FIELDS: dict[str, str] = {
    **{k: PERSON_FIELDS[k] for k in ("fio", "surname", "name", "patronymic", "sex")},
    "organization": PERSON_FIELDS["organization"],
    "position": PERSON_FIELDS["position"],
    "snils": PERSON_FIELDS["snils"],
    "platform": "Стажировочная площадка",
    "program": "Программа",
    "mentor": "Педагог-мастер (наставник)",
    "cohort": "Группа (поток)",
    "start_date": "Дата начала стажировки",
    "planned_end": "Плановая дата окончания",
    "status": "Статус",
    "hours_done": "Часов пройдено",
}
KINDS: dict[str, dict[str, str]] = {
    "persons": PERSON_FIELDS,
    "organizations": ORGANIZATION_FIELDS,
    "internships": INTERNSHIP_FIELDS,
}
KIND_TITLES = {"persons": "педагоги", "organizations": "организации", "internships": "стажировки"}

# Patterns over a normalized header (see :func:`normalize_header`), tried in order: the first
# field whose pattern matches takes the column, unless that field is already placed.
_RULES: dict[str, list[tuple[str, str]]] = {
    "mentor": [
        ("mentor", r"наставник|педагог мастер|мастер$"),
    ],
    "person": [
        ("fio", r"^фио\b|^фамилия имя отчество|^фамилия имя и отчество"),
        ("surname", r"^фамилия\b"),
        ("name", r"^имя\b"),
        ("patronymic", r"^отчество\b"),
        ("sex", r"^пол\b"),
        ("snils", r"снилс|страховой номер"),
        ("teaching_since", r"(начал\w*|дата) (пед|педагогическ)|пед\w* (деятельност|стаж)\w* с\b"),
        ("position", r"^должност|занимаемая должность"),
        ("subject", r"предмет|преподаваемая дисциплина"),
        ("category", r"категори"),
        ("education", r"^образование|уровень образования"),
        ("consent_on", r"соглас"),
    ],
    "contacts": [
        ("email", r"e ?mail|эл\w* почт|^почта|электронн\w* адрес"),
        ("phone", r"телефон|^тел\b|контактн\w* номер|^моб"),
    ],
    "organization_ref": [
        ("organization", r"место работы|^оо\b|^оу\b|организаци|учреждени|^школа|^доу\b"),
    ],
    "organization": [
        ("short_name", r"кратк\w* наименование|сокращенн\w* наименование"),
        ("full_name", r"полн\w* наименование|^наименование|^название|организаци|учреждени"),
        ("kind", r"^тип\b|^вид\b"),
        ("municipality", r"муниципал|район|^мо\b"),
        ("address", r"адрес"),
        ("head_name", r"руководител|директор|заведующ"),
        ("staff_count", r"(числ|количеств|кол во)\w* (пед|работник|сотрудник)|пед\w* работник"),
    ],
    "internship": [
        ("platform", r"площадк"),
        ("program", r"программ"),
        ("cohort", r"^групп|^поток"),
        ("start_date", r"(дата )?начал\w*( стажировк)?$|^с$|дата начала стажировки"),
        ("planned_end", r"(дата )?окончани|^по$|завершени"),
        ("status", r"^статус|^состояние"),
        ("hours_done", r"(^|\s)час"),
    ],
}
_KIND_RULES = {
    "persons": ("person", "contacts", "organization_ref"),
    "organizations": ("contacts", "organization"),
    "internships": ("mentor", "internship", "person", "organization_ref"),
}
_FIO = re.compile(r"\bф\s*\.?\s*и\s*\.?\s*о\b\.?")
_PUNCT = re.compile(r"[^\w\s]|_")


def normalize_header(text: str) -> str:
    """«Ф.И.О. педагога» → «фио педагога»; «Место работы (ОО)» → «место работы оо»."""
    folded = fold(text)
    folded = _FIO.sub("фио", folded)
    return " ".join(_PUNCT.sub(" ", folded).split())


def field_for(header: str, kind: str, taken: set[str] = frozenset()) -> str | None:  # type: ignore[assignment]
    normalized = normalize_header(header)
    if not normalized:
        return None
    for group in _KIND_RULES[kind]:
        for name, pattern in _RULES[group]:
            if name in KINDS[kind] and name not in taken and re.search(pattern, normalized):
                return name
    return None


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based) holds which field, and what is left for the user to place."""

    kind: str
    headers: tuple[str, ...]
    columns: dict[int, str] = field(default_factory=dict)

    @cached_property  # read for every cell of an import; the mapping never changes
    def fields(self) -> dict[str, int]:
        return {name: index for index, name in self.columns.items()}

    @property
    def unplaced(self) -> list[tuple[int, str]]:
        """Columns with a header the import did not place: (index, header)."""
        return [(i, h) for i, h in enumerate(self.headers) if h.strip() and i not in self.columns]

    @property
    def missing(self) -> list[str]:
        """Labels of what the import cannot do without (empty when it can go on)."""
        have = set(self.columns.values())
        labels = KINDS[self.kind]
        missing: list[str] = []
        if self.kind in ("persons", "internships") and not (
            "fio" in have or {"surname", "name"} <= have
        ):
            missing.append(f"{labels['fio']} (в одном столбце или в трёх)")
        if self.kind == "organizations" and not have & {"full_name", "short_name"}:
            missing.append(labels["full_name"])
        if self.kind == "internships":
            missing += [labels[f] for f in ("program", "start_date") if f not in have]
        return missing

    def assign(self, index: int, name: str | None) -> ColumnMapping:
        """The mapping with column ``index`` placed on field ``name`` (None: left out)."""
        if not 0 <= index < len(self.headers):
            raise UserError(f"Столбца № {index + 1} в таблице нет.")
        if name is not None and name not in KINDS[self.kind]:
            raise UserError(f"Поля «{name}» при импорте нет.")
        columns = {i: f for i, f in self.columns.items() if i != index and f != name}
        if name is not None:
            columns[index] = name
        return replace(self, columns=columns)

    def describe(self) -> list[tuple[str, str]]:
        """(header in the file, field label) for every placed column, in file order."""
        labels = KINDS[self.kind]
        return [(self.headers[i], labels[f]) for i, f in sorted(self.columns.items())]


def map_columns(headers: list[str] | tuple[str, ...], kind: str) -> ColumnMapping:
    if kind not in KINDS:
        raise UserError(f"Неизвестный вид импорта «{kind}»: возможны {', '.join(KINDS)}.")
    columns: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        name = field_for(header, kind, taken)
        if name is not None:
            columns[index] = name
            taken.add(name)
    return ColumnMapping(kind, tuple(headers), columns)


def header_score(texts: list[str]) -> int:
    """How much a row looks like a header: the most columns any import kind recognizes."""
    best = 0
    for kind in KINDS:
        taken: set[str] = set()
        for text in texts:
            if len(text) > 120:  # a title sentence, not a header
                continue
            name = field_for(text, kind, taken)
            if name is not None:
                taken.add(name)
        best = max(best, len(taken))
    return best
