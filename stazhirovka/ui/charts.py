"""Charts painted with QPainter (PySide6-Essentials ships no QtCharts).

:class:`BarChart` draws grouped bars: one group per category, one bar per series, a value
axis with a few round gridlines, a legend, and values above the bars where they fit. Long
category labels (competency names) wrap to two lines and are elided after that; when the
groups are too narrow even for that, the labels are turned and elided. The full text of a
category and its values are in the tooltip.

The chart only paints what :meth:`BarChart.set_data` gave it; it never queries anything.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

Series = tuple[str, list[float], QColor]

_PAD = 8.0
_ROTATION = 40.0  # degrees, for labels of crowded groups
_MIN_WRAP_WIDTH = 44.0  # narrower groups turn their labels instead of wrapping them
_MAX_BAR = 40.0
_GROUP_FILL = 0.74  # the share of a group's width its bars take
_TOKENS = re.compile(r"\S+?-(?=\S)|\S+")  # words, and hyphenated words split after the hyphen


def format_value(value: float, suffix: str = "") -> str:
    """«12», «45,5», «12 500» — a Russian decimal comma, no trailing «,0», thousands
    grouped by a no-break space from five digits on."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        whole = int(rounded)
        text = f"{whole:,}".replace(",", "\u00a0") if abs(whole) >= 10_000 else str(whole)
        return text + suffix
    return f"{rounded:.1f}".replace(".", ",") + suffix


def nice_axis(top: float, integers: bool, fixed: bool = False) -> tuple[float, float]:
    """The axis maximum and the gridline step for data reaching ``top``: four or five round
    steps (1, 2, 2.5 or 5 times a power of ten; whole steps for counts). With ``fixed`` the
    maximum stays ``top`` (a percentage axis ends at 100)."""
    if top <= 0:
        top = 4.0 if integers else 1.0
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = power * 10
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw - 1e-12:
            step = factor * power
            break
    if integers and step != int(step):
        step = max(1.0, math.ceil(step))
        if step == 3:
            step = 5.0
    if fixed:
        return top, step
    return math.ceil(top / step - 1e-9) * step, step


def wrap_two_lines(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    """``text`` in at most two lines of ``width``: words (hyphenated ones may break after
    the hyphen) fill the first line, the rest goes to the second, elided if too long."""
    tokens = _TOKENS.findall(text)
    if not tokens:
        return [""]
    if metrics.horizontalAdvance(text) <= width:
        return [text]

    def joined(parts: list[str]) -> str:
        out = ""
        for part in parts:
            out += part if (not out or out.endswith("-")) else " " + part
        return out

    first: list[str] = []
    for i, token in enumerate(tokens):
        if metrics.horizontalAdvance(joined([*first, token])) <= width:
            first.append(token)
            continue
        if not first:  # one word longer than the line: elide it, go on with the rest
            first_line = metrics.elidedText(token, Qt.TextElideMode.ElideRight, width)
            rest = joined(tokens[i + 1 :])
        else:
            first_line = joined(first)
            rest = joined(tokens[i:])
        if not rest:
            return [first_line]
        return [first_line, metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
    return [joined(first)]


def _shown(labels: list[list[str]]) -> tuple[int, int]:
    """How much of the labels is readable: whole words shown, then characters shown."""
    words = chars = 0
    for lines in labels:
        for line in lines:
            words += sum(1 for token in _TOKENS.findall(line) if "…" not in token)
            chars += len(line.replace("…", ""))
    return words, chars


@dataclass
class _Geometry:
    plot: QRectF
    group_width: float
    bar_width: float
    axis_top: float
    step: float
    label_mode: str  # flat, wrap, turned
    labels: list[list[str]]
    small_labels: bool  # the labels are in the small font
    legend: list[tuple[QRectF, QRectF, int]]  # swatch, text rect, series index


class BarChart(QWidget):
    """Grouped bars with an axis, gridlines, a legend and category labels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._categories: list[str] = []
        self._series: list[Series] = []
        self._suffix = ""
        self._max_value: float | None = None
        self._geometry: _Geometry | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    # -- data ------------------------------------------------------------------------------

    def set_data(
        self,
        categories: list[str],
        series: list[tuple[str, list[float], QColor]],
        value_suffix: str = "",
        max_value: float | None = None,
    ) -> None:
        """Show ``series`` (name, one value per category, colour) over ``categories``."""
        for name, values, _color in series:
            if len(values) != len(categories):
                raise ValueError(
                    f"series {name!r} has {len(values)} values for {len(categories)} categories"
                )
        self._categories = list(categories)
        self._series = [(name, [float(v) for v in values], QColor(c)) for name, values, c in series]
        self._suffix = value_suffix
        self._max_value = max_value
        self._geometry = None
        self.updateGeometry()
        self.update()

    def categories(self) -> list[str]:
        return list(self._categories)

    def series(self) -> list[Series]:
        return list(self._series)

    def value_suffix(self) -> str:
        return self._suffix

    # -- size ------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        groups = max(len(self._categories), 1)
        bars = max(len(self._series), 1)
        width = 56 + groups * (bars * 16 + 18)
        return QSize(max(420, min(width, 900)), 280)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 170)

    def resizeEvent(self, event: object) -> None:
        self._geometry = None
        super().resizeEvent(event)  # type: ignore[arg-type]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._geometry = None
        super().changeEvent(event)

    # -- layout ----------------------------------------------------------------------------

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        size = font.pointSizeF()
        if size > 0:
            font.setPointSizeF(max(size * 0.88, 7.0))
        return font

    def _has_data(self) -> bool:
        return bool(self._categories and self._series)

    def _layout(self) -> _Geometry:
        if self._geometry is not None:
            return self._geometry
        fm = QFontMetricsF(self.font())
        small = QFontMetricsF(self._small_font())
        width, height = float(self.width()), float(self.height())

        values = [v for _name, vs, _c in self._series for v in vs]
        integers = all(abs(v - round(v)) < 1e-9 for v in values)
        if self._max_value is not None:
            axis_top, step = nice_axis(self._max_value, integers, fixed=True)
        else:
            axis_top, step = nice_axis(max(values, default=0.0), integers)

        # The legend: one row (more if it does not fit), centred above the plot.
        legend: list[tuple[QRectF, QRectF, int]] = []
        swatch = round(fm.height() * 0.62)
        rows: list[list[tuple[float, int]]] = [[]]
        row_width = 0.0
        for i, (name, _vs, _c) in enumerate(self._series):
            item = swatch + 6 + fm.horizontalAdvance(name)
            if rows[-1] and row_width + 18 + item > width - 2 * _PAD:
                rows.append([])
                row_width = 0.0
            row_width += (18 if rows[-1] else 0) + item
            rows[-1].append((item, i))
        y = _PAD
        for row in rows if self._series else []:
            total = sum(w for w, _i in row) + 18 * (len(row) - 1)
            x = max(_PAD, (width - total) / 2)
            for item, i in row:
                name = self._series[i][0]
                box = QRectF(x, y + (fm.height() - swatch) / 2, swatch, swatch)
                text = QRectF(x + swatch + 6, y, fm.horizontalAdvance(name) + 1, fm.height())
                legend.append((box, text, i))
                x += item + 18
            y += fm.height() + 4
        legend_bottom = y + 6 if legend else _PAD

        ticks = [axis_top * k / round(axis_top / step) for k in range(round(axis_top / step) + 1)]
        tick_width = max(
            (small.horizontalAdvance(format_value(t, self._suffix)) for t in ticks), default=0
        )
        left = _PAD + tick_width + 8
        right = width - _PAD
        groups = max(len(self._categories), 1)
        group_width = max((right - left) / groups, 1.0)
        room = group_width - 6

        label_widths = [fm.horizontalAdvance(c) for c in self._categories]
        small_labels = True
        if all(w <= room for w in label_widths):
            mode, labels, small_labels = "flat", [[c] for c in self._categories], False
            label_height = fm.height() + 6
        elif all(small.horizontalAdvance(c) <= group_width - 2 for c in self._categories):
            mode, labels = "flat", [[c] for c in self._categories]  # short, in the small font
            label_height = small.height() + 6
        else:
            # Long labels in the small font: two wrapped lines, or turned when that shows more.
            wrapped = [wrap_two_lines(c, small, room) for c in self._categories]
            angle = math.radians(_ROTATION)
            longest = min(
                max((small.horizontalAdvance(c) for c in self._categories), default=0.0),
                max(height * 0.36, 40.0),
            )
            turned = []
            for i, c in enumerate(self._categories):
                centre = left + group_width * (i + 0.5)
                fit = min(longest, (centre - 2) / math.cos(angle))
                turned.append([small.elidedText(c, Qt.TextElideMode.ElideRight, fit)])
            if room >= _MIN_WRAP_WIDTH and _shown(wrapped) >= _shown(turned):
                mode, labels = "wrap", wrapped
                lines = max((len(lines) for lines in labels), default=1)
                label_height = lines * small.lineSpacing() + 6
            else:
                mode, labels = "turned", turned
                reach = max((small.horizontalAdvance(lab[0]) for lab in labels), default=0.0)
                label_height = reach * math.sin(angle) + small.height() * math.cos(angle) + 8

        top = legend_bottom + small.height() * 0.5
        bottom = height - _PAD - label_height
        plot = QRectF(left, top, max(right - left, 1.0), max(bottom - top, 1.0))
        bars = max(len(self._series), 1)
        bar_width = max(min(group_width * _GROUP_FILL / bars, _MAX_BAR), 1.0)
        self._geometry = _Geometry(
            plot, group_width, bar_width, axis_top, step, mode, labels, small_labels, legend
        )
        return self._geometry

    def _bar_rect(self, geo: _Geometry, group: int, index: int, value: float) -> QRectF:
        bars = len(self._series)
        centre = geo.plot.left() + geo.group_width * (group + 0.5)
        x = centre - geo.bar_width * bars / 2 + geo.bar_width * index
        share = max(0.0, min(value / geo.axis_top, 1.0)) if geo.axis_top else 0.0
        h = geo.plot.height() * share
        gap = 1.0 if geo.bar_width > 6 else 0.0
        return QRectF(x + gap / 2, geo.plot.bottom() - h, geo.bar_width - gap, h)

    # -- painting --------------------------------------------------------------------------

    def _muted(self, alpha: int) -> QColor:
        color = QColor(self.palette().color(self.foregroundRole()))
        color.setAlpha(alpha)
        return color

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        try:
            if not self._has_data():
                painter.setPen(self._muted(150))
                painter.drawText(
                    QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.tr("Нет данных")
                )
                return
            geo = self._layout()
            self._paint_grid(painter, geo)
            self._paint_bars(painter, geo)
            self._paint_labels(painter, geo)
            self._paint_legend(painter, geo)
        finally:
            painter.end()

    def _paint_grid(self, painter: QPainter, geo: _Geometry) -> None:
        plot = geo.plot
        small = self._small_font()
        sfm = QFontMetricsF(small)
        painter.setFont(small)
        steps = round(geo.axis_top / geo.step) if geo.step else 0
        for k in range(steps + 1):
            value = geo.axis_top * k / steps if steps else 0.0
            y = round(plot.bottom() - plot.height() * (k / steps if steps else 0)) + 0.5
            painter.setPen(QPen(self._muted(110 if k == 0 else 32), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self._muted(160))
            text_rect = QRectF(_PAD, y - sfm.height() / 2, plot.left() - _PAD - 6, sfm.height())
            painter.drawText(
                text_rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                format_value(value, self._suffix),
            )

    def _paint_bars(self, painter: QPainter, geo: _Geometry) -> None:
        small = self._small_font()
        sfm = QFontMetricsF(small)
        painter.setFont(small)
        bars = [
            (self._bar_rect(geo, group, index, value), value, color)
            for index, (_name, values, color) in enumerate(self._series)
            for group, value in enumerate(values)
            if value > 0
        ]
        for rect, _value, color in bars:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            radius = min(2.5, rect.width() / 3, rect.height())
            painter.drawRoundedRect(rect, radius, radius)
            if rect.height() > radius:  # square bottom corners on the axis
                painter.drawRect(QRectF(rect.left(), rect.bottom() - radius, rect.width(), radius))

        # A value goes above its bar when it clears every other bar and stays in the widget;
        # all values drop their suffix when more of them fit so (the axis carries the unit).
        def placed(suffix: str) -> list[tuple[QRectF, str]]:
            out = []
            for rect, value, _color in bars:
                text = format_value(value, suffix)
                text_width = sfm.horizontalAdvance(text)
                text_rect = QRectF(
                    rect.center().x() - text_width / 2 - 1,
                    rect.top() - sfm.height() - 1,
                    text_width + 2,
                    sfm.height(),
                )
                clear = text_rect.adjusted(-1, 0, 1, 0)
                if text_rect.left() < 0 or text_rect.right() > self.width():
                    continue
                if any(other is not rect and other.intersects(clear) for other, _v, _c in bars):
                    continue
                out.append((text_rect, text))
            return out

        labels = placed(self._suffix)
        if self._suffix and len(labels) < len(bars):
            bare = placed("")
            if len(bare) > len(labels):
                labels = bare
        painter.setPen(self._muted(200))
        for text_rect, text in labels:
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_labels(self, painter: QPainter, geo: _Geometry) -> None:
        font = self._small_font() if geo.small_labels else self.font()
        fm = QFontMetricsF(font)
        painter.setFont(font)
        painter.setPen(self._muted(190))
        top = geo.plot.bottom() + 5
        for i, lines in enumerate(geo.labels):
            centre = geo.plot.left() + geo.group_width * (i + 0.5)
            if geo.label_mode == "turned":
                text = lines[0]
                advance = fm.horizontalAdvance(text)
                painter.save()
                painter.translate(centre + fm.ascent() * 0.35, top + 2)
                painter.rotate(-_ROTATION)
                painter.drawText(
                    QRectF(-advance, 0, advance + 1, fm.height()),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                    text,
                )
                painter.restore()
                continue
            for n, line in enumerate(lines):
                rect = QRectF(
                    centre - geo.group_width / 2,
                    top + n * fm.lineSpacing(),
                    geo.group_width,
                    fm.height(),
                )
                painter.drawText(
                    rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, line
                )

    def _paint_legend(self, painter: QPainter, geo: _Geometry) -> None:
        painter.setFont(self.font())
        for box, text_rect, i in geo.legend:
            name, _values, color = self._series[i]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(box, 2, 2)
            painter.setPen(self._muted(220))
            painter.drawText(
                text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name
            )

    # -- tooltips --------------------------------------------------------------------------

    def group_at(self, x: float) -> int | None:
        """The category under the horizontal position ``x``, if any."""
        if not self._has_data():
            return None
        geo = self._layout()
        if x < geo.plot.left() or x >= geo.plot.right():
            return None
        group = int((x - geo.plot.left()) // geo.group_width)
        return group if 0 <= group < len(self._categories) else None

    def tooltip_text(self, group: int) -> str:
        lines = [self._categories[group]]
        for name, values, _color in self._series:
            lines.append(f"{name}: {format_value(values[group], self._suffix)}")
        return "\n".join(lines)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            group = self.group_at(event.pos().x())
            if group is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_text(group), self)
            return True
        return super().event(event)
