"""Create, update and delete for any entity: validation, audit and the refusal to delete
what history depends on. Per-entity services subclass :class:`EntityService`."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ForeignKey, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import ConflictError, DeleteRefusedError, NotFoundError, Problem, ValidationError
from ..models import AuditEntry, Base
from .labels import TABLE_DEPENDENTS
from .validation import Field, coerce

M = TypeVar("M", bound=Base)

# Values never written to the audit trail in clear (DOCUMENTS.md §7).
_MASKED_IN_AUDIT = {"snils", "password_hash", "file_data"}


class EntityService(Generic[M]):
    """CRUD for one model. Subclasses declare ``model``, ``fields`` and the Russian names,
    and may override :meth:`prepare` (derived values) and :meth:`check` (cross-field rules)."""

    model: ClassVar[type[Base]]
    fields: ClassVar[tuple[Field, ...]]
    title: ClassVar[str]  # «педагог»
    title_accusative: ClassVar[str]  # «педагога» — for «Нельзя удалить педагога …»

    # -- hooks -------------------------------------------------------------------------------

    def prepare(self, session: Session, values: dict[str, Any], obj: M | None) -> None:
        """Fill derived values into the merged ``values`` before the checks."""

    def check(self, session: Session, values: dict[str, Any], obj: M | None) -> list[Problem]:
        """Cross-field and database-backed rules; ``values`` is the full merged record."""
        return []

    def after_save(self, session: Session, obj: M, created: bool) -> None:
        """Side effects of a saved record on others (e.g. a journal entry marks its step done)."""

    def other_with(self, session: Session, obj: M | None, *conditions: Any) -> int | None:
        """The id of another record matching ``conditions`` — for "already exists" checks."""
        query = select(self.model.id).where(*conditions)
        if obj is not None:
            query = query.where(self.model.id != obj.id)
        return session.scalar(query.limit(1))

    def describe(self, obj: M) -> str:
        """A short human name of a record for messages («Иванова М.П.»)."""
        return str(getattr(obj, "name", None) or getattr(obj, "title", None) or f"№ {obj.id}")

    # -- public API --------------------------------------------------------------------------

    @classmethod
    def field_map(cls) -> dict[str, Field]:
        return {f.name: f for f in cls.fields}

    def get(self, session: Session, obj_id: int) -> M:
        obj = session.get(self.model, obj_id)
        if obj is None:
            raise NotFoundError(f"Запись не найдена: {self.title} № {obj_id}.")
        return obj  # type: ignore[return-value]

    def validate(
        self, session: Session, data: Mapping[str, Any], obj: M | None = None
    ) -> dict[str, Any]:
        """The clean, merged values of ``data`` over ``obj``; raises with every problem found."""
        fields = self.field_map()
        clean, problems = coerce(fields, data)
        merged = {f: getattr(obj, f) for f in fields} if obj is not None else {}
        merged.update(clean)
        for name, spec in fields.items():
            if merged.get(name) is None:
                merged[name] = spec.default if spec.default is not None else spec.empty_value()
        bad = {p.field for p in problems}
        self.prepare(session, merged, obj)
        for name, spec in fields.items():
            if spec.required and name not in bad and _is_empty(merged.get(name)):
                problems.append(Problem(name, spec.label, "обязательное поле"))
        for name, spec in fields.items():
            if spec.kind == "ref" and spec.ref is not None and name not in bad:
                ref_id = merged.get(name)
                if ref_id is not None and session.get(spec.ref, ref_id) is None:
                    problems.append(Problem(name, spec.label, f"запись № {ref_id} не найдена"))
                    bad.add(name)
        # Cross-field rules run even when single fields failed, so the form shows everything;
        # a rule tripping over a value that already failed to read adds nothing new.
        try:
            extra = self.check(session, merged, obj)
        except (TypeError, ValueError):
            if not problems:
                raise
            extra = []
        problems.extend(p for p in extra if p.field not in bad)
        if problems:
            raise ValidationError(problems)
        return merged

    def create(
        self, session: Session, data: Mapping[str, Any], *, actor: str = "", source: str = ""
    ) -> M:
        values = self.validate(session, data)
        obj = self.model(**values)
        session.add(obj)
        self._flush(session)
        audit(session, "create", obj, {k: (None, v) for k, v in values.items()}, actor, source)
        self.after_save(session, obj, True)  # type: ignore[arg-type]
        return obj  # type: ignore[return-value]

    def update(
        self,
        session: Session,
        obj_id: int,
        data: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        actor: str = "",
        source: str = "",
    ) -> M:
        obj = self.get(session, obj_id)
        if expected_version is not None and obj.version != expected_version:
            raise ConflictError(
                f"Запись «{self.describe(obj)}» уже изменил другой пользователь. "
                "Откройте её заново и повторите изменения."
            )
        values = self.validate(session, data, obj)
        changes = {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}
        for key, (_old, new) in changes.items():
            setattr(obj, key, new)
        self._flush(session)
        if changes:
            audit(session, "update", obj, changes, actor, source)
        self.after_save(session, obj, False)
        return obj

    def delete(self, session: Session, obj_id: int, *, actor: str = "", source: str = "") -> None:
        obj = self.get(session, obj_id)
        blockers = dependents(session, obj)
        if blockers:
            listed = ", ".join(f"{label} ({count})" for label, count in blockers)
            raise DeleteRefusedError(
                f"Нельзя удалить {self.title_accusative} «{self.describe(obj)}»: "
                f"на эту запись ссылаются {listed}. Они хранят историю; "
                "удалите или перенесите их сначала."
            )
        audit(session, "delete", obj, {}, actor, source)
        session.delete(obj)
        self._flush(session)

    def _flush(self, session: Session) -> None:
        try:
            session.flush()
        except StaleDataError as exc:
            raise ConflictError(
                "Запись уже изменил или удалил другой пользователь. Откройте её заново."
            ) from exc
        except IntegrityError as exc:
            raise ValidationError([Problem("", "", constraint_message(exc))]) from exc


def records_by_ids(
    session: Session, model: type[Base], ids: Iterable[int], field: str, label: str
) -> list[Any]:
    """The records for a many-to-many list (authors, members, competencies…), in the order
    given; an id that matches nothing is reported, not silently dropped."""
    wanted = list(dict.fromkeys(ids))
    found = {r.id: r for r in session.scalars(select(model).where(model.id.in_(wanted)))}
    missing = [i for i in wanted if i not in found]
    if missing:
        listed = ", ".join(f"№ {i}" for i in missing)
        raise ValidationError([Problem(field, label, f"записи не найдены: {listed}")])
    return [found[i] for i in wanted]


def next_position(session: Session, position: Any, *parent: Any) -> int:
    """The position after the last one among the siblings (modules, steps, indicators)."""
    return int(session.scalar(select(func.max(position)).where(*parent)) or 0) + 1


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def dependents(session: Session, obj: Base) -> list[tuple[str, int]]:
    """Records that refer to ``obj`` through a refusing foreign key, counted per table.

    Rows owned by ``obj`` through ``ON DELETE CASCADE`` (a program's modules, an event's
    participants) go with it, but whatever refers to *them* is looked at too.
    """
    found: dict[str, int] = {}
    _collect(session, obj.__table__, [obj.id], found, depth=0)
    return [(TABLE_DEPENDENTS.get(name, name), count) for name, count in found.items() if count]


def _collect(
    session: Session, table: Any, ids: list[Any], found: dict[str, int], depth: int
) -> None:
    if not ids or depth > 3:
        return
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            fk: ForeignKey
            if fk.column.table is not table or fk.column.name != "id":
                continue
            where = fk.parent.in_(ids)
            if fk.ondelete == "CASCADE":
                if "id" in other.c:
                    child_ids = list(session.scalars(select(other.c.id).where(where)))
                    _collect(session, other, child_ids, found, depth + 1)
            elif fk.ondelete != "SET NULL":
                count = session.scalar(select(func.count()).select_from(other).where(where))
                if count:
                    found[other.name] = found.get(other.name, 0) + count


def constraint_message(exc: IntegrityError) -> str:
    """A Russian message for a constraint the database refused (the last line of defence)."""
    from .labels import CONSTRAINT_MESSAGES

    text = str(exc.orig)
    for key, message in CONSTRAINT_MESSAGES.items():
        if key in text:
            return message
    if "UNIQUE" in text.upper() or "unique" in text:
        return "Такая запись уже есть (значение должно быть уникальным)."
    if "FOREIGN KEY" in text.upper() or "foreign key" in text:
        return "Запись связана с другими записями или ссылается на несуществующую."
    return "База данных отклонила изменение: нарушено ограничение целостности."


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} байт>"
    return value


def audit(
    session: Session,
    action: str,
    obj: Base,
    changes: Mapping[str, tuple[Any, Any]],
    actor: str = "",
    source: str = "",
) -> None:
    """Write who changed what; identifiers like СНИЛС are recorded as changed, not shown."""
    payload = {
        key: ["***", "***"] if key in _MASKED_IN_AUDIT else [_jsonable(old), _jsonable(new)]
        for key, (old, new) in changes.items()
    }
    session.add(
        AuditEntry(
            user_login=actor,
            action=action,
            entity=obj.__tablename__,
            entity_id=obj.id,
            changes=json.dumps(payload, ensure_ascii=False) if payload else "",
            source=source,
        )
    )
