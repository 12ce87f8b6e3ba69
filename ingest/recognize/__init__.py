"""Recognizers: from a GridDocument to a Disclosure of typed raw rows.

All knowledge of what a budget disclosure looks like lives in this package:
which table is which (tables.py), the prose facts (narrative.py), the
performance-target tables (performance.py) and the document facts (here).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from ingest.disclosure import Disclosure, Finding
from ingest.grid import GridDocument, Paragraph
from ingest.model import RAW_TABLES
from ingest.readers import UnreadableFileError
from ingest.recognize.common import squash
from ingest.recognize.final_accounts import FinalDisclosure, is_final_accounts_tables, recognize_final_accounts
from ingest.recognize.identity import cover_title, identify
from ingest.recognize.narrative import recognize_narrative, recognize_profile
from ingest.recognize.parts import TABLES, WHOLE, big_tables, has_narrative, prose, recognize_narrative_part
from ingest.recognize.performance import parse_performance
from ingest.recognize.tables import find_tables, recognize_tables

_PART = re.compile(r"^第([一二三四])部分")
_YEAR_TITLE = re.compile(r"(20\d{2})\s*年\s*(?:度)?\s*(?:部门|单位|部门（单位）|部门\(单位\))?\s*(预算|决算)")
_SIGNED = re.compile(r"^(20\d{2})年(\d{1,2})月(\d{1,2})日$")
_NAME_PATTERNS = [
    re.compile(r"^第一部分\s*(.+?)(?:单位|部门)概况"),
    re.compile(r"关于(.+?)20\d{2}年"),
    re.compile(r"^(.+?)编制数"),
    re.compile(r"项目承担单位[:：]\s*(.+)$"),
    re.compile(r"^(.+?)无下属"),
]


def _document_facts(d: Disclosure, grid: GridDocument, found: list, who) -> dict:
    paragraphs = [b for b in grid.blocks if isinstance(b, Paragraph)]
    names = Counter(ft.unit_name for ft in found if ft.unit_name)
    variants: list[str] = list(names)
    for p in paragraphs:
        for pat in _NAME_PATTERNS:
            m = pat.search(p.text)
            if m:
                cand = m.group(1).strip(" ：:")
                if 2 <= len(cand) <= 40 and cand not in variants:
                    variants.append(cand)
    unit = who.unit_name or (names.most_common(1)[0][0] if names else (variants[0] if variants else None))
    for name in who.names:
        if name not in variants:
            variants.append(name)
    # A variant must look like the same unit: share the first two characters with the main name.
    if unit:
        variants = [v for v in variants if v[:2] == unit[:2]]
    year = kind = None
    title = None
    for p in paragraphs:
        m = _YEAR_TITLE.search(p.text)
        if m:
            year, kind, title = int(m.group(1)), m.group(2), p.text
            break
    if who.fiscal_year is not None and (year is None or who.title):
        year, title = who.fiscal_year, title or who.title
    signed = None
    for p in reversed(paragraphs[-5:]):
        m = _SIGNED.match(squash(p.text))
        if m:
            signed = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            break
    return {
        "unit": unit,
        "variants": variants,
        "year": year,
        "kind": kind,
        "title": title,
        "signed": signed,
        "level": who.level,
    }


def _document_row(
    d: Disclosure, grid: GridDocument, facts: dict, tables_found: int, part: str, note: str | None = None
) -> None:
    """The document's facts onto the disclosure and its raw_documents row (a whole file or either part
    of a split publication): a 决算 is refused, a missing year or unit is an error finding."""
    if facts["kind"] == "决算" and not isinstance(d, FinalDisclosure):
        raise UnreadableFileError(
            grid.source_name, "this is a 决算 (final accounts) disclosure, not a 预算 budget disclosure"
        )
    d.unit_name, d.unit_name_variants, d.fiscal_year = facts["unit"], facts["variants"], facts["year"]
    if d.fiscal_year is None:
        d.findings.append(Finding("DOC-YEAR", "error", message="fiscal year not found in any title"))
    if d.unit_name is None:
        d.findings.append(Finding("DOC-UNIT", "error", message="unit name (编制部门) not found"))
    row = {
        "unit_name_variants": "|".join(facts["variants"]) or None,
        "disclosure_kind": facts["kind"] or "预算",
        "budget_level": facts["level"],
        "signed_date": facts["signed"],
        "title": facts["title"],
        "reader": grid.reader,
        "encoding": grid.encoding,
        "file_size_bytes": 0,
        "tables_found": tables_found,
        "publication_part": part,
    }
    if note is not None:
        row["publication_note"] = note
    d.rows["raw_documents"] = [row]
    _complete_rows(d)


def _complete_rows(d: Disclosure) -> None:
    """Give every row every column of its raw table (None where the document printed nothing),
    so the same document yields the same rows whatever layout or format it came in."""
    for name, rows in d.rows.items():
        columns = [c.name for c in RAW_TABLES[name].columns]
        for i, row in enumerate(rows):
            unknown = set(row) - set(columns)
            if unknown:
                raise KeyError(f"{name}: recognizer produced unknown columns {sorted(unknown)}")
            rows[i] = {c: row.get(c) for c in columns}


_FINAL_ACCOUNTS = re.compile(r"决算(?:公开|报表|表|情况说明)|部门决算|单位决算|决算总表")
_BUDGET_TITLE = re.compile(r"预算(?:公开|情况说明|表)|部门预算|单位预算|预算总表|综合预算")


def _texts(grid: GridDocument, limit: int = 400) -> list[str]:
    """Paragraphs and one-cell rows near the top: where titles live."""
    out: list[str] = []
    for b in grid.blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        else:
            out.extend(" ".join(c for c in r if c) for r in b.rows[:3])
        if len(out) >= limit:
            break
    return out


def is_final_accounts(grid: GridDocument, found: list) -> bool:
    """The titles — the cover and the tables' title lines, never cell text — name a 决算, not a 预算."""
    titles = squash("\n".join([cover_title(grid)] + [t for ft in found for t in ft.context]))
    return bool(_FINAL_ACCOUNTS.search(titles)) and not _BUDGET_TITLE.search(titles)


def check_kind(grid: GridDocument, found: list | None = None) -> None:
    """Refuse what is not a 预算 disclosure, saying what it is instead of forcing it into the tables.
    Only titles count — the cover and the tables' title lines — never cell text: a finance bureau's
    budget lists 决算管理 projects, and a 预算 table may print 上年决算 columns."""
    found = find_tables(grid.blocks) if found is None else found
    if is_final_accounts(grid, found):
        raise UnreadableFileError(
            grid.source_name,
            "this is a 决算 (final accounts) disclosure whose 决算 tables "
            "(收入支出决算总表 …) were not recognised; it is not a 预算 budget disclosure either",
        )


def _profile_and_narrative(grid: GridDocument, found: list) -> tuple[list[Paragraph], list[Paragraph]]:
    """The paragraphs of the unit profile (before the first recognised table) and of the 情况说明."""
    paragraphs = [b for b in grid.blocks if isinstance(b, Paragraph)]
    part_starts: dict[str, list[int]] = {}
    for idx, p in enumerate(paragraphs):
        m = _PART.match(p.text)
        if m:
            part_starts.setdefault(m.group(1), []).append(idx)
    # the profile is the prose before the first recognised table (a stray grid in the
    # profile, e.g. a letter-spaced heading read as cells, does not end it)
    first_table_line = min(ft.line for ft in found if ft.table_no or ft.is_performance)
    profile_pars = [p for p in paragraphs if p.line < first_table_line]
    # the 情况说明 starts at the last 第三部分 heading (a 目录 lists the parts first: its entry is passed
    # over) and ends at the first 第四部分 heading after it
    narrative_from = part_starts["三"][-1] if "三" in part_starts else None
    narrative_pars = (
        paragraphs[narrative_from:]
        if narrative_from is not None
        else [p for p in paragraphs if p.line > first_table_line]
    )
    end = next((i for i in part_starts.get("四", []) if narrative_from is not None and i > narrative_from), None)
    if end is not None:
        narrative_pars = paragraphs[narrative_from:end]
    if (
        paragraphs[narrative_from].line < first_table_line
        if narrative_from is not None
        else any(p.line < first_table_line for p in prose(paragraphs))
    ):
        # the 情况说明 is printed before the tables (重庆 二、部门收支总体情况, 上海普陀 部门预算编制说明, 西安
        # 第二部分收支情况 / 第三部分其他说明情况): the whole file's prose is read, its sections by their headings
        narrative_pars = paragraphs
    return profile_pars, narrative_pars


def recognize(grid: GridDocument) -> Disclosure:
    d = Disclosure(source_name=grid.source_name)
    found = find_tables(grid.blocks)
    if is_final_accounts_tables(found):  # a 决算 whose tables are recognised (final_accounts.py)
        return recognize_final_accounts(grid, found, _document_row)
    check_kind(grid, found)
    toc = "目录" in squash("\n".join(_texts(grid)))[:200]
    if not found:  # no table: the narrative part of a split publication, or refused (parts.py)
        return recognize_narrative_part(grid, toc=toc)
    who = identify(grid, [t for ft in found for t in ft.context])  # unit, year, level, once
    by_no = recognize_tables(d, found, who.fiscal_year)
    if not by_no:
        if has_narrative(grid) and not any(len(ft.rows) > 3 and not ft.is_performance for ft in found):
            return recognize_narrative_part(grid, toc=toc, found=found)  # its tables: 绩效目标表 at most
        if toc and not big_tables(grid):
            raise UnreadableFileError(
                grid.source_name, "this is a table of contents (目录) without the disclosure's tables"
            )
        raise UnreadableFileError(
            grid.source_name,
            "none of the nine standard tables (表一…表九) was recognised: not a budget disclosure of the standard kind",
        )
    perf = [ft for ft in found if ft.is_performance]
    for i, ft in enumerate(perf, start=1):
        parse_performance(d, ft, i)

    profile_pars, narrative_pars = _profile_and_narrative(grid, found)
    recognize_profile(d, profile_pars)
    # The performance tables sit inside the narrative; prose after them still belongs to it.
    recognize_narrative(d, narrative_pars)

    facts = _document_facts(d, grid, found, who)
    present = [r for r in d.table("raw_tables") if r["status"] in ("present", "empty")]
    # a file with the tables but no 情况说明 is the tables part of a split publication (parts.py)
    part = WHOLE if d.table("raw_narrative_facts") or has_narrative(grid) else TABLES
    _document_row(d, grid, facts, tables_found=len(present), part=part)
    for table in by_no.values():
        if table.unit_name and d.unit_name and table.unit_name != d.unit_name:
            d.findings.append(
                Finding(
                    "DOC-UNIT-NAME",
                    "info",
                    table_ref=table.ref,
                    message=f"{table.ref} names the unit {table.unit_name!r}, the document mostly {d.unit_name!r}",
                )
            )
    return d
