"""Writing a confirmed plan: one transaction (a savepoint inside the caller's), through the
same services as the window, so the same rules hold. Either every row is written or none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ...errors import BatchRowError, UserError
from ..crud import EntityService, KnownIds
from ..organizations import OrganizationService
from ..people import PersonService
from .plan import CREATE, DUPLICATE, MERGE, ImportPlan, PlannedRow

SOURCE = "импорт из Excel"
_CHUNK = 1000  # records per INSERT statement while importing


@dataclass
class ImportResult:
    rows: int
    imported: int  # records created from rows
    merged: int  # duplicates merged into existing records or earlier rows
    duplicates: int  # duplicate rows found (skipped or merged)
    rejected: int
    created: dict[str, int] = field(default_factory=dict)  # also created: organizations…

    def as_json(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
        }


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def _fill(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Fill what ``target`` leaves empty from ``source``; nothing is overwritten."""
    for key, value in source.items():
        if _is_empty(target.get(key)) and not _is_empty(value):
            target[key] = value


class _Writer:
    def __init__(self, session: Session, plan: ImportPlan, actor: str):
        self.session, self.plan, self.actor = session, plan, actor
        self.known = KnownIds(session)  # references checked against ids read once
        self.org_ids: dict[str, int] = {}
        self.created: dict[str, int] = {}
        self.current = 0  # the row being written, for the message when it is refused
        self.progress: Callable[[int, int, str], None] | None = None
        self._done = 0

    @property
    def total(self) -> int:
        """Records the import creates: the rows' own and the new ones they name."""
        p = self.plan
        extra = (p.new_organizations, p.new_persons, p.new_platforms, p.new_programs,
                 p.new_mentors)  # fmt: skip
        return p.counts["create"] + sum(len(r) for r in extra)

    def _count(self, what: str, n: int) -> None:
        before, self._done = self._done, self._done + n
        self.created[what] = self.created.get(what, 0) + n
        if self.progress is not None and (self._done // 100 > before // 100 or n > 1):
            self.progress(self._done, self.total, "Запись в базу данных")

    def create(self, service: EntityService[Any], values: dict[str, Any], what: str) -> Any:
        obj = service.create(
            self.session, values, actor=self.actor, source=SOURCE, known=self.known
        )
        self._count(what, 1)
        return obj

    def create_many(
        self,
        service: EntityService[Any],
        records: list[dict[str, Any]],
        rows: list[int],
        what: str,
    ) -> list[int]:
        """Create checked records a chunk at a time (a chunk is one statement; progress and
        cancelling come between chunks). ``rows`` are their row numbers, for a refusal."""
        ids: list[int] = []
        for start in range(0, len(records), _CHUNK):
            chunk = records[start : start + _CHUNK]
            try:
                ids += service.insert_many(
                    self.session, chunk, known=self.known, actor=self.actor, source=SOURCE
                )
            except BatchRowError as exc:
                self.current = rows[start + exc.index]
                raise exc.error from None
            self._count(what, len(chunk))
        return ids

    def merge(self, service: EntityService[Any], record_id: int, values: dict[str, Any]) -> None:
        obj = service.get(self.session, record_id)
        current = {name: getattr(obj, name) for name in values}
        missing = {k: v for k, v in values.items() if _is_empty(current[k]) and not _is_empty(v)}
        if missing:
            service.update(self.session, record_id, missing, actor=self.actor, source=SOURCE)

    def organizations(self) -> None:
        records = self.plan.new_organizations
        if not records:
            return
        ids = self.create_many(
            OrganizationService(),
            [dict(r.values) for r in records.values()],
            [r.rows[0] if r.rows else 0 for r in records.values()],
            "organizations",
        )
        self.org_ids.update(zip(records, ids, strict=True))

    def organization_id(self, key: str) -> int | None:
        if not key:
            return None
        if key in self.org_ids:
            return self.org_ids[key]
        from sqlalchemy import select

        from ...models import Organization
        from .normalize import organization_key

        for org_id, short, full in self.session.execute(
            select(Organization.id, Organization.short_name, Organization.full_name)
        ):
            for name in (full, short):
                self.org_ids.setdefault(organization_key(name), org_id)
        return self.org_ids.get(key)


def _row_values(writer: _Writer, planned: PlannedRow) -> dict[str, Any]:
    values = dict(planned.values)
    if "organization" in planned.refs:
        values["organization_id"] = writer.organization_id(planned.refs["organization"])
    return values


def apply_plan(
    session: Session,
    plan: ImportPlan,
    *,
    actor: str = "",
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportResult:
    """Write ``plan``. Raises :class:`UserError` naming the row when anything is refused —
    then nothing of the import is left in the database."""
    counts = plan.counts
    result = ImportResult(
        rows=counts["rows"],
        imported=0,
        merged=0,
        duplicates=counts["duplicates"],
        rejected=counts["rejected"],
    )
    service: EntityService[Any] = (
        PersonService() if plan.kind == "persons" else OrganizationService()
    )
    writer = _Writer(session, plan, actor)
    writer.progress = progress
    try:
        with session.begin_nested():
            writer.organizations()
            # Duplicates of earlier rows merged into those rows first, so they are created whole.
            by_number = {r.number: r for r in plan.rows}
            for planned in plan.of(DUPLICATE):
                if planned.choice == MERGE and planned.first_row is not None:
                    _fill(by_number[planned.first_row].values, planned.values)
                    result.merged += 1
            if plan.kind == "internships":
                from .internships import apply_internships

                apply_internships(session, plan, writer, result)
                result.created = {k: v for k, v in writer.created.items() if k != "internships"}
                return result
            creating = plan.of(CREATE)
            writer.create_many(
                service,
                [_row_values(writer, planned) for planned in creating],
                [planned.number for planned in creating],
                plan.kind,
            )
            result.imported = len(creating)
            for planned in plan.of(DUPLICATE):
                if planned.choice == MERGE and planned.existing_id is not None:
                    writer.current = planned.number
                    writer.merge(service, planned.existing_id, _row_values(writer, planned))
                    result.merged += 1
            result.created = {k: v for k, v in writer.created.items() if k != plan.kind}
    except UserError as exc:
        where = f"строка {writer.current}: " if writer.current else ""
        raise UserError(f"Импорт не выполнен, ничего не записано. {where}{exc}") from exc
    return result
