"""Fill an empty database with a realistic, deterministic demo (DOMAIN.md §5 sizes).

``generate(session, scale, seed, today)`` writes the district of seed 003 (Тимашевский
район), and for the larger scales the rest of Краснодарский край and further regions, with
bulk INSERTs in chunks. The caller owns the transaction; nothing here commits.

The same seed and the same ``today`` give byte-identical data: one ``random.Random(seed)``
drives every choice, ids are assigned here, and timestamps come from the records' own dates.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..errors import UserError
from ..models import Organization, Person
from .builder import Builder, load_refs
from .context import OrgCtx
from .district import build_district
from .generated import Targets, build_municipality
from .geography import (
    MUNICIPALITIES_PER_REGION,
    MunicipalitySpec,
    kuban_municipalities,
    other_region_municipalities,
)

Progress = Callable[[str, float], None]

NOT_EMPTY = "База данных не пуста: демонстрационные данные загружаются только в пустую базу."

# DOMAIN.md §5. The district's own organizations and platforms come from seed 003.
SCALES: dict[str, Targets] = {
    "district": Targets(
        persons=1_500, organizations=40, platforms=8, internships=100, journal=3_000, events=150
    ),
    "region": Targets(
        persons=60_000,
        organizations=2_000,
        platforms=300,
        internships=20_000,
        journal=600_000,
        events=5_000,
    ),
    "nation": Targets(
        persons=1_000_000,
        organizations=40_000,
        platforms=5_000,
        internships=300_000,
        journal=10_000_000,
        events=80_000,
    ),
}
NATION_REGIONS = 19  # besides Краснодарский край


@dataclass
class DemoSummary:
    """Rows written per table."""

    municipalities: int = 0
    organizations: int = 0
    persons: int = 0
    platforms: int = 0
    teacher_masters: int = 0
    programs: int = 0
    program_modules: int = 0
    events: int = 0
    participations: int = 0
    internships: int = 0
    routes: int = 0
    route_steps: int = 0
    journal_entries: int = 0
    assessments: int = 0
    scores: int = 0
    certificates: int = 0
    network_agreements: int = 0
    products: int = 0
    communities: int = 0
    community_members: int = 0
    community_meetings: int = 0

    _TABLES = {
        "municipalities": "municipality",
        "organizations": "organization",
        "persons": "person",
        "platforms": "platform",
        "teacher_masters": "teacher_master",
        "programs": "program",
        "program_modules": "program_module",
        "events": "event",
        "participations": "participation",
        "internships": "internship",
        "routes": "route",
        "route_steps": "route_step",
        "journal_entries": "journal_entry",
        "assessments": "assessment",
        "scores": "score",
        "certificates": "certificate",
        "network_agreements": "network_agreement",
        "products": "product",
        "communities": "community",
        "community_members": "community_member",
        "community_meetings": "community_meeting",
    }

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> DemoSummary:
        return cls(**{f: counts.get(table, 0) for f, table in cls._TABLES.items()})

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())


def generate(
    session: Session,
    scale: str = "district",
    seed: int = 1,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty database with the demo of ``scale`` (district, region or nation)."""
    if scale not in SCALES:
        raise UserError(
            f"Неизвестный масштаб демонстрационных данных «{scale}»: "
            "допустимы district, region, nation."
        )
    today = today or date.today()
    if today < date(2021, 1, 1):
        raise UserError("Демонстрационные данные строятся на дату не ранее 01.01.2021.")
    if session.scalar(select(exists().where(Person.id.isnot(None)))) or session.scalar(
        select(exists().where(Organization.id.isnot(None)))
    ):
        raise UserError(NOT_EMPTY)

    def report(stage: str, fraction: float) -> None:
        if progress is not None:
            progress(stage, max(0.0, min(1.0, fraction)))

    rng = random.Random(seed)
    builder = Builder(session, rng, today, load_refs(session))
    target = SCALES[scale]
    district_target = SCALES["district"]

    if scale == "district":
        build_district(
            builder,
            district_target.persons,
            district_target.internships,
            district_target.journal,
            district_target.events,
            report,
        )
    else:

        def district_report(stage: str, fraction: float) -> None:
            report(stage, fraction * 0.03)

        _muni, services = build_district(
            builder,
            district_target.persons,
            district_target.internships,
            district_target.journal,
            district_target.events,
            district_report,
        )
        builder.w.flush()
        _generated(builder, scale, target, services, report)

    report("Нумерация сертификатов и запись", 0.99)
    builder.finish()
    _district_profile(session)
    report("Готово", 1.0)
    return DemoSummary.from_counts(builder.w.counts)


def _generated(
    b: Builder,
    scale: str,
    target: Targets,
    services: dict[str, OrgCtx],
    report: Callable[[str, float], None],
) -> None:
    rng = b.rng
    specs: list[MunicipalitySpec] = kuban_municipalities()
    if scale == "nation":
        for index in range(NATION_REGIONS):
            weights = [rng.uniform(6, 10)] + [
                rng.uniform(0.4, 1.6) for _ in range(MUNICIPALITIES_PER_REGION - 1)
            ]
            specs += other_region_municipalities(index, weights)
    c = b.w.counts
    remaining = Targets(
        persons=target.persons - c["person"],
        organizations=target.organizations - c["organization"],
        platforms=target.platforms - c["platform"],
        internships=target.internships - c["internship"],
        journal=target.journal - c["journal_entry"],
        events=target.events - c["event"],
    )
    total_weight = sum(s.weight for s in specs)
    for index, spec in enumerate(specs):
        share = spec.weight / total_weight
        service = services.get(spec.name) if spec.region == "Краснодарский край" else None
        report(
            f"Муниципалитет {index + 1} из {len(specs)}: {spec.name} ({spec.region})",
            0.03 + 0.96 * index / len(specs),
        )
        build_municipality(
            b,
            spec,
            Targets(
                persons=round(remaining.persons * share),
                organizations=round(remaining.organizations * share),
                platforms=max(1, round(remaining.platforms * share)),
                internships=round(remaining.internships * share),
                journal=round(remaining.journal * share),
                events=round(remaining.events * share),
            ),
            service,
        )


def _district_profile(session: Session) -> None:
    """The demo district's letterhead and signatory, as a methodologist would fill them in."""
    from ..services.district import District, Signatory, save_district
    from . import world

    service = world.SERVICE
    save_district(
        session,
        District(
            founder="Управление образования администрации муниципального образования "
            "Тимашевский район",
            service_name=service["short_name"],
            service_full_name=service["full_name"],
            municipality="муниципальное образование Тимашевский район",
            city="г. Тимашевск",
            address=service["address"],
            signatories=[
                Signatory(
                    f"{service['head_position'].capitalize()} {service['short_name']}",
                    " ".join(service["head_name"]),
                )
            ],
        ),
    )
