"""Real published disclosures (../shared/real-disclosures) against the truth read off their pages
by hand (tests/realworld/truth/, one file per PDF, every figure with its page).

What the product does not read right yet is listed in tests/realworld/known_gaps.yaml; this test
holds both directions: everything not listed must be exact, and everything listed must still be a
gap (a fix must take its line out, so the list only shrinks and docs/realworld.md stays honest).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bench.realworld import (
    FileResult,
    all_truth_files,
    final_truth_files,
    load_gaps,
    measure_all,
    publication_stem_of,
    truth_files,
)

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

FILES = all_truth_files()  # the 预算 files' and the 决算 files'


@pytest.fixture(scope="module")
def results() -> dict[str, FileResult]:
    return {r.name: r for r in measure_all(FILES)}


@pytest.fixture(scope="module")
def gaps() -> dict:
    return load_gaps()


def test_every_real_budget_file_has_a_truth_file():
    from bench.realworld import REAL

    pdfs = {p.name for p in (REAL / "budget").glob("*.pdf")}
    assert len(pdfs) >= 36
    assert {f.stem + ".pdf" for f in truth_files()} == pdfs


def test_every_real_final_accounts_file_has_a_truth_file():
    from bench.realworld import REAL

    pdfs = {p.name for p in (REAL / "final-accounts").glob("*.pdf")}
    assert len(pdfs) >= 3
    assert {f.stem + ".pdf" for f in final_truth_files()} == pdfs


@pytest.mark.parametrize("truth_file", FILES, ids=lambda f: f.stem)
def test_real_file_against_its_truth(truth_file, results, gaps):
    name = truth_file.stem + ".pdf"
    r = results[name]
    known = gaps.get(name) or {}
    problems = []
    # table kinds: every table the document prints, recognised by kind
    missing = {k: n for k, n in r.kinds_missing().items()}
    if missing != (known.get("kinds") or {}):
        problems.append(f"kinds not recognised {missing}, known gaps {known.get('kinds') or {}}")
    # key figures, exact
    known_figures = known.get("figures") or {}
    for key, check in r.figure_checks().items():
        if key in known_figures and check == "exact":
            problems.append(f"{key} is now exact: take it out of known_gaps.yaml")
        elif key not in known_figures and check != "exact":
            problems.append(f"{key}: {check}")
    # who, when and which level (部门 or 单位 预算)
    for what, got, want in (
        ("unit", r.unit, r.truth["unit_name"]),
        ("year", r.year, r.truth["fiscal_year"]),
        ("level", r.level, r.truth.get("level", r.level)),
    ):
        if (got == want) == (what in known):
            problems.append(
                f"{what}: read {got!r}, truth {want!r}"
                + (" (now right: take it out of known_gaps.yaml)" if got == want else "")
            )
    # error findings by rule: as many as listed, no more (a regression) and no fewer (update the list);
    # the document's own defects the truth expects (expected_errors) are not gaps: they must be found
    errors = dict(r.unexpected_errors())
    if errors != (known.get("errors") or {}):
        problems.append(f"error findings {dict(sorted(errors.items()))}, known {known.get('errors') or {}}")
    missing_defects = dict(r.expected_errors_missing())
    if missing_defects != (known.get("expected_errors_not_found") or {}):
        problems.append(f"the document's own defects not found {missing_defects}")
    assert not problems, "\n".join(problems)


def test_every_verdict_names_a_finding_that_is_still_there(results):
    """A verdict in tests/realworld/finding_verdicts.yaml whose finding is gone (fixed, or reworded)
    must leave the file, like a fixed gap."""
    import yaml

    from bench.realworld import VERDICTS

    stale = []
    for name, verdicts in (yaml.safe_load(VERDICTS.read_text(encoding="utf-8")) or {}).items():
        for v in verdicts:
            if not any(rule == v["rule"] and v["contains"] in message for rule, _, message in results[name].errors):
                stale.append((name, v["rule"], v["contains"]))
    assert not stale


def test_every_split_pair_lands_as_one_disclosure(results):
    """Each narrative file of a split publication (truth `part: narrative`) loads and is paired with
    the tables file of the same publication (issue 11: "Split pairs land as one disclosure each")."""
    narratives = [r for r in results.values() if r.truth.get("part") == "narrative"]
    assert len(narratives) >= 8
    for r in narratives:
        assert r.pipeline_error is None, f"{r.name}: {r.pipeline_error}"
        assert r.part == "narrative"
        assert r.companion is not None, f"{r.name} is not paired"
        companion = results[r.companion]
        assert companion.truth.get("part") == "tables" and companion.companion == r.name
        assert publication_stem_of(r.name) == publication_stem_of(companion.name)
        assert (r.unit, r.year) == (r.truth["unit_name"], r.truth["fiscal_year"])
        assert companion.year == r.year


def test_final_accounts_files_load_with_their_defects_found(results):
    """Issue 13: the three real 决算 files are loaded (not refused) as 决算, every table recognised by
    kind, their key figures exact, the finance bureau's 0.3 vs 2961.68 found and the template's XX
    placeholders flagged — and no other error finding."""
    finals = [results[f.stem + ".pdf"] for f in final_truth_files()]
    assert len(finals) >= 3
    for r in finals:
        assert r.pipeline_error is None, f"{r.name}: {r.pipeline_error}"
        assert r.truth["disclosure_kind"] == "决算"
        assert r.parsed.disclosure.table("raw_documents")[0]["disclosure_kind"] == "决算"
        assert not r.kinds_missing(), f"{r.name}: {dict(r.kinds_missing())}"
        assert all(c == "exact" for c in r.figure_checks().values()), r.figure_checks()
        assert r.error_rules == r.expected_errors(), f"{r.name}: {dict(r.error_rules)}"
    bureau = results["shpt-caizhengju-2024-final.pdf"]
    (finding,) = [f for f in bureau.parsed.disclosure.findings if f.rule_id == "FA-NARRATIVE"]
    assert (finding.actual, finding.expected) == (Decimal("0.3"), Decimal("2961.68"))
    template = results["shpt-template-final.pdf"]
    assert [f.rule_id for f in template.parsed.disclosure.findings if f.severity == "error"] == ["FA-PLACEHOLDER"]
