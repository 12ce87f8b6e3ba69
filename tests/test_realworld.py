"""Real published disclosures (../shared/real-disclosures) against the truth read off their pages
by hand (tests/realworld/truth/, one file per PDF, every figure with its page).

What the product does not read right yet is listed in tests/realworld/known_gaps.yaml; this test
holds both directions: everything not listed must be exact, and everything listed must still be a
gap (a fix must take its line out, so the list only shrinks and docs/realworld.md stays honest).
"""
from __future__ import annotations

import pytest

from bench.realworld import FileResult, load_gaps, measure_all, publication_stem_of, truth_files

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

FILES = truth_files()


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
    assert {f.stem + ".pdf" for f in FILES} == pdfs


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
    for what, got, want in (("unit", r.unit, r.truth["unit_name"]), ("year", r.year, r.truth["fiscal_year"]),
                            ("level", r.level, r.truth.get("level", r.level))):
        if (got == want) == (what in known):
            problems.append(f"{what}: read {got!r}, truth {want!r}"
                            + (" (now right: take it out of known_gaps.yaml)" if got == want else ""))
    # error findings by rule: as many as listed, no more (a regression) and no fewer (update the list)
    errors = dict(r.error_rules)
    if errors != (known.get("errors") or {}):
        problems.append(f"error findings {dict(sorted(errors.items()))}, known {known.get('errors') or {}}")
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
