"""The breakdowns («разрезы») of the monitoring indicators (DOCUMENTS.md §6.1): the platforms by
type of organization, the teacher-masters by category and subject, the interns of whom young
teachers and those from other organizations and municipalities, the events by level and form,
the products by kind. Counts per platform and in total, like the indicators; no names.

Groups that come from a reference list (levels, forms, categories, types) are listed in full,
with zeros, so a district's rows and a region's consolidation line up year after year."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..models import (
    Event,
    EventForm,
    EventLevel,
    Organization,
    OrgKind,
    Person,
    Platform,
    Product,
    QualificationCategory,
    TeacherMaster,
)
from ..text import collapse_spaces, fold
from . import labels
from .people import YOUNG_TEACHER_YEARS, young_since

if TYPE_CHECKING:  # monitoring imports this module to build the report
    from .monitoring import Scope

NO_CATEGORY = "без категории"
NOT_GIVEN = "не указан"


@dataclass(frozen=True)
class BreakdownRow:
    """One group of an indicator: «П5 · в том числе · молодые педагоги …»."""

    code: str  # the indicator's code, «П5»
    dimension: str  # «в том числе», «тип ОО», «уровень»…
    group: str
    per_platform: dict[int, float] = field(default_factory=dict)
    total: float = 0.0

    @property
    def key(self) -> str:
        """How a template's mapping names this row: «П14: муниципальный»."""
        return f"{self.code}: {self.group}"


# (platform_id, group, person_id) rows → distinct people per platform and group, and in total.
def _people_by_group(
    rows: Iterable[tuple[int, str, int]],
) -> dict[str, tuple[dict[int, float], float]]:
    per: dict[str, dict[int, set[int]]] = {}
    for pid, group, person in rows:
        per.setdefault(group, {}).setdefault(pid, set()).add(person)
    return {
        group: (
            {pid: float(len(people)) for pid, people in by_platform.items()},
            float(len(set().union(*by_platform.values()))),
        )
        for group, by_platform in per.items()
    }


def _counts_by_group(rows: Iterable[tuple[int, str, float]]) -> dict[str, dict[int, float]]:
    per: dict[str, dict[int, float]] = {}
    for pid, group, n in rows:
        per.setdefault(group, {})
        per[group][pid] = per[group].get(pid, 0.0) + float(n)
    return per


def _rows(
    code: str,
    dimension: str,
    groups: list[str],
    values: dict[str, tuple[dict[int, float], float]],
    scope: Scope,
) -> list[BreakdownRow]:
    out = []
    for group in groups:
        per, total = values.get(group, ({}, 0.0))
        out.append(
            BreakdownRow(
                code,
                dimension,
                group,
                {pid: per.get(pid, 0.0) for pid in scope.platform_ids},
                total,
            )
        )
    return out


def _summed(per: dict[str, dict[int, float]]) -> dict[str, tuple[dict[int, float], float]]:
    return {g: (by, sum(by.values())) for g, by in per.items()}


def _free_text_groups(values: Iterable[str]) -> tuple[list[str], dict[str, str]]:
    """Groups of a free-text field: spelled as first seen, matched folded, «не указан» last."""
    shown: dict[str, str] = {}
    for value in values:
        text = collapse_spaces(value)
        shown.setdefault(fold(text), text or NOT_GIVEN)
    order = sorted((k for k in shown if k), key=lambda k: shown[k].casefold())
    return [shown[k] for k in order] + ([NOT_GIVEN] if "" in shown else []), shown


# The kinds of organizations that serve as platforms; others are listed only when present.
_PLATFORM_KINDS = (OrgKind.SCHOOL, OrgKind.KINDERGARTEN, OrgKind.ADDITIONAL, OrgKind.COLLEGE)


def _p1(scope: Scope) -> list[BreakdownRow]:
    rows = scope.session.execute(
        select(Platform.id, Organization.kind)
        .join(Organization, Organization.id == Platform.organization_id)
        .where(Platform.id.in_(scope.platform_ids))
    )
    per = _counts_by_group((pid, labels.ORG_KIND[kind.value], 1) for pid, kind in rows)
    groups = [labels.ORG_KIND[k.value] for k in _PLATFORM_KINDS]
    groups += [g for g in per if g not in groups]  # a platform of an unusual kind
    return _rows("П1", "тип ОО", groups, _summed(per), scope)


def _masters(scope: Scope):  # type: ignore[no-untyped-def]
    return (
        select(TeacherMaster.platform_id, Person.id, Person.subject, QualificationCategory.name)
        .join(Person, Person.id == TeacherMaster.person_id)
        .outerjoin(QualificationCategory, QualificationCategory.id == Person.category_id)
        .where(TeacherMaster.platform_id.in_(scope.platform_ids), TeacherMaster.active)
    )


def _p2(scope: Scope) -> list[BreakdownRow]:
    masters = scope.session.execute(_masters(scope)).all()
    categories = [
        name
        for (name,) in scope.session.execute(
            select(QualificationCategory.name)
            .where(QualificationCategory.active)
            .order_by(QualificationCategory.sort_order, QualificationCategory.name)
        )
    ]
    by_category = _people_by_group(
        (pid, category or NO_CATEGORY, person) for pid, person, _s, category in masters
    )
    if NO_CATEGORY not in {fold(c) for c in categories}:
        categories.append(NO_CATEGORY)
    subjects, shown = _free_text_groups(subject for _p, _id, subject, _c in masters)
    by_subject = _people_by_group(
        (pid, shown[fold(collapse_spaces(subject))], person) for pid, person, subject, _c in masters
    )
    return _rows("П2", "квалификационная категория", categories, by_category, scope) + _rows(
        "П2", "предмет", subjects, by_subject, scope
    )


YOUNG = f"молодые педагоги (стаж менее {YOUNG_TEACHER_YEARS} лет)"
OTHER_ORGANIZATION = "из других ОО"
OTHER_MUNICIPALITY = "из других муниципальных образований"


def _p5(scope: Scope) -> list[BreakdownRow]:
    sub = scope.internships()
    intern_org = aliased(Organization)
    platform_org = aliased(Organization)
    rows = scope.session.execute(
        select(
            sub.c.platform_id,
            sub.c.person_id,
            Person.teaching_since,
            Person.organization_id,
            Platform.organization_id,
            intern_org.municipality_id,
            platform_org.municipality_id,
        )
        .join(Person, Person.id == sub.c.person_id)
        .join(Platform, Platform.id == sub.c.platform_id)
        .join(platform_org, platform_org.id == Platform.organization_id)
        .outerjoin(intern_org, intern_org.id == Person.organization_id)
    ).all()
    young_after = young_since(scope.date_to)
    tagged: list[tuple[int, str, int]] = []
    for pid, person, since, org, platform_org_id, mun, platform_mun in rows:
        if since is not None and since > young_after:
            tagged.append((pid, YOUNG, person))
        if org is not None and org != platform_org_id:
            tagged.append((pid, OTHER_ORGANIZATION, person))
        if mun is not None and platform_mun is not None and mun != platform_mun:
            tagged.append((pid, OTHER_MUNICIPALITY, person))
    groups = [YOUNG, OTHER_ORGANIZATION, OTHER_MUNICIPALITY]
    return _rows("П5", "в том числе", groups, _people_by_group(tagged), scope)


def _p14(scope: Scope) -> list[BreakdownRow]:
    from .monitoring import held_events

    out: list[BreakdownRow] = []
    for dimension, model, column, order in (
        ("уровень", EventLevel, Event.level_id, (EventLevel.rank, EventLevel.name)),
        ("форма", EventForm, Event.form_id, (EventForm.sort_order, EventForm.name)),
    ):
        names = dict(scope.session.execute(select(model.id, model.name).order_by(*order)).all())
        rows = scope.session.execute(
            select(Event.platform_id, column, func.count(Event.id))
            .where(held_events(scope))
            .group_by(Event.platform_id, column)
        )
        per = _counts_by_group((pid, names[ref], n) for pid, ref, n in rows)
        out += _rows("П14", dimension, list(names.values()), _summed(per), scope)
    return out


def _p18(scope: Scope) -> list[BreakdownRow]:
    rows = scope.session.execute(
        select(Product.platform_id, Product.kind).where(
            Product.platform_id.in_(scope.platform_ids),
            Product.year.between(scope.date_from.year, scope.date_to.year),
        )
    ).all()
    kinds, shown = _free_text_groups(kind for _pid, kind in rows)
    per = _counts_by_group((pid, shown[fold(collapse_spaces(kind))], 1) for pid, kind in rows)
    return _rows("П18", "вид", kinds, _summed(per), scope)


BREAKDOWNS: dict[str, Callable[..., list[BreakdownRow]]] = {
    "П1": _p1,
    "П2": _p2,
    "П5": _p5,
    "П14": _p14,
    "П18": _p18,
}


def breakdowns(scope: Scope, codes: Iterable[str]) -> list[BreakdownRow]:
    """The breakdown rows of the indicators ``codes`` (those the report carries), in order."""
    out: list[BreakdownRow] = []
    for code in codes:
        compute = BREAKDOWNS.get(code.strip().upper())
        if compute is not None:
            out += compute(scope)
    return out
