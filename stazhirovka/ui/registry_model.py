"""A table model over a registry query: the count up front, rows fetched lazily in blocks.

Search, filters and sort go to the database (MEASURED.md: a proxy model filtering 100k rows
costs half a second a keystroke); the model only keeps a few recently shown blocks of rows,
so memory stays flat at any scale (STYLE.md #9).

With ``background=True`` (the window) a block the view asks for is read in a worker thread:
its rows show empty for a moment and fill in, so scrolling to the far end of a large,
sorted registry never freezes the window. The first block of each query is read at once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)

from ..db import Database
from ..formats import display
from ..services.registry import RegistryQuery, count, fetch_page, get_registry

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter


class RegistryModel(QAbstractTableModel):
    """Rows of one registry. ``reloaded`` fires after each new query with the row count;
    ``failed`` when the database could not be read (the page shows the message)."""

    BLOCK = 200
    MAX_BLOCKS = 40

    reloaded = Signal(int)
    failed = Signal(object)
    _fetched = Signal(int, int, object)  # generation, block number, rows (from the worker)

    def __init__(
        self, db: Database, registry: str, parent: Any = None, background: bool = False
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.registry = get_registry(registry)
        self.columns = self.registry.columns
        self.query = RegistryQuery(limit=self.BLOCK)
        self._count = 0
        self._blocks: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()
        self.background = background
        self._generation = 0  # bumped by every new query: late rows of an old one are dropped
        self._pending: set[int] = set()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._fetched.connect(self._arrived)

    # -- queries ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Run the query again (after a search, a filter, a sort or a saved record)."""
        self.beginResetModel()
        try:
            self._forget_rows()
            try:
                with self.db.session() as session:
                    self._count = count(session, self.registry.name, self.query)
            except Exception as exc:
                self._count = 0
                self.failed.emit(exc)
            if self._count:
                self._fetch(0)
        finally:
            self.endResetModel()
        self.reloaded.emit(self._count)

    def _forget_rows(self) -> None:
        self._generation += 1
        self._blocks.clear()
        self._pending.clear()

    def set_search(self, text: str) -> None:
        if text != self.query.search:
            self.query.search = text
            self.reload()

    def set_filters(self, filters: dict[str, Any]) -> None:
        clean = {k: v for k, v in filters.items() if v is not None and v != ""}
        if clean != self.query.filters:
            self.query.filters = clean
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.query.sort, self.query.descending):
            return
        self.query.sort, self.query.descending = key, descending
        self.beginResetModel()
        self._forget_rows()
        if self._count:
            # A sort by a computed column orders the whole table (up to 0.3 s at region
            # scale): in the window even the first block comes from the worker.
            if self.background:
                self._request(0)
            else:
                self._fetch(0)
        self.endResetModel()

    # -- rows ------------------------------------------------------------------------------

    def row(self, row: int) -> dict[str, Any] | None:
        """The row's values (fetching its block if needed); None past the end or on error."""
        return self._lookup(row, wait=True)

    def _lookup(self, row: int, wait: bool) -> dict[str, Any] | None:
        """A row from the cached blocks; a missing block is read now (``wait``) or asked of
        the worker (None meanwhile)."""
        if not 0 <= row < self._count:
            return None
        number = row // self.BLOCK
        block = self._blocks.get(number)
        if block is None:
            if not wait:
                self._request(number)
                return None
            block = self._fetch(number)
        else:
            self._blocks.move_to_end(number)
        offset = row - number * self.BLOCK
        return block[offset] if offset < len(block) else None

    def _block_query(self, number: int) -> RegistryQuery:
        return RegistryQuery(
            search=self.query.search,
            filters=dict(self.query.filters),
            sort=self.query.sort,
            descending=self.query.descending,
            offset=number * self.BLOCK,
            limit=self.BLOCK,
        )

    def _read(self, query: RegistryQuery) -> list[dict[str, Any]]:
        with self.db.session() as session:
            return fetch_page(session, self.registry.name, query).rows

    def _fetch(self, number: int) -> list[dict[str, Any]]:
        try:
            rows = self._read(self._block_query(number))
        except Exception as exc:
            log.exception("Registry %s: rows could not be read", self.registry.name)
            self.failed.emit(exc)
            rows = []
        self._store(number, rows)
        return rows

    def _store(self, number: int, rows: list[dict[str, Any]]) -> None:
        self._blocks[number] = rows
        self._pending.discard(number)
        while len(self._blocks) > self.MAX_BLOCKS:
            self._blocks.popitem(last=False)

    def _request(self, number: int) -> None:
        """Read a block in the worker; the view is told when its rows are there."""
        if number in self._pending:
            return
        self._pending.add(number)
        generation, query = self._generation, self._block_query(number)

        def work() -> None:
            try:
                rows: object = self._read(query)
            except Exception as exc:
                log.exception("Registry %s: rows could not be read", self.registry.name)
                rows = exc
            self._fetched.emit(generation, number, rows)

        self._pool.start(_Job(work))

    def _arrived(self, generation: int, number: int, rows: object) -> None:
        if generation != self._generation:
            return  # a search or sort came since: these rows belong to the old order
        if isinstance(rows, BaseException):
            self._pending.discard(number)
            self.failed.emit(rows)
            return
        assert isinstance(rows, list)
        self._store(number, rows)
        first = number * self.BLOCK
        last = min(first + len(rows), self._count) - 1
        if last >= first:
            self.dataChanged.emit(
                self.index(first, 0),
                self.index(last, len(self.columns) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for the worker's reads (tests, shutting down)."""
        return self._pool.waitForDone(msecs)

    def _shown_row(self, row: int) -> dict[str, Any] | None:
        """The row for painting: from the cache, or None while its block is being read."""
        return self._lookup(row, wait=not self.background)

    def row_id(self, row: int) -> int | None:
        values = self.row(row)
        return None if values is None else int(values["id"])

    def row_of(self, record_id: int) -> int | None:
        """The row showing a record, if its block is loaded."""
        for number, block in self._blocks.items():
            for offset, values in enumerate(block):
                if values["id"] == record_id:
                    return number * self.BLOCK + offset
        return None

    def total(self) -> int:
        return self._count

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = self._shown_row(index.row())
            if values is None:
                return None
            col = self.columns[index.column()]
            if col.render is not None:
                text = col.render(values)
            else:
                text = display(values.get(col.key), col.kind, dict(col.enum_labels))
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if len(text) > 30 else None
            return text
        if role == ID_ROLE:
            values = self._shown_row(index.row())
            return None if values is None else int(values["id"])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            kind = self.columns[index.column()].kind
            if kind in ("int", "float"):
                return int(_RIGHT)
            if kind in ("date", "datetime", "bool"):
                return int(_CENTER)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].label if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class _Job(QRunnable):
    def __init__(self, fn: Any) -> None:
        super().__init__()
        self.fn = fn

    def run(self) -> None:
        self.fn()
