"""Who may see and change what (DOMAIN.md §2), enforced here, below every door.

A session carries its :class:`Principal` (``session.info["principal"]``, set by
:meth:`stazhirovka.db.Database.session`). Two mechanisms follow from it:

* **Reading.** For a platform head every ORM query is narrowed to their platforms — the
  platforms, programs, masters, internships with their routes, journals and diagnostics, the
  platforms' events, products and certificates, and only the people on them. The narrowing is
  added to the statement itself (:func:`sqlalchemy.orm.with_loader_criteria`), so registries,
  cards, documents, exports and a reference check in ``validate()`` all see the same subset —
  a record of another platform is simply «не найдена». Until someone logs in to a database
  that has accounts, nothing but the accounts themselves can be read.
* **Changing.** Every service declares its :class:`Access`: the roles that may change its
  records and, for a platform head, the field that ties a record to a platform. Coordinators
  change nothing; only administrators manage accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, event, false, select, union
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from ..errors import UserError
from ..models import (
    Assessment,
    AuditEntry,
    Certificate,
    Event,
    Internship,
    JournalEntry,
    Participation,
    Person,
    Platform,
    Product,
    Program,
    ProgramModule,
    Role,
    Route,
    RouteStep,
    SigningKey,
    TeacherMaster,
    User,
)
from ..models.diagnostics import Score
from . import labels


class AccessError(UserError):
    """The user's role does not allow this."""


@dataclass(frozen=True)
class Principal:
    """Who acts: a login, a role and, for a platform head, the platforms in scope.

    ``role`` is None for the owner of a database without accounts (a single-user file), who
    may do everything, and for nobody-yet on a database with accounts (``anonymous``)."""

    login: str = ""
    role: Role | None = None
    platform_ids: frozenset[int] = frozenset()
    anonymous: bool = False

    @property
    def title(self) -> str:
        if self.anonymous:
            return "вход не выполнен"
        return labels.ROLE[self.role.value] if self.role else "владелец базы"

    @property
    def sees_contacts(self) -> bool:
        """Whether phones, e-mails and СНИЛС may leave the program unmasked (DOCUMENTS.md §7)."""
        return not self.anonymous and self.role in (None, Role.ADMIN, Role.METHODOLOGIST)

    @property
    def is_platform_head(self) -> bool:
        return self.role == Role.PLATFORM_HEAD

    @property
    def may_change_data(self) -> bool:
        return not self.anonymous and self.role != Role.COORDINATOR


OWNER = Principal()  # a database without accounts: one user, everything allowed
ANONYMOUS = Principal(anonymous=True)


def principal_of(session: Session) -> Principal:
    return session.info.get("principal", OWNER)


@dataclass(frozen=True)
class Access:
    """Who may change a service's records: ``roles``, and for a platform head the record's
    field ``scope`` that must name a record of their platforms (seen through the narrowing)."""

    roles: frozenset[Role]
    scope: str | None = None


DISTRICT = Access(frozenset({Role.ADMIN, Role.METHODOLOGIST}))  # the district's own records
ADMINISTRATION = Access(frozenset({Role.ADMIN}))  # accounts


def platform_work(scope: str) -> Access:
    """Records a platform head keeps for their own platform (journals, diagnostics, events…)."""
    return Access(frozenset({Role.ADMIN, Role.METHODOLOGIST, Role.PLATFORM_HEAD}), scope)


_VERBS = {
    "create": "добавлять записи в раздел «{}»",
    "update": "изменять записи раздела «{}»",
    "delete": "удалять записи раздела «{}»",
}


def require_change(
    session: Session, access: Access, what: str, verb: str, values: dict[str, Any] | None = None
) -> None:
    """Refuse unless the session's principal may ``verb`` («create», «update», «delete») a
    record of the section ``what`` («стажировки»)."""
    who = principal_of(session)
    if who.anonymous:
        raise AccessError("Войдите в программу: без входа изменять данные нельзя.")
    if who.role is None:
        return
    action = _VERBS.get(verb, "{}").format(what)
    if who.role not in access.roles:
        raise AccessError(f"Недостаточно прав: роль «{who.title}» не позволяет {action}.")
    scoped = who.is_platform_head and access.scope is not None and values is not None
    if scoped and values.get(access.scope) is None:  # type: ignore[union-attr]
        raise AccessError(
            f"Недостаточно прав: руководитель площадки может {action} только для своей площадки."
        )


def require(session: Session, roles: set[Role], what: str) -> None:
    """Refuse an action outside the record services (issuing, settings, imports…) unless the
    principal's role is one of ``roles``; ``what`` completes «не позволяет …»."""
    who = principal_of(session)
    if who.anonymous:
        raise AccessError("Войдите в программу: без входа это действие недоступно.")
    if who.role is not None and who.role not in roles:
        raise AccessError(f"Недостаточно прав: роль «{who.title}» не позволяет {what}.")


# -- reading: what a platform head sees --------------------------------------------------------


def _programs(ids: frozenset[int]):  # type: ignore[no-untyped-def]
    return select(Program.id).where(Program.platform_id.in_(ids))


def _internships(ids: frozenset[int]):  # type: ignore[no-untyped-def]
    return select(Internship.id).where(Internship.program_id.in_(_programs(ids)))


def _events(ids: frozenset[int]):  # type: ignore[no-untyped-def]
    return select(Event.id).where(Event.platform_id.in_(ids))


def _people(ids: frozenset[int]):  # type: ignore[no-untyped-def]
    """The people on the platforms: interns, masters, heads, events' people and participants."""
    return union(
        select(Internship.person_id).where(Internship.id.in_(_internships(ids))),
        select(TeacherMaster.person_id).where(TeacherMaster.platform_id.in_(ids)),
        select(Platform.head_id).where(Platform.id.in_(ids), Platform.head_id.is_not(None)),
        select(Participation.person_id).where(Participation.event_id.in_(_events(ids))),
        select(Event.responsible_id).where(
            Event.platform_id.in_(ids), Event.responsible_id.is_not(None)
        ),
    )


def _narrowed(ids: frozenset[int], login: str) -> dict[type, ColumnElement[bool]]:
    """Each model's records in scope of a platform head's platforms."""
    internships, events, people = _internships(ids), _events(ids), _people(ids)
    assessments = select(Assessment.id).where(Assessment.person_id.in_(people))
    routes = select(Route.id).where(Route.internship_id.in_(internships))
    return {
        Platform: Platform.id.in_(ids),
        Program: Program.platform_id.in_(ids),
        ProgramModule: ProgramModule.program_id.in_(_programs(ids)),
        TeacherMaster: TeacherMaster.platform_id.in_(ids),
        Internship: Internship.program_id.in_(_programs(ids)),
        Route: Route.internship_id.in_(internships),
        RouteStep: RouteStep.route_id.in_(routes),
        JournalEntry: JournalEntry.internship_id.in_(internships),
        Assessment: Assessment.person_id.in_(people),
        Score: Score.assessment_id.in_(assessments),
        Event: Event.platform_id.in_(ids),
        Participation: Participation.event_id.in_(events),
        Product: Product.platform_id.in_(ids),
        Certificate: Certificate.internship_id.in_(internships) | Certificate.event_id.in_(events),
        Person: Person.id.in_(people),
        AuditEntry: false(),
        SigningKey: false(),
        User: User.login == login,  # their own account only
    }


# Before anyone has logged in, only the accounts can be read (to log in).
_BEFORE_LOGIN = {User}


@dataclass
class _Narrowing:
    principal: Principal
    options: list[Any] = field(default_factory=list)


def _options(principal: Principal) -> list[Any]:
    return [
        with_loader_criteria(model, criteria, include_aliases=True)
        for model, criteria in _narrowed(principal.platform_ids, principal.login).items()
    ]


def _own_account(login: str) -> Any:
    return with_loader_criteria(User, User.login == login, include_aliases=True)


def _narrow(state: ORMExecuteState) -> None:
    principal: Principal = state.session.info.get("principal", OWNER)
    if principal.role is None and not principal.anonymous:
        return
    if not state.is_select:
        return
    if principal.anonymous:
        entities = {d.get("entity") for d in state.statement.column_descriptions}
        if not entities <= _BEFORE_LOGIN:
            raise AccessError("Войдите в программу: без входа данные недоступны.")
        return
    if principal.is_platform_head:
        cached: _Narrowing | None = state.session.info.get("narrowing")
        if cached is None or cached.principal != principal:
            cached = _Narrowing(principal, _options(principal))
            state.session.info["narrowing"] = cached
        state.statement = state.statement.options(*cached.options)
    else:
        # accounts (their password hashes) are the administrator's; others read their own
        options = [] if principal.role == Role.ADMIN else [_own_account(principal.login)]
        if principal.role == Role.COORDINATOR:
            options.append(with_loader_criteria(SigningKey, false()))
        if options:
            state.statement = state.statement.options(*options)


def narrowing(session: Session, table: Any) -> ColumnElement[bool] | None:
    """The condition that keeps the rows of ``table`` to the session's scope, for queries that
    go through Core (registries, exports) and so past the ORM's narrowing; None: no limit."""
    who = principal_of(session)
    if who.anonymous:
        raise AccessError("Войдите в программу: без входа данные недоступны.")
    if who.is_platform_head:
        by_table = {m.__table__: c for m, c in _narrowed(who.platform_ids, who.login).items()}  # type: ignore[attr-defined]
        return by_table.get(table)
    if who.role == Role.COORDINATOR and table is SigningKey.__table__:
        return false()
    if who.role != Role.ADMIN and table is User.__table__:
        return User.login == who.login
    return None


def install(sessions: sessionmaker[Session]) -> None:
    """Narrow what every session of ``sessions`` reads to its principal's scope."""
    event.listen(sessions, "do_orm_execute", _narrow)
