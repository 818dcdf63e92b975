"""Events of the plan-schedule and participation in them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..errors import Problem
from ..models import (
    Event,
    EventForm,
    EventLevel,
    Organization,
    ParticipantRole,
    Participation,
    Person,
    Platform,
)
from . import labels
from .access import platform_work
from .crud import EntityService
from .validation import Field


class EventService(EntityService[Event]):
    access = platform_work("platform_id")
    model = Event
    title = "мероприятие"
    title_accusative = "мероприятие"
    fields = (
        Field("title", "Название", required=True, max_len=500),
        Field("form_id", "Форма", kind="ref", required=True, ref=EventForm),
        Field("level_id", "Уровень", kind="ref", required=True, ref=EventLevel),
        Field("starts_on", "Дата проведения", kind="date", required=True),
        Field("ends_on", "Дата окончания", kind="date"),
        Field("platform_id", "Площадка", kind="ref", ref=Platform),
        Field("venue_id", "Место проведения", kind="ref", ref=Organization),
        Field("online", "Дистанционно", kind="bool", default=False),
        Field("audience", "Целевая аудитория", max_len=500),
        Field("hours", "Часы", kind="float", min=0, max=1000, default=0),
        Field("responsible_id", "Ответственный", kind="ref", ref=Person),
        Field("plan_year", "Год плана-графика", kind="int", min=2000, max=2100),
        Field("held", "Проведено", kind="bool", default=False),
        Field("result", "Результат", kind="text"),
    )

    def check(self, session: Session, values: dict[str, Any], obj: Event | None) -> list[Problem]:
        start, end = values.get("starts_on"), values.get("ends_on")
        if start and end and end < start:
            return [Problem("ends_on", "Дата окончания", "раньше даты начала")]
        return []

    def describe(self, obj: Event) -> str:
        return obj.title


class ParticipationService(EntityService[Participation]):
    access = platform_work("event_id")
    model = Participation
    title = "участие"
    title_accusative = "участие"
    fields = (
        Field("event_id", "Мероприятие", kind="ref", required=True, ref=Event),
        Field("person_id", "Участник", kind="ref", required=True, ref=Person),
        Field(
            "role",
            "Роль",
            kind="enum",
            enum=ParticipantRole,
            enum_labels=labels.PARTICIPANT_ROLE,
            default=ParticipantRole.LISTENER,
        ),
        Field("attended", "Присутствовал(а)", kind="bool", default=True),
    )

    def check(
        self, session: Session, values: dict[str, Any], obj: Participation | None
    ) -> list[Problem]:
        other = self.other_with(
            session,
            obj,
            Participation.event_id == values["event_id"],
            Participation.person_id == values["person_id"],
            Participation.role == values["role"],
        )
        if other is not None:
            return [Problem("person_id", "Участник", "уже записан на это мероприятие в этой роли")]
        return []

    def describe(self, obj: Participation) -> str:
        return obj.person.short_name if obj.person else f"№ {obj.id}"
