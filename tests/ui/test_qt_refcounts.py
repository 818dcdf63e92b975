"""The Qt binding must not lose references to None/True (PySide6 6.12.0 on Python 3.11 did:
every call of a method returning nothing dropped one, and the program aborted mid-session)."""

from __future__ import annotations

import gc
import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_calls_returning_nothing_keep_none_alive(qapp: QApplication) -> None:
    label = QLabel("проверка")
    label.show()
    qapp.processEvents()
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.repaint()
        qapp.processEvents()
    gc.collect()
    assert sys.getrefcount(None) - before > -100  # a lost reference per call would be -1000
    label.deleteLater()
