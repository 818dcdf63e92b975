"""«О программе»."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import __version__
from ..db import describe
from ..logs import log_file


def show_about(parent: QWidget | None, url: str) -> None:
    tr = lambda text: QCoreApplication.translate("about", text)  # noqa: E731
    QMessageBox.about(
        parent,
        tr("О программе"),
        tr(
            "<h3>Стажировка {version}</h3>"
            "<p>Стажировочные площадки, стажёры, индивидуальные образовательные маршруты, "
            "диагностики, журналы профессионального роста и сертификаты — для муниципальных "
            "методических служб.</p>"
            "<p>База данных: {db}<br>Журнал работы: {log}</p>"
            "<p>Лицензия MIT.</p>"
        ).format(version=__version__, db=describe(url), log=log_file()),
    )
