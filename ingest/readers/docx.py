"""Word (.docx) reader: body paragraphs and tables in document order.

* The body is walked in XML order (paragraphs and tables interleaved; content
  controls `w:sdt` are entered). A paragraph's text is its runs (w:t, tabs, line
  breaks; inserted text included, deleted text and field codes not; text boxes and
  drawings are skipped). A paragraph with line breaks gives one Paragraph per line;
  empty paragraphs give nothing.
* Table rows list their distinct cells: a cell spanning grid columns (w:gridSpan,
  or the legacy w:hMerge) appears ONCE, so a merged header row has fewer cells, like
  the text layout; a cell continuing a vertical merge (w:vMerge without "restart")
  is an empty string. A cell's paragraphs are joined into one line (no space
  between CJK characters, one space otherwise). Nested tables inside cells are not
  read.
* A table split across pages: when two tables are separated only by empty
  paragraphs / page or section breaks and have the same number of grid columns,
  they are one table. Leading rows of the second that repeat the first table's
  first rows (a re-typed header) are dropped; if the first table marks header rows
  (w:tblHeader), at most that many rows are dropped.
* Positions (`line`): a running counter in document order, one per body paragraph
  (empty ones too) and one per table row, so `line` grows through the document and
  every table row has its own position.
"""

from __future__ import annotations

import logging
import time
import zipfile
from pathlib import Path

from ingest.grid import GridDocument, Paragraph, Table, clean_cell, join_wrapped

log = logging.getLogger("budget_warehouse.readers")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# containers whose runs are part of the paragraph text
_RUN_CONTAINERS = {
    f"{_W}{t}"
    for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "sdt", "sdtContent", "moveTo", "dir", "bdo")
}


def _paragraph_text(p) -> str:
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag == f"{_W}r":
                for node in child:
                    t = node.tag
                    if t == f"{_W}t":
                        out.append(node.text or "")
                    elif t == f"{_W}tab":
                        out.append("\t")
                    elif t in (f"{_W}br", f"{_W}cr"):
                        if node.get(f"{_W}type") not in ("page", "column"):
                            out.append("\n")
                    elif t == f"{_W}noBreakHyphen":
                        out.append("-")
                    elif t == f"{_W}sym":
                        char = node.get(f"{_W}char")
                        if char:
                            try:
                                out.append(chr(int(char, 16)))
                            except ValueError:
                                pass
            elif tag in _RUN_CONTAINERS:
                walk(child)

    walk(p)
    return "".join(out)


def _join_lines(lines: list[str]) -> str:
    return join_wrapped([clean_cell(x) for x in lines])


def _cell_text(tc) -> str:
    lines: list[str] = []
    for child in tc.iter(f"{_W}p"):
        # only the cell's own paragraphs, not those of a nested table
        parent = child.getparent()
        while parent is not None and parent is not tc and parent.tag != f"{_W}tbl":
            parent = parent.getparent()
        if parent is tc:
            lines.extend(_paragraph_text(child).split("\n"))
    return _join_lines(lines)


def _iter_body(el):
    """Body-level w:p and w:tbl in order, entering block-level content controls."""
    for child in el:
        tag = child.tag
        if tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _iter_body(child)


def _children(el, tag: str):
    """Direct children with `tag`, looking through content controls (w:sdt) and custom XML."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _children(child, tag)


def _rows_of(tbl) -> tuple[list[list[str]], int, int]:
    """(rows of distinct cells, grid column count, leading header rows marked w:tblHeader)."""
    grid = tbl.find(f"{_W}tblGrid")
    n_cols = len(grid.findall(f"{_W}gridCol")) if grid is not None else 0
    rows: list[list[str]] = []
    header_rows = 0
    counting_header = True
    max_width = 0
    for tr in _children(tbl, f"{_W}tr"):
        tr_pr = tr.find(f"{_W}trPr")
        is_header = tr_pr is not None and tr_pr.find(f"{_W}tblHeader") is not None
        if counting_header and is_header:
            header_rows += 1
        else:
            counting_header = False
        cells: list[str] = []
        width = 0
        for tc in _children(tr, f"{_W}tc"):
            tc_pr = tc.find(f"{_W}tcPr")
            span = 1
            if tc_pr is not None:
                gs = tc_pr.find(f"{_W}gridSpan")
                if gs is not None:
                    try:
                        span = max(1, int(gs.get(f"{_W}val")))
                    except (TypeError, ValueError):
                        span = 1
                hm = tc_pr.find(f"{_W}hMerge")
                if hm is not None and hm.get(f"{_W}val") != "restart":
                    width += span
                    continue  # legacy horizontal merge continuation: already counted once
                vm = tc_pr.find(f"{_W}vMerge")
                if vm is not None and vm.get(f"{_W}val") != "restart":
                    cells.append("")
                    width += span
                    continue
            cells.append(_cell_text(tc))
            width += span
        rows.append(cells)
        max_width = max(max_width, width)
    return rows, n_cols or max_width, header_rows


def read_docx(path: Path) -> GridDocument:
    path = Path(path)
    started = time.perf_counter()
    blocks = _body_blocks(_open_docx(path), path)
    n_tables = sum(isinstance(b, Table) for b in blocks)
    log.info(
        "read %s in %.3f s: %d paragraphs, %d tables",
        path.name,
        time.perf_counter() - started,
        len(blocks) - n_tables,
        n_tables,
    )
    return GridDocument(source_name=path.name, blocks=blocks, reader="docx", encoding=None)


def _open_docx(path: Path):
    """The python-docx Document of `path`; UnreadableFileError naming the reason when it is none."""
    from ingest.readers import UnreadableFileError

    try:
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot open the file: {exc}") from exc
    if not head:
        raise UnreadableFileError(path, "the file is empty (0 bytes)")
    if head.startswith(_OLE_MAGIC):
        raise UnreadableFileError(
            path,
            "not a .docx (zip) file but an OLE2 compound file: a password-protected "
            "(encrypted) document, or a legacy .doc saved with the .docx suffix",
        )
    if not head.startswith(b"PK"):
        raise UnreadableFileError(
            path, "not a .docx document: the file is not a zip package (corrupt or another format)"
        )
    try:
        with zipfile.ZipFile(path) as z:
            if "[Content_Types].xml" not in z.namelist():
                raise UnreadableFileError(
                    path, "not a .docx document: a zip file without [Content_Types].xml (not an Office package)"
                )
    except zipfile.BadZipFile as exc:
        raise UnreadableFileError(path, f"not a .docx document: corrupt zip package ({exc})") from exc
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except zipfile.BadZipFile as exc:
        raise UnreadableFileError(path, f"not a .docx document: corrupt zip package ({exc})") from exc
    except PackageNotFoundError as exc:
        raise UnreadableFileError(path, f"not a .docx document: {exc}") from exc
    except KeyError as exc:
        raise UnreadableFileError(path, f"not a .docx document: a required part is missing ({exc})") from exc
    except ValueError as exc:  # e.g. "file '…' is not a Word file, content type is …"
        raise UnreadableFileError(path, f"not a Word document: {exc}") from exc
    except Exception as exc:  # lxml syntax errors in a damaged part, …
        raise UnreadableFileError(path, f"cannot read the document: {type(exc).__name__}: {exc}") from exc
    return document


def _body_blocks(document, path: Path) -> list[Paragraph | Table]:
    """The body's paragraphs (one per line of text) and tables in order; a table that follows a
    table with the same grid columns, nothing between them, continues it (its repeated header
    rows dropped)."""
    blocks: list[Paragraph | Table] = []
    line = 0
    last_table: Table | None = None  # the table a following table may continue
    last_meta: tuple[int, list[list[str]], int] | None = None  # (grid columns, its first rows, header rows)
    for el in _iter_body(document.element.body):
        if el.tag == f"{_W}p":
            line += 1
            texts = [clean_cell(x) for x in _paragraph_text(el).split("\n")]
            texts = [x for x in texts if x]
            for k, text in enumerate(texts):
                blocks.append(Paragraph(text=text, line=line))
                if k < len(texts) - 1:
                    line += 1
            if texts:
                last_table = last_meta = None
            continue
        rows, n_cols, header_rows = _rows_of(el)
        lines = list(range(line + 1, line + 1 + len(rows)))
        line += len(rows)
        if not rows:
            continue
        if last_table is not None and last_meta is not None and last_meta[0] == n_cols:
            first_rows, marked = last_meta[1], last_meta[2]
            k = 0
            limit = min(len(rows) - 1, len(first_rows), marked or len(first_rows))
            while k < limit and rows[k] == first_rows[k]:
                k += 1
            last_table.rows.extend(rows[k:])
            last_table.row_lines.extend(lines[k:])
            log.debug(
                "%s: table at position %d continues the table at %d (%d repeated header rows dropped)",
                path.name,
                lines[0],
                last_table.line,
                k,
            )
            continue
        table = Table(rows=rows, line=lines[0], row_lines=lines)
        blocks.append(table)
        last_table, last_meta = table, (n_cols, [list(r) for r in rows[:10]], header_rows)
    return blocks
