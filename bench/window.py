"""The window at region (or nation) scale: cold start, and the longest event-loop stall.

    .venv/bin/python bench/window.py [--scale region|district|nation] [--db FILE] [--repeat N]

1. Cold start: a fresh process until the main window is shown (its first event-loop turn),
   beside a bare PySide6 script showing an empty QMainWindow, in the same run, alternating.
   Goal (issue 3): ours ≤ 2× the bare one.
2. Stalls: the main window in this process on the demo database; a 5 ms QTimer probe records
   the longest gap between its ticks while the user opens the persons registry, types a
   search letter by letter, sorts, scrolls to the end, filters internships, opens a card and
   the home page. Goal: the event loop never blocked more than 100 ms.
Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import demo_database

BARE = """
import time; started = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

OURS = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from stazhirovka.ui import app as gui
real_exec = QApplication.exec
def exec_once(*_args):
    QTimer.singleShot(0, lambda: (print("shown", flush=True), QApplication.quit()))
    return real_exec()
QApplication.exec = exec_once
sys.exit(gui.run_gui(sys.argv[1]))
"""


def start_time(code: str, *args: str, env: dict[str, str]) -> float:
    """Seconds from spawning the process to its «shown» line."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(60)
    if line.strip() != "shown":
        raise SystemExit(f"the window did not start (exit code {proc.returncode})")
    return elapsed


def cold_start(url: str, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_CONFIG_HOME": home, "XDG_STATE_HOME": home}
        start_time(BARE, env=env)  # warm the file cache for both
        start_time(OURS, url, env=env)
        bare, ours = [], []
        for _ in range(repeat):
            bare.append(start_time(BARE, env=env))
            ours.append(start_time(OURS, url, env=env))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"cold start to the main window shown (median of {repeat}):")
    print(f"  bare PySide6 QMainWindow   {b * 1000:7.0f} ms")
    print(f"  Стажировка                 {o * 1000:7.0f} ms   ratio {o / b:.2f} (goal ≤ 2)")


class StallProbe:
    """The longest gap between ticks of a short timer: how long the event loop was blocked."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import QTimer

        self.interval = interval_ms / 1000
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last - self.interval)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()


def stalls(url: str) -> None:
    from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from stazhirovka.db import open_database
    from stazhirovka.ui import pages  # noqa: F401
    from stazhirovka.ui.app import make_app, warm_up
    from stazhirovka.ui.context import AppContext
    from stazhirovka.ui.main_window import CARD_OPENERS, HOME, SPECIAL_PAGES, MainWindow
    from stazhirovka.ui.settings import Settings
    from stazhirovka.ui.tasks import TaskRunner

    app = make_app()
    db = open_database(url)
    warm_up(db)  # as the program's start-up worker does before the window gets its database
    probe = StallProbe()
    results: list[tuple[str, float]] = []

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def measure(label: str, action: Callable[[], object], settle_ms: int = 500) -> None:
        probe.start()
        QTimer.singleShot(0, action)
        settle(settle_ms)
        probe.timer.stop()
        results.append((label, probe.worst))

    def type_into(widget: object, text: str, pause_ms: int) -> Callable[[], None]:
        def run() -> None:
            for char in text:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(
                        kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char
                    )
                    QApplication.sendEvent(widget, event)  # type: ignore[arg-type]
                settle(pause_ms)

        return run

    with tempfile.TemporaryDirectory() as home:
        ctx = AppContext(db, Settings(Path(home) / "s.ini"), TaskRunner())
        started = time.perf_counter()
        window = MainWindow(ctx)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        results.append(("build and show the main window (blocking)", time.perf_counter() - started))
        measure("open «Педагоги»", lambda: window.show_page("persons"))
        page = window.pages["persons"]
        measure(
            "type «иванова» (a search after each pause)",
            type_into(page.search, "иванова", 300),
            800,
        )
        measure("clear the search", page.search.clear, 600)
        fio = [c.key for c in page.registry.columns].index("organization")
        measure(
            "sort by organization",
            lambda: page.table.sortByColumn(fio, Qt.SortOrder.AscendingOrder),
        )
        measure("scroll to the last row", page.table.scrollToBottom)
        measure("open «Стажировки»", lambda: window.show_page("internships"))
        internships = window.pages["internships"]
        measure(
            "filter internships: active",
            lambda: (
                internships.filters["status"].set_value("active"),
                internships.apply_filters(),
            ),
        )
        if "internships" in CARD_OPENERS:
            record_id = internships.model.row_id(0)
            measure(
                "open an internship card", lambda: window.open_record("internships", record_id), 800
            )
        if HOME in SPECIAL_PAGES:
            measure("open the home page", lambda: window.show_page(HOME), 800)
        window.close()
    db.close()
    print("longest event-loop stall per action (goal: under 100 ms):")
    for label, worst in results:
        flag = "" if worst < 0.1 else "   ← over 100 ms"
        print(f"  {label:<48} {worst * 1000:7.1f} ms{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="region", choices=["district", "region", "nation"])
    parser.add_argument("--db", type=Path, help="an existing database file to use")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = demo_database(args.scale, args.db)
    url = f"sqlite:///{path}"
    print(f"database: {path} ({path.stat().st_size / 1e6:,.0f} MB)")
    cold_start(url, args.repeat)
    stalls(url)


if __name__ == "__main__":
    main()
