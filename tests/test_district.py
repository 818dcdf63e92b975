"""The district's document details live in the database: saved, read back, audited, checked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from stazhirovka.errors import ValidationError
from stazhirovka.models import AuditEntry
from stazhirovka.services.district import District, Signatory, load_district, save_district


def test_an_empty_database_prints_blank_details(session) -> None:
    district = load_district(session)
    assert district == District()
    assert district.signatory(0) == Signatory() and district.signature_name("") == ""


def test_details_round_trip_with_spaces_collapsed_and_empty_signatories_dropped(session) -> None:
    save_district(
        session,
        District(
            founder="  Управление  образования ",
            service_name="МБУ «ЦРО»",
            city="г. Тимашевск",
            signatories=[
                Signatory("Директор МБУ «ЦРО»", "Кузнецова  Анна Викторовна"),
                Signatory("", " "),
            ],
            certificate_wording="nominative",
            signature_style="full",
        ),
        actor="methodist",
    )
    district = load_district(session)
    assert district.founder == "Управление образования"
    assert district.signatories == [Signatory("Директор МБУ «ЦРО»", "Кузнецова Анна Викторовна")]
    assert district.certificate_wording == "nominative"
    assert district.signature_name(district.signatory(0).name) == "Анна Кузнецова"
    assert district.issuer == "МБУ «ЦРО»"  # the short name when there is no full one
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "district_profile"))
    assert entry.user_login == "methodist" and "founder" in entry.changes


def test_unknown_choices_and_overlong_text_are_refused(session) -> None:
    with pytest.raises(ValidationError) as error:
        save_district(
            session,
            District(city="г" * 101, certificate_wording="poem", signature_style="x"),
        )
    fields = {p.field for p in error.value.problems}
    assert fields == {"city", "certificate_wording", "signature_style"}
    assert load_district(session) == District()
