"""Municipalities, organizations and network agreements."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..errors import Problem
from ..models import Municipality, NetworkAgreement, Organization, OrgKind
from . import labels
from .access import DISTRICT
from .crud import EntityService
from .validation import Field


class MunicipalityService(EntityService[Municipality]):
    access = DISTRICT
    model = Municipality
    title = "муниципалитет"
    title_accusative = "муниципалитет"
    fields = (
        Field("name", "Наименование", required=True, max_len=255),
        Field("region", "Регион", required=True, max_len=255),
    )

    def check(
        self, session: Session, values: dict[str, Any], obj: Municipality | None
    ) -> list[Problem]:
        other = self.other_with(
            session,
            obj,
            Municipality.name == values["name"],
            Municipality.region == values["region"],
        )
        if other is not None:
            return [Problem("name", "Наименование", "такой муниципалитет в регионе уже есть")]
        return []


class OrganizationService(EntityService[Organization]):
    access = DISTRICT
    model = Organization
    title = "организация"
    title_accusative = "организацию"
    fields = (
        Field("full_name", "Полное наименование", required=True, max_len=500),
        Field("short_name", "Краткое наименование", required=True, max_len=255),
        Field("kind", "Тип", kind="enum", required=True, enum=OrgKind, enum_labels=labels.ORG_KIND),
        Field("municipality_id", "Муниципалитет", kind="ref", ref=Municipality),
        Field("address", "Адрес", max_len=500),
        Field("head_name", "Руководитель", max_len=255),
        Field("phone", "Телефон", kind="phone", max_len=50),
        Field("email", "Электронная почта", kind="email", max_len=255),
        Field("staff_count", "Число педагогических работников", kind="int", min=0, max=100000),
    )

    def describe(self, obj: Organization) -> str:
        return obj.short_name


class AgreementService(EntityService[NetworkAgreement]):
    access = DISTRICT
    model = NetworkAgreement
    title = "соглашение"
    title_accusative = "соглашение"
    fields = (
        Field(
            "organization_id", "Организация-партнёр", kind="ref", required=True, ref=Organization
        ),
        Field("number", "Номер", required=True, max_len=50),
        Field("signed_on", "Дата заключения", kind="date", required=True),
        Field("valid_until", "Действует до", kind="date"),
        Field("subject", "Предмет соглашения", kind="text"),
        Field("functions", "Функции партнёра в сети", kind="text"),
        Field("joint_events", "Совместные мероприятия", kind="text"),
    )

    def check(
        self, session: Session, values: dict[str, Any], obj: NetworkAgreement | None
    ) -> list[Problem]:
        until, signed = values.get("valid_until"), values.get("signed_on")
        if until and signed and until < signed:
            return [Problem("valid_until", "Действует до", "раньше даты заключения")]
        return []

    def describe(self, obj: NetworkAgreement) -> str:
        return f"№ {obj.number}"
