"""Text reader for the 'one cell per line' export layout.

Layout: a line starting with a TAB is one cell; a blank line ends a row; rows
that follow each other (only blank lines between) form one table; any other
non-empty line is a paragraph and ends the current table. `　` marks an empty
cell. Rows may have uneven widths (merged header cells).
"""
from __future__ import annotations

from pathlib import Path

from ingest.grid import GridDocument, Paragraph, Table, clean_cell

ENCODINGS = ("utf-8-sig", "gb18030")


def decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes, returning (text, encoding used). Tries UTF-16 by BOM, then UTF-8, then GB18030."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from ingest.readers import UnreadableFileError

    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFileError("<bytes>", f"not UTF-8, UTF-16 or GB18030 text ({exc})") from exc


def parse_text(text: str, source_name: str, encoding: str | None = None) -> GridDocument:
    blocks: list[Paragraph | Table] = []
    table: Table | None = None
    row: list[str] | None = None
    row_line = 0

    def end_row() -> None:
        nonlocal row, table
        if row is None:
            return
        if table is None:
            table = Table(rows=[], line=row_line)
            blocks.append(table)
        table.rows.append(row)
        table.row_lines.append(row_line)
        row = None

    for lineno, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.rstrip("\r\n")
        if line.startswith("\t"):
            if row is None:
                row = []
                row_line = lineno
            row.append(clean_cell(line[1:]))
        elif not clean_cell(line):
            end_row()
        else:
            end_row()
            table = None
            blocks.append(Paragraph(text=clean_cell(line), line=lineno))
    end_row()
    return GridDocument(source_name=source_name, blocks=blocks, reader="text", encoding=encoding)


def read_text(path: Path) -> GridDocument:
    text, encoding = decode(Path(path).read_bytes())
    return parse_text(text, Path(path).name, encoding)
