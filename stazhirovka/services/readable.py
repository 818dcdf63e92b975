"""Stored values as a person reads them: a table's field labels, a value as text (enum labels,
dates as ДД.ММ.ГГГГ, «да/нет», «—» for nothing) and the audit trail's JSON changes as
«Предмет: — → химия». One place for the window's audit page, the audit export and the
package review, so all three read alike."""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import date, datetime
from functools import cache
from typing import Any

from ..formats import short_date
from .validation import Field


@cache
def entity_services() -> dict[str, Any]:
    """Every record service by its table name (``person`` → PersonService)."""
    from .. import services
    from .crud import EntityService

    for module in pkgutil.iter_modules(services.__path__, services.__name__ + "."):
        importlib.import_module(module.name)
    found: dict[str, Any] = {}
    todo = list(EntityService.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        model = cls.__dict__.get("model") or getattr(cls, "model", None)
        if model is not None and cls.__dict__.get("fields"):
            found.setdefault(model.__tablename__, cls)
    return found


@cache
def field_specs(table: str) -> dict[str, Field]:
    """The fields of a table's service by name; the district details have labels only."""
    service = entity_services().get(table)
    if service is not None:
        return {f.name: f for f in service.fields}
    if table == "district_profile":
        from .district import FIELD_LABELS

        return {name: Field(name, label) for name, label in FIELD_LABELS.items()}
    return {}


# Keys written by actions outside the record services, with their Russian names.
_OTHER_KEYS = {
    "scores": "Оценки",
    "number": "Номер",
    "login": "Логин",
    "role": "Роль",
    "password_hash": "Пароль",
    "consent_withdrawn_on": "Согласие отозвано",
    "dative_override": "ФИО в дательном падеже",
    "signatories": "Подписи",
    "key_no": "Ключ подписи №",
}


def value_text(value: Any, spec: Field | None = None) -> str:
    """A stored (or JSON) value as text: «—» for nothing, dates as ДД.ММ.ГГГГ, enum labels."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    raw = getattr(value, "value", value)
    if spec is not None and spec.enum_labels and raw in spec.enum_labels:
        return spec.enum_labels[raw]
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return short_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if spec is not None and spec.kind == "ref":
        return f"№ {value}"
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(raw)


def label_of(table: str, key: str) -> str:
    spec = field_specs(table).get(key)
    return spec.label if spec is not None else _OTHER_KEYS.get(key, key)


def changes_text(table: str, changes: str | None) -> str:
    """The audit trail's «что изменилось» for reading (the JSON stays as it is stored)."""
    if not changes:
        return ""
    try:
        payload = json.loads(changes)
    except ValueError:
        return changes
    if not isinstance(payload, dict):
        return changes
    specs = field_specs(table)
    parts = []
    for key, pair in payload.items():
        spec = specs.get(key)
        label = label_of(table, key)
        if isinstance(pair, list) and len(pair) == 2:
            old, new = pair
            if isinstance(new, dict):  # the scores of a diagnostic: «показатель № → балл»
                new = ", ".join(f"№ {k}: {value_text(v)}" for k, v in new.items())
            if old is None and spec is None and key not in _OTHER_KEYS:
                parts.append(f"{label}: {value_text(new)}")  # an export's facts: «строк: 25»
            elif old == "***":
                parts.append(f"{label}: изменено")  # identifiers are never shown
            else:
                parts.append(f"{label}: {value_text(old, spec)} → {value_text(new, spec)}")
        else:
            parts.append(f"{label}: {pair}")
    return "; ".join(parts)
