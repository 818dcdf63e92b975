"""Internships of a municipality with everything hanging on them: entry, interim and exit
assessments, the route built from the deficits found, the growth journal, certificates."""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from ..models import Assessment, Internship, JournalEntry, Route, RouteStep, Score, route_member
from . import names, texts
from .builder import FIRST_COHORT, Builder
from .context import MuniCtx, ProgramCtx
from .people import PersonInfo

INTERNSHIP = Internship.__table__
ROUTE = Route.__table__
STEP = RouteStep.__table__
JOURNAL = JournalEntry.__table__
ASSESSMENT = Assessment.__table__
SCORE = Score.__table__

WITHDRAW_SHARE = 0.06
PLANNED_SHARE = 0.03
YOUNG_SHARE = 0.8  # of interns, young teachers (under three years) at enrolment
_INTERN_KINDS = ("school", "kindergarten", "additional", "college")
_ENTRY_HOURS = (1.0, 2.0, 2.0, 2.0, 3.0, 4.0)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, 28))


def cohort_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass
class Plan:
    """An internship decided before anything is written (the journal size depends on all)."""

    person: PersonInfo
    program: ProgramCtx
    mentor: tuple[int, PersonInfo]
    cohort: int
    start: date
    planned_end: date
    status: str = "planned"
    actual_end: date | None = None
    reason: str = ""
    activity_end: date | None = None  # the last day with journal entries
    elapsed: float = 0.0
    enrolled_on: date | None = None


class InternshipMaker:
    def __init__(self, b: Builder):
        self.b = b
        self.rng = b.rng
        self.today = b.today
        self.refs = b.refs
        self._topics = {k: list(v) for k, v in names.JOURNAL_TOPICS.items()}
        preschool = getattr(names, "JOURNAL_TOPICS_PRESCHOOL", {})
        self._topics_pre = {k: list(preschool.get(k) or v) for k, v in names.JOURNAL_TOPICS.items()}
        self._activities = [a for a in texts.ACTIVITY_WEIGHTS if a in self._topics]
        self._activity_w = [texts.ACTIVITY_WEIGHTS[a] for a in self._activities]
        self._activity_cum = list(accumulate(self._activity_w))
        self._results = {a: texts.RESULTS.get(a, ["Выполнено"]) for a in self._activities}
        # Score draws: cumulative thresholds of levels 0..3 for target and other competencies.
        self._entry_target = (0.15, 0.60, 0.90)
        self._entry_other = (0.04, 0.22, 0.72)
        span = self.refs.scale_max - self.refs.scale_min
        self._level_value = [float(self.refs.scale_min + round(lv * span / 3)) for lv in range(4)]
        self._deficit_level = max(
            lv for lv in range(4) if self._level_value[lv] <= self.refs.deficit_max
        )
        self._step_kinds = [t[0] for t in texts.STEP_TEMPLATES]
        self._step_by_kind = {t[0]: t for t in texts.STEP_TEMPLATES}

    # --- planning ----------------------------------------------------------------------

    def make(self, muni: MuniCtx, target: int, journal_target: int) -> None:
        programs = [p for p in muni.programs if p.platform.masters and p.modules]
        if not programs or target <= 0:
            return
        rng = self.rng
        b = self.b
        cohorts = list(range(FIRST_COHORT, b.school_year + 1))
        planned = round(target * PLANNED_SHARE) if target >= 30 else min(target // 10, 2)
        planned = max(planned, 1 if target >= 10 else 0)
        regular = target - planned
        weights = [rng.uniform(0.85, 1.15) for _ in cohorts]
        total_w = sum(weights)
        per_cohort = [int(regular * w / total_w) for w in weights]
        for i in range(regular - sum(per_cohort)):
            per_cohort[i % len(per_cohort)] += 1
        pools = self._pools(muni, cohorts)
        used: set[int] = set()
        plans: list[Plan] = []
        carried = 0  # enrolments of years when no program ran yet move to the next year
        for year, count in zip(cohorts, per_cohort, strict=True):
            enrol_by = date(year, 9, 1)
            avail = [
                p for p in programs if p.approved_on <= enrol_by and p.platform.active_on(enrol_by)
            ]
            if not avail:
                carried += count
                continue
            count, carried = count + carried, 0
            group_start = {
                p.id: date(year, 9, rng.randint(10, 30)) + timedelta(days=rng.choice((0, 0, 14)))
                for p in avail
            }
            for _ in range(count):
                prog = rng.choice(avail)
                start = group_start[prog.id] + timedelta(days=rng.choice((0, 0, 0, 0, 7, 14)))
                plans.append(self._plan(prog, year, start, pools, used, muni))
        next_start = self._next_term_start()
        later = [p for p in programs if p.platform.active_on(next_start)] or programs
        for _ in range(planned + carried):
            prog = rng.choice(later)
            start = next_start + timedelta(days=rng.choice((0, 0, 7)))
            year = start.year if start.month >= 9 else start.year - 1
            plans.append(self._plan(prog, year, start, pools, used, muni))

        total = sum(p.elapsed for p in plans)
        per_unit = journal_target / total if total else 0.0
        certs: list[dict[str, Any]] = []
        for plan in plans:
            self._write(muni, plan, per_unit, certs)
        certs += b.event_certificates(muni, participation=2, speaker=1)
        cancel = muni.service is not None and (muni.name == b.district_name or rng.random() < 0.25)
        b.certificates(muni, certs, cancel=cancel)
        self._standalone_routes(muni, max(1, round(target * 0.04)), used)

    def _next_term_start(self) -> date:
        """The next start of a term after today: the 12th of January or the 15th of September."""
        today = self.today
        for candidate in (
            date(today.year, 1, 12),
            date(today.year, 9, 15),
            date(today.year + 1, 1, 12),
            date(today.year + 1, 9, 15),
        ):
            if candidate > today + timedelta(days=20):
                return candidate
        raise AssertionError("unreachable")

    def _pools(
        self, muni: MuniCtx, cohorts: list[int]
    ) -> dict[tuple[bool, int], tuple[list[PersonInfo], list[PersonInfo]]]:
        """Per (preschool?, cohort): the young teachers and all teachers who could enrol."""
        candidates = [
            p
            for org in muni.orgs
            if org.kind in _INTERN_KINDS
            for p in org.persons
            if p.role == "staff"
        ]
        pools: dict[tuple[bool, int], tuple[list[PersonInfo], list[PersonInfo]]] = {}
        for year in [*cohorts, cohorts[-1] + 1]:
            start = date(year, 9, 10)
            young_from = date(year - 3, 9, 11)
            for pre in (False, True):
                pools[(pre, year)] = ([], [])
            for p in candidates:
                if p.since > start:
                    continue
                key = (p.org_kind == "kindergarten", year)
                young, anyone = pools[key]
                anyone.append(p)
                if p.since >= young_from:
                    young.append(p)
        return pools

    def _pick_person(
        self,
        pools: dict[tuple[bool, int], tuple[list[PersonInfo], list[PersonInfo]]],
        pre: bool,
        year: int,
        used: set[int],
    ) -> PersonInfo | None:
        rng = self.rng
        young, anyone = pools.get((pre, year)) or ([], [])
        if not anyone:
            young, anyone = pools.get((not pre, year)) or ([], [])
        order = (young, anyone) if rng.random() < YOUNG_SHARE else (anyone, young)
        for pool in order:
            if not pool:
                continue
            for _ in range(12):
                person = pool[rng.randrange(len(pool))]
                if person.id not in used:
                    used.add(person.id)
                    return person
        return anyone[rng.randrange(len(anyone))] if anyone else None

    def _plan(
        self,
        prog: ProgramCtx,
        year: int,
        start: date,
        pools: dict[tuple[bool, int], tuple[list[PersonInfo], list[PersonInfo]]],
        used: set[int],
        muni: MuniCtx,
    ) -> Plan:
        rng = self.rng
        today = self.today
        person = self._pick_person(pools, prog.preschool, year, used)
        if person is None:  # a municipality without teachers of the kind: take anyone
            person = rng.choice([p for p in muni.persons if p.role == "staff"] or muni.persons)
        end = add_months(start, prog.months) - timedelta(days=1)
        if 6 <= end.month <= 10:  # a program ends with the school year, not over the summer
            end = date(end.year, 5, rng.randint(20, 31))
        plan = Plan(person, prog, rng.choice(prog.platform.masters), year, start, end)
        if start > today:
            plan.status = "planned"
            plan.enrolled_on = min(today, start - timedelta(days=rng.randint(15, 40)))
            return plan
        plan.enrolled_on = start + timedelta(days=rng.randint(0, 6))
        length = max((end - start).days, 1)
        last_possible = min(end, today)
        # Withdrawals accumulate over the internship: fewer so far in a cohort that just began.
        so_far = min(1.0, 1.3 * (last_possible - start).days / length)
        if rng.random() < WITHDRAW_SHARE * so_far and (last_possible - start).days > 40:
            left = start + timedelta(days=rng.randint(30, (last_possible - start).days - 1))
            plan.status = "withdrawn"
            plan.actual_end = left
            plan.activity_end = left
            plan.reason = rng.choice(texts.WITHDRAW_REASONS)
            plan.elapsed = (left - start).days / length
        elif end < today:
            plan.status = "completed"
            plan.actual_end = max(start, end - timedelta(days=rng.randint(0, 7)))
            plan.activity_end = plan.actual_end
            plan.elapsed = 1.0
        else:
            plan.status = "active"
            plan.activity_end = today - timedelta(days=1) if today > start else start
            plan.elapsed = (plan.activity_end - start).days / length
        if plan.enrolled_on > (plan.activity_end or today):
            plan.enrolled_on = start
        return plan

    # --- writing -----------------------------------------------------------------------

    def _write(self, muni: MuniCtx, plan: Plan, per_unit: float, certs: list[dict]) -> None:
        b, rng, w = self.b, self.rng, self.b.w
        prog = plan.program
        hours_total = prog.hours
        hours_done = {
            "completed": float(hours_total),
            "active": float(round(hours_total * min(plan.elapsed, 1.0))),
            "withdrawn": float(round(hours_total * min(plan.elapsed, 1.0))),
        }.get(plan.status, 0.0)
        internship_id = w.new_id(INTERNSHIP)
        w.add(
            INTERNSHIP,
            {
                "id": internship_id,
                "person_id": plan.person.id,
                "program_id": prog.id,
                "mentor_id": plan.mentor[0],
                "cohort": cohort_label(plan.cohort),
                "start_date": plan.start,
                "planned_end": plan.planned_end,
                "status": plan.status,
                "withdraw_reason": plan.reason,
                "actual_end": plan.actual_end,
                "hours_done": hours_done,
            },
            plan.enrolled_on,
        )
        entry_on = plan.enrolled_on or plan.start
        entry = self._entry_levels(prog)
        self._assessment(plan, internship_id, entry_on, "entry", "self", entry)
        deficits = [i for i, lv in enumerate(entry) if lv <= self._deficit_level]
        steps = self._route(muni, plan, internship_id, entry, deficits, entry_on)
        self._journal(plan, internship_id, steps, per_unit)
        if plan.status != "planned" and plan.elapsed >= 0.5 and rng.random() < 0.35:
            middle = plan.start + timedelta(days=(plan.planned_end - plan.start).days // 2)
            middle = min(middle, plan.activity_end or middle)
            interim = self._grown(entry, deficits, 0.5)
            self._assessment(plan, internship_id, middle, "interim", "mentor", interim)
        if plan.status == "completed":
            assert plan.actual_end is not None
            exit_on = max(plan.start, plan.actual_end - timedelta(days=rng.randint(0, 5)))
            final = self._grown(entry, deficits, 1.0)
            assessor = "self" if rng.random() < 0.8 else "mentor"
            self._assessment(plan, internship_id, exit_on, "exit", assessor, final)
            if plan.cohort < b.latest_completed_cohort:
                issued = min(plan.actual_end + timedelta(days=rng.randint(5, 25)), b.today)
                certs.append(
                    {
                        "issued_on": issued,
                        "order": internship_id,
                        "kind": "internship",
                        "prefix": "СП",
                        "person": plan.person,
                        "internship_id": internship_id,
                        "event_id": None,
                        "hours": float(hours_total),
                        "basis_title": prog.title,
                    }
                )

    def _entry_levels(self, prog: ProgramCtx) -> list[int]:
        rng = self.rng
        comps = prog.comps
        levels = []
        for _id, comp, _code, _text in self.refs.indicators:
            t0, t1, t2 = self._entry_target if comp in comps else self._entry_other
            r = rng.random()
            levels.append(0 if r < t0 else 1 if r < t1 else 2 if r < t2 else 3)
        deficit = self._deficit_level
        found = [i for i, lv in enumerate(levels) if lv <= deficit]
        if len(found) < 2:
            targets = [
                i
                for i, ind in enumerate(self.refs.indicators)
                if ind[1] in comps and levels[i] > deficit
            ] or [i for i, lv in enumerate(levels) if lv > deficit]
            for i in rng.sample(targets, min(len(targets), 2 - len(found))):
                levels[i] = deficit
        elif len(found) > 9:
            for i in rng.sample(found, len(found) - 9):
                levels[i] = deficit + 1
        return levels

    def _grown(self, entry: list[int], deficits: list[int], part: float) -> list[int]:
        rng = self.rng
        out = list(entry)
        deficit_set = set(deficits)
        for i, lv in enumerate(entry):
            r = rng.random()
            if i in deficit_set:
                gain = (2 if r < 0.5 else 1 if r < 0.92 else 0) if part >= 1 else int(r < 0.55)
            else:
                gain = int(r < (0.35 if part >= 1 else 0.15))
            out[i] = min(3, lv + gain)
        return out

    def _assessment(
        self,
        plan: Plan,
        internship_id: int,
        on: date,
        stage: str,
        assessor: str,
        levels: list[int],
    ) -> None:
        w = self.b.w
        assessment_id = w.new_id(ASSESSMENT)
        comment = {
            "entry": "Входная самодиагностика профессиональных компетенций",
            "interim": "Промежуточная оценка педагога-мастера по итогам наблюдения",
            "exit": "Итоговая диагностика по завершении стажировки",
        }[stage]
        w.add(
            ASSESSMENT,
            {
                "id": assessment_id,
                "person_id": plan.person.id,
                "internship_id": internship_id,
                "instrument_id": self.refs.instrument_id,
                "assessed_on": on,
                "stage": stage,
                "assessor": assessor,
                "comment": comment,
            },
            on,
        )
        values = self._level_value
        add, new_id = w.add_values, w.new_id
        for (indicator_id, *_rest), level in zip(self.refs.indicators, levels, strict=True):
            add(SCORE, (new_id(SCORE), assessment_id, indicator_id, values[level]))

    def _route(
        self,
        muni: MuniCtx,
        plan: Plan,
        internship_id: int,
        entry: list[int],
        deficits: list[int],
        entry_on: date,
    ) -> list[dict[str, Any]]:
        rng, w, today = self.rng, self.b.w, self.today
        prog = plan.program
        indicators = self.refs.indicators
        values = self._level_value
        lines = [
            f"— {indicators[i][3]} ({indicators[i][2]}; {values[entry[i]]:g} б.)" for i in deficits
        ]
        approved = entry_on + timedelta(days=rng.randint(2, 10))
        route_id = w.new_id(ROUTE)
        person = plan.person
        w.add(
            ROUTE,
            {
                "id": route_id,
                "internship_id": internship_id,
                "person_id": person.id,
                "is_group": False,
                "title": (
                    f"Индивидуальный образовательный маршрут: {person.surname} "
                    f"{person.name[0]}.{person.patronymic[:1]}{'.' if person.patronymic else ''}, "
                    f"{cohort_label(plan.cohort)}"
                ),
                "deficits": "\n".join(lines),
                "goal": (
                    f"Освоение программы «{prog.title}» и устранение профессиональных "
                    "дефицитов, выявленных входной диагностикой"
                ),
                "tasks": texts.ROUTE_TASKS,
                "approved_on": approved if approved <= today else None,
            },
            entry_on,
        )
        first = min(plan.start + timedelta(days=7), plan.planned_end)
        span = max((plan.planned_end - first).days, len(deficits))
        slot = span / max(len(deficits), 1)
        steps = []
        modules = prog.modules
        module_turn = rng.randrange(len(modules))
        for pos, i in enumerate(deficits, 1):
            _ind_id, comp, _code, text = indicators[i]
            deficit_text = text[0].lower() + text[1:]
            start = first + timedelta(days=int((pos - 1) * slot))
            end = max(start, first + timedelta(days=int(pos * slot) - 1))
            event_id = None
            if comp in prog.comps:
                module = modules[module_turn % len(modules)]
                module_turn += 1
                kind, title, hours = "module", module.title, float(module.hours)
                expected = module.expected_result or "Модуль освоен"
                report = module.assessment or "отчёт в журнале профессионального роста"
                evidence = rng.choice(texts.MODULE_EVIDENCE)
                form = module.form
                module_id: int | None = module.id
            else:
                kind = rng.choices(self._step_kinds, texts.STEP_KIND_WEIGHTS)[0]
                if kind == "event":
                    near = [e for e in muni.events_between(start, end + timedelta(days=1))]
                    if near:
                        event_id = rng.choice(near).id
                    else:
                        kind = "self_study"
                _k, title_t, expected, report, evidence = self._step_by_kind[kind]
                title = title_t.format(d=deficit_text)
                hours = float(
                    rng.choice((16, 24, 36)) if kind == "course" else rng.choice((2, 4, 4, 6, 8))
                )
                form = ""
                module_id = None
            status, done_on = self._step_status(plan, start, end)
            step_id = w.new_id(STEP)
            w.add(
                STEP,
                {
                    "id": step_id,
                    "route_id": route_id,
                    "position": pos,
                    "kind": kind,
                    "module_id": module_id,
                    "event_id": event_id,
                    "title": title[:500],
                    "deficit": text[:500],
                    "planned_start": start,
                    "planned_end": end,
                    "hours": hours,
                    "expected_result": expected,
                    "report_form": report,
                    "status": status,
                    "done_on": done_on,
                    "evidence": evidence if status == "done" else "",
                    "mentor_mark": rng.choice(texts.MENTOR_MARKS) if status == "done" else "",
                },
                entry_on,
            )
            steps.append(
                {
                    "id": step_id,
                    "kind": kind,
                    "form": form,
                    "title": title,
                    "status": status,
                    "done_on": done_on,
                    "expected": expected,
                    "hours": hours,
                }
            )
        return steps

    def _step_status(self, plan: Plan, start: date, end: date) -> tuple[str, date | None]:
        rng, today = self.rng, self.today
        if plan.status == "planned":
            return "planned", None
        last = plan.activity_end or today
        if plan.status == "completed" or (plan.status == "active" and end < today):
            if plan.status == "active" and rng.random() < 0.25:
                return "planned", None  # past its planned end: shown as overdue
            done = end + timedelta(days=rng.randint(-6, 4))
            done = max(start, min(done, last, today))
            return "done", done
        if plan.status == "withdrawn":
            if end < last and rng.random() < 0.9:
                return "done", max(start, min(end, last))
            return "dropped", None
        return "planned", None

    def _journal(
        self, plan: Plan, internship_id: int, steps: list[dict[str, Any]], per_unit: float
    ) -> None:
        if plan.activity_end is None:
            return
        rng, w = self.rng, self.b.w
        topics = self._topics_pre if plan.program.preschool else self._topics
        entries: list[tuple[date, str, str, float, str, int | None]] = []
        for step in steps:
            if step["status"] == "done":
                activity = (
                    texts.ACTIVITY_BY_FORM.get(step["form"], "практикум")
                    if step["kind"] == "module"
                    else texts.ACTIVITY_BY_STEP[step["kind"]]
                )
                if activity not in topics:
                    activity = self._activities[0]
                hours = float(min(4, max(1, round(step["hours"] / 4))))
                entries.append(
                    (step["done_on"], activity, step["title"], hours, step["expected"], step["id"])
                )
        wanted = round(per_unit * plan.elapsed * rng.uniform(0.85, 1.15))
        span = max((plan.activity_end - plan.start).days, 0)
        # The hottest loop of the generator (10 M entries at the nation scale): draw with
        # random() and index arithmetic rather than choice()/choices().
        rand = rng.random
        activities, cumulative = self._activities, self._activity_cum
        total = cumulative[-1]
        results, start = self._results, plan.start
        for _ in range(max(0, wanted - len(entries))):
            offset = int(rand() * (span + 1))
            day = start + timedelta(days=offset)
            weekday = day.weekday()
            if weekday >= 5:
                day = max(start, day - timedelta(days=weekday - 4))
            activity = activities[bisect(cumulative, rand() * total)]
            if activity == "защита продукта" and offset < span * 0.8:
                activity = "самостоятельная работа"
            pool = topics[activity]
            topic = pool[int(rand() * len(pool))]
            pool = results[activity]
            hours = _ENTRY_HOURS[int(rand() * len(_ENTRY_HOURS))]
            entries.append((day, activity, topic, hours, pool[int(rand() * len(pool))], None))
        entries.sort(key=lambda e: (e[0], e[5] or 0, e[2]))
        reflections, comments = names.REFLECTIONS, names.MENTOR_COMMENTS
        add, new_id = w.add, w.new_id
        for day, activity, topic, hours, result, step_id in entries:
            reflection = reflections[int(rand() * len(reflections))] if rand() < 0.85 else ""
            comment = comments[int(rand() * len(comments))] if rand() < 0.7 else ""
            add(
                JOURNAL,
                {
                    "id": new_id(JOURNAL),
                    "internship_id": internship_id,
                    "entry_date": day,
                    "activity": activity,
                    "topic": topic[:500],
                    "hours": hours,
                    "result": result,
                    "reflection": reflection,
                    "mentor_comment": comment,
                    "route_step_id": step_id,
                },
                day,
            )

    # --- routes without an internship ---------------------------------------------------

    def _standalone_routes(self, muni: MuniCtx, count: int, used: set[int]) -> None:
        """Self-education routes of teachers outside internships, and one group route."""
        rng, w, today = self.rng, self.b.w, self.today
        staff = [p for p in muni.persons if p.role == "staff" and p.id not in used]
        if not staff:
            return
        year = self.b.school_year
        first, last = date(year, 9, 15), date(year + 1, 5, 25)
        for n in range(count + 1):
            group = n == count
            members = rng.sample(staff, min(len(staff), rng.randint(4, 6) if group else 1))
            chosen = rng.sample(names.DEFICITS, rng.randint(2, 4))
            route_id = w.new_id(ROUTE)
            owner = members[0]
            w.add(
                ROUTE,
                {
                    "id": route_id,
                    "internship_id": None,
                    "person_id": None if group else owner.id,
                    "is_group": group,
                    "title": (
                        f"Групповой маршрут молодых педагогов, {cohort_label(year)}"
                        if group
                        else f"Маршрут самообразования: {owner.surname} {owner.name[0]}., "
                        f"{cohort_label(year)}"
                    ),
                    "deficits": "\n".join(f"— {text} ({code})" for code, text in chosen),
                    "goal": "Устранение профессиональных дефицитов через самообразование",
                    "tasks": texts.ROUTE_TASKS.split("\n")[1],
                    "approved_on": min(first, today),
                },
                min(first, today),
            )
            if group:
                for person in members:
                    w.add(route_member, {"route_id": route_id, "person_id": person.id})
            slot = (last - first).days // len(chosen)
            for pos, (_code, text) in enumerate(chosen, 1):
                kind = rng.choice(("self_study", "course", "mentoring", "open_lesson"))
                _k, title_t, expected, report, evidence = self._step_by_kind[kind]
                start = first + timedelta(days=(pos - 1) * slot)
                end = start + timedelta(days=slot - 1)
                done = end < today and rng.random() < 0.8
                w.add(
                    STEP,
                    {
                        "id": w.new_id(STEP),
                        "route_id": route_id,
                        "position": pos,
                        "kind": kind,
                        "module_id": None,
                        "event_id": None,
                        "title": title_t.format(d=text)[:500],
                        "deficit": text,
                        "planned_start": start,
                        "planned_end": end,
                        "hours": float(rng.choice((4, 6, 8, 16))),
                        "expected_result": expected,
                        "report_form": report,
                        "status": "done" if done else "planned",
                        "done_on": end if done else None,
                        "evidence": evidence if done else "",
                        "mentor_mark": "выполнено" if done else "",
                    },
                    min(first, today),
                )
