"""Which font pdfium may use for a font a PDF does not embed: one the project ships, never the host's.

Why: a PDF may name a font without embedding it (the Adobe CID font STSong-Light of generated
PDFs, SimSun in older Word/WPS exports). pdfium then substitutes a font of the host, and what it
reports depends on that font: on a host without a CJK font a glyph has no outline, a text object
of one such glyph has an empty box and pdfium's text page drops it (a title drawn one character
at a time vanished), and char boxes take the substitute's metrics (wrapped cell lines fell
outside their cells). The reader takes positions from the PDF itself (origin, the PDF's advance
widths, see ``ingest.readers.pdf``); this module removes the rest of the host from the picture:
``use_project_fonts()`` hands pdfium a font-info interface (``FPDF_SetSystemFontInfo``) that
answers every request with ``fonts/glyph-boxes.ttf``, a font whose every glyph — any code point
and .notdef — is a plain em box. pdfium's built-in standard-14 fonts are unaffected.

``fonts/glyph-boxes.ttf`` is built by ``build_font`` (fontTools, a dev dependency); a test
rebuilds it and compares, and the PDF reader tests read the same files with fonts of other
shapes served (``python -m ingest.readers.pdfium_fonts``) and require identical output.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "glyph-boxes.ttf"
FACE_NAME = b"GlyphBoxes"
GB2312_CHARSET = 134
BLANKS = (0x20, 0xA0, 0x3000)  # code points drawn blank
_CHARSETS = (0, 1, 128, 129, 134, 136, 2)  # ANSI, default, Shift-JIS, Hangeul, GB2312, Big5, symbol

_lock = threading.Lock()
_installed: Path | None = None
_keep: list = []  # the interface and its callbacks must outlive every document


def use_project_fonts(font_path: Path | None = None) -> None:
    """Make pdfium substitute one font for every font a PDF does not embed, in this process:
    ``fonts/glyph-boxes.ttf`` unless `font_path` names another (the host-independence tests serve
    fonts of other shapes). Call before the first PDF is opened (pdfium enumerates fonts once,
    lazily). Without `font_path` it keeps whatever was chosen first; asking for two different
    fonts in one process is an error."""
    global _installed
    with _lock:
        if font_path is None:
            if _installed is not None:
                return
            font_path = FONT_PATH
        font_path = Path(font_path)
        if _installed == font_path:
            return
        if _installed is not None:
            raise RuntimeError(f"pdfium already substitutes {_installed}; one font per process")
        _install(font_path.read_bytes())
        _installed = font_path


def use_host_fonts() -> None:
    """Leave pdfium its own font lookup (the host's fonts) in this process: only for the tests
    that compare a read with the host's CJK fonts visible against the project's font."""
    global _installed
    with _lock:
        if _installed is not None:
            raise RuntimeError(f"pdfium already substitutes {_installed}; one font per process")
        _installed = Path("<host fonts>")


def _install(data: bytes) -> None:
    import pypdfium2.raw as R

    info = R.FPDF_SYSFONTINFO()
    info.version = 1
    types = dict(R.FPDF_SYSFONTINFO._fields_)
    handle = 1  # the one font there is

    def enum_fonts(this, mapper):
        for charset in _CHARSETS:
            R.FPDF_AddInstalledFont(mapper, FACE_NAME, charset)

    def map_font(this, weight, italic, charset, pitch_family, face, exact):
        return handle

    def get_font(this, face):
        return handle

    def get_font_data(this, font, table, buffer, size):
        if table != 0:  # 0: the whole font file; no single tables are served
            return 0
        if buffer and size >= len(data):
            ctypes.memmove(buffer, data, len(data))
        return len(data)

    def get_face_name(this, font, buffer, size):
        name = FACE_NAME + b"\0"
        if buffer and size >= len(name):
            ctypes.memmove(buffer, name, len(name))
        return len(name)

    def get_font_charset(this, font):
        return GB2312_CHARSET

    def nothing(this, *args):
        return None

    callbacks = {
        "Release": nothing,
        "EnumFonts": enum_fonts,
        "MapFont": map_font,
        "GetFont": get_font,
        "GetFontData": get_font_data,
        "GetFaceName": get_face_name,
        "GetFontCharset": get_font_charset,
        "DeleteFont": nothing,
    }
    for name, fn in callbacks.items():
        cfn = types[name](fn)
        _keep.append(cfn)
        setattr(info, name, cfn)
    _keep.append(info)
    R.FPDF_SetSystemFontInfo(ctypes.byref(info))


def build_font(
    path: Path,
    ascent: int = 880,
    descent: int = -120,
    advance: int = 1000,
    every_code_point: bool = True,
    chars: str = "",
    space_advance: int | None = None,
) -> Path:
    """Write a TrueType font whose every glyph is one filled box (0, descent)–(advance, ascent)
    in 1000 units per em: .notdef and one glyph that every code point maps to (cmap formats 4
    and 13). Other shapes than the default serve the host-independence tests; `chars` adds code
    points to the format-4 map (reportlab, which reads only that one, can then embed the font:
    the generator's embedded-font PDFs are tested with it on hosts without a CJK TrueType font);
    Spaces (U+0020, U+00A0, U+3000) are blank, as in every text font: pdfium drops a text object
    of nothing but spaces whatever font draws it (its box is empty), and so it must here too;
    `space_advance` sets their width (reportlab lays out with it when the font is embedded)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    def box():
        pen = TTGlyphPen(None)
        pen.moveTo((0, descent))
        pen.lineTo((0, ascent))
        pen.lineTo((advance, ascent))
        pen.lineTo((advance, descent))
        pen.closePath()
        return pen.glyph()

    fb = FontBuilder(1000, isTTF=True)
    glyphs = {".notdef": box(), "box": box(), "blank": TTGlyphPen(None).glyph()}
    metrics = {
        ".notdef": (advance, 0),
        "box": (advance, 0),
        "blank": (advance if space_advance is None else space_advance, 0),
    }
    bmp = set(range(0x20, 0x7F)) | {ord(c) for c in chars if 0x20 <= ord(c) <= 0xFFFF}
    cmap = {cp: "box" for cp in sorted(bmp)}  # format 4: ASCII and `chars`
    cmap.update(dict.fromkeys(BLANKS, "blank"))
    fb.setupGlyphOrder(list(glyphs))
    fb.setupCharacterMap(cmap)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=ascent, descent=descent)
    fb.setupNameTable({"familyName": FACE_NAME.decode(), "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=ascent, sTypoDescender=descent, usWinAscent=ascent, usWinDescent=-descent)
    fb.setupPost()
    font = fb.font
    if every_code_point:  # many-to-one: all of Unicode past the controls → the box
        table = CmapSubtable.newSubtable(13)
        table.platformID, table.platEncID, table.language = 3, 10, 0
        table.cmap = dict.fromkeys(range(0x20, 0x110000), "box") | dict.fromkeys(BLANKS, "blank")
        font["cmap"].tables.append(table)
    font["head"].created = font["head"].modified = 0  # reproducible bytes
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(path))
    return path
