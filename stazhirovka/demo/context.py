"""In-memory handles of generated records, kept for one municipality at a time."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from .people import PersonInfo


@dataclass(frozen=True)
class Refs:
    """Ids of the seeded reference lists and the default diagnostic instrument."""

    competency: dict[str, int]  # code → id
    competency_name: dict[str, str]  # code → name
    positions: dict[str, int]
    categories: dict[str, int]
    forms: dict[str, int]
    levels: dict[str, int]
    instrument_id: int
    scale_min: int
    scale_max: int
    deficit_max: int
    # (id, competency code, labour-function code, text), in the instrument's order
    indicators: list[tuple[int, str, str, str]]


@dataclass
class OrgCtx:
    id: int
    kind: str
    short_name: str
    full_name: str
    persons: list[PersonInfo] = field(default_factory=list)

    def with_role(self, role: str) -> list[PersonInfo]:
        return [p for p in self.persons if p.role == role]

    @property
    def head(self) -> PersonInfo | None:
        heads = self.with_role("head")
        return heads[0] if heads else None


@dataclass
class ModuleCtx:
    id: int
    position: int
    title: str
    hours: int
    form: str
    expected_result: str
    assessment: str


@dataclass
class PlatformCtx:
    id: int
    org: OrgCtx
    kind: str
    comps: list[str]
    head: PersonInfo | None
    active_from: date
    active_to: date | None
    masters: list[tuple[int, PersonInfo]] = field(default_factory=list)
    programs: list[ProgramCtx] = field(default_factory=list)

    def active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


@dataclass
class ProgramCtx:
    id: int
    title: str
    platform: PlatformCtx
    comps: list[str]
    modules: list[ModuleCtx]
    months: int
    approved_on: date
    preschool: bool

    @property
    def hours(self) -> int:
        return sum(m.hours for m in self.modules)


@dataclass
class EventCtx:
    id: int
    starts_on: date
    ends_on: date | None
    title: str
    hours: float
    held: bool
    platform_id: int | None
    form: str
    level: str
    speakers: list[PersonInfo] = field(default_factory=list)
    listeners: list[PersonInfo] = field(default_factory=list)


@dataclass
class MuniCtx:
    """One municipality while it is being generated."""

    id: int
    name: str
    region: str
    centre: str
    phone_code: str
    email_domain: str
    orgs: list[OrgCtx] = field(default_factory=list)
    service: OrgCtx | None = None
    platforms: list[PlatformCtx] = field(default_factory=list)
    events: list[EventCtx] = field(default_factory=list)
    # People from elsewhere who come to this municipality's zonal and regional events.
    guests: list[PersonInfo] = field(default_factory=list)
    _event_days: list[date] = field(default_factory=list)
    _persons: list[PersonInfo] | None = None

    def add_org(self, org: OrgCtx) -> None:
        self.orgs.append(org)
        self._persons = None

    @property
    def persons(self) -> list[PersonInfo]:
        """Everyone working in the municipality's organizations (computed once)."""
        if self._persons is None:
            self._persons = [p for org in self.orgs for p in org.persons]
        return self._persons

    @property
    def programs(self) -> list[ProgramCtx]:
        return [prog for pl in self.platforms for prog in pl.programs]

    @property
    def methodists(self) -> list[PersonInfo]:
        if self.service is None:
            return []
        return [p for p in self.service.persons if p.role != "head"] or self.service.persons

    def index_events(self) -> None:
        self.events.sort(key=lambda e: (e.starts_on, e.id))
        self._event_days = [e.starts_on for e in self.events]

    def events_between(self, start: date, end: date) -> list[EventCtx]:
        lo = bisect_left(self._event_days, start)
        hi = bisect_left(self._event_days, end)
        return self.events[lo:hi]
