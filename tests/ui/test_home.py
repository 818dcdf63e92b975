"""The home page: group counts and links, «Показать все», the year's chart, failures shown as
a line; the bar chart's axis, wrapped labels and screenshots."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QLabel
from sqlalchemy.exc import OperationalError

from stazhirovka.db import Database
from stazhirovka.models import InternshipStatus
from stazhirovka.services.dashboard import attention
from stazhirovka.services.internships import InternshipService, RouteService, RouteStepService
from stazhirovka.services.organizations import AgreementService
from stazhirovka.services.registry import RegistryQuery, count
from stazhirovka.ui.charts import BarChart, format_value, nice_axis, wrap_two_lines
from stazhirovka.ui.home import HomePage
from tests import factories as f

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 22)
COMPETENCIES = [
    "Методические компетенции",
    "Проектно-исследовательские компетенции",
    "Оценочные компетенции (оценка качества образования)",
    "Психолого-педагогические компетенции",
    "Системно-деятельностный подход",
    "ИКТ и цифровые компетенции",
    "Здоровьесберегающие компетенции",
    "Проектирование предметно-развивающей среды",
]


def fill(db: Database) -> dict[str, int]:
    """Two active internships with overdue steps, one ending this month, an agreement to
    renew; the records' ids by name."""
    with db.session() as s:
        prog = f.program(s)
        mentor = f.master(s, prog.platform)
        ids = {}
        for surname, end, step_end in (
            ("Абрамова", date(2027, 5, 31), date(2026, 10, 1)),
            ("Борисова", date(2027, 5, 31), date(2026, 9, 1)),
            ("Васильева", date(2026, 11, 27), None),
        ):
            it = f.internship(
                s,
                prog,
                intern=f.person(s, surname, "Анна", "Петровна"),
                mentor=mentor,
                planned_end=end,
            )
            InternshipService().move(s, it.id, InternshipStatus.ACTIVE)
            if step_end:
                route = RouteService().create(s, {"internship_id": it.id})
                RouteStepService().create(
                    s,
                    {
                        "route_id": route.id,
                        "kind": "self_study",
                        "title": "Литература",
                        "planned_end": step_end,
                    },
                )
            ids[surname] = it.id
        partner = f.org(s, "КубГУ", kind="university")
        ids["agreement"] = (
            AgreementService()
            .create(
                s,
                {
                    "organization_id": partner.id,
                    "number": "15",
                    "signed_on": date(2023, 9, 1),
                    "valid_until": date(2026, 12, 20),
                },
            )
            .id
        )
    return ids


@pytest.fixture
def page(qtbot, ui_db) -> tuple[HomePage, dict[str, int]]:
    ids = fill(ui_db)
    home = HomePage(ui_db, today=lambda: TODAY)
    qtbot.addWidget(home)
    home.resize(1200, 800)
    home.show()
    return home, ids


def test_groups_show_their_counts(page):
    home, _ids = page
    assert home.title.text() == "Что требует внимания"
    assert home.date_label.text() == "22 ноября 2026 г."
    counts = {key: card.badge.text() for key, card in home.cards.items()}
    assert counts == {
        "overdue_steps": "2",
        "ending": "1",
        "agreements": "1",
        "no_entry_diagnostics": "3",
        "no_exit_diagnostics": "1",
    }
    ending = home.cards["ending"]
    assert "Нет" not in [label.text() for label in ending.findChildren(QLabel)]
    assert ending.more_label is not None and "Показать все (1)" in ending.more_label.text()
    assert not home.error_label.isVisible()


def test_a_group_without_records_says_no(qtbot, ui_db):
    home = HomePage(ui_db, today=lambda: TODAY)
    qtbot.addWidget(home)
    for card in home.cards.values():
        assert card.badge.text() == "0"
        assert card.item_labels == [] and card.more_label is None
        assert "Нет" in [label.text() for label in card.findChildren(QLabel)]


def test_clicking_an_item_opens_its_record(qtbot, page):
    home, ids = page
    card = home.cards["overdue_steps"]
    # The most urgent first: Борисова's step was due on 01.09, Абрамова's on 01.10.
    assert [label.property("record_id") for label in card.item_labels] == [
        ids["Борисова"],
        ids["Абрамова"],
    ]
    first = card.item_labels[0]
    assert "Борисова А.П." in first.text()
    with qtbot.waitSignal(home.open_record, timeout=2000) as blocker:
        qtbot.mouseClick(first, Qt.MouseButton.LeftButton, pos=QPoint(6, first.height() // 2))
    assert blocker.args == ["internships", ids["Борисова"]]

    agreement = home.cards["agreements"].item_labels[0]
    with qtbot.waitSignal(home.open_record, timeout=2000) as blocker:
        agreement.linkActivated.emit(f"agreements:{ids['agreement']}")
    assert blocker.args == ["agreements", ids["agreement"]]


def test_show_all_opens_the_registry_with_the_groups_filters(qtbot, page, ui_db):
    home, _ids = page
    card = home.cards["overdue_steps"]
    assert card.more_label is not None
    with qtbot.waitSignal(home.open_registry, timeout=2000) as blocker:
        qtbot.mouseClick(
            card.more_label, Qt.MouseButton.LeftButton, pos=QPoint(6, card.more_label.height() // 2)
        )
    name, filters = blocker.args
    assert (name, filters) == ("internships", {"status": "active", "overdue_on": TODAY})
    with ui_db.session() as s:
        assert count(s, name, RegistryQuery(filters=filters)) == 2


def test_the_chart_shows_the_year_by_month(page):
    home, _ids = page
    assert home.chart_title.text() == "Стажировки в 2026 году"
    categories = home.chart.categories()
    assert len(categories) == 12 and categories[0] == "янв" and categories[-1] == "дек"
    series = {name: values for name, values, _color in home.chart.series()}
    assert set(series) == {"Зачислено", "Завершено"}
    # The factories start every internship on 01.09.2025: nothing enrolled in 2026.
    assert series["Зачислено"] == [0.0] * 12 and series["Завершено"] == [0.0] * 12


def test_refresh_reads_again(qtbot, page, ui_db):
    home, ids = page
    with ui_db.session() as s:
        InternshipService().move(
            s, ids["Васильева"], InternshipStatus.COMPLETED, on=date(2026, 11, 20)
        )
    home.refresh()
    assert home.cards["ending"].badge.text() == "0"
    series = {name: values for name, values, _color in home.chart.series()}
    assert series["Завершено"][10] == 1.0  # November


def test_a_failing_query_shows_a_line_not_a_traceback(qtbot, ui_db, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("no such table: internship"))

    monkeypatch.setattr("stazhirovka.ui.home.attention", broken)
    with caplog.at_level(logging.ERROR, logger="stazhirovka.ui.home"):
        home = HomePage(ui_db, today=lambda: TODAY)
    qtbot.addWidget(home)
    assert not home.error_label.isHidden()
    assert home.error_label.text().startswith("Не удалось загрузить сводку")
    assert home.cards == {} and home.chart.categories() == []
    assert any(r.exc_info for r in caplog.records)


def test_home_page_on_the_district_demo(qtbot, demo_db, tmp_path: Path):
    home = HomePage(demo_db, today=lambda: TODAY)
    qtbot.addWidget(home)
    home.resize(1200, 800)
    home.show()
    qtbot.waitExposed(home)
    with demo_db.session() as s:
        groups = attention(s, TODAY)
    assert {g.key: str(g.count) for g in groups} == {
        key: card.badge.text() for key, card in home.cards.items()
    }
    assert any(g.count for g in groups)
    for g in groups:
        assert len(home.cards[g.key].item_labels) == len(g.items) <= 8
    # Nothing is clipped sideways at 1200×800: the cards fit the scroll area's width.
    viewport = home.scroll.viewport().width()
    for card in [*home.cards.values(), home.chart_card]:
        assert card.geometry().right() <= viewport
    assert home.body.direction().name == "LeftToRight"
    assert home.chart._layout().label_mode == "flat"  # month names stay level
    shot = home.grab()
    assert (shot.width(), shot.height()) == (1200, 800)
    assert shot.save(str(tmp_path / "home.png"))
    shot.save("/tmp/home.png")  # to look at
    # On a small screen the chart goes under the groups and the page scrolls.
    home.resize(800, 600)
    assert home.body.direction().name == "TopToBottom"
    assert home.scroll.verticalScrollBar().maximum() > 0


# -- the bar chart ---------------------------------------------------------------------------


def test_axis_steps_are_round():
    assert nice_axis(7, integers=True) == (8, 2)
    assert nice_axis(25, integers=True) == (30, 10)
    assert nice_axis(9, integers=True) == (10, 5)  # not 2,5 for counts
    assert nice_axis(0, integers=True) == (4, 1)
    assert nice_axis(100, integers=False, fixed=True) == (100, 25)
    assert nice_axis(0.8, integers=False) == (0.8, 0.2)


def test_values_read_in_russian():
    assert format_value(12.0) == "12"
    assert format_value(45.55, "%") in ("45,5%", "45,6%")
    assert format_value(9.96) == "10"
    assert format_value(1848) == "1848" and format_value(12500) == "12\u00a0500"


def test_long_labels_wrap_to_two_lines_then_elide(qapp):
    metrics = QFontMetricsF(QFont())
    width = metrics.horizontalAdvance("Проектно-исследова")
    lines = wrap_two_lines("Проектно-исследовательские компетенции", metrics, width)
    assert len(lines) == 2 and lines[0] == "Проектно-"
    assert lines[1].endswith("…")
    assert wrap_two_lines("ИКТ", metrics, width) == ["ИКТ"]
    long = "Оценочные компетенции (оценка качества образования)"
    narrow = metrics.horizontalAdvance("Оценочные компетенции")
    lines = wrap_two_lines(long, metrics, narrow)
    assert lines[0] == "Оценочные компетенции" and lines[1].endswith("…")
    assert all(metrics.horizontalAdvance(line) <= narrow + 0.5 for line in lines)


def test_chart_rejects_series_of_the_wrong_length(qtbot):
    chart = BarChart()
    qtbot.addWidget(chart)
    with pytest.raises(ValueError):
        chart.set_data(["янв", "фев"], [("Зачислено", [1.0], QColor("#4c78a8"))])


@pytest.mark.parametrize("width, mode", [(900, "wrap"), (330, "turned")])
def test_competency_chart_labels(qtbot, width, mode, tmp_path: Path):
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(width, 320)
    entry = [45.5, 38, 52, 61.2, 40, 70, 55, 33.3]
    exit_ = [78, 66.7, 80, 85, 62.5, 90, 72, 58]
    chart.set_data(
        COMPETENCIES,
        [("Входная", entry, QColor("#9dbbdc")), ("Итоговая", exit_, QColor("#3f7fbf"))],
        value_suffix="%",
        max_value=100,
    )
    chart.show()
    geo = chart._layout()
    assert geo.label_mode == mode
    assert geo.axis_top == 100 and geo.step == 25
    assert all(1 <= len(lines) <= 2 for lines in geo.labels)
    assert geo.plot.bottom() < chart.height() and geo.plot.height() > 100
    assert chart.tooltip_text(2).startswith("Оценочные компетенции (оценка качества образования)")
    assert "Итоговая: 80%" in chart.tooltip_text(2)
    assert chart.group_at(geo.plot.left() + geo.group_width * 2.5) == 2
    shot = chart.grab()
    assert shot.save(str(tmp_path / "chart.png"))
    shot.save(f"/tmp/chart_competencies_{width}.png")  # to look at


def test_with_a_runner_the_queries_run_in_a_worker(demo_db, qtbot) -> None:
    """In the window the page fills in from a worker; refreshes asked meanwhile coalesce."""
    from stazhirovka.ui.tasks import TaskRunner

    runner = TaskRunner()
    page = HomePage(demo_db, runner=runner, today=lambda: date(2026, 11, 22))
    qtbot.addWidget(page)
    page.refresh()  # while the first read runs: remembered, not started twice
    qtbot.waitUntil(lambda: not runner._running and bool(page.cards), timeout=10_000)
    assert not runner.busy  # a page's read never holds up closing the program
    assert runner.wait(10_000)
    with demo_db.session() as session:
        expected = {g.key: g.count for g in attention(session, date(2026, 11, 22))}
    assert {key: card.group.count for key, card in page.cards.items()} == expected
