"""The demo-data generator: sizes, determinism, refusal, and the shapes other code relies on."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from stazhirovka.db import Database, open_database
from stazhirovka.demo import DemoSummary, generate
from stazhirovka.demo.writer import TABLES
from stazhirovka.errors import UserError
from stazhirovka.models import (
    Assessment,
    Certificate,
    CertificateSequence,
    Event,
    Indicator,
    Instrument,
    Internship,
    JournalEntry,
    Municipality,
    Organization,
    Person,
    Platform,
    Route,
    RouteStep,
    Score,
)

TODAY = date(2026, 11, 21)


def _fresh(path: Path, seed: int = 1) -> tuple[Database, DemoSummary, list[tuple[str, float]]]:
    db = open_database(f"sqlite:///{path}")
    stages: list[tuple[str, float]] = []
    with db.session() as s:
        summary = generate(
            s, "district", seed=seed, today=TODAY, progress=lambda *a: stages.append(a)
        )
    return db, summary, stages


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    db, summary, stages = _fresh(tmp_path_factory.mktemp("demo") / "x.db")
    yield db, summary, stages
    db.close()


def _dump(db: Database) -> dict[str, list[str]]:
    """Every table the generator writes, ordered by its primary key."""
    out = {}
    with db.engine.connect() as conn:
        for table in TABLES:
            order = ", ".join(c.name for c in table.primary_key.columns)
            out[table.name] = [
                repr(tuple(r))
                for r in conn.execute(text(f"SELECT * FROM {table.name} ORDER BY {order}"))
            ]
    return out


def within(value: int, target: int, tolerance: float = 0.1) -> bool:
    return target * (1 - tolerance) <= value <= target * (1 + tolerance)


def test_district_sizes_match_domain(demo):
    db, summary, _stages = demo
    with db.session() as s:
        district = s.scalar(select(Municipality.id).where(Municipality.name == "Тимашевский район"))
        persons = s.scalar(select(func.count()).select_from(Person))
        own_orgs = s.scalar(select(func.count()).where(Organization.municipality_id == district))
        live_platforms = s.scalar(
            select(func.count()).where(
                Platform.status == "active", Platform.kind.in_(("internship", "support"))
            )
        )
        internships = s.scalar(select(func.count()).select_from(Internship))
        journal = s.scalar(select(func.count()).select_from(JournalEntry))
        events = s.scalar(select(func.count()).select_from(Event))
    assert within(persons, 1_500)
    assert within(own_orgs, 40)  # the 12 network partners live in other municipalities
    assert 6 <= live_platforms <= 10
    assert within(internships, 100)
    assert within(journal, 3_000)
    assert within(events, 150)
    assert summary.persons == persons and summary.journal_entries == journal


def test_progress_is_reported_in_order(demo):
    _db, _summary, stages = demo
    fractions = [f for _stage, f in stages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(stage for stage, _f in stages)


def test_same_seed_same_data_other_seed_other_data(demo, tmp_path):
    db, _summary, _stages = demo
    again, _s, _p = _fresh(tmp_path / "again.db")
    other, _s, _p = _fresh(tmp_path / "other.db", seed=2)
    try:
        first = _dump(db)
        assert first == _dump(again)
        assert first["person"] != _dump(other)["person"]
    finally:
        again.close()
        other.close()


def test_refuses_a_database_with_data(demo, tmp_path):
    db, _summary, _stages = demo
    with db.session() as s, pytest.raises(UserError, match="База данных не пуста"):
        generate(s, today=TODAY)
    only_org = open_database(f"sqlite:///{tmp_path}/org.db")
    try:
        with only_org.session() as s:
            s.add(Organization(full_name="Школа", short_name="Школа", kind="school"))
        with only_org.session() as s, pytest.raises(UserError):
            generate(s, today=TODAY)
    finally:
        only_org.close()


def test_timestamps_and_search_keys_are_filled(demo):
    db, _summary, _stages = demo
    with db.engine.connect() as conn:
        for table in TABLES:
            columns = {c.name for c in table.c}
            for column in ("created_at", "updated_at", "version", "search_key"):
                if column in columns:
                    empty = conn.scalar(
                        text(
                            f"SELECT count(*) FROM {table.name} WHERE {column} IS NULL"
                            + (f" OR {column} = ''" if column == "search_key" else "")
                        )
                    )
                    assert empty == 0, (table.name, column)
        assert inspect(conn).has_table("person")


def test_certificates_left_for_the_latest_cohort_and_numbered_in_sequence(demo):
    db, _summary, _stages = demo
    latest = "2025/26"  # TODAY is in 2026/27; the 2025/26 cohort finished in spring 2026
    with db.session() as s:
        completed = s.execute(
            select(Internship.id, Internship.cohort).where(Internship.status == "completed")
        ).all()
        certified = set(
            s.scalars(
                select(Certificate.internship_id).where(Certificate.internship_id.isnot(None))
            )
        )
        latest_done = [i for i, cohort in completed if cohort == latest]
        earlier_done = [i for i, cohort in completed if cohort < latest]
        assert latest_done and not certified.intersection(latest_done)
        assert earlier_done and set(earlier_done) <= certified
        numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
        for prefix, year, seq, number in s.execute(
            select(Certificate.prefix, Certificate.year, Certificate.seq, Certificate.number)
        ):
            assert number == f"{prefix}-{year}-{seq:04d}"
            numbers[(prefix, year)].append(seq)
        sequences = {
            (r.prefix, r.year): r.last_value for r in s.scalars(select(CertificateSequence))
        }
        assert sequences == {k: len(v) for k, v in numbers.items()}
        for seqs in numbers.values():
            assert sorted(seqs) == list(range(1, len(seqs) + 1))
        assert {prefix for prefix, _year in numbers} >= {"СП", "УМ", "ВС"}
        cancelled = s.scalars(select(Certificate).where(Certificate.status == "cancelled")).all()
        assert len(cancelled) == 1 and cancelled[0].cancelled_on and cancelled[0].cancel_reason
        codes = list(s.scalars(select(Certificate.verification_code)))
        assert all(len(c) == 16 for c in codes) and len(set(codes)) == len(codes)


def test_every_internship_has_entry_diagnostics_and_a_route_from_its_deficits(demo):
    db, _summary, _stages = demo
    with db.session() as s:
        instrument = s.scalars(select(Instrument).order_by(Instrument.id)).first()
        texts = {i: t for i, t in s.execute(select(Indicator.id, Indicator.text))}
        internships = s.scalars(select(Internship)).all()
        entry = defaultdict(list)
        exits = defaultdict(list)
        for assessment_id, internship_id, stage, assessor in s.execute(
            select(Assessment.id, Assessment.internship_id, Assessment.stage, Assessment.assessor)
        ):
            if stage == "entry":
                entry[internship_id].append((assessment_id, assessor))
            elif stage == "exit":
                exits[internship_id].append(assessment_id)
        scores = defaultdict(dict)
        for assessment_id, indicator_id, value in s.execute(
            select(Score.assessment_id, Score.indicator_id, Score.value)
        ):
            scores[assessment_id][indicator_id] = value
        routes = {r.internship_id: r for r in s.scalars(select(Route)) if r.internship_id}
        steps = defaultdict(list)
        for step in s.scalars(select(RouteStep)):
            steps[step.route_id].append(step)
        growth = []
        for internship in internships:
            assert len(entry[internship.id]) == 1, internship.id
            assessment_id, assessor = entry[internship.id][0]
            assert assessor == "self"
            entry_scores = scores[assessment_id]
            assert len(entry_scores) == len(texts)
            deficits = {
                texts[i] for i, v in entry_scores.items() if v <= instrument.deficit_max_score
            }
            route = routes[internship.id]
            route_steps = steps[route.id]
            assert deficits and {st.deficit for st in route_steps} == deficits
            assert len(route_steps) == len(deficits)
            for step in route_steps:
                assert internship.start_date <= step.planned_start <= step.planned_end
                if step.status == "done":
                    assert step.done_on and step.done_on <= TODAY
            if internship.status == "completed":
                assert internship.hours_done > 0 and internship.actual_end <= TODAY
                assert all(st.status == "done" for st in route_steps)
                assert len(exits[internship.id]) == 1
                exit_scores = scores[exits[internship.id][0]]
                growth.append(sum(exit_scores.values()) - sum(entry_scores.values()))
        assert growth and sum(g > 0 for g in growth) > 0.9 * len(growth)
        overdue = s.scalar(
            select(func.count())
            .select_from(RouteStep)
            .join(Route)
            .join(Internship)
            .where(
                Internship.status == "active",
                RouteStep.status == "planned",
                RouteStep.planned_end < TODAY,
            )
        )
        assert overdue > 0
        statuses = set(s.scalars(select(Internship.status)))
        assert statuses == {"planned", "active", "completed", "withdrawn"}


def test_journal_entries_lie_inside_their_internships(demo):
    db, _summary, _stages = demo
    with db.session() as s:
        rows = s.execute(
            select(JournalEntry.entry_date, JournalEntry.hours, Internship.start_date)
            .join(Internship)
            .where(JournalEntry.entry_date < Internship.start_date)
        ).all()
        assert rows == []
        assert s.scalar(select(func.max(JournalEntry.entry_date))) < TODAY
        hours = set(s.scalars(select(JournalEntry.hours).distinct()))
        assert hours <= {1.0, 2.0, 3.0, 4.0}
        linked = s.scalar(select(func.count()).where(JournalEntry.route_step_id.isnot(None)))
        assert linked > 0


def test_young_teachers_share_is_plausible(demo):
    db, _summary, _stages = demo
    three_years_ago = TODAY - timedelta(days=3 * 365)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(Person))
        young = s.scalar(select(func.count()).where(Person.teaching_since > three_years_ago))
        women = s.scalar(select(func.count()).where(Person.sex == "F"))
        interns = s.execute(
            select(Person.teaching_since, Internship.start_date).join(
                Internship, Internship.person_id == Person.id
            )
        ).all()
    assert 0.12 <= young / total <= 0.22
    assert 0.75 <= women / total <= 0.9
    young_at_start = sum(1 for since, start in interns if since > start - timedelta(days=3 * 365))
    assert young_at_start / len(interns) >= 0.6


def test_sex_agrees_with_patronymic(demo):
    db, _summary, _stages = demo
    with db.session() as s:
        people = s.execute(select(Person.patronymic, Person.sex, Person.surname)).all()
    for patronymic, sex, _surname in people:
        if patronymic.endswith(("вич", "ич", "оглы")):
            assert sex == "M", patronymic
        elif patronymic.endswith(("вна", "чна", "ична", "кызы")):
            assert sex == "F", patronymic
        else:
            assert patronymic == "", patronymic
    assert any("ё" in surname for _p, _s, surname in people)


def test_snils_are_valid_and_unique(demo):
    db, _summary, _stages = demo
    with db.session() as s:
        values = list(s.scalars(select(Person.snils).where(Person.snils.isnot(None))))
        total = s.scalar(select(func.count()).select_from(Person))
    assert 0.4 <= len(values) / total <= 0.6
    assert len(set(values)) == len(values)
    for value in values:
        assert len(value) == 11 and value.isdigit() and int(value[:9]) > 1_001_998
        check = sum(int(d) * (9 - i) for i, d in enumerate(value[:9])) % 101
        assert int(value[9:]) == (0 if check == 100 else check)


def test_fast_sqlite_path_stores_what_core_would(demo, tmp_path, monkeypatch):
    from stazhirovka.demo import writer

    db, _summary, _stages = demo
    monkeypatch.setattr(writer, "RAW_SQLITE", False)
    core, _s, _p = _fresh(tmp_path / "core.db")
    try:
        assert _dump(core) == _dump(db)
    finally:
        core.close()


def test_search_keys_follow_the_models_search_fields(demo):
    from stazhirovka.models import Community, NetworkAgreement, Product, Program
    from stazhirovka.text import search_key

    db, _summary, _stages = demo
    with db.session() as s:
        for model in (
            Person,
            Organization,
            Program,
            Event,
            Product,
            Certificate,
            NetworkAgreement,
            Community,
        ):
            columns = [getattr(model, f) for f in model.__search_fields__]
            for *values, key in s.execute(select(*columns, model.search_key)):
                assert key == search_key(*values), (model.__name__, values)


def test_the_district_letterhead_is_filled_for_documents(demo):
    from stazhirovka.services.district import load_district

    db, _summary, _stages = demo
    with db.session() as s:
        district = load_district(s)
    assert district.issuer.startswith("Муниципальное бюджетное учреждение «Центр развития")
    assert district.city == "г. Тимашевск" and district.founder.startswith("Управление образования")
    assert district.signatory(0).name == "Сергиенко Ирина Николаевна"
    assert district.signature_name(district.signatory(0).name) == "И.Н. Сергиенко"
