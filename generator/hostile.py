"""Hostile documents: one kind of structural defect per document, for the defect corpus.

The catalogue in generator/build.py misprints figures (a wrong 合计, a narrative that disagrees
with a table): the layout stays clean and the rules must find the inconsistency. The kinds here
damage the document's *structure* the way real files do — a malformed code, the 合计 label in the
code columns, text in an amount cell, a duplicated row, a table left out or printed empty, a table
in 元 labelled 万元, a negative amount, a unit name nowhere — and each must come out of the load as
data: a finding or a rejected row (raw_rejected_rows), never a failed build.

`defect_corpus(out)` writes clean documents beside one document per hostile kind (text, the cells
layout), each with its `<file>.truth.json`. A hostile document's truth lists its defect
(`Defect.kind` = the hostile kind, `rule_ids` = the finding rules one of which must surface,
`params["rejected"]` = whether the damaged row must be set aside); its figures are not expected to
be exact. Every clean document's figures are the truth's, exactly.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import Options, build_corpus, missing_table_defect
from generator.corpus import REGISTRY_NAME, registry_csv
from generator.layout import GeneratedGrid, layout
from generator.truth import Defect, DisclosureTruth
from ingest.grid import Paragraph, Table

# kind → (finding rules of which at least one must surface, whether a row must be rejected)
HOSTILE_KINDS: dict[str, tuple[tuple[str, ...], bool]] = {
    "malformed_code": (("CODE-MALFORMED", "SCHEMA"), True),  # 2O1 (letter O) in a 类 cell of 表三
    "total_in_code_columns": (("CODE-MALFORMED", "SCHEMA"), True),  # 表三's 合计 label in its 类 column
    "text_in_amount": (("PARSE-CELL",), False),  # 待定 in an amount cell of 表三
    "duplicated_row": (("SUM-ROWS",), False),  # a 表三 line printed twice
    "missing_table": (("DOC-TABLE-MISSING",), False),  # 表六 left out
    "empty_table": (("DOC-TABLE-EMPTY", "XT-TOTALS", "SUM-ROWS"), False),  # 表六 printed with its header only
    "yuan_in_wan_table": (("XT-TOTALS",), False),  # 表三 printed in 元 under 单位：万元
    "negative_amount": (("SCHEMA",), True),  # a 表三 line's 基本支出 printed negative
    "nameless_unit": (("DOC-UNIT",), False),  # the unit's name printed nowhere
    "yearless": (("DOC-YEAR",), False),  # the budget year printed nowhere
    # 表八's 合计 cell printed 待定, the 情况说明's total too (the row is then read by its labels: shifted
    # figures, which ROW-PARTS / XT-THREE-PUBLIC report)
    "text_in_three_public": (("PARSE-CELL", "ROW-PARTS", "XT-THREE-PUBLIC"), False),
}


def _table_after(grid: GeneratedGrid, marker: str) -> Table:
    """The first table after the paragraph starting with `marker` (表三：…)."""
    seen = False
    for block in grid.blocks:
        if isinstance(block, Paragraph) and block.text.strip().startswith(marker):
            seen = True
        elif seen and isinstance(block, Table) and any("合" in c and "计" in c for row in block.rows for c in row):
            return block
    raise ValueError(f"no table after {marker!r}")


def _detail_rows(table: Table) -> list[int]:
    """Rows of a code table with a 类 code in the first cell (the lines under the header)."""
    return [i for i, row in enumerate(table.rows) if row and row[0].strip().isdigit() and len(row[0].strip()) == 3]


def _total_row(table: Table) -> int:
    return next(
        i for i in range(len(table.rows) - 1, -1, -1) if any(c.replace(" ", "") == "合计" for c in table.rows[i])
    )


def _amount_columns(table: Table) -> list[int]:
    row = table.rows[_total_row(table)]
    return [j for j, c in enumerate(row) if c and c.replace(".", "", 1).isdigit()]


def apply_hostile(t: DisclosureTruth, kind: str) -> GeneratedGrid:
    """Lay out `t` and damage it by one hostile `kind`; records the defect in `t.defects`."""
    if kind not in HOSTILE_KINDS:
        raise ValueError(f"unknown hostile kind {kind!r} (known: {', '.join(HOSTILE_KINDS)})")
    rules, rejected = HOSTILE_KINDS[kind]
    if kind == "missing_table":  # the generator's own kind: the layout leaves the table out
        t.defects = [missing_table_defect(6)]
        t.defects[0].params["rejected"] = False
        return layout(t)
    grid = layout(t)
    t3 = _table_after(grid, "表三")
    details = _detail_rows(t3)
    first = details[0]
    description = ""
    if kind == "malformed_code":
        row = t3.rows[first]
        row[0] = row[0][0] + "O" + row[0][2:]
        description = f"表三 line {first}: 类 printed {row[0]}"
    elif kind == "total_in_code_columns":
        i = _total_row(t3)
        row = t3.rows[i]
        label = next(j for j, c in enumerate(row) if c.replace(" ", "") == "合计")
        row[0], row[label] = row[label], ""
        description = "表三 合计 label printed in the 类 column"
    elif kind == "text_in_amount":
        col = _amount_columns(t3)[0]
        t3.rows[first][col] = "待定"
        description = f"表三 line {first}: amount printed 待定"
    elif kind == "duplicated_row":
        t3.rows.insert(first + 1, list(t3.rows[first]))
        if t3.row_lines:
            t3.row_lines.insert(first + 1, t3.row_lines[first])
        description = f"表三 line {first} printed twice"
    elif kind == "empty_table":
        t6 = _table_after(grid, "表六")
        header = next(i for i, row in enumerate(t6.rows) if any("人员经费" in c for c in row))
        del t6.rows[header + 1 :]
        if t6.row_lines:
            del t6.row_lines[header + 1 :]
        description = "表六 printed with its header only"
    elif kind == "yuan_in_wan_table":
        cols = _amount_columns(t3)
        for i, row in enumerate(t3.rows):
            if i in details or i == _total_row(t3):
                for j in cols:
                    if row[j]:
                        row[j] = _times_10000(row[j])
        description = "表三 amounts printed in 元 under 单位：万元"
    elif kind == "negative_amount":
        col = _amount_columns(t3)[1]  # 基本支出
        row = t3.rows[first]
        if not row[col]:
            col = _amount_columns(t3)[0]
        row[col] = "-" + row[col]
        description = f"表三 line {first}: amount printed {row[col]}"
    elif kind == "nameless_unit":
        name = t.unit.name
        for block in grid.blocks:
            if isinstance(block, Paragraph):
                block.text = _drop_names(block.text, [name, *t.unit.aliases])
            else:
                for row in block.rows:
                    row[:] = [_drop_names(c, [name, *t.unit.aliases]) for c in row]
        # a line that held only the name (the signature) is gone, not printed empty
        grid.blocks = [b for b in grid.blocks if not isinstance(b, Paragraph) or b.text.strip()]
        grid.amount_cells = set()  # block indexes moved (only thousands separators use them)
        description = "the unit's name printed nowhere"
    elif kind == "yearless":
        years = re.compile(r"(?:20\d{2}|二[〇零○][一二三四五六七八九〇零○]{2})\s*年度?")
        for block in grid.blocks:
            if isinstance(block, Paragraph):
                block.text = years.sub("本年", block.text)
            else:
                for row in block.rows:
                    row[:] = [years.sub("本年", c) for c in row]
        description = "the budget year printed nowhere"
    elif kind == "text_in_three_public":
        t8 = _table_after(grid, "表八")
        row = next(r for r in t8.rows if r and r[0] and r[0].replace(".", "", 1).isdigit())
        row[0] = "待定"
        # and the 情况说明 states no total either: the unit's 三公 total is nowhere
        for block in grid.blocks:
            if isinstance(block, Paragraph):
                block.text = re.sub(r"(“三公”经费数为)[\d.,]+万元", r"\1待定", block.text)
        description = "表八 合计 printed 待定, and the 情况说明 states 待定"
    t.defects = [Defect(kind, list(rules), description, {"rejected": rejected})]
    return grid


def _times_10000(text: str) -> str:
    from decimal import Decimal

    from generator.layout import plain

    return plain(Decimal(text) * 10000)


def _drop_names(text: str, names: list[str]) -> str:
    for n in sorted(names, key=len, reverse=True):
        if n and n in text:
            text = text.replace(n, "")
    return text


@dataclass
class DefectCorpus:
    out: Path
    clean: list[DisclosureTruth] = field(default_factory=list)
    hostile: list[DisclosureTruth] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


# Registered demo units (seed 2021, units 001–010 of each region are dbt's synthetic_unit_registry)
OPTIONS = Options(seed=2021)
REGIONS = ("652300", "652301", "652302")
UNITS_PER_REGION = 6
YEAR = 2022


def defect_corpus(out: Path, kinds: tuple[str, ...] = tuple(HOSTILE_KINDS)) -> DefectCorpus:
    """Clean documents and one document per hostile kind (each a different registered unit), as
    text files with their truth JSON, and the units' registry CSV (`unit_registry.synthetic.csv`)."""
    from generator.render.text import render_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    truths = build_corpus(list(REGIONS), UNITS_PER_REGION, [YEAR], OPTIONS)
    if len(kinds) >= len(truths):
        raise ValueError(f"{len(kinds)} hostile kinds need more than {len(truths)} units")
    corpus = DefectCorpus(out=out)
    for i, t in enumerate(truths):
        t = copy.deepcopy(t)
        if i < len(kinds):
            grid = apply_hostile(t, kinds[i])
            t.file_name = f"{t.file_name}-{kinds[i]}"
            corpus.hostile.append(t)
        else:
            grid = layout(t)
            corpus.clean.append(t)
        path = out / f"{t.file_name}.txt"
        render_text(grid, path, layout="cells", encoding="utf-8")
        path.with_name(path.name + ".truth.json").write_text(t.to_json(), encoding="utf-8")
        corpus.files.append(path)
    (out / REGISTRY_NAME).write_text(registry_csv(truths), encoding="utf-8")
    return corpus


def pipe_seed_with_total_in_code_columns(seed: Path) -> str:
    """The seed (a text disclosure in the cells layout) rendered as a pipe-separated text table whose
    合计 lines print their label in the 类 code column (a merged cell spanning the code columns, as an
    export writes it: the text in its first cell), so 表二/三/五/九's 合计 lines read as rows with
    functional_code '合计'."""
    from generator.render.text import to_text
    from ingest.readers import read_document

    grid = read_document(Path(seed))
    moved = 0
    for block in grid.blocks:
        if isinstance(block, Table):
            for i, row in enumerate(block.rows):
                if len(row) > 4 and row[:3] == ["", "", ""] and row[3].replace(" ", "") == "合计":
                    block.rows[i] = [row[3], "", "", ""] + row[4:]
                    moved += 1
    if not moved:
        raise ValueError(f"{seed}: no 合计 line under the code columns")
    return to_text(grid, "pipe")
