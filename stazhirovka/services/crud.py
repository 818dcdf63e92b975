"""Create, update and delete for any entity: validation, audit and the refusal to delete
what history depends on. Per-entity services subclass :class:`EntityService`."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ForeignKey, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import (
    BatchRowError,
    ConflictError,
    DeleteRefusedError,
    NotFoundError,
    Problem,
    ValidationError,
)
from ..models import AuditEntry, Base
from ..text import search_key
from .access import Access, principal_of, require_change
from .labels import TABLE_DEPENDENTS
from .validation import Field, coerce

M = TypeVar("M", bound=Base)

# Values never written to the audit trail in clear (DOCUMENTS.md §7).
_MASKED_IN_AUDIT = {"snils", "password_hash", "file_data"}
_IN_CHUNKS_OF = 500  # values per «IN (…)» of a set-wise check


class KnownIds:
    """The ids of referenced tables, each read once: validating many rows (an import) then
    checks its references without a query per row. Ids created meanwhile are added."""

    def __init__(self, session: Session):
        self._session = session
        self._ids: dict[type[Base], set[int]] = {}

    def _of(self, model: type[Base]) -> set[int]:
        ids = self._ids.get(model)
        if ids is None:
            ids = self._ids[model] = set(self._session.scalars(select(model.id)))  # type: ignore[attr-defined]
        return ids

    def has(self, model: type[Base], obj_id: int) -> bool:
        return obj_id in self._of(model)

    def add(self, model: type[Base], obj_id: int) -> None:
        self._of(model).add(obj_id)


class EntityService(Generic[M]):
    """CRUD for one model. Subclasses declare ``model``, ``fields`` and the Russian names,
    and may override :meth:`prepare` (derived values) and :meth:`check` (cross-field rules)."""

    model: ClassVar[type[Base]]
    fields: ClassVar[tuple[Field, ...]]
    title: ClassVar[str]  # «педагог»
    title_accusative: ClassVar[str]  # «педагога» — for «Нельзя удалить педагога …»
    # Columns whose non-empty values no two records share («уже есть у педагога № 12»).
    unique: ClassVar[tuple[str, ...]] = ()
    # Who may change the records (services/access.py); every service states it.
    access: ClassVar[Access]

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

    def authorize(
        self, session: Session, verb: str, values: Mapping[str, Any] | M | None = None
    ) -> None:
        """Refuse unless the session's user may ``verb`` («create», «update», «delete») the
        record with ``values`` (or the record itself); without them, check the role only."""
        if values is None:
            where = TABLE_DEPENDENTS.get(self.model.__tablename__, self.title)
            require_change(session, self.access, where, verb)
            return
        if not isinstance(values, Mapping):
            values = {
                self.access.scope: getattr(values, self.access.scope)
            } if self.access.scope else {}  # fmt: skip
        where = TABLE_DEPENDENTS.get(self.model.__tablename__, self.title)
        require_change(session, self.access, where, verb, dict(values))

    @classmethod
    def field_map(cls) -> dict[str, Field]:
        return {f.name: f for f in cls.fields}

    def get(self, session: Session, obj_id: int) -> M:
        obj = session.get(self.model, obj_id)
        if obj is None:
            raise NotFoundError(f"Запись не найдена: {self.title} № {obj_id}.")
        return obj  # type: ignore[return-value]

    def get_for_change(self, session: Session, obj_id: int) -> M:
        """The record, for a method that changes it — refused to a user who may not."""
        obj = self.get(session, obj_id)
        self.authorize(session, "update", obj)
        return obj

    def validate(
        self,
        session: Session,
        data: Mapping[str, Any],
        obj: M | None = None,
        *,
        known: KnownIds | None = None,
    ) -> dict[str, Any]:
        """The clean, merged values of ``data`` over ``obj``; raises with every problem found.
        ``known`` answers the reference checks of many rows from ids read once."""
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
            if spec.ref is not None and name not in bad:
                ref_id = merged.get(name)
                if ref_id is None:
                    continue
                found = (
                    known.has(spec.ref, ref_id)
                    if known is not None
                    else session.get(spec.ref, ref_id) is not None
                )
                if not found:
                    problems.append(Problem(name, spec.label, f"запись № {ref_id} не найдена"))
                    bad.add(name)
        for name in self.unique:
            value = merged.get(name)
            if name not in bad and not _is_empty(value):
                other = self.other_with(session, obj, getattr(self.model, name) == value)
                if other is not None:
                    label = fields[name].label
                    problems.append(
                        Problem(name, label, f"уже есть у {self.title_accusative} № {other}")
                    )
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
        self,
        session: Session,
        data: Mapping[str, Any],
        *,
        actor: str = "",
        source: str = "",
        known: KnownIds | None = None,
    ) -> M:
        self.authorize(session, "create")  # a refusal before any message about the fields
        values = self.validate(session, data, known=known)
        self.authorize(session, "create", values)
        obj = self.model(**values)
        session.add(obj)
        self._flush(session)
        audit(session, "create", obj, _created(values), actor, source)
        self.after_save(session, obj, True)  # type: ignore[arg-type]
        if known is not None:
            known.add(self.model, obj.id)  # type: ignore[attr-defined]
        return obj  # type: ignore[return-value]

    def insert_many(
        self,
        session: Session,
        records: Sequence[dict[str, Any]],
        *,
        known: KnownIds,
        actor: str = "",
        source: str = "",
    ) -> list[int]:
        """Create many records that :meth:`validate` has already returned, in two statements
        (the records, then their audit entries) instead of a flush per record — imports.

        What the database may have changed since they were validated is checked again for all
        of them at once: referenced records still there (``known``, read in this transaction),
        unique values still free and not repeated among ``records``. A refusal raises
        :class:`BatchRowError` with the index of the record; nothing of the call is written.
        The ids come back in the order of ``records``."""
        if type(self).after_save is not EntityService.after_save:
            raise TypeError(f"{type(self).__name__} has side effects; create records one by one")
        if not records:
            return []
        for values in records:
            self.authorize(session, "create", values)
        fields = self.field_map()
        for index, values in enumerate(records):
            for name, spec in fields.items():
                ref_id = values.get(name) if spec.kind == "ref" else None
                if ref_id is not None and not known.has(spec.ref, ref_id):  # type: ignore[arg-type]
                    problem = Problem(name, spec.label, f"запись № {ref_id} не найдена")
                    raise BatchRowError(index, ValidationError([problem]))
        for name in self.unique:
            self._check_unique(session, records, name, fields[name])
        now = datetime.now(UTC)
        searched = getattr(self.model, "__search_fields__", ())
        rows = []
        for values in records:
            row = dict(values, created_at=now, updated_at=now, version=1)
            if searched:
                row["search_key"] = search_key(*(values.get(f) for f in searched))
            rows.append(row)
        try:
            with session.begin_nested():
                ids = _insert_returning_ids(session, self.model, rows)
                session.connection().execute(
                    insert(AuditEntry.__table__),
                    [
                        _audit_row("create", self.model.__tablename__, obj_id,
                                   _created(values), actor, source)
                        for obj_id, values in zip(ids, records, strict=True)
                    ],
                )  # fmt: skip
        except IntegrityError as exc:
            raise ValidationError([Problem("", "", constraint_message(exc))]) from exc
        for obj_id in ids:
            known.add(self.model, obj_id)
        return ids

    def _check_unique(
        self, session: Session, records: Sequence[dict[str, Any]], name: str, spec: Field
    ) -> None:
        first: dict[Any, int] = {}
        for index, values in enumerate(records):
            value = values.get(name)
            if _is_empty(value):
                continue
            if value in first:
                message = f"повторяется в записи {first[value] + 1} этой же пачки"
                raise BatchRowError(index, ValidationError([Problem(name, spec.label, message)]))
            first[value] = index
        column = getattr(self.model, name)
        values_seen = list(first)
        for start in range(0, len(values_seen), _IN_CHUNKS_OF):
            chunk = values_seen[start : start + _IN_CHUNKS_OF]
            found = session.execute(
                select(column, self.model.id).where(column.in_(chunk)).limit(1)  # type: ignore[attr-defined]
            ).first()
            if found is not None:
                message = f"уже есть у {self.title_accusative} № {found[1]}"
                problem = Problem(name, spec.label, message)
                raise BatchRowError(first[found[0]], ValidationError([problem]))

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
        self.authorize(session, "update", obj)
        values = self.validate(session, data, obj)
        self.authorize(session, "update", values)
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
        self.authorize(session, "delete", obj)
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


def _insert_returning_ids(
    session: Session, model: type[Base], rows: list[dict[str, Any]]
) -> list[int]:
    """INSERT ``rows`` in multi-row statements; their new ids in the order of ``rows``.

    SQLAlchemy can only promise that order on SQLite by inserting one row per statement (no
    SQLite INSERT form ties new rowids to the parameter order), which is twenty times slower.
    But within one statement SQLite gives each row the largest rowid so far plus one, and the
    transaction holds the write lock, so the new ids are consecutive and ascend in the order of
    ``rows``: sorting what RETURNING gives restores it. PostgreSQL keeps the order itself."""
    # Core, not the ORM's bulk insert: that asks for the ordered form itself.
    table = model.__table__
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.scalars(statement, rows))
    ids = sorted(connection.scalars(insert(table).returning(table.c.id), rows))
    if ids != list(range(ids[0], ids[0] + len(ids))):
        raise RuntimeError(f"new {model.__tablename__} ids are not consecutive")
    return ids


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


def _created(values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The audit changes of a new record: the fields it was given (empty ones say nothing)."""
    return {k: (None, v) for k, v in values.items() if not _is_empty(v)}


_JSON_AS_IS = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    if type(value) in _JSON_AS_IS:  # the common case, first (an import audits every value)
        return value
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
    row = _audit_row(action, obj.__tablename__, obj.id, changes, actor, source)  # type: ignore[attr-defined]
    session.add(AuditEntry(**row))


def log_export(session: Session, table: str, rows: int, masked: bool, file_name: str) -> None:
    """An export of a list leaves the program: who, when, which list, how many rows, whether
    contacts were masked, and the file's name (DOCUMENTS.md §7: the export log)."""
    changes = {"строк": (None, rows), "маска ПДн": (None, masked), "файл": (None, file_name)}
    who = principal_of(session)
    session.add(AuditEntry(**_audit_row("export", table, None, changes, who.login, "выгрузка")))


def _audit_row(
    action: str,
    entity: str,
    entity_id: int | None,
    changes: Mapping[str, tuple[Any, Any]],
    actor: str,
    source: str,
) -> dict[str, Any]:
    payload = {
        key: ["***", "***"] if key in _MASKED_IN_AUDIT else [_jsonable(old), _jsonable(new)]
        for key, (old, new) in changes.items()
    }
    return {
        "at": datetime.now(UTC),
        "user_login": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "changes": json.dumps(payload, ensure_ascii=False) if payload else "",
        "source": source,
    }
