"""Package files (issue 6): a platform works offline on a copy of the district's database and
sends its work back; the district sees new, changed and conflicting records and applies them in
one transaction, with the package named in the audit trail."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from stazhirovka.db import open_database
from stazhirovka.errors import UserError
from stazhirovka.models import (
    AuditEntry,
    Internship,
    InternshipStatus,
    JournalEntry,
    Program,
    Route,
    RouteStep,
    StepStatus,
)
from stazhirovka.services.internships import JournalService, RouteStepService
from stazhirovka.services.packages import (
    CHANGED,
    CONFLICT,
    NEW,
    PACKAGE,
    apply_package,
    describe,
    export_package,
    read_package,
)


def _setting(s) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """An active internship with two journal entries and a planned route step."""
    it = s.scalar(
        select(Internship)
        .join(Route, Route.internship_id == Internship.id)
        .where(Internship.status == InternshipStatus.ACTIVE)
        .order_by(Internship.id)
        .limit(1)
    )
    entries = s.scalars(
        select(JournalEntry.id).where(JournalEntry.internship_id == it.id).order_by(JournalEntry.id)
    ).all()
    step = s.scalar(
        select(RouteStep.id)
        .join(Route, Route.id == RouteStep.route_id)
        .where(Route.internship_id == it.id, RouteStep.status == StepStatus.PLANNED)
        .limit(1)
    )
    platform = s.scalar(select(Program.platform_id).where(Program.id == it.program_id))
    return {"internship": it.id, "e1": entries[0], "e2": entries[1], "step": step,
            "platform": platform}  # fmt: skip


def test_a_platform_sends_its_offline_work(demo_template: Path, tmp_path: Path) -> None:
    district_path, copy_path = tmp_path / "район.db", tmp_path / "площадка.db"
    shutil.copyfile(demo_template, district_path)
    shutil.copyfile(district_path, copy_path)  # the platform takes its copy today
    today = date.today()
    district, copy = (
        open_database(f"sqlite:///{district_path}"),
        open_database(f"sqlite:///{copy_path}"),
    )
    try:
        with copy.session() as s:
            ids = _setting(s)
            journal = JournalService()
            journal.create(s, {"internship_id": ids["internship"], "entry_date": today,
                               "activity": "консультация", "topic": "Оффлайн-консультация",
                               "hours": 2})  # fmt: skip
            journal.update(s, ids["e1"], {"topic": "Уточнённая тема"})
            journal.update(s, ids["e2"], {"hours": 1.5})
            RouteStepService().update(s, ids["step"], {"status": "done", "done_on": today,
                                                       "evidence": "конспект урока"})  # fmt: skip
            package = tmp_path / "пакет.zip"
            counts = export_package(s, package, [ids["platform"]], today)
        assert counts == {"journal": 3, "step": 1}
        with district.session() as s:  # meanwhile the district changed the second entry too
            JournalService().update(s, ids["e2"], {"hours": 2.5})
        with district.session() as s:
            plan = read_package(s, package)
            states = {(i.kind, i.record_id if i.state != NEW else 0): i.state for i in plan.items}
            assert states[("journal", ids["e1"])] == CHANGED
            assert states[("journal", ids["e2"])] == CONFLICT
            assert states[("step", ids["step"])] == CHANGED
            assert len(plan.of(NEW)) == 1
            conflict = plan.of(CONFLICT)[0]
            assert conflict.title.startswith("Запись журнала от ")
            assert conflict.differences() == [("Часы", "2,5", "1,5")]
            text = describe(plan)
            assert "конфликтов: 1" in text and "Часы: в районе «2,5», в пакете «1,5»" in text
            done = apply_package(s, plan, actor="metod")
            assert done == {NEW: 1, CHANGED: 2, CONFLICT: 0}
        with district.session() as s:
            assert s.get(JournalEntry, ids["e1"]).topic == "Уточнённая тема"
            assert s.get(JournalEntry, ids["e2"]).hours == 2.5  # the district's value was kept
            assert s.get(RouteStep, ids["step"]).status == StepStatus.DONE
            sources = set(
                s.scalars(select(AuditEntry.source).where(AuditEntry.user_login == "metod"))
            )
            assert any(src.startswith("пакет площадки") for src in sources)
            plan = read_package(s, package)  # the same package again, the conflict taken
            for item in plan.of(CONFLICT):
                item.choice = PACKAGE
            before = s.scalar(select(func.count()).select_from(JournalEntry))
            apply_package(s, plan, actor="metod")
            assert s.get(JournalEntry, ids["e2"]).hours == 1.5
            # the new entry is not made twice: the same package applied again finds it there
            assert s.scalar(select(func.count()).select_from(JournalEntry)) == before
            assert not plan.of(NEW)
    finally:
        district.close()
        copy.close()


def test_steps_made_offline_travel_with_their_entries(demo_template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    district_path, copy_path = tmp_path / "район.db", tmp_path / "площадка.db"
    shutil.copyfile(demo_template, district_path)
    shutil.copyfile(district_path, copy_path)
    today = date.today()
    district = open_database(f"sqlite:///{district_path}")
    copy = open_database(f"sqlite:///{copy_path}")
    try:
        with copy.session() as s:
            ids = _setting(s)
            route = s.scalar(select(Route.id).where(Route.internship_id == ids["internship"]))
            step = RouteStepService().create(
                s, {"route_id": route, "kind": "open_lesson", "title": "Открытый урок в 7 классе",
                    "hours": 2},
            )  # fmt: skip
            JournalService().create(s, {"internship_id": ids["internship"], "entry_date": today,
                                        "activity": "открытый урок", "topic": "Урок в 7 классе",
                                        "hours": 2, "route_step_id": step.id})  # fmt: skip
            package = tmp_path / "пакет.zip"
            assert export_package(s, package, [ids["platform"]], today) == {"step": 1, "journal": 1}
        with district.session() as s:  # meanwhile the district added a step to the same route
            RouteStepService().create(s, {"route_id": route, "kind": "self_study",
                                          "title": "Чтение статьи"})  # fmt: skip
        with district.session() as s:
            plan = read_package(s, package)
            new_step = next(i for i in plan.items if i.kind == "step")
            assert new_step.state == NEW and new_step.title.startswith("Шаг маршрута «Открытый")
            assert ("Вид", "—", "открытый урок") in new_step.differences()
            apply_package(s, plan, actor="metod")
        with district.session() as s:
            made = s.scalar(select(RouteStep).where(RouteStep.title == "Открытый урок в 7 классе"))
            entry = s.scalar(select(JournalEntry).where(JournalEntry.topic == "Урок в 7 классе"))
            assert entry.route_step_id == made.id  # the entry points at the district's step
            numbers = s.scalars(select(RouteStep.position).where(RouteStep.route_id == route)).all()
            assert len(set(numbers)) == len(numbers)  # numbered anew, no clash
            plan = read_package(s, package)  # applied twice: nothing new
            assert not plan.of(NEW)
            steps_before = s.scalar(select(func.count()).select_from(RouteStep))
            apply_package(s, plan, actor="metod")
            assert s.scalar(select(func.count()).select_from(RouteStep)) == steps_before
    finally:
        district.close()
        copy.close()


def test_a_refused_record_leaves_nothing_and_junk_is_no_package(demo_template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "район.db"
    shutil.copyfile(demo_template, path)
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as s:
            ids = _setting(s)
            JournalService().update(s, ids["e1"], {"topic": "Новая тема"})
            package = tmp_path / "пакет.zip"
            export_package(s, package, [ids["platform"]], date.today())
        with db.session() as s:
            plan = read_package(s, package)
            item = plan.items[0]  # made from this very base: unchanged, until a value differs
            item.state, item.values["hours"] = CHANGED, 99  # one the service refuses
            before = s.scalar(select(func.count()).select_from(AuditEntry))
            with pytest.raises(UserError, match="Пакет не применён, ничего не записано"):
                apply_package(s, plan)
            assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
        junk = tmp_path / "не пакет.zip"
        with zipfile.ZipFile(junk, "w") as z:
            z.writestr("readme.txt", "нет")
        with db.session() as s, pytest.raises(UserError, match="не пакет изменений площадки"):
            read_package(s, junk)
    finally:
        db.close()


def test_package_from_the_command_line(demo_template, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from stazhirovka.cli import main

    district, copy = tmp_path / "район.db", tmp_path / "площадка.db"
    shutil.copyfile(demo_template, district)
    shutil.copyfile(district, copy)
    db = open_database(f"sqlite:///{copy}")
    with db.session() as s:
        ids = _setting(s)
        JournalService().update(s, ids["e1"], {"topic": "Тема из площадки"})
    db.close()
    out = tmp_path / "пакет.zip"
    today = date.today().isoformat()
    assert main(["package", "export", str(out), "--platform", str(ids["platform"]),
                 "--copied-on", today, "--db", f"sqlite:///{copy}"]) == 0  # fmt: skip
    assert "записей: 1" in capsys.readouterr().out
    assert main(["package", "import", str(out), "--dry-run", "--db", f"sqlite:///{district}"]) == 0
    assert "изменённых: 1" in capsys.readouterr().out
    assert main(["package", "import", str(out), "--db", f"sqlite:///{district}"]) == 0
    assert "изменено 1" in capsys.readouterr().out
    db = open_database(f"sqlite:///{district}")
    with db.session() as s:
        assert s.get(JournalEntry, ids["e1"]).topic == "Тема из площадки"
    db.close()
