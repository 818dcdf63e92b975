"""Generated municipalities of the region and nation scales: the district's shapes, invented."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import texts, world
from .builder import RELATED_COMPETENCY, Builder
from .context import MuniCtx, OrgCtx
from .district import slug_for
from .geography import (
    KUBAN,
    STREETS,
    MunicipalitySpec,
    municipality_domain,
    official_municipality,
)
from .internships import InternshipMaker

_ADDITIONAL = [
    ("ДДТ", "Дом детского творчества"),
    ("ЦДТ", "Центр детского творчества"),
    ("СЮТ", "Станция юных техников"),
    ("СЮН", "Станция юных натуралистов"),
    ("ЦВР", "Центр внешкольной работы"),
    ("ЭБЦ", "Эколого-биологический центр"),
    ("ЦТТ", "Центр технического творчества"),
]
_SERVICES = [
    ("МКУ «ЦРО»", "Муниципальное казённое учреждение «Центр развития образования»"),
    ("МБУ «ИМЦ»", "Муниципальное бюджетное учреждение «Информационно-методический центр»"),
    ("МКУ «РИМЦ»", "Муниципальное казённое учреждение «Районный информационно-методический центр»"),
]
_STAFF_WEIGHT = {
    "school": 55.0,
    "kindergarten": 22.0,
    "additional": 25.0,
    "methodical_service": 12.0,
    "college": 40.0,
}
_PLATFORM_KIND_WEIGHTS = {
    "internship": 72,
    "support": 12,
    "municipal_innovation": 11,
    "regional_innovation": 5,
}
_KIND_TITLE = {
    "internship": "стажировочная площадка",
    "support": "опорная площадка",
    "municipal_innovation": "муниципальная инновационная площадка",
    "regional_innovation": "краевая инновационная площадка",
}


@dataclass(frozen=True)
class Targets:
    persons: int
    organizations: int
    platforms: int
    internships: int
    journal: int
    events: int


def genitive(name: str) -> str:
    """«Абинский район» → «Абинского района»; a city keeps its name («г. Сочи»)."""
    for ending in ("ий район", "ой район"):
        if name.endswith(ending):
            return name[: -len(ending)] + "ого района"
    return name


def build_municipality(
    b: Builder, spec: MunicipalitySpec, t: Targets, service: OrgCtx | None
) -> MuniCtx:
    rng = b.rng
    domain = municipality_domain(spec.centre, spec.region)
    muni = MuniCtx(
        b.municipality(spec.name, spec.region),
        spec.name,
        spec.region,
        spec.centre,
        spec.phone_code,
        domain,
    )
    official = official_municipality(spec.name)
    town = spec.centre

    def address() -> str:
        return f"{spec.region}, {town}, ул. {rng.choice(STREETS)}, {rng.randint(1, 200)}"

    # --- which organizations, and where the platforms are ---
    n = max(t.organizations, 6)
    kinds: list[str] = []
    if service is None:
        kinds.append("methodical_service")
    if n >= 30 and rng.random() < 0.6:
        kinds.append("college")
    extra = max(1, round(n * 0.1))
    kinds += ["additional"] * extra
    rest = max(2, n - len(kinds))
    schools = max(1, round(rest * 0.46))
    kinds += ["school"] * schools + ["kindergarten"] * (rest - schools)

    platform_plan = []
    school_idx = [i for i, k in enumerate(kinds) if k == "school"]
    kg_idx = [i for i, k in enumerate(kinds) if k == "kindergarten"] or school_idx
    pk_names = list(_PLATFORM_KIND_WEIGHTS)
    pk_weights = list(_PLATFORM_KIND_WEIGHTS.values())
    codes = list(RELATED_COMPETENCY)
    for i in range(max(1, t.platforms)):
        kind = "internship" if i == 0 else rng.choices(pk_names, pk_weights)[0]
        comp = rng.choice(codes)
        host = rng.choice(kg_idx if comp == "ENV" else school_idx)
        comps = [comp]
        if rng.random() < 0.3:
            comps.append(RELATED_COMPETENCY[comp])
        platform_plan.append((kind, comps, host, rng.randint(3, 6)))
    masters_at = [0] * len(kinds)
    for _kind, _comps, host, masters in platform_plan:
        masters_at[host] += masters

    weights = [_STAFF_WEIGHT[k] * rng.uniform(0.7, 1.3) for k in kinds]
    factor = t.persons / sum(weights)

    # --- organizations with their people ---
    taken: set[str] = set()
    numbers = {"school": 0, "kindergarten": 0, "additional": 0}
    orgs: list[OrgCtx] = []
    if service is not None:
        muni.add_org(service)
        muni.service = service
    for i, kind in enumerate(kinds):
        staff = max(round(weights[i] * factor), masters_at[i] + 6, 4)
        short, full = _org_names(b, kind, numbers, spec, official)
        org = b.organization(
            muni,
            kind,
            full,
            short,
            address(),
            staff,
            masters=masters_at[i],
            slug=slug_for(short, kind, taken),
        )
        orgs.append(org)
        if kind == "methodical_service":
            muni.service = org

    # --- platforms and programs ---
    templates = {p["competency"]: p for p in world.PROGRAMS}
    for kind, comps, host, masters in platform_plan:
        org = orgs[host]
        year = rng.choice((2016, 2017, 2018, 2019, 2019, 2020, 2020, 2020, 2021, 2022, 2023))
        order_date = date(year, rng.choice((1, 8, 9)), rng.randint(1, 28))
        if order_date >= b.today:
            order_date = b.today - timedelta(days=400)
        active_to = None
        if kind in ("municipal_innovation", "regional_innovation"):
            active_to = date(order_date.year + rng.randint(3, 5), 12, 31)
        elif rng.random() < 0.06:
            active_to = date(order_date.year + rng.randint(3, 6), 8, 31)
        theme = rng.choice(texts.COMPETENCY_TOPICS[comps[0]])
        platform = b.platform(
            muni,
            org,
            kind,
            f"{theme} ({_KIND_TITLE[kind]})",
            comps,
            f"№ {rng.randint(100, 999)}",
            order_date,
            order_date,
            active_to,
            masters,
        )
        if kind not in ("internship", "support"):
            continue
        for code in comps[:1] if rng.random() < 0.8 else comps:
            template = templates.get(code)
            if template is None:
                continue
            approved = max(order_date, date(2020, 6, 1)) + timedelta(days=rng.randint(0, 60))
            if approved >= b.today:
                approved = order_date
            b.program(
                platform,
                template["title"],
                [code, RELATED_COMPETENCY[code]],
                template.get("audience", ""),
                template.get("duration_months") or 12,
                approved,
                f"Приказ {muni.service.short_name if muni.service else 'ТМС'} "
                f"от {approved:%d.%m.%Y} № {rng.randint(10, 300)}",
                template.get("goal", ""),
                template.get("expected_results", ""),
                template["modules"],
            )

    # --- events, internships, products, communities, agreements ---
    b.generated_events(muni, t.events, date(2020, 9, 1), date(b.school_year + 1, 5, 31))
    muni.index_events()
    InternshipMaker(b).make(muni, t.internships, t.journal)
    for platform in muni.platforms:
        b.platform_products(muni, platform, rng.randint(1, 5))
    _community(b, muni, spec)
    if service is None and muni.service is not None:
        _agreement(b, muni, spec)
    return muni


def _org_names(
    b: Builder,
    kind: str,
    numbers: dict[str, int],
    spec: MunicipalitySpec,
    official: str,
) -> tuple[str, str]:
    rng = b.rng
    tail = f"муниципального образования {official}"
    if kind == "school":
        numbers["school"] += 1
        k = numbers["school"]
        form = rng.choices(("СОШ", "гимназия", "лицей", "ООШ"), (76, 8, 6, 10))[0]
        own, own_full = ("МАОУ", "автономное") if rng.random() < 0.1 else ("МБОУ", "бюджетное")
        kind_full = {
            "СОШ": "средняя общеобразовательная школа",
            "ООШ": "основная общеобразовательная школа",
            "гимназия": "гимназия",
            "лицей": "лицей",
        }[form]
        return (
            f"{own} {form} № {k}",
            f"Муниципальное {own_full} общеобразовательное учреждение {kind_full} № {k} {tail}",
        )
    if kind == "kindergarten":
        numbers["kindergarten"] += 1
        k = numbers["kindergarten"]
        own, own_full = ("МАДОУ", "автономное") if rng.random() < 0.12 else ("МБДОУ", "бюджетное")
        if rng.random() < 0.06:
            return (
                f"{own} ЦРР – д/с № {k}",
                f"Муниципальное {own_full} дошкольное образовательное учреждение "
                f"центр развития ребёнка – детский сад № {k} {tail}",
            )
        return (
            f"{own} д/с № {k}",
            f"Муниципальное {own_full} дошкольное образовательное учреждение детский сад № {k} {tail}",
        )
    if kind == "additional":
        k = numbers["additional"]
        numbers["additional"] += 1
        short, full = _ADDITIONAL[k % len(_ADDITIONAL)]
        if k >= len(_ADDITIONAL):
            short, full = (
                f"{short} № {k // len(_ADDITIONAL) + 1}",
                f"{full} № {k // len(_ADDITIONAL) + 1}",
            )
        return (
            f"МБУ ДО {short}",
            f"Муниципальное бюджетное учреждение дополнительного образования {full} {tail}",
        )
    if kind == "methodical_service":
        short, full = rng.choice(_SERVICES)
        return f"{short} {genitive(spec.name)}", f"{full} {tail}"
    return (
        "ГБПОУ «Многопрофильный колледж»",
        f"Государственное бюджетное профессиональное образовательное учреждение "
        f"«Многопрофильный колледж», {spec.centre}",
    )


def _community(b: Builder, muni: MuniCtx, spec: MunicipalitySpec) -> None:
    rng = b.rng
    where = spec.name if spec.region == KUBAN else f"{spec.name}, {spec.region}"
    name, focus = rng.choice(texts.COMMUNITY_TEMPLATES)
    people = muni.persons
    if "сад" in name:
        pool = [p for p in people if p.org_kind == "kindergarten"]
    elif "Молодой" in name:
        pool = [p for p in people if (b.today - p.since).days < 3 * 365]
    elif "Наставник" in name:
        pool = [p for pl in muni.platforms for _t, p in pl.masters]
    else:
        pool = [p for p in people if p.org_kind == "school"]
    pool = pool or people
    founded = date(rng.randint(2020, 2023), rng.choice((9, 10, 11, 2, 3)), rng.randint(1, 28))
    if founded >= b.today:
        founded = b.today - timedelta(days=60)
    moderators = rng.sample(muni.methodists, min(1, len(muni.methodists)))
    b.community(muni, f"{name} ({where})", focus, rng.randint(1, 4), founded, pool, moderators)


def _agreement(b: Builder, muni: MuniCtx, spec: MunicipalitySpec) -> None:
    """The regional resource centre signs with about half of the region's methodical services."""
    rng = b.rng
    if muni.service is None or rng.random() >= (0.6 if spec.region == KUBAN else 0.1):
        return
    signed = date(rng.choice((2022, 2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
    if signed >= b.today:
        signed = b.today - timedelta(days=90)
    b.agreement(
        muni.service,
        f"№ {muni.id}/КРЦ-{signed.year}",
        signed,
        date(signed.year + 3, 12, 31),
        "Сетевое взаимодействие в рамках краевого ресурсного центра по сопровождению "
        "профессионального роста педагогов на стажировочных площадках",
        "Направление педагогов на стажировку; участие в мероприятиях сети; обмен опытом",
        "Зональные семинары; педагогические мастерские; итоговая конференция",
    )
