"""Create, update and delete work for every entity through its service."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from stazhirovka.errors import DeleteRefusedError, ValidationError
from stazhirovka.models import Competency, EventLevel
from stazhirovka.services import organizations, platforms, products, reference
from stazhirovka.services.events import ParticipationService
from stazhirovka.services.users import UserService, verify_password

from . import factories as f


def test_organization_agreement_municipality(session):
    mun = organizations.MunicipalityService().create(
        session, {"name": "Тимашевский район", "region": "Краснодарский край"}
    )
    with pytest.raises(ValidationError):
        organizations.MunicipalityService().create(
            session, {"name": "Тимашевский район", "region": "Краснодарский край"}
        )
    partner = f.org(session, "КубГУ", kind="university", municipality_id=mun.id, staff_count=900)
    service = organizations.AgreementService()
    with pytest.raises(ValidationError) as err:
        service.create(
            session,
            {
                "organization_id": partner.id,
                "number": "12",
                "signed_on": "01.09.2021",
                "valid_until": "01.09.2020",
            },
        )
    assert err.value.for_field("valid_until") == ["раньше даты заключения"]
    agreement = service.create(
        session, {"organization_id": partner.id, "number": "12", "signed_on": "01.09.2021"}
    )
    service.update(session, agreement.id, {"valid_until": "31.08.2026"})
    with pytest.raises(DeleteRefusedError, match="соглашения о сетевом взаимодействии \\(1\\)"):
        organizations.OrganizationService().delete(session, partner.id)
    service.delete(session, agreement.id)
    organizations.OrganizationService().delete(session, partner.id)


def test_organization_kind_and_staff_are_checked(session):
    with pytest.raises(ValidationError) as err:
        organizations.OrganizationService().create(
            session, {"full_name": "x", "short_name": "x", "kind": "завод", "staff_count": -3}
        )
    assert "недопустимое значение" in err.value.for_field("kind")[0]
    assert err.value.for_field("staff_count") == ["не меньше 0"]


def test_platform_and_master(session):
    plat = f.platform(session, order_number="123", order_date="20.08.2020")
    with pytest.raises(ValidationError) as err:
        platforms.PlatformService().update(session, plat.id, {"active_to": "01.01.2019"})
    assert err.value.for_field("active_to") == ["раньше даты начала"]
    ids = list(session.scalars(select(Competency.id).limit(2)))
    platforms.PlatformService().set_competencies(session, plat.id, ids)
    assert len(plat.competencies) == 2
    m = f.master(session, plat)
    with pytest.raises(ValidationError) as err:
        f.master(session, plat, m.person)
    assert err.value.for_field("person_id") == ["уже педагог-мастер этой площадки"]
    with pytest.raises(DeleteRefusedError, match="педагоги-мастера"):
        platforms.PlatformService().delete(session, plat.id)


def test_event_and_participation(session):
    event = f.event(session, ends_on="16.10.2025", online="да")
    assert event.online is True
    p = f.person(session)
    ParticipationService().create(
        session, {"event_id": event.id, "person_id": p.id, "role": "выступающий"}
    )
    with pytest.raises(ValidationError) as err:
        ParticipationService().create(
            session, {"event_id": event.id, "person_id": p.id, "role": "speaker"}
        )
    assert err.value.for_field("person_id") == ["уже записан на это мероприятие в этой роли"]


def test_event_dates_in_order(session):
    with pytest.raises(ValidationError) as err:
        f.event(session, ends_on="01.10.2025")
    assert err.value.for_field("ends_on") == ["раньше даты начала"]


def test_products_and_communities(session):
    service = products.ProductService()
    with pytest.raises(ValidationError) as err:
        service.create(session, {"title": "Сборник", "kind": "роман", "year": 2022})
    assert err.value.for_field("kind")[0].startswith("возможны: пособие")
    product = service.create(
        session, {"title": "Сборник методических разработок", "kind": "сборник", "year": 2022}
    )
    author = f.person(session)
    service.set_authors(session, product.id, [author.id])
    service.attach_file(session, product.id, "сборник.pdf", b"%PDF-1.4")
    assert product.authors == [author]
    community = products.CommunityService().create(
        session, {"name": "ПОС учителей математики", "stage": 2}
    )
    with pytest.raises(ValidationError) as err:
        products.CommunityService().create(session, {"name": "Другое", "stage": 5})
    assert err.value.for_field("stage") == ["не больше 4"]
    products.CommunityMemberService().create(
        session, {"community_id": community.id, "person_id": author.id, "is_moderator": True}
    )
    products.CommunityMeetingService().create(
        session, {"community_id": community.id, "held_on": "10.10.2025", "topic": "Планирование"}
    )
    with pytest.raises(DeleteRefusedError, match="участия в сообществах"):
        from stazhirovka.services.people import PersonService

        PersonService().delete(session, author.id)
    products.CommunityService().delete(session, community.id)


def test_reference_lists_are_editable_and_unique(session):
    service = reference.PositionService()
    pos = service.create(session, {"name": "тьютор", "name_dative": "тьютору"})
    with pytest.raises(ValidationError) as err:
        service.create(session, {"name": "тьютор", "name_dative": "тьютору"})
    assert err.value.for_field("name") == ["такое значение в списке уже есть"]
    service.update(session, pos.id, {"active": "нет"})
    assert pos.active is False
    level = session.scalar(select(EventLevel).where(EventLevel.name == "краевой"))
    f.event(session, level_id=level.id)
    with pytest.raises(DeleteRefusedError, match="мероприятия \\(1\\)"):
        reference.EventLevelService().delete(session, level.id)


def test_users(session):
    service = UserService()
    service.add(session, {"login": "admin", "role": "admin"}, "пароль администратора")
    with pytest.raises(ValidationError) as err:
        service.add(session, {"login": "метод ист", "role": "methodologist"}, "короткий"[:5])
    assert err.value.for_field("password") == ["не короче 8 символов"]
    assert err.value.for_field("login")  # both problems at once
    with pytest.raises(ValidationError) as err:
        service.add(session, {"login": "head", "role": "platform-head"}, "надёжный пароль")
    assert err.value.for_field("platforms")
    user = service.add(session, {"login": "metod", "role": "methodologist"}, "надёжный пароль")
    assert verify_password(user.password_hash, "надёжный пароль")
    assert not verify_password(user.password_hash, "другой пароль")
    with pytest.raises(ValidationError) as err:
        service.add(session, {"login": "metod", "role": "admin"}, "надёжный пароль")
    assert err.value.for_field("login") == ["уже занят"]
    assert service.authenticate(session, "metod", "надёжный пароль") is user


def test_remaining_uniqueness_and_range_rules(session):
    from stazhirovka.services.diagnostics import InstrumentService
    from stazhirovka.services.programs import ProgramService

    with pytest.raises(ValidationError) as err:
        reference.CompetencyService().create(session, {"code": "METH", "name": "Новая"})
    assert err.value.for_field("code") == ["такое значение в списке уже есть"]
    title = f.default_instrument(session).title
    with pytest.raises(ValidationError) as err:
        InstrumentService().create(session, {"title": title, "kind": "questionnaire"})
    assert err.value.for_field("title") == ["методика с таким названием уже есть"]
    with pytest.raises(ValidationError) as err:
        ProgramService().create(
            session, {"platform_id": f.platform(session).id, "title": "П", "duration_months": 0}
        )
    assert err.value.for_field("duration_months") == ["не меньше 1"]
    with pytest.raises(ValidationError) as err:
        products.ProductService().create(
            session, {"title": "Статья", "kind": "статья", "year": 1812}
        )
    assert err.value.for_field("year") == ["не меньше 1990"]
    community = products.CommunityService().create(session, {"name": "ПОС"})
    with pytest.raises(ValidationError) as err:
        products.CommunityService().create(session, {"name": "ПОС"})
    assert err.value.for_field("name") == ["сообщество с таким названием уже есть"]
    p = f.person(session)
    products.CommunityMemberService().create(
        session, {"community_id": community.id, "person_id": p.id}
    )
    with pytest.raises(ValidationError) as err:
        products.CommunityMemberService().create(
            session, {"community_id": community.id, "person_id": p.id}
        )
    assert err.value.for_field("person_id") == ["уже участник этого сообщества"]


def test_unknown_ids_in_a_list_are_reported(session):
    product = products.ProductService().create(
        session, {"title": "Сборник", "kind": "сборник", "year": 2022}
    )
    author = f.person(session)
    with pytest.raises(ValidationError) as err:
        products.ProductService().set_authors(session, product.id, [author.id, 999999])
    assert err.value.for_field("authors") == ["записи не найдены: № 999999"]
