"""Write a GridDocument as a Word document: paragraphs and real bordered tables, in order.

Merged header rows: a row with fewer cells than the table's widest row keeps its
cells in the first grid columns and its LAST cell spans the remaining columns
(w:gridSpan), which is what the DOCX reader gives back as one cell — or its FIRST cell
where a `generator.layout.GeneratedGrid` lists the row in `first_cell_spans`. Nothing is
merged vertically (the text layout has no vertical merges).

Option `split_tables_at: int | None`: a table with more rows than that is cut into
pieces of at most that many rows; each piece after the first starts on a new page
(an empty paragraph holding a page break) and repeats the table's first
`repeat_header_rows` rows (default 1), marked as header rows (w:tblHeader) like
Word does. The reader joins the pieces and drops the repeated rows.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from ingest.grid import GridDocument, Paragraph, Table

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
_TEXT_WIDTH_TWIPS = 9000


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(_xml_safe(text))}</w:t></w:r>' if text else ""


def _xml_safe(text: str) -> str:
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def _table_xml(rows: list[list[str]], width: int, header_rows: int, lead: list[bool] | None = None) -> str:
    col_w = max(300, _TEXT_WIDTH_TWIPS // width)
    parts = [
        f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="0" w:type="auto"/><w:tblBorders>{_BORDERS}</w:tblBorders>'
        f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>'
    ]
    parts.append(f'<w:gridCol w:w="{col_w}"/>' * width)
    parts.append("</w:tblGrid>")
    for i, row in enumerate(rows):
        cells = row or [""]
        parts.append("<w:tr>")
        if i < header_rows:
            parts.append("<w:trPr><w:tblHeader/></w:trPr>")
        first_spans = bool(lead and lead[i]) and len(cells) < width
        for j, text in enumerate(cells):
            if first_spans:  # the first cell spans the columns the row lacks (generator.layout.GeneratedGrid)
                span = width - len(cells) + 1 if j == 0 else 1
            else:
                span = width - j if j == len(cells) - 1 else 1
            grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{col_w * span}" w:type="dxa"/>{grid_span}</w:tcPr>'
                f"<w:p>{_run(text)}</w:p></w:tc>"
            )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def render_docx(
    grid: GridDocument, path: Path, *, split_tables_at: int | None = None, repeat_header_rows: int = 1
) -> Path:
    import docx
    from docx.oxml import parse_xml

    path = Path(path)
    document = docx.Document()
    body = document.element.body
    sect = body[-1] if body[-1].tag == f"{{{_W}}}sectPr" else None

    def append(xml: str) -> None:
        el = parse_xml(xml)
        if sect is not None:
            sect.addprevious(el)
        else:
            body.append(el)

    previous_was_table = False
    first_cell_spans = getattr(grid, "first_cell_spans", None) or set()
    for b, block in enumerate(grid.blocks):
        if isinstance(block, Paragraph):
            append(f'<w:p xmlns:w="{_W}">{_run(block.text)}</w:p>')
            previous_was_table = False
            continue
        table: Table = block
        if previous_was_table:  # Word would fuse two adjacent tables; units leave an empty line
            append(f'<w:p xmlns:w="{_W}"/>')
        width = max((len(r) for r in table.rows), default=1) or 1
        rows = table.rows
        lead = [(b, r) in first_cell_spans for r in range(len(rows))]
        if split_tables_at and len(rows) > split_tables_at:
            head = rows[:repeat_header_rows]
            pieces = [(rows[:split_tables_at], lead[:split_tables_at])]
            start = split_tables_at
            step = max(1, split_tables_at - len(head))
            while start < len(rows):
                pieces.append((head + rows[start : start + step], lead[: len(head)] + lead[start : start + step]))
                start += step
            for k, (piece, piece_lead) in enumerate(pieces):
                if k:
                    append(f'<w:p xmlns:w="{_W}"><w:r><w:br w:type="page"/></w:r></w:p>')
                append(_table_xml(piece, width, len(head), piece_lead))
        else:
            append(_table_xml(rows, width, 0, lead))
        previous_was_table = True
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
