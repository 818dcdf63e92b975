"""Methodical products and network communities."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..errors import Problem
from ..models import Community, CommunityMeeting, CommunityMember, Person, Platform, Product
from . import labels
from .access import DISTRICT, platform_work
from .crud import EntityService, records_by_ids
from .validation import Field


def _product_kind(value: str) -> str | None:
    if value not in labels.PRODUCT_KINDS:
        return "возможны: " + ", ".join(labels.PRODUCT_KINDS)
    return None


class ProductService(EntityService[Product]):
    access = platform_work("platform_id")
    model = Product
    title = "методический продукт"
    title_accusative = "методический продукт"
    fields = (
        Field("title", "Название", required=True, max_len=500),
        Field("kind", "Вид", required=True, max_len=100, check=_product_kind),
        Field("year", "Год", kind="int", required=True, min=1990, max=2100),
        Field("platform_id", "Площадка", kind="ref", ref=Platform),
        Field("published_in", "Где опубликован", kind="text"),
        Field("file_name", "Файл", max_len=255),
    )

    def describe(self, obj: Product) -> str:
        return obj.title

    def set_authors(self, session: Session, product_id: int, person_ids: list[int]) -> None:
        product = self.get_for_change(session, product_id)
        product.authors = records_by_ids(session, Person, person_ids, "authors", "Авторы")
        session.flush()

    def attach_file(self, session: Session, product_id: int, file_name: str, data: bytes) -> None:
        product = self.get_for_change(session, product_id)
        product.file_name = file_name
        product.file_data = data
        session.flush()


class CommunityService(EntityService[Community]):
    access = DISTRICT
    model = Community
    title = "сообщество"
    title_accusative = "сообщество"
    fields = (
        Field("name", "Название", required=True, max_len=500),
        Field("focus", "Направление работы", kind="text"),
        Field("stage", "Этап", kind="int", min=1, max=4, default=1),
        Field("founded_on", "Дата создания", kind="date"),
    )

    def check(
        self, session: Session, values: dict[str, Any], obj: Community | None
    ) -> list[Problem]:
        other = self.other_with(session, obj, Community.name == values["name"])
        if other is not None:
            return [Problem("name", "Название", "сообщество с таким названием уже есть")]
        return []


class CommunityMemberService(EntityService[CommunityMember]):
    access = DISTRICT
    model = CommunityMember
    title = "участник сообщества"
    title_accusative = "участника сообщества"
    fields = (
        Field("community_id", "Сообщество", kind="ref", required=True, ref=Community),
        Field("person_id", "Педагог", kind="ref", required=True, ref=Person),
        Field("is_moderator", "Модератор", kind="bool", default=False),
    )

    def check(
        self, session: Session, values: dict[str, Any], obj: CommunityMember | None
    ) -> list[Problem]:
        other = self.other_with(
            session,
            obj,
            CommunityMember.community_id == values["community_id"],
            CommunityMember.person_id == values["person_id"],
        )
        if other is not None:
            return [Problem("person_id", "Педагог", "уже участник этого сообщества")]
        return []


class CommunityMeetingService(EntityService[CommunityMeeting]):
    access = DISTRICT
    model = CommunityMeeting
    title = "заседание"
    title_accusative = "заседание"
    fields = (
        Field("community_id", "Сообщество", kind="ref", required=True, ref=Community),
        Field("held_on", "Дата", kind="date", required=True),
        Field("topic", "Тема", required=True, max_len=500),
        Field("notes", "Итоги", kind="text"),
    )
