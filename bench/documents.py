"""Documents against the raw limit measured in the same run (issue 4):

* 1,000 certificates in one PDF and as 1,000 files — ours (layout, wording, signed QR code)
  beside bare reportlab canvas code drawing the same text with the same font, and beside the
  same bare code that also draws the same QR code (zxing-cpp) — goal ≤ 1.5×;
* issuing them end to end: numbers, register, signed codes and the PDF in one transaction;
* a growth journal of 200 entries beside a bare platypus table of the same rows.

    .venv/bin/python bench/documents.py [--n 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from common import demo_database
from sqlalchemy import insert, select

from stazhirovka.db import open_database
from stazhirovka.reports.pdf.certificate import (
    PAGE,
    CertificateView,
    _canvas,
    _draw_qr,
    body_lines,
    write_certificate_files,
    write_certificates,
)
from stazhirovka.reports.pdf.fonts import SERIF, register_fonts

NAMES = [
    ("Ковальчук", "Анна", "Ивановна", "F"),
    ("Мамедов", "Ильхам", "Гасан оглы", "M"),
    ("Семёнова", "Алёна", "Фёдоровна", "F"),
    ("Римский-Корсаков", "Николай", "Андреевич", "M"),
]


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def views(n: int) -> list[CertificateView]:
    from stazhirovka.grammar import dative_name
    from stazhirovka.reports.certificates import short_code
    from stazhirovka.services.signing import SignedFacts, Signer

    signer = Signer(1, "11" * 32)
    result = []
    for i in range(n):
        surname, name, patronymic, sex = NAMES[i % len(NAMES)]
        holder = f"{surname} {name} {patronymic}"
        number = f"СП-2026-{i + 1:04d}"
        result.append(
            CertificateView(
                number=number,
                kind="internship",
                issued_on=date(2026, 11, 21),
                holder=holder,
                holder_dative=dative_name(surname, name, patronymic, sex),
                sex=sex,
                position="учитель начальных классов",
                position_dative="учителю начальных классов",
                organization="МБОУ СОШ № 12",
                basis_title="Формирующее оценивание на уроках в начальной школе",
                hours=36,
                start=date(2026, 9, 10),
                end=date(2026, 11, 15),
                platform="МБОУ гимназия № 5",
                founder="Управление образования администрации муниципального образования",
                issuer="МБУ «Центр развития образования»",
                city="г. Тимашевск",
                signatories=(
                    ("Директор МБУ «ЦРО»", "А.В. Кузнецова"),
                    ("Руководитель стажировочной площадки", "Н.А. Петрова"),
                ),
                code=signer.code(SignedFacts(number, holder, "36", date(2026, 11, 21), 1)),
                short_code=short_code(f"{i:016x}"),
            )
        )
    return result


def bare_page(canvas: object, view: CertificateView, qr: bool) -> None:
    """The raw limit: the same strings at fixed places, no wrapping, no wording logic."""
    width, height = PAGE
    c = canvas
    c.setFont(SERIF, 11)  # type: ignore[attr-defined]
    c.drawCentredString(width / 2, height - 70, view.founder)  # type: ignore[attr-defined]
    c.setFont(SERIF + "-Bold", 12.5)  # type: ignore[attr-defined]
    c.drawCentredString(width / 2, height - 85, view.issuer)  # type: ignore[attr-defined]
    c.setFont(SERIF + "-Bold", 34)  # type: ignore[attr-defined]
    c.drawCentredString(width / 2, height - 170, "СЕРТИФИКАТ")  # type: ignore[attr-defined]
    c.setFont(SERIF, 13)  # type: ignore[attr-defined]
    c.drawCentredString(width / 2, height - 195, f"№ {view.number}")  # type: ignore[attr-defined]
    y = height - 230
    for text, font, size in body_lines(view):
        c.setFont(font, size)  # type: ignore[attr-defined]
        c.drawCentredString(width / 2, y, text)  # type: ignore[attr-defined]
        y -= size * 1.35
    c.setFont(SERIF, 12)  # type: ignore[attr-defined]
    for i, (position, name) in enumerate(view.signatories):
        c.drawString(70, 180 - i * 34, position)  # type: ignore[attr-defined]
        c.drawString(520, 180 - i * 34, name)  # type: ignore[attr-defined]
    c.drawString(70, 80, view.city)  # type: ignore[attr-defined]
    c.drawString(70, 64, "«21» ноября 2026 г.")  # type: ignore[attr-defined]
    if qr:
        _draw_qr(c, view.code, width - 142, 57, 85)
    c.showPage()  # type: ignore[attr-defined]


def bare_one(path: Path, items: list[CertificateView], qr: bool) -> None:
    canvas = _canvas(path, "Сертификаты", "")
    for view in items:
        bare_page(canvas, view, qr)
    canvas.save()


def bare_files(folder: Path, items: list[CertificateView], qr: bool) -> None:
    for view in items:
        canvas = _canvas(folder / view.file_name, "Сертификат", "")
        bare_page(canvas, view, qr)
        canvas.save()


def fresh_folder(root: Path) -> Path:
    folder = Path(tempfile.mkdtemp(dir=root))
    return folder


def issue_end_to_end(n: int, root: Path, repeat: int) -> float:
    """Issue n certificates in a copy of the district demo with n more completed internships."""
    from stazhirovka.models import Internship, InternshipStatus, Person, Program
    from stazhirovka.reports.certificates import issue_certificates
    from stazhirovka.services.issuing import Selection

    template = root / "issue-template.db"
    shutil.copyfile(demo_database("district"), template)
    db = open_database(f"sqlite:///{template}")
    with db.session() as s:
        program_id = s.scalar(select(Program.id).order_by(Program.id).limit(1))
        start = date(2025, 9, 1)
        people = [
            {"surname": NAMES[i % 4][0], "name": NAMES[i % 4][1], "patronymic": NAMES[i % 4][2],
             "sex": NAMES[i % 4][3], "search_key": "", "dative_override": "", "subject": "",
             "education": "", "phone": "", "email": "", "consent_document": ""}
            for i in range(n)
        ]  # fmt: skip
        ids = s.execute(insert(Person).returning(Person.id), people).scalars().all()
        s.execute(
            insert(Internship),
            [
                {"person_id": pid, "program_id": program_id, "cohort": "bench",
                 "start_date": start, "planned_end": start + timedelta(days=240),
                 "status": InternshipStatus.COMPLETED, "actual_end": date(2026, 5, 30),
                 "hours_done": 36, "withdraw_reason": ""}
                for pid in ids
            ],
        )  # fmt: skip
        internship_ids = tuple(
            s.scalars(select(Internship.id).where(Internship.cohort == "bench")).all()
        )
    db.close()
    runs = []
    for _ in range(repeat):
        copy = root / "issue.db"
        shutil.copyfile(template, copy)
        db = open_database(f"sqlite:///{copy}")
        started = time.perf_counter()
        result = issue_certificates(
            db, Selection(internship_ids=internship_ids), pdf=root / "issued.pdf"
        )
        runs.append(time.perf_counter() - started)
        assert len(result.numbers) == n
        db.close()
    return statistics.median(runs)


def journal(root: Path, repeat: int) -> tuple[float, float] | None:
    """A growth journal of 200 entries beside a bare platypus table of the same rows."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from stazhirovka.models import JournalEntry
    from stazhirovka.reports.documents import KINDS, kind, options_for, print_documents

    try:
        kind("journal")
    except Exception:
        return None
    assert "journal" in KINDS
    path = root / "journal.db"
    shutil.copyfile(demo_database("district"), path)
    db = open_database(f"sqlite:///{path}")
    with db.session() as s:
        internship_id = s.scalar(select(JournalEntry.internship_id).limit(1))
        s.execute(
            insert(JournalEntry),
            [
                {"internship_id": internship_id, "entry_date": date(2026, 1, 1) + timedelta(days=i),
                 "activity": "посещение урока", "topic": f"Формирующее оценивание: приём {i}",
                 "hours": 2, "result": "Составлены критерии оценивания к уроку",
                 "reflection": "Понятно, как давать обратную связь без отметки",
                 "mentor_comment": "Использовать лист самооценки"}
                for i in range(200)
            ],
        )  # fmt: skip
        rows = s.execute(
            select(JournalEntry.entry_date, JournalEntry.activity, JournalEntry.topic,
                   JournalEntry.hours, JournalEntry.result, JournalEntry.reflection,
                   JournalEntry.mentor_comment)
            .where(JournalEntry.internship_id == internship_id)
        ).all()  # fmt: skip

    def ours() -> None:
        with db.session() as s:
            print_documents(s, "journal", [internship_id], root / "journal.pdf", options_for(s))

    style = ParagraphStyle("c", fontName=SERIF, fontSize=10, leading=12)

    def bare() -> None:
        data = [[Paragraph(str(v), style) for v in row] for row in rows]
        doc = SimpleDocTemplate(str(root / "bare-journal.pdf"), pagesize=landscape(A4))
        doc.build([Table(data, repeatRows=1)])

    result = timed(ours, repeat), timed(bare, repeat)
    db.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    register_fonts()
    n, repeat = args.n, args.repeat
    items = views(n)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows = [
            ("one PDF", lambda: write_certificates(root / "ours.pdf", items),
             lambda: bare_one(root / "bare.pdf", items, qr=False),
             lambda: bare_one(root / "bare-qr.pdf", items, qr=True)),
        ]  # fmt: skip

        def ours_files() -> None:
            from stazhirovka.reports.output import StagedFiles

            with StagedFiles(fresh_folder(root)) as staged:
                write_certificate_files(staged, items)
                staged.publish()

        rows.append(
            ("separate files", ours_files,
             lambda: bare_files(fresh_folder(root), items, qr=False),
             lambda: bare_files(fresh_folder(root), items, qr=True))
        )  # fmt: skip
        print(f"{n} certificates, median of {repeat}")
        print(f"{'':16} {'ours':>8} {'bare':>8} {'bare+QR':>8} {'÷bare':>6} {'÷bare+QR':>8}")
        for label, ours, bare, bare_qr in rows:
            t_ours, t_bare, t_qr = timed(ours, repeat), timed(bare, repeat), timed(bare_qr, repeat)
            print(
                f"{label:16} {t_ours:7.2f}s {t_bare:7.2f}s {t_qr:7.2f}s "
                f"{t_ours / t_bare:5.2f}× {t_ours / t_qr:7.2f}×"
            )
        size = (root / "ours.pdf").stat().st_size / 1e6
        print(f"one PDF: {size:.1f} MB, {size * 1e3 / n:.0f} KB per certificate")
        t_issue = issue_end_to_end(n, root, repeat)
        print(f"issue end to end (numbers, register, signed codes, one PDF): {t_issue:.2f}s")
        result = journal(root, repeat)
        if result is None:
            print("growth journal: the journal document is not available")
        else:
            t_ours, t_bare = result
            print(
                f"growth journal, 200 entries: ours {t_ours:.2f}s, bare platypus table "
                f"{t_bare:.2f}s, {t_ours / t_bare:.2f}×"
            )


if __name__ == "__main__":
    main()
