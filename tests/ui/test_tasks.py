"""The task runner: work in a pool thread, progress back on the UI thread, cancel, errors."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QPushButton

from stazhirovka.errors import UserError
from stazhirovka.ui.tasks import Progress, TaskRunner


@pytest.fixture
def runner(qapp: QApplication):
    """A threaded runner whose workers are all finished before the test ends."""
    threaded = TaskRunner()
    yield threaded
    assert threaded.wait(10_000)


def test_work_runs_off_the_ui_thread_and_the_result_comes_back(runner, qtbot) -> None:
    ui_thread = QThread.currentThread()
    results: list[object] = []
    off_ui: list[bool] = []

    def work(progress: Progress) -> str:
        off_ui.append(QThread.currentThread() is not ui_thread)
        progress.report(1, 1)
        return "готово"

    task = runner.run(work, title="Проверка", on_done=results.append)
    assert runner.busy
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert off_ui == [True]
    assert results == ["готово"]
    assert task.outcome == "done"
    assert not runner.busy


def test_progress_reaches_the_dialog(runner, qtbot) -> None:
    gate = threading.Event()

    def work(progress: Progress) -> None:
        progress.report(2, 5, "Вторая из пяти")
        gate.wait(5)

    task = runner.run(work, title="Проверка")
    qtbot.waitUntil(lambda: task.dialog.value() == 2, timeout=5000)
    assert task.dialog.maximum() == 5
    assert task.dialog.labelText() == "Вторая из пяти"
    gate.set()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass


def test_cancel_stops_the_work_at_its_next_report(runner, qtbot) -> None:
    started = threading.Event()
    steps: list[int] = []
    cancelled: list[bool] = []

    def work(progress: Progress) -> None:
        started.set()
        for i in range(1000):
            progress.report(i, 1000)
            steps.append(i)
            time.sleep(0.005)

    task = runner.run(work, title="Долгая работа", on_cancel=lambda: cancelled.append(True))
    assert started.wait(5)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.dialog.findChild(QPushButton).click()  # «Отмена»
    assert cancelled == [True]
    assert task.outcome == "cancelled"
    assert len(steps) < 1000


def test_errors_come_back_to_the_ui_thread(runner, qtbot) -> None:
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        raise UserError("Файл занят другой программой.")

    task = runner.run(work, on_error=errors.append, show_dialog=False)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert [str(e) for e in errors] == ["Файл занят другой программой."]
    assert task.outcome == "failed"


def test_an_unhandled_error_is_shown_not_raised(runner, qtbot, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "stazhirovka.ui.tasks.show_error", lambda parent, exc, context: shown.append(str(exc))
    )
    task = runner.run(lambda p: 1 / 0, show_dialog=False)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert shown == ["division by zero"]


@pytest.mark.parametrize("outcome", ["done", "cancelled"])
def test_the_synchronous_runner_for_tests(qapp: QApplication, outcome: str) -> None:
    runner = TaskRunner(synchronous=True)
    done: list[object] = []

    def work(progress: Progress) -> int:
        if outcome == "cancelled":
            progress.cancel()
        progress.report(1, 1)
        return 42

    task = runner.run(work, on_done=done.append, show_dialog=False)
    assert task.outcome == outcome
    assert done == ([42] if outcome == "done" else [])
