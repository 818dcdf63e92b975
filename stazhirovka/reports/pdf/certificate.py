"""The certificate (DOCUMENTS.md §4): A4 landscape, drawn straight on the canvas (a thousand
of them go to print at once, MEASURED.md), wording in the dative («выдан … в том, что она
прошла…») or the nominative («подтверждает, что …»), a number, signatures with «М.П.» and a
QR code carrying the signed verification code at the bottom right (ГОСТ Р 7.0.97-2025).

Not «удостоверение», never «о повышении квалификации» (§4.1): a methodical service without
a licence for further education confirms participation and hours only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit

from ...formats import long_date
from ...grammar import agreement, hours_phrase, period_phrase
from ..output import ProgressFn, StagedFiles, no_progress, safe_file_name
from .fonts import SERIF, register_fonts

PAGE = landscape(A4)
MARGIN = 20 * mm
WIDTH = PAGE[0] - 2 * MARGIN
QR_SIZE = 30 * mm
BOLD = f"{SERIF}-Bold"
ITALIC = f"{SERIF}-Italic"

ROLE_GENITIVE = {"listener": "слушателя", "speaker": "выступающего", "host": "ведущего"}
TITLES = {
    "internship": "СЕРТИФИКАТ",
    "participation": "СЕРТИФИКАТ УЧАСТНИКА",
    "speaker": "СЕРТИФИКАТ",
    "thanks": "БЛАГОДАРНОСТЬ",
}


@dataclass(frozen=True)
class CertificateView:
    """Everything one certificate prints, as plain values (built from the register)."""

    number: str
    kind: str  # CertificateKind value
    issued_on: date
    holder: str  # «Иванова Мария Сергеевна»
    holder_dative: str  # «Ивановой Марии Сергеевне»
    sex: str  # M / F
    position: str  # «учитель математики»
    position_dative: str  # «учителю математики»
    organization: str  # «МБОУ СОШ № 12»
    basis_title: str  # the program or the event
    hours: float | None
    start: date | None = None
    end: date | None = None
    platform: str = ""  # the platform's organization («МБОУ гимназия № 5»)
    event_form: str = ""  # «семинар»
    event_level: str = ""  # «муниципальный»
    venue: str = ""
    role: str = "listener"  # the role at the event
    founder: str = ""
    issuer: str = ""
    city: str = ""
    signatories: tuple[tuple[str, str], ...] = ()  # (position, «А.В. Кузнецова»)
    wording: str = "dative"  # or «nominative»
    duplicate: bool = False
    code: str = ""  # the signed verification code (the QR code's text)
    short_code: str = ""  # the register's code, printed under the QR code

    @property
    def file_name(self) -> str:
        return safe_file_name(self.holder, self.number)


# -- wording -----------------------------------------------------------------------------------


def body_lines(view: CertificateView) -> list[tuple[str, str, float]]:
    """The certificate's text as (text, font, size) paragraphs, before wrapping."""
    dative = view.wording == "dative"
    words = agreement(view.sex)
    lines: list[tuple[str, str, float]] = []
    if dative:
        lines.append(("Настоящий сертификат выдан", SERIF, 15))
        lines.append((view.holder_dative or view.holder, BOLD, 21))
        who = " ".join(p for p in (view.position_dative, view.organization) if p)
    else:
        lines.append(("Настоящий сертификат подтверждает, что", SERIF, 15))
        lines.append((view.holder, BOLD, 21))
        who = " ".join(p for p in (view.position, view.organization) if p)
    if who:
        lines.append((who + ",", SERIF, 14))
    intro = f"в том, что {words.pronoun} " if dative else ""
    hours = hours_phrase(view.hours) if view.hours else ""
    if view.kind == "internship":
        where = f" на базе стажировочной площадки {view.platform}" if view.platform else ""
        lines.append((f"{intro}{words.completed} стажировку{where}", SERIF, 14))
        lines.append((f"по программе «{view.basis_title}»", ITALIC, 14))
        tail = [f"в объёме {hours}" if hours else "", period_phrase(view.start, view.end)]
        lines.append((" ".join(t for t in tail if t), SERIF, 14))
    else:
        lines.append((f"{intro}{words.took_part} участие в мероприятии", SERIF, 14))
        lines.append((f"«{view.basis_title}»", ITALIC, 14))
        about = ", ".join(
            p for p in (view.event_form, f"{view.event_level} уровень" if view.event_level else "")
            if p
        )  # fmt: skip
        role = ROLE_GENITIVE.get(view.role, "участника")
        detail = [f"({about})" if about else "", f"в качестве {role}"]
        if hours:
            detail.append(f"в объёме {hours}")
        lines.append((" ".join(d for d in detail if d), SERIF, 14))
        when = _event_dates(view.start, view.end)
        lines.append((", ".join(p for p in (when, view.venue) if p), SERIF, 14))
    return [line for line in lines if line[0]]


def _event_dates(start: date | None, end: date | None) -> str:
    if start and end and end != start:
        return period_phrase(start, end)
    return long_date(start, quoted=False) if start else ""


# -- drawing -----------------------------------------------------------------------------------


def _wrap(lines: list[tuple[str, str, float]], scale: float) -> list[tuple[str, str, float]]:
    out = []
    for text, font, size in lines:
        size *= scale
        for part in simpleSplit(text, font, size, WIDTH - 10 * mm):
            out.append((part, font, size))
    return out


def _fit(view: CertificateView, space: float) -> list[tuple[str, str, float]]:
    """Wrap the body, shrinking it until it fits (a very long program title)."""
    lines = body_lines(view)
    scale = 1.0
    while True:
        wrapped = _wrap(lines, scale)
        if sum(size * 1.35 for _t, _f, size in wrapped) <= space or scale < 0.6:
            return wrapped
        scale -= 0.05


def draw_certificate(canvas: Any, view: CertificateView) -> None:
    width, height = PAGE
    center = width / 2
    # a thin double frame: decoration outside the 20 mm text margin
    canvas.setStrokeColorRGB(0.25, 0.3, 0.45)
    canvas.setLineWidth(1.6)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.5)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setFillColorRGB(0, 0, 0)

    y = height - MARGIN - 4 * mm
    for text, font, size in _wrap([(view.founder, SERIF, 11), (view.issuer, BOLD, 12.5)], 1):
        canvas.setFont(font, size)
        canvas.drawCentredString(center, y, text)
        y -= size * 1.3
    y = min(y - 8 * mm, height - 62 * mm)
    title = TITLES.get(view.kind, "СЕРТИФИКАТ")
    canvas.setFont(BOLD, 34)
    canvas.setFillColorRGB(0.12, 0.2, 0.4)
    canvas.drawCentredString(center, y, title)
    canvas.setFillColorRGB(0, 0, 0)
    y -= 9 * mm
    canvas.setFont(SERIF, 13)
    canvas.drawCentredString(center, y, f"№ {view.number}")
    if view.duplicate:
        y -= 6 * mm
        canvas.setFont(BOLD, 12)
        canvas.drawCentredString(center, y, "ДУБЛИКАТ")
    y -= 12 * mm

    bottom = MARGIN + 56 * mm  # signatures, place and date, QR code below
    body = _fit(view, y - bottom)
    height_needed = sum(size * 1.35 for _t, _f, size in body) + 4 * mm
    y -= max(0.0, (y - bottom - height_needed) / 3)  # a little lower when the text is short
    for text, font, size in body:
        if font == BOLD:  # the holder's name stands apart from the lines around it
            y -= 2 * mm
        canvas.setFont(font, size)
        canvas.drawCentredString(center, y, text)
        y -= size * 1.35 + (2 * mm if font == BOLD else 0)

    _draw_signatures(canvas, view.signatories)
    canvas.setFont(SERIF, 12)
    canvas.drawString(MARGIN + 5 * mm, MARGIN + 9 * mm, view.city or "")
    canvas.drawString(MARGIN + 5 * mm, MARGIN + 3 * mm, long_date(view.issued_on))
    if view.code:
        _draw_qr(canvas, view.code, width - MARGIN - QR_SIZE, MARGIN, QR_SIZE)
        canvas.setFont(SERIF, 8)
        caption_x = width - MARGIN - QR_SIZE - 3 * mm
        canvas.drawRightString(caption_x, MARGIN + 11 * mm, "Проверка подлинности:")
        canvas.drawRightString(caption_x, MARGIN + 7 * mm, "stazhirovka verify")
        canvas.drawRightString(caption_x, MARGIN + 3 * mm, f"код {view.short_code}")
    canvas.showPage()


def _draw_signatures(canvas: Any, signatories: Sequence[tuple[str, str]]) -> None:
    y = MARGIN + 44 * mm
    for i, (position, name) in enumerate(signatories[:2]):
        row_y = y - i * 12 * mm
        canvas.setFont(SERIF, 12)
        for j, part in enumerate(simpleSplit(position or "", SERIF, 12, 105 * mm)[:2]):
            canvas.drawString(MARGIN + 5 * mm, row_y - j * 4.6 * mm, part)
        canvas.setLineWidth(0.5)
        canvas.setStrokeColorRGB(0, 0, 0)
        canvas.line(MARGIN + 115 * mm, row_y - 1 * mm, MARGIN + 160 * mm, row_y - 1 * mm)
        canvas.drawString(MARGIN + 165 * mm, row_y, name)
        if i == 0:
            canvas.setFont(SERIF, 10)
            canvas.drawString(MARGIN + 100 * mm, row_y - 8 * mm, "М.П.")


def qr_matrix(code: str) -> list[bytes]:
    """The QR code's modules, one row of bytes per line (0 = dark), at error level M (a stamp
    or a fold may damage up to 15 %). zxing-cpp encodes in C++, 1 ms a code — a pure-Python
    encoder takes 8–30 ms, more than drawing the whole certificate."""
    import zxingcpp

    barcode = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    rows, columns = image.shape
    raw = image.tobytes()
    return [raw[r * columns : (r + 1) * columns] for r in range(rows)]


_DARK_RUN = re.compile(b"\x00+")


def _draw_qr(canvas: Any, code: str, x: float, y: float, size: float) -> None:
    """The QR code as filled runs of dark modules (vector, sharp at any zoom). The runs are
    written as PDF ``re`` operators in module units — integers only — in one literal: through
    reportlab's path object each of the ~900 rectangles cost more than encoding the code."""
    rows = qr_matrix(code)
    count = len(rows)
    ops = [
        f"{run.start()} {r} {run.end() - run.start()} 1 re"
        for r, row in enumerate(rows)
        for run in _DARK_RUN.finditer(row)
    ]
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.translate(x, y + size)
    canvas.scale(size / count, -size / count)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()


# -- files -------------------------------------------------------------------------------------


def _canvas(path: Path | str, title: str, author: str) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=PAGE, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Стажировка")
    return canvas


def write_certificates(
    path: Path | str, views: Sequence[CertificateView], progress: ProgressFn = no_progress
) -> None:
    """All certificates in one print-ready PDF, one page each (written to ``path`` as is:
    callers stage it, see :func:`stazhirovka.reports.certificates.issue_certificates`)."""
    register_fonts()
    author = views[0].issuer if views else ""
    canvas = _canvas(path, "Сертификаты", author)
    total = len(views)
    for i, view in enumerate(views):
        if i % 20 == 0:
            progress(i, total, view.holder)
        draw_certificate(canvas, view)
    canvas.save()
    progress(total, total, "")


def write_certificate_files(
    staged: StagedFiles, views: Sequence[CertificateView], progress: ProgressFn = no_progress
) -> None:
    """One file per certificate («Иванова Мария Сергеевна СП-2026-0042.pdf») into ``staged``."""
    register_fonts()
    total = len(views)
    for i, view in enumerate(views):
        progress(i, total, view.holder)
        canvas = _canvas(staged.path(view.file_name), f"Сертификат {view.number}", view.issuer)
        draw_certificate(canvas, view)
        canvas.save()
    progress(total, total, "")
