"""Write a GridDocument as plain text, in one of three layouts and four encodings.

layout="cells"  the export layout of the real seed: a paragraph is a line; a table row is one
                TAB-indented line per cell, ended by a blank line. `ingest.readers.text` reads it
                back to the same grid (texts, rows and line numbers).
layout="pipe"   one row per line, cells between `|` (a leading and a trailing `|`, so that a
                one-cell title row still reads as a row); a blank line after each table.
layout="spaced" one row per line, cells separated by runs of ≥ 2 spaces; an empty cell is
                written `　` (full-width space, which `clean_cell` reads as empty); runs of
                spaces inside a cell or a paragraph are collapsed to one space, so only cell
                boundaries carry ≥ 2 spaces; a blank line after each table.

thousands=True prints amounts ≥ 1000 with thousands separators (16,745.59): the cells a
`generator.layout.GeneratedGrid` lists as amounts, and in paragraphs the numbers directly
followed by 万元 / 元 / 平方米.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.grid import GridDocument, Paragraph

LAYOUTS = ("cells", "pipe", "spaced")
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16")
_PLAIN_NUMBER = re.compile(r"^(\d+)(\.\d+)?$")
_PARA_AMOUNT = re.compile(r"(?<![\d.,])(\d{4,})(\.\d+)?(?=万元|元|平方米)")
_SPACES = re.compile(r"[ \t]{2,}")


def group_thousands(text: str) -> str:
    m = _PLAIN_NUMBER.match(text)
    if not m or len(m.group(1)) < 4:
        return text
    return f"{int(m.group(1)):,}{m.group(2) or ''}"


def _paragraph_thousands(text: str) -> str:
    return _PARA_AMOUNT.sub(lambda m: f"{int(m.group(1)):,}{m.group(2) or ''}", text)


def to_text(grid: GridDocument, layout: str = "cells", thousands: bool = False) -> str:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown text layout {layout!r} (known: {', '.join(LAYOUTS)})")
    amount_cells = getattr(grid, "amount_cells", None) or set()
    out: list[str] = []
    for b, block in enumerate(grid.blocks):
        if isinstance(block, Paragraph):
            text = _paragraph_thousands(block.text) if thousands else block.text
            if layout == "spaced":
                text = _SPACES.sub(" ", text)
            if text.startswith("\t") or not text.strip():
                raise ValueError(f"paragraph {b} cannot be written as a text line: {text!r}")
            out.append(text)
            continue
        for r, row in enumerate(block.rows):
            cells = [group_thousands(c) if thousands and (b, r, i) in amount_cells else c for i, c in enumerate(row)]
            for c in cells:
                if "\n" in c or "\r" in c:
                    raise ValueError(f"cell with a line break in block {b} row {r}: {c!r}")
            if layout == "cells":
                out.extend("\t" + c for c in cells)
                out.append("")
            elif layout == "pipe":
                if any("|" in c for c in cells):
                    raise ValueError(f"cell containing '|' in block {b} row {r}")
                out.append("|" + "|".join(cells) + "|")
            else:
                out.append("  ".join(_SPACES.sub(" ", c) or "\u3000" for c in cells))
        if layout != "cells":
            out.append("")
    return "\n".join(out) + "\n"


def render_text(
    grid: GridDocument, path: Path, layout: str = "cells", encoding: str = "utf-8", thousands: bool = False
) -> Path:
    """Write `grid` to `path` as text. encoding: utf-8 | utf-8-sig | gb18030 | utf-16 (with BOM)."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r} (known: {', '.join(ENCODINGS)})")
    path = Path(path)
    data = to_text(grid, layout, thousands).encode(encoding)
    path.write_bytes(data)
    return path
