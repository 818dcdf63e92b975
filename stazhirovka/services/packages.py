"""Package files: a platform without a network works on its own copy of the district's SQLite
database and sends the district the work done there — new and changed journal entries, route
step marks, new diagnostics with their scores. The district reads the package, sees each record
as new, changed, unchanged or in conflict (changed at the district too since the copy), chooses
per conflict, and applies it in one transaction through the services; the audit trail names
the package as the source of every change.

A package is a zip with ``manifest.json`` (format, version, platforms, the day the copy was
taken, who made it) and ``records.json``. Records keep the district's ids: the copy was made
from the district's database, so a record that existed then has the same id on both sides."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..formats import short_date
from ..models import (
    Assessment,
    Internship,
    JournalEntry,
    Person,
    Platform,
    Program,
    Route,
    RouteStep,
)
from .access import principal_of
from .crud import _jsonable
from .diagnostics import AssessmentService
from .internships import JournalService, RouteStepService
from .readable import value_text

FORMAT, VERSION = "stazhirovka-package", 1
NEW, CHANGED, UNCHANGED, CONFLICT = "new", "changed", "unchanged", "conflict"
PACKAGE, DISTRICT = "package", "district"  # a conflict: take the package's values, or keep ours
_JOURNAL = [f.name for f in JournalService.fields]
_STEP = ["status", "done_on", "evidence", "mentor_mark", "hours", "planned_start", "planned_end"]
# a step made offline: all of it but its number, which the district's route gives anew
_NEW_STEP = [f.name for f in RouteStepService.fields if f.name != "position"]
_ASSESSMENT = [f.name for f in AssessmentService.fields]
_STAGE = next(f for f in AssessmentService.fields if f.name == "stage")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC times; PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in values.items()}


def _changed_since(model: Any, since: datetime) -> Any:
    return or_(model.created_at >= since, model.updated_at >= since)


# -- on the platform's copy ----------------------------------------------------------------------


def export_package(
    session: Session, path: Path | str, platform_ids: list[int], copied_on: date
) -> dict[str, int]:
    """Write the work done on ``platform_ids`` since ``copied_on`` (the day the copy was taken)
    to ``path``; the file appears whole or not at all. Returns the counts per kind."""
    since = _start_of(copied_on)
    platforms = session.execute(select(Platform.id).where(Platform.id.in_(platform_ids))).all()
    if not platform_ids or len(platforms) != len(set(platform_ids)):
        raise UserError("Укажите площадки этой базы: такой площадки нет.")
    internships = select(Internship.id).where(
        Internship.program_id.in_(select(Program.id).where(Program.platform_id.in_(platform_ids)))
    )
    records: list[dict[str, Any]] = []
    routes = select(Route.id).where(Route.internship_id.in_(internships))
    made_here: set[int] = set()  # steps created on the copy: carried whole, under their local id
    for step in session.scalars(
        select(RouteStep)
        .where(RouteStep.route_id.in_(routes), _changed_since(RouteStep, since))
        .order_by(RouteStep.id)
    ):
        new = _aware(step.created_at) >= since
        names = _NEW_STEP if new else _STEP
        if new:
            made_here.add(step.id)
        records.append({"kind": "step", "id": step.id, "new": new,
                        "values": _plain({n: getattr(step, n) for n in names})})  # fmt: skip
    for entry in session.scalars(
        select(JournalEntry)
        .where(JournalEntry.internship_id.in_(internships), _changed_since(JournalEntry, since))
        .order_by(JournalEntry.id)
    ):
        record = {"kind": "journal", "id": entry.id, "new": _aware(entry.created_at) >= since,
                  "values": _plain({name: getattr(entry, name) for name in _JOURNAL})}  # fmt: skip
        if entry.route_step_id in made_here:  # the district gives that step its own id
            record["values"]["route_step_id"] = None
            record["step_ref"] = entry.route_step_id
        records.append(record)
    for assessment in session.scalars(
        select(Assessment)
        .where(Assessment.internship_id.in_(internships), Assessment.created_at >= since)
        .order_by(Assessment.id)
    ):
        values = _plain({n: getattr(assessment, n) for n in _ASSESSMENT})
        scores = {str(s.indicator_id): s.value for s in assessment.scores}
        records.append({"kind": "assessment", "id": assessment.id, "new": True,
                        "values": values, "scores": scores})  # fmt: skip
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "platforms": sorted(platform_ids),
        "copied_on": copied_on.isoformat(),
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "made_by": principal_of(session).login,
    }
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=".package-", suffix=".zip", dir=target.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            archive.writestr("records.json", json.dumps(records, ensure_ascii=False))
        os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)
    counts: dict[str, int] = {}
    for r in records:
        counts[r["kind"]] = counts.get(r["kind"], 0) + 1
    return counts


# -- at the district -----------------------------------------------------------------------------


_KIND_SERVICE: dict[str, Any] = {
    "journal": JournalService,
    "step": RouteStepService,
    "assessment": AssessmentService,
}


@dataclass
class PackageItem:
    kind: str  # journal, step, assessment
    record_id: int  # the id in the package (the district's id for a changed record)
    state: str  # new, changed, unchanged, conflict
    values: dict[str, Any]
    scores: dict[int, float] = field(default_factory=dict)
    # the district's values of the fields the package changes (changed and conflict records)
    district: dict[str, Any] = field(default_factory=dict)
    choice: str = DISTRICT  # for a conflict: nothing is overwritten unless the user says so
    note: str = ""
    title: str = ""  # the record as a person names it: what, when, whose
    missing: bool = False  # a changed record the district no longer has
    step_ref: int | None = None  # a journal entry's step made offline (its id in the package)
    existing_id: int | None = None  # the district's record a «new» one turned out to be

    def differences(self) -> list[tuple[str, str, str]]:
        """(field label, the district's value, the package's value) as text, for review: the
        differing fields of a changed record or a conflict, every filled field of a new one."""
        specs = {f.name: f for f in _KIND_SERVICE[self.kind].fields}
        if self.state == NEW:
            names = [k for k, v in self.values.items() if v not in (None, "") and k in specs]
        else:
            names = list(self.district)
        return [
            (specs[n].label, value_text(self.district.get(n), specs[n]) if n in self.district
             else "—", value_text(self.values.get(n), specs[n]))
            for n in names
        ]  # fmt: skip


@dataclass
class PackagePlan:
    manifest: dict[str, Any]
    items: list[PackageItem]

    @property
    def source(self) -> str:
        made = self.manifest.get("made_at", "")[:10]
        platforms = ", ".join(f"№ {p}" for p in self.manifest.get("platforms", []))
        return f"пакет площадки {platforms} от {made}"[:100]

    def of(self, state: str) -> list[PackageItem]:
        return [i for i in self.items if i.state == state]


_TITLES = {"journal": "запись журнала", "step": "шаг маршрута", "assessment": "диагностика"}
_ORDER = {"step": 0, "journal": 1, "assessment": 2}  # steps first: entries may point at them


def read_package(session: Session, path: Path | str) -> PackagePlan:
    """What applying the package would do; nothing is written."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            records = json.loads(archive.read("records.json"))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise UserError(f"Файл «{path.name}» — не пакет изменений площадки ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise UserError(f"Файл «{path.name}» — не пакет изменений площадки.")
    if manifest.get("version") != VERSION:
        raise UserError(
            f"Пакет «{path.name}» другой версии ({manifest.get('version')}); обновите программу."
        )
    since = _start_of(date.fromisoformat(manifest["copied_on"]))
    items = []
    for record in sorted(records, key=lambda r: _ORDER.get(r["kind"], 3)):
        kind, values = record["kind"], record["values"]
        item = PackageItem(kind, int(record["id"]), NEW, values,
                           {int(k): v for k, v in record.get("scores", {}).items()},
                           step_ref=record.get("step_ref"))  # fmt: skip
        if record["new"]:
            item.existing_id = _already_there(session, kind, values)
            if item.existing_id is not None:
                item.state, item.note = UNCHANGED, "такая запись в базе района уже есть"
        else:
            model, names = (JournalEntry, _JOURNAL) if kind == "journal" else (RouteStep, _STEP)
            current = session.get(model, item.record_id)
            if current is None:
                item.state, item.missing = CONFLICT, True
                item.note = "в базе района этой записи нет (удалена?)"
            else:
                ours = _plain({n: getattr(current, n) for n in names})
                differs = {k: v for k, v in values.items() if ours.get(k) != v}
                item.district = {k: ours[k] for k in differs}
                if not differs:
                    item.state = UNCHANGED
                elif _aware(current.updated_at) >= since:
                    item.state = CONFLICT
                    item.note = "запись изменена и в районе после копирования базы"
                else:
                    item.state = CHANGED
        item.title = _title(session, kind, values)
        items.append(item)
    return PackagePlan(manifest, items)


def _title(session: Session, kind: str, values: dict[str, Any]) -> str:
    """«Запись журнала от 12.11.2026 «Тема» — Иванова М.П.» and the like."""
    internship_id = values.get("internship_id")
    if kind == "step" and values.get("route_id"):
        internship_id = session.scalar(
            select(Route.internship_id).where(Route.id == values["route_id"])
        )
    person = None
    if internship_id:
        person = session.scalar(
            select(Person).join(Internship, Internship.person_id == Person.id)
            .where(Internship.id == internship_id)
        )  # fmt: skip
    elif values.get("person_id"):
        person = session.get(Person, values["person_id"])
    whose = f" — {person.short_name}" if person else ""
    if kind == "journal":
        day = value_text(values.get("entry_date"))
        return f"Запись журнала от {day} «{values.get('topic')}»{whose}"
    if kind == "step":
        return f"Шаг маршрута «{values.get('title') or '…'}»{whose}"
    stage = value_text(values.get("stage"), _STAGE)
    return f"Диагностика ({stage}) от {value_text(values.get('assessed_on'))}{whose}"


def _already_there(session: Session, kind: str, values: dict[str, Any]) -> int | None:
    """The district's record a new one already is (the package applied before): the same entry
    of the same day, the same step of the same route, or the same diagnostic of the same
    person, instrument, day and stage."""
    if kind == "journal":
        model, keys = JournalEntry, ("internship_id", "entry_date", "activity", "topic")
    elif kind == "assessment":
        model, keys = Assessment, ("person_id", "instrument_id", "assessed_on", "stage")
    else:
        model, keys = RouteStep, ("route_id", "kind", "title")
    wanted = {k: values.get(k) for k in keys}
    for k in ("entry_date", "assessed_on"):
        if isinstance(wanted.get(k), str):
            wanted[k] = date.fromisoformat(wanted[k])
    conditions = [getattr(model, k) == v for k, v in wanted.items()]
    return session.scalar(select(model.id).where(*conditions).order_by(model.id).limit(1))


def apply_package(session: Session, plan: PackagePlan, *, actor: str = "") -> dict[str, int]:
    """Write the plan through the services, in a savepoint: all of it or, on a refusal (its
    message names the record), nothing. Conflicts left at «district» keep the district's."""
    done = {NEW: 0, CHANGED: 0, CONFLICT: 0}
    source = plan.source
    steps: dict[int, int] = {}  # a step made offline: its id in the package → the district's
    current: PackageItem | None = None
    try:
        with session.begin_nested():
            for item in sorted(plan.items, key=lambda i: _ORDER.get(i.kind, 3)):
                current = item
                if item.kind == "step" and item.existing_id is not None:
                    steps[item.record_id] = item.existing_id
                if item.state == UNCHANGED or (item.state == CONFLICT and item.choice == DISTRICT):
                    continue
                if item.missing:
                    continue  # nothing to take the package's values over
                service = _KIND_SERVICE[item.kind]()
                values = dict(item.values)
                if item.step_ref is not None:
                    values["route_step_id"] = steps.get(item.step_ref)
                if item.state == NEW:
                    obj = service.create(session, values, actor=actor, source=source)
                    if item.kind == "step":
                        steps[item.record_id] = obj.id
                    if item.scores:
                        service.set_scores(session, obj.id, item.scores, actor=actor)
                else:
                    service.update(session, item.record_id, values, actor=actor, source=source)
                done[item.state] += 1
    except UserError as exc:
        what = f"{current.title or _TITLES.get(current.kind, '')}: " if current else ""
        raise UserError(f"Пакет не применён, ничего не записано. {what}{exc}") from exc
    return done


def describe(plan: PackagePlan) -> str:
    """The plan as text (the CLI prints it)."""
    m = plan.manifest
    lines = [
        f"Пакет площадок {', '.join(map(str, m.get('platforms', [])))}: копия базы от "
        f"{short_date(date.fromisoformat(m['copied_on']))}, пакет сделан {m.get('made_at', '')}"
        f"{' пользователем ' + m['made_by'] if m.get('made_by') else ''}.",
        f"Новых записей: {len(plan.of(NEW))}; изменённых: {len(plan.of(CHANGED))}; "
        f"без изменений: {len(plan.of(UNCHANGED))}; конфликтов: {len(plan.of(CONFLICT))}.",
    ]
    for item in plan.of(CONFLICT):
        lines.append(f"Конфликт: {item.title} — {item.note}")
        for label, ours, theirs in item.differences():
            lines.append(f"  {label}: в районе «{ours}», в пакете «{theirs}»")
    return "\n".join(lines)
