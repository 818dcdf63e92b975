"""Events of the plan-schedules and who took part in them (a part of :class:`.Builder`)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..models import Event, Participation
from ..text import search_key
from . import texts
from .context import EventCtx, MuniCtx, OrgCtx, PlatformCtx, Refs
from .people import PersonInfo
from .writer import BulkWriter

EVENT = Event.__table__
PARTICIPATION = Participation.__table__


class EventsMixin:
    w: BulkWriter
    rng: random.Random
    today: date
    refs: Refs

    # --- events ------------------------------------------------------------------------

    def event(
        self,
        muni: MuniCtx,
        title: str,
        form: str,
        level: str,
        starts_on: date,
        ends_on: date | None,
        platform: PlatformCtx | None,
        venue: OrgCtx | None,
        online: bool,
        audience: str,
        hours: float,
        responsible: PersonInfo | None,
        plan_year: int | None,
        held: bool,
    ) -> EventCtx:
        rng = self.rng
        ev = EventCtx(
            self.w.new_id(EVENT),
            starts_on,
            ends_on,
            title,
            hours,
            held,
            platform.id if platform else None,
            form,
            level,
        )
        people = self._participants(muni, ev, platform, responsible)
        result = ""
        if held:
            present = sum(1 for _p, _role, attended in people if attended)
            result = f"Проведено. Приняли участие {present} чел."
        elif starts_on < self.today:
            result = rng.choice(("Перенесено", "Не проведено: перенесено на следующий год"))
        self.w.add(
            EVENT,
            {
                "id": ev.id,
                "title": title,
                "form_id": self.refs.forms[form],
                "level_id": self.refs.levels[level],
                "starts_on": starts_on,
                "ends_on": ends_on,
                "platform_id": ev.platform_id,
                "venue_id": venue.id if venue else None,
                "online": online,
                "audience": audience,
                "hours": hours,
                "responsible_id": responsible.id if responsible else None,
                "plan_year": plan_year,
                "held": held,
                "result": result,
                "search_key": search_key(title),
            },
            min(starts_on, date(plan_year - 1, 12, 20)) if plan_year else starts_on,
        )
        for person, role, attended in people:
            self.w.add(
                PARTICIPATION,
                {
                    "id": self.w.new_id(PARTICIPATION),
                    "event_id": ev.id,
                    "person_id": person.id,
                    "role": role,
                    "attended": attended,
                },
                starts_on,
            )
        muni.events.append(ev)
        return ev

    _LISTENERS = {
        "школьный": (6, 18),
        "муниципальный": (12, 36),
        "зональный": (20, 50),
        "краевой": (20, 60),
        "всероссийский": (3, 12),
    }

    def _participants(
        self,
        muni: MuniCtx,
        ev: EventCtx,
        platform: PlatformCtx | None,
        responsible: PersonInfo | None,
    ) -> list[tuple[PersonInfo, str, bool]]:
        rng = self.rng
        out: list[tuple[PersonInfo, str, bool]] = []
        seen: set[int] = set()

        def add(person: PersonInfo, role: str, attended: bool) -> None:
            if person.id not in seen:
                seen.add(person.id)
                out.append((person, role, attended))

        future = ev.starts_on >= self.today
        if responsible is not None:
            add(responsible, "organizer", ev.held)
        if future or not ev.held:
            return out
        if platform is not None:
            hosts = [platform.head] if platform.head else []
            hosts += [p for _tm, p in platform.masters]
            for person in hosts:
                if person.id not in seen:
                    add(person, "host", True)
                    break
        speakers_pool = [p for _tm, p in platform.masters] if platform else []
        speakers_pool = speakers_pool or muni.methodists
        for person in rng.sample(speakers_pool, min(len(speakers_pool), rng.randint(1, 3))):
            add(person, "speaker", True)
            ev.speakers.append(person)
        pool = muni.persons
        lo, hi = self._LISTENERS[ev.level]
        count = min(len(pool), rng.randint(lo, hi))
        if ev.level in ("зональный", "краевой") and muni.guests:
            guests = rng.sample(muni.guests, min(len(muni.guests), rng.randint(2, 8)))
            for person in guests:
                add(person, "listener", True)
        for index in rng.sample(range(len(pool)), count):
            person = pool[index]
            attended = rng.random() < 0.93
            before = len(out)
            add(person, "listener", attended)
            if attended and len(out) > before:
                ev.listeners.append(person)
        return out

    def generated_events(self, muni: MuniCtx, count: int, first: date, last: date) -> None:
        """``count`` events of the plan-schedules from ``first`` to ``last``, in date order."""
        rng = self.rng
        forms = list(texts.EVENT_FORM_WEIGHTS)
        form_w = list(texts.EVENT_FORM_WEIGHTS.values())
        levels = list(texts.EVENT_LEVEL_WEIGHTS)
        level_w = list(texts.EVENT_LEVEL_WEIGHTS.values())
        span = (last - first).days
        specs = []
        for _ in range(count):
            while True:
                day = first + timedelta(days=rng.randrange(span))
                if day.month not in (7, 8) and not (day.month == 1 and day.day < 10):
                    break
            if day.weekday() >= 5:
                day -= timedelta(days=day.weekday() - 4)
            specs.append((day, rng.choices(forms, form_w)[0], rng.choices(levels, level_w)[0]))
        specs.sort(key=lambda s: s[0])
        methodists = muni.methodists
        for day, form, level in specs:
            live = [p for p in muni.platforms if p.active_on(day)]
            platform = None
            if live and (
                form in ("занятие на площадке", "открытый урок", "мастер-класс")
                or rng.random() < 0.35
            ):
                platform = rng.choice(live)
            if form == "занятие на площадке" and platform is None:
                form = "семинар"
            if platform is not None:
                venue: OrgCtx | None = platform.org
                topics = texts.COMPETENCY_TOPICS[rng.choice(platform.comps)] + texts.EVENT_TOPICS
                topic = rng.choice(topics[:2]) if rng.random() < 0.5 else rng.choice(topics)
                responsible = (
                    platform.head
                    if platform.head and (rng.random() < 0.4 or not methodists)
                    else rng.choice(methodists)
                    if methodists
                    else None
                )
            else:
                venue = muni.service if rng.random() < 0.7 else rng.choice(muni.orgs)
                topic = rng.choice(texts.EVENT_TOPICS)
                responsible = rng.choice(methodists) if methodists else None
            online = form == "вебинар" or rng.random() < 0.08
            ends_on = None
            if form == "методическая неделя":
                ends_on = day + timedelta(days=4)
            elif form in ("конференция", "фестиваль") and rng.random() < 0.5:
                ends_on = day + timedelta(days=1)
            elif form == "выставка":
                ends_on = day + timedelta(days=rng.randint(2, 6))
            hours = {"консультация": 2, "вебинар": 2, "открытый урок": 1, "конференция": 8}.get(
                form, rng.choice((2, 3, 4, 4, 6))
            )
            plan_year = day.year if rng.random() < 0.95 else None
            held = day < self.today and rng.random() < 0.97
            self.event(
                muni,
                texts.EVENT_TITLES[form].format(t=topic),
                form,
                level,
                day,
                ends_on,
                platform,
                None if online and rng.random() < 0.5 else venue,
                online,
                rng.choice(texts.EVENT_AUDIENCES),
                float(hours),
                responsible,
                plan_year,
                held,
            )
