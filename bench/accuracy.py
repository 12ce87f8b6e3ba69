"""Cell accuracy of a PDF table extractor against the generator's ground truth.

Ground truth: the generator's layout grid (`generator.layout.layout(truth)`), which is what the
renderer prints, with the positions of its amount cells. Only the standard tables 表一…表九
count (the 绩效目标表 are left out), and only amount cells that print a value (a blank zero
cell is not counted).

A ground-truth amount cell is (row label, column, value):
  * column = its position counted from the right end of its row (amounts stand at the right;
    extractors differ in how they show horizontally merged cells on the left, e.g. a joined
    合计 row: we drop the covered column, camelot leaves an empty string);
  * row label = the row's non-amount cells (codes, names) concatenated;
  * every string is compared with all whitespace removed (camelot keeps a wrapped cell's
    line breaks, "基层司法业\\n务"; letter-spaced "合  计").
An extracted row matches a ground-truth row when its cells outside the ground truth's amount
columns concatenate to the same label; each ground-truth row takes, among the unused matching
extracted rows of the document, the one holding most of its values (the first on a tie). The cell
is *found* when the matched row holds the identical string at that column. Accuracy = found /
ground-truth cells, over all documents.
"""

from __future__ import annotations

import re

_WS = re.compile(r"[\s\u3000\u00a0\ufeff]+")
_PERFORMANCE_MARKERS = {"预算单位", "项目资金（万元）", "项目总体目标"}


def norm(s) -> str:
    return _WS.sub("", "" if s is None else str(s))


def ground_truth_cells(grid) -> list[dict]:
    """[{label, amount_positions (from the right), values {pos: text}}] per standard-table row."""
    from ingest.grid import Table

    by_block: dict[int, dict[int, set[int]]] = {}
    for b, r, c in grid.amount_cells:
        by_block.setdefault(b, {}).setdefault(r, set()).add(c)
    out = []
    for b, block in enumerate(grid.blocks):
        if not isinstance(block, Table) or b not in by_block:
            continue
        if any(row and norm(row[0]) in _PERFORMANCE_MARKERS for row in block.rows):
            continue  # a 绩效目标表, not one of the 9 standard tables
        for r, cols in sorted(by_block[b].items()):
            row = block.rows[r]
            n = len(row)
            positions = sorted(n - 1 - c for c in cols if c < n)
            values = {str(n - 1 - c): norm(row[c]) for c in cols if c < n and norm(row[c])}
            if not values:
                continue
            label = "".join(norm(row[c]) for c in range(n) if c not in cols)
            out.append({"label": label, "positions": positions, "values": values})
    return out


def score(truth_rows: list[dict], extracted_rows: list[list[str]]) -> tuple[int, int]:
    """(cells found identical, ground-truth cells) for one document."""
    rows = [[norm(c) for c in r] for r in extracted_rows]
    used = [False] * len(rows)
    found = total = 0
    for t in truth_rows:
        total += len(t["values"])
        pos = set(t["positions"])
        need = max(pos) + 1
        best, best_hits = None, -1
        for i, e in enumerate(rows):
            if used[i] or len(e) < need:
                continue
            n = len(e)
            if "".join(e[k] for k in range(n) if (n - 1 - k) not in pos) != t["label"]:
                continue
            hits = sum(e[n - 1 - int(p)] == v for p, v in t["values"].items())
            if hits > best_hits:
                best, best_hits = i, hits
                if hits == len(t["values"]):
                    break
        if best is not None:
            used[best] = True
            found += best_hits
    return found, total


def our_rows(path) -> list[list[str]]:
    from ingest.grid import Table
    from ingest.readers import read_document

    return [row for b in read_document(path).blocks if isinstance(b, Table) for row in b.rows]


def camelot_rows(path) -> list[list[str]]:
    import camelot

    tables = camelot.read_pdf(str(path), pages="all", flavor="lattice")
    return [list(map(str, row)) for t in tables for row in t.df.values.tolist()]
