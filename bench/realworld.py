"""`make realworld`: every real published disclosure in ../shared/real-disclosures, read by the
product and compared with the truth read off the documents by hand (tests/realworld/truth/).

    python -m bench.realworld [--out docs/realworld.md] [--real DIR]

Per file: the table kinds recognised against the tables the document prints, unit / year as the
pipeline reads them, the key figures (收入/支出总计, 一般公共预算拨款, 支出总表 合计/基本/项目,
“三公” total and parts; and the narrative's 收入/支出预算 and “三公” totals) against the truth, what the
pipeline makes of the file (loaded with its error findings, or refused and why) and the parse time.
The 决算 (final accounts) files in
real-disclosures/final-accounts/ are measured the same way against tests/realworld/truth/final-accounts/
(their kinds are the final_* ones, their key figures 总计, 本年收入/支出合计, 年初/年末结转和结余, 支出决算表
合计/基本/项目, 财政拨款 总计, “三公” 预算数/决算数 and the 情况说明's totals; a truth's `expected_errors` are
the error findings of the document's own defects, which must be found). The two files of a split
publication (a truth `part: narrative` and `part: tables`) are paired as a load pairs them
(ingest/publications.py) and reported as one disclosure; the narrative-vs-table findings computed
across the two count on the narrative file. Writes docs/realworld.md, every error finding with its
verdict from tests/realworld/finding_verdicts.yaml where one is written. tests/test_realworld.py
asserts the same comparison, with the gaps still open listed in tests/realworld/known_gaps.yaml
(each gap must still be a gap: a fixed one must leave the list).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from ingest.pipeline import ParsedFile, parse_path
from ingest.publications import pair_load
from ingest.recognize.parts import NARRATIVE, TABLES, publication_part
from ingest.readers import UnreadableFileError, read_document
from ingest.recognize.figures import FIGURES, Figure, key_figures, table_kind
from ingest.recognize.final_accounts import FINAL_FIGURES, final_figures
from ingest.recognize.tables import find_tables

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-disclosures"
TRUTH = ROOT / "tests" / "realworld" / "truth"
FINAL_TRUTH = TRUTH / "final-accounts"  # the 决算 files' truth (real-disclosures/final-accounts/)
GAPS = ROOT / "tests" / "realworld" / "known_gaps.yaml"
# Hand-written verdicts on error findings: file → list of {rule, contains, verdict}; a finding of that
# rule whose message contains the text gets the verdict (real defect of the document, or misread).
VERDICTS = ROOT / "tests" / "realworld" / "finding_verdicts.yaml"
OUT = ROOT / "docs" / "realworld.md"
# The narrative's figures (情况说明), read from its facts: truth key → (fact key, meaning)
NARRATIVE_FIGURES = {
    "narrative_income_total": ("income.total", "情况说明 收入预算（总计）"),
    "narrative_expenditure_total": ("expenditure.total", "情况说明 支出预算（总计）"),
    "narrative_three_public_total": ("three_public.total", "情况说明 “三公”经费预算"),
}


def narrative_figures(d) -> dict[str, Figure]:
    """The first statement of each narrative figure in a parsed disclosure's 情况说明 facts."""
    out: dict[str, Figure] = {}
    for key, (fact_key, _) in NARRATIVE_FIGURES.items():
        f = next((f for f in d.facts(fact_key) if f["value"] is not None), None)
        if f is not None:
            out[key] = Figure(
                key, f["value"], f"{f['value']:f}", f["value_unit"] or "", f["line_no"] or 0, f["section"] or "情况说明"
            )
    return out


@dataclass
class FileResult:
    name: str
    truth: dict
    seconds: float = 0.0  # read + recognise + validate (the pipeline's parse)
    pipeline_error: str | None = None  # the pipeline refused it (reason)
    unit: str | None = None
    year: int | None = None
    level: str | None = None  # 部门 | 单位 (raw_documents.budget_level)
    kinds: list[tuple[str, str]] = field(default_factory=list)  # (kind id, printed title) per table found
    figures: dict[str, Figure] = field(default_factory=dict)
    error_rules: Counter = field(default_factory=Counter)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (rule id, table, message) of each error finding
    part: str | None = None  # whole | narrative | tables, as the pipeline reads it
    parsed: ParsedFile | None = field(default=None, repr=False)
    companion: str | None = None  # a split publication's other file, as paired
    pairing: str | None = None  # how it was paired (the publication note)
    cross: list = field(default_factory=list)  # findings computed across the two parts (on the narrative)

    # -- against the truth
    def expected_kinds(self) -> Counter:
        return Counter(t["kind"] for t in self.truth.get("tables") or [])

    def kinds_missing(self) -> Counter:
        return self.expected_kinds() - Counter(k for k, _ in self.kinds)

    def expected_errors(self) -> Counter:
        """The error findings the truth expects: the document's own defects (a 决算's 0.3 vs 2961.68)."""
        return Counter(self.truth.get("expected_errors") or {})

    def unexpected_errors(self) -> Counter:
        return self.error_rules - self.expected_errors()

    def expected_errors_missing(self) -> Counter:
        return self.expected_errors() - self.error_rules

    def figure_checks(self) -> dict[str, str]:
        """figure key → 'exact' | 'wrong: …' | 'not read' for every figure the truth gives a value, and
        'wrong: …' where the document prints none (the truth's `absent`) but a number was read."""
        out: dict[str, str] = {}
        absent = self.truth.get("absent") or {}
        for key in [*FIGURES, *NARRATIVE_FIGURES, *FINAL_FIGURES]:
            exp = (self.truth.get("figures") or {}).get(key)
            if not exp or exp.get("value") in (None, ""):
                got = self.figures.get(key)
                if key in absent and got is not None and got.value is not None:
                    out[key] = f"wrong: read {got.text} at line {got.line}, the document prints none ({absent[key]})"
                continue
            got = self.figures.get(key)
            if got is None:
                out[key] = f"not read (truth {exp['value']} {exp['unit']}, p{exp['page']})"
            elif got.value is not None and got.value == Decimal(exp["value"]) and got.money_unit == exp["unit"]:
                out[key] = "exact"
            else:
                out[key] = (
                    f"wrong: read {got.text or '(blank)'} {got.money_unit} at line {got.line}, "
                    f"truth {exp['value']} {exp['unit']} p{exp['page']}"
                )
        return out


def truth_files() -> list[Path]:
    """The 预算 files' truth (real-disclosures/budget/)."""
    return sorted(TRUTH.glob("*.yaml"))


def final_truth_files() -> list[Path]:
    """The 决算 files' truth (real-disclosures/final-accounts/)."""
    return sorted(FINAL_TRUTH.glob("*.yaml"))


def all_truth_files() -> list[Path]:
    return truth_files() + final_truth_files()


def real_path(name: str, real: Path = REAL) -> Path:
    hits = sorted(real.glob(f"*/{name}"))
    if not hits:
        raise FileNotFoundError(f"{name}: not under {real}")
    return hits[0]


def measure(truth_file: Path, real: Path = REAL) -> FileResult:
    truth = yaml.safe_load(truth_file.read_text(encoding="utf-8"))
    res = FileResult(truth["file"], truth)
    path = real_path(truth["file"], real)
    started = time.perf_counter()
    parsed = parse_path(path)
    res.seconds = time.perf_counter() - started
    res.pipeline_error = parsed.error
    narrative: dict[str, Figure] = {}
    if parsed.disclosure is not None:
        d = parsed.disclosure
        res.unit, res.year = d.unit_name, d.fiscal_year
        res.level = next((r.get("budget_level") for r in d.table("raw_documents")), None)
        res.error_rules = Counter(f.rule_id for f in d.findings if f.severity == "error")
        res.errors = [(f.rule_id, f.table_ref or "", f.message) for f in d.findings if f.severity == "error"]
        res.part, res.parsed = publication_part(d), parsed
        narrative = narrative_figures(d) | final_figures(d)
    try:
        grid = read_document(path)
    except UnreadableFileError:  # unreadable: pipeline_error says why
        return res
    found = find_tables(grid.blocks)
    for ft in found:
        kind = table_kind(ft)
        if kind is not None:
            res.kinds.append((kind.id, next((t for t in reversed(ft.context) if t), "")))
    res.figures = key_figures(found, res.year or truth.get("fiscal_year")) | narrative
    return res


def publication_stem_of(name: str) -> str | None:
    from ingest.publications import publication_stem

    return publication_stem(name)


def pair_results(results: list[FileResult]) -> list[tuple[FileResult, FileResult]]:
    """Pair the split publications' files as a load does (all in one load, no lake): each part gets
    its companion; the narrative part the findings computed across the two, its error ones counted
    with its own. Returns the (narrative, tables) pairs."""
    import tempfile

    parts = [r for r in results if r.parsed is not None and r.part in (NARRATIVE, TABLES)]
    if not parts:
        return []
    with tempfile.TemporaryDirectory(prefix="realworld-lake-") as lake_dir:
        pairing = pair_load([r.parsed for r in parts], Path(lake_dir), None, None)
    by_name = {r.name: r for r in parts}
    out = []
    for n, t in pairing.pairs:
        rn, rt = by_name[n.source_file], by_name[t.source_file]
        rn.companion, rt.companion = rt.name, rn.name
        out.append((rn, rt))
    for r in parts:
        r.pairing = r.parsed.disclosure.table("raw_documents")[0].get("publication_note")
        r.cross = list(r.parsed.cross_findings)
        errors = [f for f in r.cross if f.severity == "error"]
        r.error_rules.update(f.rule_id for f in errors)
        r.errors += [(f.rule_id, f.table_ref or "", f"{f.message}（across the parts）") for f in errors]
    return out


def measure_all(files: list[Path] | None = None, real: Path = REAL, progress=None) -> list[FileResult]:
    """Every truth file measured, then the split publications paired."""
    results = []
    for k, f in enumerate(files if files is not None else all_truth_files(), start=1):
        results.append(measure(f, real))
        if progress:
            progress(k, results[-1])
    pair_results(results)
    return results


def load_gaps() -> dict:
    return yaml.safe_load(GAPS.read_text(encoding="utf-8")) or {} if GAPS.exists() else {}


def gaps_of(results: list[FileResult]) -> dict:
    """The known-gaps entries the results call for (what tests/realworld/known_gaps.yaml lists)."""
    out: dict = {}
    for r in results:
        entry: dict = {}
        if r.kinds_missing():
            entry["kinds"] = dict(r.kinds_missing())
        figures = {k: c for k, c in r.figure_checks().items() if c != "exact"}
        if figures:
            entry["figures"] = figures
        if r.unit != r.truth["unit_name"]:
            entry["unit"] = f"read {r.unit!r}"
        if r.year != r.truth["fiscal_year"]:
            entry["year"] = f"read {r.year!r}" + (f" (refused: {r.pipeline_error})" if r.pipeline_error else "")
        if r.truth.get("level") and r.level != r.truth["level"]:
            entry["level"] = f"read {r.level!r}"
        if r.unexpected_errors():
            entry["errors"] = dict(sorted(r.unexpected_errors().items()))
        if r.expected_errors_missing():
            entry["expected_errors_not_found"] = dict(sorted(r.expected_errors_missing().items()))
        if entry:
            out[r.name] = entry
    return out


def new_gaps(old: dict, new: dict) -> list[str]:
    """What `new` lists that `old` did not: regressions, unless deliberately accepted."""
    added = []
    for name, entry in new.items():
        before = old.get(name) or {}
        for what in ("unit", "year", "level"):
            if what in entry and what not in before:
                added.append(f"{name}: {what} {entry[what]}")
        for key in entry.get("figures") or {}:
            if key not in (before.get("figures") or {}):
                added.append(f"{name}: {key} {entry['figures'][key]}")
        for kind, n in (entry.get("kinds") or {}).items():
            if n > (before.get("kinds") or {}).get(kind, 0):
                added.append(f"{name}: kind {kind} ×{n} not recognised")
        for rule, n in (entry.get("errors") or {}).items():
            if n > (before.get("errors") or {}).get(rule, 0):
                added.append(f"{name}: {n} error findings {rule}")
        for rule, n in (entry.get("expected_errors_not_found") or {}).items():
            if n > (before.get("expected_errors_not_found") or {}).get(rule, 0):
                added.append(f"{name}: the document's defect {rule} ×{n} not found")
    return added


GAPS_HEADER = """# What the product does not read right yet on the real disclosures (see tests/test_realworld.py).
# Per file: table kinds not recognised (kind: count), key figures not exact (key: what is read
# instead), unit / year not read as printed, error findings by rule (a misread of the template, or a
# real defect of the document: docs/realworld.md gives each one's verdict from
# tests/realworld/finding_verdicts.yaml). Every entry must still be a gap: a fix takes its line
# out (`python -m bench.realworld --update-gaps` drops fixed lines; it refuses to add any unless
# told --allow-new-gaps, so a regression is never written down by accident).
"""


def write_gaps(gaps: dict) -> None:
    GAPS.write_text(GAPS_HEADER + yaml.safe_dump(gaps, allow_unicode=True, sort_keys=True, width=200), encoding="utf-8")


def _md_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def report(results: list[FileResult]) -> str:
    times = [r.seconds for r in results]
    n_tables = sum(sum(r.expected_kinds().values()) for r in results)
    n_kinds = n_tables - sum(sum(r.kinds_missing().values()) for r in results)
    checks = [c for r in results for c in r.figure_checks().values()]
    exact = sum(c == "exact" for c in checks)
    refused = [r for r in results if r.pipeline_error]
    units = sum(bool(r.unit) and r.unit == r.truth.get("unit_name") for r in results)
    years = sum(r.year == r.truth.get("fiscal_year") for r in results)
    levels = sum(r.level == r.truth.get("level") for r in results)
    errors = sum(sum(r.error_rules.values()) for r in results)
    expected_errors = sum(sum(r.expected_errors().values()) for r in results)
    expected_found = expected_errors - sum(sum(r.expected_errors_missing().values()) for r in results)
    final = [r for r in results if r.truth.get("disclosure_kind") == "决算"]
    final_tables = sum(sum(r.expected_kinds().values()) for r in final)
    final_kinds = final_tables - sum(sum(r.kinds_missing().values()) for r in final)
    final_checks = [c for r in final for c in r.figure_checks().values()]
    pairs = sorted({tuple(sorted((r.name, r.companion))) for r in results if r.companion})
    split = [r for r in results if r.truth.get("part") == NARRATIVE]
    lines = [
        "# Real disclosures: what the product reads right",
        "",
        "Written by `make realworld` (`python -m bench.realworld`) from every PDF in",
        "`../shared/real-disclosures/` with a truth file in `tests/realworld/truth/` (figures read off",
        "the pages by hand, each with its page). `tests/test_realworld.py` asserts the same comparison;",
        "the gaps still open are listed in `tests/realworld/known_gaps.yaml`.",
        "",
        "## Summary",
        "",
        f"- files: {len(results)}",
        f"- printed tables recognised by kind: {n_kinds} / {n_tables}",
        f"- key figures exact: {exact} / {len(checks)}",
        f"- unit name as printed: {units} / {len(results)}; fiscal year: {years} / {len(results)}; "
        f"level (部门/单位 预算): {levels} / {len(results)}",
        f"- refused by the pipeline: {len(refused)} / {len(results)}",
        "- split publications (情况说明 and 公开表 as two files) loaded as one disclosure: "
        f"{len(pairs)} / {len(split)} pairs",
        f"- error findings on the files the pipeline loads: {errors}, of which the documents' own defects the "
        f"truth expects (a 决算's narrative vs its table, placeholders left in a template): {expected_found} / "
        f"{expected_errors} found",
        f"- of these, 决算 (final accounts) files: {len(final)}; their tables recognised by kind {final_kinds} / "
        f"{final_tables}, key figures exact {sum(c == 'exact' for c in final_checks)} / {len(final_checks)}, "
        f"refused {sum(bool(r.pipeline_error) for r in final)}",
        f"- parse time per file (read + recognise + validate): median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s",
        "",
        "## Per file",
        "",
        "| file | kinds | figures exact | unit | year | pipeline | error findings | parse s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        exp = sum(r.expected_kinds().values())
        got = exp - sum(r.kinds_missing().values())
        fc = r.figure_checks()
        verdict = f"refused: {r.pipeline_error}" if r.pipeline_error else "loaded"
        unit = "✓" if r.unit and r.unit == r.truth.get("unit_name") else (r.unit or "—")
        year = "✓" if r.year == r.truth.get("fiscal_year") else (r.year or "—")
        rules = ", ".join(f"{k} {v}" for k, v in r.error_rules.most_common()) or "0"
        lines.append(
            f"| {r.name} | {got}/{exp} | {sum(c == 'exact' for c in fc.values())}/{len(fc)} | "
            f"{_md_cell(unit)} | {year} | {_md_cell(verdict)} | {_md_cell(rules)} | {r.seconds:.2f} |"
        )
    lines += [
        "",
        "## Split publications",
        "",
        "A unit-year published as a narrative file (文字部分 / 附件1 情况说明) and a tables file (公开表 / "
        "附件2 报表): each file loads as one part of the disclosure with its own document_id, the load pairs "
        "them (ingest/publications.py) and the warehouse counts one disclosure; the narrative-vs-table "
        "rules run across the two files and their findings go on the narrative part.",
        "",
        "| narrative part | tables part | unit | year | paired by | findings across the parts |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.truth.get("part") != NARRATIVE:
            continue
        if not r.companion:
            lines.append(
                f"| {r.name} | — | {_md_cell(r.unit or '—')} | {r.year or '—'} | "
                f"{_md_cell(r.pipeline_error or 'not paired')} | — |"
            )
            continue
        how = next((x for x in (r.pairing or "").split("; ") if x.startswith("paired")), "").split(": ", 1)[-1]
        cross = Counter(f.severity for f in r.cross)
        across = ", ".join(f"{n} {s}" for s, n in sorted(cross.items())) or "none"
        rules = ", ".join(sorted({f.rule_id for f in r.cross}))
        lines.append(
            f"| {r.name} | {r.companion} | {_md_cell(r.unit)} | {r.year} | {_md_cell(how)} | "
            f"{across}{f' ({rules})' if rules else ''} |"
        )
    verdicts = yaml.safe_load(VERDICTS.read_text(encoding="utf-8")) or {} if VERDICTS.exists() else {}
    lines += [
        "",
        "## Every error finding on the real files",
        "",
        "Each with its verdict from `tests/realworld/finding_verdicts.yaml` where one was written: "
        "**real** (the document has that defect) or **misread** (the product reads the template wrong); "
        "the others are not examined yet.",
        "",
    ]
    for r in results:
        if not r.errors:
            continue
        lines.append(f"- **{r.name}** ({len(r.errors)})")
        for rule_id, table_ref, message in r.errors:
            verdict = next(
                (v["verdict"] for v in verdicts.get(r.name) or [] if v["rule"] == rule_id and v["contains"] in message),
                "not examined",
            )
            lines.append(f"  - {rule_id} {table_ref}: {_md_cell(message)} — *{_md_cell(verdict)}*")
    lines += ["", "## What is not read right yet", ""]
    for r in results:
        problems = [f"kind {k} ×{n} not recognised" for k, n in r.kinds_missing().items()]
        problems += [f"{k}: {c}" for k, c in r.figure_checks().items() if c != "exact"]
        problems += [f"the document's defect {k} ×{n} not found" for k, n in r.expected_errors_missing().items()]
        if problems:
            lines.append(f"- **{r.name}**")
            lines += [f"  - {_md_cell(p)}" for p in problems]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.realworld", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument(
        "--update-gaps",
        action="store_true",
        help="rewrite tests/realworld/known_gaps.yaml "
        "from this run (fixed gaps leave it; new ones only with --allow-new-gaps)",
    )
    ap.add_argument("--allow-new-gaps", action="store_true")
    args = ap.parse_args(argv)
    files = all_truth_files()

    def progress(k: int, r: FileResult) -> None:
        fc = r.figure_checks()
        print(
            f"[{k}/{len(files)}] {r.name}: kinds {sum(r.expected_kinds().values()) - sum(r.kinds_missing().values())}"
            f"/{sum(r.expected_kinds().values())}, figures {sum(c == 'exact' for c in fc.values())}/{len(fc)}, "
            f"{'refused' if r.pipeline_error else f'loaded ({r.part})'}, {r.seconds:.2f} s",
            flush=True,
        )

    results = measure_all(files, args.real, progress)
    for r in results:
        if r.truth.get("part") == NARRATIVE:
            print(f"split publication: {r.name} + {r.companion or '(not paired)'}", flush=True)
    args.out.write_text(report(results), encoding="utf-8")
    print(f"wrote {args.out}")
    if args.update_gaps:
        gaps = gaps_of(results)
        added = new_gaps(load_gaps(), gaps)
        if added and not args.allow_new_gaps:
            print(
                "not updating known_gaps.yaml: this run reads these worse than the list says "
                "(--allow-new-gaps to accept):\n  " + "\n  ".join(added),
                file=sys.stderr,
            )
            return 1
        write_gaps(gaps)
        print(f"wrote {GAPS} ({len(gaps)} files with gaps)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
