"""Reading PDFs back with libraries other than the writer: pypdf for text and fonts,
pikepdf (qpdf) for structure, pypdfium2 for rendering (the QR code of a certificate)."""

from __future__ import annotations

import re
from pathlib import Path


def pdf_text(path: Path | str) -> list[str]:
    """The text of each page, whitespace runs collapsed to one space."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [re.sub(r"\s+", " ", page.extract_text() or "").strip() for page in reader.pages]


def all_text(path: Path | str) -> str:
    return " ".join(pdf_text(path))


def embedded_fonts(path: Path | str) -> set[str]:
    """Base names of the fonts embedded in the file (subset prefixes dropped)."""
    import pikepdf

    found = set()
    with pikepdf.open(str(path)) as pdf:
        for page in pdf.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for font in fonts.values():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None and "/DescendantFonts" in font:
                    descriptor = font["/DescendantFonts"][0].get("/FontDescriptor")
                if descriptor is not None and any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    found.add(str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1])
    return found


def opens_in_qpdf(path: Path | str) -> int:
    """Open and check the file with qpdf (through pikepdf); the number of pages."""
    import pikepdf

    with pikepdf.open(str(path)) as pdf:
        problems = pdf.check_pdf_syntax()
        assert not problems, problems
        return len(pdf.pages)


def page_sizes_mm(path: Path | str) -> list[tuple[int, int]]:
    from pypdf import PdfReader

    return [
        (round(float(p.mediabox.width) / 72 * 25.4), round(float(p.mediabox.height) / 72 * 25.4))
        for p in PdfReader(str(path)).pages
    ]


def qr_codes(path: Path | str, page: int = 0, scale: float = 3) -> list[str]:
    """The texts of the QR codes on a page, rendered by PDFium and read by zxing-cpp."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[page].render(scale=scale).to_pil()
    finally:
        document.close()
    return [r.text for r in zxingcpp.read_barcodes(image)]
