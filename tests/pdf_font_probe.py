"""Read PDFs with a chosen font situation for pdfium and print what the reader made of them (JSON).

    python -m tests.pdf_font_probe MODE FILE...

MODE is one of
  project            the reader as shipped (pdfium substitutes ingest/readers/fonts/glyph-boxes.ttf)
  boxes:ASC,DESC,ADV a box font of another shape (ascent, descent, advance in 1000 units/em)
  file:PATH          the font file PATH for every font a PDF does not embed (a host CJK font)
  host               pdfium's own lookup of the host's fonts (no substitution by the project)

Each mode needs a fresh process: pdfium takes its font source once per process.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from ingest.grid import Paragraph
from ingest.readers import UnreadableFileError
from ingest.readers.pdf import read_pdf
from ingest.readers import pdfium_fonts


def choose(mode: str, scratch: Path) -> None:
    if mode == "project":
        pdfium_fonts.use_project_fonts()
    elif mode == "host":
        pdfium_fonts.use_host_fonts()
    elif mode.startswith("boxes:"):
        ascent, descent, advance = (int(v) for v in mode.split(":", 1)[1].split(","))
        font = pdfium_fonts.build_font(scratch / "boxes.ttf", ascent, descent, advance)
        pdfium_fonts.use_project_fonts(font)
    elif mode.startswith("file:"):
        pdfium_fonts.use_project_fonts(Path(mode.split(":", 1)[1]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


def dump(path: Path) -> object:
    try:
        grid = read_pdf(path)
    except UnreadableFileError as exc:
        return {"unreadable": exc.reason}
    return [
        ["P", b.text, b.line] if isinstance(b, Paragraph) else ["T", b.rows, b.line, b.row_lines] for b in grid.blocks
    ]


def pdfium_boxes(path: Path, limit: int = 200) -> list[list[float]]:
    """pdfium's own loose char boxes of the first page (what the reader does NOT use): they show
    whether the font situation changed what pdfium reports."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[0]
        text_page = R.FPDFText_LoadPage(page.raw)
        box, out = R.FS_RECTF(), []
        for i in range(min(limit, R.FPDFText_CountChars(text_page))):
            R.FPDFText_GetLooseCharBox(text_page, i, box)
            out.append([round(v, 2) for v in (box.left, box.right, box.bottom, box.top)])
        R.FPDFText_ClosePage(text_page)
        page.close()
        return out
    finally:
        pdf.close()


def main(argv: list[str]) -> int:
    mode, files = argv[0], [Path(f) for f in argv[1:]]
    with tempfile.TemporaryDirectory() as scratch:
        choose(mode, Path(scratch))
        json.dump(
            {f.name: {"grid": dump(f), "pdfium_boxes": pdfium_boxes(f)} for f in files}, sys.stdout, ensure_ascii=False
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
