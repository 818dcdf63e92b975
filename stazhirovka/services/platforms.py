"""Platforms and their teacher-masters."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..errors import Problem
from ..models import Organization, Person, Platform, PlatformKind, PlatformStatus, TeacherMaster
from . import labels
from .access import DISTRICT
from .crud import EntityService, records_by_ids
from .validation import Field


class PlatformService(EntityService[Platform]):
    access = DISTRICT
    model = Platform
    title = "площадка"
    title_accusative = "площадку"
    fields = (
        Field("organization_id", "Организация", kind="ref", required=True, ref=Organization),
        Field(
            "kind",
            "Вид площадки",
            kind="enum",
            required=True,
            enum=PlatformKind,
            enum_labels=labels.PLATFORM_KIND,
        ),
        Field("theme", "Тема", kind="text"),
        Field("head_id", "Руководитель площадки", kind="ref", ref=Person),
        Field("order_number", "Номер приказа о статусе", max_len=50),
        Field("order_date", "Дата приказа", kind="date"),
        Field("active_from", "Действует с", kind="date", required=True),
        Field("active_to", "Действует по", kind="date"),
        Field(
            "status",
            "Статус",
            kind="enum",
            required=True,
            enum=PlatformStatus,
            enum_labels=labels.PLATFORM_STATUS,
            default=PlatformStatus.ACTIVE,
        ),
    )

    def check(
        self, session: Session, values: dict[str, Any], obj: Platform | None
    ) -> list[Problem]:
        start, end = values.get("active_from"), values.get("active_to")
        if start and end and end < start:
            return [Problem("active_to", "Действует по", "раньше даты начала")]
        return []

    def describe(self, obj: Platform) -> str:
        return obj.organization.short_name if obj.organization else f"№ {obj.id}"

    def set_competencies(
        self, session: Session, platform_id: int, competency_ids: list[int]
    ) -> None:
        from ..models import Competency

        platform = self.get_for_change(session, platform_id)
        platform.competencies = records_by_ids(
            session, Competency, competency_ids, "competencies", "Направления"
        )
        session.flush()


class TeacherMasterService(EntityService[TeacherMaster]):
    access = DISTRICT
    model = TeacherMaster
    title = "педагог-мастер"
    title_accusative = "педагога-мастера"
    fields = (
        Field("person_id", "Педагог", kind="ref", required=True, ref=Person),
        Field("platform_id", "Площадка", kind="ref", required=True, ref=Platform),
        Field("status_on", "Дата присвоения статуса", kind="date"),
        Field("order_number", "Номер приказа", max_len=50),
        Field("specialization", "Специализация", max_len=500),
        Field("active", "Действует", kind="bool", default=True),
    )

    def check(
        self, session: Session, values: dict[str, Any], obj: TeacherMaster | None
    ) -> list[Problem]:
        other = self.other_with(
            session,
            obj,
            TeacherMaster.person_id == values["person_id"],
            TeacherMaster.platform_id == values["platform_id"],
        )
        if other is not None:
            return [Problem("person_id", "Педагог", "уже педагог-мастер этой площадки")]
        return []

    def describe(self, obj: TeacherMaster) -> str:
        return obj.person.short_name if obj.person else f"№ {obj.id}"
