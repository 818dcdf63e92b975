"""Tables of the office style: grid tables whose header (and the row of column numbers)
repeats on every page, their cells that break a long word at its own hyphen, a table kept
with a short tail, «label: value» lines and ruled lines to fill in by hand."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Table, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText

from .fonts import SERIF
from .layout import GRID, HEADER_FILL, STYLES, TABLE_SIZE, para, text
from .wording import nb


@dataclass(frozen=True)
class Column:
    """A table column: header, relative width and alignment of its cells."""

    header: str
    weight: float = 1
    align: str = "left"  # left · center · right


# -- cells -------------------------------------------------------------------------------------


@cache
def cell_style(
    align: str = "left", bold: bool = False, size: int = TABLE_SIZE, hyphens: bool = True
) -> ParagraphStyle:
    """A table cell's style. With ``hyphens`` a word too long for the rest of a line breaks
    at its own hyphen, on the next line if need be («предметно-|развивающей»); without, it
    breaks where the line ends («предм|етно-развивающей»)."""
    parent = STYLES[{"left": "cell", "center": "cell_center", "right": "cell_right"}[align]]
    return ParagraphStyle(
        f"{parent.name}_{size}{'_bold' if bold else ''}{'_hyphens' if hyphens else ''}",
        parent=parent,
        fontSize=size,
        leading=round(size * 1.2, 1),
        fontName=f"{SERIF}-Bold" if bold else parent.fontName,
        embeddedHyphenation=2 if hyphens else 0,
    )


OVERFLOW_LIMIT = 2.0  # points a line may run into the cell's padding (3 pt)


class Cell(Paragraph):
    """A table cell's paragraph that never runs out of its column: when a part of a word
    after its hyphen is still wider than the column («практико-|ориентированный»), which
    breaking at hyphens leaves as it is, the text is laid out again breaking words anywhere."""

    fallback: ParagraphStyle | None = None
    _parsed: list[Any] | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._fresh_fragments()
        size = super().wrap(avail_width, avail_height)
        if self.fallback is not None and isinstance(self.text, str) and self._overflows():
            self._setup(self.text, self.fallback, self.bulletText, None, cleanBlockQuotedText)
            self.fallback = None
            self._parsed = None
            self._fresh_fragments()
            size = super().wrap(avail_width, avail_height)
        return size

    def _fresh_fragments(self) -> None:
        """Lay out from the fragments as parsed. Breaking a word at its hyphen in a paragraph
        of several fragments («<i>Модуль 1.</i> …-…») changes them in reportlab, and the next
        layout (a table lays out its cells more than once) loses the hyphen: «предмет|
        нопространственная»."""
        if len(self.frags) < 2:
            return
        if self._parsed is None:
            self._parsed = copy.deepcopy(self.frags)
        else:
            self.frags = copy.deepcopy(self._parsed)

    def _overflows(self) -> bool:
        for line in self.blPara.lines:
            slack = line[0] if isinstance(line, tuple) else getattr(line, "extraSpace", 0)
            if slack < -OVERFLOW_LIMIT:
                return True
        return False


def markup_cell(
    value: str, align: str = "left", bold: bool = False, size: int = TABLE_SIZE
) -> Paragraph:
    """A table cell of ready markup (``<i>``, ``<br/>``; escape data with ``text``)."""
    paragraph = Cell(value, cell_style(align, bold, size))
    paragraph.fallback = cell_style(align, bold, size, hyphens=False)
    return paragraph


def cell(value: Any, align: str = "left", bold: bool = False, size: int = TABLE_SIZE) -> Paragraph:
    """A table cell of plain text (escaped; «№ N» kept on one line)."""
    return markup_cell(text(nb(value)), align, bold, size)


def cells(
    columns: Sequence[Column], values: Sequence[Any], bold: bool = False, size: int = TABLE_SIZE
) -> list[Paragraph]:
    """A row of cells aligned like their columns; a flowable among ``values`` stays as it is."""
    return [
        v if isinstance(v, Flowable) else cell(v, c.align, bold, size)
        for c, v in zip(columns, values, strict=True)
    ]


# -- tables ------------------------------------------------------------------------------------


def data_table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    width: float,
    *,
    numbered: bool = True,
    total: Sequence[Any] | None = None,
    size: int = TABLE_SIZE,
) -> Table:
    """A grid table. Cells wrap (:func:`cell`: a long word breaks at its own hyphen); the
    header and the row of column numbers (1, 2, 3…) repeat on every page; a total row is set
    in bold, aligned like its columns, and never goes to a page without the row above it."""
    head_style = ParagraphStyle(
        f"head{size}", parent=STYLES["cell_head"], fontSize=size, leading=size * 1.2
    )
    data: list[list[Any]] = [[Paragraph(text(c.header), head_style) for c in columns]]
    if numbered:
        number_style = cell_style("center", size=size)
        data.append([Paragraph(str(i), number_style) for i in range(1, len(columns) + 1)])
    header_rows = len(data)
    data += [cells(columns, row, size=size) for row in rows]
    if total is not None:
        data.append(cells(columns, total, bold=True, size=size))
    weights = sum(c.weight for c in columns)
    table = Table(
        data,
        colWidths=[width * c.weight / weights for c in columns],
        repeatRows=header_rows,
        hAlign="LEFT",
    )
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if total is not None:
        commands.append(("NOSPLIT", (0, -2), (-1, -1)))  # the total under the last row
    table.setStyle(TableStyle(commands))
    return table


class TableThenTail(Flowable):
    """A table followed by a short tail (a signature block) that never starts a page alone:
    when the tail does not fit under the end of the table, the table's last ``rows`` rows go
    over to the next page with it (under the repeated header). A row taller than a whole
    page (``page_height``) is split inside; other rows move to the next page whole."""

    def __init__(
        self, table: Table, tail: Sequence[Flowable], rows: int = 1, page_height: float = 0
    ) -> None:
        super().__init__()
        self.table = table
        self.tail: list[Flowable] = []
        for item in tail:  # a KeepTogether is flattened: this flowable keeps them together
            is_group = isinstance(item, KeepTogether)
            self.tail += list(getattr(item, "_content", [item])) if is_group else [item]
        self.rows = rows
        self.page_height = page_height
        self._table_height = 0.0
        self._tail_heights: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, self._table_height = self.table.wrap(avail_width, avail_height)
        self._tail_heights = [
            f.getSpaceBefore() + f.wrap(avail_width, avail_height)[1] + f.getSpaceAfter()
            for f in self.tail
        ]
        self.width = avail_width
        self.height = self._table_height + sum(self._tail_heights)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height:
            return [self]
        heights = self.table._rowHeights
        header = sum(heights[: self.table.repeatRows])
        tall = bool(self.page_height) and any(
            h > self.page_height - header for h in heights[self.table.repeatRows :]
        )
        self.table.splitInRow = 1 if tall else 0
        carry = self._table_height <= avail_height  # the table fits here, its tail does not
        limit = sum(heights[: max(len(heights) - self.rows, 0)]) - 0.01 if carry else avail_height
        parts = self.table.split(avail_width, limit)
        if len(parts) < 2:
            return []  # nothing fits here: all of it on the next page
        # The rest starts on the next page: left in this one's remaining space, a tall row
        # would be split there under a second copy of the header.
        rest = TableThenTail(parts[1], self.tail, self.rows, self.page_height)
        return [parts[0], PageBreak(), rest]

    def draw(self) -> None:
        y = self.height - self._table_height
        self.table.drawOn(self.canv, 0, y)
        for item, height in zip(self.tail, self._tail_heights, strict=True):
            y -= height
            item.drawOn(self.canv, 0, y + item.getSpaceAfter())


def fields(pairs: Iterable[tuple[str, Any]], width: float, label_share: float = 0.34) -> Table:
    """«Label: value» lines of a passport section; empty values print a dash."""
    data = [
        [para(label, "plain"), para(value if value not in (None, "") else "—", "plain")]
        for label, value in pairs
    ]
    table = Table(data, colWidths=[width * label_share, width * (1 - label_share)])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("FONTNAME", (0, 0), (0, -1), f"{SERIF}-Bold"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def blank_lines(count: int, width: float) -> Table:
    """Ruled lines to write on by hand."""
    table = Table([[""] for _ in range(count)], colWidths=[width], rowHeights=[8 * mm] * count)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table
