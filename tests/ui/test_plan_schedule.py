"""The plan-schedule page: a demo year by month with its summary, checked against direct SQL;
filters; opening and adding events."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text

from stazhirovka.ui.child_table import HEADER
from stazhirovka.ui.event_card import EventCard
from stazhirovka.ui.forms import EntityForm
from stazhirovka.ui.plan_schedule import PlanSchedulePage
from tests.ui.helpers import type_text

MONTHS = (
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
)  # fmt: skip

# The year's events straight from the tables: planned that year, or dated that year and
# either unplanned or held.
YEAR_EVENTS = """
    SELECT e.id, e.starts_on, e.plan_year, e.held, e.level_id, e.platform_id,
           (SELECT count(*) FROM participation p WHERE p.event_id = e.id) AS registered,
           (SELECT count(*) FROM participation p
             WHERE p.event_id = e.id AND p.attended) AS attended
      FROM event e
     WHERE e.plan_year = :year
        OR (e.starts_on >= :start AND e.starts_on < :end
            AND (e.plan_year IS NULL OR e.held))
"""


@pytest.fixture(autouse=True)
def _no_blocking_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def _year_rows(db, year: int) -> list[Any]:
    with db.session() as s:
        return s.execute(
            text(YEAR_EVENTS),
            {"year": year, "start": date(year, 1, 1), "end": date(year + 1, 1, 1)},
        ).all()


def _page(window: Any, year: int) -> PlanSchedulePage:
    page = window.show_page("plan")
    assert isinstance(page, PlanSchedulePage)
    page.set_year(year)
    assert page.year_value() == year
    return page


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@pytest.mark.parametrize("year", [2023, 2026])
def test_a_demo_year_by_month_matches_the_tables(
    demo_db, make_window, qtmodeltester, year: int
) -> None:
    rows = _year_rows(demo_db, year)
    assert rows, "the demo has events in this year"
    window = make_window(demo_db)
    page = _page(window, year)
    qtmodeltester.check(page.model)

    by_month: dict[int, int] = {}
    for row in rows:
        month = _as_date(row.starts_on).month
        by_month[month] = by_month.get(month, 0) + 1
    shown: dict[int, int] = {}
    current = None
    for row in page.model.rows():
        if HEADER in row:
            current = MONTHS.index(row[HEADER].split(" — ")[0]) + 1
            count = int(row[HEADER].split(" — ")[1].split()[0])
            shown[current] = 0
        else:
            assert current == row["starts_on"].month
            shown[current] += 1
    assert shown == dict(sorted(by_month.items()))
    assert count == shown[current]  # the month's header counts its rows

    planned = [r for r in rows if r.plan_year == year]
    held = [r for r in planned if r.held]
    outside = len(rows) - len(planned)
    attended = sum(r.attended for r in rows)
    percent = round(100 * len(held) / len(planned))
    expected = f"Запланировано {len(planned)}, проведено {len(held)} ({percent}\u00a0%), "
    if outside:
        expected += f"вне плана {outside}, "
    expected += "участников " + f"{attended:,}".replace(",", "\u00a0")
    assert page.summary.text() == expected
    first = next(r for r in page.model.rows() if HEADER not in r)
    people = page.model.index(page.model.row_of(first["id"]), 7).data()
    assert people == (
        f"{first['attended']} / {first['registered']}" if first["registered"] else "—"
    )


def test_the_marks_tell_planned_from_held(demo_db, make_window) -> None:
    window = make_window(demo_db)
    page = _page(window, 2023)
    marks = {
        page.model.index(n, 6).data()
        for n in range(page.model.rowCount())
        if not page.model.is_header(n)
    }
    assert "проведено" in marks
    assert marks <= {
        "проведено",
        "не проведено",
        "запланировано",
        "вне плана",
        "вне плана, проведено",
    }
    header = next(n for n in range(page.model.rowCount()) if page.model.is_header(n))
    assert page.table.columnSpan(header, 0) == page.model.columnCount()


def test_filters_by_level_and_platform(demo_db, make_window) -> None:
    rows = _year_rows(demo_db, 2023)
    window = make_window(demo_db)
    page = _page(window, 2023)
    level_id = rows[0].level_id
    page.level.setCurrentIndex(page.level.findData(level_id))
    ids = {r["id"] for r in page.model.record_rows()}
    assert ids == {r.id for r in rows if r.level_id == level_id}
    assert "Показаны только" in page.note.text()
    page.level.setCurrentIndex(0)
    platform_id = next(r.platform_id for r in rows if r.platform_id is not None)
    page.platform.setCurrentIndex(page.platform.findData(platform_id))
    ids = {r["id"] for r in page.model.record_rows()}
    assert ids == {r.id for r in rows if r.platform_id == platform_id}
    page.platform.setCurrentIndex(0)
    assert len(page.model.record_rows()) == len(rows)


def test_an_empty_year_says_so(ui_db, make_window) -> None:
    window = make_window(ui_db)
    page = _page(window, 2026)
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty
    assert "на 2026 год мероприятий пока нет" in page.empty.text()
    assert page.summary.text() == "Запланировано 0, проведено 0, участников 0"


def test_double_click_opens_the_event_card(demo_db, make_window, qtbot) -> None:
    window = make_window(demo_db)
    page = _page(window, 2023)
    row = next(n for n in range(page.model.rowCount()) if not page.model.is_header(n))
    event_id = page.model.row_id(row)
    rect = page.table.visualRect(page.model.index(row, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    cards = [w for w in window.open_windows if isinstance(w, EventCard)]
    assert [c.record_id for c in cards] == [event_id]


def test_an_event_added_from_the_page_joins_the_year(ui_db, make_window, qtbot) -> None:
    window = make_window(ui_db)
    page = _page(window, 2090)
    page.add_button.click()
    form = next(w for w in window.findChildren(EntityForm) if w.isVisible())
    assert form.editors["plan_year"].value() == "2090"
    type_text(form.editors["title"].widget, "Фестиваль педагогических идей")
    type_text(form.editors["starts_on"].widget.edit, "15.03.2090")
    with qtbot.waitSignal(form.saved, timeout=2000):
        form.save_button.click()
    rows = page.model.rows()
    assert rows[0][HEADER] == "Март — 1 мероприятие"
    assert rows[1]["title"] == "Фестиваль педагогических идей"
    assert page.summary.text() == "Запланировано 1, проведено 0 (0\u00a0%), участников 0"
    assert page.model.index(1, 6).data() == "запланировано"
