"""The demo district passes the services' own validation, record by record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from stazhirovka.demo import generate
from stazhirovka.errors import ValidationError
from stazhirovka.services.crud import EntityService
from stazhirovka.services.diagnostics import AssessmentService, IndicatorService, InstrumentService
from stazhirovka.services.events import EventService, ParticipationService
from stazhirovka.services.internships import (
    InternshipService,
    JournalService,
    RouteService,
    RouteStepService,
)
from stazhirovka.services.organizations import (
    AgreementService,
    MunicipalityService,
    OrganizationService,
)
from stazhirovka.services.people import PersonService
from stazhirovka.services.platforms import PlatformService, TeacherMasterService
from stazhirovka.services.products import (
    CommunityMeetingService,
    CommunityMemberService,
    CommunityService,
    ProductService,
)
from stazhirovka.services.programs import ModuleService, ProgramService

SERVICES: list[type[EntityService]] = [
    MunicipalityService,
    OrganizationService,
    AgreementService,
    PersonService,
    PlatformService,
    TeacherMasterService,
    ProgramService,
    ModuleService,
    InternshipService,
    RouteService,
    RouteStepService,
    JournalService,
    InstrumentService,
    IndicatorService,
    AssessmentService,
    EventService,
    ParticipationService,
    ProductService,
    CommunityService,
    CommunityMemberService,
    CommunityMeetingService,
]


@pytest.fixture
def demo(session):
    generate(session, scale="district", seed=7, today=date(2026, 11, 21))
    session.flush()
    return session


def test_every_demo_record_is_valid(demo):
    failures = []
    for service_class in SERVICES:
        service = service_class()
        records = demo.scalars(select(service.model).order_by(service.model.id)).all()
        assert records, service.model.__name__
        stride = max(1, len(records) // 150)  # a spread sample of the big tables keeps this quick
        for obj in records[::stride]:
            try:
                service.validate(demo, {}, obj)
            except ValidationError as err:
                failures.append(f"{service.model.__name__} {obj.id}: {err}")
    assert not failures, "\n".join(failures[:20])


def test_the_demo_world_names_competencies_as_the_reference_list_does():
    from stazhirovka.demo import world
    from stazhirovka.services.reference_data import load_reference

    assert [tuple(c) for c in load_reference("lists.json")["competencies"]] == world.COMPETENCIES


def test_records_made_after_the_demo_get_fresh_ids(demo):
    """The generator gives ids itself; on PostgreSQL the sequences must follow, or the first
    record made through the program collides with a demo row."""
    from stazhirovka.models import Internship, JournalEntry, Person
    from stazhirovka.services.internships import JournalService
    from stazhirovka.services.people import PersonService

    most = demo.scalar(select(func.max(Person.id)))
    person = PersonService().create(demo, {"surname": "Новикова", "name": "Анна", "sex": "F"})
    assert person.id > most
    internship_id = demo.scalar(select(Internship.id).limit(1))
    entry = JournalService().create(
        demo,
        {"internship_id": internship_id, "entry_date": date(2026, 11, 20),
         "activity": "консультация", "topic": "После демо", "hours": 1},
    )  # fmt: skip
    assert entry.id > max(demo.scalars(select(JournalEntry.id).where(JournalEntry.id != entry.id)))
