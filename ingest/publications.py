"""Split publications are one disclosure: pairing a narrative part with its tables part, and the
narrative-vs-table rules (NR-*) run across the two files.

A unit-year published as two files (江苏 文字部分 + 公开表, 北京 附件1 情况说明 + 附件2 报表) loads as
two documents, each with its own document_id (SHA-256), source_file and provenance, and a
`publication_part` ('narrative' | 'tables', ingest/recognize/parts.py). When a load meets a part it
looks for the other part — in the same load first, then among the parts already in the lake — and
pairs them when they agree on what they are (same disclosure kind, fiscal year and level where
both print one) and either

* their file names are the same once the part marker is taken off (`publication_stem`:
  js-renda-bgt-2019-dept-text.pdf / -tables.pdf → js-renda-bgt-2019-dept; 附件1 情况说明 / 附件2 报表), or
* they name the same unit (`same_unit`: the printed names or variants, with 中国共产党 = 中共, 委员会 = 委)
  for the same fiscal year.

The part that arrives second records the link (raw_documents.companion_document_id), both when
they arrive together; `publication_note` says how they were paired. A part that prints no unit or
year takes them from its companion (DOC-PART info says so; its DOC-UNIT/DOC-YEAR error goes).
dbt joins the two into one disclosure (int_document_revisions: same unit_id, revisions numbered
per part).

Once both parts are there, the narrative-vs-table rules (NR-*, and PT-*: a 情况说明 may print the
项目支出绩效目标表 that PT-FUNDS compares with 表七) run over the combined disclosure (the tables
part's rows, the narrative part's facts: `combined`) and the findings neither part raised alone
are recorded on the narrative part's document (numbered after its own), with
raw_findings.companion_document_id naming the tables part they were computed with (a finding of
a superseded tables part is not counted). When the narrative part is already in the lake, these
rows go into the new batch under its document_id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ingest import lake
from ingest.disclosure import Disclosure, Finding
from ingest.model import PARSER_VERSION, RAW_TABLES
from ingest.recognize.parts import NARRATIVE, TABLES, WHOLE, publication_part
from ingest.validate.rules import rounded

# ---- which rules run on a part alone, which across the parts ------------------------------------

# NR-* rules that read the narrative alone: they run on a narrative part when it is parsed. The other
# NR-* rules compare the narrative with the tables and run once both parts are there.
NARRATIVE_ONLY_RULES = ("NR-SHARE", "NR-THREE-PUBLIC-CHANGE", "NR-PROCUREMENT", "NR-ASSET-VEHICLE")
# the raw tables a narrative part supplies to the combined disclosure; the tables part supplies the rest
NARRATIVE_TABLES = ("raw_narrative_facts", "raw_unit_profile")
_OWN_TABLES = ("raw_documents", "raw_findings")
_CONTENT = tuple(t for t in RAW_TABLES if t not in _OWN_TABLES)  # what a disclosure prints


def part_rules(d: Disclosure):
    """The rules to run on one parsed file: all of them, but on a narrative part not those that
    compare the narrative with tables it does not have (they run when the pair is complete)."""
    from ingest.validate.rules import RULES

    if publication_part(d) != NARRATIVE:
        return None
    return [r for rid, r in RULES.items() if not rid.startswith("NR-") or rid in NARRATIVE_ONLY_RULES]


def cross_rules():
    """The rules run over the combined disclosure: narrative vs tables (NR-*) and the 绩效目标表 —
    which a 情况说明 may print — vs 表七 (PT-*)."""
    from ingest.validate.rules import RULES

    return [r for rid, r in RULES.items() if rid.startswith(("NR-", "PT-"))]


# ---- pairing ----------------------------------------------------------------------------------

# The part markers of file names: -text / -tables (and the like) at the end, or 文字部分 / 情况说明 /
# 公开表 / 报表 (with an 附件N before them) anywhere.
_LATIN_MARKER = re.compile(r"[-_. ]+(?:text|txt|narrative|wenzi|shuoming|tables?|biao|baobiao|report)$", re.I)
_CJK_MARKER = re.compile(
    r"[（(【\[]?\s*(?:附件\s*[0-9一二三四]\s*[-_.、：:]?\s*)?"
    r"(?:文字部分|文字说明|文字|情况说明|预算说明|公开表|预算表|报表|表格部分|表格)\s*[)）】\]]?"
)
_ATTACHMENT = re.compile(r"附件\s*[0-9一二三四]")


def publication_stem(file_name: str) -> str | None:
    """The file name without its part marker (lower case, no extension), or None when the name
    carries no part marker (then it says nothing about a companion)."""
    stem = unicodedata.normalize("NFKC", Path(file_name).stem)
    out = _LATIN_MARKER.sub("", stem)
    if out == stem:
        out = _CJK_MARKER.sub("", stem)
        if out == stem:
            out = _ATTACHMENT.sub("", stem)
    if out == stem:
        return None
    out = re.sub(r"[\s\-_.（）()【】\[\]]+$", "", out).strip().lower()
    return out or None


def name_key(name: str | None) -> str:
    """A unit name for comparison: width-folded, no whitespace, 中国共产党 → 中共, 委员会 → 委,
    办公室 → 办, a leading 中共 dropped (江苏省委办公厅 = 中共江苏省委办公厅)."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    s = s.replace("中国共产党", "中共").replace("委员会", "委").replace("办公室", "办")
    return s.removeprefix("中共")


def same_unit(a: "Part", b: "Part") -> bool:
    keys_a = {name_key(n) for n in [a.unit_name, *a.variants] if n}
    keys_b = {name_key(n) for n in [b.unit_name, *b.variants] if n}
    return bool(keys_a & keys_b - {""})


@dataclass
class Part:
    """One part as pairing sees it: from this load (`parsed` set) or from the lake."""

    document_id: str
    source_file: str
    part: str
    kind: str
    fiscal_year: int | None
    unit_name: str | None
    variants: list[str]
    level: str | None
    loaded_at: datetime | None = None  # None: this load
    parsed: object | None = None  # ParsedFile of this load
    companion: "Part | None" = None
    how: str | None = None

    @classmethod
    def of_parsed(cls, parsed) -> "Part":
        d = parsed.disclosure
        doc = d.table("raw_documents")[0]
        return cls(
            parsed.document_id,
            parsed.path.name,
            publication_part(d),
            doc["disclosure_kind"],
            d.fiscal_year,
            d.unit_name,
            list(d.unit_name_variants),
            doc.get("budget_level"),
            parsed=parsed,
        )

    @classmethod
    def of_lake_row(cls, row: dict) -> "Part":
        return cls(
            row["document_id"],
            row["source_file"],
            row.get("publication_part") or WHOLE,
            row["disclosure_kind"],
            row["fiscal_year"],
            row["unit_name"],
            [v for v in (row.get("unit_name_variants") or "").split("|") if v],
            row.get("budget_level"),
            loaded_at=row["loaded_at"],
        )


def match(a: Part, b: Part) -> tuple[int, str] | None:
    """Whether two parts are the two halves of one disclosure: (strength, how) or None."""
    if {a.part, b.part} != {NARRATIVE, TABLES} or a.kind != b.kind:
        return None
    if a.fiscal_year is not None and b.fiscal_year is not None and a.fiscal_year != b.fiscal_year:
        return None
    if a.level and b.level and a.level != b.level and a.unit_name and b.unit_name:
        return None
    years = a.fiscal_year is not None and b.fiscal_year is not None
    stem = publication_stem(a.source_file)
    same_stem = stem is not None and stem == publication_stem(b.source_file)
    unit = years and same_unit(a, b)
    if same_stem and years:
        return 3, f"same file-name stem {stem!r} and fiscal year {a.fiscal_year}" + (
            f", same unit {a.unit_name}" if unit else ""
        )
    if unit:
        return 2, f"same unit {a.unit_name} and fiscal year {a.fiscal_year}"
    if same_stem:
        return 1, f"same file-name stem {stem!r} (fiscal year printed in one part only)"
    return None


def pair_parts(batch: list[Part], lake_parts: list[Part]) -> None:
    """Give each part of this load its companion (`companion`, `how`): the best-matching other part
    of this load, else the latest matching one in the lake (a later revision of a part wins)."""
    scored = sorted(
        (
            (s, how, n, t)
            for n in batch
            if n.part == NARRATIVE
            for t in batch
            if t.part == TABLES
            for s, how in [match(n, t) or (0, "")]
            if s
        ),
        key=lambda x: -x[0],
    )
    for _, how, n, t in scored:
        if n.companion is None and t.companion is None:
            n.companion, t.companion = t, n
            n.how = t.how = f"paired in the same load with {{other}}: {how}"
    for p in batch:
        if p.companion is not None or p.part not in (NARRATIVE, TABLES):
            continue
        best = None
        for q in lake_parts:
            m = match(p, q)
            if m and (best is None or (m[0], q.loaded_at) > (best[0], best[2].loaded_at)):
                best = (m[0], m[1], q)
        if best:
            p.companion, p.how = best[2], f"paired with {{other}}, loaded before: {best[1]}"


def lake_parts(lake_dir: Path, exclude: set[str] = frozenset()) -> list[Part]:
    """The narrative and tables parts already in the lake."""
    rows = lake.read_table(lake_dir, "raw_documents").to_pylist()
    return [
        Part.of_lake_row(r)
        for r in rows
        if (r.get("publication_part") or WHOLE) in (NARRATIVE, TABLES) and r["document_id"] not in exclude
    ]


# ---- the combined disclosure and its findings --------------------------------------------------


def rows_of(part: Part, lake_dir: Path, tables: tuple[str, ...]) -> dict[str, list[dict]]:
    if part.parsed is not None:
        return {t: part.parsed.disclosure.table(t) for t in tables}
    return {t: lake.read_rows(lake_dir, t, {part.document_id}) for t in tables}


def combined(narrative: dict[str, list[dict]], tables: dict[str, list[dict]], name: str) -> Disclosure:
    """One disclosure of the two parts: the narrative part's facts and profile, the tables part's
    rows — and where the tables part has none of a table the narrative part prints (the
    项目支出绩效目标表 inside a 情况说明), the narrative part's."""
    d = Disclosure(source_name=name)
    for t in set(narrative) | set(tables):
        rows = narrative.get(t) if t in NARRATIVE_TABLES else tables.get(t) or narrative.get(t)
        d.rows[t] = list(rows or [])
    return d


def _key(f: Finding | dict) -> tuple:
    g = f if isinstance(f, dict) else f.as_row()
    return g["rule_id"], g["severity"], g["message"], g["location"]


def cross_findings(
    narrative: dict[str, list[dict]], tables: dict[str, list[dict]], own: list[Finding | dict], name: str
) -> list[Finding]:
    """The NR-* findings of the combined disclosure that the narrative part alone did not raise."""
    d = combined(narrative, tables, name)
    for r in cross_rules():
        d.findings.extend(r.check(d))
    seen = {_key(f) for f in own}
    return [rounded(f) for f in d.findings if _key(f) not in seen]


# ---- applying a pairing to the rows of this load ----------------------------------------------


def _doc(part: Part) -> dict:
    return part.parsed.disclosure.table("raw_documents")[0]


def _adopt_identity(part: Part, other: Part) -> list[str]:
    """Fill what the part does not print (unit, year, level) from its companion; say what was taken."""
    d = part.parsed.disclosure
    doc = _doc(part)
    taken = []
    if d.unit_name is None and other.unit_name:
        d.unit_name = part.unit_name = other.unit_name
        d.unit_name_variants = [other.unit_name, *[v for v in other.variants if v != other.unit_name]]
        doc["unit_name_variants"] = "|".join(d.unit_name_variants)
        taken.append(f"unit {other.unit_name}")
        d.findings = [f for f in d.findings if f.rule_id != "DOC-UNIT"]
    if d.fiscal_year is None and other.fiscal_year is not None:
        d.fiscal_year = part.fiscal_year = other.fiscal_year
        taken.append(f"fiscal year {other.fiscal_year}")
        d.findings = [f for f in d.findings if f.rule_id != "DOC-YEAR"]
    if not doc.get("budget_level") and other.level:
        doc["budget_level"] = part.level = other.level
        taken.append(f"level {other.level}")
    return taken


@dataclass
class Pairing:
    """What pairing adds to a load: raw_findings rows for narrative parts already in the lake."""

    extra_rows: dict[str, list[dict]] = field(default_factory=dict)
    pairs: list[tuple[Part, Part]] = field(default_factory=list)


def apply(batch: list[Part], lake_dir: Path, batch_id: str | None, loaded_at: datetime | None) -> Pairing:
    """Record each part's companion and note, fill missing identity, and compute the cross-part
    findings: on the parsed narrative part, or — given the batch they go into — as extra rows for
    a narrative part in the lake (without one, as when re-parsing a year, those are left as they are)."""
    out = Pairing()
    for p in batch:
        doc = _doc(p)
        o = p.companion
        if o is None:
            if p.part in (NARRATIVE, TABLES):
                doc["publication_note"] = _join(
                    doc.get("publication_note"),
                    f"{p.part} part; its companion ({TABLES if p.part == NARRATIVE else NARRATIVE} "
                    "part) is not loaded yet",
                )
            continue
        taken = _adopt_identity(p, o)
        doc["companion_document_id"] = o.document_id
        note = p.how.format(other=f"{o.source_file} ({o.document_id[:12]})")
        if taken:
            note += f"; {', '.join(taken)} taken from it"
            p.parsed.disclosure.findings.append(
                Finding(
                    "DOC-PART",
                    "info",
                    f"{p.part} part: {', '.join(taken)} not printed in this file, taken from its "
                    f"companion {o.source_file} ({note.split(': ', 1)[-1]})",
                )
            )
        elif p.unit_name and o.unit_name and p.unit_name != o.unit_name:
            p.parsed.disclosure.findings.append(
                Finding(
                    "DOC-PART",
                    "info",
                    f"{p.part} part names the unit {p.unit_name!r}, its companion {o.source_file} "
                    f"{o.unit_name!r}: one disclosure ({note.split(': ', 1)[-1]})",
                )
            )
        doc["publication_note"] = _join(doc.get("publication_note"), note)
    for n in batch:
        t = n.companion
        if n.part != NARRATIVE or t is None:
            continue
        out.pairs.append((n, t))
        tables = rows_of(t, lake_dir, _CONTENT)
        facts = rows_of(n, lake_dir, _CONTENT)
        own = n.parsed.disclosure.findings + (
            t.parsed.disclosure.findings if t.parsed is not None else _lake_findings(lake_dir, t.document_id)
        )
        found = cross_findings(facts, tables, own, n.source_file)
        n.parsed.cross_findings = found
        n.parsed.cross_companion = t.document_id
    for t in batch:
        n = t.companion
        if t.part != TABLES or n is None or n.parsed is not None or batch_id is None:
            continue
        # the narrative part is in the lake: its cross findings go into this batch under its id
        out.pairs.append((n, t))
        own = _lake_findings(lake_dir, n.document_id)
        facts = rows_of(n, lake_dir, _CONTENT)
        found = cross_findings(facts, rows_of(t, lake_dir, _CONTENT), own + t.parsed.disclosure.findings, n.source_file)
        first = max((r["finding_no"] for r in own), default=0)  # numbered after the part's own
        prov = {
            "document_id": n.document_id,
            "source_file": n.source_file,
            "unit_name": n.unit_name,
            "fiscal_year": n.fiscal_year,
            "parser_version": PARSER_VERSION,
            "loaded_at": loaded_at,
            "batch_id": batch_id,
        }
        rows = out.extra_rows.setdefault("raw_findings", [])
        rows += [
            {**prov, "finding_no": first + i, **f.as_row(), "companion_document_id": t.document_id}
            for i, f in enumerate(found, start=1)
        ]
        t.parsed.cross_findings_elsewhere = found
    return out


def _lake_findings(lake_dir: Path, document_id: str) -> list[dict]:
    """A document's own findings in the lake (not those computed across parts)."""
    return [r for r in lake.read_rows(lake_dir, "raw_findings", {document_id}) if not r.get("companion_document_id")]


def _join(a: str | None, b: str) -> str:
    return f"{a}; {b}" if a else b


def pair_load(
    parsed_parts: list,
    lake_dir: Path,
    batch_id: str | None,
    loaded_at: datetime | None,
    exclude: set[str] = frozenset(),
) -> Pairing:
    """Pair the parts parsed in this load (with each other, else with the lake's but those in
    `exclude`) and apply it."""
    batch = [Part.of_parsed(p) for p in parsed_parts]
    pair_parts(batch, lake_parts(lake_dir, exclude | {p.document_id for p in batch}))
    return apply(batch, lake_dir, batch_id, loaded_at)
