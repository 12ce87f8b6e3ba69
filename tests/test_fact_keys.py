"""Every narrative fact key the recognisers emit is declared (ingest/fact_keys.py) with its unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import Options, build_corpus
from generator.layout import layout
from generator.render.text import to_text
from ingest import fact_keys
from ingest.pipeline import parse_path
from ingest.readers.text import parse_text
from ingest.recognize import recognize

SEED = Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt"


def undeclared(disclosure) -> list[str]:
    out = []
    for r in disclosure.table("raw_narrative_facts"):
        try:
            fact_keys.check(r["fact_key"], r["value_unit"])
        except ValueError as e:
            out.append(str(e))
    return out


def test_the_seed_emits_only_declared_keys():
    d = parse_path(SEED).disclosure
    assert len(d.table("raw_narrative_facts")) > 50
    assert undeclared(d) == []


@pytest.mark.parametrize("template", ["changji", "national"])
def test_generated_documents_emit_only_declared_keys(template):
    opts = Options(seed=3, defect_rate=0.5, layout_variants=True, templates=(template,))
    seen = set()
    for t in build_corpus(["652300", "652301"], 3, [2022, 2023], opts):
        d = recognize(parse_text(to_text(layout(t), "cells", thousands=t.layout.thousands), "x.txt"))
        assert undeclared(d) == [], t.file_name
        seen |= {r["fact_key"] for r in d.table("raw_narrative_facts")}
    assert {"income.total", "expenditure.total", "three_public.total"} <= seen


def test_check_refuses_an_undeclared_key_or_another_unit():
    fact_keys.check("three_public.total", "万元")
    with pytest.raises(ValueError, match="undeclared"):
        fact_keys.check("three_public.totl", "万元")
    with pytest.raises(ValueError, match="declared in '万元'"):
        fact_keys.check("three_public.total", "元")


def test_the_recogniser_refuses_to_emit_an_undeclared_key():
    from ingest.disclosure import Disclosure
    from ingest.recognize.narrative import FactSink

    sink = FactSink(Disclosure(source_name="x.txt"))
    sink.emit("three_public.total", None, "万元")
    with pytest.raises(ValueError, match="undeclared narrative fact key 'three_public.totl'"):
        sink.emit("three_public.totl", None, "万元")


def test_every_declared_key_is_lower_dotted_and_has_a_meaning():
    for k in fact_keys.FACT_KEYS.values():
        assert k.meaning and k.key == k.key.lower() and " " not in k.key


@pytest.mark.slow
def test_the_real_final_accounts_emit_only_declared_keys():
    root = Path(__file__).resolve().parents[2] / "shared" / "real-disclosures" / "final-accounts"
    files = sorted(root.glob("*.pdf"))
    if not files:
        pytest.skip(f"no real 决算 files under {root}")
    keys = set()
    for f in files:
        d = parse_path(f).disclosure
        assert undeclared(d) == [], f.name
        keys |= {r["fact_key"] for r in d.table("raw_narrative_facts")}
    assert {"final.total", "final.three_public.total"} <= keys
