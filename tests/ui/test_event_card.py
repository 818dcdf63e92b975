"""The event card: participants added from the persons registry, attendance ticked in the
table (saved at once), participants removed, the event marked held with its result."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox, QStyle, QStyleOptionViewItem
from sqlalchemy import select

from stazhirovka.models import Event, ParticipantRole, Participation
from stazhirovka.services.events import ParticipationService
from stazhirovka.ui.event_card import ATTENDED, EventCard, ParticipantPicker, dates_text
from stazhirovka.ui.forms import EntityForm
from tests import factories as f
from tests.ui.helpers import type_text

SURNAMES = ("Абрамова", "Белова", "Волкова", "Галкина", "Дроздова")


@pytest.fixture(autouse=True)
def _no_blocking_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed test leaves edits behind; closing its window must not wait for an answer."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def _world(db, registered: int = 0) -> tuple[int, list[int]]:
    """An event held in the past and five persons; the first ``registered`` take part."""
    with db.session() as s:
        school = f.org(s, "МБОУ СОШ № 7")
        people = [
            f.person(s, surname, "Анна", "Ивановна", organization_id=school.id).id
            for surname in SURNAMES
        ]
        event = f.event(s, starts_on=date(2025, 10, 15), plan_year=2025)
        for person_id in people[:registered]:
            ParticipationService().create(
                s, {"event_id": event.id, "person_id": person_id, "attended": False}
            )
        return event.id, people


def _card(window: Any, event_id: int) -> EventCard:
    card = window.open_record("events", event_id)
    assert isinstance(card, EventCard)
    return card


def _participations(db, event_id: int) -> dict[str, tuple[str, bool]]:
    with db.session() as s:
        rows = s.scalars(select(Participation).where(Participation.event_id == event_id)).all()
        return {p.person.surname: (p.role.value, p.attended) for p in rows}


def test_participants_are_added_from_the_persons_registry(ui_db, make_window, qtbot) -> None:
    event_id, _people = _world(ui_db, registered=1)
    window = make_window(ui_db)
    card = _card(window, event_id)
    assert card.counts.text() == "Участников: 1, присутствовали: 0"
    card.participants.add_button.click()
    picker = next(w for w in card.findChildren(ParticipantPicker) if w.isVisible())
    assert picker.attended.isChecked()  # the event is in the past: they were there
    with qtbot.waitSignal(picker.model.reloaded, timeout=2000):
        type_text(picker.search, "ивановна")
        picker.search.flush()
    assert picker.model.total() == 5
    picker.table.selectRow(0)  # Абрамова, already on the event as a listener
    picker.choose_button.click()
    assert "(уже участвует)" in picker.chosen.item(0).text()
    picker.search.setText("Волкова")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)  # Enter searches at once
    assert picker.isVisible()  # and does not close the dialog
    assert picker.model.total() == 1
    picker.table.selectRow(0)
    qtbot.waitUntil(picker.isActiveWindow, timeout=2000)
    picker.table.setFocus()
    qtbot.keyClick(picker.table, Qt.Key.Key_Return)
    assert picker.isVisible()  # Enter chose, the dialog stays
    picker.search.setText("Галкина")
    picker.search.flush()
    picker.table.selectRow(0)
    picker.choose_button.click()
    assert picker.chosen_ids() and picker.chosen.count() == 3
    assert picker.add_button.text() == "Добавить (3)"
    picker.role.setCurrentIndex(picker.role.findData(ParticipantRole.LISTENER.value))
    with qtbot.waitSignal(window.record_saved, timeout=2000):
        picker.add_button.click()
    assert _participations(ui_db, event_id) == {
        "Абрамова": ("listener", False),
        "Волкова": ("listener", True),
        "Галкина": ("listener", True),
    }
    assert card.counts.text() == "Участников: 3, присутствовали: 2"
    assert "Уже были в списке в этой роли: 1" in card.status.text()
    assert [r["person"] for r in card.participants.model.rows()] == [
        "Абрамова Анна Ивановна",
        "Волкова Анна Ивановна",
        "Галкина Анна Ивановна",
    ]


def _check_point(table: Any, row: int, column: int) -> QPoint:
    """Where a user clicks to tick the check box of a cell."""
    index = table.model().index(row, column)
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.rect = table.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    rect = table.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table
    )
    return rect.center()


def test_attendance_is_ticked_in_the_table_and_saved_at_once(
    ui_db, make_window, qtbot, qtmodeltester
) -> None:
    event_id, _people = _world(ui_db, registered=3)
    window = make_window(ui_db)
    card = _card(window, event_id)
    qtmodeltester.check(card.participants.model)
    table = card.participants.table
    column = [c.key for c in card.participants.model.columns].index(ATTENDED)
    assert card.participants.model.index(0, column).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Unchecked
    )
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=_check_point(table, 0, column)
    )
    assert _participations(ui_db, event_id)["Абрамова"] == ("listener", True)
    assert card.counts.text() == "Участников: 3, присутствовали: 1"
    assert not card.is_dirty()  # nothing waits for «Сохранить»
    # Space ticks the selected rows, wherever the cursor is.
    table.setFocus()
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert _participations(ui_db, event_id)["Белова"] == ("listener", True)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert _participations(ui_db, event_id)["Белова"] == ("listener", False)
    card.all_button.click()
    assert {a for _r, a in _participations(ui_db, event_id).values()} == {True}
    assert card.counts.text() == "Участников: 3, присутствовали: 3"
    assert not card.all_button.isEnabled()
    with ui_db.session() as s:
        assert s.get(Event, event_id).participations[0].attended


def test_a_participant_is_removed_after_a_question(ui_db, make_window, monkeypatch) -> None:
    event_id, _people = _world(ui_db, registered=2)
    window = make_window(ui_db)
    card = _card(window, event_id)
    card.participants.select_id(card.participants.model.rows()[0]["id"])
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.No,
    )
    card.participants.delete_button.click()
    assert asked == ["Убрать из списка участников: Абрамова Анна Ивановна?"]
    assert len(_participations(ui_db, event_id)) == 2
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    card.participants.delete_button.click()
    assert list(_participations(ui_db, event_id)) == ["Белова"]
    assert card.counts.text() == "Участников: 1, присутствовали: 0"


def test_the_list_filters_as_you_type(ui_db, make_window) -> None:
    event_id, _people = _world(ui_db, registered=5)
    window = make_window(ui_db)
    card = _card(window, event_id)
    card.filter.setText("гал")
    card.filter.flush()
    assert [r["person"] for r in card.participants.model.rows()] == ["Галкина Анна Ивановна"]
    assert card.participants.footer.text() == "Показано 1 из 5"
    assert card.counts.text() == "Участников: 5, присутствовали: 0"


def test_the_event_is_marked_held_with_its_result(ui_db, make_window, qtbot) -> None:
    event_id, _people = _world(ui_db)
    window = make_window(ui_db)
    card = _card(window, event_id)
    assert card.held_button.isVisible()
    assert "не проведено" in card.subheading.text()
    card.held_button.click()
    assert card.details.editors["held"].value() is True
    assert card.is_dirty()
    type_text(card.details.editors["result"].widget, "Проведено, 24 участника")
    with qtbot.waitSignal(window.record_saved, timeout=2000):
        card.save_button.click()
    with ui_db.session() as s:
        event = s.get(Event, event_id)
        assert (event.held, event.result) == (True, "Проведено, 24 участника")
    assert not card.held_button.isVisible()
    assert card.subheading.text().endswith("проведено")
    assert not card.is_dirty()


def test_wrong_dates_are_shown_at_the_field(ui_db, make_window) -> None:
    event_id, _people = _world(ui_db)
    window = make_window(ui_db)
    card = _card(window, event_id)
    type_text(card.details.editors["ends_on"].widget.edit, "01.10.2025")
    assert not card.save()
    assert card.details.editors["ends_on"].error.text() == "раньше даты начала"
    with ui_db.session() as s:
        assert s.get(Event, event_id).ends_on is None
    card.mark_clean()


def test_a_new_event_opens_its_card_once_saved(ui_db, make_window, qtbot) -> None:
    window = make_window(ui_db)
    form = window.create_record("events", {"plan_year": 2026})
    assert isinstance(form, EntityForm)
    assert form.editors["plan_year"].value() == "2026"
    type_text(form.editors["title"].widget, "Педагогическая гостиная")
    type_text(form.editors["starts_on"].widget.edit, "12.12.2026")
    with qtbot.waitSignal(form.saved, timeout=2000):
        form.save_button.click()
    cards = [w for w in window.open_windows if isinstance(w, EventCard)]
    assert len(cards) == 1 and cards[0].heading.text() == "Педагогическая гостиная"
    assert cards[0].counts.text() == "Участников пока нет"


def test_dates_read_as_in_a_plan() -> None:
    assert dates_text(date(2025, 10, 15), None) == "15.10.2025"
    assert dates_text(date(2025, 10, 15), date(2025, 10, 17)) == "15–17.10.2025"
    assert dates_text(date(2025, 10, 30), date(2025, 11, 2)) == "30.10–02.11.2025"
    assert dates_text(date(2025, 12, 30), date(2026, 1, 2)) == "30.12.2025–02.01.2026"
