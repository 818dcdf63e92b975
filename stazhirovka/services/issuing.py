"""Who gets a certificate in a batch, and the dative forms of their names for the preview.

A batch is all completed internships of a program, platform or period that have no valid
certificate yet, or everyone who attended an event (participation and speaker certificates).
The user sees every declined name before anything is issued and may correct one; the
correction is kept on the person (``dative_override``) for every later document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from ..errors import NotFoundError, Problem, ValidationError
from ..grammar import dative_name
from ..models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Event,
    Internship,
    InternshipStatus,
    Organization,
    ParticipantRole,
    Participation,
    Person,
    Position,
    Program,
    ProgramModule,
)
from ..text import collapse_spaces
from .crud import audit

SPEAKER_ROLES = (ParticipantRole.SPEAKER, ParticipantRole.HOST)


@dataclass(frozen=True)
class Selection:
    """Which certificates a batch issues. Internships: completed ones, narrowed by program,
    platform, completion period or explicit ids. Events: the attended participants of one."""

    kind: CertificateKind = CertificateKind.INTERNSHIP
    program_id: int | None = None
    platform_id: int | None = None
    date_from: date | None = None  # completion date (actual_end) from…
    date_to: date | None = None  # …to, inclusive
    internship_ids: tuple[int, ...] = ()
    event_id: int | None = None

    def describe(self) -> str:
        if self.kind != CertificateKind.INTERNSHIP:
            return f"мероприятие № {self.event_id}"
        parts = []
        if self.program_id:
            parts.append(f"программа № {self.program_id}")
        if self.platform_id:
            parts.append(f"площадка № {self.platform_id}")
        if self.date_from or self.date_to:
            parts.append("период завершения")
        return ", ".join(parts) or "все завершённые стажировки"


@dataclass(frozen=True)
class Recipient:
    """One certificate to issue, with everything the preview and the document show."""

    kind: CertificateKind
    person_id: int
    internship_id: int | None
    event_id: int | None
    surname: str
    name: str
    patronymic: str
    sex: str
    dative: str  # as it will be printed: the person's correction or the declined form
    dative_declined: str  # what the rules give, for comparison in the preview
    organization: str
    position: str
    hours: float | None
    basis_title: str

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)

    @property
    def corrected(self) -> bool:
        return self.dative != self.dative_declined


def recipients(session: Session, selection: Selection) -> list[Recipient]:
    """Everyone the selection would issue a certificate to now, ordered by name."""
    if selection.kind == CertificateKind.INTERNSHIP:
        return _internship_recipients(session, selection)
    if selection.kind in (CertificateKind.PARTICIPATION, CertificateKind.SPEAKER):
        return _event_recipients(session, selection)
    raise ValidationError([Problem("kind", "Вид сертификата", "пакетом не выдаётся")])


def _valid(kind: CertificateKind, *conditions: object) -> object:
    """A not-cancelled certificate of this kind on the same basis already exists."""
    return exists().where(
        Certificate.kind == kind,
        Certificate.status == CertificateStatus.ISSUED,
        *conditions,  # type: ignore[arg-type]
    )


def _person_columns() -> tuple[object, ...]:
    return (
        Person.id,
        Person.surname,
        Person.name,
        Person.patronymic,
        Person.sex,
        Person.dative_override,
        Organization.short_name,
        Position.name,
    )


def _internship_recipients(session: Session, selection: Selection) -> list[Recipient]:
    # hours done as recorded; a completion without recorded hours counts the program's hours
    program_hours = (
        select(
            func.coalesce(func.sum(ProgramModule.hours_theory + ProgramModule.hours_practice), 0)
        )
        .where(ProgramModule.program_id == Program.id)
        .scalar_subquery()
    )
    query = (
        select(
            *_person_columns(),
            Internship.id,
            case((Internship.hours_done > 0, Internship.hours_done), else_=program_hours),
            Program.title,
        )
        .join(Person, Person.id == Internship.person_id)
        .join(Program, Program.id == Internship.program_id)
        .outerjoin(Organization, Organization.id == Person.organization_id)
        .outerjoin(Position, Position.id == Person.position_id)
        .where(
            Internship.status == InternshipStatus.COMPLETED,
            ~_valid(CertificateKind.INTERNSHIP, Certificate.internship_id == Internship.id),
        )
        .order_by(Person.surname, Person.name, Person.patronymic, Internship.id)
    )
    if selection.program_id:
        query = query.where(Internship.program_id == selection.program_id)
    if selection.platform_id:
        query = query.where(Program.platform_id == selection.platform_id)
    if selection.date_from:
        query = query.where(Internship.actual_end >= selection.date_from)
    if selection.date_to:
        query = query.where(Internship.actual_end <= selection.date_to)
    if selection.internship_ids:
        query = query.where(Internship.id.in_(selection.internship_ids))
    result = []
    for row in session.execute(query):
        (pid, surname, name, patronymic, sex, override, org, position, iid, hours, title) = row
        result.append(
            _recipient(
                CertificateKind.INTERNSHIP,
                pid,
                surname,
                name,
                patronymic,
                sex,
                override,
                org,
                position,
                internship_id=iid,
                hours=hours,
                basis_title=title,
            )
        )
    return result


def _event_recipients(session: Session, selection: Selection) -> list[Recipient]:
    event = session.get(Event, selection.event_id) if selection.event_id else None
    if event is None:
        raise NotFoundError(f"Мероприятие № {selection.event_id} не найдено.")
    speaker = selection.kind == CertificateKind.SPEAKER
    roles = SPEAKER_ROLES if speaker else (ParticipantRole.LISTENER,)
    other = aliased(Participation)
    query = (
        select(*_person_columns())
        .join(Participation, Participation.person_id == Person.id)
        .outerjoin(Organization, Organization.id == Person.organization_id)
        .outerjoin(Position, Position.id == Person.position_id)
        .where(
            Participation.event_id == event.id,
            Participation.attended.is_(True),
            Participation.role.in_(roles),
            ~_valid(
                selection.kind,
                Certificate.event_id == event.id,
                Certificate.person_id == Person.id,
            ),
        )
        .order_by(Person.surname, Person.name, Person.patronymic, Person.id)
        .distinct()
    )
    if not speaker:
        # who also spoke at the event gets the speaker's certificate, not both
        query = query.where(
            ~exists().where(
                and_(
                    other.event_id == event.id,
                    other.person_id == Person.id,
                    other.role.in_(SPEAKER_ROLES),
                )
            )
        )
    return [
        _recipient(
            selection.kind, *row, event_id=event.id, hours=event.hours, basis_title=event.title
        )
        for row in session.execute(query)
    ]


def _recipient(
    kind: CertificateKind,
    person_id: int,
    surname: str,
    name: str,
    patronymic: str,
    sex: object,
    override: str,
    organization: str | None,
    position: str | None,
    *,
    internship_id: int | None = None,
    event_id: int | None = None,
    hours: float | None,
    basis_title: str,
) -> Recipient:
    sex_code = str(getattr(sex, "value", sex))
    declined = dative_name(surname, name, patronymic, sex_code)
    return Recipient(
        kind=kind,
        person_id=person_id,
        internship_id=internship_id,
        event_id=event_id,
        surname=surname,
        name=name,
        patronymic=patronymic or "",
        sex=sex_code,
        dative=override or declined,
        dative_declined=declined,
        organization=organization or "",
        position=position or "",
        hours=hours,
        basis_title=basis_title,
    )


def with_corrections(found: list[Recipient], corrections: dict[int, str]) -> list[Recipient]:
    """The recipients with the dative forms the user typed in the preview (by person id)."""
    return [
        replace(r, dative=collapse_spaces(corrections[r.person_id]) or r.dative_declined)
        if r.person_id in corrections
        else r
        for r in found
    ]


def correct_dative(session: Session, person_id: int, dative: str, actor: str = "") -> str:
    """Keep a corrected dative form on the person; an empty value or the declined form itself
    clears the correction. Returns the form now printed."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"Педагог № {person_id} не найден.")
    value = collapse_spaces(dative)
    if len(value) > 300:
        raise ValidationError(
            [Problem("dative_override", "ФИО в дательном падеже", "не длиннее 300 символов")]
        )
    declined = dative_name(person.surname, person.name, person.patronymic, person.sex)
    new = "" if value in ("", declined) else value
    if new != person.dative_override:
        old = person.dative_override
        person.dative_override = new
        session.flush()
        audit(session, "update", person, {"dative_override": (old, new)}, actor)
    return new or declined
