"""The home page's data: each attention group finds exactly its records, most urgent first,
counts them like the registry filters it names, and the year chart counts by month."""

from __future__ import annotations

from datetime import date

import pytest

from stazhirovka.models import InternshipStatus
from stazhirovka.services.dashboard import AttentionGroup, YearChart, attention, year_chart
from stazhirovka.services.diagnostics import AssessmentService
from stazhirovka.services.internships import InternshipService, RouteService, RouteStepService
from stazhirovka.services.organizations import AgreementService
from stazhirovka.services.registry import RegistryQuery, count, fetch_ids

from . import factories as f

S = InternshipStatus
ON = date(2026, 11, 22)


class World:
    """One program with a mentor; internships of named interns in any status."""

    def __init__(self, session):
        self.s = session
        self.program = f.program(session)
        self.other_program = f.program(
            session, self.program.platform, title="Развитие ИКТ-компетенций педагогов"
        )
        self.mentor = f.master(session, self.program.platform)

    def internship(
        self,
        surname: str,
        status: S = S.ACTIVE,
        start: date = date(2025, 9, 1),
        planned_end: date | None = date(2026, 5, 31),
        actual_end: date | None = None,
        intern=None,
        program=None,
    ):
        intern = intern or f.person(self.s, surname, "Анна", "Петровна")
        it = f.internship(
            self.s,
            program or self.program,
            intern=intern,
            mentor=self.mentor,
            start_date=start,
            planned_end=planned_end,
        )
        service = InternshipService()
        if status == S.ACTIVE:
            service.move(self.s, it.id, S.ACTIVE)
        elif status == S.COMPLETED:
            service.move(self.s, it.id, S.ACTIVE)
            service.move(self.s, it.id, S.COMPLETED, on=actual_end)
        elif status == S.WITHDRAWN:
            service.move(self.s, it.id, S.WITHDRAWN, on=actual_end or start, reason="переезд")
        return it

    def steps(self, internship, *steps: tuple[date | None, str]) -> None:
        """Route steps as (planned end, status); done ones are done on their planned end."""
        route = RouteService().create(self.s, {"internship_id": internship.id})
        service = RouteStepService()
        for i, (end, status) in enumerate(steps, 1):
            step = service.create(
                self.s,
                {
                    "route_id": route.id,
                    "kind": "self_study",
                    "title": f"Шаг {i}",
                    "planned_end": end,
                },
            )
            if status == "done":
                service.mark_done(self.s, step.id, end)
            elif status == "dropped":
                service.update(self.s, step.id, {"status": "dropped"})

    def assess(self, internship=None, stage: str = "entry", person=None) -> None:
        data = {
            "instrument_id": f.default_instrument(self.s).id,
            "assessed_on": date(2025, 9, 2),
            "stage": stage,
        }
        if internship is not None:
            data["internship_id"] = internship.id
        if person is not None:
            data["person_id"] = person.id
        AssessmentService().create(self.s, data)


def group(session, key: str, on: date = ON, limit: int = 8) -> AttentionGroup:
    groups = {g.key: g for g in attention(session, on, limit)}
    return groups[key]


def assert_lists(session, g: AttentionGroup, expected: list[int]) -> None:
    """The items are the expected ids in order; the count and the registry filters agree."""
    assert [i.record_id for i in g.items] == expected
    assert {i.registry for i in g.items} <= {g.registry}
    assert g.count == len(expected)
    assert count(session, g.registry, RegistryQuery(filters=g.filters)) == g.count
    assert set(fetch_ids(session, g.registry, RegistryQuery(filters=g.filters))) == set(expected)


def test_groups_have_their_titles_in_order(session):
    groups = attention(session, ON)
    assert [(g.key, g.title, g.registry) for g in groups] == [
        ("overdue_steps", "Просроченные шаги маршрутов", "internships"),
        ("ending", "Стажировки, которые заканчиваются в этом месяце", "internships"),
        ("agreements", "Соглашения, срок которых истекает", "agreements"),
        ("no_entry_diagnostics", "Стажёры без входной диагностики", "internships"),
        ("no_exit_diagnostics", "Стажёры без итоговой диагностики", "internships"),
    ]
    assert all(g.count == 0 and g.items == [] for g in groups)
    for g in groups:
        assert count(session, g.registry, RegistryQuery(filters=g.filters)) == 0


def test_overdue_steps(session):
    w = World(session)
    two = w.internship("Абрамова")
    w.steps(two, (date(2026, 10, 1), "planned"), (date(2026, 11, 10), "planned"))
    oldest = w.internship("Борисова")
    w.steps(oldest, (date(2026, 9, 15), "planned"), (date(2026, 12, 15), "planned"))
    three = w.internship("Васильева")
    w.steps(
        three,
        (date(2026, 10, 1), "planned"),
        (date(2026, 10, 2), "planned"),
        (date(2026, 10, 3), "planned"),
    )
    # Not overdue: done, dropped, due today or later, no date.
    fine = w.internship("Григорьева")
    w.steps(
        fine,
        (date(2026, 9, 1), "done"),
        (date(2026, 8, 1), "dropped"),
        (ON, "planned"),
        (date(2026, 12, 1), "planned"),
        (None, "planned"),
    )
    # Overdue steps, but the internship is not active.
    for surname, status, end in (
        ("Давыдова", S.COMPLETED, date(2026, 6, 1)),
        ("Егорова", S.WITHDRAWN, date(2026, 6, 1)),
        ("Жукова", S.PLANNED, None),
    ):
        w.steps(w.internship(surname, status, actual_end=end), (date(2026, 3, 1), "planned"))

    g = group(session, "overdue_steps")
    assert_lists(session, g, [oldest.id, three.id, two.id])  # oldest step first, then most steps
    assert g.items[0].title == "Борисова А.П. — Формирование методических компетенций…"
    assert g.items[0].detail == "просрочено шагов: 1, с 15.09.2026"
    assert g.items[1].detail == "просрочено шагов: 3, с 01.10.2026"
    # On 20.09 the step due on 15.09 is overdue, the ones due on 01.10 are not yet.
    g = group(session, "overdue_steps", on=date(2026, 9, 20))
    assert_lists(session, g, [oldest.id])
    # Saved filters come back as text: the date filter reads ISO dates too.
    saved = {"status": "active", "overdue_on": "2026-11-22"}
    assert count(session, "internships", RegistryQuery(filters=saved)) == 3


def test_items_are_limited_but_the_count_is_not(session):
    w = World(session)
    for i, surname in enumerate(("Абрамова", "Борисова", "Васильева", "Григорьева")):
        w.steps(w.internship(surname), (date(2026, 10, 1 + i), "planned"))
    g = group(session, "overdue_steps", limit=2)
    assert g.count == 4 and len(g.items) == 2
    assert [i.title.split()[0] for i in g.items] == ["Абрамова", "Борисова"]
    assert group(session, "overdue_steps", limit=0).items == []


def test_ending_this_month(session):
    w = World(session)
    e1 = w.internship("Абрамова", planned_end=date(2026, 11, 28))
    e2 = w.internship("Борисова", planned_end=date(2026, 11, 1))
    late = w.internship("Васильева", planned_end=date(2026, 10, 15))  # past, still active
    last_day = w.internship("Григорьева", planned_end=date(2026, 11, 30))
    w.internship("Давыдова", planned_end=date(2026, 12, 1))
    w.internship("Егорова", planned_end=None)
    w.internship(
        "Жукова", S.COMPLETED, planned_end=date(2026, 11, 20), actual_end=date(2026, 11, 20)
    )
    w.internship("Зуева", S.WITHDRAWN, planned_end=date(2026, 11, 25), actual_end=date(2026, 3, 1))
    w.internship("Ильина", S.PLANNED, start=date(2026, 11, 1), planned_end=date(2026, 11, 30))

    g = group(session, "ending")
    assert_lists(session, g, [late.id, e2.id, e1.id, last_day.id])
    assert g.items[0].detail == "срок окончания прошёл: 15.10.2026"
    assert g.items[2].detail == "окончание 28.11.2026"
    assert g.filters == {"status": "active", "ending_before": date(2026, 11, 30)}
    # In December the November endings are overdue, and the December one joins them.
    assert group(session, "ending", on=date(2026, 12, 1)).count == 5


def test_agreements_to_renew(session):
    service = AgreementService()

    def agreement(partner: str, until: date | None, number: str = "1", org=None):
        org = org or f.org(session, partner, kind="university")
        a = service.create(
            session,
            {
                "organization_id": org.id,
                "number": number,
                "signed_on": date(2023, 9, 1),
                "valid_until": until,
            },
        )
        return org, a

    _, soon = agreement("КубГУ", date(2026, 12, 1), "15")
    _, lapsed = agreement("ИРО", date(2026, 11, 1), "№ 7")
    agreement("Брюховецкий ТМС", date(2026, 10, 1))  # lapsed more than a month ago
    agreement("Ейский ТМС", date(2027, 3, 1))  # far ahead
    agreement("Персонал-Ресурс", None)  # no end
    _, first_day = agreement("Анапа ТМС", date(2026, 10, 23))
    _, last_day = agreement("Горячий Ключ ТМС", date(2027, 1, 21))
    # Renewed: a longer agreement with the same partner makes the old one need nothing.
    renewed, _ = agreement("Каневской ТМС", date(2026, 12, 10), "3")
    agreement("", date(2029, 12, 31), "3-2026", org=renewed)
    indefinite, _ = agreement("Ленинградский ТМС", date(2026, 12, 10), "4")
    agreement("", None, "4-2026", org=indefinite)
    # A shorter second agreement does not renew the longer one (but is itself covered).
    shorter, longer = agreement("Славянский филиал", date(2026, 12, 15), "9")
    agreement("", date(2026, 11, 30), "9-доп", org=shorter)

    g = group(session, "agreements")
    assert_lists(session, g, [first_day.id, lapsed.id, soon.id, longer.id, last_day.id])
    assert g.items[1].title == "ИРО, соглашение № 7"
    assert g.items[1].detail == "истекло 01.11.2026"
    assert g.items[2].detail == "истекает 01.12.2026"


def test_interns_without_entry_diagnostics(session):
    w = World(session)
    next_year = date(2027, 5, 31)
    none = w.internship("Абрамова", start=date(2026, 9, 1), planned_end=next_year)
    done = w.internship("Борисова")
    w.assess(done, "entry")
    exit_only = w.internship("Васильева", start=date(2026, 2, 1))
    w.assess(exit_only, "interim")
    w.assess(exit_only, "exit")
    # Entry diagnostics of an earlier internship do not count for the new one.
    earlier = w.internship("Гусева", S.COMPLETED, actual_end=date(2026, 5, 30))
    w.assess(earlier, "entry")
    again = w.internship(
        "",
        start=date(2026, 10, 1),
        planned_end=next_year,
        intern=earlier.person,
        program=w.other_program,
    )
    # Nor does an assessment of the person linked to no internship (the cards would not show it).
    unlinked = w.internship("Дёмина", start=date(2026, 3, 1))
    w.assess(stage="entry", person=unlinked.person)
    w.internship("Егорова", S.PLANNED, start=date(2026, 12, 1), planned_end=date(2027, 5, 31))
    w.internship("Жукова", S.COMPLETED, actual_end=date(2026, 5, 30))
    w.internship("Зуева", S.WITHDRAWN, actual_end=date(2025, 10, 1))

    g = group(session, "no_entry_diagnostics")
    assert_lists(session, g, [exit_only.id, unlinked.id, none.id, again.id])  # by start
    assert g.items[0].detail == "начало 01.02.2026"
    assert g.items[3].title.startswith("Гусева А.П. — Развитие ИКТ-компетенций")


def test_interns_without_exit_diagnostics(session):
    w = World(session)
    soon = w.internship("Абрамова", planned_end=date(2026, 12, 10))
    w.internship("Борисова", planned_end=date(2027, 2, 1))  # not yet
    past = w.internship("Васильева", planned_end=date(2026, 10, 1))
    completed = w.internship("Григорьева", S.COMPLETED, actual_end=date(2026, 6, 30))
    assessed = w.internship("Давыдова", S.COMPLETED, actual_end=date(2026, 6, 30))
    w.assess(assessed, "exit")
    w.internship(  # completed more than a year ago: the archive
        "Егорова",
        S.COMPLETED,
        start=date(2024, 9, 1),
        planned_end=date(2025, 5, 31),
        actual_end=date(2025, 6, 30),
    )
    w.internship("Жукова", S.WITHDRAWN, planned_end=date(2026, 11, 30), actual_end=date(2026, 3, 1))
    ready = w.internship("Зуева", planned_end=date(2026, 12, 1))
    w.assess(ready, "exit")
    entry_only = w.internship("Ильина", planned_end=date(2026, 12, 22))  # 30 days ahead
    w.assess(entry_only, "entry")

    g = group(session, "no_exit_diagnostics")
    assert_lists(session, g, [completed.id, past.id, soon.id, entry_only.id])
    assert g.items[0].detail == "завершена 30.06.2026"
    assert g.items[2].detail == "окончание 10.12.2026"


def test_completed_and_withdrawn_need_no_entry_or_route_attention(session):
    """A sanity net over all groups: closed internships appear only in the exit group."""
    w = World(session)
    done = w.internship("Абрамова", S.COMPLETED, planned_end=date(2026, 11, 25), actual_end=ON)
    w.steps(done, (date(2026, 1, 1), "planned"))
    gone = w.internship("Борисова", S.WITHDRAWN, planned_end=date(2026, 11, 25), actual_end=ON)
    w.steps(gone, (date(2026, 1, 1), "planned"))
    found = {g.key: [i.record_id for i in g.items] for g in attention(session, ON)}
    assert found == {
        "overdue_steps": [],
        "ending": [],
        "agreements": [],
        "no_entry_diagnostics": [],
        "no_exit_diagnostics": [done.id],
    }


def test_year_chart_counts_by_month(session):
    w = World(session)
    w.internship("Абрамова", start=date(2026, 1, 15), planned_end=date(2026, 12, 31))
    w.internship("Борисова", S.WITHDRAWN, start=date(2026, 1, 20), actual_end=date(2026, 6, 1))
    w.internship(
        "Васильева",
        S.COMPLETED,
        start=date(2026, 3, 1),
        planned_end=date(2026, 11, 30),
        actual_end=date(2026, 11, 10),
    )
    w.internship("Григорьева", S.PLANNED, start=date(2026, 9, 1), planned_end=date(2027, 5, 31))
    w.internship("Давыдова", S.COMPLETED, actual_end=date(2026, 5, 30))  # started 2025
    w.internship("Егорова", start=date(2025, 12, 31), planned_end=date(2026, 12, 31))
    w.internship("Жукова", start=date(2026, 12, 31), planned_end=date(2027, 6, 30))

    chart = year_chart(session, 2026)
    assert chart.year == 2026
    assert chart.enrolled == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert chart.completed == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0]
    previous = year_chart(session, 2025)
    assert sum(previous.enrolled) == 2 and sum(previous.completed) == 0
    assert year_chart(session, 2030) == YearChart(2030, [0] * 12, [0] * 12)


@pytest.mark.parametrize("key", ["overdue_steps", "no_entry_diagnostics"])
def test_wrong_filters_would_be_caught(session, key):
    """The registry check is not a tautology: dropping a filter makes it count more."""
    w = World(session)
    w.steps(w.internship("Абрамова", S.COMPLETED, actual_end=ON), (date(2026, 1, 1), "planned"))
    g = group(session, key)
    loose = {k: v for k, v in g.filters.items() if k != "status"}
    assert count(session, g.registry, RegistryQuery(filters=g.filters)) == g.count == 0
    assert count(session, g.registry, RegistryQuery(filters=loose)) == 1
