"""What the window knows about each kind of record: its registry, its service, how its form
is laid out. One entry per entity; the registries themselves live in the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import (
    Community,
    Competency,
    Event,
    EventForm,
    EventLevel,
    Instrument,
    Internship,
    Municipality,
    Organization,
    Person,
    Platform,
    Position,
    Program,
    QualificationCategory,
    TeacherMaster,
)
from ..services.certificates import CertificateService
from ..services.crud import EntityService
from ..services.diagnostics import AssessmentService, InstrumentService
from ..services.events import EventService, ParticipationService
from ..services.internships import InternshipService, JournalService
from ..services.organizations import AgreementService, MunicipalityService, OrganizationService
from ..services.people import PersonService
from ..services.platforms import PlatformService, TeacherMasterService
from ..services.products import CommunityService, ProductService
from ..services.programs import ProgramService
from ..services.reference import (
    CompetencyService,
    EventFormService,
    EventLevelService,
    PositionService,
    QualificationCategoryService,
)

# A ref field of a form picks from the registry of the model it points at.
REGISTRY_OF_MODEL: dict[type, str] = {
    Organization: "organizations",
    Municipality: "municipalities",
    Person: "persons",
    Position: "positions",
    QualificationCategory: "categories",
    Platform: "platforms",
    TeacherMaster: "masters",
    Program: "programs",
    Internship: "internships",
    Instrument: "instruments",
    Competency: "competencies",
    EventForm: "event_forms",
    EventLevel: "event_levels",
    Event: "events",
    Community: "communities",
}


@dataclass(frozen=True)
class LinkList:
    """A many-to-many list edited in the record's form (a platform's directions, a
    product's authors): read from an ORM relationship, written by a service method."""

    label: str
    registry: str  # the records it picks from
    attribute: str  # the relationship on the record
    setter: str  # the service method (session, record_id, ids)


@dataclass(frozen=True)
class EntityKind:
    registry: str
    service: type[EntityService[Any]]
    new_title: str  # the form's title for a new record: «Новый педагог»
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # («Контакты», (fields…)); else all
    read_only: bool = False  # records made elsewhere (certificates are issued, not typed)
    creatable: bool = True
    picker_filters: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Fields the generic form leaves alone (edited where their context is, e.g. the route
    # step of a journal entry in the internship card); an update keeps their stored values.
    hidden: tuple[str, ...] = ()
    links: tuple[LinkList, ...] = ()
    has_file: bool = False  # a product's attached file


# fmt: off
KINDS: dict[str, EntityKind] = {
    kind.registry: kind
    for kind in (
        EntityKind(
            "persons",
            PersonService,
            "Новый педагог",
            sections=(
                (
                    "Педагог",
                    (
                        "surname", "name", "patronymic", "sex", "organization_id", "position_id",
                        "subject", "teaching_since", "category_id", "education",
                    ),
                ),
                ("Контакты", ("phone", "email", "snils")),
                (
                    "Документы и согласие на обработку данных",
                    ("dative_override", "consent_on", "consent_document", "consent_withdrawn_on"),
                ),
            ),
        ),
        EntityKind("organizations", OrganizationService, "Новая организация"),
        EntityKind("municipalities", MunicipalityService, "Новый муниципалитет"),
        EntityKind(
            "platforms", PlatformService, "Новая площадка",
            links=(LinkList("Направления (компетенции)", "competencies", "competencies",
                            "set_competencies"),),
        ),
        EntityKind("masters", TeacherMasterService, "Новый педагог-мастер"),
        EntityKind("programs", ProgramService, "Новая программа"),
        EntityKind(
            "internships",
            InternshipService,
            "Новая стажировка",
            picker_filters={"mentor_id": {"active": True}},
        ),
        EntityKind(
            "journal", JournalService, "Новая запись журнала", hidden=("route_step_id",)
        ),
        EntityKind("instruments", InstrumentService, "Новая методика"),
        EntityKind("assessments", AssessmentService, "Новая диагностика"),
        EntityKind("events", EventService, "Новое мероприятие"),
        EntityKind("participants", ParticipationService, "Новый участник"),
        EntityKind("certificates", CertificateService, "Сертификат", creatable=False),
        EntityKind(
            "products", ProductService, "Новый методический продукт",
            links=(LinkList("Авторы", "persons", "authors", "set_authors"),),
            hidden=("file_name",), has_file=True,
        ),
        EntityKind("agreements", AgreementService, "Новое соглашение"),
        EntityKind("communities", CommunityService, "Новое сообщество"),
        EntityKind("competencies", CompetencyService, "Новая компетенция"),
        EntityKind("positions", PositionService, "Новая должность"),
        EntityKind("categories", QualificationCategoryService, "Новая категория"),
        EntityKind("event_forms", EventFormService, "Новая форма мероприятия"),
        EntityKind("event_levels", EventLevelService, "Новый уровень мероприятия"),
    )
}
# fmt: on


def kind_of(registry: str) -> EntityKind | None:
    return KINDS.get(registry)
