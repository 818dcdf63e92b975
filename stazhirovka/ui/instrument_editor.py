"""The diagnostic instrument editor: the scale, the level thresholds and the deficit mark
edited in place, and the indicators grouped by competency (add, edit, delete, reorder)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..errors import DeleteRefusedError
from ..formats import plural
from ..models import Assessment, Competency, Indicator, Instrument
from ..services.diagnostics import IndicatorService, InstrumentService
from ..services.programs import close_gaps, renumber
from .child_table import (
    HEADER,
    ChildColumn,
    ChildTable,
    EditorWindow,
    RecordDetails,
    muted_color,
    open_editor,
    scrolled,
    title_font,
)
from .entities import EntityKind
from .errors import report, show_error
from .forms import EntityForm
from .main_window import MainWindow

log = logging.getLogger(__name__)

# The indicator form: the number follows the order in the table («Выше»/«Ниже»).
INDICATOR_KIND = EntityKind(
    "indicators",
    IndicatorService,
    "Новый показатель",
    sections=(("", ("competency_id", "code", "text")),),
)

INDICATOR_COLUMNS = (
    ChildColumn("position", "№", kind="int", width=3),
    ChildColumn("code", "Код", width=8),
    ChildColumn("text", "Формулировка показателя", width=60, stretch=True),
)


def _int(text: Any) -> int | None:
    """A whole number as typed, or None (the service names the problem on saving)."""
    try:
        return int(str(text).replace(" ", "").strip())
    except ValueError:
        return None


class InstrumentEditor(EditorWindow):
    registry = "instruments"
    default_size = (1200, 780)

    def __init__(self, window: MainWindow, record_id: int) -> None:
        super().__init__(window, record_id)
        self.service = InstrumentService()
        self.indicator_service = IndicatorService()
        self._build()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel(self)
        self.heading.setFont(title_font(self, 1.3))
        self.heading.setWordWrap(True)
        self.subheading = QLabel(self)
        self.subheading.setStyleSheet(f"color: {muted_color(self)};")

        self.details = RecordDetails(
            self.db,
            self.service,
            (
                ("Методика", ("title", "kind", "description")),
                (
                    "Шкала и уровни",
                    (
                        "scale_min",
                        "scale_max",
                        "scale_labels",
                        "low_threshold",
                        "high_threshold",
                        "deficit_max_score",
                    ),
                ),
            ),
            self,
        )
        labels = self.details.editors["scale_labels"].widget
        labels.setPlaceholderText(
            self.tr("по одной на балл через «|»: не владею|владею частично|…")
        )
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setStyleSheet(f"color: {muted_color(self)};")
        self.details.boxes["Шкала и уровни"].layout().addRow(self.explanation)
        self.details.edited.connect(self._edited)
        description = self.details.editors["description"].widget
        description.setFixedHeight(description.fontMetrics().lineSpacing() * 6 + 12)
        self.details.body.addStretch(1)
        left = scrolled(self.details, self)
        left.setMinimumWidth(400)

        self.indicators = ChildTable(INDICATOR_COLUMNS, self, add_text="Добавить показатель…")
        self.indicators.add_requested.connect(self.add_indicator)
        self.indicators.edit_requested.connect(self.edit_indicator)
        self.indicators.delete_requested.connect(self.delete_indicators)
        self.indicators.move_requested.connect(self.move_indicator)
        self.indicators.up_button.setToolTip(
            self.tr("Переместить выше в своей компетенции (Ctrl+↑)")
        )
        self.indicators.down_button.setToolTip(
            self.tr("Переместить ниже в своей компетенции (Ctrl+↓)")
        )
        box = QGroupBox(self.tr("Показатели по компетенциям"), self)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.indicators)

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([480, 700])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(splitter, 1)
        layout.addLayout(self.bottom_bar())

    def _edited(self) -> None:
        self._explain()
        self.update_dirty()

    def _explain(self) -> None:
        """What the scale and thresholds mean, in words, as they are typed."""
        values = self.details.values()
        low, high = _int(values["low_threshold"]), _int(values["high_threshold"])
        deficit = _int(values["deficit_max_score"])
        low_min, high_max = _int(values["scale_min"]), _int(values["scale_max"])
        lines = []
        labels = [p.strip() for p in (values["scale_labels"] or "").split("|") if p.strip()]
        if labels and low_min is not None:
            points = "; ".join(f"{low_min + i} — {label}" for i, label in enumerate(labels))
            lines.append(self.tr("Шкала: {points}.").format(points=points))
            if high_max is not None and len(labels) != high_max - low_min + 1:
                lines.append(
                    "<span style='color:#b3261e'>"
                    + self.tr("Подписей {n}, а баллов на шкале {m}.").format(
                        n=len(labels), m=high_max - low_min + 1
                    )
                    + "</span>"
                )
        if low is not None and high is not None and low < high:
            lines.append(
                self.tr(
                    "Уровень компетенции: низкий — меньше {low} % от максимума, "
                    "средний — от {low} до {high_less} %, высокий — от {high} %."
                ).format(low=low, high=high, high_less=high - 1)
            )
        if deficit is not None:
            lines.append(
                self.tr(
                    "Профессиональный дефицит — показатель, оценённый не выше {n} {word}."
                ).format(n=deficit, word=plural(deficit, "балла", "баллов", "баллов"))
            )
        self.explanation.setText("<br>".join(lines))

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        with self.db.session() as session:
            instrument = self.service.get(session, self.record_id)
            self.details.load(instrument)
        self._explain()
        self.reload_indicators()
        self.update_dirty()

    def _indicator_rows(self, session: Session) -> list[dict[str, Any]]:
        """Indicators in order, grouped under their competencies (in order of first use)."""
        rows = session.execute(
            select(
                Indicator.id,
                Indicator.position,
                Indicator.code,
                Indicator.text,
                Indicator.competency_id,
                Competency.name,
            )
            .join(Competency, Competency.id == Indicator.competency_id)
            .where(Indicator.instrument_id == self.record_id)
            .order_by(Indicator.position)
        ).all()
        groups: dict[int, list[dict[str, Any]]] = {}
        names: dict[int, str] = {}
        for ind_id, position, code, text, comp_id, comp_name in rows:
            names[comp_id] = comp_name
            groups.setdefault(comp_id, []).append(
                {
                    "id": ind_id,
                    "position": position,
                    "code": code,
                    "text": text,
                    "competency_id": comp_id,
                }
            )
        result: list[dict[str, Any]] = []
        for comp_id, items in groups.items():
            n = len(items)
            result.append(
                {
                    HEADER: f"{names[comp_id]} — {n} "
                    + plural(n, "показатель", "показателя", "показателей"),
                    "competency_id": comp_id,
                }
            )
            result.extend(items)
        return result

    def reload_indicators(self, select_id: int | None = None) -> None:
        with self.db.session() as session:
            instrument = self.service.get(session, self.record_id)
            rows = self._indicator_rows(session)
            used = session.scalar(
                select(func.count())
                .select_from(Assessment)
                .where(Assessment.instrument_id == self.record_id)
            )
            title = instrument.title
            kind = self.details.editors["kind"].widget.currentText()
        self.indicators.set_rows(rows, select=select_id)
        records = [r for r in rows if HEADER not in r]
        groups = len(rows) - len(records)
        n = len(records)
        footer = (
            self.tr("{n} {word} по {g} {gword}.").format(
                n=n,
                word=plural(n, "показатель", "показателя", "показателей"),
                g=groups,
                gword=plural(groups, "компетенции", "компетенциям", "компетенциям"),
            )
            if n
            else self.tr("Показателей пока нет. Добавьте первый: «Добавить показатель…».")
        )
        if used:
            footer += " " + self.tr(
                "Методикой проведено {n} {word}: шкалу нельзя сузить так, чтобы "
                "выставленные оценки вышли за её пределы."
            ).format(n=used, word=plural(used, "диагностика", "диагностики", "диагностик"))
        self.indicators.footer.setText(footer)
        self.heading.setText(title)
        self.subheading.setText(self.tr("Диагностическая методика · {kind}").format(kind=kind))
        self.set_title(self.tr("Методика: {title}").format(title=title))

    # -- state -------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.details.is_dirty()

    def mark_clean(self) -> None:
        self.details.mark_clean()
        self.update_dirty()

    def save_details(self) -> bool:
        if not self.save_record(self.details):
            return False
        self.reload_indicators()
        return True

    # -- indicators --------------------------------------------------------------------------

    def _competency_choices(self) -> list[tuple[int, str]]:
        with self.db.session() as session:
            used = select(Indicator.competency_id).where(Indicator.instrument_id == self.record_id)
            rows = session.execute(
                select(Competency.id, Competency.name)
                .where(or_(Competency.active.is_(True), Competency.id.in_(used)))
                .order_by(Competency.sort_order, Competency.name)
            ).all()
        return [(int(i), name) for i, name in rows]

    def _current_competency(self) -> int | None:
        index = self.indicators.table.currentIndex()
        row = self.indicators.model.row(index.row()) if index.isValid() else None
        return row.get("competency_id") if row else None

    def _indicator_form(self, indicator_id: int | None) -> EntityForm:
        defaults = {}
        competency = self._current_competency()
        if indicator_id is None and competency is not None:
            defaults["competency_id"] = competency
        form = EntityForm(
            self.db,
            INDICATOR_KIND,
            indicator_id,
            defaults=defaults,
            fixed={"instrument_id": self.record_id},
            choices={"competency_id": self._competency_choices()},
            actor=self.ctx.actor,
            parent=self,
        )
        form.saved.connect(lambda iid: self._indicators_changed(iid))
        form.deleted.connect(lambda _iid: self._indicator_deleted())
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return form

    def add_indicator(self) -> None:
        try:
            self._indicator_form(None).open()
        except Exception as exc:
            show_error(self, exc, "indicator form")

    def edit_indicator(self, indicator_id: int) -> None:
        try:
            self._indicator_form(indicator_id).open()
        except Exception as exc:
            show_error(self, exc, "indicator form")

    def _indicators_changed(self, select_id: int | None = None) -> None:
        self.reload_indicators(select_id)
        self.main.saved(self.registry, self.record_id)

    def _indicator_deleted(self) -> None:
        try:
            with self.db.session() as session:
                self._compact(session)
        except Exception as exc:
            show_error(self, exc, "indicator renumber")
        self._indicators_changed()

    def _compact(self, session: Session) -> None:
        """Number the remaining indicators 1, 2, 3… again after a deletion."""
        session.expire_all()
        instrument = session.get(Instrument, self.record_id)
        if instrument is not None:
            close_gaps(session, instrument.indicators)

    def delete_indicators(self, ids: list[int]) -> None:
        rows = {r["id"]: r for r in self.indicators.model.record_rows()}
        text = rows[ids[0]]["text"]
        if len(text) > 80:
            text = text[:79] + "…"
        answer = QMessageBox.question(
            self,
            self.tr("Удаление показателя"),
            self.tr("Удалить показатель «{text}»? Это действие нельзя отменить.").format(text=text),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.db.session() as session:
                for indicator_id in ids:
                    self.indicator_service.delete(session, indicator_id, actor=self.ctx.actor)
                self._compact(session)
        except DeleteRefusedError as exc:
            report(exc, "indicator delete")
            QMessageBox.information(self, self.tr("Удаление невозможно"), str(exc))
            return
        except Exception as exc:
            show_error(self, exc, "indicator delete")
            return
        self._indicators_changed()

    def move_indicator(self, indicator_id: int, step: int) -> None:
        """Move an indicator past its neighbour of the same competency (the groups stay)."""
        records = self.indicators.model.record_rows()
        ids = [r["id"] for r in records]
        if indicator_id not in ids:
            return
        here = ids.index(indicator_id)
        competency = records[here]["competency_id"]
        order = sorted(range(len(records)), key=lambda i: records[i]["position"])
        siblings = [i for i in order if records[i]["competency_id"] == competency]
        place = siblings.index(here) + step
        if not 0 <= place < len(siblings):
            return
        neighbour = records[siblings[place]]["id"]
        try:
            with self.db.session() as session:
                instrument = self.service.get(session, self.record_id)
                items = instrument.indicators
                moved = next(i for i in items if i.id == indicator_id)
                target = next(n for n, i in enumerate(items) if i.id == neighbour)
                renumber(session, items, moved, target + 1)
        except Exception as exc:
            show_error(self, exc, "indicator move")
            return
        self._indicators_changed(indicator_id)
        self.indicators.table.setFocus()


def open_instrument_editor(
    window: MainWindow, record_id: int | None, defaults: dict[str, Any]
) -> QWidget | None:
    return open_editor(window, InstrumentEditor, record_id, defaults)
