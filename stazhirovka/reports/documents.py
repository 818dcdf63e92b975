"""The printable documents by kind — one table that the command line (``print``) and the
window's print buttons both use. Each kind says which records it prints and how to lay out
one of them; :func:`print_documents` writes one PDF of one or many, off any UI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from ..errors import UserError
from ..services.district import District, load_district
from .output import ProgressFn, no_progress
from .pdf.layout import Document, Meta, render


@dataclass(frozen=True)
class Options:
    """What every document may need besides its record."""

    district: District = field(default_factory=District)
    today: date = field(default_factory=date.today)
    year: int | None = None  # plan and platform report: the year (default: today's)
    date_from: date | None = None  # platform report: the period (default: the year)
    date_to: date | None = None

    @property
    def period(self) -> tuple[date, date]:
        if self.date_from and self.date_to:
            return self.date_from, self.date_to
        year = self.year or self.today.year
        return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class DocumentKind:
    key: str  # «journal» — the name on the command line
    title: str  # «Журнал профессионального роста стажёра»
    record: str  # the registry whose records it prints: «internships», «programs»…
    # The documents for these records, in order; unknown ids raise NotFoundError.
    documents: Callable[[Session, Sequence[int], Options], list[Document]]
    # Every record of this kind that «--all» prints (for the year of the options, if any).
    all_ids: Callable[[Session, Options], list[int]]
    file_stem: Callable[[Session, int], str] = lambda _s, record_id: str(record_id)
    # A kind that is not laid out as office pages (the certificate) writes its file itself.
    render: Callable[[Session, Sequence[int], Path, Options, ProgressFn], Path] | None = None


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    KINDS[kind.key] = kind
    return kind


def kind(key: str) -> DocumentKind:
    _load_kinds()
    try:
        return KINDS[key]
    except KeyError:
        raise UserError(f"Неизвестный вид документа «{key}».") from None


def kinds_for(record: str) -> list[DocumentKind]:
    """The documents a record of this registry can be printed as (the card's print buttons)."""
    _load_kinds()
    return [k for k in KINDS.values() if k.record == record]


def options_for(session: Session, **kwargs: object) -> Options:
    return Options(district=load_district(session), **kwargs)  # type: ignore[arg-type]


def print_documents(
    session: Session,
    key: str,
    ids: Sequence[int] | None,
    path: Path | str,
    options: Options | None = None,
    progress: ProgressFn = no_progress,
) -> Path:
    """One PDF of the documents of kind ``key`` for ``ids`` (None: every record, «--all»)."""
    document_kind = kind(key)
    options = options or options_for(session)
    if ids is None:
        ids = document_kind.all_ids(session, options)
    if not ids:
        raise UserError(f"Нечего печатать: «{document_kind.title}» — записей не найдено.")
    if document_kind.render is not None:
        return document_kind.render(session, list(ids), Path(path), options, progress)
    documents = document_kind.documents(session, list(ids), options)
    return render(
        path,
        documents,
        Meta(document_kind.title, author=options.district.issuer),
        progress=progress,
    )


def _load_kinds() -> None:
    """Import the document modules (``reports/pdf/doc_*.py``); each registers its kinds."""
    import importlib
    import pkgutil

    from . import pdf

    for module in pkgutil.iter_modules(pdf.__path__):
        if module.name.startswith("doc_"):
            importlib.import_module(f"{pdf.__name__}.{module.name}")
