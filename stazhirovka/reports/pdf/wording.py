"""Plain Russian wording the documents share: «№ N» kept on one line, names from query
columns, signed numbers, organization and platform names, the lines of a free text."""

from __future__ import annotations

from typing import Any

from ...formats import number
from ...grammar import capitalized
from ...models import Platform
from ...services import labels

NBSP = "\u00a0"


def nb(value: Any) -> str:
    """«№ 18» never split over two lines."""
    return "" if value is None else str(value).replace("№ ", f"№{NBSP}")


def full_fio(surname: str, name: str, patronymic: str | None) -> str:
    """«Иванова Мария Петровна» from the columns of a query (``Person.full_name``)."""
    return " ".join(p for p in (surname, name, patronymic) if p)


def short_fio(surname: str, name: str, patronymic: str | None) -> str:
    """«Иванова М.П.» from the columns of a query (``Person.short_name``)."""
    initials = "".join(f"{p[0]}." for p in (name, patronymic) if p)
    return f"{surname} {initials}".strip()


def signed(value: float) -> str:
    """«+12,3», «−4», «0» — a change with its sign (a minus, not a hyphen)."""
    if value > 0:
        return f"+{number(value)}"
    if value < 0:
        return f"−{number(-value)}"
    return "0"


def organization_name(organization: Any) -> str:
    """The full name with the short one in brackets, when they differ."""
    if organization is None:
        return ""
    full, short = organization.full_name or "", organization.short_name or ""
    if full and short and full != short:
        return f"{full} ({short})"
    return full or short


def kind_label(kind: Any) -> str:
    """«стажировочная», «краевая инновационная» — the label of a platform's kind."""
    return labels.PLATFORM_KIND.get(getattr(kind, "value", kind), "")


def kind_genitive(kind: Any) -> str:
    """«стажировочной», «краевой инновационной» — the platform's kind agreeing with
    «площадки» (every kind's label is an adjective phrase in «-ая»)."""
    return " ".join(w[:-2] + "ой" if w.endswith("ая") else w for w in kind_label(kind).split())


def platform_caption(platform: Platform) -> str:
    """«Стажировочная площадка МБОУ СОШ № 5»."""
    return (
        f"{capitalized(kind_label(platform.kind))} площадка {nb(platform.organization.short_name)}"
    )


def head_name(platform: Platform) -> str:
    """The full name of the platform's head; "" when none is set."""
    return platform.head.full_name if platform.head else ""


def platform_head_position(platform: Platform, with_organization: bool = False) -> str:
    """«Руководитель стажировочной площадки», with the organization's short name when asked
    («… площадки МБОУ СОШ № 5»)."""
    position = f"Руководитель {kind_genitive(platform.kind)} площадки"
    if with_organization:
        position += f" {nb(platform.organization.short_name)}"
    return position


def text_lines(value: str) -> list[str]:
    """The non-empty lines of a free text, list dashes dropped («— Формирование …»)."""
    lines = []
    for line in (value or "").splitlines():
        line = line.strip().lstrip("—–-•").strip()
        if line:
            lines.append(line)
    return lines
