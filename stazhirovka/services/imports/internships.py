"""Import of internships. A row names an intern, a program and, optionally, the platform, a
mentor, dates and a status; the persons, organizations, platforms, programs and mentors it
names that do not exist yet are created and listed in the preview (``plan.new_*``).

A completed internship is created as it would be in the window: enrolled (идёт), then
completed on its end date; a withdrawn one needs a reason the registries do not keep, so such
rows are rejected with that reason."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import ValidationError
from ...models import Internship, InternshipStatus, Platform, PlatformKind, Program, TeacherMaster
from ...text import fold
from ..internships import InternshipService
from ..people import PersonService
from ..platforms import PlatformService, TeacherMasterService
from ..programs import ProgramService
from ..validation import coerce
from .columns import KINDS
from .normalize import person_key, split_fio
from .plan import (
    CREATE,
    DUPLICATE,
    MERGE,
    REJECTED,
    ImportPlan,
    NewRecord,
    PlannedRow,
    _cell,
    _Context,
    _date,
    _duplicate_of_record,
    _duplicate_of_row,
    _problems_text,
    _Reject,
    person_values,
)
from .reader import cell_text

S = InternshipStatus
_STATUS = {
    "запланирована": S.PLANNED, "планируется": S.PLANNED, "план": S.PLANNED,
    "идет": S.ACTIVE, "идёт": S.ACTIVE, "проходит": S.ACTIVE, "в процессе": S.ACTIVE,
    "обучается": S.ACTIVE, "активна": S.ACTIVE,
    "завершена": S.COMPLETED, "завершил": S.COMPLETED, "завершила": S.COMPLETED,
    "завершено": S.COMPLETED, "окончена": S.COMPLETED, "прошел": S.COMPLETED,
    "прошла": S.COMPLETED, "выполнена": S.COMPLETED,
    "прекращена": S.WITHDRAWN, "отчислен": S.WITHDRAWN, "отчислена": S.WITHDRAWN,
    "выбыл": S.WITHDRAWN, "выбыла": S.WITHDRAWN,
}  # fmt: skip


def _status(raw: Any, end: date | None, today: date) -> S:
    text = fold(cell_text(raw)).rstrip(".")
    if not text:
        return S.COMPLETED if end is not None and end <= today else S.ACTIVE
    for word, status in _STATUS.items():
        if text == fold(word) or text.startswith(fold(word)):
            return status
    raise _Reject(
        f"Статус: «{cell_text(raw)}» — не понятен; возможны: запланирована, идёт, завершена"
    )


class _Links:
    """The database's platforms, programs, mentors and internships, loaded once."""

    def __init__(self, ctx: _Context):
        s: Session = ctx.session
        self.ctx = ctx
        org_platforms: dict[int, list[tuple[int, PlatformKind]]] = {}
        for pid, org_id, kind in s.execute(
            select(Platform.id, Platform.organization_id, Platform.kind).order_by(Platform.id)
        ):
            org_platforms.setdefault(org_id, []).append((pid, kind))
        self.org_platforms = org_platforms
        self.platform_org = {p: o for o, items in org_platforms.items() for p, _ in items}
        self.org_key = {org_id: key for key, org_id in reversed(list(ctx.orgs.items()))}
        self.programs: dict[str, list[tuple[int, int]]] = {}
        for pid, title, platform_id in s.execute(
            select(Program.id, Program.title, Program.platform_id).order_by(Program.id)
        ):
            self.programs.setdefault(fold(title), []).append((pid, platform_id))
        self.masters = {
            (person_id, platform_id): tid
            for tid, person_id, platform_id in s.execute(
                select(TeacherMaster.id, TeacherMaster.person_id, TeacherMaster.platform_id)
            )
        }
        self.enrolled = {
            (person_id, program_id): iid
            for iid, person_id, program_id in s.execute(
                select(Internship.id, Internship.person_id, Internship.program_id)
            )
        }
        by_snils, by_name = ctx.persons()
        self.by_snils, self.by_name = by_snils, by_name
        self.by_name_only: dict[str, list[int]] = {}
        for (key, _org), pid in by_name.items():
            self.by_name_only.setdefault(key, []).append(pid)

    def platform_of(self, org_key: str) -> int | None:
        org_id = self.ctx.organization_id(org_key)
        found = self.org_platforms.get(org_id or -1, [])
        preferred = [p for p, kind in found if kind == PlatformKind.INTERNSHIP] or [
            p for p, _ in found
        ]
        return preferred[0] if preferred else None


def _new(records: dict[str, NewRecord], key: str, values: dict[str, Any], summary: str,
         row: int) -> str:  # fmt: skip
    record = records.get(key)
    if record is None:
        record = records[key] = NewRecord(key, values, summary)
    record.rows.append(row)
    return key


def plan_internships(ctx: _Context, plan: ImportPlan) -> None:
    links = _Links(ctx)
    labels = KINDS["internships"]
    today = date.today()
    seen: dict[tuple[str, str], int] = {}
    for row in plan.table.rows:
        try:
            planned = _plan_row(ctx, links, plan, row, labels, today)
        except _Reject as exc:
            plan.rows.append(PlannedRow(row.number, REJECTED, reason=str(exc)))
            _forget(plan, row.number)
            continue
        key = (planned.refs["person"], planned.refs["program"])
        if key in seen:
            _duplicate_of_row(planned, seen[key], "тот же стажёр на той же программе")
        else:
            seen[key] = row.number
            existing = _existing_enrolment(links, planned)
            if existing is not None:
                _duplicate_of_record(
                    planned, existing, "тот же стажёр на той же программе", "стажировка"
                )
        plan.rows.append(planned)


def _existing_enrolment(links: _Links, planned: PlannedRow) -> int | None:
    person, program = planned.refs["person"], planned.refs["program"]
    if person.startswith("db:") and program.startswith("db:"):
        return links.enrolled.get((int(person[3:]), int(program[3:])))
    return None


def _forget(plan: ImportPlan, number: int) -> None:
    """A rejected row creates nothing: drop new records only it named."""
    for records in (
        plan.new_organizations,
        plan.new_persons,
        plan.new_platforms,
        plan.new_programs,
        plan.new_mentors,
    ):
        for key in list(records):
            record = records[key]
            if number in record.rows:
                record.rows.remove(number)
                if not record.rows:
                    del records[key]


def _plan_row(ctx: _Context, links: _Links, plan: ImportPlan, row: Any, labels: dict[str, str],
              today: date) -> PlannedRow:  # fmt: skip
    mapping = plan.mapping
    # Dates and status first: a row that fails there names nothing new.
    start = _date(row, mapping, "start_date", labels["start_date"])
    if start is None:
        raise _Reject(f"{labels['start_date']}: не указана")
    end = _date(row, mapping, "planned_end", labels["planned_end"])
    if end is not None and end < start:
        raise _Reject(f"{labels['planned_end']}: раньше даты начала")
    status = _status(_cell(row, mapping, "status"), end, today)
    if status == S.WITHDRAWN:
        raise _Reject(
            "прекращённая стажировка не загружается: в таблице нет причины прекращения — "
            "внесите её в программе вручную"
        )
    if status == S.COMPLETED and end is None:
        raise _Reject(f"завершённой стажировке нужна {labels['planned_end'].lower()}")
    scalars = {
        "cohort": _cell(row, mapping, "cohort"),
        "hours_done": _cell(row, mapping, "hours_done"),
    }
    clean, problems = coerce(InternshipService.field_map(), scalars)
    if problems:
        raise _Reject("; ".join(str(p) for p in problems))
    program_title = " ".join(cell_text(_cell(row, mapping, "program")).split())
    if not program_title:
        raise _Reject(f"{labels['program']}: не указана")

    values, org_key, warnings = person_values(ctx, row, mapping)
    person_ref = _person_ref(ctx, links, plan, values, org_key, row.number)

    platform_raw = _cell(row, mapping, "platform")
    platform_ref = ""
    if cell_text(platform_raw):
        platform_org = ctx.organization(platform_raw, row.number, labels["platform"])
        platform_id = links.platform_of(platform_org)
        if platform_id is not None:
            platform_ref = f"db:{platform_id}"
        else:
            platform_values = {"organization": platform_org, "kind": PlatformKind.INTERNSHIP,
                               "active_from": start}  # fmt: skip
            name = _org_name(ctx, plan, platform_org)
            platform_ref = "new:" + _new(plan.new_platforms, platform_org, platform_values,
                                         f"{name} (стажировочная)", row.number)  # fmt: skip
            record = plan.new_platforms[platform_org]
            record.values["active_from"] = min(record.values["active_from"], start)

    program_ref = _program_ref(links, plan, program_title, platform_ref, row.number)
    mentor_ref = _mentor_ref(ctx, links, plan, row, program_ref, row.number)

    internship = {
        "start_date": start,
        "planned_end": end,
        "status": status,
        "cohort": clean.get("cohort") or "",
        "hours_done": clean.get("hours_done"),
    }
    refs = {"person": person_ref, "program": program_ref, "mentor": mentor_ref}
    known = all(r.startswith("db:") or not r for r in refs.values())
    if known and (int(person_ref[3:]), int(program_ref[3:])) not in links.enrolled:
        data = {k: v for k, v in internship.items() if v is not None}
        data["status"] = S.ACTIVE if status == S.COMPLETED else status
        data |= {"person_id": int(person_ref[3:]), "program_id": int(program_ref[3:])}
        if mentor_ref:
            data["mentor_id"] = int(mentor_ref[3:])
        try:
            InternshipService().validate(ctx.session, data, known=ctx.known)
        except ValidationError as exc:
            raise _Reject(_problems_text(exc)) from None
    fio = " ".join(p for p in (values["surname"], values["name"], values["patronymic"]) if p)
    return PlannedRow(row.number, CREATE, f"{fio} — «{program_title}»", internship, refs, warnings)


def _org_name(ctx: _Context, plan: ImportPlan, key: str) -> str:
    if key in plan.new_organizations:
        return plan.new_organizations[key].summary
    from ...models import Organization

    org = ctx.session.get(Organization, ctx.orgs[key]) if key in ctx.orgs else None
    return org.short_name if org is not None else key


def _person_ref(ctx: _Context, links: _Links, plan: ImportPlan, values: dict[str, Any],
                org_key: str, number: int) -> str:  # fmt: skip
    key = person_key(values["surname"], values["name"], values["patronymic"])
    snils = values.get("snils")
    if snils and snils in links.by_snils:
        return f"db:{links.by_snils[snils]}"
    org_id = ctx.organization_id(org_key)
    if (org_id is not None or not org_key) and (key, org_id) in links.by_name:
        return f"db:{links.by_name[(key, org_id)]}"
    for record in plan.new_persons.values():
        if (snils and record.values.get("snils") == snils) or record.key == f"{key}|{org_key}":
            record.rows.append(number)
            return f"new:{record.key}"
    fio = " ".join(p for p in (values["surname"], values["name"], values["patronymic"]) if p)
    org_name = _org_name(ctx, plan, org_key) if org_key else ""
    record_values = dict(values) | {"organization": org_key}
    summary = f"{fio} — {org_name}" if org_name else fio
    return "new:" + _new(plan.new_persons, f"{key}|{org_key}", record_values, summary, number)


def _program_ref(links: _Links, plan: ImportPlan, title: str, platform_ref: str,
                 number: int) -> str:  # fmt: skip
    found = links.programs.get(fold(title), [])
    if platform_ref.startswith("db:"):
        platform_id = int(platform_ref[3:])
        found = [p for p in found if p[1] == platform_id]
    if len(found) == 1:
        return f"db:{found[0][0]}"
    if len(found) > 1:
        raise _Reject(f"программ «{title}» несколько — укажите площадку")
    if not platform_ref:
        named = [k for k in plan.new_programs if k.split("|", 1)[0] == fold(title)]
        if len(named) == 1:  # a program an earlier row of the file creates
            plan.new_programs[named[0]].rows.append(number)
            return f"new:{named[0]}"
        raise _Reject(f"программы «{title}» нет, а площадка не указана — создать её нельзя")
    key = f"{fold(title)}|{platform_ref}"
    values = {"title": title, "platform": platform_ref}
    summary = f"«{title}»"
    if platform_ref.startswith("new:"):
        summary += f" — {plan.new_platforms[platform_ref[4:]].summary}"
    return "new:" + _new(plan.new_programs, key, values, summary, number)


def _program_platform(links: _Links, plan: ImportPlan, program_ref: str) -> str:
    if program_ref.startswith("new:"):
        return plan.new_programs[program_ref[4:]].values["platform"]
    program_id = int(program_ref[3:])
    for entries in links.programs.values():
        for pid, platform_id in entries:
            if pid == program_id:
                return f"db:{platform_id}"
    raise AssertionError(program_ref)


def _mentor_ref(ctx: _Context, links: _Links, plan: ImportPlan, row: Any, program_ref: str,
                number: int) -> str:  # fmt: skip
    raw = _cell(row, plan.mapping, "mentor")
    surname, name, patronymic = split_fio(raw)
    if not surname:
        return ""
    platform_ref = _program_platform(links, plan, program_ref)
    key = person_key(surname, name, patronymic)
    people = links.by_name_only.get(key, [])
    if len(people) > 1:
        raise _Reject(f"педагогов «{cell_text(raw)}» в базе несколько — наставника не определить")
    if people:
        person_ref = f"db:{people[0]}"
        if platform_ref.startswith("db:"):
            master = links.masters.get((people[0], int(platform_ref[3:])))
            if master is not None:
                return f"db:{master}"
    else:
        person_ref = ""
        for record in plan.new_persons.values():
            if record.key.split("|")[0] == key:
                person_ref = f"new:{record.key}"
                record.rows.append(number)
                break
        if not person_ref:
            values = {"surname": surname, "name": name, "patronymic": patronymic}
            try:
                PersonService().validate(ctx.session, values, known=ctx.known)
            except ValidationError as exc:
                raise _Reject(f"Педагог-мастер «{cell_text(raw)}»: {_problems_text(exc)}") from None
            fio = " ".join(p for p in (surname, name, patronymic) if p)
            # A new mentor works where the platform is (a teacher-master of its staff).
            if platform_ref.startswith("new:"):
                works_at = platform_ref[4:]
            else:
                works_at = links.org_key.get(links.platform_org.get(int(platform_ref[3:]), -1), "")
            person_ref = "new:" + _new(plan.new_persons, f"{key}|", values | {"organization": works_at},
                                       f"{fio} (наставник)", number)  # fmt: skip
    mentor_key = f"{person_ref}|{platform_ref}"
    fio = " ".join(p for p in (surname, name, patronymic) if p)
    values = {"person": person_ref, "platform": platform_ref}
    return "new:" + _new(plan.new_mentors, mentor_key, values, fio, number)


# -- apply ----------------------------------------------------------------------------------


def apply_internships(session: Session, plan: ImportPlan, writer: Any, result: Any) -> None:
    """Create what the plan lists, then the internships (``writer.current`` follows the row)."""
    ids: dict[str, int] = {}

    def ref(value: str, kind: str) -> int | None:
        if not value:
            return None
        if value.startswith("db:"):
            return int(value[3:])
        return ids[f"{kind}:{value[4:]}"]

    for key, record in plan.new_persons.items():
        values = {k: v for k, v in record.values.items() if k != "organization"}
        values["organization_id"] = writer.organization_id(record.values["organization"])
        ids[f"person:{key}"] = writer.create(PersonService(), values, "persons").id
    for key, record in plan.new_platforms.items():
        values = {k: v for k, v in record.values.items() if k != "organization"}
        values["organization_id"] = writer.organization_id(record.values["organization"])
        ids[f"platform:{key}"] = writer.create(PlatformService(), values, "platforms").id
    for key, record in plan.new_programs.items():
        values = {"title": record.values["title"],
                  "platform_id": ref(record.values["platform"], "platform")}  # fmt: skip
        ids[f"program:{key}"] = writer.create(ProgramService(), values, "programs").id
    for key, record in plan.new_mentors.items():
        values = {"person_id": ref(record.values["person"], "person"),
                  "platform_id": ref(record.values["platform"], "platform")}  # fmt: skip
        ids[f"mentor:{key}"] = writer.create(TeacherMasterService(), values, "mentors").id
    service = InternshipService()
    for planned in plan.rows:
        writer.current = planned.number
        if planned.action == CREATE:
            _create_internship(session, service, writer, planned, ref)
            result.imported += 1
        elif planned.action == DUPLICATE and planned.choice == MERGE and planned.existing_id:
            values = {k: v for k, v in planned.values.items() if k in ("cohort", "planned_end",
                                                                      "hours_done")}  # fmt: skip
            writer.merge(service, planned.existing_id, values)
            result.merged += 1


def _create_internship(session: Session, service: InternshipService, writer: Any,
                       planned: PlannedRow, ref: Any) -> None:  # fmt: skip
    values = {k: v for k, v in planned.values.items() if v is not None}
    status = values["status"]
    values["status"] = S.ACTIVE if status == S.COMPLETED else status
    values["person_id"] = ref(planned.refs["person"], "person")
    values["program_id"] = ref(planned.refs["program"], "program")
    values["mentor_id"] = ref(planned.refs["mentor"], "mentor")
    obj = writer.create(service, values, "internships")
    if status == S.COMPLETED:
        service.update(session, obj.id, {"status": S.COMPLETED,
                                         "actual_end": planned.values["planned_end"]},
                       actor=writer.actor, source="импорт из Excel")  # fmt: skip
