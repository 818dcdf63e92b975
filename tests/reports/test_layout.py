"""The office style every document shares (DOCUMENTS.md §5), read back from the PDF: page
numbers from page 2 of each document, headers repeated, words broken at their own hyphen,
signatures kept with what they close, and files that appear whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from stazhirovka.reports.output import StagedFiles, atomic_file, safe_file_name
from stazhirovka.reports.pdf.blocks import signatures
from stazhirovka.reports.pdf.layout import Document, Meta, content_width, para, render, title
from stazhirovka.reports.pdf.tables import Column, data_table
from tests.reports.pdfcheck import embedded_fonts, opens_in_qpdf, pdf_text

WIDTH = content_width()


def _long_table() -> list:
    rows = [(i, f"Практико-ориентированный семинар № {i}", 9) for i in range(1, 121)]
    columns = [Column("№", 1, "center"), Column("Тема", 8), Column("Часы", 1, "right")]
    return [*title("Журнал"), data_table(columns, rows, WIDTH, total=("", "Итого", 1080))]


def test_page_numbers_start_on_page_two_of_each_document_and_headers_repeat(
    tmp_path: Path,
) -> None:
    path = render(tmp_path / "a.pdf", [Document(_long_table), Document(_long_table)], Meta("т"))
    pages = pdf_text(path)
    assert opens_in_qpdf(path) == len(pages) and len(pages) % 2 == 0
    half = len(pages) // 2
    for document in (pages[:half], pages[half:]):
        assert document[0].startswith("Журнал")  # no number on a first page
        for number, page in enumerate(document[1:], start=2):
            assert page.startswith("№ Тема Часы 1 2 3"), page[:40]  # the header repeats
            assert page.endswith(f" {number}"), page[-20:]  # the page's own number
        assert "Итого 1080" in document[-1]
    assert any(font.startswith("PTSerif") for font in embedded_fonts(path))


def test_cells_break_words_at_their_own_hyphen_and_never_overflow(tmp_path: Path) -> None:
    columns = [Column("Форма", 33), Column("Уровень", 30), Column("Прочее", 194)]
    rows = [("практико-ориентированный семинар", "муниципальный", "—")]
    path = render(
        tmp_path / "t.pdf",
        [Document(lambda: [data_table(columns, rows, content_width("landscape"))], "landscape")],
        Meta("т"),
    )
    text = pdf_text(path)[0]
    # «практико-» ends a line and «ориентированный» stays whole on the next one
    assert "практико- ориентированный" in text and "муниципальный" in text


def test_signatures_stay_with_what_they_close_without_forcing_a_page_break(
    tmp_path: Path,
) -> None:
    def build() -> list:
        closing = KeepTogether(
            [para("Заключение педагога-мастера."), signatures([("Стажёр", "И.И. Сидоров")], WIDTH)]
        )
        return [Spacer(1, 200), closing, PageBreak(), para("Вторая страница")]

    pages = pdf_text(render(tmp_path / "s.pdf", [Document(build)], Meta("т")))
    assert len(pages) == 2
    assert "Заключение педагога-мастера. Стажёр И.И. Сидоров" in pages[0]


def test_a_failed_document_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "план.pdf"
    target.write_bytes(b"old")

    def broken() -> list:
        raise RuntimeError("no data")

    with pytest.raises(RuntimeError):
        render(target, [Document(broken)], Meta("т"))
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["план.pdf"]
    with pytest.raises(KeyboardInterrupt), atomic_file(target) as temp:
        temp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old" and len(list(tmp_path.iterdir())) == 1


def test_staged_files_publish_together_or_not_at_all(tmp_path: Path) -> None:
    with StagedFiles(tmp_path) as staged:
        staged.path("a.pdf").write_bytes(b"1")
        staged.path("a.pdf").write_bytes(b"2")  # the same name twice in one batch
    assert list(tmp_path.iterdir()) == []  # not published: gone with the stage
    with StagedFiles(tmp_path) as staged:
        staged.path("a.pdf").write_bytes(b"1")
        staged.path("a.pdf").write_bytes(b"2")
        published = staged.publish()
    assert sorted(p.name for p in published) == ["a (2).pdf", "a.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a (2).pdf", "a.pdf"]


def test_file_names_are_readable_and_legal() -> None:
    assert safe_file_name("Иванова Мария", "СП-2026-0042") == "Иванова Мария СП-2026-0042.pdf"
    assert safe_file_name('Отчёт: "площадка"/№ 5?') == "Отчёт_ _площадка__№ 5_.pdf"
    assert safe_file_name("  ", "") == "документ.pdf"
