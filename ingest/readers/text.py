"""Text reader for the layouts units export: one cell per line, pipe-separated, space-aligned.

- "cells" (the seed's layout): a line starting with a TAB is one cell; a blank line ends a
  row; rows that follow each other (only blank lines between) form one table; any other
  non-empty line is a paragraph and ends the current table. `　` marks an empty cell. Rows
  may have uneven widths (merged header cells).
- "pipe": one row per line, cells separated by `|` (outer pipes optional); empty cells stay.
- "spaced": one row per line, cells separated by runs of two or more spaces (or a TAB),
  columns aligned by position; empty cells are recovered from the column positions.

The layout and the encoding are detected from the file and recorded (GridDocument.reader
is "text", "text-pipe" or "text-spaced"; GridDocument.encoding the codec used).
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from pathlib import Path

from ingest.grid import GridDocument, Paragraph, Table, clean_cell

log = logging.getLogger("budget_warehouse.readers")


def decode(raw: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode bytes, returning (text, codec). BOMs first, then BOM-less UTF-16, UTF-8, GB18030."""
    from ingest.readers import UnreadableFileError

    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    sample = raw[:65536]
    if sample.count(0):
        # text never holds NUL bytes, UTF-16 does: at odd offsets (LE) or even ones (BE)
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        codec = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = raw.decode(codec)
            if "\x00" not in text:
                return text, codec
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            path, f"not text in UTF-8, UTF-16 or GB18030 ({exc.reason} at byte {exc.start})"
        ) from exc


# ------------------------------------------------------------------ layout detection

_PIPE_ROW = re.compile(r"^\s*\|?([^|]*\|){2,}")
_SPACED_SPLIT = re.compile(r"\t+| {2,}|\u3000{2,}")


def detect_layout(lines: list[str]) -> str:
    content = [ln for ln in lines if ln.strip()]
    if not content:
        return "cells"
    tab_cells = sum(ln.startswith("\t") for ln in content)
    pipes = sum(bool(_PIPE_ROW.match(ln)) for ln in content)
    spaced = sum(len([c for c in _SPACED_SPLIT.split(ln.strip()) if c]) >= 3 for ln in content)
    if tab_cells >= max(pipes, spaced) and tab_cells > len(content) * 0.2:
        return "cells"
    if pipes >= spaced and pipes > 0:
        return "pipe"
    return "spaced" if spaced else "cells"


# ------------------------------------------------------------------ "cells"


def _parse_cells(lines: list[str]) -> list[Paragraph | Table]:
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

    for lineno, line in enumerate(lines, start=1):
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
    return blocks


# ------------------------------------------------------------------ "pipe"


def _pipe_cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [clean_cell(c) for c in s.split("|")]


def _is_rule(line: str) -> bool:
    """Markdown-style separator rows (|---|---|) carry no cells."""
    return bool(re.fullmatch(r"[\s|:+\-=]+", line)) and "-" in line


def _parse_pipe(lines: list[str]) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    table: Table | None = None
    for lineno, line in enumerate(lines, start=1):
        if _PIPE_ROW.match(line) or (table is not None and line.strip().startswith("|")):
            if _is_rule(line):
                continue
            if table is None:
                table = Table(rows=[], line=lineno)
                blocks.append(table)
            table.rows.append(_pipe_cells(line))
            table.row_lines.append(lineno)
        elif not clean_cell(line):
            continue  # blank lines neither end a table nor make a paragraph
        else:
            table = None
            blocks.append(Paragraph(text=clean_cell(line), line=lineno))
    return blocks


# ------------------------------------------------------------------ "spaced"


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _spans(line: str) -> list[tuple[int, int, int, int]]:
    """Cells of a space-aligned line: (display start, display end, char start, char end)."""
    out = []
    col = 0
    i = 0
    n = len(line)
    while i < n:
        m = _SPACED_SPLIT.match(line, i)
        if m and m.end() > i:
            for c in m.group(0):
                col += 8 - col % 8 if c == "\t" else _width(c)
            i = m.end()
            continue
        j = i
        start = col
        while j < n and not _SPACED_SPLIT.match(line, j):
            col += _width(line[j])
            j += 1
        out.append((start, col, i, j))
        i = j
    return out


_NUMERIC = re.compile(r"^[+-]?[\d,]+(\.\d+)?%?$")
_TITLE_WORDS = ("编制部门", "编制单位", "单位：", "单位:")


def _columns(rows: list[tuple[str, list]]) -> list[int]:
    """Column start positions of an aligned table.

    Columns are where the cells of the rows holding numbers start (or, without such rows,
    the cells of the widest row). A header label of two or more characters that stands over
    no data cell at all opens a column of its own: a column left blank in every data row
    (表八's 公务用车购置费 when nothing is bought, 表七's 工资福利支出). A label over data
    (centred or not) does not, nor does a lone letter-spaced character (the 计 of 合  计) or a
    title row (编制部门 … 单位：万元).
    """

    def lone_wide(line: str, i: int, j: int) -> bool:
        return j - i == 1 and _width(line[i]) == 2

    numeric = [r for line, r in rows if any(_NUMERIC.match(line[i:j]) for _, _, i, j in r)]
    base = numeric or [max((r for _, r in rows), key=len)]
    starts: list[int] = []
    occupied: list[tuple[int, int]] = []
    for line, r in rows:
        if r not in base:
            continue
        for n, (s, e, i, j) in enumerate(r):
            occupied.append((s, e))
            if n and lone_wide(line, i, j) and lone_wide(line, r[n - 1][2], r[n - 1][3]) and s - r[n - 1][1] <= 6:
                continue  # the 计 of a letter-spaced 合  计 continues its cell
            if not any(abs(x - s) <= 1 for x in starts):
                starts.append(s)
    first = next((n for n, (line, r) in enumerate(rows) if r in numeric), 0)
    for line, r in rows[:first]:
        if len(r) < 2 or any(w in line for w in _TITLE_WORDS):
            continue
        for s, e, i, j in r:
            if e - s < 4 or any(s < b + 1 and a < e + 1 for a, b in occupied):
                continue
            if not any(abs(x - s) <= 1 for x in starts):
                starts.append(s)
    return sorted(starts)


def _align(rows: list[tuple[str, list]]) -> list[list[str]]:
    """Place each cell in the column whose start is the last one at or before it, so blank
    stretches become empty cells and a letter-spaced label (合  计) stays one cell.

    When the rows are not aligned at all (cells just separated by gaps, empty ones printed
    as `　`), positions carry nothing: the cells are the runs between the gaps."""
    numeric = [r for line, r in rows if any(_NUMERIC.match(line[i:j]) for _, _, i, j in r)]
    placeholders = any(line[i:j] == "\u3000" for line, r in rows for _, _, i, j in r)
    starts: list[int] = []
    for r in numeric:
        for s, _, _, _ in r:
            if not any(abs(s - x) <= 1 for x in starts):
                starts.append(s)
    widest = max((len(r) for r in numeric), default=0)
    if placeholders or (numeric and len(starts) > widest + 3):  # not column-aligned
        return [[clean_cell(line[i:j]) for _, _, i, j in r] for line, r in rows]
    cols = _columns(rows)
    out = []
    for line, r in rows:
        extent: list[tuple[int, int] | None] = [None] * len(cols)
        for s, _, i, j in r:
            k = max((k for k, x in enumerate(cols) if x <= s + 1), default=0)
            lo, hi = extent[k] or (i, j)
            extent[k] = (min(lo, i), max(hi, j))
        out.append([clean_cell(line[x[0] : x[1]]) if x else "" for x in extent])
    return out


def _parse_spaced(lines: list[str]) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    pending: list[tuple[int, str, list]] = []

    def flush() -> None:
        if not pending:
            return
        if not any(len(r) >= 3 or any(_NUMERIC.match(line[i:j]) for _, _, i, j in r) for _, line, r in pending):
            for lineno, line, _ in pending:
                blocks.append(Paragraph(text=clean_cell(line), line=lineno))
        else:
            rows = _align([(line, r) for _, line, r in pending])
            blocks.append(Table(rows=rows, line=pending[0][0], row_lines=[ln for ln, _, _ in pending]))
        pending.clear()

    for lineno, line in enumerate(lines, start=1):
        if not clean_cell(line):
            if not line.strip(" \t\r"):  # a blank line (not a row of 　 placeholders) ends a table
                flush()
            continue
        line = line.rstrip(" \t")  # not U+3000: a trailing 　 is an empty cell
        spans = _spans(line)
        if len(spans) >= 5 and all(j - i == 1 and _width(line[i]) == 2 and line[i] != "\u3000" for _, _, i, j in spans):
            # a letter-spaced heading (项  目  支  出  绩  效  目  标  表) is prose, not a row
            flush()
            blocks.append(Paragraph(text=clean_cell(line), line=lineno))
            continue
        lone_cell = (
            pending and len(spans) == 1 and (line.startswith("  ") or _looks_like_cell(line[spans[0][2] : spans[0][3]]))
        )
        if len(spans) >= 2 or lone_cell:
            pending.append((lineno, line, spans))
        else:
            flush()
            blocks.append(Paragraph(text=clean_cell(line), line=lineno))
    flush()
    return blocks


def _looks_like_cell(text: str) -> bool:
    """A lone short token inside a table block (a 合计 label, a number) stays a row."""
    t = clean_cell(text)
    return len(t) <= 12 and not t.endswith(("。", "：", ":"))


PARSERS = {"cells": _parse_cells, "pipe": _parse_pipe, "spaced": _parse_spaced}
READER_NAMES = {"cells": "text", "pipe": "text-pipe", "spaced": "text-spaced"}


def parse_text(text: str, source_name: str, encoding: str | None = None, layout: str | None = None) -> GridDocument:
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    layout = layout or detect_layout(lines)
    blocks = PARSERS[layout](lines)
    return GridDocument(source_name=source_name, blocks=blocks, reader=READER_NAMES[layout], encoding=encoding)


def read_text(path: Path) -> GridDocument:
    started = time.perf_counter()
    path = Path(path)
    text, encoding = decode(path.read_bytes(), path)
    grid = parse_text(text, path.name, encoding)
    log.info(
        "read %s in %.3f s (%s, %s): %d paragraphs, %d tables",
        path.name,
        time.perf_counter() - started,
        grid.reader,
        encoding,
        sum(isinstance(b, Paragraph) for b in grid.blocks),
        sum(isinstance(b, Table) for b in grid.blocks),
    )
    return grid
