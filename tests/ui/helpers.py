"""Typing Russian into widgets as a user would.

``qtbot.keyClicks`` goes through QTest's ASCII key table and aborts the process on Cyrillic
letters (qasciikey.cpp), so real key events carrying the text are sent instead."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key (focus moves to it first)."""
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)
    QApplication.processEvents()
