"""Issuing and printing certificates as one unit of work: numbers are taken, registered and
printed in one transaction, and the files appear only after it commits — a cancelled or
failed batch assigns no numbers and leaves no file behind (DOCUMENTS.md §4.3)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..db import Database
from ..errors import NotFoundError, UserError
from ..models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Event,
    EventForm,
    EventLevel,
    Internship,
    Organization,
    Participation,
    Person,
    Platform,
    Position,
    Program,
)
from ..services.certificates import CertificateService
from ..services.district import District, load_district
from ..services.issuing import Recipient, Selection, recipients, with_corrections
from ..services.signing import facts_of, signer
from .output import ProgressFn, StagedFiles, no_progress
from .pdf.certificate import CertificateView, write_certificate_files, write_certificates

PLATFORM_HEAD = "Руководитель стажировочной площадки"
_ROLE_RANK = {"host": 3, "speaker": 2, "listener": 1, "organizer": 0}


@dataclass
class IssueResult:
    numbers: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def short_code(token: str) -> str:
    """The register's verification code in groups of four: «3FA2-9C1B-…»."""
    token = token.upper()
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))


def certificate_views(
    session: Session, ids: Sequence[int], district: District | None = None
) -> list[CertificateView]:
    """What the certificates with these ids print, in the order of ids, in four queries."""
    district = district or load_district(session)
    holder_org = aliased(Organization)
    platform_org = aliased(Organization)
    venue = aliased(Organization)
    head = aliased(Person)
    rows = session.execute(
        select(
            Certificate,
            Person.sex,
            Position.name,
            Position.name_dative,
            holder_org.short_name,
            Internship.start_date,
            Internship.actual_end,
            platform_org.short_name,
            head.surname,
            head.name,
            head.patronymic,
            Event.starts_on,
            Event.ends_on,
            EventForm.name,
            EventLevel.name,
            venue.short_name,
        )
        .join(Person, Person.id == Certificate.person_id)
        .outerjoin(Position, Position.id == Person.position_id)
        .outerjoin(holder_org, holder_org.id == Person.organization_id)
        .outerjoin(Internship, Internship.id == Certificate.internship_id)
        .outerjoin(Program, Program.id == Internship.program_id)
        .outerjoin(Platform, Platform.id == Program.platform_id)
        .outerjoin(platform_org, platform_org.id == Platform.organization_id)
        .outerjoin(head, head.id == Platform.head_id)
        .outerjoin(Event, Event.id == Certificate.event_id)
        .outerjoin(EventForm, EventForm.id == Event.form_id)
        .outerjoin(EventLevel, EventLevel.id == Event.level_id)
        .outerjoin(venue, venue.id == Event.venue_id)
        .where(Certificate.id.in_(list(ids)))
    ).all()
    found = {row[0].id: row for row in rows}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"Сертификат № {missing[0]} не найден.")
    roles: dict[tuple[int, int], str] = {}
    event_pairs = [(r[0].event_id, r[0].person_id) for r in rows if r[0].event_id]
    if event_pairs:
        for event_id, person_id, role in session.execute(
            select(Participation.event_id, Participation.person_id, Participation.role).where(
                Participation.event_id.in_({e for e, _ in event_pairs})
            )
        ):
            key = (event_id, person_id)
            role = str(getattr(role, "value", role))
            if _ROLE_RANK.get(role, 0) > _ROLE_RANK.get(roles.get(key, ""), -1):
                roles[key] = role
    key_signer = signer(session)
    first = district.signatory(0)
    chief = (first.position or "Руководитель", district.signature_name(first.name))
    views = []
    for certificate_id in ids:
        (cert, sex, position, position_dative, organization, start, end, platform, *rest) = found[
            certificate_id
        ]
        head_surname, head_name, head_patronymic, ev_start, ev_end, form, level, place = rest
        signatories = [chief]
        if cert.kind == CertificateKind.INTERNSHIP and head_surname:
            head_full = " ".join(p for p in (head_surname, head_name, head_patronymic) if p)
            signatories.append((PLATFORM_HEAD, district.signature_name(head_full)))
        elif len(district.signatories) > 1:
            second = district.signatory(1)
            signatories.append((second.position, district.signature_name(second.name)))
        kind = str(cert.kind.value)
        views.append(
            CertificateView(
                number=cert.number,
                kind=kind,
                issued_on=cert.issued_on,
                holder=cert.holder_name,
                holder_dative=cert.holder_name_dative,
                sex=str(getattr(sex, "value", sex)),
                position=position or "",
                position_dative=position_dative or "",
                organization=organization or "",
                basis_title=cert.basis_title,
                hours=cert.hours,
                start=start if kind == "internship" else ev_start,
                end=end if kind == "internship" else ev_end,
                platform=platform or "",
                event_form=form or "",
                event_level=level or "",
                venue=place or "",
                role=roles.get((cert.event_id, cert.person_id), "listener")
                if cert.event_id
                else "listener",
                founder=district.founder,
                issuer=district.issuer,
                city=district.city,
                signatories=tuple(signatories),
                wording=district.certificate_wording,
                duplicate=cert.duplicate_no > 0,
                code=key_signer.code(facts_of(cert, key_signer.key_no)),
                short_code=short_code(cert.verification_code),
            )
        )
    return views


def issue_certificates(
    db: Database,
    selection: Selection,
    *,
    pdf: Path | str | None = None,
    split_dir: Path | str | None = None,
    issued_on: date | None = None,
    corrections: dict[int, str] | None = None,
    expected: Sequence[int] | None = None,
    actor: str = "",
    progress: ProgressFn = no_progress,
) -> IssueResult:
    """Issue, register and print the certificates of a selection: one PDF (``pdf``), one file
    each in ``split_dir``, or both. ``corrections`` are the dative forms the user fixed in the
    preview (person id → form; they are printed and kept for the person). ``expected`` is the
    list of person ids the user saw in the preview: if someone else changed the selection
    meanwhile, nothing is issued and the user is asked to look again."""
    if pdf is None and split_dir is None:
        raise UserError("Укажите файл PDF или папку для сертификатов.")
    issued_on = issued_on or date.today()
    service = CertificateService()
    result = IssueResult()
    single_folder = Path(pdf).parent if pdf is not None else None
    with _maybe_staged(single_folder) as single, _maybe_staged(split_dir) as many:
        with db.session(write=True) as session:
            found = recipients(session, selection)
            if expected is not None and sorted(expected) != sorted(r.person_id for r in found):
                raise UserError(
                    "Список получателей изменился, пока открыт предпросмотр "
                    "(кто-то выдал сертификаты или завершил стажировки). Откройте его заново."
                )
            if not found:
                raise UserError(_nothing_to_issue(selection))
            found = with_corrections(found, corrections or {})
            _keep_corrections(session, found, corrections or {}, actor)
            district = load_district(session)
            ids = []
            for i, recipient in enumerate(found):
                if i % 50 == 0:
                    progress(i, len(found) * 2, "Регистрация номеров")
                cert = service.issue(
                    session,
                    kind=recipient.kind,
                    person_id=recipient.person_id,
                    internship_id=recipient.internship_id,
                    event_id=recipient.event_id,
                    issued_on=issued_on,
                    hours=recipient.hours,
                    signatory=district.signatory(0).name,
                    actor=actor,
                )
                cert.holder_name_dative = recipient.dative
                ids.append(cert.id)
                result.numbers.append(cert.number)
            session.flush()
            views = certificate_views(session, ids, district)
            total = len(views)

            def step(done: int, _total: int = 0, text: str = "") -> None:
                progress(total + done, total * 2, text or "Печать")

            if single is not None and pdf is not None:
                write_certificates(single.path(Path(pdf).name), views, step)
            if many is not None:
                write_certificate_files(many, views, step)
        # committed: the numbers are in the register; now the files take their places
        if single is not None:
            result.files += single.publish()
        if many is not None:
            result.files += many.publish()
    return result


def _maybe_staged(folder: Path | str | None) -> AbstractContextManager[StagedFiles | None]:
    return StagedFiles(folder) if folder is not None else nullcontext()


def _keep_corrections(
    session: Session, found: list[Recipient], corrections: dict[int, str], actor: str
) -> None:
    """Every form the user set in the preview is kept for the person, in the batch's
    transaction; a form taken back to the declined one clears the person's correction."""
    from ..services.issuing import correct_dative

    for recipient in found:
        if recipient.person_id in corrections:
            correct_dative(session, recipient.person_id, recipient.dative, actor)


def _nothing_to_issue(selection: Selection) -> str:
    if selection.kind == CertificateKind.INTERNSHIP:
        return (
            "Нет завершённых стажировок без сертификата по выбранным условиям "
            f"({selection.describe()})."
        )
    return "Всем участникам мероприятия сертификаты уже выданы (или участники не отмечены)."


def print_certificates(
    session: Session,
    ids: Sequence[int],
    *,
    pdf: Path | str | None = None,
    split_dir: Path | str | None = None,
    progress: ProgressFn = no_progress,
) -> list[Path]:
    """Print already issued certificates again (same numbers, same codes); cancelled ones
    are refused — a duplicate is issued instead."""
    cancelled = session.scalars(
        select(Certificate.number).where(
            Certificate.id.in_(list(ids)), Certificate.status == CertificateStatus.CANCELLED
        )
    ).all()
    if cancelled:
        raise UserError(f"Сертификат {cancelled[0]} аннулирован и не печатается.")
    views = certificate_views(session, ids)
    files: list[Path] = []
    if pdf is not None:
        with StagedFiles(Path(pdf).parent) as staged:
            write_certificates(staged.path(Path(pdf).name), views, progress)
            files += staged.publish()
    if split_dir is not None:
        with StagedFiles(split_dir) as staged:
            write_certificate_files(staged, views, progress)
            files += staged.publish()
    return files
