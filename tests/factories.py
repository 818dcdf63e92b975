"""Small builders of a consistent world for tests, written through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stazhirovka.models import EventForm, EventLevel, Instrument, Position
from stazhirovka.services.events import EventService
from stazhirovka.services.internships import InternshipService
from stazhirovka.services.organizations import OrganizationService
from stazhirovka.services.people import PersonService
from stazhirovka.services.platforms import PlatformService, TeacherMasterService
from stazhirovka.services.programs import ModuleService, ProgramService


def org(s: Session, short: str = "МБОУ СОШ № 1", **kw: Any):
    data = {"full_name": f"Учреждение {short}", "short_name": short, "kind": "school", **kw}
    return OrganizationService().create(s, data)


def person(
    s: Session,
    surname: str = "Иванова",
    name: str = "Мария",
    patronymic: str = "Петровна",
    **kw: Any,
):
    return PersonService().create(
        s, {"surname": surname, "name": name, "patronymic": patronymic, **kw}
    )


def position(s: Session, name: str = "учитель математики") -> int:
    return s.scalar(select(Position.id).where(Position.name == name))


def platform(s: Session, organization=None, **kw: Any):
    organization = organization or org(s, "МБОУ СОШ № 5")
    data = {
        "organization_id": organization.id,
        "kind": "internship",
        "active_from": date(2020, 9, 1),
        **kw,
    }
    return PlatformService().create(s, data)


def program(
    s: Session,
    plat=None,
    title: str = "Формирование методических компетенций педагогов",
    hours=((4, 8), (2, 10)),
):
    plat = plat or platform(s)
    prog = ProgramService().create(s, {"platform_id": plat.id, "title": title})
    for i, (theory, practice) in enumerate(hours, 1):
        ModuleService().create(
            s,
            {
                "program_id": prog.id,
                "title": f"Модуль {i}",
                "hours_theory": theory,
                "hours_practice": practice,
            },
        )
    s.refresh(prog)
    return prog


def master(s: Session, plat, who=None):
    who = who or person(s, "Петрова", "Наталья", "Андреевна", organization_id=plat.organization_id)
    return TeacherMasterService().create(s, {"person_id": who.id, "platform_id": plat.id})


def internship(s: Session, prog=None, intern=None, **kw: Any):
    prog = prog or program(s)
    intern = intern or person(s, "Сидоров", "Илья", "Ильич")
    mentor = kw.pop("mentor", None) or master(s, prog.platform)
    data = {
        "person_id": intern.id,
        "program_id": prog.id,
        "mentor_id": mentor.id,
        "start_date": date(2025, 9, 1),
        "planned_end": date(2026, 5, 31),
        **kw,
    }
    return InternshipService().create(s, data)


def event(s: Session, title: str = "Семинар «Формирующее оценивание»", **kw: Any):
    form_id = s.scalar(select(EventForm.id).where(EventForm.name == "семинар"))
    level_id = s.scalar(select(EventLevel.id).where(EventLevel.name == "муниципальный"))
    data = {
        "title": title,
        "form_id": form_id,
        "level_id": level_id,
        "starts_on": date(2025, 10, 15),
        "hours": 4,
        **kw,
    }
    return EventService().create(s, data)


def default_instrument(s: Session) -> Instrument:
    return s.scalar(select(Instrument).order_by(Instrument.id).limit(1))


def completed_internship(s: Session, surname: str = "Сидоров", on: date = date(2026, 5, 30)):
    """An internship taken through its moves to «завершена»."""
    from stazhirovka.models import InternshipStatus

    intern = internship(s, intern=person(s, surname, "Илья", "Ильич"))
    InternshipService().move(s, intern.id, InternshipStatus.ACTIVE)
    InternshipService().move(s, intern.id, InternshipStatus.COMPLETED, on=on)
    return intern
