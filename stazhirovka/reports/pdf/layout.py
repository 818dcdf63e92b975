"""The office style of every document (DOCUMENTS.md §5): A4, margins 30/10/20/20 mm, a serif
Cyrillic font embedded, page numbers centred at the top from page 2; the paragraph styles and
helpers, the page templates and :func:`render`.

Tables and their cells are in :mod:`.tables`, the letterhead, «УТВЕРЖДАЮ» and signature
blocks in :mod:`.blocks`. Documents build a list of flowables with these helpers and hand
it to :func:`render`, which writes the file atomically. Several documents go into one PDF:
each starts on a new page and numbers its own pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from ..output import ProgressFn, atomic_file, no_progress
from .fonts import SERIF, register_fonts

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 30 * mm, 10 * mm, 20 * mm, 20 * mm
BODY_SIZE = 12
TABLE_SIZE = 10
GRID = colors.HexColor("#404040")
HEADER_FILL = colors.HexColor("#EDEDED")


def _style(name: str, **kw: Any) -> ParagraphStyle:
    size = kw.pop("size", BODY_SIZE)
    kw.setdefault("leading", round(size * 1.2, 1))
    kw.setdefault("fontName", SERIF)
    # no paragraph leaves a single line behind at the foot of a page or alone at the top
    kw.setdefault("allowWidows", 0)
    kw.setdefault("allowOrphans", 0)
    return ParagraphStyle(name, fontSize=size, **kw)


STYLES = {
    "body": _style("body", alignment=TA_JUSTIFY, firstLineIndent=12.5 * mm, spaceAfter=2),
    "plain": _style("plain", alignment=TA_LEFT),
    "center": _style("center", alignment=TA_CENTER),
    "right": _style("right", alignment=TA_RIGHT),
    "title": _style("title", size=14, alignment=TA_CENTER, fontName=f"{SERIF}-Bold", spaceAfter=4),
    "subtitle": _style("subtitle", alignment=TA_CENTER, spaceAfter=8),
    "heading": _style("heading", size=13, fontName=f"{SERIF}-Bold", spaceBefore=10, spaceAfter=4),
    "letterhead": _style("letterhead", size=11, alignment=TA_CENTER, leading=13),
    "letterhead_bold": _style(
        "letterhead_bold", size=12, alignment=TA_CENTER, fontName=f"{SERIF}-Bold"
    ),
    "letterhead_small": _style("letterhead_small", size=9, alignment=TA_CENTER, leading=13),
    "cell": _style("cell", size=TABLE_SIZE, alignment=TA_LEFT),
    "cell_center": _style("cell_center", size=TABLE_SIZE, alignment=TA_CENTER),
    "cell_right": _style("cell_right", size=TABLE_SIZE, alignment=TA_RIGHT),
    "cell_head": _style(
        "cell_head", size=TABLE_SIZE, alignment=TA_CENTER, fontName=f"{SERIF}-Bold"
    ),
    "small": _style("small", size=9, alignment=TA_LEFT),
    "label": _style("label", size=BODY_SIZE, fontName=f"{SERIF}-Bold"),
}


def text(value: Any) -> str:
    """Plain text made safe for a Paragraph (its markup is XML); line breaks kept."""
    if value is None:
        return ""
    return escape(str(value)).replace("\n", "<br/>")


def para(value: Any, style: str = "body") -> Paragraph:
    return Paragraph(text(value), STYLES[style])


def markup(value: str, style: str = "body") -> Paragraph:
    """A Paragraph of ready markup (``<b>``, ``<i>``); escape data with :func:`text`."""
    return Paragraph(value, STYLES[style])


def title(value: str, subtitle: str = "") -> list[Flowable]:
    items: list[Flowable] = [para(value, "title")]
    if subtitle:
        items.append(para(subtitle, "subtitle"))
    return items


def heading(value: str) -> Flowable:
    return para(value, "heading")


def space(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def empty_note(message: str) -> Paragraph:
    """What a section says when it has nothing to list («Записей нет.»)."""
    return markup(f"<i>{text(message)}</i>", "plain")


def bullet_list(lines: Iterable[str], style: str = "plain") -> list[Flowable]:
    """Lines of plain text, each after a dash («— Формирование …»)."""
    return [markup(f"—&nbsp;{text(line)}", style) for line in lines]


# -- pages -------------------------------------------------------------------------------------


def content_width(orientation: str = "portrait") -> float:
    page = LANDSCAPE if orientation == "landscape" else PORTRAIT
    return page[0] - MARGIN_LEFT - MARGIN_RIGHT


class DocumentStart(Flowable):
    """Marks where the next document of a combined PDF begins: pages count from here."""

    width = height = 0

    def wrap(self, *_: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._stz_first_page = self.canv.getPageNumber()  # type: ignore[attr-defined]


def _number_page(canvas: Any, _doc: Any) -> None:
    """The page number centred in the top margin, from the second page of each document."""
    number = canvas.getPageNumber() - getattr(canvas, "_stz_first_page", 1) + 1
    if number < 2:
        return
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFont(SERIF, 11)
    canvas.drawCentredString(MARGIN_LEFT + (width - MARGIN_LEFT - MARGIN_RIGHT) / 2,
                             height - 12 * mm, str(number))  # fmt: skip
    canvas.restoreState()


def _template(name: str, size: tuple[float, float]) -> PageTemplate:
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        size[0] - MARGIN_LEFT - MARGIN_RIGHT,
        size[1] - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=name,
    )
    return PageTemplate(id=name, frames=[frame], pagesize=size, onPageEnd=_number_page)


def to_landscape() -> list[Flowable]:
    """Continue on a landscape page (a wide table), the following pages too."""
    return [NextPageTemplate("landscape"), PageBreak()]


def to_portrait() -> list[Flowable]:
    return [NextPageTemplate("portrait"), PageBreak()]


def keep_with_next(*items: Flowable, space_needed_mm: float = 40) -> list[Flowable]:
    """Start a section on a new page if little room is left (no heading alone at the bottom)."""
    return [CondPageBreak(space_needed_mm * mm), *items]


@dataclass(frozen=True)
class Meta:
    title: str
    author: str = ""
    subject: str = ""


@dataclass(frozen=True)
class Document:
    """One document of a PDF: the function laying it out (the batch reports progress and
    may be cancelled between two of them) and the orientation of its first page."""

    build: Callable[[], list[Flowable]]
    orientation: str = "portrait"


def render(
    path: Path | str,
    documents: Sequence[Document],
    meta: Meta,
    progress: ProgressFn = no_progress,
) -> Path:
    """Write one PDF of one or several documents, each starting on a new page in its own
    orientation and numbering its own pages; ``progress`` hears of each one laid out.
    The file appears only when complete."""
    register_fonts()
    story: list[Flowable] = []
    total = len(documents)
    for i, document in enumerate(documents):
        progress(i, total, "")
        if i:
            story += [NextPageTemplate(document.orientation), PageBreak()]
        story.append(DocumentStart())
        story += document.build()
    progress(total, total, "")
    templates = [_template("portrait", PORTRAIT), _template("landscape", LANDSCAPE)]
    if documents and documents[0].orientation == "landscape":
        templates.reverse()  # the first template is the first page's
    with atomic_file(path) as temp:
        doc = BaseDocTemplate(
            str(temp),
            pagesize=templates[0].pagesize,
            pageTemplates=templates,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            creator="Стажировка",
            lang="ru-RU",
        )
        doc.build(story)
    return Path(path)
