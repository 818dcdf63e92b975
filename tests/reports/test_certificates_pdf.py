"""Certificates end to end: a batch takes numbers, registers and prints them in one unit of
work; the PDF is read back by pypdf, pikepdf and a QR reader; the signed code verifies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from stazhirovka.db import Database
from stazhirovka.errors import UserError
from stazhirovka.models import (
    Certificate,
    CertificateKind,
    CertificateSequence,
    CertificateStatus,
    Participation,
    Person,
)
from stazhirovka.reports.certificates import issue_certificates, print_certificates
from stazhirovka.reports.documents import options_for, print_documents
from stazhirovka.services.certificates import CertificateService
from stazhirovka.services.district import District, Signatory, save_district
from stazhirovka.services.internships import InternshipService
from stazhirovka.services.issuing import Selection, recipients
from stazhirovka.services.signing import public_key_text, public_keys, read_public_keys
from stazhirovka.services.verification import verify
from tests import factories as f
from tests.reports.pdfcheck import (
    all_text,
    embedded_fonts,
    opens_in_qpdf,
    page_sizes_mm,
    pdf_text,
    qr_codes,
)

ISSUED = date(2026, 11, 21)


def _district(**kw: object) -> District:
    values: dict[str, object] = {
        "founder": "Управление образования администрации муниципального образования Тимашевский район",
        "service_name": "МБУ «ЦРО»",
        "service_full_name": "Муниципальное бюджетное учреждение «Центр развития образования»",
        "city": "г. Тимашевск",
        "signatories": [Signatory("Директор МБУ «ЦРО»", "Кузнецова Анна Викторовна")],
    }
    values.update(kw)
    return District(**values)  # type: ignore[arg-type]


def _world(db: Database, **district: object) -> dict[str, int]:
    """One program with two completed internships: a woman and a man named «Ковальчук»."""
    with db.session() as s:
        save_district(s, _district(**district))
        prog = f.program(s, title="Формирующее оценивание на уроках в начальной школе")
        ids = {"program": prog.id}
        for key, (name, patronymic, sex) in {
            "she": ("Анна", "Ивановна", "F"),
            "he": ("Иван", "Петрович", "M"),
        }.items():
            who = f.person(s, "Ковальчук", name, patronymic, sex=sex, position_id=f.position(s))
            internship = f.internship(s, prog=prog, intern=who)
            InternshipService().move(s, internship.id, "active")
            InternshipService().move(s, internship.id, "completed", on=date(2026, 5, 30))
            ids[key] = who.id
            ids[f"{key}_internship"] = internship.id
    return ids


def test_a_batch_registers_numbers_and_prints_every_certificate(
    database: Database, tmp_path: Path
) -> None:
    ids = _world(database)
    out = tmp_path / "сертификаты.pdf"
    result = issue_certificates(
        database, Selection(program_id=ids["program"]), pdf=out, issued_on=ISSUED
    )

    assert result.numbers == ["СП-2026-0001", "СП-2026-0002"]
    assert result.files == [out]
    with database.session() as s:
        rows = s.execute(
            select(
                Certificate.number, Certificate.holder_name, Certificate.holder_name_dative
            ).order_by(Certificate.seq)
        ).all()
    # ordered by name: Анна before Иван
    assert [tuple(r) for r in rows] == [
        ("СП-2026-0001", "Ковальчук Анна Ивановна", "Ковальчук Анне Ивановне"),
        ("СП-2026-0002", "Ковальчук Иван Петрович", "Ковальчуку Ивану Петровичу"),
    ]
    pages = pdf_text(out)
    assert len(pages) == 2 == opens_in_qpdf(out)
    assert page_sizes_mm(out) == [(297, 210), (297, 210)]
    assert any(font.startswith("PTSerif") for font in embedded_fonts(out))
    she, he = pages
    assert "Ковальчук Анне Ивановне" in she and "она прошла стажировку" in she
    assert "Ковальчуку Ивану Петровичу" in he and "он прошёл стажировку" in he
    assert "№ СП-2026-0001" in she
    assert "по программе «Формирующее оценивание на уроках в начальной школе»" in she
    assert "в объёме 24 часа" in she
    assert "«21» ноября 2026 г." in she and "г. Тимашевск" in she
    assert "А.В. Кузнецова" in she and "М.П." in she
    assert "удостоверение" not in she.lower() and "повышении квалификации" not in she
    assert "учителю математики" in she


def test_the_qr_code_carries_a_code_the_public_key_alone_verifies(
    database: Database, tmp_path: Path
) -> None:
    ids = _world(database)
    out = tmp_path / "c.pdf"
    issue_certificates(database, Selection(program_id=ids["program"]), pdf=out, issued_on=ISSUED)
    codes = qr_codes(out, page=1)
    assert len(codes) == 1 and codes[0].startswith("STZ1.")

    with database.session() as s:
        keys = read_public_keys(public_key_text(public_keys(s)))
        online = verify(s, codes[0])
    offline = verify(None, codes[0], keys)
    for verdict in (online, offline):
        assert verdict.genuine, verdict.text
        assert "Ковальчук Иван Петрович" in verdict.text and "СП-2026-0002" in verdict.text
    forged = codes[0][:-6] + ("AAAAAA" if not codes[0].endswith("AAAAAA") else "BBBBBB")
    assert not verify(None, forged, keys).genuine


def test_a_cancelled_batch_assigns_no_numbers_and_leaves_no_file(
    database: Database, tmp_path: Path
) -> None:
    ids = _world(database)
    folder = tmp_path / "out"

    def cancel_while_printing(done: int, total: int = 0, text: str = "") -> None:
        if total and done > total // 2:
            raise KeyboardInterrupt  # the window's Cancelled works the same way

    with pytest.raises(KeyboardInterrupt):
        issue_certificates(
            database,
            Selection(program_id=ids["program"]),
            pdf=folder / "all.pdf",
            split_dir=folder / "each",
            progress=cancel_while_printing,
        )
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Certificate)) == 0
        assert s.scalar(select(func.count()).select_from(CertificateSequence)) == 0
    assert [p for p in folder.rglob("*") if p.is_file()] == []
    # the next batch starts from number 1: nothing was used up
    result = issue_certificates(
        database, Selection(program_id=ids["program"]), pdf=folder / "a.pdf"
    )
    assert result.numbers[0].endswith("-0001")


def test_a_failure_in_the_middle_of_printing_rolls_everything_back(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stazhirovka.reports.pdf import certificate as module

    ids = _world(database)
    drawn = []

    def failing(canvas: object, view: object) -> None:
        drawn.append(view)
        if len(drawn) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(module, "draw_certificate", failing)
    folder = tmp_path / "out"
    folder.mkdir()
    existing = folder / "c.pdf"
    existing.write_bytes(b"an older file the user keeps")
    with pytest.raises(OSError):
        issue_certificates(
            database, Selection(program_id=ids["program"]), pdf=existing, split_dir=folder
        )
    assert existing.read_bytes() == b"an older file the user keeps"
    assert sorted(p.name for p in folder.iterdir()) == ["c.pdf"]
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Certificate)) == 0


def test_separate_files_are_named_by_holder_and_number(database: Database, tmp_path: Path) -> None:
    ids = _world(database)
    result = issue_certificates(
        database, Selection(program_id=ids["program"]), split_dir=tmp_path / "each"
    )
    names = sorted(p.name for p in (tmp_path / "each").iterdir())
    assert names == [
        "Ковальчук Анна Ивановна СП-2026-0001.pdf",
        "Ковальчук Иван Петрович СП-2026-0002.pdf",
    ]
    assert len(result.files) == 2
    assert "Ковальчуку Ивану Петровичу" in all_text(tmp_path / "each" / names[1])


def test_a_corrected_dative_is_printed_and_kept_for_the_person(
    database: Database, tmp_path: Path
) -> None:
    ids = _world(database)
    with database.session() as s:
        shown = recipients(s, Selection(program_id=ids["program"]))
    assert [r.dative for r in shown] == ["Ковальчук Анне Ивановне", "Ковальчуку Ивану Петровичу"]
    fixed = "Ковальчук Анне-Марии Ивановне"
    issue_certificates(
        database,
        Selection(program_id=ids["program"]),
        pdf=tmp_path / "c.pdf",
        corrections={ids["she"]: fixed},
        expected=[r.person_id for r in shown],
    )
    assert fixed in pdf_text(tmp_path / "c.pdf")[0]
    with database.session() as s:
        assert s.get(Person, ids["she"]).dative_override == fixed
        assert s.get(Person, ids["he"]).dative_override == ""


def test_a_changed_selection_since_the_preview_issues_nothing(
    database: Database, tmp_path: Path
) -> None:
    ids = _world(database)
    with pytest.raises(UserError, match="изменился"):
        issue_certificates(
            database,
            Selection(program_id=ids["program"]),
            pdf=tmp_path / "c.pdf",
            expected=[ids["she"]],
        )
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Certificate)) == 0


def test_nobody_gets_a_second_certificate_until_the_first_is_cancelled(
    database: Database, tmp_path: Path
) -> None:
    ids = _world(database)
    selection = Selection(program_id=ids["program"])
    issue_certificates(database, selection, pdf=tmp_path / "1.pdf")
    with pytest.raises(UserError, match="Нет завершённых стажировок без сертификата"):
        issue_certificates(database, selection, pdf=tmp_path / "2.pdf")
    assert not (tmp_path / "2.pdf").exists()
    with database.session() as s:
        first = s.scalar(select(Certificate.id).where(Certificate.person_id == ids["he"]))
        CertificateService().cancel(s, first, "опечатка в ФИО")
    result = issue_certificates(database, selection, pdf=tmp_path / "3.pdf")
    assert result.numbers == ["СП-2026-0003"]  # a new number; the cancelled one stays


def test_the_nominative_wording(database: Database, tmp_path: Path) -> None:
    ids = _world(database, certificate_wording="nominative", signature_style="full")
    issue_certificates(database, Selection(program_id=ids["program"]), pdf=tmp_path / "c.pdf")
    she = pdf_text(tmp_path / "c.pdf")[0]
    assert "Настоящий сертификат подтверждает, что" in she
    assert "Ковальчук Анна Ивановна" in she and "учитель математики" in she
    assert "прошла стажировку" in she and "Анне" not in she
    assert "Анна Кузнецова" in she


def test_event_certificates_for_listeners_and_speakers(database: Database, tmp_path: Path) -> None:
    with database.session() as s:
        save_district(s, _district())
        event = f.event(s, title="Семинар-практикум «Формирующее оценивание»", hours=8)
        people = {
            "listener": f.person(s, "Лебедь", "Ольга", "Ивановна", sex="F"),
            "absent": f.person(s, "Орлов", "Пётр", "Ильич", sex="M"),
            "speaker": f.person(s, "Муромец", "Илья", "Иванович", sex="M"),
        }
        for key, role, attended in (
            ("listener", "listener", True),
            ("absent", "listener", False),
            ("speaker", "speaker", True),
        ):
            s.add(
                Participation(
                    event_id=event.id, person_id=people[key].id, role=role, attended=attended
                )
            )
        event_id = event.id
    listeners = issue_certificates(
        database,
        Selection(kind=CertificateKind.PARTICIPATION, event_id=event_id),
        pdf=tmp_path / "l.pdf",
    )
    speakers = issue_certificates(
        database, Selection(kind=CertificateKind.SPEAKER, event_id=event_id), pdf=tmp_path / "s.pdf"
    )
    assert listeners.numbers == ["УМ-2026-0001"] and speakers.numbers == ["ВС-2026-0001"]
    listener = all_text(tmp_path / "l.pdf")
    speaker = all_text(tmp_path / "s.pdf")
    assert "СЕРТИФИКАТ УЧАСТНИКА" in listener and "Лебедь Ольге Ивановне" in listener
    assert "приняла участие в мероприятии" in listener and "в качестве слушателя" in listener
    assert "в объёме 8 часов" in listener and "15 октября 2025 г." in listener
    assert "Муромцу Илье Ивановичу" in speaker and "в качестве выступающего" in speaker
    assert "принял участие" in speaker


def test_reprint_duplicate_and_the_register(database: Database, tmp_path: Path) -> None:
    ids = _world(database)
    issue_certificates(database, Selection(program_id=ids["program"]), pdf=tmp_path / "c.pdf")
    with database.session() as s:
        first, second = s.scalars(select(Certificate.id).order_by(Certificate.seq)).all()
        duplicate = CertificateService().duplicate(s, first, issued_on=date(2026, 11, 22)).id
        CertificateService().cancel(s, second, "выдан ошибочно", on=date(2026, 11, 22))
    with database.session() as s:
        print_certificates(s, [duplicate], pdf=tmp_path / "dup.pdf")
        with pytest.raises(UserError, match="аннулирован"):
            print_certificates(s, [second], pdf=tmp_path / "cancelled.pdf")
        print_documents(s, "register", None, tmp_path / "register.pdf", options_for(s, year=2026))
    dup = all_text(tmp_path / "dup.pdf")
    assert "ДУБЛИКАТ" in dup and "СП-2026-0001-Д" in dup
    assert not (tmp_path / "cancelled.pdf").exists()
    register = all_text(tmp_path / "register.pdf")
    assert "Журнал регистрации выданных сертификатов" in register
    for text in ("СП-2026-0001", "СП-2026-0001-Д", "дубликат", "аннулирован 22.11.2026"):
        assert text in register
    assert page_sizes_mm(tmp_path / "register.pdf")[0] == (297, 210)


def test_verify_by_number_register_code_and_cancellation(
    database: Database, tmp_path: Path
) -> None:
    ids = _world(database)
    issue_certificates(database, Selection(program_id=ids["program"]), pdf=tmp_path / "c.pdf")
    with database.session() as s:
        cert = s.scalar(select(Certificate).where(Certificate.person_id == ids["she"]))
        assert verify(s, " сп-2026-0001 ").genuine
        assert verify(s, cert.verification_code.upper()).genuine
        assert not verify(s, "СП-2026-0999").genuine
        CertificateService().cancel(s, cert.id, "выдан ошибочно", on=date(2026, 11, 22))
        assert cert.status == CertificateStatus.CANCELLED
    code = qr_codes(tmp_path / "c.pdf", page=0)[0]
    with database.session() as s:
        by_number, by_code = verify(s, "СП-2026-0001"), verify(s, code)
    for verdict in (by_number, by_code):
        assert verdict.cancelled and not verdict.genuine
        assert "АННУЛИРОВАН 22.11.2026" in verdict.text


def test_a_correction_taken_back_in_the_preview_clears_the_person_s_form(
    database: Database, tmp_path: Path
) -> None:
    ids = _world(database)
    with database.session() as s:
        s.get(Person, ids["she"]).dative_override = "Ковальчук Анне-Марии Ивановне"
    with database.session() as s:
        shown = recipients(s, Selection(program_id=ids["program"]))
    assert shown[0].corrected and shown[0].dative == "Ковальчук Анне-Марии Ивановне"
    issue_certificates(
        database,
        Selection(program_id=ids["program"]),
        pdf=tmp_path / "c.pdf",
        corrections={ids["she"]: shown[0].dative_declined},
    )
    assert "Ковальчук Анне Ивановне" in pdf_text(tmp_path / "c.pdf")[0]
    with database.session() as s:
        assert s.get(Person, ids["she"]).dative_override == ""
