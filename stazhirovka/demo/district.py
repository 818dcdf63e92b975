"""The demo district: seed 003's Тимашевский район as described in :mod:`.world`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from . import world
from .builder import PLATFORM_KINDS, RELATED_COMPETENCY, Builder
from .context import MuniCtx, OrgCtx, PlatformCtx
from .geography import (
    STREETS,
    canonical_municipality,
    kuban_municipalities,
    municipality_domain,
)
from .internships import InternshipMaker
from .people import PersonInfo

DISTRICT_CENTRE = "г. Тимашевск"
DISTRICT_PHONE = "304"
DISTRICT_DOMAIN = "tim.kubannet.ru"
PROGRAMS_APPROVED = date(2020, 8, 28)
PERSONS_PER_PARTNER = 5


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def slug_for(short_name: str, kind: str, taken: set[str]) -> str:
    """An e-mail local part: «school1», «ds7», «ddt»…, made unique within a municipality."""
    number = re.search(r"№\s*(\d+)", short_name)
    base = {
        "school": "school",
        "kindergarten": "ds",
        "additional": "dod",
        "college": "college",
        "methodical_service": "cro",
        "institute": "iro",
        "university": "univ",
        "partner": "info",
    }.get(kind, "org")
    slug = f"{base}{number.group(1)}" if number else base
    if "лицей" in short_name:
        slug = slug.replace("school", "licey")
    elif "гимназия" in short_name:
        slug = slug.replace("school", "gimn")
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}{n}"
        n += 1
    taken.add(candidate)
    return candidate


def build_district(
    b: Builder,
    persons: int,
    internships: int,
    journal: int,
    events: int,
    report: Callable[[str, float], None],
) -> tuple[MuniCtx, dict[str, OrgCtx]]:
    """Write the district; return it and the network's methodical services by municipality."""
    rng = b.rng
    muni = MuniCtx(
        b.municipality(world.MUNICIPALITY, world.REGION),
        world.MUNICIPALITY,
        world.REGION,
        DISTRICT_CENTRE,
        DISTRICT_PHONE,
        DISTRICT_DOMAIN,
    )
    b.district_name = muni.name
    comp_code = {name: code for code, name in world.COMPETENCIES}

    # Masters needed per organization: 3–6 for each platform it hosts.
    masters_at: dict[str, int] = {}
    masters_of: list[int] = []
    for spec in world.PLATFORMS:
        count = rng.randint(3, 6)
        masters_of.append(count)
        masters_at[spec["org_short_name"]] = masters_at.get(spec["org_short_name"], 0) + count

    report("Организации и педагоги района", 0.02)
    partner_people = PERSONS_PER_PARTNER * len(world.NETWORK)
    staff_total = sum(o.get("staff_count") or 20 for o in world.ORGANIZATIONS)
    factor = (persons - partner_people) / staff_total
    taken: set[str] = set()
    orgs: dict[str, OrgCtx] = {}
    for spec in world.ORGANIZATIONS:
        kind = spec["kind"]
        masters = masters_at.get(spec["short_name"], 0)
        staff = max(round((spec.get("staff_count") or 20) * factor), masters + 6)
        head = None
        if kind == "methodical_service" and spec["short_name"] == world.SERVICE["short_name"]:
            head = tuple(world.SERVICE["head_name"])
        org = b.organization(
            muni,
            kind,
            spec["full_name"],
            spec["short_name"],
            spec.get("address", ""),
            staff,
            masters=masters,
            head=head,  # type: ignore[arg-type]
            slug=slug_for(spec["short_name"], kind, taken),
        )
        orgs[spec["short_name"]] = org
        if kind == "methodical_service" and muni.service is None:
            muni.service = org

    report("Сетевые партнёры", 0.12)
    services, partners = _network(b)

    report("Стажировочные площадки и программы", 0.16)
    platforms: list[PlatformCtx] = []
    for spec, masters in zip(world.PLATFORMS, masters_of, strict=True):
        code = comp_code.get(spec["competency"]) or _code_by_name(b, spec["competency"])
        active_to = _day(spec.get("active_to"))
        platforms.append(
            b.platform(
                muni,
                orgs[spec["org_short_name"]],
                PLATFORM_KINDS[spec["kind"]],
                spec["theme"],
                [code],
                spec.get("order_number", ""),
                _day(spec.get("order_date")) or _day(spec["active_from"]),  # type: ignore[arg-type]
                _day(spec["active_from"]),  # type: ignore[arg-type]
                active_to,
                masters,
            )
        )
    for number, spec in enumerate(world.PROGRAMS):
        host = [p for p in platforms if p.org.short_name == spec["platform_org"]]
        host.sort(
            key=lambda p: (
                p.kind not in ("internship", "support"),
                spec["competency"] not in p.comps,
            )
        )
        platform = host[0]
        code = spec["competency"]
        if code not in platform.comps:
            platform.comps.append(code)
        b.program(
            platform,
            spec["title"],
            [code, RELATED_COMPETENCY[code]],
            spec.get("audience", ""),
            spec.get("duration_months") or 12,
            PROGRAMS_APPROVED,
            f"Приказ управления образованием от {PROGRAMS_APPROVED:%d.%m.%Y} № {598 + number}",
            spec.get("goal", ""),
            spec.get("expected_results", ""),
            spec["modules"],
        )

    report("Мероприятия плана-графика", 0.24)
    muni.guests = [p for org in partners for p in org.persons]
    _world_events(b, muni, orgs)
    b.generated_events(
        muni,
        max(0, events - len(world.EVENTS)),
        date(2020, 9, 1),
        date(b.school_year + 1, 5, 31),
    )
    muni.index_events()

    report("Стажировки, маршруты, журналы и диагностика", 0.34)
    InternshipMaker(b).make(muni, internships, journal)

    report("Методическая продукция и сообщества", 0.85)
    _products(b, muni)
    _communities(b, muni)
    return muni, services


def _code_by_name(b: Builder, name: str) -> str:
    for code, seeded in b.refs.competency_name.items():
        if seeded == name:
            return code
    raise KeyError(name)


def _network(b: Builder) -> tuple[dict[str, OrgCtx], list[OrgCtx]]:
    """The network partners with their municipalities, people and agreements; returns the
    partners' methodical services by municipality and all the partners."""
    rng = b.rng
    services: dict[str, OrgCtx] = {}
    partners: list[OrgCtx] = []
    places = {m.name: m for m in kuban_municipalities()}
    taken: dict[str, set[str]] = {}
    renew_on = date(2024, 1, 15)
    for index, spec in enumerate(world.NETWORK):
        name = canonical_municipality(spec["municipality"])
        region = spec.get("region", world.REGION)
        where = places.get(name)
        home = MuniCtx(
            b.municipality(name, region),
            name,
            region,
            where.centre if where else name,
            where.phone_code if where else str(310 + index * 7),
            municipality_domain(where.centre, region) if where else "kubannet.ru",
        )
        street = rng.choice(STREETS)
        org = b.organization(
            home,
            spec["kind"],
            spec["full_name"],
            spec["short_name"],
            spec.get("address") or f"{region}, {home.centre}, ул. {street}, {rng.randint(1, 150)}",
            PERSONS_PER_PARTNER,
            slug=slug_for(spec["short_name"], spec["kind"], taken.setdefault(name, set())),
        )
        partners.append(org)
        if spec["kind"] == "methodical_service":
            services[name] = org
        signed = _day(spec["signed_on"])
        valid = _day(spec.get("valid_until"))
        assert signed is not None
        b.agreement(
            org,
            spec["agreement_number"],
            signed,
            valid,
            spec.get("subject", ""),
            spec.get("functions", ""),
            spec.get("joint_events", ""),
        )
        # Most partners renewed their agreement when the network became a resource centre.
        renewed = renew_on + timedelta(days=index)
        if valid and valid < b.today and renewed < b.today and rng.random() < 0.75:
            number = re.sub(r"20\d\d", "2024", spec["agreement_number"])
            if number == spec["agreement_number"]:
                number = f"{number}/2024"
            b.agreement(
                org,
                number,
                renewed,
                date(2026, 12, 31),
                spec.get("subject", ""),
                spec.get("functions", ""),
                spec.get("joint_events", ""),
            )
    return services, partners


def _world_events(b: Builder, muni: MuniCtx, orgs: dict[str, OrgCtx]) -> None:
    rng = b.rng
    methodists = muni.methodists
    for spec in sorted(world.EVENTS, key=lambda e: (e["date"], e["title"])):
        day = date.fromisoformat(spec["date"])
        venue = orgs.get(spec.get("venue_org") or "")
        platform = None
        if venue is not None:
            here = [p for p in muni.platforms if p.org is venue and p.active_on(day)]
            here.sort(key=lambda p: p.kind != "internship")
            platform = here[0] if here else None
        responsible: PersonInfo | None = (
            platform.head if platform and platform.head else rng.choice(methodists)
        )
        end = _day(spec.get("ends_on"))
        b.event(
            muni,
            spec["title"],
            spec["form"],
            spec["level"],
            day,
            end,
            platform,
            venue,
            bool(spec.get("online")),
            spec.get("audience", ""),
            float(spec.get("hours") or 0),
            responsible,
            day.year,
            bool(spec.get("held", True)) and day < b.today,
        )


def _products(b: Builder, muni: MuniCtx) -> None:
    rng = b.rng
    service_people = muni.service.persons[:8] if muni.service else []
    for spec in world.PRODUCTS:
        platform = None
        host = spec.get("platform_org")
        if host:
            candidates = [p for p in muni.platforms if p.org.short_name == host]
            candidates.sort(key=lambda p: p.kind != "internship")
            platform = candidates[0] if candidates else None
        pool: list[Any] = [p for _tm, p in platform.masters] if platform else service_people
        authors = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        if platform is None and muni.service and muni.service.head and rng.random() < 0.5:
            authors.insert(0, muni.service.head)
        b.product(
            spec["title"],
            spec["kind"],
            int(spec["year"]),
            platform,
            spec.get("published_in", ""),
            authors,
        )


def _communities(b: Builder, muni: MuniCtx) -> None:
    rng = b.rng
    everyone = muni.persons
    young = [p for p in everyone if (b.today - p.since).days < 3 * 365]
    for index, spec in enumerate(world.COMMUNITIES):
        focus = spec.get("focus", "")
        text = f"{spec['name']} {focus}".lower()
        if "дошкол" in text or "доо" in text or "среда" in text:
            pool = [p for p in everyone if p.org_kind == "kindergarten"]
        elif "дополнительн" in text:
            pool = [p for p in everyone if p.org_kind == "additional"]
        elif "молод" in text or "начинающ" in text:
            pool = young
        elif "тмс" in text or "методическ" in text:
            pool = (
                muni.methodists + muni.guests + [p for pl in muni.platforms for _t, p in pl.masters]
            )
        else:
            pool = [p for p in everyone if p.org_kind == "school"]
        pool = pool or everyone
        founded = date(2020 + index % 3, rng.choice((10, 11, 2, 3)), rng.randint(1, 28))
        if founded >= b.today:
            founded = b.today - timedelta(days=30)
        moderators = rng.sample(muni.methodists, min(len(muni.methodists), rng.randint(1, 2)))
        b.community(
            muni,
            spec["name"],
            focus,
            int(spec.get("stage") or 1),
            founded,
            pool,
            moderators,
        )
