"""The print preview: the pages of a written PDF as they will come out of the printer,
rendered with PDFium; page n of N, zoom, and the file opened in the system viewer or saved
where the user wants it.

Pages are rendered when they come into view (a batch of journals may have hundreds of pages)
and a few rendered pages are kept; the document stays open while the dialog is shown."""

from __future__ import annotations

import logging
import shutil
from collections import OrderedDict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .errors import show_error

log = logging.getLogger(__name__)

PAGE_GAP = 16  # pixels between pages and around them
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
FIT_WIDTH = 0.0  # the zoom box's values for «по ширине» and «страница целиком»
FIT_PAGE = -1.0
CACHE_PAGES = 12
FOLDER_KEY = "printing/save_folder"
BACKGROUND = QColor("#8a8d91")


def _image(page: Any, scale: float) -> QImage:
    """One page as a QImage (copied: the PDFium bitmap is freed after this)."""
    import pypdfium2.raw as raw

    bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
    try:
        formats = {
            (raw.FPDFBitmap_BGRx, True): QImage.Format.Format_RGBX8888,
            (raw.FPDFBitmap_BGRA, True): QImage.Format.Format_RGBA8888,
            (raw.FPDFBitmap_BGR, True): QImage.Format.Format_RGB888,
            (raw.FPDFBitmap_BGRx, False): QImage.Format.Format_RGB32,
            (raw.FPDFBitmap_BGRA, False): QImage.Format.Format_ARGB32,
            (raw.FPDFBitmap_BGR, False): QImage.Format.Format_BGR888,
            (raw.FPDFBitmap_Gray, True): QImage.Format.Format_Grayscale8,
            (raw.FPDFBitmap_Gray, False): QImage.Format.Format_Grayscale8,
        }
        image_format = formats[(bitmap.format, bool(bitmap.rev_byteorder))]
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, image_format)
        return image.copy()
    finally:
        bitmap.close()


class PagesView(QWidget):
    """All pages one under another, centred, on a grey desk; painted as they are seen."""

    def __init__(self, pdf: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.sizes = [pdf.get_page_size(i) for i in range(len(pdf))]  # in points
        self.zoom = 1.0
        self.rects: list[QRect] = []
        self._cache: OrderedDict[tuple[int, float], QImage] = OrderedDict()
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), BACKGROUND)
        self.setPalette(palette)
        self.layout_pages()

    def pixels_per_point(self) -> float:
        return self.zoom * self.logicalDpiX() / 72.0

    def layout_pages(self) -> None:
        ppp = self.pixels_per_point()
        widths = [round(w * ppp) for w, _h in self.sizes] or [0]
        total_width = max(widths) + 2 * PAGE_GAP
        y = PAGE_GAP
        self.rects = []
        for (_w, h), pw in zip(self.sizes, widths, strict=False):
            ph = round(h * ppp)
            self.rects.append(QRect((total_width - pw) // 2, y, pw, ph))
            y += ph + PAGE_GAP
        self.setFixedSize(QSize(total_width, max(y, PAGE_GAP * 2)))
        self.update()

    def set_zoom(self, zoom: float) -> None:
        if abs(zoom - self.zoom) > 1e-6:
            self.zoom = zoom
            self._cache.clear()
            self.layout_pages()

    def page_at(self, y: int) -> int:
        """The page shown at height ``y`` (the one below a gap)."""
        for index, rect in enumerate(self.rects):
            if y < rect.bottom() + PAGE_GAP:
                return index
        return max(len(self.rects) - 1, 0)

    def image(self, index: int) -> QImage:
        key = (index, self.zoom)
        image = self._cache.get(key)
        if image is None:
            ratio = self.devicePixelRatioF()
            page = self.pdf[index]
            try:
                image = _image(page, self.pixels_per_point() * ratio)
            finally:
                page.close()
            image.setDevicePixelRatio(ratio)
            self._cache[key] = image
            while len(self._cache) > CACHE_PAGES:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return image

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        shown = event.rect()
        for index, rect in enumerate(self.rects):
            if not rect.intersects(shown) or self.pdf is None:
                continue
            painter.fillRect(rect.translated(2, 3), QColor(0, 0, 0, 60))  # a soft shadow
            try:
                painter.drawImage(rect, self.image(index))
            except Exception:
                log.exception("Page %s of the preview could not be rendered", index + 1)
                painter.fillRect(rect, Qt.GlobalColor.white)
        painter.end()


class PdfPreviewDialog(QDialog):
    """Show a PDF written to ``path``. ``suggested_name`` is what «Сохранить как…» offers."""

    def __init__(
        self,
        path: Path | str,
        parent: QWidget | None = None,
        *,
        title: str = "",
        suggested_name: str = "",
        settings: Any = None,
    ) -> None:
        super().__init__(parent)
        import pypdfium2 as pdfium

        self.path = Path(path)
        self.settings = settings
        self.suggested_name = suggested_name or self.path.name
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowTitle(
            self.tr("Предпросмотр: {title}").format(title=title)
            if title
            else self.tr("Предпросмотр")
        )
        self.pdf = pdfium.PdfDocument(str(self.path))
        self._pages = len(self.pdf)
        self.view = PagesView(self.pdf, self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.view)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll.setWidgetResizable(False)
        self.scroll.viewport().setAutoFillBackground(True)
        palette = self.scroll.viewport().palette()
        palette.setColor(self.scroll.viewport().backgroundRole(), BACKGROUND)
        self.scroll.viewport().setPalette(palette)
        self.scroll.verticalScrollBar().valueChanged.connect(lambda _v: self._scrolled())
        self._build()
        self.resize(self._initial_size())
        self._zoom_changed()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        n = self.page_count()
        self.page_spin = QSpinBox(self)
        self.page_spin.setRange(1, max(n, 1))
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.setToolTip(self.tr("Перейти к странице"))
        self.page_spin.valueChanged.connect(self.go_to_page)
        self.pages_label = QLabel(self.tr("из {n}").format(n=n), self)

        self.zoom_out = QToolButton(self)
        self.zoom_out.setText("−")
        self.zoom_out.setToolTip(self.tr("Уменьшить (Ctrl+−)"))
        self.zoom_out.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom_box = QComboBox(self)
        self.zoom_box.addItem(self.tr("По ширине"), FIT_WIDTH)
        self.zoom_box.addItem(self.tr("Страница целиком"), FIT_PAGE)
        for zoom in ZOOMS:
            self.zoom_box.addItem(f"{round(zoom * 100)}\u00a0%", zoom)
        self.zoom_box.setToolTip(self.tr("Масштаб (Ctrl+0 — по ширине)"))
        # A landscape document (a certificate) is best seen a page at a time.
        landscape = bool(self.view.sizes) and self.view.sizes[0][0] > self.view.sizes[0][1]
        self.zoom_box.setCurrentIndex(self.zoom_box.findData(FIT_PAGE if landscape else FIT_WIDTH))
        self.zoom_box.currentIndexChanged.connect(lambda _i: self._zoom_changed())
        self.zoom_in = QToolButton(self)
        self.zoom_in.setText("+")
        self.zoom_in.setToolTip(self.tr("Увеличить (Ctrl++)"))
        self.zoom_in.clicked.connect(lambda: self.step_zoom(1))

        self.status = QLabel(self)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("Открыть файл"), self)
        self.open_button.setToolTip(
            self.tr("Открыть PDF в программе просмотра, чтобы напечатать его")
        )
        self.open_button.clicked.connect(self.open_file)
        self.save_button = QPushButton(self.tr("Сохранить как…"), self)
        self.save_button.setToolTip(self.tr("Сохранить копию PDF (Ctrl+S)"))
        self.save_button.clicked.connect(self.save_as)
        self.close_button = QPushButton(self.tr("Закрыть"), self)
        self.close_button.clicked.connect(self.close)
        for button in (self.open_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
        self.open_button.setDefault(True)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Страница"), self))
        top.addWidget(self.page_spin)
        top.addWidget(self.pages_label)
        top.addSpacing(24)
        top.addWidget(QLabel(self.tr("Масштаб:"), self))
        top.addWidget(self.zoom_out)
        top.addWidget(self.zoom_box)
        top.addWidget(self.zoom_in)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)

        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(1)),
            (QKeySequence("Ctrl+="), lambda: self.step_zoom(1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
            (QKeySequence("Ctrl+0"), lambda: self.zoom_box.setCurrentIndex(0)),
            (QKeySequence(Qt.Key.Key_Home), lambda: self.go_to_page(1)),
            (QKeySequence(Qt.Key.Key_End), lambda: self.go_to_page(self.page_count())),
            (QKeySequence.StandardKey.Save, self.save_as),
        ):
            QShortcut(keys, self, activated=slot)

    def _initial_size(self) -> QSize:
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen else QSize(1280, 800)
        landscape = bool(self.view.sizes) and self.view.sizes[0][0] > self.view.sizes[0][1]
        width = 1100 if landscape else 900
        return QSize(min(width, available.width() - 40), min(900, available.height() - 60))

    # -- pages and zoom ----------------------------------------------------------------------

    def page_count(self) -> int:
        return self._pages

    def current_page(self) -> int:
        """1-based number of the page at the top of the view."""
        return self.page_spin.value()

    def go_to_page(self, number: int) -> None:
        if not self.view.rects:
            return
        index = min(max(number, 1), len(self.view.rects)) - 1
        self.scroll.verticalScrollBar().setValue(self.view.rects[index].top() - PAGE_GAP // 2)

    def _scrolled(self) -> None:
        bar = self.scroll.verticalScrollBar()
        top = bar.value()
        if top <= bar.minimum():
            index = 0
        elif top >= bar.maximum():
            index = len(self.view.rects) - 1
        else:
            index = self.view.page_at(top + self.scroll.viewport().height() // 3)
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(index + 1)
        self.page_spin.blockSignals(False)

    def zoom(self) -> float:
        return self.view.zoom

    def _fit_zoom(self, whole_page: bool = False) -> float:
        """The zoom at which the widest page fills the width (or a whole page is seen)."""
        if not self.view.sizes:
            return 1.0
        points = self.logicalDpiX() / 72.0
        widest = max(w for w, _h in self.view.sizes)
        available = self.scroll.viewport().width() - 2 * PAGE_GAP
        if self.scroll.verticalScrollBar().isHidden():
            available -= self.scroll.verticalScrollBar().sizeHint().width()
        zoom = available / (widest * points)
        if whole_page:
            tallest = max(h for _w, h in self.view.sizes)
            height = self.scroll.viewport().height() - 2 * PAGE_GAP
            zoom = min(zoom, height / (tallest * points))
        return max(0.2, min(4.0, zoom))

    def _zoom_changed(self) -> None:
        """Apply the chosen zoom, keeping the same place of the same page in view."""
        bar = self.scroll.verticalScrollBar()
        top = bar.value()
        index = self.view.page_at(top)
        old = self.view.rects[index] if self.view.rects else None
        share = (top - old.top()) / old.height() if old is not None and old.height() else 0.0
        value = self.zoom_box.currentData()
        if value == FIT_WIDTH:
            zoom = self._fit_zoom()
        elif value == FIT_PAGE:
            zoom = self._fit_zoom(whole_page=True)
        else:
            zoom = float(value)
        self.view.set_zoom(zoom)
        if self.view.rects:
            rect = self.view.rects[index]
            bar.setValue(rect.top() + round(share * rect.height()))
        self._scrolled()

    def step_zoom(self, step: int) -> None:
        current = self.view.zoom
        if step > 0:
            target = next((z for z in ZOOMS if z > current + 0.01), ZOOMS[-1])
        else:
            target = next((z for z in reversed(ZOOMS) if z < current - 0.01), ZOOMS[0])
        self.zoom_box.setCurrentIndex(self.zoom_box.findData(target))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom_box.currentData() in (FIT_WIDTH, FIT_PAGE):
            QTimer.singleShot(0, self._zoom_changed)

    # -- the file ----------------------------------------------------------------------------

    def open_file(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path))):
            QMessageBox.information(
                self,
                self.tr("Открыть файл"),
                self.tr(
                    "Не удалось открыть файл: на компьютере нет программы для просмотра PDF.\n"
                    "Сохраните файл («Сохранить как…») и откройте его другой программой."
                ),
            )

    def _save_folder(self) -> str:
        if self.settings is not None:
            folder = self.settings.value(FOLDER_KEY, "")
            if folder and Path(str(folder)).is_dir():
                return str(folder)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return documents or str(Path.home())

    def save_as(self) -> Path | None:
        suggested = str(Path(self._save_folder()) / self.suggested_name)
        target, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Сохранить PDF"), suggested, self.tr("Документ PDF (*.pdf)")
        )
        if not target:
            return None
        path = Path(target)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            if path.resolve() != self.path.resolve():
                shutil.copyfile(self.path, path)
        except OSError as exc:
            from ..errors import UserError

            show_error(
                self,
                UserError(
                    self.tr("Не удалось сохранить файл {path}: {reason}").format(
                        path=path, reason=exc.strerror or exc
                    )
                ),
                "preview save",
            )
            return None
        if self.settings is not None:
            self.settings.set_value(FOLDER_KEY, str(path.parent))
        self.status.setText(self.tr("Сохранено: {path}").format(path=path))
        return path

    def done(self, result: int) -> None:
        super().done(result)
        self._close_document()

    def closeEvent(self, event: Any) -> None:
        super().closeEvent(event)
        self._close_document()

    def _close_document(self) -> None:
        pdf, self.view.pdf = self.pdf, None
        if pdf is not None:
            self.view._cache.clear()
            try:
                pdf.close()
            except Exception:
                log.exception("The preview's PDF could not be closed")
            self.pdf = None  # type: ignore[assignment]
