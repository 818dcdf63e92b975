"""Typed SQLAlchemy models, one module per aggregate. Importing this package registers all."""

from .base import Base
from .certificate import Certificate, CertificateKind, CertificateSequence, CertificateStatus
from .community import Community, CommunityMeeting, CommunityMember
from .diagnostics import Assessment, Assessor, Indicator, Instrument, InstrumentKind, Score, Stage
from .district import DistrictProfile, SigningKey
from .event import Event, ParticipantRole, Participation
from .internship import (
    Internship,
    InternshipStatus,
    JournalEntry,
    Route,
    RouteStep,
    StepKind,
    StepStatus,
    route_member,
)
from .organization import NetworkAgreement, Organization, OrgKind
from .person import Person, Sex
from .platform import Platform, PlatformKind, PlatformStatus, TeacherMaster, platform_competency
from .product import Product, product_author
from .program import Program, ProgramModule, program_competency
from .reference import (
    Competency,
    EventForm,
    EventLevel,
    MonitoringIndicator,
    Municipality,
    Position,
    QualificationCategory,
)
from .security import AuditEntry, Role, User, user_platform

__all__ = [
    "Assessment",
    "Assessor",
    "AuditEntry",
    "Base",
    "Certificate",
    "CertificateKind",
    "CertificateSequence",
    "CertificateStatus",
    "Community",
    "CommunityMeeting",
    "CommunityMember",
    "Competency",
    "DistrictProfile",
    "Event",
    "EventForm",
    "EventLevel",
    "Indicator",
    "Instrument",
    "InstrumentKind",
    "Internship",
    "InternshipStatus",
    "JournalEntry",
    "MonitoringIndicator",
    "Municipality",
    "NetworkAgreement",
    "OrgKind",
    "Organization",
    "ParticipantRole",
    "Participation",
    "Person",
    "Platform",
    "PlatformKind",
    "PlatformStatus",
    "Position",
    "Product",
    "Program",
    "ProgramModule",
    "QualificationCategory",
    "Role",
    "Route",
    "RouteStep",
    "Score",
    "Sex",
    "SigningKey",
    "Stage",
    "StepKind",
    "StepStatus",
    "TeacherMaster",
    "User",
    "platform_competency",
    "product_author",
    "program_competency",
    "route_member",
    "user_platform",
]
