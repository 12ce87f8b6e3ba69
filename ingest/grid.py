"""The grid model every reader produces and every recognizer consumes.

A reader turns a file into an ordered list of blocks: paragraphs of text and
tables of cell strings. Nothing here knows about budget disclosures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Characters that print as nothing in a cell: full-width space, NBSP, BOM.
_BLANKS = "\u3000\u00a0\ufeff"


def clean_cell(text: str) -> str:
    """Strip ASCII and full-width whitespace; a cell of only `　` is empty."""
    return text.strip().strip(_BLANKS).strip()


def join_wrapped(parts: list[str]) -> str:
    """One cell's text printed over several lines: join the non-empty parts, with no space
    between two CJK characters (a line break inside 行政单位医疗 is no word break) and one space
    elsewhere."""
    parts = [x for x in parts if x]
    if not parts:
        return ""
    out = parts[0]
    for x in parts[1:]:
        sep = "" if (ord(out[-1]) > 0x2E7F and ord(x[0]) > 0x2E7F) else " "
        out += sep + x
    return out


@dataclass
class Paragraph:
    text: str
    # where it stands in the source, for locations in findings: the 1-based line of a text
    # file, the block index of a DOCX, page × 1000 + printed line of a PDF (see each reader)
    line: int


@dataclass
class Table:
    rows: list[list[str]]
    line: int
    row_lines: list[int] = field(default_factory=list)


@dataclass
class GridDocument:
    """A file as read: blocks in document order plus how it was read."""

    source_name: str
    blocks: list[Paragraph | Table]
    reader: str
    encoding: str | None = None
