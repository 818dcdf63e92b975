"""The blocks of an official document (ГОСТ Р 7.0.97): the letterhead, «УТВЕРЖДАЮ» and
«СОГЛАСОВАНО», the signature lines. Where the district details are empty they print lines to
fill in by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from ...formats import short_date
from ...services.district import District
from .layout import para, space

BLANK_NAME = "_" * 16  # a line to write a name in by hand
BLANK_DATE = "«___» ____________ 20___ г."
APPROVAL_WIDTH = 80 * mm  # the width of the «УТВЕРЖДАЮ» block (ГОСТ: at most 8 cm)


@dataclass(frozen=True)
class Letterhead:
    founder: str = ""
    issuer: str = ""
    contacts: str = ""


def letterhead(head: Letterhead) -> list[Flowable]:
    """The issuing body centred at the top: the founder, the body in bold, its contacts."""
    items: list[Flowable] = []
    if head.founder:
        items.append(para(head.founder, "letterhead"))
    if head.issuer:
        items.append(para(head.issuer, "letterhead_bold"))
    if head.contacts:
        items.append(para(head.contacts, "letterhead_small"))
    if items:
        items.append(space(6))
    return items


def contacts_line(address: str, phone: str, email: str) -> str:
    """«ул. Ленина, 142, тел. 4-12-34, e-mail: cro@example.ru» — what is known of it."""
    parts = (address, f"тел. {phone}" if phone else "", f"e-mail: {email}" if email else "")
    return ", ".join(part for part in parts if part)


def district_letterhead(district: District, contacts: bool = True) -> list[Flowable]:
    """The district's letterhead (with its contacts unless told otherwise); nothing when the
    district details are not filled in."""
    line = contacts_line(district.address, district.phone, district.email) if contacts else ""
    return letterhead(Letterhead(district.founder, district.issuer, line))


def signer(district: District, full_name: str | None) -> str:
    """The расшифровка of a signature («А.В. Кузнецова»), or a line to write it in."""
    return district.signature_name(full_name) if full_name else BLANK_NAME


def grif(
    label: str,
    position: str,
    name: str,
    on: date | None = None,
    width: float = APPROVAL_WIDTH,
    align: str = "RIGHT",
) -> Table:
    """«УТВЕРЖДАЮ» or «СОГЛАСОВАНО»: the word, the position, a line for the signature with
    the name, the date (or a line for it)."""
    rows = [
        [para(label, "label")],
        [para(position, "plain")],
        [para(f"_____________ {name}" if name else "_____________", "plain")],
        [para(short_date(on) if on else BLANK_DATE, "plain")],
    ]
    table = Table(rows, colWidths=[width], hAlign=align)
    table.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    )
    return table


def approval(
    position: str, name: str, on: date | None = None, width: float = APPROVAL_WIDTH
) -> Table:
    """«УТВЕРЖДАЮ» at the top right."""
    return grif("УТВЕРЖДАЮ", position or "Руководитель", name, on, width, "RIGHT")


def agreed(position: str, name: str, width: float = APPROVAL_WIDTH) -> Table:
    """«СОГЛАСОВАНО» at the top left, the date left to write by hand."""
    return grif("СОГЛАСОВАНО", position, name, None, width, "LEFT")


def signatures(
    rows: Sequence[tuple[str, str]],
    width: float,
    stamp: bool = False,
    on: date | None = None,
    blank_date: bool = False,
) -> Table:
    """Signature lines: position · ____ · «И.О. Фамилия» (ГОСТ Р 7.0.97), then «М.П.» with
    ``stamp``, the date ``on`` or with ``blank_date`` a line to write it in. One flowable
    that never splits over two pages and may go inside a KeepTogether with what follows."""
    data = [[para(position, "plain"), "", para(name, "right")] for position, name in rows]
    lines = Table(data, colWidths=[width * 0.5, width * 0.22, width * 0.28])
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 10),
    ]
    for i in range(len(data)):
        commands.append(("LINEBELOW", (1, i), (1, i), 0.6, colors.black))
    lines.setStyle(TableStyle(commands))
    items: list[Flowable] = [lines]
    if stamp:
        items.append(para("М.П.", "plain"))
    if on or blank_date:
        items += [space(4), para(short_date(on) if on else BLANK_DATE, "plain")]
    # One cell holding them all: a table reports its real height, so that it can be kept
    # with what follows (a KeepTogether inside another one forces a page break), and one
    # row is never split.
    block = Table([[items]], colWidths=[width])
    block.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return block
