"""Long work off the UI thread: one small runner with progress and cancel (STYLE.md #5).

The work function runs in a pool thread and gets a :class:`Progress`; it opens its own
database session (one session per thread) and calls ``progress.report(...)`` now and then,
which also stops the work with :class:`Cancelled` once the user has pressed «Отмена».
Results and errors come back to the UI thread through queued signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from .errors import show_error

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The user cancelled the work; whatever it wrote is rolled back by its session."""


class Progress:
    """Handed to the work function: report progress, notice a cancel."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        """``done`` of ``total`` steps (``total`` 0: unknown); raises :class:`Cancelled`."""
        self.check()
        self._emit(done, total, text)


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], signals: _Signals, progress: Progress):
        super().__init__()
        self.fn, self.signals, self.progress = fn, signals, progress

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as exc:  # reported on the UI thread, never lost
            self.signals.failed.emit(exc)
        else:
            if self.progress.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.done.emit(result)


class Task(QObject):
    """A started piece of work; ``finished`` fires once, after the callbacks ran."""

    finished = Signal()

    def __init__(self, progress: Progress, dialog: QProgressDialog | None) -> None:
        super().__init__()
        self.progress = progress
        self.dialog = dialog
        self.outcome = ""  # "done", "failed" or "cancelled" once finished
        self.essential = True

    def cancel(self) -> None:
        self.progress.cancel()


class TaskRunner(QObject):
    """Runs work in a pool thread (or inline, for tests) and shows a progress dialog."""

    def __init__(self, synchronous: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.pool = QThreadPool(self)
        self._running: set[Task] = set()

    def run(
        self,
        fn: Callable[[Progress], Any],
        *,
        title: str = "",
        parent: QWidget | None = None,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        show_dialog: bool = True,
        essential: bool = True,
    ) -> Task:
        """Start ``fn(progress)`` in a worker. ``essential=False`` marks a read that may be
        dropped (a page refreshing): closing the program does not wait or ask for it."""
        signals = _Signals()
        progress = Progress(signals.progress.emit)
        dialog = self._dialog(title, parent) if show_dialog else None
        task = Task(progress, dialog)
        task.essential = essential
        self._running.add(task)

        def finish(outcome: str) -> None:
            task.outcome = outcome
            if dialog is not None:
                dialog.reset()
                dialog.hide()
                dialog.deleteLater()
            self._running.discard(task)
            task.finished.emit()

        def done(result: Any) -> None:
            try:
                if on_done is not None:
                    on_done(result)
            finally:
                finish("done")

        def failed(exc: BaseException) -> None:
            try:
                if on_error is not None:
                    on_error(exc)
                else:
                    show_error(parent, exc, title or "a background task")
            finally:
                finish("failed")

        def cancelled() -> None:
            try:
                if on_cancel is not None:
                    on_cancel()
            finally:
                finish("cancelled")

        signals.done.connect(done)
        signals.failed.connect(failed)
        signals.cancelled.connect(cancelled)
        if dialog is not None:
            signals.progress.connect(lambda d, t, text: _show_progress(dialog, d, t, text))
            dialog.canceled.connect(progress.cancel)
        task._signals = signals  # type: ignore[attr-defined]  # keep the emitter alive
        job = _Job(fn, signals, progress)
        if self.synchronous:
            job.run()
        else:
            self.pool.start(job)
        return task

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        """Work is running that closing the program would interrupt."""
        return any(task.essential for task in self._running)

    def _dialog(self, title: str, parent: QWidget | None) -> QProgressDialog:
        dialog = QProgressDialog(title or self.tr("Выполняется…"), self.tr("Отмена"), 0, 0, parent)
        dialog.setWindowTitle(self.tr("Стажировка"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        # Short work finishes before the dialog would flash on screen.
        dialog.setMinimumDuration(400)
        dialog.setValue(0)
        return dialog


def _show_progress(dialog: QProgressDialog, done: int, total: int, text: str) -> None:
    if total > 0:
        dialog.setMaximum(total)
        dialog.setValue(min(done, total))
    else:
        dialog.setMaximum(0)
    if text:
        dialog.setLabelText(text)
