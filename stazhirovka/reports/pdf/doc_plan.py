"""«План-график мероприятий» of a year (DOMAIN.md §4.7): the events by month on landscape
pages, with the mark of fulfilment of each (held, missed or still to come on the day of
printing), and the summary of the plan's fulfilment.

The record 0 is the whole district's plan; a record N > 0 is the plan of platform N (its
events). The year is the options' year, else the current one. The events come from
:func:`stazhirovka.services.plan.plan_schedule` (one query each); their category of
participants, which it does not list, from one more query for the whole year.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...errors import NotFoundError
from ...formats import MONTHS_NOMINATIVE, short_date
from ...grammar import capitalized
from ...models import Event, Organization, Platform
from ...services.plan import PlanEvent, PlanSchedule, plan_schedule, year_condition
from ..documents import DocumentKind, Options, register
from .blocks import approval
from .layout import (
    LANDSCAPE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    Document,
    content_width,
    empty_note,
    heading,
    space,
    title,
)
from .tables import Column, TableThenTail, cell, data_table, fields
from .wording import nb, platform_caption

WHOLE_DISTRICT = 0
MONTH_FILL = colors.HexColor("#F5F5F5")

# Widths in millimetres of the landscape page (257 mm); each fits the longest word of its
# column at 10 pt («ориентированный» 33, «общеобразовательных» 40, «стажировочных» 29,
# «запланировано» 28), the bold header «Ответственный» (31) included. Form and level share
# a column, so that the event's title gets the room it needs.
COLUMNS = (
    Column("№", 8, "center"),
    Column("Мероприятие", 66),
    Column("Форма, уровень", 33),
    Column("Сроки", 22, "center"),
    Column("Место проведения, площадка", 29),
    Column("Ответственный", 31),
    Column("Категория участников", 40),
    Column("Отметка о выполнении", 28),
)


def plan_year(options: Options) -> int:
    return options.year or options.today.year


def _dates(event: PlanEvent) -> str:
    if event.ends_on and event.ends_on != event.starts_on:
        return f"{short_date(event.starts_on)}–\n{short_date(event.ends_on)}"
    return short_date(event.starts_on)


def _place(event: PlanEvent) -> str:
    lines = [event.venue] if event.venue else []
    if event.online:
        lines.append("дистанционно")
    if event.platform and event.platform != event.venue:
        lines.append(f"площадка {event.platform}")
    return "\n".join(lines)


def missed(event: PlanEvent, today: date) -> bool:
    """Not held though its last day has passed."""
    return not event.held and (event.ends_on or event.starts_on) < today


def mark(event: PlanEvent, year: int, today: date) -> str:
    """«проведено 20.01.2026» · «не проведено» · «запланировано», and whether it was
    planned in this year's plan."""
    if event.held:
        text = f"проведено {short_date(event.ends_on or event.starts_on)}"
    elif missed(event, today):
        text = "не проведено"
    else:
        text = "запланировано"
    if event.plan_year is None:
        text += "\n(вне плана)"
    elif event.plan_year != year:
        text += f"\n(из плана на {event.plan_year} год)"
    return text


def month_caption(year: int, month: int, plan: int) -> str:
    name = capitalized(MONTHS_NOMINATIVE[month - 1])
    return name if year == plan else f"{name} {year} г."


def _table(schedule: PlanSchedule, audiences: dict[int, str], today: date) -> Flowable:
    rows: list[Sequence[Any]] = []
    month_rows: list[int] = []
    number = 0
    for month in schedule.months:
        month_rows.append(len(rows))
        caption = month_caption(month.year, month.month, schedule.year)
        rows.append([cell(caption, "left", bold=True), *[cell("") for _ in COLUMNS[1:]]])
        for event in month.events:
            number += 1
            rows.append(
                (
                    number,
                    event.title,
                    f"{event.form},\n{event.level}" if event.level else event.form,
                    _dates(event),
                    _place(event),
                    event.responsible,
                    audiences.get(event.id, ""),
                    mark(event, schedule.year, today),
                )
            )
    table = data_table(COLUMNS, rows, content_width("landscape"))
    header = 2  # the header and the row of column numbers
    commands = []
    for row in month_rows:
        at = header + row
        commands += [
            ("SPAN", (0, at), (-1, at)),
            ("BACKGROUND", (0, at), (-1, at), MONTH_FILL),
            # a month's caption never stays alone at the bottom of a page
            ("NOSPLIT", (0, at), (-1, at + 1)),
        ]
    table.setStyle(commands)
    return table


def _summary(schedule: PlanSchedule, today: date) -> list[Flowable]:
    summary = schedule.summary
    planned_events = [e for e in schedule.events if e.in_plan]
    missed_count = sum(1 for e in planned_events if missed(e, today))
    percent = summary.percent
    held = f"{summary.held} ({percent} %)" if percent is not None else str(summary.held)
    pairs = [
        ("Запланировано мероприятий", str(summary.planned)),
        ("проведено", held),
        ("не проведено (срок прошёл)", str(missed_count)),
        ("предстоит провести", str(summary.planned - summary.held - missed_count)),
        ("Проведено мероприятий вне плана", str(summary.held_unplanned)),
        ("Участников (посещений)", str(summary.participants)),
    ]
    table = fields(pairs, content_width("landscape") * 0.6, label_share=0.65)
    table.hAlign = "LEFT"
    return [heading(f"Выполнение плана-графика на {short_date(today)}"), table]


def _build(
    schedule: PlanSchedule,
    platform: Platform | None,
    audiences: dict[int, str],
    options: Options,
) -> list[Flowable]:
    district = options.district
    signatory = district.signatory(0)
    story: list[Flowable] = [
        approval(signatory.position, district.signature_name(signatory.name)),
        space(6),
    ]
    subtitle = platform_caption(platform) if platform is not None else nb(district.issuer)
    story += title(f"План-график мероприятий на {schedule.year} год", subtitle)
    summary = [space(4), *_summary(schedule, options.today)]
    if schedule.months:
        page = LANDSCAPE[1] - MARGIN_TOP - MARGIN_BOTTOM
        story.append(TableThenTail(_table(schedule, audiences, options.today), summary, 1, page))
    else:
        where = " площадки" if platform is not None else ""
        story += [empty_note(f"Мероприятий{where} на {schedule.year} год нет."), *summary]
    return story


def _platforms(session: Session, ids: Sequence[int]) -> dict[int, Platform]:
    wanted = {i for i in ids if i != WHOLE_DISTRICT}
    found = {
        p.id: p
        for p in session.scalars(
            select(Platform)
            .where(Platform.id.in_(wanted))
            .options(joinedload(Platform.organization))
        )
    }
    for platform_id in ids:
        if platform_id != WHOLE_DISTRICT and platform_id not in found:
            raise NotFoundError(f"Площадка № {platform_id} не найдена.")
    return found


def plan_documents(session: Session, ids: Sequence[int], options: Options) -> list[Document]:
    year = plan_year(options)
    platforms = _platforms(session, ids)
    schedules = {
        i: plan_schedule(session, year, platform_id=i if i != WHOLE_DISTRICT else None)
        for i in dict.fromkeys(ids)
    }
    audiences: dict[int, str] = {
        event_id: audience
        for event_id, audience in session.execute(
            select(Event.id, Event.audience).where(year_condition(year), Event.audience != "")
        )
    }
    return [
        Document(
            lambda i=i: _build(schedules[i], platforms.get(i), audiences, options),
            orientation="landscape",
        )
        for i in ids
    ]


def all_plans(_session: Session, _options: Options) -> list[int]:
    return [WHOLE_DISTRICT]


def plan_file_stem(session: Session, record_id: int) -> str:
    if record_id == WHOLE_DISTRICT:
        return "План-график мероприятий"
    name = session.scalar(
        select(Organization.short_name)
        .join(Platform, Platform.organization_id == Organization.id)
        .where(Platform.id == record_id)
    )
    return f"План-график площадки {name or record_id}"


register(
    DocumentKind(
        key="plan",
        title="План-график мероприятий",
        record="plan",
        documents=plan_documents,
        all_ids=all_plans,
        file_stem=plan_file_stem,
    )
)
