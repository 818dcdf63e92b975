"""PT Serif and PT Sans (made for Russian, shipped as ``fontpkg`` dependencies), registered
with reportlab once per process and embedded (subset) in every PDF."""

from __future__ import annotations

from functools import cache

SERIF = "PTSerif"
SANS = "PTSans"

_FACES = {
    SERIF: ("PT Serif", {"": (400, "normal"), "-Bold": (700, "normal"),
                         "-Italic": (400, "italic"), "-BoldItalic": (700, "italic")}),
    SANS: ("PT Sans", {"": (400, "normal"), "-Bold": (700, "normal"),
                       "-Italic": (400, "italic"), "-BoldItalic": (700, "italic")}),
}  # fmt: skip


@cache
def register_fonts() -> None:
    import fontpkg
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for alias, (family, faces) in _FACES.items():
        for suffix, (weight, style) in faces.items():
            path = fontpkg.path(family, weight, style)
            pdfmetrics.registerFont(TTFont(alias + suffix, str(path)))
        addMapping(alias, 0, 0, alias)
        addMapping(alias, 1, 0, alias + "-Bold")
        addMapping(alias, 0, 1, alias + "-Italic")
        addMapping(alias, 1, 1, alias + "-BoldItalic")
