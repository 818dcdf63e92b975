"""Withdrawal of consent to the processing of personal data (152-ФЗ ст. 9, 21; DOCUMENTS.md §7).

The person stops being identifiable: name, contacts, СНИЛС, education and the corrected dative
form are erased, and so are the old values the audit trail kept of them. What the law keeps
and the statistics need stays: the certificate register (an archival record, with the name as
issued), and the person's row itself with sex, organization, position, category and the date
teaching started, so every count and share of earlier periods comes out the same."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..errors import UserError
from ..formats import short_date
from ..models import AuditEntry, Person
from .crud import audit
from .people import PersonService

ANONYMIZED = "Обезличено"


def withdraw_consent(
    session: Session, person_id: int, on: date | None = None, *, actor: str = ""
) -> None:
    """Record the withdrawal on ``on`` (today) and anonymize the person; refused to a role
    that may not change persons, and for a person already anonymized."""
    on = on or date.today()
    if on > date.today():
        raise UserError("Дата отзыва согласия не может быть в будущем.")
    person: Person = PersonService().get_for_change(session, person_id)
    if person.consent_withdrawn_on is not None:
        raise UserError(
            f"Согласие педагога № {person_id} уже отозвано "
            f"{short_date(person.consent_withdrawn_on)}; данные обезличены."
        )
    if person.consent_on is not None and on < person.consent_on:
        raise UserError(
            f"Дата отзыва ({short_date(on)}) раньше даты согласия ({short_date(person.consent_on)})."
        )
    person.surname = person.name = ANONYMIZED
    person.patronymic = ""
    person.phone = person.email = person.education = person.dative_override = ""
    person.snils = None
    person.consent_withdrawn_on = on
    # the trail's old values of this person named them: only the fact of each change stays
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.entity == Person.__tablename__, AuditEntry.entity_id == person_id)
        .values(changes="")
    )
    session.flush()
    audit(session, "anonymize", person, {"consent_withdrawn_on": (None, on)}, actor)
