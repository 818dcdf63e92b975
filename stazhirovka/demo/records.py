"""Products, communities, network agreements and certificates (a part of :class:`.Builder`)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ..models import (
    Certificate,
    CertificateSequence,
    Community,
    CommunityMeeting,
    CommunityMember,
    NetworkAgreement,
    Product,
    product_author,
)
from ..text import search_key
from . import texts
from .context import MuniCtx, OrgCtx, PlatformCtx
from .people import FEMALE, PersonInfo, translit
from .writer import BulkWriter

CERTIFICATE = Certificate.__table__
SEQUENCE = CertificateSequence.__table__
AGREEMENT = NetworkAgreement.__table__
PRODUCT = Product.__table__
COMMUNITY = Community.__table__
MEMBER = CommunityMember.__table__
MEETING = CommunityMeeting.__table__
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class RecordsMixin:
    w: BulkWriter
    rng: random.Random
    today: date
    sequences: dict[tuple[str, int], int]
    _dative: Any

    # --- products, communities, agreements -------------------------------------------

    def product(
        self,
        title: str,
        kind: str,
        year: int,
        platform: PlatformCtx | None,
        published_in: str,
        authors: Sequence[PersonInfo],
    ) -> None:
        prod_id = self.w.new_id(PRODUCT)
        slug = "_".join(w for w in (translit(part) for part in title.split()[:5]) if w) or "product"
        self.w.add(
            PRODUCT,
            {
                "id": prod_id,
                "title": title,
                "kind": kind,
                "year": year,
                "platform_id": platform.id if platform else None,
                "published_in": published_in,
                "file_name": f"{slug}.pdf" if self.rng.random() < 0.4 else "",
                "file_data": None,
                "search_key": search_key(title),
            },
            date(year, 6, 1),
        )
        for person_id in dict.fromkeys(p.id for p in authors):
            self.w.add(product_author, {"product_id": prod_id, "person_id": person_id})

    def platform_products(self, muni: MuniCtx, platform: PlatformCtx, count: int) -> None:
        rng = self.rng
        kinds = list(texts.PRODUCT_KIND_WEIGHTS)
        weights = list(texts.PRODUCT_KIND_WEIGHTS.values())
        last_year = min(self.today.year, (platform.active_to or self.today).year)
        for _ in range(count):
            kind = rng.choices(kinds, weights)[0]
            topic = rng.choice(texts.COMPETENCY_TOPICS[rng.choice(platform.comps)])
            year = rng.randint(min(platform.active_from.year + 1, last_year), last_year)
            authors = [p for _tm, p in platform.masters]
            authors = rng.sample(authors, min(len(authors), rng.randint(1, 3))) or (
                [platform.head] if platform.head else []
            )
            published = (
                rng.choice(texts.JOURNALS)
                if kind == "статья"
                else f"{platform.org.short_name}, {muni.centre}"
            )
            self.product(
                texts.PRODUCT_TITLES[kind].format(t=topic),
                kind,
                year,
                platform,
                published,
                authors,
            )

    def community(
        self,
        muni: MuniCtx,
        name: str,
        focus: str,
        stage: int,
        founded_on: date,
        pool: Sequence[PersonInfo],
        moderators: Sequence[PersonInfo],
    ) -> None:
        rng = self.rng
        comm_id = self.w.new_id(COMMUNITY)
        self.w.add(
            COMMUNITY,
            {
                "id": comm_id,
                "name": name,
                "focus": focus,
                "stage": stage,
                "founded_on": founded_on,
                "search_key": search_key(name),
            },
            founded_on,
        )
        members: dict[int, bool] = {p.id: True for p in moderators}
        for person in rng.sample(list(pool), min(len(pool), rng.randint(12, 40))):
            members.setdefault(person.id, False)
        for person_id, moderator in members.items():
            self.w.add(
                MEMBER,
                {
                    "id": self.w.new_id(MEMBER),
                    "community_id": comm_id,
                    "person_id": person_id,
                    "is_moderator": moderator,
                },
            )
        span = (self.today - founded_on).days
        meetings = sorted(
            founded_on + timedelta(days=rng.randrange(max(span, 1)))
            for _ in range(min(4 + span // 120, 14))
        )
        for i, day in enumerate(meetings):
            # The community moves through its stages; the last meetings are of its current one.
            meeting_stage = max(1, min(stage, 1 + i * stage // max(len(meetings), 1)))
            self.w.add(
                MEETING,
                {
                    "id": self.w.new_id(MEETING),
                    "community_id": comm_id,
                    "held_on": day,
                    "topic": rng.choice(texts.MEETING_TOPICS[meeting_stage]),
                    "notes": f"Присутствовали {rng.randint(8, 25)} участников сообщества.",
                },
                day,
            )

    def agreement(
        self,
        org: OrgCtx,
        number: str,
        signed_on: date,
        valid_until: date | None,
        subject: str,
        functions: str,
        joint_events: str,
    ) -> None:
        self.w.add(
            AGREEMENT,
            {
                "id": self.w.new_id(AGREEMENT),
                "organization_id": org.id,
                "number": number,
                "signed_on": signed_on,
                "valid_until": valid_until,
                "subject": subject,
                "functions": functions,
                "joint_events": joint_events,
                "search_key": search_key(number, subject),
            },
            signed_on,
        )

    # --- certificates ------------------------------------------------------------------

    def verification_code(self) -> str:
        rng = self.rng
        return "".join(rng.choice(CODE_ALPHABET) for _ in range(16))

    def dative(self, person: PersonInfo) -> str:
        """«Ивановой Марии Петровне» by pytrovich (the printed form on a certificate)."""
        if self._dative is None:
            from pytrovich.enums import Case, Gender, NamePart
            from pytrovich.maker import PetrovichDeclinationMaker

            maker = PetrovichDeclinationMaker()
            self._dative = (maker, Case.DATIVE, Gender, NamePart)
        maker, case, gender_enum, part = self._dative
        gender = gender_enum.FEMALE if person.sex == FEMALE else gender_enum.MALE
        words = [maker.make(part.LASTNAME, gender, case, person.surname)]
        words.append(maker.make(part.FIRSTNAME, gender, case, person.name))
        if person.patronymic:
            words.append(maker.make(part.MIDDLENAME, gender, case, person.patronymic))
        return " ".join(words)

    def certificates(self, muni: MuniCtx, items: list[dict[str, Any]], cancel: bool) -> None:
        """Number and write one municipality's certificates in the order they were issued.

        Each item: issued_on, kind, prefix, person, internship_id, event_id, hours, basis_title.
        With ``cancel``, one internship certificate is cancelled and issued again under a new
        number (the cancelled one stays in the register).
        """
        rng = self.rng
        if not items:
            return
        head = muni.service.head if muni.service else None
        signatory = (
            f"Директор {muni.service.short_name} {head.initials_name}"
            if muni.service and head
            else ""
        )
        replaced: dict[str, Any] | None = None
        if cancel:
            candidates = [
                it
                for it in items
                if it["kind"] == "internship" and it["issued_on"] + timedelta(days=40) < self.today
            ]
            if candidates:
                replaced = rng.choice(candidates)
                again = dict(replaced)
                again["issued_on"] = replaced["issued_on"] + timedelta(days=rng.randint(10, 30))
                again["replaces"] = replaced
                items = [*items, again]
        items.sort(key=lambda it: (it["issued_on"], it["order"]))
        for it in items:
            year = it["issued_on"].year
            key = (it["prefix"], year)
            seq = self.sequences.get(key, 0) + 1
            self.sequences[key] = seq
            it["seq"] = seq
            it["number"] = f"{it['prefix']}-{year}-{seq:04d}"
        for it in items:
            person: PersonInfo = it["person"]
            status, cancelled_on, reason = "issued", None, ""
            if it is replaced:
                status = "cancelled"
                again = next(x for x in items if x.get("replaces") is it)
                cancelled_on = again["issued_on"]
                reason = f"Ошибка в написании отчества; взамен выдан сертификат № {again['number']}"
            holder = person.full_name
            self.w.add(
                CERTIFICATE,
                {
                    "id": self.w.new_id(CERTIFICATE),
                    "kind": it["kind"],
                    "person_id": person.id,
                    "internship_id": it.get("internship_id"),
                    "event_id": it.get("event_id"),
                    "prefix": it["prefix"],
                    "year": it["issued_on"].year,
                    "seq": it["seq"],
                    "duplicate_no": 0,
                    "number": it["number"],
                    "issued_on": it["issued_on"],
                    "hours": it["hours"],
                    "holder_name": holder,
                    "holder_name_dative": self.dative(person),
                    "basis_title": it["basis_title"],
                    "signatory": signatory,
                    "verification_code": self.verification_code(),
                    "status": status,
                    "cancelled_on": cancelled_on,
                    "cancel_reason": reason,
                    "search_key": search_key(it["number"], holder),
                },
                it["issued_on"],
            )

    def event_certificates(self, muni: MuniCtx, participation: int, speaker: int) -> list[dict]:
        """A few certificates of participation («УМ») and of a speaker («ВС») for held events."""
        rng = self.rng
        held = [e for e in muni.events if e.held and e.listeners and e.starts_on < self.today]
        items: list[dict[str, Any]] = []
        for prefix, kind, count in (
            ("УМ", "participation", participation),
            ("ВС", "speaker", speaker),
        ):
            for ev in rng.sample(held, min(len(held), count)):
                people = ev.listeners if kind == "participation" else ev.speakers
                if not people:
                    continue
                end = ev.ends_on or ev.starts_on
                issued = min(end + timedelta(days=rng.randint(1, 7)), self.today)
                items.append(
                    {
                        "issued_on": issued,
                        "order": ev.id,
                        "kind": kind,
                        "prefix": prefix,
                        "person": rng.choice(people),
                        "internship_id": None,
                        "event_id": ev.id,
                        "hours": ev.hours,
                        "basis_title": ev.title,
                    }
                )
        return items

    def finish(self) -> None:
        for (prefix, year), last in sorted(self.sequences.items()):
            self.w.add(SEQUENCE, {"prefix": prefix, "year": year, "last_value": last})
        self.w.close()
