"""The preview of an import: what each row of the file becomes, before anything is written.

Every data row ends as one of

* ``create`` — a new record (and the organizations, platforms… it names that do not exist
  yet, listed in ``plan.new_*``);
* ``duplicate`` — the same person or organization as an earlier row of the file or a record
  of the database (same СНИЛС, or the same normalized ФИО + organization; for organizations
  the same normalized name); the user chooses to ``skip`` it (default) or ``merge`` it (the
  file's values fill what the record leaves empty, nothing is overwritten);
* ``rejected`` — with the reason, in Russian, for the error workbook.

Warnings (an invalid СНИЛС or e-mail dropped, a position not in the list) do not stop a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import UserError, ValidationError
from ...models import Organization, Person, Position, QualificationCategory
from ...text import fold
from ..crud import KnownIds
from ..organizations import OrganizationService
from ..people import PersonService, guess_sex
from .columns import KIND_TITLES, KINDS, ColumnMapping
from .normalize import (
    clean_email,
    clean_phone,
    clean_snils,
    name_part,
    org_kind,
    organization_key,
    organization_name,
    person_key,
    split_fio,
    to_date,
    to_sex,
)
from .reader import SourceRow, Table, cell_text

CREATE, DUPLICATE, REJECTED = "create", "duplicate", "rejected"
SKIP, MERGE = "skip", "merge"


@dataclass
class PlannedRow:
    number: int  # the row in the sheet, as Excel numbers it
    action: str
    summary: str = ""  # «Иванова Мария Петровна — МБОУ СОШ № 2»
    values: dict[str, Any] = field(default_factory=dict)  # service values, refs unresolved
    refs: dict[str, str] = field(default_factory=dict)  # e.g. organization → its key
    warnings: list[str] = field(default_factory=list)
    reason: str = ""  # why rejected
    duplicate_of: str = ""  # «строка 7 файла» / «педагог № 12 в базе»
    existing_id: int | None = None  # the database record a duplicate matches
    first_row: int | None = None  # the file row a duplicate repeats
    choice: str = SKIP


@dataclass
class NewRecord:
    """A record the import creates because a row names it and it does not exist yet."""

    key: str
    values: dict[str, Any]
    summary: str
    rows: list[int] = field(default_factory=list)


@dataclass
class ImportPlan:
    kind: str
    table: Table
    mapping: ColumnMapping
    rows: list[PlannedRow] = field(default_factory=list)
    new_organizations: dict[str, NewRecord] = field(default_factory=dict)
    new_persons: dict[str, NewRecord] = field(default_factory=dict)
    new_platforms: dict[str, NewRecord] = field(default_factory=dict)
    new_programs: dict[str, NewRecord] = field(default_factory=dict)
    new_mentors: dict[str, NewRecord] = field(default_factory=dict)

    def of(self, action: str) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == action]

    @property
    def counts(self) -> dict[str, int]:
        """rows, to create, duplicates (of which merged), rejected, warnings."""
        return {
            "rows": len(self.rows),
            "create": len(self.of(CREATE)),
            "duplicates": len(self.of(DUPLICATE)),
            "merge": sum(1 for r in self.of(DUPLICATE) if r.choice == MERGE),
            "rejected": len(self.of(REJECTED)),
            "warnings": sum(len(r.warnings) for r in self.rows),
        }

    def row(self, number: int) -> PlannedRow:
        for planned in self.rows:
            if planned.number == number:
                return planned
        raise UserError(f"Строки {number} среди данных файла нет.")

    def choose(self, number: int, choice: str) -> None:
        """Skip or merge the duplicate in row ``number``."""
        if choice not in (SKIP, MERGE):
            raise UserError(f"Для повтора можно выбрать «{SKIP}» или «{MERGE}», не «{choice}».")
        planned = self.row(number)
        if planned.action != DUPLICATE:
            raise UserError(f"Строка {number} — не повтор.")
        planned.choice = choice

    def choose_all(self, choice: str) -> None:
        for planned in self.of(DUPLICATE):
            self.choose(planned.number, choice)

    def describe(self) -> str:
        """The preview as text (the CLI prints it; the wizard shows the same lists)."""
        c = self.counts
        lines = [
            f"Импорт ({KIND_TITLES[self.kind]}): лист «{self.table.sheet}», заголовок в строке "
            f"{self.table.header_row}; строк с данными: {c['rows']} (пропущено пустых: "
            f"{self.table.skipped_blank}, итоговых: {self.table.skipped_totals}).",
            f"Будет создано: {c['create']}; повторов: {c['duplicates']} (объединить: "
            f"{c['merge']}, пропустить: {c['duplicates'] - c['merge']}); отклонено: "
            f"{c['rejected']}.",
        ]
        for header, label in self.mapping.describe():
            lines.append(f"  столбец «{header}» → {label}")
        for _index, header in self.mapping.unplaced:
            lines.append(f"  столбец «{header}» не распознан и не загружается")
        for title, records in (
            ("Новые организации", self.new_organizations),
            ("Новые педагоги", self.new_persons),
            ("Новые площадки", self.new_platforms),
            ("Новые программы", self.new_programs),
            ("Новые педагоги-мастера", self.new_mentors),
        ):
            if records:
                lines.append(f"{title} ({len(records)}):")
                lines += [f"  {r.summary}" for r in records.values()]
        for planned in self.of(DUPLICATE):
            lines.append(
                f"Строка {planned.number}: повтор ({planned.duplicate_of}) — {planned.summary}"
            )
        for planned in self.of(REJECTED):
            lines.append(f"Строка {planned.number}: отклонена — {planned.reason}")
        for planned in self.rows:
            for warning in planned.warnings:
                lines.append(f"Строка {planned.number}: {warning}")
        return "\n".join(lines)


class _Reject(Exception):
    """A row cannot be imported; the message is the reason."""


def _problems_text(exc: ValidationError) -> str:
    return "; ".join(str(p) for p in exc.problems)


class _Context:
    """What the database already holds, loaded once, and what the file adds."""

    def __init__(self, session: Session, plan: ImportPlan):
        self.session = session
        self.plan = plan
        self.known = KnownIds(session)
        self.orgs: dict[str, int] = {}
        for org_id, short, full in session.execute(
            select(Organization.id, Organization.short_name, Organization.full_name)
        ):
            for name in (full, short):
                self.orgs.setdefault(organization_key(name), org_id)
        self.positions = {
            fold(n): i for i, n in session.execute(select(Position.id, Position.name))
        }
        self.categories = {
            fold(n): i
            for i, n in session.execute(
                select(QualificationCategory.id, QualificationCategory.name)
            )
        }
        self._persons: tuple[dict[str, int], dict[tuple[str, int | None], int]] | None = None
        self._org_keys: dict[str, tuple[str, str]] = {}  # cell text → (name, key): they repeat
        self.org_names: dict[str, str] = {}  # key → short name of an organization in the base

    def persons(self) -> tuple[dict[str, int], dict[tuple[str, int | None], int]]:
        if self._persons is None:
            by_snils: dict[str, int] = {}
            by_name: dict[tuple[str, int | None], int] = {}
            for pid, surname, name, patronymic, org_id, snils in self.session.execute(
                select(
                    Person.id,
                    Person.surname,
                    Person.name,
                    Person.patronymic,
                    Person.organization_id,
                    Person.snils,
                )
            ):
                if snils:
                    by_snils[snils] = pid
                by_name.setdefault((person_key(surname, name, patronymic), org_id), pid)
            self._persons = by_snils, by_name
        return self._persons

    def organization(self, raw: Any, row: int, label: str) -> str:
        """The key of the organization a cell names; a new one is validated and listed."""
        known = self._org_keys.get(raw) if isinstance(raw, str) else None
        if known is not None:
            name, key = known
        else:
            name = organization_name(raw)
            key = organization_key(name) if name else ""
            if isinstance(raw, str):
                self._org_keys[raw] = name, key
        if not name:
            return ""
        if key in self.orgs:
            return key
        new = self.plan.new_organizations.get(key)
        if new is None:
            kind, _ = org_kind(None, name)
            values = {"full_name": name, "short_name": name, "kind": kind}
            try:
                values = OrganizationService().validate(self.session, values, known=self.known)
            except ValidationError as exc:
                raise _Reject(f"{label} «{cell_text(raw)}»: {_problems_text(exc)}") from None
            new = NewRecord(key, values, name)
            self.plan.new_organizations[key] = new
        new.rows.append(row)
        return key

    def organization_id(self, key: str) -> int | None:
        return self.orgs.get(key) if key else None


def _cell(row: SourceRow, mapping: ColumnMapping, name: str) -> Any:
    index = mapping.fields.get(name)
    return None if index is None else row.get(index)


def _date(row: SourceRow, mapping: ColumnMapping, name: str, label: str) -> Any:
    raw = _cell(row, mapping, name)
    try:
        return to_date(raw)
    except (ValueError, OverflowError):
        raise _Reject(f"{label}: «{cell_text(raw)}» — не дата; ожидается ДД.ММ.ГГГГ") from None


def person_values(
    ctx: _Context, row: SourceRow, mapping: ColumnMapping
) -> tuple[dict[str, Any], str, list[str]]:
    """The PersonService values of a row, the key of its organization and the warnings."""
    warnings: list[str] = []
    labels = KINDS[mapping.kind]
    if "fio" in mapping.fields:
        surname, name, patronymic = split_fio(_cell(row, mapping, "fio"))
    else:
        surname, name, patronymic = ("", "", "")
    surname = name_part(_cell(row, mapping, "surname")) or surname
    name = name_part(_cell(row, mapping, "name")) or name
    patronymic = split_fio(f"_ _ {cell_text(_cell(row, mapping, 'patronymic'))}")[2] or patronymic
    if not surname and not name:
        raise _Reject("не указаны фамилия и имя")
    if not name:
        raise _Reject("Имя: не указано")
    if not surname:
        raise _Reject("Фамилия: не указана")
    values: dict[str, Any] = {"surname": surname, "name": name, "patronymic": patronymic}
    sex = to_sex(_cell(row, mapping, "sex")) or guess_sex(name, patronymic)
    if sex is None:
        raise _Reject(
            f"пол не указан и по отчеству «{patronymic or '—'}» не определяется — "
            "добавьте столбец «Пол» (м/ж)"
        )
    values["sex"] = sex
    snils, warning = clean_snils(_cell(row, mapping, "snils"))
    if warning:
        warnings.append(warning)
    values["snils"] = snils
    if mapping.kind == "persons":
        email, warning = clean_email(_cell(row, mapping, "email"))
        if warning:
            warnings.append(warning)
        values["email"] = email
        values["phone"] = clean_phone(_cell(row, mapping, "phone"))
        values["subject"] = cell_text(_cell(row, mapping, "subject"))
        values["education"] = cell_text(_cell(row, mapping, "education"))
        values["teaching_since"] = _date(row, mapping, "teaching_since", labels["teaching_since"])
        values["consent_on"] = _date(row, mapping, "consent_on", labels["consent_on"])
        category = cell_text(_cell(row, mapping, "category"))
        if category:
            values["category_id"] = _lookup(ctx.categories, category)
            if values["category_id"] is None:
                warnings.append(
                    f"квалификационной категории «{category}» нет в справочнике — не заполнена"
                )
    position = cell_text(_cell(row, mapping, "position"))
    if position:
        values["position_id"] = _lookup(ctx.positions, position)
        if values["position_id"] is None:
            warnings.append(f"должности «{position}» нет в справочнике — не заполнена")
    try:
        checked = {k: v for k, v in values.items() if k != "snils"}  # uniqueness: duplicates
        values = PersonService().validate(ctx.session, checked, known=ctx.known)
    except ValidationError as exc:
        raise _Reject(_problems_text(exc)) from None
    values["snils"] = snils
    org_key = ctx.organization(
        _cell(row, mapping, "organization"), row.number, labels["organization"]
    )
    return values, org_key, warnings


def _lookup(known: dict[str, int], text: str) -> int | None:
    """A reference item by its name, or the only one whose name starts with the text
    («высшая» → «высшая квалификационная категория»)."""
    key = fold(text)
    if key in known:
        return known[key]
    found = [i for name, i in known.items() if name.startswith(key)]
    return found[0] if len(found) == 1 else None


def _person_summary(values: dict[str, Any], org_name: str) -> str:
    fio = " ".join(p for p in (values["surname"], values["name"], values["patronymic"]) if p)
    return f"{fio} — {org_name}" if org_name else fio


def _org_display(ctx: _Context, key: str, raw: Any) -> str:
    """The organization as the preview names it: as the database or the first row has it."""
    if not key:
        return ""
    if key in ctx.plan.new_organizations:
        return ctx.plan.new_organizations[key].summary
    if key in ctx.orgs:
        if key not in ctx.org_names:
            org = ctx.session.get(Organization, ctx.orgs[key])
            ctx.org_names[key] = org.short_name if org is not None else ""
        if ctx.org_names[key]:
            return ctx.org_names[key]
    return organization_name(raw)


def _plan_persons(ctx: _Context, plan: ImportPlan) -> None:
    by_snils, by_name = ctx.persons()
    file_snils: dict[str, int] = {}
    file_names: dict[tuple[str, str], int] = {}
    for row in plan.table.rows:
        try:
            values, org_key, warnings = person_values(ctx, row, plan.mapping)
        except _Reject as exc:
            plan.rows.append(PlannedRow(row.number, REJECTED, reason=str(exc)))
            continue
        org_raw = _cell(row, plan.mapping, "organization")
        planned = PlannedRow(
            row.number,
            CREATE,
            _person_summary(values, _org_display(ctx, org_key, org_raw)),
            values,
            {"organization": org_key},
            warnings,
        )
        key = person_key(values["surname"], values["name"], values["patronymic"])
        snils = values.get("snils")
        org_id = ctx.organization_id(org_key)
        if snils and snils in file_snils:
            _duplicate_of_row(planned, file_snils[snils], "тот же СНИЛС")
        elif (key, org_key) in file_names:
            _duplicate_of_row(planned, file_names[(key, org_key)], "те же ФИО и организация")
        elif snils and snils in by_snils:
            _duplicate_of_record(planned, by_snils[snils], "тот же СНИЛС")
        elif (org_id is not None or not org_key) and (key, org_id) in by_name:
            _duplicate_of_record(planned, by_name[(key, org_id)], "те же ФИО и организация")
        if planned.first_row is None:  # later rows repeating this one point here
            if snils:
                file_snils.setdefault(snils, row.number)
            file_names.setdefault((key, org_key), row.number)
        plan.rows.append(planned)
    _drop_unused_new(plan)


def _duplicate_of_row(planned: PlannedRow, first: int, why: str) -> None:
    planned.action, planned.first_row = DUPLICATE, first
    planned.duplicate_of = f"{why}, что в строке {first} файла"


def _duplicate_of_record(
    planned: PlannedRow, record_id: int, why: str, what: str = "педагог"
) -> None:
    planned.action, planned.existing_id = DUPLICATE, record_id
    planned.duplicate_of = f"{why}, что у записи «{what} № {record_id}» в базе"


def _drop_unused_new(plan: ImportPlan) -> None:
    """New organizations named only by rows that were rejected are not created."""
    live = {r.number for r in plan.rows if r.action != REJECTED}
    for records in (plan.new_organizations,):
        for key in [k for k, r in records.items() if not set(r.rows) & live]:
            del records[key]
        for record in records.values():
            record.rows = [n for n in record.rows if n in live]


def _plan_organizations(ctx: _Context, plan: ImportPlan) -> None:
    from ...models import Municipality

    mapping = plan.mapping
    municipalities = {
        fold(n): i for i, n in ctx.session.execute(select(Municipality.id, Municipality.name))
    }
    file_keys: dict[str, int] = {}
    for row in plan.table.rows:
        try:
            full = organization_name(_cell(row, mapping, "full_name"))
            short = organization_name(_cell(row, mapping, "short_name"))
            if not full and not short:
                raise _Reject("не указано наименование организации")
            full, short = full or short, short or full
            kind, _ = org_kind(_cell(row, mapping, "kind"), f"{short} {full}")
            warnings: list[str] = []
            email, warning = clean_email(_cell(row, mapping, "email"))
            if warning:
                warnings.append(warning)
            values: dict[str, Any] = {
                "full_name": full,
                "short_name": short,
                "kind": kind,
                "address": cell_text(_cell(row, mapping, "address")),
                "head_name": " ".join(split_fio(_cell(row, mapping, "head_name"))).strip(),
                "phone": clean_phone(_cell(row, mapping, "phone")),
                "email": email,
                "staff_count": _staff(_cell(row, mapping, "staff_count")),
            }
            municipality = cell_text(_cell(row, mapping, "municipality"))
            if municipality:
                values["municipality_id"] = _lookup(municipalities, municipality)
                if values["municipality_id"] is None:
                    warnings.append(
                        f"муниципалитета «{municipality}» нет в справочнике — не заполнен"
                    )
            try:
                values = OrganizationService().validate(ctx.session, values, known=ctx.known)
            except ValidationError as exc:
                raise _Reject(_problems_text(exc)) from None
        except _Reject as exc:
            plan.rows.append(PlannedRow(row.number, REJECTED, reason=str(exc)))
            continue
        planned = PlannedRow(row.number, CREATE, short if short == full else f"{short} ({full})",
                             values, {}, warnings)  # fmt: skip
        keys = {organization_key(full), organization_key(short)}
        first = next((file_keys[k] for k in keys if k in file_keys), None)
        existing = next((ctx.orgs[k] for k in keys if k in ctx.orgs), None)
        if first is not None:
            _duplicate_of_row(planned, first, "то же наименование")
        else:
            if existing is not None:
                _duplicate_of_record(planned, existing, "то же наименование", "организация")
            for k in keys:
                file_keys[k] = row.number
        plan.rows.append(planned)


def _staff(raw: Any) -> Any:
    text = cell_text(raw)
    return text.replace(" ", "") if text else None


_PLANNERS: dict[str, Callable[[_Context, ImportPlan], None]] = {
    "persons": _plan_persons,
    "organizations": _plan_organizations,
}


def build_plan(
    session: Session,
    table: Table,
    mapping: ColumnMapping,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportPlan:
    """The preview of importing ``table`` with ``mapping``. Reads the database, writes nothing.
    ``progress(done, total, text)`` is called as rows are read and may raise to cancel."""
    if mapping.missing:
        raise UserError(
            f"В таблице (лист «{table.sheet}», строка заголовков {table.header_row}) не найдены "
            f"столбцы: {', '.join(mapping.missing)}. Укажите, какой столбец чем является."
        )
    plan = ImportPlan(mapping.kind, table, mapping)
    if progress is not None:
        table = _watched(table, progress, "Проверка строк")
        plan.table = table
    if mapping.kind == "internships":
        from .internships import plan_internships

        plan_internships(_Context(session, plan), plan)
        return plan
    planner = _PLANNERS.get(mapping.kind)
    if planner is None:
        raise UserError(f"Импорт вида «{mapping.kind}» пока не поддерживается.")
    planner(_Context(session, plan), plan)
    return plan


class _WatchedRows(list):  # type: ignore[type-arg]
    """The table's rows, reporting progress as a planner walks through them."""

    def __init__(self, rows: list[SourceRow], progress: Callable[[int, int, str], None], text: str):
        super().__init__(rows)
        self._progress, self._text = progress, text

    def __iter__(self):  # type: ignore[no-untyped-def]
        total = len(self)
        for index, row in enumerate(super().__iter__()):
            if index % 200 == 0:
                self._progress(index, total, self._text)
            yield row
        self._progress(total, total, self._text)


def _watched(table: Table, progress: Callable[[int, int, str], None], text: str) -> Table:
    from dataclasses import replace

    return replace(table, rows=_WatchedRows(table.rows, progress, text))
