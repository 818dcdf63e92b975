"""The machinery shared by every municipality: organizations with their people, platforms and
programs; events (:mod:`.events`) and the other records (:mod:`.records`) come as mixins."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Competency,
    EventForm,
    EventLevel,
    Indicator,
    Instrument,
    Municipality,
    Organization,
    Person,
    Platform,
    Position,
    Program,
    ProgramModule,
    QualificationCategory,
    TeacherMaster,
    platform_competency,
    program_competency,
)
from ..text import search_key
from .context import ModuleCtx, MuniCtx, OrgCtx, PlatformCtx, ProgramCtx, Refs
from .events import EventsMixin
from .people import FEMALE, MALE, PersonFactory, PersonInfo
from .records import RecordsMixin
from .writer import BulkWriter

MUNICIPALITY = Municipality.__table__
ORGANIZATION = Organization.__table__
PERSON = Person.__table__
PLATFORM = Platform.__table__
TEACHER_MASTER = TeacherMaster.__table__
PROGRAM = Program.__table__
MODULE = ProgramModule.__table__

FIRST_COHORT = 2020  # the seed 003 project started with the 2020/21 school year
SYSTEM_SINCE = date(2020, 9, 1)  # records older than this were entered when the project began

PLATFORM_KINDS = {
    "стажировочная": "internship",
    "опорная": "support",
    "муниципальная инновационная": "municipal_innovation",
    "краевая инновационная": "regional_innovation",
}
_HEAD_POSITION = {
    "school": "директор",
    "additional": "директор",
    "college": "директор",
    "methodical_service": "директор",
}
# Secondary competency of a program besides its main one.
RELATED_COMPETENCY = {
    "METH": "SDA",
    "PROJ": "METH",
    "EVAL": "METH",
    "PSY": "HEALTH",
    "SDA": "METH",
    "ICT": "METH",
    "HEALTH": "PSY",
    "ENV": "PSY",
}


def load_refs(session: Session) -> Refs:
    """Look up the seeded reference lists by name; the instrument is the first one seeded."""
    competency = {
        code: id_ for code, id_ in session.execute(select(Competency.code, Competency.id))
    }
    competency_name = {
        code: name for code, name in session.execute(select(Competency.code, Competency.name))
    }
    code_by_id = {id_: code for code, id_ in competency.items()}
    instrument = session.scalars(select(Instrument).order_by(Instrument.id).limit(1)).one()
    indicators = [
        (ind_id, code_by_id[comp_id], code, text)
        for ind_id, comp_id, code, text in session.execute(
            select(Indicator.id, Indicator.competency_id, Indicator.code, Indicator.text)
            .where(Indicator.instrument_id == instrument.id)
            .order_by(Indicator.position)
        )
    ]

    def by_name(model: Any) -> dict[str, int]:
        return {name: id_ for name, id_ in session.execute(select(model.name, model.id))}

    return Refs(
        competency=competency,
        competency_name=competency_name,
        positions=by_name(Position),
        categories=by_name(QualificationCategory),
        forms=by_name(EventForm),
        levels=by_name(EventLevel),
        instrument_id=instrument.id,
        scale_min=instrument.scale_min,
        scale_max=instrument.scale_max,
        deficit_max=instrument.deficit_max_score,
        indicators=indicators,
    )


def sex_of_patronymic(patronymic: str) -> str:
    return FEMALE if patronymic.endswith(("вна", "чна", "ична", "кызы")) else MALE


class Builder(EventsMixin, RecordsMixin):
    """Writes one municipality's records at a time through a :class:`BulkWriter`."""

    def __init__(self, session: Session, rng: random.Random, today: date, refs: Refs):
        self.session = session
        self.rng = rng
        self.today = today
        self.refs = refs
        self.w = BulkWriter(session, today)
        self.people = PersonFactory(rng, today, refs.positions)
        self.school_year = today.year if today.month >= 9 else today.year - 1
        # The cohort whose internships ended last: left without certificates to issue in the app.
        self.latest_completed_cohort = today.year - 1 if today.month >= 6 else today.year - 2
        self.sequences: dict[tuple[str, int], int] = {}
        self.municipalities: dict[tuple[str, str], int] = {}
        self.district_name = ""  # the seed 003 district: it always shows a cancelled certificate
        self._dative: Any = None

    # --- municipalities and organizations ----------------------------------------------

    def municipality(self, name: str, region: str) -> int:
        key = (region, name)
        found = self.municipalities.get(key)
        if found is None:
            found = self.w.new_id(MUNICIPALITY)
            self.w.add(MUNICIPALITY, {"id": found, "name": name, "region": region}, SYSTEM_SINCE)
            self.municipalities[key] = found
        return found

    def organization(
        self,
        muni: MuniCtx,
        kind: str,
        full_name: str,
        short_name: str,
        address: str,
        staff: int,
        masters: int = 0,
        head: tuple[str, str, str] | None = None,
        slug: str = "",
    ) -> OrgCtx:
        """An organization with ``staff`` people: its head, deputies, ``masters``, teachers."""
        org = OrgCtx(self.w.new_id(ORGANIZATION), kind, short_name, full_name)
        rows = self._staff(muni, org, staff, masters, head)
        rng = self.rng
        head_person = org.head
        self.w.add(
            ORGANIZATION,
            {
                "id": org.id,
                "full_name": full_name,
                "short_name": short_name,
                "kind": kind,
                "municipality_id": muni.id,
                "address": address,
                "head_name": head_person.full_name if head_person else "",
                "phone": f"+7 (861) {muni.phone_code}-{rng.randrange(10, 100)}-"
                f"{rng.randrange(10, 100)}",
                "email": f"{slug or 'org' + str(org.id)}@{muni.email_domain}",
                "staff_count": len(org.persons),
                "search_key": search_key(short_name, full_name),
            },
            SYSTEM_SINCE,
        )
        for row in rows:
            self.w.add(PERSON, row, row["consent_on"] or max(SYSTEM_SINCE, row["teaching_since"]))
        muni.add_org(org)
        return org

    def _staff(
        self,
        muni: MuniCtx,
        org: OrgCtx,
        staff: int,
        masters: int,
        head: tuple[str, str, str] | None,
    ) -> list[dict[str, Any]]:
        kind = org.kind
        plan: list[tuple[str, str | None]] = []  # (role, position or None for a staff draw)
        head_position = _HEAD_POSITION.get(kind)
        if kind == "kindergarten":
            head_position = "заведующий"
        if head_position and staff >= 3:
            plan.append(("head", head_position))
        if kind == "school" and staff >= 12:
            plan.append(("deputy", "заместитель директора по УВР"))
            if staff >= 40:
                plan.append(("deputy", "заместитель директора по ВР"))
        elif kind == "kindergarten" and staff >= 10:
            plan.append(("deputy", "старший воспитатель"))
        elif kind == "methodical_service" and staff >= 8:
            plan.append(("deputy", "старший методист"))
        plan.extend(("master", None) for _ in range(masters))
        while len(plan) < staff:
            plan.append(("methodist" if kind == "methodical_service" else "staff", None))
        rows = []
        for i, (role, position) in enumerate(plan):
            fio = head if (role == "head" and head) else None
            rows.append(self._person(muni, org, role, position, i + 1, fio))
        return rows

    def _person(
        self,
        muni: MuniCtx,
        org: OrgCtx,
        role: str,
        position: str | None,
        counter: int,
        fio: tuple[str, str, str] | None = None,
    ) -> dict[str, Any]:
        pf = self.people
        if fio:
            surname, name, patronymic = fio
            sex = sex_of_patronymic(patronymic)
        else:
            if role == "head" and org.kind in ("school", "additional", "college"):
                sex = FEMALE if self.rng.random() < 0.7 else MALE
            else:
                sex = pf.sex_for(org.kind)
            surname, name, patronymic = pf.name_for(sex)
        if role in ("head", "deputy"):
            since = pf.experience_start(young=False, min_years=15)
        elif role == "master":
            since = pf.experience_start(young=False, min_years=12)
        else:
            since = pf.experience_start()
        category = pf.category_for(since, master=role in ("master", "head"))
        if position is None:
            position, subject = pf.staff_position(org.kind)
        else:
            subject = ""
            if position == "заведующий" and sex == FEMALE:
                position = "заведующая"
        person_id = self.w.new_id(PERSON)
        consent_on, consent_doc = pf.consent(since, self.school_year, counter)
        info = PersonInfo(
            person_id,
            org.id,
            org.kind,
            sex,
            surname,
            name,
            patronymic,
            since,
            position,
            role,
            category,
            subject,
        )
        org.persons.append(info)
        return {
            "id": person_id,
            "surname": surname,
            "name": name,
            "patronymic": patronymic,
            "sex": sex,
            "organization_id": org.id,
            "position_id": pf.position_id(position),
            "subject": subject,
            "teaching_since": since,
            "category_id": self.refs.categories.get(category),
            "education": pf.education(since, org.kind),
            "phone": pf.phone(muni.phone_code),
            "email": pf.email(surname, name, patronymic, since),
            "snils": pf.snils(),
            "dative_override": "",
            "consent_on": consent_on,
            "consent_document": consent_doc,
            "consent_withdrawn_on": None,
            "search_key": search_key(surname, name, patronymic),
        }

    # --- platforms and programs --------------------------------------------------------

    def platform(
        self,
        muni: MuniCtx,
        org: OrgCtx,
        kind: str,
        theme: str,
        comps: Sequence[str],
        order_number: str,
        order_date: date,
        active_from: date,
        active_to: date | None,
        masters: int,
    ) -> PlatformCtx:
        rng = self.rng
        deputies = org.with_role("deputy")
        head = deputies[0] if deputies and kind != "regional_innovation" else org.head
        if kind == "regional_innovation" or head is None:
            head = org.head or (org.persons[0] if org.persons else None)
        taken = {pid for pl in muni.platforms for _tm, p in pl.masters for pid in (p.id,)}
        pool = [p for p in org.with_role("master") if p.id not in taken]
        if len(pool) < masters:
            pool += [
                p
                for p in org.persons
                if p.role in ("staff", "methodist") and p.id not in taken and p not in pool
            ]
        status = "active"
        if active_to is not None and active_to < self.today:
            status = "closed"
        elif kind != "regional_innovation" and rng.random() < 0.02:
            status = "suspended"
        ctx = PlatformCtx(
            self.w.new_id(PLATFORM), org, kind, list(comps), head, active_from, active_to
        )
        self.w.add(
            PLATFORM,
            {
                "id": ctx.id,
                "organization_id": org.id,
                "kind": kind,
                "theme": theme,
                "head_id": head.id if head else None,
                "order_number": order_number,
                "order_date": order_date,
                "active_from": active_from,
                "active_to": active_to,
                "status": status,
            },
            order_date,
        )
        for code in dict.fromkeys(comps):
            self.w.add(
                platform_competency,
                {"platform_id": ctx.id, "competency_id": self.refs.competency[code]},
            )
        for person in pool[:masters]:
            tm_id = self.w.new_id(TEACHER_MASTER)
            status_on = active_from + timedelta(days=rng.randrange(0, 30))
            self.w.add(
                TEACHER_MASTER,
                {
                    "id": tm_id,
                    "person_id": person.id,
                    "platform_id": ctx.id,
                    "status_on": status_on,
                    "order_number": order_number,
                    "specialization": person.subject or self.refs.competency_name[comps[0]].lower(),
                    "active": status != "closed",
                },
                status_on,
            )
            ctx.masters.append((tm_id, person))
        muni.platforms.append(ctx)
        return ctx

    def program(
        self,
        platform: PlatformCtx,
        title: str,
        comps: Sequence[str],
        audience: str,
        months: int,
        approved_on: date,
        approval_order: str,
        goals: str,
        expected: str,
        modules: Sequence[dict[str, Any]],
    ) -> ProgramCtx:
        prog_id = self.w.new_id(PROGRAM)
        self.w.add(
            PROGRAM,
            {
                "id": prog_id,
                "platform_id": platform.id,
                "title": title,
                "audience": audience,
                "duration_months": months,
                "approved_on": approved_on,
                "approval_order": approval_order,
                "goals": goals,
                "expected_results": expected,
                "search_key": search_key(title),
            },
            approved_on,
        )
        for code in dict.fromkeys(comps):
            self.w.add(
                program_competency,
                {"program_id": prog_id, "competency_id": self.refs.competency[code]},
            )
        mods = []
        for pos, m in enumerate(modules, 1):
            mod_id = self.w.new_id(MODULE)
            self.w.add(
                MODULE,
                {
                    "id": mod_id,
                    "program_id": prog_id,
                    "position": pos,
                    "title": m["title"],
                    "hours_theory": m["hours_theory"],
                    "hours_practice": m["hours_practice"],
                    "form": m.get("form", ""),
                    "content": m.get("content", ""),
                    "expected_result": m.get("expected_result", ""),
                    "assessment": m.get("assessment", ""),
                },
                approved_on,
            )
            mods.append(
                ModuleCtx(
                    mod_id,
                    pos,
                    m["title"],
                    m["hours_theory"] + m["hours_practice"],
                    m.get("form", ""),
                    m.get("expected_result", ""),
                    m.get("assessment", ""),
                )
            )
        ctx = ProgramCtx(
            prog_id, title, platform, list(comps), mods, months, approved_on, "ENV" in comps[:1]
        )
        platform.programs.append(ctx)
        return ctx
