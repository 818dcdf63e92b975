"""The registries of the program, defined once for the window, the exports and the CLI."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import aliased

from ..models import (
    Assessment,
    AuditEntry,
    Certificate,
    Community,
    CommunityMember,
    Competency,
    Event,
    EventForm,
    EventLevel,
    Instrument,
    Internship,
    InternshipStatus,
    JournalEntry,
    Municipality,
    NetworkAgreement,
    Organization,
    Participation,
    Person,
    Platform,
    Position,
    Product,
    Program,
    QualificationCategory,
    Route,
    RouteStep,
    Stage,
    StepStatus,
    TeacherMaster,
    program_competency,
)
from . import labels
from .dashboard import agreement_to_renew_on, as_date, exit_due_on, has_assessment, overdue_on
from .people import young_since
from .programs import program_hours_expr
from .readable import changes_text
from .registry import LJ, Column, Filter, J, Registry, eq, folded, joined, register, year_of


def _fio(person: Any) -> Any:
    return joined(person.surname, person.name, person.patronymic)


def _fio_sort(person: Any) -> tuple[Any, ...]:
    # The folded key sorts in Russian order (ё with е, «Ё» not before «А") and is indexed.
    return (person.search_key,)


def _young(column: Any) -> Any:
    def apply(stmt: Select[Any], value: Any) -> Select[Any]:
        since = young_since(date.today())
        return (
            stmt.where(column > since)
            if value
            else stmt.where((column <= since) | column.is_(None))
        )

    return apply


# -- organizations -------------------------------------------------------------------------------

_org_mun = aliased(Municipality)
register(
    Registry(
        name="organizations",
        title="Организации",
        base=Organization,
        joins=(LJ(_org_mun, _org_mun.id == Organization.municipality_id),),
        columns=(
            Column(
                "short_name",
                "Краткое наименование",
                Organization.short_name,
                sort=(Organization.search_key,),
                width=30,
            ),
            Column("full_name", "Полное наименование", Organization.full_name, width=60),
            Column(
                "kind", "Тип", Organization.kind, kind="enum", enum_labels=labels.ORG_KIND, width=28
            ),
            Column("municipality", "Муниципалитет", _org_mun.name, width=24),
            Column("address", "Адрес", Organization.address, width=40),
            Column("head_name", "Руководитель", Organization.head_name, width=28),
            Column("phone", "Телефон", Organization.phone, width=18),
            Column("email", "Электронная почта", Organization.email, width=26),
            Column("staff_count", "Педагогов", Organization.staff_count, kind="int", width=10),
        ),
        search=(Organization.search_key,),
        filters=(
            Filter("kind", "Тип", "enum", eq(Organization.kind), choices=labels.ORG_KIND),
            Filter(
                "municipality_id",
                "Муниципалитет",
                "ref",
                eq(Organization.municipality_id),
                ref="municipalities",
            ),
        ),
        default_sort="short_name",
    )
)

register(
    Registry(
        name="municipalities",
        title="Муниципалитеты",
        base=Municipality,
        joins=(),
        columns=(
            Column("name", "Муниципалитет", Municipality.name, width=30),
            Column("region", "Регион", Municipality.region, width=30),
        ),
        search=(folded(Municipality.name),),
        default_sort="name",
    )
)

# -- persons -------------------------------------------------------------------------------------

_p_org = aliased(Organization)
_p_pos = aliased(Position)
_p_cat = aliased(QualificationCategory)
register(
    Registry(
        name="persons",
        title="Педагоги",
        base=Person,
        joins=(
            LJ(_p_org, _p_org.id == Person.organization_id),
            LJ(_p_pos, _p_pos.id == Person.position_id),
            LJ(_p_cat, _p_cat.id == Person.category_id),
        ),
        columns=(
            Column("fio", "ФИО", _fio(Person), sort=_fio_sort(Person), width=36),
            Column("sex", "Пол", Person.sex, kind="enum", enum_labels=labels.SEX, width=9),
            Column(
                "organization",
                "Организация",
                _p_org.short_name,
                sort=(_p_org.search_key,),
                width=28,
            ),
            Column("position", "Должность", _p_pos.name, width=30),
            Column("subject", "Предмет", Person.subject, width=20),
            Column("teaching_since", "Стаж с", Person.teaching_since, kind="date", width=12),
            Column("category", "Категория", _p_cat.name, width=22),
            Column("phone", "Телефон", Person.phone, personal=True, width=18),
            Column("email", "Электронная почта", Person.email, personal=True, width=26),
        ),
        search=(Person.search_key,),
        filters=(
            Filter(
                "organization_id",
                "Организация",
                "ref",
                eq(Person.organization_id),
                ref="organizations",
            ),
            Filter(
                "municipality_id",
                "Муниципалитет",
                "ref",
                eq(_p_org.municipality_id),
                ref="municipalities",
            ),
            Filter("position_id", "Должность", "ref", eq(Person.position_id), ref="positions"),
            Filter("category_id", "Категория", "ref", eq(Person.category_id), ref="categories"),
            Filter("sex", "Пол", "enum", eq(Person.sex), choices=labels.SEX),
            Filter(
                "young", "Молодые педагоги (стаж до 3 лет)", "bool", _young(Person.teaching_since)
            ),
        ),
        default_sort="fio",
    )
)

# -- platforms and teacher-masters -------------------------------------------------------------------

_pl_org = aliased(Organization)
_pl_head = aliased(Person)
register(
    Registry(
        name="platforms",
        title="Площадки",
        base=Platform,
        joins=(
            J(_pl_org, _pl_org.id == Platform.organization_id),
            LJ(_pl_head, _pl_head.id == Platform.head_id),
        ),
        columns=(
            Column(
                "organization",
                "Организация",
                _pl_org.short_name,
                sort=(_pl_org.search_key,),
                width=30,
            ),
            Column(
                "kind",
                "Вид",
                Platform.kind,
                kind="enum",
                enum_labels=labels.PLATFORM_KIND,
                width=24,
            ),
            Column("theme", "Тема", Platform.theme, width=60),
            Column("head", "Руководитель", _fio(_pl_head), sort=_fio_sort(_pl_head), width=32),
            Column("order_number", "Приказ", Platform.order_number, width=12),
            Column("order_date", "Дата приказа", Platform.order_date, kind="date", width=12),
            Column("active_from", "Действует с", Platform.active_from, kind="date", width=12),
            Column("active_to", "Действует по", Platform.active_to, kind="date", width=12),
            Column(
                "status",
                "Статус",
                Platform.status,
                kind="enum",
                enum_labels=labels.PLATFORM_STATUS,
                width=14,
            ),
        ),
        search=(_pl_org.search_key,),
        filters=(
            Filter("status", "Статус", "enum", eq(Platform.status), choices=labels.PLATFORM_STATUS),
            Filter("kind", "Вид", "enum", eq(Platform.kind), choices=labels.PLATFORM_KIND),
            Filter(
                "municipality_id",
                "Муниципалитет",
                "ref",
                eq(_pl_org.municipality_id),
                ref="municipalities",
            ),
        ),
        default_sort="organization",
    )
)

_tm_person = aliased(Person)
_tm_platform = aliased(Platform)
_tm_org = aliased(Organization)
_tm_cat = aliased(QualificationCategory)
_tm_interns = (
    select(func.count(Internship.id))
    .where(
        Internship.mentor_id == TeacherMaster.id,
        Internship.status.in_([InternshipStatus.ACTIVE, InternshipStatus.PLANNED]),
    )
    .correlate(TeacherMaster)
    .scalar_subquery()
)
register(
    Registry(
        name="masters",
        title="Педагоги-мастера",
        base=TeacherMaster,
        joins=(
            J(_tm_person, _tm_person.id == TeacherMaster.person_id),
            J(_tm_platform, _tm_platform.id == TeacherMaster.platform_id),
            J(_tm_org, _tm_org.id == _tm_platform.organization_id),
            LJ(_tm_cat, _tm_cat.id == _tm_person.category_id),
        ),
        columns=(
            Column("fio", "ФИО", _fio(_tm_person), sort=_fio_sort(_tm_person), width=36),
            Column("platform", "Площадка", _tm_org.short_name, width=28),
            Column("specialization", "Специализация", TeacherMaster.specialization, width=40),
            Column("category", "Категория", _tm_cat.name, width=16),
            Column("status_on", "Статус с", TeacherMaster.status_on, kind="date", width=12),
            Column("order_number", "Приказ", TeacherMaster.order_number, width=12),
            Column("interns", "Стажёров сейчас", _tm_interns, kind="int", width=10),
            Column("active", "Действует", TeacherMaster.active, kind="bool", width=10),
        ),
        search=(_tm_person.search_key,),
        filters=(
            Filter(
                "platform_id", "Площадка", "ref", eq(TeacherMaster.platform_id), ref="platforms"
            ),
            Filter("active", "Действует", "bool", eq(TeacherMaster.active)),
        ),
        default_sort="fio",
    )
)

# -- programs ------------------------------------------------------------------------------------------

_pr_platform = aliased(Platform)
_pr_org = aliased(Organization)
_pr_hours = program_hours_expr()
register(
    Registry(
        name="programs",
        title="Программы",
        base=Program,
        joins=(
            J(_pr_platform, _pr_platform.id == Program.platform_id),
            J(_pr_org, _pr_org.id == _pr_platform.organization_id),
        ),
        columns=(
            Column("title", "Название", Program.title, sort=(Program.search_key,), width=60),
            Column("platform", "Площадка", _pr_org.short_name, width=28),
            Column("hours", "Часов", _pr_hours, kind="int", width=8),
            Column("duration_months", "Срок, мес.", Program.duration_months, kind="int", width=10),
            Column("audience", "Слушатели", Program.audience, width=30),
            Column("approved_on", "Утверждена", Program.approved_on, kind="date", width=12),
        ),
        search=(Program.search_key,),
        filters=(
            Filter("platform_id", "Площадка", "ref", eq(Program.platform_id), ref="platforms"),
            Filter(
                "competency_id",
                "Направление",
                "ref",
                lambda s, v: s.where(
                    exists().where(
                        program_competency.c.program_id == Program.id,
                        program_competency.c.competency_id == v,
                    )
                ),
                ref="competencies",
            ),
        ),
        default_sort="title",
    )
)

# -- internships -----------------------------------------------------------------------------------------

_in_person = aliased(Person)
_in_org = aliased(Organization)
_in_program = aliased(Program)
_in_platform = aliased(Platform)
_in_platform_org = aliased(Organization)
_in_mentor = aliased(TeacherMaster)
_in_mentor_person = aliased(Person)
_in_overdue = (
    select(func.count(RouteStep.id))
    .select_from(RouteStep)
    .join(Route, Route.id == RouteStep.route_id)
    .where(
        Route.internship_id == Internship.id,
        RouteStep.status == StepStatus.PLANNED,
        RouteStep.planned_end < func.current_date(),
    )
    .correlate(Internship)
    .scalar_subquery()
)


def _overdue_filter(stmt: Select[Any], value: Any) -> Select[Any]:
    condition = exists().where(
        Route.internship_id == Internship.id,
        RouteStep.route_id == Route.id,
        RouteStep.status == StepStatus.PLANNED,
        RouteStep.planned_end < date.today(),
    )
    return stmt.where(condition if value else ~condition)


def _has_assessment_filter(stage: Stage) -> Any:
    def apply(stmt: Select[Any], value: Any) -> Select[Any]:
        condition = has_assessment(stage)
        return stmt.where(condition if value else ~condition)

    return apply


register(
    Registry(
        name="internships",
        title="Стажировки",
        base=Internship,
        joins=(
            J(_in_person, _in_person.id == Internship.person_id),
            LJ(_in_org, _in_org.id == _in_person.organization_id),
            J(_in_program, _in_program.id == Internship.program_id),
            J(_in_platform, _in_platform.id == _in_program.platform_id),
            J(_in_platform_org, _in_platform_org.id == _in_platform.organization_id),
            LJ(_in_mentor, _in_mentor.id == Internship.mentor_id),
            LJ(_in_mentor_person, _in_mentor_person.id == _in_mentor.person_id),
        ),
        columns=(
            Column("intern", "Стажёр", _fio(_in_person), sort=_fio_sort(_in_person), width=36),
            Column("organization", "Организация стажёра", _in_org.short_name, width=26),
            Column("program", "Программа", _in_program.title, width=50),
            Column("platform", "Площадка", _in_platform_org.short_name, width=26),
            Column(
                "mentor",
                "Педагог-мастер",
                _fio(_in_mentor_person),
                sort=_fio_sort(_in_mentor_person),
                width=32,
            ),
            Column("cohort", "Группа", Internship.cohort, width=12),
            Column("start_date", "Начало", Internship.start_date, kind="date", width=12),
            Column(
                "planned_end", "Окончание (план)", Internship.planned_end, kind="date", width=12
            ),
            Column("actual_end", "Окончание (факт)", Internship.actual_end, kind="date", width=12),
            Column(
                "status",
                "Статус",
                Internship.status,
                kind="enum",
                enum_labels=labels.INTERNSHIP_STATUS,
                width=14,
            ),
            Column("hours_done", "Часов", Internship.hours_done, kind="float", width=8),
            Column("overdue_steps", "Просрочено шагов", _in_overdue, kind="int", width=10),
        ),
        search=(_in_person.search_key,),
        filters=(
            Filter(
                "status", "Статус", "enum", eq(Internship.status), choices=labels.INTERNSHIP_STATUS
            ),
            Filter("program_id", "Программа", "ref", eq(Internship.program_id), ref="programs"),
            Filter("platform_id", "Площадка", "ref", eq(_in_program.platform_id), ref="platforms"),
            Filter("mentor_id", "Педагог-мастер", "ref", eq(Internship.mentor_id), ref="masters"),
            Filter("person_id", "Стажёр", "ref", eq(Internship.person_id), ref="persons"),
            Filter("year", "Год начала", "int", year_of(Internship.start_date)),
            Filter("young", "Молодые педагоги", "bool", _young(_in_person.teaching_since)),
            Filter("overdue", "Есть просроченные шаги", "bool", _overdue_filter),
            Filter(
                "ending_before",
                "Окончание до",
                "date",
                lambda s, v: s.where(Internship.planned_end <= v),
            ),
            Filter(
                "ending_after",
                "Окончание после",
                "date",
                lambda s, v: s.where(Internship.planned_end >= v),
                shown=False,
            ),
            Filter(
                "overdue_on",
                "Есть шаги, просроченные на дату",
                "date",
                lambda s, v: s.where(overdue_on(as_date(v))),
                shown=False,
            ),
            Filter(
                "has_entry_diagnostics",
                "Есть входная диагностика",
                "bool",
                _has_assessment_filter(Stage.ENTRY),
            ),
            Filter(
                "has_exit_diagnostics",
                "Есть итоговая диагностика",
                "bool",
                _has_assessment_filter(Stage.EXIT),
            ),
            Filter(
                "exit_due_on",
                "Пора проводить итоговую диагностику на дату",
                "date",
                lambda s, v: s.where(exit_due_on(as_date(v))),
                shown=False,
            ),
        ),
        default_sort="-start_date",
    )
)

_je_internship = aliased(Internship)
_je_person = aliased(Person)
register(
    Registry(
        name="journal",
        title="Журнал профессионального роста",
        base=JournalEntry,
        joins=(
            J(_je_internship, _je_internship.id == JournalEntry.internship_id),
            J(_je_person, _je_person.id == _je_internship.person_id),
        ),
        columns=(
            Column("entry_date", "Дата", JournalEntry.entry_date, kind="date", width=12),
            Column("intern", "Стажёр", _fio(_je_person), sort=_fio_sort(_je_person), width=32),
            Column("activity", "Вид деятельности", JournalEntry.activity, width=24),
            Column("topic", "Тема", JournalEntry.topic, width=50),
            Column("hours", "Часы", JournalEntry.hours, kind="float", width=8),
            Column("result", "Результат", JournalEntry.result, width=40),
            Column("reflection", "Рефлексия", JournalEntry.reflection, width=40),
            Column(
                "mentor_comment",
                "Комментарий педагога-мастера",
                JournalEntry.mentor_comment,
                width=40,
            ),
        ),
        # By the intern's name, through the persons' search index: a topic search over
        # every journal of a region would read 600,000 entries per keystroke.
        search=(_je_person.search_key,),
        filters=(
            Filter(
                "internship_id",
                "Стажировка",
                "ref",
                eq(JournalEntry.internship_id),
                ref="internships",
            ),
        ),
        default_sort="-entry_date",
    )
)

# -- diagnostics ------------------------------------------------------------------------------------------

register(
    Registry(
        name="instruments",
        title="Диагностические методики",
        base=Instrument,
        joins=(),
        columns=(
            Column("title", "Название", Instrument.title, width=60),
            Column(
                "kind",
                "Вид",
                Instrument.kind,
                kind="enum",
                enum_labels=labels.INSTRUMENT_KIND,
                width=18,
            ),
            Column("scale_min", "Мин. балл", Instrument.scale_min, kind="int", width=8),
            Column("scale_max", "Макс. балл", Instrument.scale_max, kind="int", width=8),
        ),
        search=(Instrument.search_key,),
        default_sort="title",
    )
)

_as_person = aliased(Person)
_as_instrument = aliased(Instrument)
register(
    Registry(
        name="assessments",
        title="Диагностики",
        base=Assessment,
        joins=(
            J(_as_person, _as_person.id == Assessment.person_id),
            J(_as_instrument, _as_instrument.id == Assessment.instrument_id),
        ),
        columns=(
            Column("person", "Педагог", _fio(_as_person), sort=_fio_sort(_as_person), width=36),
            Column("assessed_on", "Дата", Assessment.assessed_on, kind="date", width=12),
            Column(
                "stage", "Этап", Assessment.stage, kind="enum", enum_labels=labels.STAGE, width=14
            ),
            Column(
                "assessor",
                "Кто оценивал",
                Assessment.assessor,
                kind="enum",
                enum_labels=labels.ASSESSOR,
                width=16,
            ),
            Column("instrument", "Методика", _as_instrument.title, width=50),
        ),
        search=(_as_person.search_key,),
        filters=(
            Filter("person_id", "Педагог", "ref", eq(Assessment.person_id), ref="persons"),
            Filter(
                "internship_id",
                "Стажировка",
                "ref",
                eq(Assessment.internship_id),
                ref="internships",
            ),
            Filter("stage", "Этап", "enum", eq(Assessment.stage), choices=labels.STAGE),
        ),
        default_sort="assessed_on",
    )
)

# -- events ------------------------------------------------------------------------------------------------

_ev_form = aliased(EventForm)
_ev_level = aliased(EventLevel)
_ev_venue = aliased(Organization)
_ev_participants = (
    select(func.count(Participation.id))
    .where(Participation.event_id == Event.id, Participation.attended.is_(True))
    .correlate(Event)
    .scalar_subquery()
)
register(
    Registry(
        name="events",
        title="Мероприятия",
        base=Event,
        joins=(
            J(_ev_form, _ev_form.id == Event.form_id),
            J(_ev_level, _ev_level.id == Event.level_id),
            LJ(_ev_venue, _ev_venue.id == Event.venue_id),
        ),
        columns=(
            Column("starts_on", "Дата", Event.starts_on, kind="date", width=12),
            Column("title", "Название", Event.title, sort=(Event.search_key,), width=60),
            Column("form", "Форма", _ev_form.name, width=24),
            Column("level", "Уровень", _ev_level.name, sort=(_ev_level.rank,), width=14),
            Column("venue", "Место проведения", _ev_venue.short_name, width=26),
            Column("online", "Дистанционно", Event.online, kind="bool", width=10),
            Column("hours", "Часы", Event.hours, kind="float", width=8),
            Column("plan_year", "Год плана", Event.plan_year, kind="int", width=8),
            Column("held", "Проведено", Event.held, kind="bool", width=10),
            Column("participants", "Участников", _ev_participants, kind="int", width=10),
        ),
        search=(Event.search_key,),
        filters=(
            Filter("plan_year", "Год плана-графика", "int", eq(Event.plan_year)),
            Filter("year", "Год проведения", "int", year_of(Event.starts_on)),
            Filter("level_id", "Уровень", "ref", eq(Event.level_id), ref="event_levels"),
            Filter("form_id", "Форма", "ref", eq(Event.form_id), ref="event_forms"),
            Filter("platform_id", "Площадка", "ref", eq(Event.platform_id), ref="platforms"),
            Filter("held", "Проведено", "bool", eq(Event.held)),
        ),
        default_sort="starts_on",
    )
)

_pa_person = aliased(Person)
_pa_org = aliased(Organization)
register(
    Registry(
        name="participants",
        title="Участники мероприятия",
        base=Participation,
        joins=(
            J(_pa_person, _pa_person.id == Participation.person_id),
            LJ(_pa_org, _pa_org.id == _pa_person.organization_id),
        ),
        columns=(
            Column("person", "Участник", _fio(_pa_person), sort=_fio_sort(_pa_person), width=36),
            Column(
                "organization",
                "Организация",
                _pa_org.short_name,
                sort=(_pa_org.search_key,),
                width=28,
            ),
            Column(
                "role",
                "Роль",
                Participation.role,
                kind="enum",
                enum_labels=labels.PARTICIPANT_ROLE,
                width=14,
            ),
            Column("attended", "Присутствовал(а)", Participation.attended, kind="bool", width=10),
        ),
        search=(_pa_person.search_key,),
        filters=(
            Filter("event_id", "Мероприятие", "ref", eq(Participation.event_id), ref="events"),
        ),
        default_sort="person",
    )
)

# -- certificates -------------------------------------------------------------------------------------------

_ce_person = aliased(Person)
_ce_org = aliased(Organization)
register(
    Registry(
        name="certificates",
        title="Сертификаты",
        base=Certificate,
        joins=(
            J(_ce_person, _ce_person.id == Certificate.person_id),
            LJ(_ce_org, _ce_org.id == _ce_person.organization_id),
        ),
        columns=(
            Column(
                "number",
                "Рег. №",
                Certificate.number,
                sort=(
                    Certificate.prefix,
                    Certificate.year,
                    Certificate.seq,
                    Certificate.duplicate_no,
                ),
                width=18,
            ),
            Column("issued_on", "Дата выдачи", Certificate.issued_on, kind="date", width=12),
            Column(
                "kind",
                "Вид документа",
                Certificate.kind,
                kind="enum",
                enum_labels=labels.CERTIFICATE_KIND,
                width=30,
            ),
            Column("holder_name", "ФИО", Certificate.holder_name, width=36),
            Column(
                "organization",
                "Организация",
                _ce_org.short_name,
                sort=(_ce_org.search_key,),
                width=26,
            ),
            Column("basis_title", "Программа / мероприятие", Certificate.basis_title, width=50),
            Column("hours", "Часы", Certificate.hours, kind="float", width=8),
            Column(
                "status",
                "Статус",
                Certificate.status,
                kind="enum",
                enum_labels=labels.CERTIFICATE_STATUS,
                width=12,
            ),
        ),
        search=(Certificate.search_key,),
        filters=(
            Filter("kind", "Вид", "enum", eq(Certificate.kind), choices=labels.CERTIFICATE_KIND),
            Filter(
                "status",
                "Статус",
                "enum",
                eq(Certificate.status),
                choices=labels.CERTIFICATE_STATUS,
            ),
            Filter("year", "Год выдачи", "int", year_of(Certificate.issued_on)),
            Filter("person_id", "Педагог", "ref", eq(Certificate.person_id), ref="persons"),
        ),
        default_sort="number",
    )
)

# -- products, agreements, communities ------------------------------------------------------------------------

_pd_platform = aliased(Platform)
_pd_org = aliased(Organization)
register(
    Registry(
        name="products",
        title="Методическая продукция",
        base=Product,
        joins=(
            LJ(_pd_platform, _pd_platform.id == Product.platform_id),
            LJ(_pd_org, _pd_org.id == _pd_platform.organization_id),
        ),
        columns=(
            Column("title", "Название", Product.title, sort=(Product.search_key,), width=60),
            Column("kind", "Вид", Product.kind, width=24),
            Column("year", "Год", Product.year, kind="int", width=8),
            Column("platform", "Площадка", _pd_org.short_name, width=26),
            Column("published_in", "Где опубликован", Product.published_in, width=40),
        ),
        search=(Product.search_key,),
        filters=(
            Filter("kind", "Вид", "text", eq(Product.kind)),
            Filter("year", "Год", "int", eq(Product.year)),
            Filter("platform_id", "Площадка", "ref", eq(Product.platform_id), ref="platforms"),
        ),
        default_sort="title",
    )
)

_ag_org = aliased(Organization)
register(
    Registry(
        name="agreements",
        title="Соглашения о сетевом взаимодействии",
        base=NetworkAgreement,
        joins=(J(_ag_org, _ag_org.id == NetworkAgreement.organization_id),),
        columns=(
            Column("number", "Номер", NetworkAgreement.number, width=12),
            Column("organization", "Партнёр", _ag_org.short_name, width=40),
            Column("signed_on", "Заключено", NetworkAgreement.signed_on, kind="date", width=12),
            Column(
                "valid_until", "Действует до", NetworkAgreement.valid_until, kind="date", width=12
            ),
            Column("subject", "Предмет", NetworkAgreement.subject, width=60),
        ),
        search=(NetworkAgreement.search_key, _ag_org.search_key),
        filters=(
            Filter(
                "valid_on",
                "Действует на дату",
                "date",
                lambda s, v: s.where(
                    NetworkAgreement.signed_on <= v,
                    (NetworkAgreement.valid_until >= v) | NetworkAgreement.valid_until.is_(None),
                ),
            ),
            Filter(
                "expiring_before",
                "Истекает до",
                "date",
                lambda s, v: s.where(NetworkAgreement.valid_until <= v),
            ),
            Filter(
                "renew_on",
                "Пора продлевать на дату",
                "date",
                lambda s, v: s.where(agreement_to_renew_on(as_date(v))),
                shown=False,
            ),
        ),
        default_sort="signed_on",
    )
)

_cm_members = (
    select(func.count(CommunityMember.id))
    .where(CommunityMember.community_id == Community.id)
    .correlate(Community)
    .scalar_subquery()
)
register(
    Registry(
        name="communities",
        title="Сетевые сообщества",
        base=Community,
        joins=(),
        columns=(
            Column("name", "Название", Community.name, sort=(Community.search_key,), width=50),
            Column("focus", "Направление", Community.focus, width=50),
            Column("stage", "Этап", Community.stage, kind="int", width=8),
            Column("members", "Участников", _cm_members, kind="int", width=10),
            Column("founded_on", "Создано", Community.founded_on, kind="date", width=12),
        ),
        search=(Community.search_key,),
        filters=(Filter("stage", "Этап", "int", eq(Community.stage)),),
        default_sort="name",
    )
)

# -- reference lists ---------------------------------------------------------------------------------------------


def _ref_registry(name: str, title: str, model: Any, *extra: Column) -> None:
    register(
        Registry(
            name=name,
            title=title,
            base=model,
            joins=(),
            columns=(
                Column("name", "Наименование", model.name, width=50),
                *extra,
                Column("sort_order", "Порядок", model.sort_order, kind="int", width=8),
                Column("active", "Используется", model.active, kind="bool", width=10),
            ),
            search=(folded(model.name),),
            filters=(Filter("active", "Используется", "bool", eq(model.active)),),
            default_sort="sort_order",
        )
    )


_ref_registry(
    "competencies", "Компетенции", Competency, Column("code", "Код", Competency.code, width=10)
)
_ref_registry(
    "positions",
    "Должности",
    Position,
    Column("name_dative", "В дательном падеже", Position.name_dative, width=50),
)
_ref_registry("categories", "Квалификационные категории", QualificationCategory)
_ref_registry("event_forms", "Формы мероприятий", EventForm)
_ref_registry(
    "event_levels",
    "Уровни мероприятий",
    EventLevel,
    Column("rank", "Ранг", EventLevel.rank, kind="int", width=6),
)

__all__ = ["and_"]

# -- audit trail ---------------------------------------------------------------------------------

AUDIT_ACTIONS = {
    "create": "добавление",
    "update": "изменение",
    "delete": "удаление",
    "passwd": "смена пароля",
    "cancel": "аннулирование",
    "export": "выгрузка",
    "anonymize": "обезличивание",
    "issue": "выдача сертификата",
    "duplicate": "выдача дубликата",
    "scores": "оценки диагностики",
    "rotate_key": "замена ключа подписи",
}


def _day_after(day: Any) -> Any:
    from datetime import timedelta

    return day + timedelta(days=1)


register(
    Registry(
        name="audit",
        title="Журнал изменений",
        base=AuditEntry,
        joins=(),
        columns=(
            Column("at", "Когда", AuditEntry.at, kind="datetime", width=18),
            Column("user_login", "Кто", AuditEntry.user_login, width=16),
            Column(
                "action",
                "Действие",
                AuditEntry.action,
                kind="enum",
                enum_labels=AUDIT_ACTIONS,
                width=14,
            ),
            Column(
                "entity",
                "Раздел",
                AuditEntry.entity,
                kind="enum",
                enum_labels=labels.TABLE_DEPENDENTS,
                width=24,
            ),
            Column("entity_id", "Запись №", AuditEntry.entity_id, kind="int", width=10),
            Column(
                "changes",
                "Что изменилось (было → стало)",
                AuditEntry.changes,
                width=80,
                render=lambda row: changes_text(str(row.get("entity") or ""), row.get("changes")),
            ),
            Column("source", "Откуда", AuditEntry.source, width=18),
        ),
        search=(AuditEntry.user_login, AuditEntry.entity),
        filters=(
            Filter("action", "Действие", "enum", eq(AuditEntry.action), choices=AUDIT_ACTIONS),
            Filter(
                "entity", "Раздел", "enum", eq(AuditEntry.entity), choices=labels.TABLE_DEPENDENTS
            ),
            Filter("user_login", "Пользователь", "text", eq(AuditEntry.user_login)),
            Filter("entity_id", "Запись №", "int", eq(AuditEntry.entity_id), shown=False),
            Filter("since", "С даты", "date", lambda s, v: s.where(AuditEntry.at >= v)),
            Filter("until", "По дату", "date", lambda s, v: s.where(AuditEntry.at < _day_after(v))),
        ),
        default_sort="-at",
    )
)
