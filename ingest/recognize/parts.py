"""Which part of a publication a file is: the whole disclosure, its narrative alone, or its tables alone.

Many units publish one disclosure as one file (单位概况, the 预算公开表, the 情况说明). Some split it:
江苏 2017–2019 print a 文字部分 (概况 + 情况说明) and a 公开表 file, 北京 an 附件1 情况说明 and an
附件2 报表. Each file is then one *part* of the disclosure (raw_documents.publication_part):

* ``whole``     tables and a narrative (or no sign of being a part): the usual case;
* ``tables``    the standard tables are recognised but the file states no amount in prose —
                no 情况说明 (the 公开表 / 报表 half);
* ``narrative`` no standard table, but the 情况说明's figures (or its prose stating amounts) —
                the 文字部分 / 情况说明 half. Its unit, year and level are read like any
                document's (the cover and title lines, the sentences that open with the unit's
                name); what it lacks is taken from its companion when the two are paired
                (ingest/publications.py).

A file with neither — a table of contents (目录) alone, a letter — is refused as before.
"""

from __future__ import annotations

import re

from ingest.disclosure import Disclosure, Finding
from ingest.grid import GridDocument, Paragraph, Table
from ingest.readers import UnreadableFileError
from ingest.recognize.common import squash

WHOLE, NARRATIVE, TABLES = "whole", "narrative", "tables"

# A sentence that states an amount: "…预算总计18330.37万元，与上年相比…" (not a table's 单位：万元 line).
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?\s*万\s*元")
_NOT_PROSE = re.compile(r"^(?:金额)?单位\s*[:：]|^(?:注|备注)\s*[:：]")
MIN_PROSE = 3  # a 情况说明 states far more amounts than this; a tables file's notes state none
_PART_HEADING = re.compile(r"^第([一二三四五六七八九十])部分(.*)$")


def prose(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs that state an amount in a sentence."""
    return [
        p
        for p in paragraphs
        if _AMOUNT.search(p.text)
        and re.search(r"[，。；,;]", p.text)
        and len(squash(p.text)) >= 15
        and not _NOT_PROSE.search(squash(p.text))
    ]


def has_narrative(grid: GridDocument) -> bool:
    """Does the file carry a narrative (情况说明): sentences stating amounts, outside its tables."""
    return len(prose([b for b in grid.blocks if isinstance(b, Paragraph)])) >= MIN_PROSE


def narrative_sections(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """(profile, narrative) of a narrative-only file, by its part headings (第一部分 部门概况,
    第三部分 …预算情况说明): the last heading of each kind, so the 目录's entries are passed over,
    up to the next part heading. Without a 情况说明 heading the whole file is the narrative."""
    heads = [(i, squash(p.text)) for i, p in enumerate(paragraphs) if _PART_HEADING.match(squash(p.text))]

    def section(word: str, before: int | None = None) -> list[Paragraph]:
        hits = [i for i, t in heads if word in t and (before is None or i < before)]
        if not hits:
            return []
        start = hits[-1]
        end = next((i for i, _ in heads if i > start), len(paragraphs))
        return paragraphs[start:end]

    narrative = section("说明")
    if not narrative:
        return [], paragraphs
    start = paragraphs.index(narrative[0])
    return section("概况", before=start), narrative


def recognize_narrative_part(grid: GridDocument, toc: bool = False, found: list | None = None) -> Disclosure:
    """A file without the standard tables, read as the narrative part of a split publication (with
    the 项目支出绩效目标表 its 情况说明 may print: `found`'s performance tables); refused
    (UnreadableFileError) when it has no narrative either."""
    from ingest.recognize import _document_facts, _document_row  # the package's document facts
    from ingest.recognize.identity import identify
    from ingest.recognize.narrative import recognize_narrative, recognize_profile
    from ingest.recognize.performance import parse_performance

    d = Disclosure(source_name=grid.source_name)
    for i, ft in enumerate([ft for ft in found or [] if ft.is_performance], start=1):
        parse_performance(d, ft, i)
    paragraphs = [b for b in grid.blocks if isinstance(b, Paragraph)]
    profile, narrative = narrative_sections(paragraphs)
    recognize_profile(d, profile)
    recognize_narrative(d, narrative)
    stated = prose(narrative)
    if not any(f["value"] is not None for f in d.table("raw_narrative_facts")) and len(stated) < MIN_PROSE:
        if toc:
            raise UnreadableFileError(
                grid.source_name,
                "this is a table of contents (目录) without the disclosure's "
                "tables or its narrative (情况说明): no table and no amount stated in a sentence",
            )
        raise UnreadableFileError(
            grid.source_name,
            "no table found and no narrative (情况说明) stating amounts: this does not look like a budget disclosure",
        )
    who = identify(grid, [])
    facts = _document_facts(d, grid, [], who)
    n_facts = len(d.table("raw_narrative_facts"))
    _document_row(
        d,
        grid,
        facts,
        tables_found=0,
        part=NARRATIVE,
        note="narrative part: no standard table, "
        + (f"{n_facts} narrative figures" if n_facts else f"{len(stated)} sentences stating amounts"),
    )
    if not n_facts:
        d.findings.append(
            Finding(
                "DOC-PART",
                "warning",
                table_ref="情况说明",
                location=f"line {stated[0].line}",
                message=f"narrative part: {len(stated)} sentences state amounts but no narrative "
                "figure was recognised (its wording is not known yet); the file is kept",
            )
        )
    return d


def big_tables(grid: GridDocument) -> bool:
    """Does the file hold a grid of more than a few rows (a table, not a letter-spaced heading)?"""
    return any(isinstance(b, Table) and len(b.rows) > 3 for b in grid.blocks)


def publication_part(d: Disclosure) -> str:
    docs = d.table("raw_documents")
    return (docs[0].get("publication_part") if docs else None) or WHOLE
