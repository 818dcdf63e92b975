"""Run in child processes by tests/test_concurrency.py (importable under «spawn»)."""

from __future__ import annotations

from datetime import date


def issue_for(url: str, event_id: int, person_ids: list[int]) -> list[str]:
    """Issue a participation certificate to each person, one transaction each, as desktops do."""
    from stazhirovka.db import open_database
    from stazhirovka.models import CertificateKind
    from stazhirovka.services.certificates import CertificateService

    db = open_database(url)
    numbers = []
    try:
        for person_id in person_ids:
            with db.session(write=True) as session:
                cert = CertificateService().issue(
                    session, kind=CertificateKind.PARTICIPATION, person_id=person_id,
                    event_id=event_id, issued_on=date(2026, 11, 20),
                )  # fmt: skip
                numbers.append(cert.number)
    finally:
        db.close()
    return numbers
