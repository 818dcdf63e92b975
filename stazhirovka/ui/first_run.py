"""The welcome shown when the program opens a new, empty database: the demo district or a
clean start. ``app.first_run`` decides when to show it and starts the demo fill."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ..db import describe
from ..formats import plural

CHOICE_STYLE = (
    "QCommandLinkButton { border: 1px solid palette(mid); border-radius: 6px;"
    " padding: 10px 12px; background: palette(base); }"
    " QCommandLinkButton:hover, QCommandLinkButton:focus { border-color: palette(highlight); }"
)


@dataclass(frozen=True)
class DemoFacts:
    """What the district demo holds, read from the data it is built from."""

    municipality: str
    schools: int
    kindergartens: int
    platforms: int  # internship platforms working today
    persons: int
    internships: int
    events: int


def demo_facts() -> DemoFacts:
    from ..demo import SCALES, world

    kinds = [org["kind"] for org in world.ORGANIZATIONS]
    target = SCALES["district"]
    return DemoFacts(
        municipality=world.MUNICIPALITY,
        schools=kinds.count("school"),
        kindergartens=kinds.count("kindergarten"),
        platforms=sum(
            1 for p in world.PLATFORMS if p["kind"] == "стажировочная" and not p["active_to"]
        ),
        persons=target.persons,
        internships=target.internships,
        events=target.events,
    )


def _counted(n: int, one: str, few: str, many: str) -> str:
    """«19 школ», «1 500 педагогов» (thousands apart with a no-break space)."""
    return f"{n:,}".replace(",", "\u00a0") + "\u00a0" + plural(n, one, few, many)


class FirstRunDialog(QDialog):
    """Two big choices; :meth:`choice` is "demo" or "empty" (Esc and closing: "empty")."""

    def __init__(self, parent: QWidget | None = None, url: str | None = None) -> None:
        super().__init__(parent)
        self._choice = "empty"
        if url is None:
            ctx = getattr(parent, "ctx", None)
            url = ctx.db.url if ctx is not None else ""
        self.setWindowTitle(self.tr("Стажировка"))
        self._build(url)

    def choice(self) -> str:
        return self._choice

    def _build(self, url: str) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)

        title = QLabel(self.tr("Добро пожаловать в «Стажировку»"), self)
        font = QFont(title.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)

        intro = QLabel(
            self.tr(
                "База данных пока пуста. Можно сначала осмотреться на примере района "
                "или сразу начать вносить свои данные."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addSpacing(6)

        f = demo_facts()
        self.demo_button = QCommandLinkButton(
            self.tr("Открыть демонстрационный район"),
            self.tr(
                "{municipality}: {schools}, {kindergartens}, {platforms}, около {persons}, "
                "{internships} с маршрутами, журналами и диагностикой, {events} "
                "плана-графика. Люди вымышлены. Данные будут записаны в эту базу; для настоящей "
                "работы потом выберите другой файл в настройках."
            ).format(
                municipality=f.municipality,
                schools=_counted(f.schools, "школа", "школы", "школ"),
                kindergartens=_counted(
                    f.kindergartens, "детский сад", "детских сада", "детских садов"
                ),
                platforms=_counted(
                    f.platforms,
                    "стажировочная площадка",
                    "стажировочные площадки",
                    "стажировочных площадок",
                ),
                persons=_counted(f.persons, "педагога", "педагогов", "педагогов"),
                internships=_counted(f.internships, "стажировка", "стажировки", "стажировок"),
                events=_counted(f.events, "мероприятие", "мероприятия", "мероприятий"),
            ),
            self,
        )
        self.demo_button.clicked.connect(lambda: self._choose("demo"))
        layout.addWidget(self.demo_button)

        self.empty_button = QCommandLinkButton(
            self.tr("Начать с пустой базы"),
            self.tr(
                "Внесите свою методическую службу, организации, педагогов и площадки. "
                "Справочники (должности, компетенции, формы мероприятий) уже заполнены."
            ),
            self,
        )
        self.empty_button.clicked.connect(lambda: self._choose("empty"))
        layout.addWidget(self.empty_button)
        layout.addSpacing(8)

        where = describe(url) if url else ""
        self.path_label = QLabel(self.tr("База данных: {db}").format(db=where), self)
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        small = QFont(self.path_label.font())
        small.setPointSizeF(max(small.pointSizeF(), 9.0) * 0.9)
        self.path_label.setFont(small)
        self.path_label.setStyleSheet("color: palette(placeholder-text);")
        self.path_label.setVisible(bool(where))
        layout.addWidget(self.path_label)

        for button in (self.demo_button, self.empty_button):
            font = QFont(button.font())
            font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.12)
            button.setFont(font)
            button.setStyleSheet(CHOICE_STYLE)
        self.empty_button.setDefault(True)
        self.empty_button.setFocus()
        self.setMinimumWidth(660)

    def _choose(self, choice: str) -> None:
        self._choice = choice
        self.accept()

    def reject(self) -> None:
        self._choice = "empty"
        super().reject()
