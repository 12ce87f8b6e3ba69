"""A split publication (情况说明 and 公开表 as two files) loads as ONE disclosure (issue 11, item 3).

The seed (昌吉州外事办 2021) is cut in two the way 江苏 and 北京 publish: a narrative part (单位概况 +
情况说明) and a tables part (the 预算公开表), see tests/seedtext.split_seed. Two pairs are loaded:

* 2021: the narrative part alone in a first load, its tables part in a second — the pairing reads
  the narrative part back from the lake and records the narrative-vs-table findings on it;
* 2022 (the same text with the year moved on): both parts in the same load.

Each file keeps its own document_id and provenance; the warehouse counts one disclosure per year with
the tables part's figures and the narrative part's figures, and the findings the whole seed has."""

from decimal import Decimal

import duckdb
import pytest

from ingest.pipeline import ingest_inbox, parse_path, sha256_bytes
from ingest.settings import Settings
from tests.conftest import SEED_PATH, materialize
from tests.seedtext import SEED_TEXT, split_seed

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

D = Decimal
NARRATIVE, TABLES = split_seed()
NARRATIVE_2022, TABLES_2022 = split_seed(SEED_TEXT.replace("2021", "2022"))
FILES = {
    "waishiban-2021-dept-text.txt": NARRATIVE,
    "waishiban-2021-dept-tables.txt": TABLES,
    "waishiban-2022-dept-text.txt": NARRATIVE_2022,
    "waishiban-2022-dept-tables.txt": TABLES_2022,
}
IDS = {name: sha256_bytes(text.encode("utf-8")) for name, text in FILES.items()}


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    data = tmp_path_factory.mktemp("split")
    inbox = data / "inbox"
    inbox.mkdir()
    settings = Settings(data_dir=data)
    # first load: the 2021 narrative part alone (its tables part is not published yet)
    (inbox / "waishiban-2021-dept-text.txt").write_text(NARRATIVE, encoding="utf-8")
    first = ingest_inbox(settings)
    assert [p.path.name for p in first.loaded] == ["waishiban-2021-dept-text.txt"]
    # second load (and the warehouse): the 2021 tables part, and the 2022 pair together
    for name in ("waishiban-2021-dept-tables.txt", "waishiban-2022-dept-text.txt", "waishiban-2022-dept-tables.txt"):
        (inbox / name).write_text(FILES[name], encoding="utf-8")
    result = materialize(data)
    assert result.success
    return settings


@pytest.fixture(scope="module")
def con(settings):
    with duckdb.connect(str(settings.warehouse), read_only=True) as c:
        yield c


def rows(con, sql, *params):
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def test_each_part_is_a_document_of_its_own_and_neither_supersedes_the_other(con, settings):
    got = rows(
        con,
        """
        select source_file, document_id, fiscal_year, publication_part, revision, is_latest, is_latest_tables,
               is_latest_narrative, superseded_by_document_id, companion_document_id, disclosure_key, unit_id
        from core.fct_document_history order by source_file""",
    )
    assert [
        (r["source_file"], r["publication_part"], r["revision"], r["is_latest"], r["superseded_by_document_id"])
        for r in got
    ] == [
        ("waishiban-2021-dept-tables.txt", "tables", 1, True, None),
        ("waishiban-2021-dept-text.txt", "narrative", 1, True, None),
        ("waishiban-2022-dept-tables.txt", "tables", 1, True, None),
        ("waishiban-2022-dept-text.txt", "narrative", 1, True, None),
    ]
    by_file = {r["source_file"]: r for r in got}
    for name, r in by_file.items():
        assert r["document_id"] == IDS[name]  # its own SHA-256
        assert (settings.originals / r["document_id"]).read_text(encoding="utf-8") == FILES[name]
        assert r["unit_id"] == "652300-waishiban"
    # one disclosure per year: the two parts share it; the tables part arrived second in 2021 and
    # records the link, both parts do in 2022 (they arrived together)
    for year in (2021, 2022):
        text, tables = by_file[f"waishiban-{year}-dept-text.txt"], by_file[f"waishiban-{year}-dept-tables.txt"]
        assert text["disclosure_key"] == tables["disclosure_key"]
        assert tables["companion_document_id"] == text["document_id"]
        assert (text["is_latest_narrative"], text["is_latest_tables"]) == (True, False)
        assert (tables["is_latest_narrative"], tables["is_latest_tables"]) == (False, True)
    assert by_file["waishiban-2021-dept-text.txt"]["companion_document_id"] is None  # loaded alone, first
    assert by_file["waishiban-2022-dept-text.txt"]["companion_document_id"] == IDS["waishiban-2022-dept-tables.txt"]
    (n,) = con.execute("select latest_disclosure_count from core.dim_fiscal_year where fiscal_year = 2021").fetchone()
    assert n == 1


def test_how_the_parts_were_paired_is_noted(con):
    notes = dict(con.execute("select source_file, publication_note from core.fct_document_history").fetchall())
    assert "paired with waishiban-2021-dept-text.txt" in notes["waishiban-2021-dept-tables.txt"]
    assert "loaded before" in notes["waishiban-2021-dept-tables.txt"]
    assert "same file-name stem 'waishiban-2021-dept' and fiscal year 2021" in notes["waishiban-2021-dept-tables.txt"]
    assert "not loaded yet" in notes["waishiban-2021-dept-text.txt"]
    assert "paired in the same load" in notes["waishiban-2022-dept-text.txt"]


def test_the_facts_come_from_each_part(con):
    # the tables' figures, from the tables part
    got = rows(
        con,
        """
        select document_id, total_wan_yuan from core.fct_expenditure
        where fiscal_year = 2021 and functional_code = '2010301'""",
    )
    assert got == [{"document_id": IDS["waishiban-2021-dept-tables.txt"], "total_wan_yuan": D("172.3")}]
    (three,) = con.execute(
        """select total_wan_yuan from core.fct_three_public
                              where fiscal_year = 2021 and document_id = ?""",
        [IDS["waishiban-2021-dept-tables.txt"]],
    ).fetchone()
    assert three == D("5.12")
    # the narrative's figures, from the narrative part
    got = rows(
        con,
        """
        select document_id, fact_key, value from core.fct_narrative_facts
        where fiscal_year = 2021 and fact_key in ('budget.total', 'income.total', 'expenditure.basic')
        order by fact_key""",
    )
    assert got == [
        {"document_id": IDS["waishiban-2021-dept-text.txt"], "fact_key": "budget.total", "value": D("320.06")},
        {"document_id": IDS["waishiban-2021-dept-text.txt"], "fact_key": "expenditure.basic", "value": D("254.06")},
        {"document_id": IDS["waishiban-2021-dept-text.txt"], "fact_key": "income.total", "value": D("320.06")},
    ]
    (staff,) = con.execute("select actual_staff from core.fct_unit_profile where fiscal_year = 2021").fetchone()
    assert staff == 15
    # counted once: the region's spending is the seed's, not twice it
    (total,) = con.execute("""select sum(total_wan_yuan) from marts.mart_regional_spending
                              where fiscal_year = 2021 and region_code = '652300'""").fetchone()
    assert total == D("320.06")


def test_narrative_vs_table_findings_are_computed_across_the_two_files(con):
    # 情况说明 says 一般公共预算 320.096 万元, 表一 prints 320.06: the narrative is in one file, 表一 in the other
    for year in (2021, 2022):
        got = rows(
            con,
            """
            select document_id, companion_document_id, severity, expected, actual from core.fct_findings
            where rule_id = 'NR-INCOME' and fiscal_year = ?""",
            year,
        )
        assert got == [
            {
                "document_id": IDS[f"waishiban-{year}-dept-text.txt"],
                "companion_document_id": IDS[f"waishiban-{year}-dept-tables.txt"],
                "severity": "error",
                "expected": D("320.06"),
                "actual": D("320.096"),
            }
        ]


def test_the_split_disclosure_has_the_whole_seeds_findings(con):
    """Cut in two, the seed raises exactly the findings it raises whole (each file's own, and the
    narrative-vs-table ones across the two)."""
    whole = sorted((f.rule_id, f.severity, f.message) for f in parse_path(SEED_PATH).disclosure.findings)
    split = sorted(
        con.execute("""
        select rule_id, severity, message from core.fct_findings
        where fiscal_year = 2021 and finding_source = 'ingest'""").fetchall()
    )
    assert split == whole


def test_disclosure_quality_counts_the_disclosure_once(con):
    whole = parse_path(SEED_PATH).disclosure.findings
    got = rows(con, "select * from marts.mart_disclosure_quality order by fiscal_year")
    assert [(r["fiscal_year"], r["publication_parts"]) for r in got] == [
        (2021, "narrative+tables"),
        (2022, "narrative+tables"),
    ]
    r = got[0]
    assert (r["document_id"], r["source_file"]) == (
        IDS["waishiban-2021-dept-tables.txt"],
        "waishiban-2021-dept-tables.txt",
    )
    assert (r["narrative_document_id"], r["narrative_source_file"]) == (
        IDS["waishiban-2021-dept-text.txt"],
        "waishiban-2021-dept-text.txt",
    )
    assert (r["tables_found"], r["tables_expected"], r["has_unit_profile"], r["has_narrative"]) == (9, 9, True, True)
    assert r["completeness_score"] == D("1")
    assert (r["error_count"], r["warning_count"], r["info_count"]) == (
        sum(f.severity == "error" for f in whole),
        sum(f.severity == "warning" for f in whole),
        sum(f.severity == "info" for f in whole),
    )
