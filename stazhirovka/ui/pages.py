"""Registers the pages and cards that replace a plain registry page or the generic form.

Each lives in a module of its own; the main window only knows these two tables."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from .main_window import CARD_OPENERS, HOME, SPECIAL_PAGES, MainWindow


def _home(window: MainWindow) -> QWidget:
    from .home import HomePage

    page = HomePage(window.ctx.db, window, runner=window.tasks)
    page.open_record.connect(window.open_record)
    page.open_registry.connect(lambda name, filters: window.show_page(name, filters))
    return page


def _plan(window: MainWindow) -> QWidget:
    from .plan_schedule import PlanSchedulePage

    return PlanSchedulePage(window)


def _card(module: str, function: str) -> Any:
    def open_card(window: MainWindow, record_id: int | None, defaults: dict[str, Any]) -> Any:
        import importlib

        return getattr(importlib.import_module(module, __package__), function)(
            window, record_id, defaults
        )

    return open_card


def _exists(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module, __package__) is not None


def register() -> None:
    if _exists(".home"):
        SPECIAL_PAGES[HOME] = _home
    if _exists(".plan_schedule"):
        SPECIAL_PAGES["plan"] = _plan
    for registry, module, function in (
        ("internships", ".internship_card", "open_internship_card"),
        ("programs", ".program_editor", "open_program_editor"),
        ("events", ".event_card", "open_event_card"),
        ("instruments", ".instrument_editor", "open_instrument_editor"),
    ):
        if _exists(module):
            CARD_OPENERS[registry] = _card(module, function)


register()
