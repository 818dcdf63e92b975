"""Services for the editable reference lists."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Session

from ..errors import Problem
from ..models import (
    Competency,
    EventForm,
    EventLevel,
    MonitoringIndicator,
    Position,
    QualificationCategory,
)
from .access import DISTRICT
from .crud import EntityService
from .validation import Field

_COMMON = (
    Field("name", "Наименование", required=True, max_len=255),
    Field("sort_order", "Порядок", kind="int", min=0, max=100000, default=0),
    Field("active", "Используется", kind="bool", default=True),
)


class _RefService(EntityService[Any]):
    access = DISTRICT
    unique_fields: ClassVar[tuple[str, ...]] = ("name",)

    def check(self, session: Session, values: dict[str, Any], obj: Any) -> list[Problem]:
        problems = []
        fields = self.field_map()
        for key in self.unique_fields:
            other = self.other_with(session, obj, getattr(self.model, key) == values[key])
            if other is not None:
                problems.append(Problem(key, fields[key].label, "такое значение в списке уже есть"))
        return problems


class CompetencyService(_RefService):
    model = Competency
    title, title_accusative = "компетенция", "компетенцию"
    fields = (Field("code", "Код", required=True, max_len=20), *_COMMON)
    unique_fields = ("code", "name")


class PositionService(_RefService):
    model = Position
    title, title_accusative = "должность", "должность"
    fields = (
        *_COMMON,
        Field(
            "name_dative", "В дательном падеже («учителю математики»)", required=True, max_len=255
        ),
    )


class QualificationCategoryService(_RefService):
    model = QualificationCategory
    title, title_accusative = "категория", "категорию"
    fields = _COMMON


class EventFormService(_RefService):
    model = EventForm
    title, title_accusative = "форма мероприятия", "форму мероприятия"
    fields = _COMMON


class EventLevelService(_RefService):
    model = EventLevel
    title, title_accusative = "уровень мероприятия", "уровень мероприятия"
    fields = (*_COMMON, Field("rank", "Ранг", kind="int", min=0, max=100, default=0))


class MonitoringIndicatorService(_RefService):
    model = MonitoringIndicator
    title, title_accusative = "показатель мониторинга", "показатель мониторинга"
    fields = (
        Field("code", "Код", required=True, max_len=20),
        *_COMMON,
        Field("unit", "Единица измерения", required=True, max_len=100),
        Field("formula", "Как считается", max_len=1000),
        Field("breakdown", "Разрезы", max_len=1000),
    )
    unique_fields = ("code", "name")
