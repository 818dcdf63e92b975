"""The district's signing key can be replaced (issue 6): new certificates are signed with the
new key, those signed before still verify, and anybody may check a code with the public keys,
while the private halves stay with the district's roles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stazhirovka.models import AuditEntry, Role, SigningKey
from stazhirovka.services.access import AccessError, Principal
from stazhirovka.services.signing import SignedFacts, public_keys, rotate_key, signer
from stazhirovka.services.verification import verify


def _code(session: Session, number: str) -> str:
    sign = signer(session)
    return sign.code(SignedFacts(number, "Сидоров Илья Ильич", "36", date(2026, 6, 1), sign.key_no))


def test_a_new_key_signs_from_now_on_and_old_codes_still_verify(session: Session) -> None:
    old_code = _code(session, "СП-2026-0001")
    session.info["principal"] = Principal("metod", Role.METHODOLOGIST)
    with pytest.raises(AccessError, match="заменять ключ подписи"):
        rotate_key(session)
    session.info["principal"] = Principal("admin", Role.ADMIN)
    assert rotate_key(session, actor="admin") == 2
    new_code = _code(session, "СП-2026-0002")
    assert new_code.startswith("STZ1.2.") and old_code.startswith("STZ1.1.")
    assert session.scalars(select(SigningKey.key_no).where(SigningKey.active)).all() == [2]
    trail = session.scalar(select(AuditEntry).where(AuditEntry.action == "rotate_key"))
    assert trail.user_login == "admin" and trail.changes == '{"key_no": [1, 2]}'
    # a coordinator reads no private key, yet checks both codes with the public ones
    session.info["principal"] = Principal("coord", Role.COORDINATOR)
    assert session.scalars(select(SigningKey)).all() == []
    assert set(public_keys(session)) == {1, 2}
    for code in (old_code, new_code):
        assert "Подпись кода верна" in verify(session, code).lines[0]


def test_new_key_from_the_command_line(new_url, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from stazhirovka.cli import main

    url = new_url("sqlite", migrated=True)
    out = tmp_path / "ключи.txt"
    assert main(["public-key", str(out), "--db", url]) == 0
    assert main(["public-key", str(out), "--new-key", "--db", url]) == 0
    assert "ключом № 2" in capsys.readouterr().out
    lines = [ln for ln in out.read_text(encoding="utf-8").splitlines() if ln[:1].isdigit()]
    assert [ln.split(":")[0] for ln in lines] == ["1", "2"]
