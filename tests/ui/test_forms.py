"""Forms beyond plain fields: many-to-many lists and an attached file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from stazhirovka.models import Platform, Product
from stazhirovka.ui.entities import KINDS
from stazhirovka.ui.forms import EntityForm


def _pick(editor, text: str) -> None:
    editor.picker.edit.setText(text)
    editor.picker.suggest()
    first = editor.picker.completer.completionModel().index(0, 0)
    assert first.isValid(), text
    editor.picker.completer.activated.emit(first.data())


def test_a_product_gets_authors_and_a_file(demo_db, make_window, monkeypatch, tmp_path: Path):
    window = make_window(demo_db)
    attachment = tmp_path / "Сборник.pdf"
    attachment.write_bytes(b"%PDF-1.4 test")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(attachment), ""))
    form = EntityForm(demo_db, KINDS["products"], parent=window)
    form.editors["title"].widget.setText("Сборник методических разработок")
    form.editors["kind"].widget.setText("сборник")
    form.editors["year"].widget.setText("2026")
    authors = form.links["authors"]
    _pick(authors, "Иванова")
    _pick(authors, "Петров")
    assert len(authors.ids()) == 2
    form._choose_file()
    assert form.is_dirty()
    assert form.save()
    with demo_db.session() as session:
        product = session.get(Product, form.record_id)
        assert sorted(p.id for p in product.authors) == sorted(authors.ids())
        assert (product.file_name, product.file_data) == ("Сборник.pdf", b"%PDF-1.4 test")
    again = EntityForm(demo_db, KINDS["products"], form.record_id, parent=window)
    assert again.links["authors"].ids() == authors.ids()
    assert again.file_label.text() == "Сборник.pdf"
    assert not again.is_dirty()


def test_platform_directions_are_kept_with_the_platform(demo_db, make_window) -> None:
    window = make_window(demo_db)
    with demo_db.session() as session:
        platform_id = session.scalars(select(Platform.id)).first()
    form = EntityForm(demo_db, KINDS["platforms"], platform_id, parent=window)
    directions = form.links["competencies"]
    before = directions.ids()
    directions.list.clear()
    _pick(directions, "ИКТ")
    assert form.is_dirty()
    assert form.save()
    with demo_db.session() as session:
        names = [c.name for c in session.get(Platform, platform_id).competencies]
    assert len(names) == 1 and "ИКТ" in names[0]
    assert before != directions.ids()
