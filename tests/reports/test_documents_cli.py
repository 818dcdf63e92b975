"""The document commands of CLI.md: certificates, verify, public-key and print."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from stazhirovka.cli import main
from stazhirovka.db import open_database
from stazhirovka.models import Certificate
from stazhirovka.services.internships import InternshipService
from tests import factories as f
from tests.reports.pdfcheck import all_text, qr_codes


@pytest.fixture
def url(new_url: Callable[..., str]) -> str:
    """A database file with two completed internships of one program and one active one."""
    url = new_url("sqlite", migrated=True)
    db = open_database(url)
    with db.session() as s:
        prog = f.program(s, title="ИКТ-компетенции педагога")
        for surname, name, patronymic, sex, done in (
            ("Лебедь", "Ольга", "Ивановна", "F", True),
            ("Муромец", "Илья", "Иванович", "M", True),
            ("Орлова", "Анна", "Петровна", "F", False),
        ):
            who = f.person(s, surname, name, patronymic, sex=sex)
            internship = f.internship(s, prog=prog, intern=who)
            InternshipService().move(s, internship.id, "active")
            if done:
                InternshipService().move(s, internship.id, "completed", on=date(2026, 6, 1))
    db.close()
    return url


def _count(url: str) -> int:
    db = open_database(url)
    try:
        with db.session() as s:
            return int(s.scalar(select(func.count()).select_from(Certificate)))
    finally:
        db.close()


def test_dry_run_lists_the_dative_forms_and_issues_nothing(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "c.pdf"
    assert main(["certificates", str(out), "--db", url, "--program", "икт", "--dry-run"]) == 0
    printed = capsys.readouterr()
    assert "Лебедь Ольга Ивановна\t→ Лебедь Ольге Ивановне" in printed.out
    assert "Муромец Илья Иванович\t→ Муромцу Илье Ивановичу" in printed.out
    assert "Орлова" not in printed.out  # not completed
    assert "Получателей: 2" in printed.err
    assert not out.exists() and _count(url) == 0


def test_issue_split_verify_and_check_offline(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, folder = tmp_path / "c.pdf", tmp_path / "each"
    args = ["certificates", str(out), "--db", url, "--split", str(folder), "--date", "21.11.2026"]
    assert main(args) == 0
    assert "Выдано сертификатов: 2 (СП-2026-0001 … СП-2026-0002)" in capsys.readouterr().out
    assert len(list(folder.iterdir())) == 2 and "Лебедь Ольге Ивановне" in all_text(out)
    assert main(args) == 1  # nobody is left without a certificate
    assert "Нет завершённых стажировок без сертификата" in capsys.readouterr().err

    assert main(["verify", "сп-2026-0002", "--db", url]) == 0
    assert "Муромец Илья Иванович" in capsys.readouterr().out
    assert main(["verify", "СП-2026-0042", "--db", url]) == 1
    assert "не найден" in capsys.readouterr().out

    keys = tmp_path / "keys.txt"
    assert main(["public-key", str(keys), "--db", url]) == 0
    code = qr_codes(out, page=0)[0]
    capsys.readouterr()
    assert main(["verify", code, "--keys", str(keys)]) == 0  # no database at all
    assert "Подпись кода верна" in capsys.readouterr().out
    tampered = code.replace(code.split(".")[2][:8], "QUFBQUFB", 1)
    assert main(["verify", tampered, "--keys", str(keys)]) == 1
    assert "НЕ подтверждён" in capsys.readouterr().out


def test_a_cancelled_certificate_gives_its_own_exit_code(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from stazhirovka.services.certificates import CertificateService

    assert main(["certificates", str(tmp_path / "c.pdf"), "--db", url]) == 0
    db = open_database(url)
    with db.session() as s:
        CertificateService().cancel(s, 1, "выдан ошибочно")
    db.close()
    capsys.readouterr()
    assert main(["verify", "СП-2026-0001", "--db", url]) == 3
    assert "аннулирован" in capsys.readouterr().out


def test_print_the_register_and_errors_in_russian(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["certificates", str(tmp_path / "c.pdf"), "--db", url]) == 0
    register = tmp_path / "register.pdf"
    assert main(["print", "register", str(register), "--all", "--db", url, "--year", "2026"]) == 0
    assert "СП-2026-0002" in all_text(register)
    capsys.readouterr()
    missing = tmp_path / "no.pdf"
    assert main(["print", "certificate", str(missing), "--id", "99", "--db", url]) == 1
    assert "Сертификат № 99 не найден" in capsys.readouterr().err
    assert not missing.exists()
    with pytest.raises(SystemExit) as exit_info:
        main(["certificates", str(missing), "--db", url, "--from", "31.02.2026"])
    assert exit_info.value.code == 2
    assert "дата «31.02.2026» не читается" in capsys.readouterr().err
    assert main(["certificates", str(missing), "--db", url, "--program", "нет такой"]) == 1
    assert "Программа «нет такой» не найдена" in capsys.readouterr().err
